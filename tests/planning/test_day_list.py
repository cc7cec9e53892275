"""The day list of issue 15: counts, search and filters (without script too), one next step per row,
confirmation of what cannot be undone, a warning for check-in on another day, print view and PDF, and a
constant number of queries at 250 bookings."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import BookingStatus
from inschrijving.extensions import db as _db
from tests.factories.dossiers import DossierFactory
from tests.query_count import count_queries


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _rows(html: str) -> set[str]:
    return {name for name in ("Amal Haddad", "Bert Claes", "Chloé Dumont", "Dirk Wouters") if name in html}


def _sample(moment, book):
    first, second = moment.slots[0], moment.slots[1]
    amal = book(first, name="Amal Haddad", phone="+32470112233", household_size=4, language="ar",
                needs_interpreter=True, interpreter_language="Arabisch", assistance_note="komt met rolstoel")
    bert = book(first, name="Bert Claes", status=BookingStatus.CHECKED_IN)
    chloe = book(second, name="Chloé Dumont", status=BookingStatus.NO_SHOW)
    dirk = book(second, name="Dirk Wouters", status=BookingStatus.CHECKED_IN)
    DossierFactory(moment=moment, booking=dirk)
    _db.session.commit()
    return amal, bert, chloe, dirk


def test_counts_help_needed_interpreter_and_phone_are_on_the_list(client, auth, volunteer, moment, book):
    _sample(moment, book)
    auth.login(volunteer)
    html = _html(client, f"/planning/{moment.id}/dag")
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert counts == {"Geboekt": "4", "Aanwezig": "2", "Nog verwacht": "1", "Niet gekomen": "1",
                      "Dossiers gestart": "1", "Dossiers volledig": "0"}
    assert "komt met rolstoel" in html and "Tolk: Arabisch" in html and "+32 470 11 22 33" in html
    # The walk-in form comes before the list, within reach.
    assert html.index('id="walk-in"') < html.index("Amal Haddad")


def test_search_by_name_phone_or_reference_and_filters_work_without_script(client, auth, volunteer, moment, book):
    amal, bert, chloe, dirk = _sample(moment, book)
    auth.login(volunteer)
    base = f"/planning/{moment.id}/dag"
    assert _rows(_html(client, f"{base}?q=haddad")) == {"Amal Haddad"}
    assert _rows(_html(client, f"{base}?q=0470+11+22")) == {"Amal Haddad"}
    assert _rows(_html(client, f"{base}?q={bert.reference}")) == {"Bert Claes"}
    assert _rows(_html(client, f"{base}?status=no_show")) == {"Chloé Dumont"}
    assert _rows(_html(client, f"{base}?status=checked_in")) == {"Bert Claes", "Dirk Wouters"}
    assert _rows(_html(client, f"{base}?status=dossier_open")) == {"Dirk Wouters"}
    assert _rows(_html(client, f"{base}?slot={moment.slots[1].id}")) == {"Chloé Dumont", "Dirk Wouters"}
    html = _html(client, f"{base}?q=haddad&status=nonsense")
    assert "1 van 4 afspraken getoond" in html
    # The counts stay the day's, whatever the filter.
    assert "<dt>Geboekt</dt><dd>4</dd>" in html
    # Each row carries what the script filters on as you type.
    assert 'data-search="amal haddad' in html and re.search(r"js/day-list(\.[0-9a-f]+)?\.js", html)


def test_one_next_step_per_row(client, auth, volunteer, moment, book):
    amal, bert, chloe, dirk = _sample(moment, book)
    auth.login(volunteer)
    html = _html(client, f"/planning/{moment.id}/dag")

    def row(booking):
        start = html.index(f'id="booking-{booking.id}"')
        return html[start:html.index("</tr>", start)]

    assert "Aanmelden" in row(amal) and "Dossier starten" not in row(amal)
    assert "Dossier starten" in row(bert) and f'action="/dossiers/start/{bert.id}"' in row(bert)
    assert "Toch gekomen" in row(chloe)
    assert "Dossier verderzetten" in row(dirk)


def test_no_show_and_new_link_ask_first(client, auth, volunteer, moment, book):
    # On the moment's own day: on another day the no-show question also shows both dates (test_info_moment_pages).
    moment.held_on = datetime.now(ZoneInfo("Europe/Brussels")).date()
    booking = book(moment.slots[0], name="Amal Haddad")
    _db.session.commit()
    auth.login(volunteer)
    base = f"/planning/{moment.id}/dag/{booking.id}"
    for step, question in (("niet-gekomen", "Niet gekomen?"), ("nieuwe-link", "Nieuwe link maken?")):
        page = client.post(f"{base}/{step}")
        assert page.status_code == 200 and question in page.get_data(as_text=True)
        assert 'name="confirmed" value="1"' in page.get_data(as_text=True)
        assert booking.status == BookingStatus.BOOKED
    assert client.post(f"{base}/niet-gekomen", data={"confirmed": "1"}).status_code == 302
    assert booking.status == BookingStatus.NO_SHOW


def test_check_in_on_another_day_warns_and_needs_a_second_click(client, auth, volunteer, moment, book):
    booking = book(moment.slots[0])
    _db.session.commit()
    auth.login(volunteer)
    url = f"/planning/{moment.id}/dag/{booking.id}/aanwezig"
    page = client.post(url)
    assert page.status_code == 200 and "Aanmelden op een andere dag?" in page.get_data(as_text=True)
    assert booking.status == BookingStatus.BOOKED
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    assert booking.status == BookingStatus.CHECKED_IN


def test_check_in_on_the_moments_day_is_one_click(client, auth, volunteer, moment, book):
    moment.held_on = datetime.now(ZoneInfo("Europe/Brussels")).date()
    booking = book(moment.slots[0])
    _db.session.commit()
    auth.login(volunteer)
    assert client.post(f"/planning/{moment.id}/dag/{booking.id}/aanwezig").status_code == 302
    assert booking.status == BookingStatus.CHECKED_IN


def test_print_view_and_pdf_list_everyone_without_buttons_and_are_audited(client, auth, volunteer, moment, book):
    _sample(moment, book)
    auth.login(volunteer)
    html = _html(client, f"/planning/{moment.id}/dag/afdrukken")
    assert _rows(html) == {"Amal Haddad", "Bert Claes", "Chloé Dumont", "Dirk Wouters"}
    assert "/aanwezig" not in html and "komt met rolstoel" in html
    response = client.get(f"/planning/{moment.id}/daglijst.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    printed = _db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "moment.day_list_print"))
    assert len(list(printed)) == 2
    assert f"/planning/{moment.id}/dag/afdrukken" in _html(client, f"/planning/{moment.id}/dag")


def test_day_list_sends_the_same_number_of_queries_for_1_and_250_bookings(client, auth, coordinator, moment, book):
    for slot in moment.slots:
        slot.capacity = 70
    book(moment.slots[0])
    _db.session.commit()
    auth.login(coordinator)
    url = f"/planning/{moment.id}/dag"
    client.get(url)
    with count_queries() as one:
        assert client.get(url).status_code == 200
    for n in range(249):
        booking = book(moment.slots[n % len(moment.slots)], assistance_note="hulp" if n % 5 == 0 else None,
                       status=BookingStatus.CHECKED_IN if n % 3 == 0 else BookingStatus.BOOKED)
        if n % 10 == 0:
            DossierFactory(moment=moment, booking=booking)
    _db.session.commit()
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert "<dt>Geboekt</dt><dd>250</dd>" in html
    assert len(many) == len(one), (len(one), len(many))


def test_staff_see_how_far_the_last_message_got_and_who_wants_no_sms(client, auth, volunteer, moment, book):
    from inschrijving.db_types import utcnow
    from inschrijving.notifications.services import queue_message

    amal, bert, _chloe, _dirk = _sample(moment, book)
    refused = queue_message(amal.phone, "sms:confirm", "Uw afspraak", channel="sms", booking_id=amal.id)
    refused.failed_at, refused.last_error = utcnow(), "provider refused the number (code 21211)"
    queue_message("bert@example.org", "booking_confirmed", "Uw afspraak", booking_id=bert.id).sent_at = utcnow()
    bert.sms_opted_out_at = utcnow()
    _db.session.commit()
    auth.login(volunteer)
    html = _html(client, f"/planning/{moment.id}/dag")
    assert '<span class="badge badge-error">sms: nummer geweigerd</span>' in html
    assert "e-mail: verstuurd" in html and "wil geen sms" in html


def test_the_confirmation_written_with_the_booking_counts_as_its_last_message(db):
    # The confirmation is inserted in the booking's own statement: it must carry the booking's id too.
    from inschrijving.booking.services import lifecycle
    from inschrijving.booking.services.base import ContactDetails
    from inschrijving.db_types import utcnow
    from inschrijving.notifications import queries as notification_queries
    from tests.factories.planning import SlotFactory

    slot = SlotFactory()
    _db.session.commit()
    issued = lifecycle.book_slot(slot.id, details=ContactDetails("Nieuw", email="nieuw@example.org"), now=utcnow())
    status = notification_queries.delivery_status_by_booking([issued.booking_id])[issued.booking_id]
    assert status.channel == "email" and status.status == "waiting"
