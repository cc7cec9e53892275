"""Hostile input against the booking form, the intake steps and the upload.

What must hold for every input: the app never answers 500; a refused form stores nothing and
keeps what was typed; a stored string comes back escaped on every page that shows it; uploads
never escape the store or keep a dangerous name; a request over MAX_CONTENT_LENGTH gets 413.
"""

from __future__ import annotations

import io
import itertools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from inschrijving.booking.forms import BookingForm, ClientBookingForm
from inschrijving.booking.models import Booking
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import Dossier
from inschrijving.extensions import db as _db
from inschrijving.landlords.models import Municipality
from inschrijving.rendering import storage
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory, PersonFactory
from tests.factories.files import minimal_pdf
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory, staffing_every_moment

SQL_INJECTION = [
    "' OR '1'='1",
    "Robert'); DROP TABLE bookings;--",
    "1; SELECT pg_sleep(0) --",
    '" OR ""="',
    "admin'/*",
    "' UNION SELECT token_hash FROM bookings --",
]
HTML_INJECTION = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% raw %}",
    "</textarea><script>alert(2)</script>",
]
ODD_TEXT = [
    "Fatima \u202eevil\u202c",  # right-to-left override
    "\u0641\u0627\u0637\u0645\u0629 Ali \u05e9\u05dc\u05d5\u05dd",  # Arabic, Latin and Hebrew mixed
    "A\u0301\u0301\u0301 Zalgo\u0336",  # combining marks
    "tab\there\r\nnewline",
    "nul\x00byte",
    "bell\x07 and \x1b[31mescape",
    "\U0001f3e0 emoji \u200d zero-width",
]
HOSTILE = SQL_INJECTION + HTML_INJECTION + ODD_TEXT
# Sequences only a hostile string brings: the pages' own markup has </textarea>, never these.
DANGEROUS = ["<script>alert", "<img src=x", "<svg/onload", "</textarea><script"]

BOOKING_FORM = {
    "contact_name": "Fatima El Amrani",
    "phone": "0470 12 34 56",
    "email": "fatima@example.org",
    "language": "ar",
    "household_size": "3",
    "booked_by": "self",
}
BOOKING_TEXT_FIELDS = [
    "contact_name", "phone", "email", "interpreter_language", "assistance_note",
    "social_worker_name", "social_worker_organisation", "social_worker_phone",
]
_numbers = itertools.count(1)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _assert_no_raw_markup(body: str, value: str) -> None:
    """A hostile string may appear only escaped: its markup never reaches the page as markup."""
    for marker in DANGEROUS:
        if marker in value:
            assert marker not in body, f"unescaped {marker!r} in the page"


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def slot(db):
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slot = SlotFactory(moment=moment, capacity=1000)
    db.session.commit()
    return slot


def _unique_contact() -> dict:
    n = next(_numbers)
    return {"phone": f"0470 {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d}",
            "email": f"kandidaat{n}@example.org"}


def _booking_data(field: str, value: str) -> dict:
    data = {**BOOKING_FORM, **_unique_contact(), field: value}
    if field == "interpreter_language":
        data["needs_interpreter"] = "y"
    if field.startswith("social_worker"):
        defaults = {"booked_by": "social_worker", "social_worker_name": "Mevr. Hulp",
                    "social_worker_organisation": "OCMW", "social_worker_phone": "056 12 34 56",
                    "social_worker_email": "hulp@ocmw.example.org"}
        data = {**data, **defaults, field: value}
    return data


# Form and service layer, property-based -----------------------------------------------------------

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=3000),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(BOOKING_TEXT_FIELDS), value=hostile_text,
       size=st.one_of(st.integers(), st.text(max_size=30)))
