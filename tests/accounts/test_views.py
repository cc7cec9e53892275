from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent, LoginFailure, PasswordResetToken, Role, User
from inschrijving.db_types import utcnow
from tests.conftest import PASSWORD
from tests.factories.accounts import TOTP_SECRET, AuditEventFactory, UserFactory
from tests.factories.landlords import LandlordFactory
from tests.query_count import count_queries

NEW_PASSWORD = "een lange zin als wachtwoord"


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


# Login and logout -------------------------------------------------------------------------------


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Aanmelden voor medewerkers" in response.text


def test_login_ok_sends_each_role_home(client, auth, db):
    coordinator = UserFactory(coordinator=True)
    response = auth.login(coordinator)
    assert response.headers["Location"] == "/medewerkers"
    assert client.get("/medewerkers").headers["Location"] == "/planning/"
    auth.logout()
    landlord_user = UserFactory(landlord_staff=True)
    auth.login(landlord_user)
    assert client.get("/medewerkers").headers["Location"] == "/verhuurder/"
    assert "login" in audit_actions(db)


def test_wrong_password_unknown_and_disabled_accounts_get_the_same_answer(client, auth, db):
    user = UserFactory(email="jan@example.org")
    disabled = UserFactory(email="uit@example.org", disabled=True)
    answers = []
    for email, password in (("jan@example.org", "fout wachtwoord"), ("niemand@example.org", PASSWORD),
                            (disabled.email, PASSWORD)):
        response = client.post("/login", data={"email": email, "password": password})
        answers.append((response.status_code, response.text.replace(email, "")))
        assert "Dit e-mailadres en wachtwoord passen niet bij elkaar." in response.text
    assert len(set(answers)) == 1
    assert client.get("/medewerkers").status_code == 302  # still anonymous
    assert user.last_login_at is None


def test_logout_is_post_only(client, auth, db):
    user = UserFactory()
    auth.login(user)
    assert client.get("/logout").status_code == 405
    response = auth.logout()
    assert response.headers["Location"] == "/"
    assert is_login_redirect(client.get("/planning/"))
    assert audit_actions(db)[-1] == "logout"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:/evil.example"],
)
def test_open_redirect_on_next_is_refused(client, db, target):
    user = UserFactory()
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/medewerkers"


def test_next_within_the_site_is_followed(client, db):
    user = UserFactory()
    response = client.post("/login?next=/planning/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/planning/"


# Role guards ------------------------------------------------------------------------------------

COORDINATOR_PAGES = ["/beheer/gebruikers/", "/beheer/gebruikers/nieuw", "/beheer/audit"]
# Pages of other domains, guarded by role: each role must be refused where it does not belong.
OTHER_COORDINATOR_PAGES = ["/beheer/verhuurders/"]
STAFF_PAGES = ["/planning/", "/dossiers/"]
LANDLORD_PAGES = ["/verhuurder/"]


@pytest.mark.parametrize("trait", ["volunteer", "landlord_staff"])
@pytest.mark.parametrize("path", COORDINATOR_PAGES)
def test_coordinator_pages_refuse_other_roles(client, auth, db, trait, path):
    user = UserFactory(landlord_staff=True) if trait == "landlord_staff" else UserFactory()
    auth.login(user)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("trait", ["volunteer", "landlord_staff"])
def test_coordinator_actions_refuse_other_roles(client, auth, db, trait):
    target = UserFactory()
    user = UserFactory(landlord_staff=True) if trait == "landlord_staff" else UserFactory()
    auth.login(user)
    for path in (f"/beheer/gebruikers/{target.id}", f"/beheer/gebruikers/{target.id}/uitschakelen",
                 f"/beheer/gebruikers/{target.id}/wachtwoordlink"):
        assert client.post(path, data={"name": "X", "role": "coordinator"}).status_code == 403
    assert target.is_enabled and target.role == Role.VOLUNTEER
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordResetToken)) == 0


def test_landlord_is_refused_on_planning_and_staff_on_the_landlord_portal(client, auth, db):
    auth.login(UserFactory(landlord_staff=True))
    for path in STAFF_PAGES + OTHER_COORDINATOR_PAGES:
        assert client.get(path).status_code == 403, path
    auth.logout()
    auth.login(UserFactory())
    for path in OTHER_COORDINATOR_PAGES + LANDLORD_PAGES:
        assert client.get(path).status_code == 403, path
    auth.logout()
    auth.login(UserFactory(coordinator=True))
    for path in LANDLORD_PAGES:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize(
    "path",
    COORDINATOR_PAGES + OTHER_COORDINATOR_PAGES + STAFF_PAGES + LANDLORD_PAGES + ["/account", "/medewerkers"],
)
def test_anonymous_is_sent_to_login(client, db, path):
    response = client.get(path)
    assert is_login_redirect(response)


