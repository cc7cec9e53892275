"""One commit per request: the service writes the change and its audit event, the view commits once.

A second commit in a request (an audit committed apart, a cache warmed after the fact) would let half of
a request stand when the rest fails; these pages are the representative ones of dossiers, privacy and
accounts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from inschrijving.accounts.models import AuditEvent
from inschrijving.dossiers.models.household import Dossier
from inschrijving.landlords.models import DossierSection
from inschrijving.rendering import storage
from tests.conftest import PASSWORD
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory, build_complete_dossier
from tests.factories.files import minimal_pdf
from tests.factories.packets import scan_jpeg
from tests.factories.planning import staffing_every_moment

PDF = minimal_pdf()


class Commits:
    def __init__(self) -> None:
        self.count = 0

    def _seen(self, session: Session) -> None:
        # Releasing a savepoint (begin_nested) fires after_commit too; only the transaction itself counts.
        if not session.in_nested_transaction():
            self.count += 1

    @contextmanager
    def counted(self) -> Iterator[None]:
        """Count the commits of every session (savepoints do not count) while the block runs."""
        self.count = 0
        sa.event.listen(Session, "after_commit", self._seen)
        try:
            yield
        finally:
            sa.event.remove(Session, "after_commit", self._seen)


@pytest.fixture
def commits() -> Commits:
    return Commits()


@pytest.fixture
def volunteer(db, client, auth):
    user = UserFactory()
    db.session.commit()
    auth.login(user)
    with staffing_every_moment(user):
        yield user


def _actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_counter_sees_a_second_commit_but_not_a_savepoint(db, commits):
    with commits.counted():
        with db.session.begin_nested():
            UserFactory()
        db.session.commit()
        UserFactory()
        db.session.commit()
    assert commits.count == 2


def test_a_dossier_page_commits_its_audit_event_once(db, client, volunteer, commits):
    dossier = DossierFactory()
    db.session.commit()
    with commits.counted():
        assert client.get(f"/dossiers/{dossier.id}").status_code == 200
    assert commits.count == 1
    assert _actions(db)[-1] == "dossier.viewed"


def test_the_dossier_list_commits_once(db, client, volunteer, commits):
    DossierFactory()
    db.session.commit()
    with commits.counted():
        assert client.get("/dossiers/").status_code == 200
    assert commits.count == 1


def test_saving_a_step_commits_once(db, client, volunteer, commits):
    dossier = DossierFactory()
    db.session.commit()
    data = {"version": dossier.version, "cir_registered": "no"}
    with commits.counted():
        response = client.post(f"/dossiers/{dossier.id}/stap/cir", data=data)
    assert response.status_code == 302
    assert commits.count == 1


def test_completing_commits_once_and_the_worker_renders_the_packet_section(db, client, volunteer, commits):
    from inschrijving.notifications.queue import huey
    from inschrijving.notifications.tasks import render_packet_section

    dossier = build_complete_dossier(mark_complete=False)
    for document in dossier.documents:
        document.storage_key, document.content_type = storage.store(scan_jpeg()), "image/jpeg"
    db.session.commit()
    huey.flush()
    with commits.counted():
        client.post(f"/dossiers/{dossier.id}/afronden", data={"version": dossier.version})
    assert commits.count == 1
    assert db.session.get(Dossier, dossier.id).is_complete
    sections = sa.select(DossierSection).where(DossierSection.dossier_id == dossier.id)
    # The page did not wait for the rendering: the task is queued for the worker, enqueued after the commit.
    assert db.session.scalars(sections).all() == []
    [task] = [task for task in huey.pending() if task.name == "render_packet_section"]
    assert task.args == (dossier.id,)
    assert render_packet_section.call_local(dossier.id)
    assert db.session.scalars(sections).one()


def test_uploading_and_downloading_a_scan_commit_once_each(db, client, volunteer, commits):
    dossier = DossierFactory()
    db.session.commit()
    with commits.counted():
        client.post(f"/dossiers/{dossier.id}/documenten", data={"kind": "identity", "file": (io.BytesIO(PDF), "a.pdf")},
                    content_type="multipart/form-data")
    assert commits.count == 1
    document = db.session.get(Dossier, dossier.id).documents[0]
    with commits.counted():
        assert client.get(f"/dossiers/{dossier.id}/documenten/{document.id}").status_code == 200
    assert commits.count == 1


def test_a_household_copy_commits_its_audit_event_once(db, client, volunteer, commits):
    dossier = DossierFactory()
    db.session.commit()
    with commits.counted():
        assert client.get(f"/privacy/dossiers/{dossier.id}/kopie.json").status_code == 200
    assert commits.count == 1
    assert _actions(db)[-1] == "privacy.copy"


def test_logging_in_and_creating_a_user_commit_once_each(db, client, commits):
    coordinator = UserFactory(coordinator=True)
    db.session.commit()
    with commits.counted():
        client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert commits.count == 1
    with commits.counted():
        response = client.post("/beheer/gebruikers/nieuw", data={"email": "nieuw@example.org", "name": "Nieuw",
                                                                   "role": "volunteer"})
    assert response.status_code == 200
    assert commits.count == 1
    assert _actions(db)[-2:] == ["user.create", "user.password_reset_link"]
