"""Sessions end on the server at logout, and are bound to the address the app trusts (issue 13.5)."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.factories.accounts import UserFactory


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_copied_session_cookie_is_dead_after_logout(app, client, auth, db):
    user = UserFactory()
    db.session.commit()
    auth.login(user)
    assert client.get("/account").status_code == 200
    stolen = session_cookie(client)
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert is_login_redirect(thief.get("/account"))
    # The user can log in again as usual.
    auth.login(user)
    assert client.get("/account").status_code == 200


def test_the_session_binding_ignores_a_forged_forwarded_for(app, db):
    user = UserFactory()
    db.session.commit()
    victim = app.test_client()
    victim.post("/login", data={"email": user.email, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert victim.get("/account", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", session_cookie(victim))
    # Without a proxy setting, X-Forwarded-For is the client's own text: claiming the victim's address
    # must not make the copied cookie fit.
    forged = thief.get("/account", environ_base={"REMOTE_ADDR": "203.0.113.9"},
                       headers={"X-Forwarded-For": "198.51.100.7"})
    assert is_login_redirect(forged)


def test_behind_the_trusted_proxy_the_binding_follows_the_client_address(make_app, db):
    app = make_app(PROXY_FIX_X_FOR=1)
    user = UserFactory()
    db.session.commit()
    browser = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    browser.post("/login", data={"email": user.email, "password": PASSWORD}, environ_base=proxy,
                 headers={"X-Forwarded-For": "198.51.100.7"})
    assert browser.get("/account", environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 200
    # The same cookie from another client behind the same proxy: the session is bound to the first.
    assert is_login_redirect(browser.get("/account", environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.9"}))