def test_coordinator_reaches_management_pages(client, auth, db):
    auth.login(UserFactory(coordinator=True))
    for path in COORDINATOR_PAGES:
        assert client.get(path).status_code == 200


# User management --------------------------------------------------------------------------------


def test_user_list_uses_a_constant_number_of_queries(client, auth, db):
    auth.login(UserFactory(coordinator=True))
    client.get("/beheer/gebruikers/")
    with count_queries() as few:
        assert client.get("/beheer/gebruikers/").status_code == 200
    for _ in range(6):
        UserFactory(landlord_staff=True)
        UserFactory()
    with count_queries() as many:
        response = client.get("/beheer/gebruikers/")
    assert response.status_code == 200
    assert len(many) == len(few)


def test_create_user_shows_a_one_time_link_that_sets_the_password(client, auth, db):
    coordinator = UserFactory(coordinator=True)
    landlord = LandlordFactory(name="Wonen Zuid")
    auth.login(coordinator)
    assert "Wonen Zuid" in client.get("/beheer/gebruikers/nieuw").text
    response = client.post("/beheer/gebruikers/nieuw", data={
        "name": "Lies Peeters", "email": "Lies@Example.org", "role": "landlord", "landlord_id": str(landlord.id),
    })
    assert response.status_code == 200
    link = re.search(r"http://localhost(/wachtwoord-instellen/[\w-]+)", response.text).group(1)
    user = db.session.scalar(sa.select(User).where(User.email == "lies@example.org"))
    assert user.role == Role.LANDLORD and user.landlord_id == landlord.id
    assert audit_actions(db)[-2:] == ["user.create", "user.password_reset_link"]
    auth.logout()

    response = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert is_login_redirect(response)
    assert auth.login(user, NEW_PASSWORD).headers["Location"] == "/medewerkers"
    auth.logout()
    assert client.post(link, data={"new_password": "nog een ander wachtwoord",
                                   "confirm": "nog een ander wachtwoord"}).status_code == 404
    assert client.get(link).status_code == 404
    assert "user.password_reset_used" in audit_actions(db)


def test_create_user_form_errors_keep_input_and_create_nothing(client, auth, db):
    auth.login(UserFactory(coordinator=True, email="baas@example.org"))
    response = client.post("/beheer/gebruikers/nieuw", data={"name": "Piet", "email": "baas@EXAMPLE.org",
                                                             "role": "volunteer", "landlord_id": "None"})
    assert "Er is al een account met dit e-mailadres." in response.text
    assert 'value="Piet"' in response.text
    response = client.post("/beheer/gebruikers/nieuw", data={"name": "Piet", "email": "piet@example.org",
                                                             "role": "landlord", "landlord_id": "None"})
    assert "Kies de verhuurder waarvoor deze persoon werkt." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert "user.create" not in audit_actions(db)


def test_edit_user_changes_role_and_ends_their_sessions(app, client, auth, db):
    coordinator = UserFactory(coordinator=True)
    target = UserFactory(name="Kris")
    other = app.test_client()
    other.post("/login", data={"email": target.email, "password": PASSWORD})
    assert other.get("/account").status_code == 200
    auth.login(coordinator)
    response = client.post(f"/beheer/gebruikers/{target.id}",
                           data={"name": "Kris V", "role": "coordinator", "landlord_id": "None", "is_enabled": "y"})
    assert response.headers["Location"] == "/beheer/gebruikers/"
    assert (target.name, target.role) == ("Kris V", Role.COORDINATOR)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.update"))
    assert event.object_id == target.id and set(event.detail["changed"]) == {"name", "role"}
    assert is_login_redirect(other.get("/account"))


def test_coordinator_cannot_disable_themselves_through_the_form(client, auth, db):
    coordinator = UserFactory(coordinator=True)
    auth.login(coordinator)
    response = client.post(f"/beheer/gebruikers/{coordinator.id}",
                           data={"name": coordinator.name, "role": "coordinator", "landlord_id": "None"})
    assert "U kunt uw eigen rol niet wijzigen" in response.text
    assert coordinator.is_enabled


