from __future__ import annotations

import factory

from inschrijving.accounts.models import Role, User
from tests.conftest import PASSWORD
from tests.factories.base import BaseFactory


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"medewerker{n}@example.org")
    name = factory.Sequence(lambda n: f"Medewerker {n}")
    role = Role.VOLUNTEER
    calendar_token = factory.Sequence(lambda n: f"cal-token-{n:06d}")
    password_hash = factory.LazyFunction(lambda: _hash(PASSWORD))

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        landlord_staff = factory.Trait(
            role=Role.LANDLORD, landlord=factory.SubFactory("tests.factories.landlords.LandlordFactory")
        )


_HASHES: dict[str, str] = {}


def _hash(password: str) -> str:
    # scrypt is slow on purpose; hash the shared test password once per run.
    if password not in _HASHES:
        from werkzeug.security import generate_password_hash

        _HASHES[password] = generate_password_hash(password, method="scrypt")
    return _HASHES[password]
