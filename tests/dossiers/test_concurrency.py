"""Two volunteers saving the same step at the same moment: one wins, the other is told, nothing is lost silently."""

from __future__ import annotations

import threading

from sqlalchemy.orm.exc import StaleDataError

from inschrijving.accounts.models import User
from inschrijving.accounts.services.audit import Actor
from inschrijving.db_types import utcnow
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import errors, intake, lifecycle
from inschrijving.extensions import db
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory


def test_concurrent_saves_of_one_version_let_exactly_one_through(committed_app):
    dossier = DossierFactory()
    users = [UserFactory(), UserFactory()]
    db.session.commit()
    dossier_id, user_ids = dossier.id, [u.id for u in users]
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(index: int) -> None:
        with committed_app.app_context(), committed_app.test_request_context("/"):
            loaded = lifecycle.load_dossier(dossier_id)
            actor = Actor.of(db.session.get(User, user_ids[index]))
            version = loaded.version
            barrier.wait()
            try:
                intake.save_cir(
                    loaded,
                    version=version,
                    cir_registered=True,
                    cir_registered_on=utcnow().date(),
                    cir_reference=f"CIR-{index}",
                    actor=actor,
                    now=utcnow(),
                )
                db.session.commit()
                outcomes.append("saved")
            except (errors.StaleDossier, StaleDataError):
                db.session.rollback()
                outcomes.append("stale")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "stale"]
    stored = db.session.get(Dossier, dossier_id)
    assert stored.version == 2
    changes = db.session.scalars(db.select(DossierChange).where(DossierChange.step == "cir")).all()
    assert len(changes) == 1 and changes[0].changes  # the loser left no half-written history
