"""Isolation, proven: no landlord reaches another landlord's dossiers, documents, packets or exports.

Every landlord tries every object of the others, through the portal (its staff account) and the API
(its token), and gets 404 every time; a withdrawn consent closes access at once, cached or not.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from inschrijving.extensions import db
from inschrijving.landlords.portal.services import packets, sections
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier, withdraw
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import api_token_for, landlord_client


def _portal_urls(dossier_ids, document_ids, moment_ids):
    urls = []
    for d in dossier_ids:
        urls += [("get", f"/verhuurder/dossiers/{d}"), ("get", f"/verhuurder/dossiers/{d}/dossier.pdf")]
        urls += [("post", f"/verhuurder/dossiers/{d}")]
    urls += [("get", f"/verhuurder/documenten/{doc}") for doc in document_ids]
    for m in moment_ids:
        base = f"/verhuurder/momenten/{m}"
        urls += [
            ("get", base + suffix)
            for suffix in ("", "/pakket.pdf", "/pakket", "/dossiers.csv", "/dossiers.json", "/pakket.zip")
        ]
    return urls


def _api_urls(dossier_ids, document_ids, moment_ids):
    urls = []
    for d in dossier_ids:
        urls += [("get", f"/api/v1/dossiers/{d}"), ("put", f"/api/v1/dossiers/{d}/status")]
    urls += [("get", f"/api/v1/documents/{doc}") for doc in document_ids]
    for m in moment_ids:
        urls += [("get", f"/api/v1/moments/{m}/dossiers"), ("get", f"/api/v1/moments/{m}/packet.pdf")]
    return urls


STATUS = {"status": "refused", "note": "test", "reference": "X", "registered_on": "2026-11-01"}


@pytest.fixture
def world(app):
    """Three landlords; each has its own moment, and they share one moment with a dossier for two of them."""
    landlords = [LandlordFactory(name=f"Verhuurder {c}") for c in "ABC"]
    own_moments = {lnd.id: MomentFactory() for lnd in landlords}
    shared_moment = MomentFactory()
    dossiers = {lnd.id: [] for lnd in landlords}
    for lnd in landlords:
        for _ in range(2):
            dossiers[lnd.id].append(shared_dossier(own_moments[lnd.id], [lnd]))
    both = shared_dossier(shared_moment, landlords[:2])
    dossiers[landlords[0].id].append(both)
    dossiers[landlords[1].id].append(both)
    # Never visible to anyone: a draft and a withdrawn consent.
    draft = shared_dossier(shared_moment, landlords, complete=False)
    withdrawn = shared_dossier(shared_moment, landlords)
    for lnd in landlords:
        withdraw(withdrawn, lnd)
    db.session.commit()
    return landlords, own_moments, shared_moment, dossiers, [draft, withdrawn]


def test_no_landlord_reaches_anything_of_another(app, world):
    landlords, own_moments, shared_moment, dossiers, hidden = world
    all_dossiers = {d.id: d for ds in dossiers.values() for d in ds} | {d.id: d for d in hidden}
    tried = 0
    for landlord in landlords:
        mine = {d.id for d in dossiers[landlord.id]}
        foreign = [d for d_id, d in all_dossiers.items() if d_id not in mine]
        foreign_docs = [doc.id for d in foreign for doc in d.documents]
        my_moments = {own_moments[landlord.id].id} | ({shared_moment.id} if landlord != landlords[2] else set())
        foreign_moments = [m.id for m in own_moments.values() if m.id not in my_moments]
        if landlord == landlords[2]:
            foreign_moments.append(shared_moment.id)  # holds only others' dossiers, a draft and a withdrawal
        client = landlord_client(app, landlord)
        token = api_token_for(landlord)
        headers = {"Authorization": f"Bearer {token}"}
        ids = ([d.id for d in foreign], foreign_docs, foreign_moments)

        for method, url in _portal_urls(*ids):
            response = getattr(client, method)(url, data=STATUS)
            assert response.status_code == 404, (landlord.name, method, url)
            tried += 1
        for method, url in _api_urls(*ids):
            response = getattr(client, method)(url, json=STATUS, headers=headers)
            assert response.status_code == 404, (landlord.name, method, url)
            assert response.get_json()["error"]["code"] == "not_found"
            tried += 1

        # What it may see is exactly its own: lists name no other landlord's dossier.
        listed = set()
        for moment in my_moments:
            body = client.get(f"/api/v1/moments/{moment}/dossiers", headers=headers).get_json()
            listed |= {d["id"] for d in body["dossiers"]}
        assert listed == mine
        api_moments = {m["id"] for m in client.get("/api/v1/moments", headers=headers).get_json()["moments"]}
        assert api_moments == my_moments
        for moment in my_moments:
            packet = PdfReader(io.BytesIO(client.get(f"/verhuurder/momenten/{moment}/pakket.pdf").data))
            titles = sorted(item.title for item in packet.outline)
            expected = sorted(packets.outline_title(d) for d in dossiers[landlord.id] if d.moment_id == moment)
            assert titles == expected, (landlord.name, moment)
    assert tried > 100


def test_one_landlords_token_and_account_never_open_the_others(app, world):
    landlords, own_moments, _shared, dossiers, _hidden = world
    a, b = landlords[0], landlords[1]
    token_a = api_token_for(a)
    b_only = dossiers[b.id][0]
    client_b = landlord_client(app, b)
    # An account of B carrying A's token still only gets what the token's landlord (A) may see.
    response = client_b.get(f"/api/v1/dossiers/{b_only.id}", headers={"Authorization": f"Bearer {token_a}"})
    assert response.status_code == 404
    # A session without a token gets no API access at all.
    assert client_b.get(f"/api/v1/dossiers/{b_only.id}").status_code == 401


def test_withdrawn_consent_closes_access_at_once_even_when_cached(app, world):
    landlords, own_moments, _shared, dossiers, _hidden = world
    landlord = landlords[0]
    moment = own_moments[landlord.id]
    leaving, staying = dossiers[landlord.id][0], dossiers[landlord.id][1]
    client = landlord_client(app, landlord)
    token = api_token_for(landlord)
    headers = {"Authorization": f"Bearer {token}"}
    before = PdfReader(io.BytesIO(client.get(f"/verhuurder/momenten/{moment.id}/pakket.pdf").data))
    assert len(before.outline) == 2
    with app.test_request_context():
        assert sections.missing_sections([leaving, staying]) == []  # both sections are cached now

    withdraw(leaving, landlord)
    db.session.commit()

    after = PdfReader(io.BytesIO(client.get(f"/verhuurder/momenten/{moment.id}/pakket.pdf").data))
    assert [item.title for item in after.outline] == [packets.outline_title(staying)]
    assert client.get(f"/verhuurder/dossiers/{leaving.id}").status_code == 404
    assert client.get(f"/verhuurder/documenten/{leaving.documents[0].id}").status_code == 404
    assert client.get(f"/api/v1/dossiers/{leaving.id}", headers=headers).status_code == 404
    csv_text = client.get(f"/verhuurder/momenten/{moment.id}/dossiers.csv").get_data(as_text=True)
    assert leaving.reference not in csv_text and staying.reference in csv_text


def test_a_choice_never_opens_a_dossier_through_another_dossiers_consent(app):
    """Portal and API apply one rule, including "the consent is this dossier's own"."""
    from inschrijving.dossiers.enums import ConsentPurpose
    from inschrijving.dossiers.models.consent import Consent, LandlordChoice
    from inschrijving.landlords.portal.queries import shared as shared_queries

    moment = MomentFactory()
    landlord = LandlordFactory()
    lender = shared_dossier(moment, [], last_name="Uitlener")
    borrower = shared_dossier(moment, [], last_name="Lener")
    # Inconsistent rows no service writes: the borrower's choice points at the lender's live consent.
    consent = Consent(dossier=lender, purpose=ConsentPurpose.SHARE_WITH_LANDLORD, landlord=landlord, text_version="1")
    db.session.add_all([consent, LandlordChoice(dossier=borrower, landlord=landlord, consent=consent)])
    db.session.commit()
    client = landlord_client(app, landlord)
    headers = {"Authorization": f"Bearer {api_token_for(landlord)}"}

    with pytest.raises(shared_queries.NotShared):
        shared_queries.get_shared_choice(landlord.id, borrower.id)
    assert not db.session.scalars(shared_queries.shared_choices_stmt(landlord.id)).all()
    document = borrower.documents[0].id
    assert client.get(f"/verhuurder/documenten/{document}").status_code == 404
    assert client.get(f"/api/v1/documents/{document}", headers=headers).status_code == 404
    assert client.get(f"/verhuurder/dossiers/{borrower.id}").status_code == 404
    assert client.get(f"/api/v1/dossiers/{borrower.id}", headers=headers).status_code == 404


def test_the_packet_reads_exactly_the_dossiers_moment_choices_reads_in_the_same_order_with_the_same_keys(app, world):
    # The packet's plain rows (`packet_entries`) and the pages' loaded dossiers (`moment_choices`) are two
    # reads of one rule: same dossiers, same order, same section keys, or every download would miss the cache.
    from inschrijving.landlords.portal.queries import shared as shared_queries
    from tests.factories.packets import add_document, scan_jpeg

    landlords, own_moments, shared_moment, dossiers, _hidden = world
    add_document(dossiers[landlords[0].id][0], scan_jpeg("Tweede scan"))
    db.session.commit()
    for landlord in landlords:
        for moment in (*own_moments.values(), shared_moment):
            choices = shared_queries.moment_choices(landlord.id, moment.id)
            entries = shared_queries.packet_entries(landlord.id, moment.id)
            of_loaded = [shared_queries.PacketEntry.of(c.dossier) for c in choices]
            assert [(e.dossier_id, e.reference, e.tenant, e.persons) for e in entries] == [
                (e.dossier_id, e.reference, e.tenant, e.persons) for e in of_loaded
            ]
            assert [e.choice_id for e in entries] == [c.id for c in choices]
            assert [sections.section_key(e) for e in entries] == [sections.section_key(c.dossier) for c in choices]
