"""The fixtures keep their promises (tests/conftest.py): nothing one test writes reaches the next, requests run
in their own app context, and only tests that ask for the database get an app context."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from werkzeug.test import Client

from inschrijving.landlords.models import Landlord
from tests.factories.landlords import LandlordFactory

# Each test below runs twice: the second run fails if the first one's writes survived it.
TWICE = pytest.mark.parametrize("run", ["first", "second"])


def _landlords(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Landlord))


@TWICE
def test_commits_in_the_test_are_rolled_back_afterwards(db, run):
    assert _landlords(db) == 0
    LandlordFactory()
    db.session.commit()
    # A commit inside the test releases a savepoint: a later rollback does not undo it.
    db.session.rollback()
    assert _landlords(db) == 1


@TWICE
def test_commits_in_a_request_are_rolled_back_afterwards(db, client, auth, run):
    from inschrijving.accounts.models import AuditEvent, User
    from tests.factories.accounts import UserFactory

    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
    user = UserFactory()
    db.session.commit()
    old_token = user.calendar_token
    auth.login(user)
    assert client.post("/planning/agenda/nieuwe-link").status_code == 302
    # The request committed through its own session; the test's copy was expired, so it rereads the row.
    assert user.calendar_token != old_token
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) > 0


@TWICE
def test_a_failed_statement_rolls_back_to_its_savepoint_only(db, run):
    from sqlalchemy.exc import IntegrityError

    LandlordFactory(slug="eerste")
    db.session.commit()
    with pytest.raises(IntegrityError):
        LandlordFactory(slug="eerste")
    db.session.rollback()
    assert db.session.scalars(sa.select(Landlord.slug)).all() == ["eerste"]


@TWICE
def test_files_go_to_the_tests_own_folders(app, tmp_path: Path, run):
    for setting in ("UPLOAD_FOLDER", "OUTBOX_FOLDER"):
        folder = Path(app.config[setting])
        assert tmp_path in folder.parents
        assert not folder.exists() or not any(folder.iterdir())
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "left-behind").write_text(run)


@TWICE
def test_config_changes_are_undone_after_the_test(app, run):
    assert app.config["WOONCLUB_PHONE"] == ""
    assert app.config["WTF_CSRF_HEADERS"] == ["X-CSRFToken", "X-CSRF-Token"]
    app.config["WOONCLUB_PHONE"] = "056 99 88 77"
    app.config["WTF_CSRF_HEADERS"].append("X-Left-Behind")


def test_a_client_only_test_has_no_app_context(client):
    assert not has_app_context()
    assert client.get("/").status_code == 200
    assert not has_app_context()


def test_a_request_gets_its_own_g_even_inside_the_tests_context(make_app, db):
    probe = make_app()

    @probe.route("/_g")
    def show_g():
        return {"names": sorted(vars(g))}

    with probe.app_context():
        g.left_by_the_test = True
        assert "left_by_the_test" not in probe.test_client().get("/_g").get_json()["names"]
        # Any WSGI caller, not only Flask's test client (schemathesis calls the app this way).
        assert "left_by_the_test" not in Client(probe).get("/_g").json["names"]


def test_a_request_sees_what_the_test_flushed_but_did_not_commit(db, client):
    from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

    moment = MomentFactory(location_name="Nog niet vastgelegd")
    OpeningBlockFactory(moment=moment)
    SlotFactory(moment=moment)
    assert "Nog niet vastgelegd" in client.get(f"/inschrijven/{moment.id}").get_data(as_text=True)


def test_make_app_shares_the_tests_transaction(make_app, db):
    LandlordFactory()
    db.session.flush()
    own = make_app(WOONCLUB_PHONE="056 11 22 33")
    with own.app_context():
        assert _landlords(db) == 1
        assert own.config["WOONCLUB_PHONE"] == "056 11 22 33"
