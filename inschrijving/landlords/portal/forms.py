"""The landlord portal's forms: the status report on a dossier, the filter of a moment's dossier list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.labels import label
from inschrijving.landlords.portal.queries.lists import HOUSEHOLD_SIZES, DossierFilter
from inschrijving.landlords.portal.services.status import NOTE_MAX_LENGTH, REFERENCE_MAX_LENGTH


class StatusForm(FlaskForm):
    status = RadioField(
        _l("Wat deed u met dit dossier?"),
        choices=[
            SelectChoice(ChoiceStatus.REGISTERED.value, _l("Ingeschreven")),
            SelectChoice(ChoiceStatus.INCOMPLETE.value, _l("Onvolledig: er ontbreekt iets")),
            SelectChoice(ChoiceStatus.REFUSED.value, _l("Geweigerd")),
        ],
        validators=[DataRequired(message=_l("Kies wat u met dit dossier deed."))],
    )
    reference = StringField(_l("Uw inschrijvingsnummer"), validators=[Optional(), Length(max=REFERENCE_MAX_LENGTH)])
    registered_on = DateField(
        _l("Datum van inschrijving"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    note = TextAreaField(
        _l("Wat ontbreekt er, of waarom weigert u?"), validators=[Optional(), Length(max=NOTE_MAX_LENGTH)]
    )


class DossierListForm(FlaskForm):
    """Filter, search and sort a moment's dossier list; a GET form, so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam of referentie"), validators=[Optional(), Length(max=80)])
    status = SelectField(_l("Status"), default="", validate_choice=True)
    nieuw = SelectField(
        _l("Nieuw of gewijzigd"),
        default="",
        choices=[
            SelectChoice("", _l("Alle dossiers")),
            SelectChoice("new", _l("Nieuw: nog niet gedownload")),
            SelectChoice("changed", _l("Gewijzigd sinds uw laatste download")),
        ],
    )
    gemeente = SelectField(_l("Gemeente"), default="", validate_choice=True)
    personen = SelectField(
        _l("Gezinsgrootte"),
        default="",
        choices=[SelectChoice("", _l("Alle"))]
        + [SelectChoice(size, size) for size in HOUSEHOLD_SIZES[:-1]]
        + [SelectChoice("5+", _l("5 of meer"))],
    )
    sorteer = SelectField(
        _l("Sorteer op"),
        default="naam",
        choices=[
            SelectChoice("naam", _l("Naam")),
            SelectChoice("referentie", _l("Referentie")),
            SelectChoice("personen", _l("Gezinsgrootte")),
            SelectChoice("status", _l("Status")),
            SelectChoice("afgerond", _l("Datum afgerond")),
        ],
    )
    volgorde = SelectField(
        _l("Volgorde"),
        default="op",
        choices=[SelectChoice("op", _l("Oplopend")), SelectChoice("af", _l("Aflopend"))],
    )

    def __init__(self, *args, municipalities: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("", _l("Alle statussen"))] + [
            SelectChoice(status.value, label(status)) for status in ChoiceStatus
        ]
        self.gemeente.choices = [SelectChoice("", _l("Alle gemeenten"))] + [
            SelectChoice(str(id_), name) for id_, name in municipalities
        ]

    def criteria(self) -> DossierFilter:
        """The filter these answers ask for; nothing filtered when they do not validate."""
        if not self.validate():
            return DossierFilter()
        return DossierFilter(
            status=ChoiceStatus(self.status.data) if self.status.data else None,
            news=self.nieuw.data or None,
            municipality_id=int(self.gemeente.data) if self.gemeente.data else None,
            household_size=self.personen.data or None,
            search=self.q.data or None,
            sort=self.sorteer.data or "naam",
            descending=self.volgorde.data == "af",
        )
