from __future__ import annotations

import factory

from inschrijving.extensions import db


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the session of the current app
        sqlalchemy_session_persistence = "flush"