def test_deactivate_user_logs_them_out_and_blocks_login(app, client, auth, db):
    target = UserFactory()
    other = app.test_client()
    other.post("/login", data={"email": target.email, "password": PASSWORD})
    auth.login(UserFactory(coordinator=True))
    response = client.post(f"/beheer/gebruikers/{target.id}/uitschakelen")
    assert response.headers["Location"] == "/beheer/gebruikers/"
    assert not target.is_enabled
    assert "user.deactivate" in audit_actions(db)
    assert is_login_redirect(other.get("/account"))
    assert "passen niet bij elkaar" in other.post("/login", data={"email": target.email, "password": PASSWORD}).text


def test_reset_link_replaces_the_previous_one(client, auth, db):
    target = UserFactory()
    auth.login(UserFactory(coordinator=True))
    first = client.post(f"/beheer/gebruikers/{target.id}/wachtwoordlink").text
    second = client.post(f"/beheer/gebruikers/{target.id}/wachtwoordlink").text
    first_link = re.search(r"http://localhost(/wachtwoord-instellen/[\w-]+)", first).group(1)
    second_link = re.search(r"http://localhost(/wachtwoord-instellen/[\w-]+)", second).group(1)
    assert first_link != second_link
    auth.logout()
    assert client.get(first_link).status_code == 404
    assert client.get(second_link).status_code == 200
    tokens = db.session.scalars(sa.select(PasswordResetToken.token_hash)).all()
    assert len(tokens) == 1 and second_link.rsplit("/", 1)[1] not in tokens[0]


def test_reset_page_shows_password_rules_next_to_the_field(client, auth, db):
    target = UserFactory()
    auth.login(UserFactory(coordinator=True))
    link = re.search(r"http://localhost(/wachtwoord-instellen/[\w-]+)",
                     client.post(f"/beheer/gebruikers/{target.id}/wachtwoordlink").text).group(1)
    auth.logout()
    response = client.post(link, data={"new_password": "kort", "confirm": "kort"})
    assert 'id="new_password-error"' in response.text and "Gebruik minstens 12 tekens" in response.text
    response = client.post(link, data={"new_password": "wachtwoord123", "confirm": "wachtwoord123"})
    assert "Dit wachtwoord wordt te vaak gebruikt" in response.text
    response = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert "De twee wachtwoorden zijn niet gelijk." in response.text
    assert target.check_password(PASSWORD)


# Throttling -------------------------------------------------------------------------------------


def test_login_is_throttled_per_account_even_with_the_right_password(app, client, db):
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 3
    user = UserFactory()
    for _ in range(3):
        client.post("/login", data={"email": user.email, "password": "fout wachtwoord"})
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Wacht 15 minuten" in response.text
    assert user.last_login_at is None


