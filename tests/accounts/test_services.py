from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from inschrijving.accounts import queries
from inschrijving.accounts.models import AuditEvent, LoginFailure, PasswordResetToken, RecoveryCode, Role, User
from inschrijving.accounts.services import audit, login, two_factor, users
from inschrijving.db_types import utcnow
from tests.conftest import PASSWORD
from tests.factories.accounts import TOTP_SECRET, AuditEventFactory, UserFactory
from tests.factories.landlords import LandlordFactory

NEW_PASSWORD = "een lange zin als wachtwoord"
SYSTEM = audit.Actor.system("test")
LIMITS = login.ThrottleLimits(per_account=3, per_address=5, window=timedelta(minutes=15))


# Password rules ---------------------------------------------------------------------------------


def test_password_rules_refuse_short_and_common_passwords():
    with pytest.raises(users.PasswordTooShort):
        users.check_password_rules("kort")
    with pytest.raises(users.PasswordTooShort):
        users.check_password_rules("x" * 11)
    with pytest.raises(users.PasswordTooCommon):
        users.check_password_rules("Wachtwoord123")
    with pytest.raises(users.PasswordTooCommon):
        users.check_password_rules("QWERTYUIOP123")
    users.check_password_rules("x" * 12 + "q")  # not common, long enough
    users.check_password_rules(NEW_PASSWORD)


def test_common_password_list_is_shipped_and_large():
    words = users.common_passwords()
    assert len(words) > 3000
    assert all(not word.startswith("#") for word in words)


# Creating and changing users --------------------------------------------------------------------


def _trail(db) -> list[tuple[str, int | None, int | None, str | None]]:
    """The audit trail as (action, acting user id, object id, address), oldest first."""
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.user_id, AuditEvent.object_id, AuditEvent.ip).order_by(AuditEvent.id)
    )
    return [tuple(row) for row in rows]


def test_create_user_normalises_email_and_refuses_duplicates(db):
    user = users.create_user(email=" Anna@Example.ORG ", name=" Anna ", role=Role.VOLUNTEER, password=NEW_PASSWORD,
                             actor=SYSTEM)
    assert user.email == "anna@example.org"
    assert user.name == "Anna"
    assert user.check_password(NEW_PASSWORD)
    with pytest.raises(users.EmailTaken):
        users.create_user(email="ANNA@example.org", name="Anna 2", role=Role.VOLUNTEER, actor=SYSTEM)
    with pytest.raises(users.InvalidEmail):
        users.create_user(email="geen-adres", name="X", role=Role.VOLUNTEER, actor=SYSTEM)


def test_create_user_writes_who_created_which_role(db):
    coordinator = UserFactory(coordinator=True)
    user = users.create_user(email="c@example.org", name="C", role=Role.VOLUNTEER,
                             actor=audit.Actor.of(coordinator, ip="10.0.0.9"))
    assert _trail(db) == [("user.create", coordinator.id, user.id, "10.0.0.9")]
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.actor, event.object_type, event.detail) == (
        coordinator.email, "user", {"role": "volunteer", "landlord_id": None}
    )
    users.create_user(email="cli@example.org", name="Cli", role=Role.COORDINATOR, actor=audit.Actor.system("cli"))
    assert db.session.scalars(sa.select(AuditEvent.actor).order_by(AuditEvent.id)).all()[-1] == "cli"


def test_create_user_without_password_gets_an_unknown_one(db):
    user = users.create_user(email="b@example.org", name="B", role=Role.COORDINATOR, actor=SYSTEM)
    assert user.password_hash.startswith("scrypt:")
    assert login.authenticate("b@example.org", "") is None


def test_landlord_staff_needs_a_landlord(db):
    with pytest.raises(users.LandlordRequired):
        users.create_user(email="l@example.org", name="L", role=Role.LANDLORD, actor=SYSTEM)
    landlord = LandlordFactory()
    user = users.create_user(email="l@example.org", name="L", role=Role.LANDLORD, landlord_id=landlord.id,
                             actor=SYSTEM)
    assert user.landlord is landlord
    # A landlord is dropped for other roles, so the database rule (no landlord) holds.
    other = users.create_user(email="v@example.org", name="V", role=Role.VOLUNTEER, landlord_id=landlord.id,
                              actor=SYSTEM)
    assert other.landlord_id is None


def test_create_user_refuses_a_weak_password(db):
    with pytest.raises(users.WeakPassword):
        users.create_user(email="w@example.org", name="W", role=Role.VOLUNTEER, password="kort", actor=SYSTEM)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert _trail(db) == []


