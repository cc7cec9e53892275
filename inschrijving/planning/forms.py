"""Forms for planning moments and running the day."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from inschrijving.config import LANGUAGE_NAMES
from inschrijving.planning.models import MomentKind
from inschrijving.planning.services.base import BRUSSELS
from inschrijving.validators import NumberRange

BLOCK_ROWS = 3


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class BlockForm(Form):
    """One opening block; an empty row is ignored."""

    start = TimeField(_l("Van"), validators=[Optional()])
    end = TimeField(_l("Tot"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        # Optional() ends each field's own chain on an empty value, so the pair is checked here.
        valid = super().validate(extra_validators)
        if valid and (self.start.data is None) != (self.end.data is None):
            empty = self.end if self.end.data is None else self.start
            empty.errors = [_l("Vul beide uren in, of laat beide leeg.")]
            return False
        return valid


class MomentForm(FlaskForm):
    kind = RadioField(
        _l("Soort moment"),
        choices=[
            # An info moment is one session, not a grid of slots: it has its own form (InfoMomentForm).
            SelectChoice(MomentKind.REGISTRATION.value, _l("Inschrijvingsmoment voor kandidaat-huurders")),
        ],
        default=MomentKind.REGISTRATION.value,
        validators=[InputRequired(_l("Kies een soort moment."))],
    )
    held_on = DateField(_l("Datum"), validators=[InputRequired(_l("Kies een datum."))])
    title = StringField(_l("Titel (niet verplicht)"), validators=[Optional(), Length(max=120)])
    location_name = StringField(
        _l("Plaats"), validators=[DataRequired(_l("Geef de naam van de plaats.")), Length(max=120)]
    )
    address = StringField(_l("Adres"), validators=[DataRequired(_l("Geef het adres.")), Length(max=200)])
    blocks = FieldList(FormField(BlockForm), min_entries=BLOCK_ROWS, max_entries=BLOCK_ROWS)
    slot_minutes = IntegerField(
        _l("Lengte van een slot (minuten)"),
        default=30,
        validators=[InputRequired(_l("Geef een lengte.")), NumberRange(5, 240, _l("Kies tussen 5 en 240 minuten."))],
    )
    desks = IntegerField(
        _l("Aantal tafels (plaatsen per slot)"),
        default=4,
        validators=[InputRequired(_l("Geef het aantal tafels.")), NumberRange(1, 50, _l("Kies tussen 1 en 50."))],
    )
    booking_opens_at = DateTimeLocalField(
        _l("Inschrijven opent op"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    booking_closes_at = DateTimeLocalField(
        _l("Inschrijven sluit op"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    note_nl = TextAreaField(_l("Uitleg over de plaats (Nederlands)"), validators=[Optional(), Length(max=1000)])
    note_fr = TextAreaField(_l("Uitleg over de plaats (Frans)"), validators=[Optional(), Length(max=1000)])
    note_en = TextAreaField(_l("Uitleg over de plaats (Engels)"), validators=[Optional(), Length(max=1000)])
    note_ar = TextAreaField(_l("Uitleg over de plaats (Arabisch)"), validators=[Optional(), Length(max=1000)])
    note_tr = TextAreaField(_l("Uitleg over de plaats (Turks)"), validators=[Optional(), Length(max=1000)])

    def validate_blocks(self, field):
        if not self.block_times():
            raise ValidationError(_l("Geef minstens één blok met openingsuren."))

    def block_errors(self) -> list[str]:
        # A FieldList mixes per-row error dicts with its own messages; only the latter belong above the rows.
        return [str(e) for e in self.blocks.errors if not isinstance(e, dict | list)]

    def block_times(self) -> list[tuple[time, time]]:
        return [(row.start.data, row.end.data) for row in self.blocks if row.start.data and row.end.data]

    def place_notes(self) -> dict[str, str]:
        return {code: getattr(self, f"note_{code}").data or "" for code in LANGUAGE_NAMES}

    def note_fields(self):
        return [getattr(self, f"note_{code}") for code in LANGUAGE_NAMES]

    @staticmethod
    def as_brussels(value: datetime | None) -> datetime | None:
        # The browser sends wall-clock time without a zone; the coordinator means Brussels time.
        return value.replace(tzinfo=BRUSSELS) if value is not None else None


class CancelForm(FlaskForm):
    confirm = BooleanField(
        _l("Ja, annuleer dit moment en verwittig iedereen die geboekt heeft"),
        validators=[DataRequired(_l("Vink aan dat u dit moment echt wilt annuleren."))],
    )


class SeriesForm(FlaskForm):
    count = IntegerField(
        _l("Hoeveel volgende momenten?"),
        default=3,
        validators=[InputRequired(_l("Geef een aantal.")), NumberRange(1, 12, _l("Kies tussen 1 en 12."))],
    )


class CapacityForm(FlaskForm):
    slot_id = SelectField(_l("Welk slot?"), coerce=int)
    capacity = IntegerField(
        _l("Nieuw aantal plaatsen"),
        validators=[InputRequired(_l("Geef een aantal.")), NumberRange(0, 50, _l("Kies tussen 0 en 50."))],
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_id.choices = [SelectChoice(0, _l("Alle slots van dit moment"))] + _choices(slots)
        self.slot_ids = [slot_id for slot_id, _label in slots]

    def changes(self) -> dict[int, int]:
        """{slot_id: seats} for the chosen slot, or for every slot when "all slots" (0) is chosen."""
        chosen = self.slot_ids if self.slot_id.data == 0 else [self.slot_id.data]
        return dict.fromkeys(chosen, self.capacity.data)

    def has_pending_change(self) -> bool:
        """The page was opened with a change to review (the query string after a move)."""
        return (self.slot_id.data in (0, *self.slot_ids) and self.capacity.data is not None
                and self.capacity.data >= 0)


class MoveForm(FlaskForm):
    booking_id = IntegerField(validators=[InputRequired()])
    slot_id = SelectField(_l("Naar slot"), coerce=int, validators=[InputRequired(_l("Kies een slot."))])

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_id.choices = _choices(slots)


class StaffForm(FlaskForm):
    user_ids = SelectMultipleField(
        _l("Wie werkt mee?"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_ids.choices = [SelectChoice(u.id, u.name) for u in users]


class WalkInForm(FlaskForm):
    slot_id = SelectField(_l("Slot"), coerce=int, validators=[InputRequired(_l("Kies een slot."))])
    contact_name = StringField(_l("Naam"), validators=[DataRequired(_l("Geef een naam.")), Length(max=120)])
    language = SelectField(
        _l("Taal"), choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()], default="nl"
    )
    household_size = IntegerField(
        _l("Aantal personen in het gezin"),
        default=1,
        validators=[InputRequired(_l("Geef een aantal.")), NumberRange(1, 30, _l("Kies tussen 1 en 30."))],
    )
    needs_interpreter = BooleanField(_l("Heeft een tolk nodig"))
    over_capacity = BooleanField(_l("Slot is vol: toch toevoegen en het slot één plaats groter maken"))

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_id.choices = _choices(slots)


class InfoMomentForm(FlaskForm):
    """An info moment for professionals: one session with a number of seats and a topic per language."""

    held_on = DateField(_l("Datum"), validators=[InputRequired(_l("Kies een datum."))])
    starts = TimeField(_l("Begint om"), validators=[InputRequired(_l("Vul het beginuur in."))])
    ends = TimeField(_l("Eindigt om"), validators=[InputRequired(_l("Vul het einduur in."))])
    location_name = StringField(
        _l("Plaats"), validators=[DataRequired(_l("Geef de naam van de plaats.")), Length(max=120)]
    )
    address = StringField(_l("Adres"), validators=[DataRequired(_l("Geef het adres.")), Length(max=200)])
    seats = IntegerField(
        _l("Aantal plaatsen (deelnemers)"), default=30,
        validators=[InputRequired(_l("Geef het aantal plaatsen.")), NumberRange(1, 500, _l("Kies tussen 1 en 500."))],
    )
    booking_opens_at = DateTimeLocalField(_l("Inschrijven opent op"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    booking_closes_at = DateTimeLocalField(_l("Inschrijven sluit op"), format="%Y-%m-%dT%H:%M",
                                           validators=[Optional()])
    topic_nl = StringField(_l("Onderwerp (Nederlands)"),
                           validators=[DataRequired(_l("Geef het onderwerp in het Nederlands.")), Length(max=300)])
    topic_fr = StringField(_l("Onderwerp (Frans)"), validators=[Optional(), Length(max=300)])
    topic_en = StringField(_l("Onderwerp (Engels)"), validators=[Optional(), Length(max=300)])
    topic_ar = StringField(_l("Onderwerp (Arabisch)"), validators=[Optional(), Length(max=300)])
    topic_tr = StringField(_l("Onderwerp (Turks)"), validators=[Optional(), Length(max=300)])

    def topics(self) -> dict[str, str]:
        return {code: getattr(self, f"topic_{code}").data or "" for code in LANGUAGE_NAMES}

    def other_topic_fields(self):
        return [getattr(self, f"topic_{code}") for code in LANGUAGE_NAMES if code != "nl"]

    as_brussels = staticmethod(MomentForm.as_brussels)


class InfoWalkInForm(FlaskForm):
    """A professional who comes to the info moment without registering."""

    contact_name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=120)])
    organisation = StringField(_l("Organisatie"),
                               validators=[DataRequired(_l("Vul de organisatie in.")), Length(max=120)])
    attendees = IntegerField(_l("Aantal deelnemers"), default=1, validators=[
        InputRequired(_l("Vul een getal in.")), NumberRange(1, 20, _l("Vul een getal van 1 tot 20 in."))])
    over_capacity = BooleanField(_l("Volzet? Voeg toch toe (extra stoelen)"))
