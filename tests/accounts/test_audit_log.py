"""The audit log speaks Dutch: every action the code writes has a label in the one label map."""

from __future__ import annotations

import re
from pathlib import Path

from inschrijving.accounts import labels

SOURCE = Path(__file__).parents[2] / "inschrijving"
# The literal action of an audit call: action="x.y", audit(actor, "x.y", ...), _audit(moment, "x.y", ...) and the
# day steps' _day_step(booking, "x.y", ...).
WRITTEN = re.compile(r'(?:action=|(?<![\w.])(?:audit|_audit|_day_step)\(\s*[\w.()=, ]+?,\s*)"([a-z0-9_.]+)"')
# Actions built at run time: the landlord services prefix "portal" or "api" to the same verbs.
BUILT = {f"{prefix}.{verb}" for prefix in ("portal", "api") for verb in ("packet_prepare", "dossier_pdf", "status_set")}


def written_actions() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        found |= set(WRITTEN.findall(path.read_text(encoding="utf-8")))
    return found | BUILT


def test_every_action_the_code_writes_has_a_dutch_label():
    actions = written_actions()
    assert {"login", "moment.edit", "booking.check_in", "portal.export_csv", "privacy.erase"} <= actions
    missing = sorted(actions - set(labels.ACTION_LABELS))
    assert not missing, f"Add a Dutch label to inschrijving/accounts/labels.py for: {missing}"


def test_an_unlabelled_action_still_reads_as_words(app):
    with app.test_request_context():
        assert labels.action_label("moment.edit") == "Moment gewijzigd"
        assert labels.action_label("iets.nieuws") == "Andere actie (iets.nieuws)"
        assert labels.object_type_label("booking") == "afspraak"


def test_the_filter_lists_do_not_read_the_log(db, client, auth):
    from tests.factories.accounts import AuditEventFactory, UserFactory
    from tests.query_count import count_queries

    auth.login(UserFactory(coordinator=True))
    AuditEventFactory(action="moment.edit")
    with count_queries() as statements:
        page = client.get("/beheer/audit").get_data(as_text=True)
    assert '<option value="moment.edit">Moment gewijzigd</option>' in page
    log_reads = [s for s in statements if "audit_events" in s and s.lstrip().upper().startswith("SELECT")]
    assert len(log_reads) == 1, log_reads  # the page itself; no DISTINCT lists, no count
    assert "count(" not in log_reads[0].lower() and "distinct" not in log_reads[0].lower()


def test_the_log_filters_by_dossier_reference(db, client, auth):
    from tests.factories.accounts import AuditEventFactory, UserFactory
    from tests.factories.dossiers import DossierFactory

    auth.login(UserFactory(coordinator=True))
    dossier = DossierFactory(reference="D000777")
    other = DossierFactory(reference="D000778")
    db.session.flush()
    AuditEventFactory(action="dossier.viewed", object_type="dossier", object_id=dossier.id, actor="a@x.org")
    AuditEventFactory(action="dossier.viewed", object_type="dossier", object_id=other.id, actor="b@x.org")
    db.session.commit()
    page = client.get("/beheer/audit", query_string={"dossier": "d000777"}).get_data(as_text=True)
    assert "a@<wbr>x.<wbr>org" in page and "b@<wbr>x.<wbr>org" not in page
    unknown = client.get("/beheer/audit", query_string={"dossier": "D999999"}).get_data(as_text=True)
    assert "Er is geen dossier met deze referentie." in unknown
