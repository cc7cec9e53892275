from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from inschrijving.accounts import queries, services, two_factor
from inschrijving.accounts.models import AuditEvent, LoginFailure, PasswordResetToken, RecoveryCode, Role, User
from inschrijving.db_types import utcnow
from tests.conftest import PASSWORD
from tests.factories.accounts import TOTP_SECRET, AuditEventFactory, UserFactory
from tests.factories.landlords import LandlordFactory

NEW_PASSWORD = "een lange zin als wachtwoord"
LIMITS = services.ThrottleLimits(per_account=3, per_address=5, window=timedelta(minutes=15))


# Password rules ---------------------------------------------------------------------------------


def test_password_rules_refuse_short_and_common_passwords():
    with pytest.raises(services.PasswordTooShort):
        services.check_password_rules("kort")
    with pytest.raises(services.PasswordTooShort):
        services.check_password_rules("x" * 11)
    with pytest.raises(services.PasswordTooCommon):
        services.check_password_rules("Wachtwoord123")
    with pytest.raises(services.PasswordTooCommon):
        services.check_password_rules("QWERTYUIOP123")
    services.check_password_rules("x" * 12 + "q")  # not common, long enough
    services.check_password_rules(NEW_PASSWORD)


def test_common_password_list_is_shipped_and_large():
    words = services.common_passwords()
    assert len(words) > 3000
    assert all(not word.startswith("#") for word in words)


# Creating and changing users --------------------------------------------------------------------


def test_create_user_normalises_email_and_refuses_duplicates(db):
    user = services.create_user(email=" Anna@Example.ORG ", name=" Anna ", role=Role.VOLUNTEER, password=NEW_PASSWORD)
    assert user.email == "anna@example.org"
    assert user.name == "Anna"
    assert user.check_password(NEW_PASSWORD)
    with pytest.raises(services.EmailTaken):
        services.create_user(email="ANNA@example.org", name="Anna 2", role=Role.VOLUNTEER)
    with pytest.raises(services.InvalidEmail):
        services.create_user(email="geen-adres", name="X", role=Role.VOLUNTEER)


def test_create_user_without_password_gets_an_unknown_one(db):
    user = services.create_user(email="b@example.org", name="B", role=Role.COORDINATOR)
    assert user.password_hash.startswith("scrypt:")
    assert services.authenticate("b@example.org", "") is None


def test_landlord_staff_needs_a_landlord(db):
    with pytest.raises(services.LandlordRequired):
        services.create_user(email="l@example.org", name="L", role=Role.LANDLORD)
    landlord = LandlordFactory()
    user = services.create_user(email="l@example.org", name="L", role=Role.LANDLORD, landlord_id=landlord.id)
    assert user.landlord is landlord
    # A landlord is dropped for other roles, so the database rule (no landlord) holds.
    other = services.create_user(email="v@example.org", name="V", role=Role.VOLUNTEER, landlord_id=landlord.id)
    assert other.landlord_id is None


def test_create_user_refuses_a_weak_password(db):
    with pytest.raises(services.WeakPassword):
        services.create_user(email="w@example.org", name="W", role=Role.VOLUNTEER, password="kort")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_authenticate_known_wrong_unknown_and_disabled(db):
    user = UserFactory(email="jan@example.org")
    UserFactory(email="uit@example.org", disabled=True)
    assert services.authenticate("JAN@example.org", PASSWORD) is user
    assert services.authenticate("jan@example.org", "fout wachtwoord!!") is None
    assert services.authenticate("niemand@example.org", PASSWORD) is None
    assert services.authenticate("uit@example.org", PASSWORD) is None


