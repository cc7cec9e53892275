from __future__ import annotations

import pytest


@pytest.fixture
def request_ctx(app):
    """A request context, so translated messages can pick a locale (as they do in the app)."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def volunteer_client(db, client, auth):
    """A client logged in as a volunteer who staffs every moment of the test (see `staffing_every_moment`)."""
    from tests.factories.accounts import UserFactory
    from tests.factories.planning import staffing_every_moment

    user = UserFactory()
    db.session.commit()
    response = auth.login(user)
    assert response.status_code in (302, 303), response.status_code
    client.user = user
    with staffing_every_moment(user):
        yield client


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