def test_authenticate_known_wrong_unknown_and_disabled(db):
    user = UserFactory(email="jan@example.org")
    UserFactory(email="uit@example.org", disabled=True)
    assert login.authenticate("JAN@example.org", PASSWORD) is user
    assert login.authenticate("jan@example.org", "fout wachtwoord!!") is None
    assert login.authenticate("niemand@example.org", PASSWORD) is None
    assert login.authenticate("uit@example.org", PASSWORD) is None


def test_update_user_reports_changes_and_ends_sessions_when_access_changes(db):
    coordinator = UserFactory(coordinator=True)
    by = audit.Actor.of(coordinator)
    user = UserFactory(name="Oud")
    version = user.session_version
    changed = users.update_user(user, actor=by, name="Nieuw", role=Role.VOLUNTEER, landlord_id=None, is_enabled=True)
    assert changed == {"name": ["Oud", "Nieuw"]}
    assert user.session_version == version  # a new name changes no access
    landlord = LandlordFactory()
    changed = users.update_user(user, actor=by, name="Nieuw", role=Role.LANDLORD, landlord_id=landlord.id,
                                is_enabled=True)
    assert set(changed) == {"role", "landlord_id"}
    assert user.session_version == version + 1


def test_update_user_writes_what_changed_and_nothing_when_nothing_did(db):
    coordinator = UserFactory(coordinator=True)
    by = audit.Actor.of(coordinator)
    user = UserFactory(name="Oud")
    users.update_user(user, actor=by, name="Oud", role=user.role, landlord_id=None, is_enabled=True)
    assert _trail(db) == []
    users.update_user(user, actor=by, name="Nieuw", role=user.role, landlord_id=None, is_enabled=True)
    assert _trail(db) == [("user.update", coordinator.id, user.id, None)]
    assert db.session.scalar(sa.select(AuditEvent.detail)) == {"changed": {"name": ["Oud", "Nieuw"]}}


def test_coordinator_cannot_demote_or_disable_themselves(db):
    coordinator = UserFactory(coordinator=True)
    by = audit.Actor.of(coordinator)
    with pytest.raises(users.CannotChangeOwnAccess):
        users.update_user(coordinator, actor=by, name="X", role=Role.VOLUNTEER, landlord_id=None, is_enabled=True)
    with pytest.raises(users.CannotChangeOwnAccess):
        users.update_user(coordinator, actor=by, name="X", role=Role.COORDINATOR, landlord_id=None, is_enabled=False)
    with pytest.raises(users.CannotChangeOwnAccess):
        users.deactivate_user(coordinator, actor=by)
    assert coordinator.role == Role.COORDINATOR and coordinator.is_enabled
    assert _trail(db) == []


def test_deactivate_user_ends_sessions_once_and_writes_it_once(db):
    coordinator = UserFactory(coordinator=True)
    user = UserFactory()
    version = user.session_version
    assert users.deactivate_user(user, actor=audit.Actor.of(coordinator)) is True
    assert not user.is_enabled and not user.is_active
    assert user.session_version == version + 1
    assert users.deactivate_user(user, actor=audit.Actor.of(coordinator)) is False
    assert _trail(db) == [("user.deactivate", coordinator.id, user.id, None)]


def test_password_change_needs_current_password_and_bumps_session_version(db):
    user = UserFactory()
    by = audit.Actor.of(user, ip="10.0.0.3")
    version = user.session_version
    with pytest.raises(users.WrongPassword):
        users.change_own_password(user, current_password="niet juist", new_password=NEW_PASSWORD, actor=by)
    with pytest.raises(users.PasswordTooCommon):
        users.change_own_password(user, current_password=PASSWORD, new_password="wachtwoord2024", actor=by)
    assert user.session_version == version
    assert _trail(db) == []
    users.change_own_password(user, current_password=PASSWORD, new_password=NEW_PASSWORD, actor=by)
    assert user.check_password(NEW_PASSWORD)
    assert user.session_version == version + 1
    assert user.get_id() == f"{user.id}:{version + 1}"
    assert _trail(db) == [("user.password_change", user.id, user.id, "10.0.0.3")]


# Reset links ------------------------------------------------------------------------------------


