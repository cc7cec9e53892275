"""Coordinator list pages at ten years of data: latency ratio against the demo's size.

Seeds its own database twice: first at about the demo's size (6 moments, 1,080 dossiers, 14,500 audit events),
then grown to ten years of bimonthly moments (60 moments, 10,800 dossiers, 145,000 audit events, as measured in
issue 19), with rows inserted in bulk. At each size it opens every coordinator list page through the app (a
logged-in test client, no network) several times and keeps the best time (other load on a shared machine only
ever adds); it prints the time at both sizes and
the ratio, and the number of SQL statements (which must not grow). Target: every ratio within 2x.

    .venv/bin/python bench/coordinator_lists.py                       # SQLite file in a temporary folder
    .venv/bin/python bench/coordinator_lists.py --url postgresql+psycopg://postgres@127.0.0.1:5432/coord_bench

The PostgreSQL database is created when missing and its tables are dropped and rebuilt: give it one of its own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

MOMENTS_PER_YEAR = 6
DOSSIERS_PER_MOMENT = 180
AUDIT_PER_MOMENT = 145_000 // 60
SLOTS_PER_MOMENT = 12
PASSWORD = "bench-password-123"  # noqa: S105  (a throw-away bench database)
PAGES = [
    ("moments", "/planning/"),
    ("statistics", "/planning/statistiek"),
    ("dossiers", "/dossiers/"),
    ("dossiers, last page", "/dossiers/?pagina=LAST"),
    ("dossiers of a moment", "/dossiers/?moment=FIRST"),
    ("dossiers, search a name", "/dossiers/?q=Bench4"),
    ("audit log", "/beheer/audit"),
    ("audit log, by action", "/beheer/audit?action=dossier.viewed"),
    ("audit log, far back", "/beheer/audit?na=DEEP"),
    ("users", "/beheer/gebruikers/"),
    ("landlords", "/beheer/verhuurders/"),
    ("income limits", "/dossiers/grenzen"),
]


def build_app(url: str):
    from inschrijving import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"})


def fresh_schema(app) -> None:
    from inschrijving.extensions import db

    with app.app_context():
        db.drop_all()
        db.create_all()


class Seeder:
    """Bulk rows for moments, slots, bookings, dossiers (with a reference tenant, preferences, a landlord
    choice), waiting lists and audit events; numbered so a second call continues where the first stopped."""

    def __init__(self) -> None:
        self.moments = 0
        self.ids = {"booking": 0, "dossier": 0, "consent": 0, "audit": 0, "slot": 0, "preferences": 0}

    def setup(self, db) -> None:
        from werkzeug.security import generate_password_hash

        from inschrijving.accounts.models import Role, User
        from inschrijving.dossiers.models.means import IncomeLimit
        from inschrijving.landlords.models import Landlord, LandlordKind, Municipality

        db.session.execute(sa.insert(Municipality), [
            {"id": i, "nis_code": f"3{i:04d}", "name": f"Gemeente {i}", "postcodes": ["8500"]} for i in range(1, 14)
        ])
        db.session.execute(sa.insert(Landlord), [
            {"id": i, "slug": f"verhuurder-{i}", "name": f"Verhuurder {i}", "kind": LandlordKind.SHM}
            for i in range(1, 10)
        ])
        hashed = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        db.session.execute(sa.insert(User), [
            {"id": 1, "email": "coordinator@bench.example", "name": "Bench Coordinator", "role": Role.COORDINATOR,
             "password_hash": hashed},
            *[{"id": i, "email": f"vrijwilliger{i}@bench.example", "name": f"Vrijwilliger {i}",
               "role": Role.VOLUNTEER, "password_hash": hashed} for i in range(2, 30)],
        ])
        db.session.execute(sa.insert(IncomeLimit), [
            {"year": year, "single": 29515, "single_disabled": 31987, "other": 44270, "per_dependant": 2475,
             "source": "bench", "indexation": {}} for year in range(2017, 2028)
        ])
        db.session.commit()

    def add_moments(self, db, count: int) -> None:
        for _ in range(count):
            self._moment(db)
        db.session.commit()

    def _next(self, kind: str, n: int = 1) -> list[int]:
        start = self.ids[kind] + 1
        self.ids[kind] += n
        return list(range(start, start + n))

    def _moment(self, db) -> None:
        from inschrijving.accounts.models import AuditEvent
        from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
        from inschrijving.dossiers.enums import ChoiceStatus, ConsentPurpose, DossierStatus, PersonRole
        from inschrijving.dossiers.models.consent import Consent, LandlordChoice
        from inschrijving.dossiers.models.household import Dossier, Person, Preferences, preference_municipalities
        from inschrijving.planning.models import MomentStatus, OpeningBlock, RegistrationMoment, Slot

        index = self.moments
        self.moments += 1
        moment_id = index + 1
        # The first moments are this season's (up to a month ahead); later ones reach back into ten years of history.
        held_on = date.today() + timedelta(days=30 - 61 * index)
        start = datetime.combine(held_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
        status = MomentStatus.CLOSED if held_on < date.today() else MomentStatus.PUBLISHED
        db.session.execute(sa.insert(RegistrationMoment), [{
            "id": moment_id, "held_on": held_on, "status": status, "location_name": f"Zaal {index % 4}",
            "address": "Benchstraat 1, 8500 Kortrijk", "slot_minutes": 30, "desks": 15, "place_notes": {},
            "booking_opens_at": start - timedelta(days=60), "booking_closes_at": start - timedelta(days=2),
        }])
        db.session.execute(sa.insert(OpeningBlock), [{"moment_id": moment_id, "start_time": clock(9),
                                                      "end_time": clock(15)}])
        slot_ids = self._next("slot", SLOTS_PER_MOMENT)
        per_slot = DOSSIERS_PER_MOMENT // SLOTS_PER_MOMENT
        db.session.execute(sa.insert(Slot), [
            {"id": slot_id, "moment_id": moment_id, "starts_at": start + timedelta(minutes=30 * i),
             "ends_at": start + timedelta(minutes=30 * (i + 1)), "capacity": per_slot, "booked": per_slot}
            for i, slot_id in enumerate(slot_ids)
        ])
        booking_ids = self._next("booking", DOSSIERS_PER_MOMENT)
        statuses = (BookingStatus.CHECKED_IN,) * 8 + (BookingStatus.NO_SHOW,)
        db.session.execute(sa.insert(Booking), [
            {"id": b, "reference": f"B{b:06d}", "token_hash": f"{b:064d}", "moment_id": moment_id,
             "slot_id": slot_ids[i // per_slot], "status": statuses[b % len(statuses)],
             "contact_name": f"Bench{b} Voorbeeld", "phone": f"+32470{b:06d}", "language": ("nl", "fr", "ar")[b % 3],
             "needs_interpreter": b % 7 == 0, "created_at": start - timedelta(days=20)}
            for i, b in enumerate(booking_ids)
        ])
        db.session.execute(sa.insert(WaitlistEntry), [
            {"moment_id": moment_id, "contact_name": f"Wachtend {n}", "email": f"w{moment_id}-{n}@bench.example",
             "created_at": start - timedelta(days=3)} for n in range(10)
        ])
        dossier_ids = self._next("dossier", DOSSIERS_PER_MOMENT)
        db.session.execute(sa.insert(Dossier), [
            {"id": d, "reference": f"D{d:06d}", "booking_id": booking_ids[i], "moment_id": moment_id,
             "status": DossierStatus.COMPLETE if d % 5 else DossierStatus.DRAFT, "created_at": start + timedelta(
                 minutes=i)}
            for i, d in enumerate(dossier_ids)
        ])
        db.session.execute(sa.insert(Person), [
            {"dossier_id": d, "position": 0, "role": PersonRole.REFERENCE_TENANT, "first_name": f"Bench{d}",
             "last_name": "Voorbeeld", "birth_year": 1980} for d in dossier_ids
        ])
        preference_ids = self._next("preferences", DOSSIERS_PER_MOMENT)
        db.session.execute(sa.insert(Preferences), [
            {"id": p, "dossier_id": d, "dwelling_types": ["flat"]}
            for p, d in zip(preference_ids, dossier_ids, strict=True)
        ])
        db.session.execute(sa.insert(preference_municipalities), [
            {"preferences_id": p, "municipality_id": 1 + p % 13} for p in preference_ids
        ])
        consent_ids = self._next("consent", DOSSIERS_PER_MOMENT)
        db.session.execute(sa.insert(Consent), [
            {"id": c, "dossier_id": d, "purpose": ConsentPurpose.SHARE_WITH_LANDLORD, "landlord_id": 1 + d % 9,
             "text_version": "2026-01", "given_at": start}
            for c, d in zip(consent_ids, dossier_ids, strict=True)
        ])
        db.session.execute(sa.insert(LandlordChoice), [
            {"dossier_id": d, "landlord_id": 1 + d % 9, "consent_id": c, "status": ChoiceStatus.NEW}
            for c, d in zip(consent_ids, dossier_ids, strict=True)
        ])
        actions = ("dossier.viewed", "booking.check_in", "dossier.list_viewed", "moment.day_list_view", "login")
        events = []
        for n in range(AUDIT_PER_MOMENT):
            events.append({
                "occurred_at": start + timedelta(seconds=10 * n), "user_id": 2 + n % 28,
                "actor": f"vrijwilliger{2 + n % 28}@bench.example", "action": actions[n % len(actions)],
                "object_type": "dossier", "object_id": dossier_ids[n % len(dossier_ids)], "detail": {},
            })
        db.session.execute(sa.insert(AuditEvent), events)


def measure(app, repeats: int) -> dict[str, tuple[float, int]]:
    """Median seconds and SQL statements per page."""
    from inschrijving.accounts.models import AuditEvent
    from inschrijving.extensions import db

    client = app.test_client()
    response = client.post("/login", data={"email": "coordinator@bench.example", "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    with app.app_context():
        deep = db.session.execute(
            sa.select(AuditEvent.occurred_at, AuditEvent.id).order_by(AuditEvent.occurred_at, AuditEvent.id).offset(100)
        ).first()
        total = db.session.scalar(sa.text("SELECT count(*) FROM dossiers"))
        first_moment = db.session.scalar(sa.text("SELECT min(id) FROM registration_moments"))
        engine = db.engine
    results = {}
    for name, path in PAGES:
        url = (path.replace("LAST", str(max((total + 49) // 50, 1))).replace("FIRST", str(first_moment))
               .replace("DEEP", f"{deep[0].isoformat()}_{deep[1]}"))
        assert client.get(url).status_code == 200, url  # warm up
        statements = []

        def count(*_args, statements=statements):
            statements.append(1)

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            client.get(url)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        # The best of several runs: on a shared machine the others' load only ever adds time.
        results[name] = (min(times), len(statements))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='coordinator-lists-')) / 'bench.sqlite3'}"
    if url.startswith("postgresql"):
        from bench.booking_storm import ensure_database

        ensure_database(url)

    from inschrijving.accounts.models import AuditEvent
    from inschrijving.dossiers.models.household import Dossier
    from inschrijving.extensions import db
    from inschrijving.planning.models import RegistrationMoment

    app = build_app(url)
    fresh_schema(app)
    seeder = Seeder()
    with app.app_context():
        seeder.setup(db)
        seeder.add_moments(db, MOMENTS_PER_YEAR)
        if url.startswith("postgresql"):
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
    small = measure(app, args.repeats)
    with app.app_context():
        seeder.add_moments(db, 60 - MOMENTS_PER_YEAR)
        counts = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                  for table in (RegistrationMoment.__table__, Dossier.__table__, AuditEvent.__table__)}
        if url.startswith("postgresql"):
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
    large = measure(app, args.repeats)
    print(f"database: {sa.engine.make_url(url).get_backend_name()}; ten years = {counts['registration_moments']} "
          f"moments, {counts['dossiers']} dossiers, {counts['audit_events']} audit events; best of {args.repeats}")
    print(f"{'page':28} {'demo ms':>8} {'10y ms':>8} {'ratio':>6} {'queries':>8}")
    worst = 0.0
    for name, _path in PAGES:
        (t_small, q_small), (t_large, q_large) = small[name], large[name]
        ratio = t_large / t_small
        worst = max(worst, ratio)
        print(f"{name:28} {t_small * 1000:8.1f} {t_large * 1000:8.1f} {ratio:6.2f} {q_small:>4}->{q_large:<3}")
    print(f"worst ratio {worst:.2f} (target 2.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
