"""The season at a glance: figures per moment and per period against a seeded fixture, the XLSX read back."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from inschrijving.booking.models import BookedBy, BookingStatus, WaitlistEntry
from inschrijving.planning.models import MomentKind
from inschrijving.planning.queries import statistics as statistics_queries
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import DossierFactory, build_complete_dossier
from tests.factories.landlords import LandlordFactory
from tests.factories.planning import MomentFactory, SlotFactory
from tests.planning.conftest import make_booking
from tests.query_count import count_queries


@pytest.fixture
def season(db, moment):
    """The conftest moment with a full day's story, a second moment with one cancellation, an info moment."""
    first, second = moment.slots[0], moment.slots[1]
    make_booking(first, status=BookingStatus.CHECKED_IN, language="fr", needs_interpreter=True,
                 booked_by=BookedBy.SOCIAL_WORKER)
    make_booking(first, status=BookingStatus.CHECKED_IN)
    make_booking(second, status=BookingStatus.NO_SHOW)
    make_booking(second)
    make_booking(moment.slots[2], status=BookingStatus.CHECKED_IN, is_walk_in=True, booked_by=BookedBy.VOLUNTEER)
    cancelled = make_booking(moment.slots[3])
    cancelled.status = BookingStatus.CANCELLED
    for n in range(2):
        db.session.add(WaitlistEntry(moment_id=moment.id, contact_name=f"W{n}", email=f"w{n}@example.org"))
    landlord = LandlordFactory(name="Wonen Zuid")
    complete = build_complete_dossier(landlord=landlord, moment=moment)
    complete.preferences.municipalities[0].name = "Kuurne"
    DossierFactory(moment=moment)
    later = MomentFactory(held_on=moment.held_on + timedelta(days=60))
    BookingFactory(slot=SlotFactory(moment=later), cancelled=True)
    info = MomentFactory(kind=MomentKind.INFO, held_on=moment.held_on + timedelta(days=7), location_name="Infozaal")
    BookingFactory(slot=SlotFactory(moment=info), seats=2, organisation="CAW")
    MomentFactory(draft=True)  # drafts never count
    db.session.commit()
    return {"moment": moment, "later": later, "info": info}


def test_figures_per_moment_and_for_the_period(season):
    stats = statistics_queries.season_stats(statistics_queries.list_season_moments())
    first, later = stats.moments
    counts = (first.booked, first.came, first.no_show, first.cancelled, first.waiting, first.walk_ins)
    assert counts == (5, 3, 1, 1, 2, 1)
    assert first.no_show_rate == pytest.approx(0.2)
    assert (first.dossiers_started, first.dossiers_completed) == (2, 1)
    assert (later.booked, later.cancelled) == (0, 1)
    assert (stats.totals.booked, stats.totals.cancelled, stats.totals.came) == (5, 2, 3)
    assert stats.by_landlord == [("Wonen Zuid", 1)]
    assert stats.by_municipality == [("Kuurne", 1)]
    assert stats.by_language == [("nl", 4), ("fr", 1)]
    assert stats.interpreters == 1
    assert stats.by_booked_by == [("self", 3), ("social_worker", 1), ("volunteer", 1)]
    [info] = stats.info
    assert info.moment.id == season["info"].id and info.registrations == 1


def test_a_period_counts_only_its_moments(season):
    held_on = season["moment"].held_on
    stats = statistics_queries.season_stats(statistics_queries.list_season_moments(since=held_on + timedelta(days=1)))
    assert [row.moment.id for row in stats.moments] == [season["later"].id]
    assert stats.totals.booked == 0 and stats.by_landlord == []


def test_the_page_shows_totals_breakdowns_and_a_chart_beside_each_table(client, auth, volunteer, season):
    auth.login(volunteer)
    page = client.get("/planning/statistiek").get_data(as_text=True)
    assert "<th scope=\"row\">Totaal</th>" in page
    assert "Wonen Zuid" in page and "Kuurne" in page and "een sociaal werker" in page
    assert "1 afspraak had een tolk nodig." in page
    assert page.count('class="chart-pair"') == 4 and page.count("<svg") >= 5
    assert "Infomomenten voor professionals" in page and "Infozaal" in page
    assert "20%" in page or "20 %" in page


def test_the_xlsx_export_reads_back_with_the_same_figures(client, auth, volunteer, season):
    auth.login(volunteer)
    response = client.get("/planning/statistiek.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames[:3] == ["Momenten", "Gekozen verhuurders", "Gewenste gemeenten"]
    rows = list(book["Momenten"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Datum", "Plaats", "Geboekt", "Gekomen")
    assert rows[1][2:] == (5, 3, 1, 0.2, 1, 2, 1, 2, 1)
    assert rows[-1][0] == "Totaal" and rows[-1][2] == 5
    landlords = list(book["Gekozen verhuurders"].iter_rows(values_only=True))
    assert landlords == [("Verhuurder", "Aantal"), ("Wonen Zuid", 1)]
    assert list(book["Infomomenten"].iter_rows(values_only=True))[1][1:] == ("Infozaal", 1, 2, 1, 0)


def test_the_statistics_page_keeps_a_constant_number_of_queries(db, client, auth, volunteer, season):
    auth.login(volunteer)
    client.get("/planning/statistiek")
    with count_queries() as few:
        client.get("/planning/statistiek")
    for n in range(4):
        extra = MomentFactory(held_on=season["moment"].held_on + timedelta(days=90 + n))
        BookingFactory(slot=SlotFactory(moment=extra))
        build_complete_dossier(moment=extra)
    db.session.commit()
    with count_queries() as many:
        client.get("/planning/statistiek")
    assert len(many) == len(few)