def test_update_user_reports_changes_and_ends_sessions_when_access_changes(db):
    coordinator = UserFactory(coordinator=True)
    user = UserFactory(name="Oud")
    version = user.session_version
    changed = services.update_user(user, actor=coordinator, name="Nieuw", role=Role.VOLUNTEER, landlord_id=None,
                                   is_enabled=True)
    assert changed == {"name": ["Oud", "Nieuw"]}
    assert user.session_version == version  # a new name changes no access
    landlord = LandlordFactory()
    changed = services.update_user(user, actor=coordinator, name="Nieuw", role=Role.LANDLORD,
                                   landlord_id=landlord.id, is_enabled=True)
    assert set(changed) == {"role", "landlord_id"}
    assert user.session_version == version + 1


def test_coordinator_cannot_demote_or_disable_themselves(db):
    coordinator = UserFactory(coordinator=True)
    with pytest.raises(services.CannotChangeOwnAccess):
        services.update_user(coordinator, actor=coordinator, name="X", role=Role.VOLUNTEER, landlord_id=None,
                             is_enabled=True)
    with pytest.raises(services.CannotChangeOwnAccess):
        services.update_user(coordinator, actor=coordinator, name="X", role=Role.COORDINATOR, landlord_id=None,
                             is_enabled=False)
    with pytest.raises(services.CannotChangeOwnAccess):
        services.deactivate_user(coordinator, actor=coordinator)
    assert coordinator.role == Role.COORDINATOR and coordinator.is_enabled


def test_deactivate_user_ends_sessions_once(db):
    coordinator = UserFactory(coordinator=True)
    user = UserFactory()
    version = user.session_version
    assert services.deactivate_user(user, actor=coordinator) is True
    assert not user.is_enabled and not user.is_active
    assert user.session_version == version + 1
    assert services.deactivate_user(user, actor=coordinator) is False


def test_password_change_needs_current_password_and_bumps_session_version(db):
    user = UserFactory()
    version = user.session_version
    with pytest.raises(services.WrongPassword):
        services.change_own_password(user, current_password="niet juist", new_password=NEW_PASSWORD)
    with pytest.raises(services.PasswordTooCommon):
        services.change_own_password(user, current_password=PASSWORD, new_password="wachtwoord2024")
    assert user.session_version == version
    services.change_own_password(user, current_password=PASSWORD, new_password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD)
    assert user.session_version == version + 1
    assert user.get_id() == f"{user.id}:{version + 1}"


# Reset links ------------------------------------------------------------------------------------


def test_reset_link_is_stored_hashed_and_works_once(db):
    coordinator = UserFactory(coordinator=True)
    user = UserFactory()
    now = utcnow()
    token = services.issue_reset_link(user, actor=coordinator, now=now, valid_for=timedelta(hours=48))
    row = db.session.scalar(sa.select(PasswordResetToken))
    assert row.token_hash != token and token not in row.token_hash
    assert row.created_by_id == coordinator.id
    reset = services.get_reset_token(token, now=now)
    assert reset is row
    version = user.session_version
    assert services.use_reset_token(reset, password=NEW_PASSWORD, now=now) is user
    assert user.check_password(NEW_PASSWORD)
    assert user.session_version == version + 1
    assert services.get_reset_token(token, now=now) is None
    with pytest.raises(services.AccountError):
        services.use_reset_token(reset, password="nog een ander wachtwoord", now=now)


def test_reset_link_expires_and_a_new_link_replaces_the_old(db):
    user = UserFactory()
    now = utcnow()
    first = services.issue_reset_link(user, actor=None, now=now, valid_for=timedelta(hours=1))
    assert services.get_reset_token(first, now=now + timedelta(minutes=59)) is not None
    assert services.get_reset_token(first, now=now + timedelta(hours=1)) is None
    second = services.issue_reset_link(user, actor=None, now=now, valid_for=timedelta(hours=1))
    assert services.get_reset_token(first, now=now) is None
    assert services.get_reset_token(second, now=now) is not None
    assert services.get_reset_token("verzonnen-token", now=now) is None


def test_reset_link_of_a_disabled_account_does_not_work(db):
    user = UserFactory()
    token = services.issue_reset_link(user, actor=None, now=utcnow(), valid_for=timedelta(hours=1))
    user.is_enabled = False
    assert services.get_reset_token(token, now=utcnow()) is None


