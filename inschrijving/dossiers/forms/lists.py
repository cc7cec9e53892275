"""The dossier list's filter (a GET form): moment, status and a search on reference or name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.queries import DossierFilter


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class DossierListForm(FlaskForm):
    class Meta:
        csrf = False

    moment = SelectField(_l("Moment"), coerce=_int_or_none, validate_choice=True)
    status = SelectField(_l("Status"), default="", validate_choice=True, choices=[
        SelectChoice("", _l("Alle")),
        SelectChoice(DossierStatus.DRAFT.value, _l("Nog bezig")),
        SelectChoice(DossierStatus.COMPLETE.value, _l("Afgerond")),
    ])
    q = StringField(_l("Zoeken op dossiernummer of naam"), validators=[Optional(), Length(max=80)])

    def __init__(self, *args, moments: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        everything = [SelectChoice(None, _l("Alle momenten"))]
        self.moment.choices = everything + [SelectChoice(i, label) for i, label in moments]

    def criteria(self) -> DossierFilter:
        return DossierFilter(
            moment_id=self.moment.data,
            status=DossierStatus(self.status.data) if self.status.data else None,
            search=(self.q.data or "").strip() or None,
        )