def test_reset_link_is_stored_hashed_and_works_once(db):
    coordinator = UserFactory(coordinator=True)
    user = UserFactory()
    now = utcnow()
    token = users.issue_reset_link(user, actor=audit.Actor.of(coordinator), now=now, valid_for=timedelta(hours=48))
    row = db.session.scalar(sa.select(PasswordResetToken))
    assert row.token_hash != token and token not in row.token_hash
    assert row.created_by_id == coordinator.id
    reset = users.get_reset_token(token, now=now)
    assert reset is row
    version = user.session_version
    assert users.use_reset_token(reset, password=NEW_PASSWORD, now=now, ip="10.0.0.5") is user
    assert user.check_password(NEW_PASSWORD)
    assert user.session_version == version + 1
    assert users.get_reset_token(token, now=now) is None
    with pytest.raises(users.AccountError):
        users.use_reset_token(reset, password="nog een ander wachtwoord", now=now, ip=None)
    # The coordinator made the link; the user, from their own address, used it.
    assert _trail(db) == [
        ("user.password_reset_link", coordinator.id, user.id, None),
        ("user.password_reset_used", user.id, user.id, "10.0.0.5"),
    ]


def test_reset_link_expires_and_a_new_link_replaces_the_old(db):
    user = UserFactory()
    now = utcnow()
    first = users.issue_reset_link(user, actor=audit.Actor.system(), now=now, valid_for=timedelta(hours=1))
    assert users.get_reset_token(first, now=now + timedelta(minutes=59)) is not None
    assert users.get_reset_token(first, now=now + timedelta(hours=1)) is None
    second = users.issue_reset_link(user, actor=audit.Actor.system(), now=now, valid_for=timedelta(hours=1))
    assert users.get_reset_token(first, now=now) is None
    assert users.get_reset_token(second, now=now) is not None
    assert users.get_reset_token("verzonnen-token", now=now) is None


def test_reset_link_of_a_disabled_account_does_not_work(db):
    user = UserFactory()
    token = users.issue_reset_link(user, actor=audit.Actor.system(), now=utcnow(), valid_for=timedelta(hours=1))
    user.is_enabled = False
    assert users.get_reset_token(token, now=utcnow()) is None


def test_reset_link_refuses_a_weak_password_and_stays_usable(db):
    user = UserFactory()
    now = utcnow()
    token = users.issue_reset_link(user, actor=audit.Actor.system(), now=now, valid_for=timedelta(hours=1))
    reset = users.get_reset_token(token, now=now)
    with pytest.raises(users.WeakPassword):
        users.use_reset_token(reset, password="kort", now=now, ip=None)
    assert users.get_reset_token(token, now=now) is not None


# Login throttling -------------------------------------------------------------------------------


def test_throttle_per_account_counts_unknown_accounts_the_same(db):
    now = utcnow()
    for email, ip in (("jan@example.org", "10.0.0.1"), ("niemand@example.org", "10.0.0.2")):
        UserFactory(email="jan@example.org") if email == "jan@example.org" else None
        for _ in range(LIMITS.per_account):
            assert not login.is_login_throttled(email, ip, now=now, limits=LIMITS)
            login.record_login_failure(email, ip, now=now, limits=LIMITS)
        assert login.is_login_throttled(email.upper(), ip, now=now, limits=LIMITS)
        # Counted per account *and* address: from elsewhere the account is not locked (issue 13.6).
        assert not login.is_login_throttled(email, "10.9.9.9", now=now, limits=LIMITS)
    # The typed address itself is not stored.
    keys = db.session.scalars(sa.select(LoginFailure.account_key)).all()
    assert all("@" not in key for key in keys)


def test_throttle_per_address_and_window(db):
    now = utcnow()
    for i in range(LIMITS.per_address):
        login.record_login_failure(f"persoon{i}@example.org", "192.0.2.7", now=now, limits=LIMITS)
    assert login.is_login_throttled("nieuw@example.org", "192.0.2.7", now=now, limits=LIMITS)
    assert not login.is_login_throttled("nieuw@example.org", "192.0.2.8", now=now, limits=LIMITS)
    later = now + LIMITS.window + timedelta(seconds=1)
    assert not login.is_login_throttled("nieuw@example.org", "192.0.2.7", now=later, limits=LIMITS)
    # Recording a later failure drops the ones that no longer count.
    login.record_login_failure("nieuw@example.org", "192.0.2.7", now=later, limits=LIMITS)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 1


def test_complete_login_clears_the_account_counter_and_writes_audit(db):
    user = UserFactory(email="jan@example.org")
    now = utcnow()
    for _ in range(LIMITS.per_account - 1):
        login.record_login_failure("jan@example.org", "10.0.0.1", now=now, limits=LIMITS)
    login.complete_login(user, now=now, actor=audit.Actor.of(user, ip="10.0.0.1"))
    assert user.last_login_at == now
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0
    assert _trail(db) == [("login", user.id, user.id, "10.0.0.1")]


