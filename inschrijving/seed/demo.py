"""The fictitious part of the demo: moments with slots, bookings and dossiers in various states."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from stdnum.be import nn

from inschrijving.accounts.models import User
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, BookedBy, Booking, BookingStatus
from inschrijving.booking.services import tokens
from inschrijving.dossiers.enums import (
    ChoiceStatus,
    ConsentPurpose,
    DependantReason,
    DossierStatus,
    IdKind,
    IncomeSource,
    LanguageLevel,
    PersonRole,
    RegisterType,
)
from inschrijving.dossiers.labels import language_name
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.household import AddressHistoryEntry, Dossier, Person, Preferences
from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeRecord
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality
from inschrijving.planning.models import MomentStatus, OpeningBlock, RegistrationMoment, Slot
from inschrijving.seed import data as seed_data
from inschrijving.seed import day_demo, info_demo, land_demo
from inschrijving.seed.data import BRUSSELS, local_time
from inschrijving.seed.report import SeedReport

CONSENT_TEXT_VERSION = "2026-01"
BLOCKS = ((time(9), time(12)), (time(13), time(16)))
SLOT_MINUTES = 30
DESKS = 4
CHOICE_STATUS_CYCLE = (
    ChoiceStatus.NEW,
    ChoiceStatus.DOWNLOADED,
    ChoiceStatus.REGISTERED,
    ChoiceStatus.REGISTERED,
    ChoiceStatus.INCOMPLETE,
    ChoiceStatus.REFUSED,
)


def new_reference(rng: random.Random, taken: set[str], *, dossier: bool = False) -> str:
    """A fresh reference in the app's own form, unique among `taken`: `XXX-XXX` for a booking, `DXXXXXX`
    for a dossier, from the one read-aloud alphabet (booking.services.tokens.REFERENCE_ALPHABET)."""
    while True:
        raw = "".join(rng.choice(tokens.REFERENCE_ALPHABET) for _ in range(6))
        reference = f"D{raw}" if dossier else f"{raw[:3]}-{raw[3:]}"
        if reference not in taken:
            taken.add(reference)
            return reference


def synthetic_national_number(birth: date, serial: int) -> str:
    """An 11-digit national register number with a valid check number (DOMAIN.md 7)."""
    first_nine = f"{birth:%y%m%d}{serial:03d}"
    base = int(first_nine) + (2_000_000_000 if birth.year >= 2000 else 0)
    number = f"{first_nine}{97 - base % 97:02d}"
    if not nn.is_valid(number):  # the library is the judge, not our arithmetic
        raise ValueError(f"synthetic national number {number} fails the checksum")
    return number


def _tuesday_on_or_after(day: date) -> date:
    return day + timedelta(days=(1 - day.weekday()) % 7)


class DemoSet:
    """The fictitious moments, bookings and dossiers, written in one go."""

    def __init__(self, report: SeedReport, *, now: datetime, base_url: str,
                 municipalities: dict[str, Municipality], landlords: list[Landlord], users: dict[str, User]):
        self.report = report
        self.now = now
        self.base_url = base_url
        self.municipalities = municipalities
        self.landlords = landlords
        self.users = users
        # A fixed seed keeps the demo the same from run to run; secrets stay truly random.
        self.rng = random.Random(8500)  # noqa: S311 - fictitious names, not secrets
        self.references: set[str] = set()
        self.contact_counter = 0
        self.serial_counter = 0
        self.live_per_slot: dict[int, int] = {}

    def build(self) -> None:
        today = self.now.astimezone(BRUSSELS).date()
        first = _tuesday_on_or_after(today + timedelta(days=21))
        second = _tuesday_on_or_after(date(first.year + (first.month + 1) // 12, (first.month + 1) % 12 + 1, 1))
        past = _tuesday_on_or_after(today - timedelta(days=49))
        upcoming = [self._moment(first, MomentStatus.PUBLISHED), self._moment(second, MomentStatus.PUBLISHED)]
        closed = self._moment(past, MomentStatus.CLOSED)
        db.session.flush()

        for moment, count, cancelled in ((upcoming[0], 26, 2), (upcoming[1], 14, 1)):
            for i in range(count):
                self._booking(moment, i, status=BookingStatus.CANCELLED if i < cancelled else BookingStatus.BOOKED)
        checked_in = [
            self._booking(closed, i, status=BookingStatus.NO_SHOW if i < 3 else BookingStatus.CHECKED_IN)
            for i in range(26)
        ][3:]
        for i, booking in enumerate(checked_in):
            self._dossier(closed, i, booking=booking)
        for i in range(len(checked_in), len(checked_in) + 2):
            self._dossier(closed, i, booking=None)  # walk-ins
        land_demo.build_history(self)
        self._recount_slots(upcoming + [closed])
        info_demo.build(self, registration_moment=upcoming[0],
                        reference=lambda: new_reference(self.rng, self.references))
        day_demo.seed(self)  # complete dossiers with their scans, and a moment today (issue 15)

    def _moment(self, day: date, status: MomentStatus) -> RegistrationMoment:
        closes = local_time(day - timedelta(days=2), time(12))
        opens = min(self.now - timedelta(days=20), closes - timedelta(days=30))
        moment = RegistrationMoment(
            held_on=day, status=status, title="Groepsinschrijving sociale huur",
            slot_minutes=SLOT_MINUTES, desks=DESKS, booking_opens_at=opens, booking_closes_at=closes,
            created_at=opens - timedelta(days=3), created_by_id=self.users["coordinator"].id,
            staff=[self.users["volunteer"]], **seed_data.MOMENT_PLACE,
        )
        for start, end in BLOCKS:
            moment.blocks.append(OpeningBlock(start_time=start, end_time=end))
            at = local_time(day, start)
            while at < local_time(day, end):
                moment.slots.append(Slot(starts_at=at, ends_at=at + timedelta(minutes=SLOT_MINUTES),
                                         capacity=DESKS, booked=0))
                at += timedelta(minutes=SLOT_MINUTES)
        db.session.add(moment)
        self.report.moments += 1
        return moment

    def _booking(self, moment: RegistrationMoment, i: int, *, status: BookingStatus) -> Booking:
        rng = self.rng
        self.contact_counter += 1
        n = self.contact_counter
        first, last = rng.choice(seed_data.FIRST_NAMES), rng.choice(seed_data.LAST_NAMES)
        language = seed_data.LANGUAGES[n % len(seed_data.LANGUAGES)]
        slot = moment.slots[(i * 7) % len(moment.slots)]
        token, token_hash = tokens.new_token()
        booked_by = (BookedBy.SOCIAL_WORKER if n % 5 == 0 else BookedBy.VOLUNTEER if n % 9 == 0
                     else BookedBy.SELF)
        worker = seed_data.SOCIAL_WORKERS[n % 2] if booked_by == BookedBy.SOCIAL_WORKER else (None, None)
        interpreter = language in ("ar", "tr") and n % 3 != 0
        created = min(moment.booking_opens_at + timedelta(hours=5 + n * 7), self.now - timedelta(hours=1))
        booking = Booking(
            reference=new_reference(rng, self.references),
            token_hash=token_hash,
            moment=moment, slot=slot, status=status,
            contact_name=f"{first} {last}",
            # Belgium reserves no fictitious range; this run of zeros is obviously made up, and the
            # app only ever e-mails.
            phone=f"+3247000{n:04d}",
            email=f"kandidaat{n:03d}@example.org" if n % 3 else None,
            language=language,
            household_size=rng.randint(1, 5),
            needs_interpreter=interpreter,
            interpreter_language=language_name(language) if interpreter else None,
            assistance_note="Komt met rolstoel; graag een bureau op de benedenverdieping." if n % 11 == 0 else None,
            booked_by=booked_by,
            social_worker_name=worker[0], social_worker_organisation=worker[1],
            social_worker_phone=f"+3256000{n:03d}" if worker[0] else None,
            sequence=1 if status == BookingStatus.CANCELLED else 0,
            created_at=created,
            cancelled_at=created + timedelta(days=1) if status == BookingStatus.CANCELLED else None,
            checked_in_at=slot.starts_at + timedelta(minutes=4) if status == BookingStatus.CHECKED_IN else None,
            reminder_sent_at=moment.booking_closes_at if moment.status == MomentStatus.CLOSED else None,
        )
        db.session.add(booking)
        self.report.bookings += 1
        if status in LIVE_BOOKING_STATUSES:
            self.live_per_slot[id(slot)] = self.live_per_slot.get(id(slot), 0) + 1
        if status == BookingStatus.BOOKED and len(self.report.manage_links) < 2:
            self.report.manage_links.append((booking.reference, f"{self.base_url}/afspraak/{token}"))
        return booking

    def _recount_slots(self, moments: list[RegistrationMoment]) -> None:
        for moment in moments:
            for slot in moment.slots:
                slot.booked = self.live_per_slot.get(id(slot), 0)

    def _person(self, dossier: Dossier, position: int, role: PersonRole, first: str, last: str,
                birth: date, **extra) -> Person:
        self.serial_counter += 1
        serial = 100 + self.serial_counter * 2 + (position % 2)
        person = Person(
            position=position, role=role, first_name=first, last_name=last,
            id_kind=IdKind.NATIONAL_NUMBER, national_number=synthetic_national_number(birth, serial),
            birth_year=birth.year, birth_month=birth.month, birth_day=birth.day,
            register_type=RegisterType.POPULATION, **extra,
        )
        dossier.persons.append(person)
        return person

    def _dossier(self, moment: RegistrationMoment, i: int, *, booking: Booking | None) -> Dossier:
        rng = self.rng
        volunteer = self.users["volunteer"]
        complete = i % 4 != 3  # about three in four finished on the day
        last = booking.contact_name.split(" ", 1)[1] if booking else rng.choice(seed_data.LAST_NAMES)
        first = booking.contact_name.split(" ", 1)[0] if booking else rng.choice(seed_data.FIRST_NAMES)
        started = booking.checked_in_at if booking else local_time(moment.held_on, time(10, 15))
        dossier = Dossier(
            reference=new_reference(rng, self.references, dossier=True), booking=booking, moment=moment,
            status=DossierStatus.COMPLETE if complete else DossierStatus.DRAFT,
            language=booking.language if booking else "nl",
            contact_phone=booking.phone if booking else f"+3247099{i:04d}",
            contact_email=booking.email if booking else None,
            has_property=False if complete else None,
            cir_registered=True if complete else None,
            cir_registered_on=moment.held_on if complete else None,
            cir_reference=f"DEMO-CIR-{i + 1:05d}" if complete else None,
            created_at=started, created_by_id=volunteer.id,
            updated_at=started + timedelta(minutes=25), updated_by_id=volunteer.id,
            completed_at=started + timedelta(minutes=25) if complete else None,
            completed_by=volunteer if complete else None,
        )
        db.session.add(dossier)

        shape = i % 5  # 0 single, 1 couple, 2 single parent, 3 couple with children, 4 single senior
        adult_birth = date(1962 + (i * 3) % 38, 1 + i % 12, 1 + (i * 7) % 28)
        if shape == 4:
            adult_birth = date(1951 + i % 10, 1 + i % 12, 1 + (i * 5) % 28)
        disabled = i % 6 == 0
        tenant = self._person(
            dossier, 0, PersonRole.REFERENCE_TENANT, first, last, adult_birth,
            has_recognised_disability=disabled,
            language_level=[LanguageLevel.B1_PLUS, LanguageLevel.A2, LanguageLevel.A1, LanguageLevel.UNKNOWN][i % 4],
        )
        adults = [tenant]
        if i == 7:
            # A recognised refugee without a national number yet: the number is not required to register.
            tenant.id_kind, tenant.national_number = IdKind.FOREIGN_ID, None
            tenant.foreign_id, tenant.register_type = "DEMO-VLUCHTELINGENATTEST-0007", RegisterType.REFUGEE_ATTEST
        elif i % 3 == 1:
            tenant.register_type = RegisterType.FOREIGNERS
        if shape in (1, 3):
            partner_birth = date(adult_birth.year + 2 if adult_birth.year < 1997 else 1995, 1 + (i * 5) % 12, 3)
            adults.append(self._person(dossier, 1, PersonRole.PARTNER, rng.choice(seed_data.FIRST_NAMES),
                                       last, partner_birth))
        if shape in (2, 3):
            for k in range(1 + i % 3):
                child_birth = date(2009 + (i + k * 4) % 15, 1 + (i + k) % 12, 1 + (i * 3 + k) % 28)
                self._person(dossier, len(dossier.persons), PersonRole.CHILD, seed_data.CHILD_NAMES[(i + k) % 8],
                             last, child_birth, is_dependant=True, dependant_reason=DependantReason.MINOR_DOMICILED)

        for adult in adults:
            on_leefloon = i % 7 == 2 and adult is tenant
            dossier.incomes.append(IncomeRecord(
                person=adult, income_year=2024, source=IncomeSource.ASSESSMENT,
                taxable_total=None if on_leefloon else Decimal(14000 + (i * 1237) % 17000),
                leefloon=Decimal("16123.20") if on_leefloon else None,
            ))
        if complete:
            dossier.assets = AssetsDeclaration(total_balances=Decimal(150 + (i * 731) % 9000),
                                               declared_on=moment.held_on)
        home = ["34022", "34041", "34013", "34027", "34023"][i % 5]
        dossier.addresses.append(AddressHistoryEntry(
            municipality_name=self.municipalities[home].name, from_on=date(2012 + i % 10, 3, 1)))

        chosen, towns, parts = land_demo.choices_for(self.landlords, moment.held_on, i)
        dossier.preferences = Preferences(
            dwelling_types=[["flat"], ["house", "flat"], ["studio", "flat"], ["house"], ["senior"]][shape],
            bedrooms_min=1 if shape in (0, 4) else 2,
            bedrooms_max=1 if shape in (0, 4) else 3,
            max_rent=Decimal(450 + (i % 4) * 75),
            needs_ground_floor=disabled or shape == 4, needs_lift=shape == 4, needs_wheelchair=disabled and i % 2 == 0,
            remarks="Liefst dicht bij een bushalte." if i % 4 == 1 else None,
            municipalities=towns, sub_municipalities=parts,
        )
        given = started + timedelta(minutes=10)
        dossier.consents.append(Consent(purpose=ConsentPurpose.KEEP_DOSSIER, text_version=CONSENT_TEXT_VERSION,
                                        given_at=given, recorded_by_id=volunteer.id))
        if disabled:
            dossier.consents.append(Consent(purpose=ConsentPurpose.HEALTH_DATA, text_version=CONSENT_TEXT_VERSION,
                                            given_at=given, recorded_by_id=volunteer.id))
        for k, landlord in enumerate(chosen):
            consent = Consent(purpose=ConsentPurpose.SHARE_WITH_LANDLORD, landlord=landlord,
                              text_version=CONSENT_TEXT_VERSION, given_at=given, recorded_by_id=volunteer.id)
            dossier.consents.append(consent)
            if complete:
                self._choice(dossier, landlord, consent, CHOICE_STATUS_CYCLE[(i + k) % len(CHOICE_STATUS_CYCLE)],
                             i=i, after=started + timedelta(days=1))
        self.report.dossiers += 1
        return dossier

    def _choice(self, dossier: Dossier, landlord: Landlord, consent: Consent, status: ChoiceStatus, *,
                i: int, after: datetime) -> None:
        staff = self.users[f"landlord {landlord.slug}"]
        acted = status != ChoiceStatus.NEW
        dossier.landlord_choices.append(LandlordChoice(
            landlord=landlord, consent=consent, status=status,
            landlord_reference=f"{landlord.slug[:3].upper()}-{2026000 + i}" if status == ChoiceStatus.REGISTERED
            else None,
            registered_on=after.date() + timedelta(days=2) if status == ChoiceStatus.REGISTERED else None,
            status_note={
                ChoiceStatus.INCOMPLETE: "Aanslagbiljet van de partner ontbreekt.",
                ChoiceStatus.REFUSED: "Geen woningen in de gekozen gemeenten voor deze gezinsgrootte.",
            }.get(status),
            status_set_at=after + timedelta(days=2) if acted else None,
            status_set_by_id=staff.id if acted else None,
            first_downloaded_at=after if acted else None,
            last_downloaded_at=after if acted else None,
            created_at=dossier.completed_at,
        ))
