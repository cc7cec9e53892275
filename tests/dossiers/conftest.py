from __future__ import annotations

import pytest


@pytest.fixture
def request_ctx(app):
    """A request context, so translated messages can pick a locale (as they do in the app)."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def volunteer_client(db, client, auth):
    """A client logged in as a volunteer."""
    from tests.factories.accounts import UserFactory

    user = UserFactory()
    db.session.commit()
    response = auth.login(user)
    assert response.status_code in (302, 303), response.status_code
    client.user = user
    return client


@pytest.fixture
def coordinator_client(db, client, auth):
    """A client logged in as a coordinator."""
    from tests.factories.accounts import UserFactory

    user = UserFactory(coordinator=True)
    db.session.commit()
    response = auth.login(user)
    assert response.status_code in (302, 303), response.status_code
    client.user = user
    return client
