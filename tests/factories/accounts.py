from __future__ import annotations

import factory

from inschrijving.accounts.models import AuditEvent, Role, User
from inschrijving.db_types import utcnow
from tests.conftest import PASSWORD
from tests.factories.base import BaseFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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
        disabled = factory.Trait(is_enabled=False)
        # Enrolled in TOTP two-factor with a fixed secret; tests compute codes with pyotp.
        with_two_factor = factory.Trait(totp_secret=TOTP_SECRET, totp_confirmed_at=factory.LazyFunction(utcnow))


class AuditEventFactory(BaseFactory):
    class Meta:
        model = AuditEvent

    actor = "system"
    action = "test.action"
    occurred_at = factory.LazyFunction(utcnow)
    detail = factory.LazyFunction(dict)


_HASHES: dict[str, str] = {}


def _hash(password: str) -> str:
    # scrypt is slow on purpose; hash the shared test password once per run.
    if password not in _HASHES:
        from werkzeug.security import generate_password_hash

        _HASHES[password] = generate_password_hash(password, method="scrypt")
    return _HASHES[password]