def test_reset_link_refuses_a_weak_password_and_stays_usable(db):
    user = UserFactory()
    now = utcnow()
    token = services.issue_reset_link(user, actor=None, now=now, valid_for=timedelta(hours=1))
    reset = services.get_reset_token(token, now=now)
    with pytest.raises(services.WeakPassword):
        services.use_reset_token(reset, password="kort", now=now)
    assert services.get_reset_token(token, now=now) is not None


# Login throttling -------------------------------------------------------------------------------


def test_throttle_per_account_counts_unknown_accounts_the_same(db):
    now = utcnow()
    for email in ("jan@example.org", "niemand@example.org"):
        UserFactory(email="jan@example.org") if email == "jan@example.org" else None
        for i in range(LIMITS.per_account):
            assert not services.is_login_throttled(email, f"10.0.0.{i}", now=now, limits=LIMITS)
            services.record_login_failure(email, f"10.0.0.{i}", now=now, limits=LIMITS)
        assert services.is_login_throttled(email.upper(), "10.9.9.9", now=now, limits=LIMITS)
    # The typed address itself is not stored.
    keys = db.session.scalars(sa.select(LoginFailure.account_key)).all()
    assert all("@" not in key for key in keys)


def test_throttle_per_address_and_window(db):
    now = utcnow()
    for i in range(LIMITS.per_address):
        services.record_login_failure(f"persoon{i}@example.org", "192.0.2.7", now=now, limits=LIMITS)
    assert services.is_login_throttled("nieuw@example.org", "192.0.2.7", now=now, limits=LIMITS)
    assert not services.is_login_throttled("nieuw@example.org", "192.0.2.8", now=now, limits=LIMITS)
    later = now + LIMITS.window + timedelta(seconds=1)
    assert not services.is_login_throttled("nieuw@example.org", "192.0.2.7", now=later, limits=LIMITS)
    # Recording a later failure drops the ones that no longer count.
    services.record_login_failure("nieuw@example.org", "192.0.2.7", now=later, limits=LIMITS)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 1


def test_complete_login_clears_the_account_counter_and_writes_audit(db):
    user = UserFactory(email="jan@example.org")
    now = utcnow()
    for _ in range(LIMITS.per_account - 1):
        services.record_login_failure("jan@example.org", "10.0.0.1", now=now, limits=LIMITS)
    services.complete_login(user, now=now, ip="10.0.0.1")
    assert user.last_login_at == now
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.user_id, event.ip) == ("login", user.id, "10.0.0.1")


# Two-factor -------------------------------------------------------------------------------------


def test_enrolment_keeps_the_pending_secret_and_confirms_with_a_code(db):
    user = UserFactory(coordinator=True)
    now = utcnow()
    secret = two_factor.start_enrolment(user)
    assert two_factor.start_enrolment(user) == secret
    assert not user.has_two_factor
    assert two_factor.provisioning_uri(user, issuer="Test").startswith("otpauth://totp/")
    with pytest.raises(two_factor.InvalidCode):
        two_factor.confirm_enrolment(user, "000000" if pyotp.TOTP(secret).at(now) != "000000" else "111111",
                                     now=now)
    codes = two_factor.confirm_enrolment(user, pyotp.TOTP(secret).at(now), now=now)
    assert user.has_two_factor
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    with pytest.raises(two_factor.AlreadyEnrolled):
        two_factor.start_enrolment(user)


def test_totp_code_works_once_and_neighbour_steps_are_accepted(db):
    user = UserFactory(with_two_factor=True)
    now = utcnow()
    totp = pyotp.TOTP(TOTP_SECRET)
    assert two_factor.verify_totp(user, totp.at(now - timedelta(seconds=30)), now=now)
    assert two_factor.verify_totp(user, totp.at(now), now=now)
    assert not two_factor.verify_totp(user, totp.at(now), now=now)  # replay
    assert not two_factor.verify_totp(user, totp.at(now + timedelta(minutes=5)), now=now)
    assert not two_factor.verify_totp(user, "abcdef", now=now)