def test_booking_form_and_service_take_anything_without_crashing(app, slot, field, value, size):
    from werkzeug.datastructures import MultiDict

    from inschrijving.booking.services import base, lifecycle

    # NUL never gets this far: the request layer refuses it (see the HTTP tests below).
    assume("\x00" not in value + str(size))
    data = {**_booking_data(field, value), "household_size": str(size)}
    before = _count(Booking)
    with app.test_request_context("/", method="POST", data=MultiDict(data)):
        # The booker's own fields belong to the form for booking on behalf of a client.
        form = ClientBookingForm() if field.startswith("social_worker") else BookingForm()
        if form.validate():
            details = form.details()
            assert len(details.contact_name) <= 120
            try:
                lifecycle.book_slot(slot.id, details=details, now=slot.moment.booking_opens_at, notify=False)
            except base.BookingError:
                pass
            _db.session.rollback()
    assert _count(Booking) == before


# The booking form over HTTP ------------------------------------------------------------------------


@pytest.fixture
def coordinator(db):
    user = UserFactory(coordinator=True)
    db.session.commit()
    return user


INJECTIONS = SQL_INJECTION + HTML_INJECTION + ODD_TEXT


@pytest.mark.parametrize("field", BOOKING_TEXT_FIELDS)
def test_booking_form_injection_in_every_field(client, auth, slot, coordinator, field):
    # Logged in as a coordinator throughout: the public form works the same, and the day list
    # (where staff see every stored field) can be checked after each booking.
    auth.login(coordinator)
    for value in INJECTIONS:
        _check_booking_injection(client, slot, field, value)


def _check_booking_injection(client, slot, field: str, value: str) -> None:
    before = _count(Booking)
    url = f"/inschrijven/{slot.moment_id}/{slot.id}"
    if field.startswith("social_worker"):
        url += "/voor-iemand-anders"
    response = client.post(url, data=_booking_data(field, value))
    status = response.status_code
    assert status in (200, 302, 409) or ("\x00" in value and status == 400), (value, status)
    body = _text(response)
    _assert_no_raw_markup(body, value)
    if status != 302:
        # Refused: nothing stored, and the typed value is still in the form (escaped).
        assert _count(Booking) == before, value
        if status != 400 and field != "assistance_note":
            assert str(escape(value.strip())) in body, value
        return
    booking = _db.session.scalars(sa.select(Booking).order_by(Booking.id.desc())).first()
    if field not in ("phone", "email", "social_worker_phone"):
        assert getattr(booking, field) == value.strip(), value
    confirmation = client.get(response.headers["Location"])
    day_list = client.get(f"/planning/{slot.moment_id}/dag")
    for page in (confirmation, day_list):
        assert page.status_code == 200, value
        _assert_no_raw_markup(_text(page), value)
    if field in ("contact_name", "social_worker_name", "social_worker_organisation", "interpreter_language"):
        assert str(escape(value.strip())) in _text(day_list), value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text, note=st.one_of(st.none(), hostile_text))
def test_booking_over_http_never_fails(client, slot, name, note):
    data = {**BOOKING_FORM, **_unique_contact(), "contact_name": name}
    if note is not None:
        data["assistance_note"] = note
    before = _count(Booking)
    response = client.post(f"/inschrijven/{slot.moment_id}/{slot.id}", data=data)
    # 400: a NUL character, refused for the whole request (PostgreSQL text cannot hold it).
    assert response.status_code in (200, 302) or ("\x00" in data["contact_name"] + (note or "")
                                                  and response.status_code == 400), response.status_code
    _assert_no_raw_markup(_text(response), name + (note or ""))
    assert _count(Booking) == before + (1 if response.status_code == 302 else 0)


# The intake steps over HTTP ------------------------------------------------------------------------


@pytest.fixture
def volunteer_client(db, client, auth):
    user = UserFactory()
    db.session.commit()
    auth.login(user)
    with staffing_every_moment(user):
        yield client


@pytest.fixture
def dossier(db):
    dossier = DossierFactory()
    PersonFactory(dossier=dossier, first_name="An", last_name="Peeters")
    LandlordFactory(municipalities=[MunicipalityFactory()])
    db.session.commit()
    return dossier


