"""Forms for professionals: registering for an info moment, changing attendees, the list link, a walk-in."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.fields import EmailField, TelField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from inschrijving.booking.services.base import ContactDetails
from inschrijving.contact import normalise_email, normalise_phone
from inschrijving.professionals.services.registration import MAX_ATTENDEES, professional_details
from inschrijving.validators import NumberRange


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _empty_to_none(value):
    return _strip(value) or None


def _attendees_field(label) -> IntegerField:
    return IntegerField(label, default=1, validators=[
        InputRequired(_l("Vul een getal in.")),
        NumberRange(min=1, max=MAX_ATTENDEES, message=_l("Vul een getal van 1 tot %(max)s in.", max=MAX_ATTENDEES)),
    ])


class WorkEmailMixin:
    email_normalised: str | None = None

    def validate_email(self, field):
        try:
            self.email_normalised = normalise_email(field.data)
        except ValueError:
            raise ValidationError(_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.be.")) from None


class InfoRegistrationForm(WorkEmailMixin, FlaskForm):
    contact_name = StringField(_l("Uw naam"), filters=[_strip],
                               validators=[DataRequired(_l("Vul uw naam in.")), Length(max=120)])
    organisation = StringField(_l("Organisatie"), filters=[_strip],
                               validators=[DataRequired(_l("Vul uw organisatie in.")), Length(max=120)])
    email = EmailField(_l("E-mailadres op het werk"), filters=[_strip],
                       validators=[DataRequired(_l("Vul uw e-mailadres op het werk in.")), Length(max=254)])
    phone = TelField(_l("Telefoonnummer (niet verplicht)"), filters=[_empty_to_none],
                     validators=[Optional(), Length(max=30)])
    attendees = _attendees_field(_l("Met hoeveel komt u van uw organisatie?"))
    remark = TextAreaField(_l("Vraag of opmerking (niet verplicht)"), filters=[_empty_to_none],
                           validators=[Optional(), Length(max=1000, message=_l("Maximaal 1000 tekens."))])

    phone_e164: str | None = None

    def validate_phone(self, field):
        if field.data:
            try:
                self.phone_e164 = normalise_phone(field.data)
            except ValueError:
                raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 056 12 34 56.")) from None

    def details(self) -> ContactDetails:
        return professional_details(name=self.contact_name.data, organisation=self.organisation.data,
                                    email=self.email_normalised, phone=self.phone_e164,
                                    language=str(get_locale() or "nl"), attendees=self.attendees.data,
                                    remark=self.remark.data)


class AttendeesForm(FlaskForm):
    attendees = _attendees_field(_l("Aantal deelnemers"))


class CancelForm(FlaskForm):
    """A bare form, for its CSRF token: cancel a registration, open a booking from the worker's list."""


class InfoWaitlistForm(WorkEmailMixin, FlaskForm):
    contact_name = StringField(_l("Uw naam"), filters=[_strip],
                               validators=[DataRequired(_l("Vul uw naam in.")), Length(max=120)])
    organisation = StringField(_l("Organisatie"), filters=[_strip],
                               validators=[DataRequired(_l("Vul uw organisatie in.")), Length(max=120)])
    email = EmailField(_l("E-mailadres op het werk"), filters=[_strip],
                       validators=[DataRequired(_l("Vul uw e-mailadres op het werk in.")), Length(max=254)])
    attendees = _attendees_field(_l("Met hoeveel komt u van uw organisatie?"))

    def details(self) -> ContactDetails:
        """The waiting-list entry: an offer holds a seat per attendee, and the registration keeps the organisation."""
        return ContactDetails(contact_name=self.contact_name.data, organisation=self.organisation.data,
                              email=self.email_normalised, seats=self.attendees.data,
                              language=str(get_locale() or "nl"))


class InfoClaimForm(FlaskForm):
    remark = TextAreaField(_l("Vraag of opmerking (niet verplicht)"), filters=[_empty_to_none],
                           validators=[Optional(), Length(max=1000, message=_l("Maximaal 1000 tekens."))])


class WorkerLinkForm(WorkEmailMixin, FlaskForm):
    email = EmailField(_l("Uw e-mailadres op het werk"), filters=[_strip],
                       validators=[DataRequired(_l("Vul uw e-mailadres op het werk in.")), Length(max=254)])