def test_recovery_code_works_once(db):
    user = UserFactory(with_two_factor=True)
    now = utcnow()
    codes = two_factor.generate_recovery_codes(user)
    assert two_factor.verify_second_factor(user, codes[0].upper(), now=now) == "recovery_code"
    assert two_factor.verify_second_factor(user, codes[0], now=now) is None
    assert two_factor.count_unused_recovery_codes(user) == 9
    # New codes replace the old ones.
    two_factor.generate_recovery_codes(user)
    assert two_factor.verify_second_factor(user, codes[1], now=now) is None


def test_must_enrol_only_for_coordinators_and_landlords_when_required(db):
    coordinator = UserFactory(coordinator=True)
    landlord_user = UserFactory(landlord_staff=True)
    volunteer = UserFactory()
    enrolled = UserFactory(coordinator=True, with_two_factor=True)
    assert two_factor.must_enrol(coordinator, required=True)
    assert two_factor.must_enrol(landlord_user, required=True)
    assert not two_factor.must_enrol(volunteer, required=True)
    assert not two_factor.must_enrol(enrolled, required=True)
    assert not two_factor.must_enrol(coordinator, required=False)


def test_disable_two_factor_removes_secret_and_codes(db):
    user = UserFactory(with_two_factor=True)
    two_factor.generate_recovery_codes(user)
    two_factor.disable_two_factor(user)
    assert not user.has_two_factor and user.totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0


# Audit ------------------------------------------------------------------------------------------


def test_purge_audit_removes_only_events_past_retention(db, app):
    now = utcnow()
    AuditEventFactory(action="old", occurred_at=now - timedelta(days=31))
    AuditEventFactory(action="recent", occurred_at=now - timedelta(days=29))
    assert services.purge_audit(now, retention_days=30) == 1
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert actions == {"recent", "audit.purge"}
    purge = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audit.purge"))
    assert purge.detail["removed"] == 1
    # Defaults to the AUDIT_RETENTION_DAYS setting.
    app.config["AUDIT_RETENTION_DAYS"] = 1
    assert services.purge_audit(now + timedelta(days=2)) == 2
    assert services.purge_audit(now + timedelta(days=2)) == 0


def test_audit_page_filters(db):
    now = utcnow()
    user = UserFactory()
    AuditEventFactory(action="dossier.view", object_type="dossier", object_id=7, user_id=user.id,
                      occurred_at=now - timedelta(days=1))
    AuditEventFactory(action="dossier.view", object_type="dossier", object_id=8, occurred_at=now)
    AuditEventFactory(action="login", object_type="user", object_id=user.id, user_id=user.id,
                      occurred_at=now - timedelta(days=5))

    def actions(**kwargs):
        page = queries.page_audit_events(queries.AuditFilter(**kwargs), page=1)
        return [(e.action, e.object_id) for e in page.items]

    assert actions() == [("dossier.view", 8), ("dossier.view", 7), ("login", user.id)]
    assert actions(user_id=user.id) == [("dossier.view", 7), ("login", user.id)]
    assert actions(object_type="dossier", object_id=7) == [("dossier.view", 7)]
    assert actions(action="login") == [("login", user.id)]
    assert actions(since=now - timedelta(days=2), until=now - timedelta(hours=1)) == [("dossier.view", 7)]
    assert queries.list_audit_actions() == ["dossier.view", "login"]


def test_the_totp_seed_is_encrypted_in_the_database(db):
    import sqlalchemy as sa

    from tests.factories.accounts import TOTP_SECRET, UserFactory

    user = UserFactory(coordinator=True, with_two_factor=True)
    db.session.flush()
    stored = db.session.execute(sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar()
    assert stored and TOTP_SECRET not in stored
    assert user.totp_secret == TOTP_SECRET