def _intake_data(dossier, step: str, value: str) -> dict:
    person = dossier.persons[0]
    base = {"version": dossier.version}
    return base | {
        "household": {
            "persons-0-role": "reference_tenant", "persons-0-first_name": value, "persons-0-last_name": value,
            "persons-0-is_domiciled": "y", "contact_phone": "0470 12 34 56", "contact_email": "an@example.org",
            "language": "nl",
        },
        "household-contact": {
            "persons-0-role": "reference_tenant", "persons-0-first_name": "An", "persons-0-last_name": "Peeters",
            "persons-0-is_domiciled": "y", "contact_phone": value, "contact_email": value, "language": "nl",
        },
        "identity": {
            "rows-0-person_id": str(person.id), "rows-0-id_kind": "foreign_id", "rows-0-foreign_id": value,
            "rows-0-birth_year": "1985", "rows-0-register_type": "foreigners",
        },
        "property": {"has_property": "yes", "items-0-right_type": "full_ownership", "items-0-country": "BE",
                     "items-0-note": value, "items-0-person_id": ""},
        "addresses": {"rows-0-municipality_name": value, "rows-0-from_on": "2015-01-01"},
        "preferences": {"remarks": value, "municipalities": [str(_db.session.scalar(sa.select(Municipality.id)))]},
        "cir": {"cir_registered": "yes", "cir_registered_on": "2024-01-01", "cir_reference": value},
    }[step]


INTAKE_STEPS = ["household", "household-contact", "identity", "property", "addresses", "preferences", "cir"]


@pytest.mark.parametrize("step", [s for s in INTAKE_STEPS if s != "household-contact"])
def test_free_text_with_markup_is_stored_by_every_step(volunteer_client, dossier, step):
    """The payloads below really reach the database: a plain string with markup saves."""
    url = f"/dossiers/{dossier.id}/stap/{step}"
    assert volunteer_client.post(url, data=_intake_data(dossier, step, "<b>x</b> O'Neil")).status_code == 302


# The receipt prints the reference tenant's name and the CIR reference (templates/pdf/receipt.html), and no
# other field of these steps: it is built for every value of the steps it prints, once for the others.
RECEIPT_PRINTS = {"household", "cir"}


@pytest.mark.parametrize("step", INTAKE_STEPS)
def test_intake_steps_take_injection_strings(volunteer_client, dossier, step):
    for value in INJECTIONS:
        _db.session.expire_all()
        _check_intake_injection(volunteer_client, _db.session.get(Dossier, dossier.id), step, value)
    # Whatever the loop left stored: the receipt still builds.
    assert volunteer_client.get(f"/dossiers/{dossier.id}/bewijs.pdf").status_code == 200


def _check_intake_injection(client, dossier, step: str, value: str) -> None:
    url = f"/dossiers/{dossier.id}/stap/{step.split('-')[0]}"
    changes_before, version_before = _count(DossierChange), dossier.version
    response = client.post(url, data=_intake_data(dossier, step, value))
    status = response.status_code
    assert status in (200, 302, 409, 422) or ("\x00" in value and status == 400), (value, status)
    _assert_no_raw_markup(_text(response), value)
    _db.session.expire_all()
    saved = _db.session.get(Dossier, dossier.id)
    if status != 302:
        assert saved.version == version_before and _count(DossierChange) == changes_before, value
        return
    pages = [f"/dossiers/{dossier.id}", url]
    if step in RECEIPT_PRINTS:
        pages.append(f"/dossiers/{dossier.id}/bewijs.pdf")
    for page in pages:
        shown = client.get(page)
        assert shown.status_code == 200, (value, page)
        if shown.mimetype == "text/html":
            _assert_no_raw_markup(_text(shown), value)


# Uploads ------------------------------------------------------------------------------------------

