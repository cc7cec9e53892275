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
    # Production's scrypt (N=32768) costs ~75 ms per login on purpose, and hundreds of tests log in. The
    # hash carries its own cost, so a cheaper one (N=1024) goes through the same check_password_hash.
    # Hashes the app writes itself (set_password) keep production's cost; tests/accounts check those.
    if password not in _HASHES:
        from werkzeug.security import generate_password_hash

        _HASHES[password] = generate_password_hash(password, method="scrypt:1024:8:1")
    return _HASHES[password]