def test_a_login_with_a_recovery_code_is_written_as_such_before_the_login(db):
    user = UserFactory(with_two_factor=True)
    login.complete_login(user, now=utcnow(), actor=audit.Actor.of(user, ip="10.0.0.1"), factor="recovery_code")
    assert _trail(db) == [
        ("login.recovery_code", user.id, user.id, "10.0.0.1"),
        ("login", user.id, user.id, "10.0.0.1"),
    ]


def test_logout_is_written(db):
    user = UserFactory()
    login.note_logout(user, actor=audit.Actor.of(user, ip="10.0.0.2"))
    assert _trail(db) == [("logout", user.id, user.id, "10.0.0.2")]


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
                                     now=now, actor=audit.Actor.of(user))
    assert _trail(db) == []
    codes = two_factor.confirm_enrolment(user, pyotp.TOTP(secret).at(now), now=now, actor=audit.Actor.of(user))
    assert _trail(db) == [("user.2fa_enabled", user.id, user.id, None)]
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
    two_factor.renew_recovery_codes(user, actor=audit.Actor.of(user))
    assert two_factor.verify_second_factor(user, codes[1], now=now) is None
    assert _trail(db) == [("user.2fa_new_recovery_codes", user.id, user.id, None)]


def test_must_enrol_covers_every_account_when_required(db):
    coordinator = UserFactory(coordinator=True)
    landlord_user = UserFactory(landlord_staff=True)
    volunteer = UserFactory()
    enrolled = UserFactory(coordinator=True, with_two_factor=True)
    assert two_factor.must_enrol(coordinator, required=True)
    assert two_factor.must_enrol(landlord_user, required=True)
    assert two_factor.must_enrol(volunteer, required=True)  # they read national numbers and scans too
    assert not two_factor.must_enrol(enrolled, required=True)
    assert not two_factor.must_enrol(coordinator, required=False)


def test_disable_two_factor_removes_secret_and_codes(db):
    user = UserFactory(with_two_factor=True)
    two_factor.generate_recovery_codes(user)
    two_factor.disable_two_factor(user, actor=audit.Actor.of(user))
    assert not user.has_two_factor and user.totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert _trail(db) == [("user.2fa_disabled", user.id, user.id, None)]


def test_a_coordinator_resets_someone_elses_two_factor(db):
    coordinator = UserFactory(coordinator=True)
    user = UserFactory(with_two_factor=True)
    two_factor.reset_two_factor(user, actor=audit.Actor.of(coordinator))
    assert not user.has_two_factor
    assert _trail(db) == [("user.2fa_reset", coordinator.id, user.id, None)]


# Audit ------------------------------------------------------------------------------------------


def test_record_audit_writes_what_audit_writes_for_a_user_and_an_address(db):
    user = UserFactory()
    audit.record_audit(actor=user, action="x.done", object_type="thing", object_id=3, detail={"n": 1}, ip="10.0.0.4")
    audit.audit(audit.Actor.of(user, ip="10.0.0.4"), "x.done", object_type="thing", object_id=3, detail={"n": 1})
    audit.record_audit(actor=None, action="x.swept", actor_label="cli")
    columns = (AuditEvent.user_id, AuditEvent.actor, AuditEvent.action, AuditEvent.object_type,
               AuditEvent.object_id, AuditEvent.detail, AuditEvent.ip)
    first, second, system = db.session.execute(sa.select(*columns).order_by(AuditEvent.id)).all()
    assert first == second == (user.id, user.email, "x.done", "thing", 3, {"n": 1}, "10.0.0.4")
    assert system == (None, "cli", "x.swept", None, None, {}, None)


def test_purge_audit_removes_only_events_past_retention(db, app):
    now = utcnow()
    AuditEventFactory(action="old", occurred_at=now - timedelta(days=31))
    AuditEventFactory(action="recent", occurred_at=now - timedelta(days=29))
    assert audit.purge_audit(now, retention_days=30) == 1
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert actions == {"recent", "audit.purge"}
    purge = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audit.purge"))
    assert purge.detail["removed"] == 1
    # Defaults to the AUDIT_RETENTION_DAYS setting.
    app.config["AUDIT_RETENTION_DAYS"] = 1
    assert audit.purge_audit(now + timedelta(days=2)) == 2
    assert audit.purge_audit(now + timedelta(days=2)) == 0


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