def test_a_stranger_cannot_lock_a_staff_member_out(app, client, db):
    # Issue 13.6: five wrong passwords from an attacker's address used to lock the account for everyone.
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 3
    user = UserFactory()
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(10):
        client.post("/login", data={"email": user.email, "password": "fout wachtwoord"}, environ_base=attacker)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD},
                       environ_base=attacker).status_code == 429  # the attacker is slowed down
    real_user = app.test_client()
    response = real_user.post("/login", data={"email": user.email, "password": PASSWORD},
                              environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert response.status_code == 302 and user.last_login_at is not None


def test_unknown_account_is_throttled_the_same_way(app, client, db):
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 3
    answers = []
    for email in ("jan@example.org", "niemand@example.org"):
        if email == "jan@example.org":
            UserFactory(email=email)
        for _ in range(3):
            client.post("/login", data={"email": email, "password": "fout wachtwoord"})
        response = client.post("/login", data={"email": email, "password": "fout wachtwoord"})
        answers.append((response.status_code, response.text.replace(email, "")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_login_is_throttled_per_client_address(app, client, db):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 4
    user = UserFactory()
    for i in range(4):
        client.post("/login", data={"email": f"iemand{i}@example.org", "password": "fout"},
                    environ_base={"REMOTE_ADDR": "198.51.100.4"})
    blocked = client.post("/login", data={"email": user.email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert blocked.status_code == 429
    allowed = client.post("/login", data={"email": user.email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.5"})
    assert allowed.status_code == 302


def test_throttling_is_shared_between_worker_processes(committed_app, tmp_path):
    """Two app instances on one database stand in for two gunicorn workers: failures count across both."""
    from inschrijving import create_app
    from tests.conftest import base_config

    committed_app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 2
    other_app = create_app(base_config(tmp_path, committed_app.config["SQLALCHEMY_DATABASE_URI"]))
    other_app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 2
    worker_a, worker_b = committed_app.test_client(), other_app.test_client()
    for worker in (worker_a, worker_b):
        worker.post("/login", data={"email": "jan@example.org", "password": "fout wachtwoord"})
    with other_app.app_context():
        assert worker_b.post("/login", data={"email": "jan@example.org", "password": "x"}).status_code == 429
        from inschrijving.extensions import db as _db

        _db.session.remove()
        _db.engine.dispose()
    assert worker_a.post("/login", data={"email": "jan@example.org", "password": "x"}).status_code == 429


def test_successful_login_resets_the_account_counter(app, client, auth, db):
    user = UserFactory()
    for _ in range(2):
        client.post("/login", data={"email": user.email, "password": "fout"})
    auth.login(user)
    key_rows = db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)
                                 .where(LoginFailure.ip.is_not(None)))
    assert key_rows == 0


# Own password and sessions ----------------------------------------------------------------------


def test_password_change_logs_out_other_sessions_but_not_this_one(app, client, auth, db):
    user = UserFactory()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    auth.login(user)
    response = client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/account"
    assert user.session_version == 2
    assert client.get("/account").status_code == 200
    assert is_login_redirect(other.get("/account"))
    assert "user.password_change" in audit_actions(db)


def test_password_change_errors_stay_next_to_the_fields(client, auth, db):
    user = UserFactory()
    auth.login(user)
    response = client.post("/account/wachtwoord", data={
        "current_password": "niet mijn wachtwoord", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert 'id="current_password-error"' in response.text
    response = client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": "kort", "confirm": "kort"})
    assert 'id="new_password-error"' in response.text
    assert user.check_password(PASSWORD) and user.session_version == 1


def test_idle_session_ends(client, auth, db):
    auth.login(UserFactory())
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = int((utcnow() - timedelta(minutes=31)).timestamp())
    response = client.get("/account")
    assert is_login_redirect(response)
    assert is_login_redirect(client.get("/account"))


def test_active_session_continues(client, auth, db):
    auth.login(UserFactory())
    with client.session_transaction() as session:
        session["last_seen"] = int((utcnow() - timedelta(minutes=29)).timestamp())
    assert client.get("/account").status_code == 200


def test_session_of_an_older_version_is_refused(client, auth, db):
    user = UserFactory()
    auth.login(user)
    user.session_version += 1
    db.session.commit()
    assert is_login_redirect(client.get("/account"))


# Two-factor -------------------------------------------------------------------------------------


def test_two_factor_enrolment_through_the_pages(client, auth, db):
    user = UserFactory(coordinator=True)
    auth.login(user)
    assert "Tweestapsverificatie instellen" in client.get("/account/tweestapsverificatie").text
    client.post("/account/tweestapsverificatie/starten")
    page = client.get("/account/tweestapsverificatie").text
    assert 'src="data:image/png;base64,' in page
    assert user.totp_secret in page
    response = client.post("/account/tweestapsverificatie/bevestigen", data={"code": "12345"})
    assert response.status_code == 422 and not user.has_two_factor
    response = client.post("/account/tweestapsverificatie/bevestigen",
                           data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.text)
    assert len(codes) == 10
    assert user.has_two_factor
    assert "user.2fa_enabled" in audit_actions(db)


def test_login_with_two_factor_needs_the_code(client, db):
    user = UserFactory(with_two_factor=True)
    response = client.post("/login?next=/account", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].startswith("/login/code")
    assert is_login_redirect(client.get("/account"))  # not logged in yet
    wrong = client.post(response.headers["Location"], data={"code": "000000"})
    assert "Deze code klopt niet" in wrong.text
    ok = client.post(response.headers["Location"], data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert ok.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200


def test_login_with_a_recovery_code_works_once(client, auth, db):
    from inschrijving.accounts.services import two_factor

    user = UserFactory(with_two_factor=True)
    codes = two_factor.generate_recovery_codes(user)
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.post("/login/code", data={"code": codes[0]})
    assert response.headers["Location"] == "/medewerkers"
    assert "login.recovery_code" in audit_actions(db)
    auth.logout()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Deze code klopt niet" in client.post("/login/code", data={"code": codes[0]}).text


def test_second_step_without_password_step_goes_back_to_login(client, db):
    assert is_login_redirect(client.get("/login/code"))


def test_required_two_factor_sends_staff_to_enrolment(app, client, auth, db):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    auth.login(UserFactory(coordinator=True))
    assert client.get("/beheer/gebruikers/").headers["Location"] == "/account/tweestapsverificatie"
    assert client.get("/account/tweestapsverificatie").status_code == 200
    auth.logout()
    auth.login(UserFactory(landlord_staff=True))
    assert client.get("/verhuurder/").headers["Location"] == "/account/tweestapsverificatie"
    auth.logout()
    auth.login(UserFactory())  # volunteers too (issue 13.7)
    assert client.get("/planning/").headers["Location"] == "/account/tweestapsverificatie"


def test_required_two_factor_cannot_be_switched_off(app, client, auth, db):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    user = UserFactory(coordinator=True, with_two_factor=True)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    client.post("/login/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    client.post("/account/tweestapsverificatie/uitzetten")
    assert user.has_two_factor


def test_coordinator_resets_a_users_two_factor(client, auth, db):
    target = UserFactory(with_two_factor=True)
    auth.login(UserFactory(coordinator=True))
    client.post(f"/beheer/gebruikers/{target.id}/tweestapsverificatie-uitzetten")
    assert not target.has_two_factor
    assert "user.2fa_reset" in audit_actions(db)


# Audit log viewer -------------------------------------------------------------------------------


def test_audit_viewer_filters_and_pages(client, auth, db):
    coordinator = UserFactory(coordinator=True)
    now = utcnow()
    for i in range(60):
        AuditEventFactory(action="dossier.view", object_type="dossier", object_id=i + 1,
                          occurred_at=now - timedelta(minutes=i))
    AuditEventFactory(action="dossier.erase", object_type="dossier", object_id=4242, actor="vrijwilliger@x.org")
    auth.login(coordinator)
    first = client.get("/beheer/audit")
    assert first.status_code == 200
    assert "Pagina 1 van 2" in first.text
    assert client.get("/beheer/audit?page=2").status_code == 200
    filtered = client.get("/beheer/audit", query_string={"object_type": "dossier", "object_id": "4242"})
    assert "vrijwilliger@x.org" in filtered.text and "1 gebeurtenis gevonden" in filtered.text
    by_action = client.get("/beheer/audit", query_string={"action": "dossier.erase"})
    assert "1 gebeurtenis gevonden" in by_action.text
    by_user = client.get("/beheer/audit", query_string={"user_id": str(coordinator.id)})
    assert "1 gebeurtenis gevonden" in by_user.text  # the coordinator's own login
    today = now.date().isoformat()
    wrong_period = client.get("/beheer/audit", query_string={"since": today, "until": "2000-01-01"})
    assert "Deze datum ligt voor de begindatum." in wrong_period.text


def test_audit_viewer_uses_a_constant_number_of_queries(client, auth, db):
    auth.login(UserFactory(coordinator=True))
    client.get("/beheer/audit")
    with count_queries() as few:
        client.get("/beheer/audit")
    for i in range(40):
        user = UserFactory()
        AuditEventFactory(action=f"action.{i % 3}", user_id=user.id, actor=user.email, object_type="dossier",
                          object_id=i)
    with count_queries() as many:
        assert client.get("/beheer/audit").status_code == 200
    assert len(many) == len(few)


# CLI --------------------------------------------------------------------------------------------


def test_create_user_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "Eerste@Example.org", "--name", "Eerste Coördinator",
                                 "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "eerste@example.org"))
    assert user.role == Role.COORDINATOR and user.check_password(NEW_PASSWORD)
    assert "user.create" in audit_actions(db)
    weak = runner.invoke(args=["create-user", "--email", "x@example.org", "--name", "X", "--password", "kort"])
    assert weak.exit_code != 0
    landlord = LandlordFactory(slug="wonen-zuid")
    staff = runner.invoke(args=["create-user", "--email", "l@example.org", "--name", "L", "--role", "landlord",
                                "--landlord", "wonen-zuid", "--password", NEW_PASSWORD])
    assert staff.exit_code == 0, staff.output
    assert db.session.scalar(sa.select(User).where(User.email == "l@example.org")).landlord_id == landlord.id


def test_session_cookie_is_httponly_and_samesite_lax(client, db):
    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_outside_development(app):
    import os

    from inschrijving.config import Config

    if "SESSION_COOKIE_SECURE" not in os.environ:
        assert Config.SESSION_COOKIE_SECURE is True and Config.REMEMBER_COOKIE_SECURE is True
        # Only debug and testing drop it, for plain http on 127.0.0.1.
        assert app.config["SESSION_COOKIE_SECURE"] is False
    assert Config.SESSION_COOKIE_HTTPONLY is True and Config.SESSION_COOKIE_SAMESITE == "Lax"