PDF = minimal_pdf()
TRAVERSAL_NAMES = [
    "../../../../etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "/etc/shadow.pdf",
    "scan\x00.php.pdf",
    '"; filename="evil.html',
    "<script>alert(1)</script>.pdf",
    "\u202egpj.exe.pdf",
    "\u0628\u0637\u0627\u0642\u0629 \u0647\u0648\u064a\u0629.pdf",
    "." * 300 + ".pdf",
]
POLYGLOTS = {
    "gif-html": b"GIF89a/*<html><script>alert(1)</script>*/=1;",
    "jpeg-header-then-html": b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
    "pdf-header-no-end": b"%PDF-1.4\n<html><script>alert(1)</script>",
    "html": b"<!doctype html><script>alert(1)</script>",
    "zip": b"PK\x03\x04" + b"\x00" * 60,
    "pdf-with-html-inside": b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
}


def _upload(client, dossier, name: str, data: bytes):
    return client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": "", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_upload_names_never_reach_the_disk_or_the_header(app, volunteer_client, dossier, name):
    response = _upload(volunteer_client, dossier, name, PDF)
    assert response.status_code in (200, 302)
    document = _db.session.scalar(sa.select(Document))
    if document is None:
        return
    assert "/" not in document.original_filename and "\\" not in document.original_filename
    assert ".." not in document.original_filename and "\x00" not in document.original_filename
    assert document.original_filename.endswith(".pdf")
    # The file lives under its random key, inside the upload folder, whatever it was called.
    assert storage.stored_keys() == [document.storage_key]
    listing = volunteer_client.get(f"/dossiers/{dossier.id}/documenten")
    _assert_no_raw_markup(_text(listing), name)
    download = volunteer_client.get(f"/dossiers/{dossier.id}/documenten/{document.id}")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.count('"') == 2
    # A real server sends headers as Latin-1; anything else would be a 500 there.
    disposition.encode("latin-1")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("kind", list(POLYGLOTS))
def test_polyglot_files_are_refused_or_served_as_what_they_are(volunteer_client, dossier, kind):
    response = _upload(volunteer_client, dossier, "scan.pdf", POLYGLOTS[kind])
    assert response.status_code in (200, 302)
    document = _db.session.scalar(sa.select(Document))
    if response.status_code == 200:
        assert document is None and storage.stored_keys() == []
        return
    assert document.content_type in ("application/pdf", "image/jpeg", "image/png", "image/gif", "image/tiff")
    download = volunteer_client.get(f"/dossiers/{dossier.id}/documenten/{document.id}")
    assert download.headers["Content-Type"] == document.content_type
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


# Size limits --------------------------------------------------------------------------------------


def test_oversized_requests_answer_413_and_store_nothing(app, client, volunteer_client, slot, dossier):
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(f"/inschrijven/{slot.moment_id}/{slot.id}",
                           data={**BOOKING_FORM, "assistance_note": "x" * too_big})
    assert response.status_code == 413
    assert _count(Booking) == 0
    # The multipart body is built by hand: the test client would spool a large file to a temporary
    # file of its own and leave it to the garbage collector.
    boundary = "hostile-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nidentity\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF + b"0" * too_big + f"\r\n--{boundary}--\r\n".encode()
    response = volunteer_client.post(f"/dossiers/{dossier.id}/documenten", data=body,
                                     content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert _count(Document) == 0 and storage.stored_keys() == []


def test_huge_numbers_are_refused_not_crashed(client, slot):
    for size in ("9" * 400, "-1", "1e309", "NaN", "0x10", "\u0663"):
        response = client.post(f"/inschrijven/{slot.moment_id}/{slot.id}",
                               data={**BOOKING_FORM, **_unique_contact(), "household_size": size})
        assert response.status_code in (200, 302), size
    assert _count(Booking) <= 1  # only the Arabic-Indic digit three may pass as 3
