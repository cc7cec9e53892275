"""One Dutch label per stored value and per column, for every page and PDF that shows them."""

from __future__ import annotations

import enum

import pytest
import sqlalchemy as sa

from inschrijving.dossiers import enums
from inschrijving.dossiers.labels import FIELD_LABELS, VALUE_LABELS, field_label, label, row_label
from inschrijving.dossiers.models import consent, documents, history, household, means
from inschrijving.extensions import db

DOSSIER_ENUMS = [e for e in vars(enums).values() if isinstance(e, type) and issubclass(e, enum.Enum)]
DOSSIER_MODELS = [
    m for module in (household, means, consent, documents, history) for m in vars(module).values()
    if isinstance(m, type) and issubclass(m, db.Model) and m.__module__ == module.__name__
    and m is not means.IncomeLimit  # audited, not in a dossier's history
]


def test_every_dossier_table_is_checked_below():
    # Every table of dossiers/models/ but income_limits: the parametrised test must not run on an empty list.
    assert len(DOSSIER_MODELS) == 11


@pytest.mark.parametrize("kind", DOSSIER_ENUMS, ids=lambda e: e.__name__)
def test_every_value_of_a_dossier_enum_has_a_label(app, kind):
    assert set(kind) <= set(VALUE_LABELS), set(kind) - set(VALUE_LABELS)


def test_a_label_is_found_by_member_and_by_stored_string(app):
    with app.test_request_context():
        assert label(enums.PersonRole.PARTNER) == label("partner") == "Partner"
        assert label(enums.DocumentKind.IDENTITY) == "Identiteitskaart of verblijfsdocument"
        assert label(None) == "" and label("onbekend") == "onbekend"


@pytest.mark.parametrize("model", DOSSIER_MODELS, ids=lambda m: m.__name__)
def test_every_column_the_history_can_show_has_a_label(app, model):
    quiet = {"id", "dossier_id", "version", "updated_at", "updated_by_id"}
    columns = {c.key for c in sa.inspect(model).column_attrs} - quiet
    assert columns <= set(FIELD_LABELS), columns - set(FIELD_LABELS)


def test_field_and_row_labels(app):
    with app.test_request_context():
        assert field_label("national_number") == "Rijksregister- of BIS-nummer"
        assert field_label("some_new_column") == "some new column"
        assert row_label("+ Person An Peeters") == "Nieuw: Persoon An Peeters"
        assert row_label("- Document 3") == "Verwijderd: Document 3"
        assert row_label("contact_phone") == "Telefoon"
