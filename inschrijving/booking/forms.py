"""Public booking forms: input shape and per-field checks, with messages in plain words."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields import EmailField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from inschrijving.booking.models import BookedBy, Booking, ContactChannel, ReachBy
from inschrijving.booking.services.base import ContactDetails
from inschrijving.booking.services.clients import client_key
from inschrijving.booking.services.details import CorrectedDetails
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.contact import normalise_email, normalise_phone
from inschrijving.notifications import sms
from inschrijving.validators import NumberRange


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _empty_to_none(value):
    value = _strip(value)
    return value or None


class ContactFieldsMixin:
    """Phone and e-mail, normalised in place once valid."""

    phone_e164: str | None = None
    email_normalised: str | None = None

    def validate_phone(self, field):
        if field.data:
            try:
                self.phone_e164 = normalise_phone(field.data)
            except ValueError:
                raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 0470 12 34 56.")) from None

    def validate_email(self, field):
        if field.data:
            try:
                self.email_normalised = normalise_email(field.data)
            except ValueError:
                raise ValidationError(_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.be.")) from None


def _language_choices() -> list[SelectChoice]:
    # Each language named in its own script, so people find theirs without reading Dutch.
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()]


def _page_language() -> str:
    # The language the candidate reads the page in is the best first guess for e-mails and letters.
    return str(get_locale() or "nl")


# The candidate's own details, asked the same way (and checked the same way) when booking and when
# correcting them on the manage page. Attributes for autofill (WCAG 1.3.5) and for right-to-left pages
# (a phone number or address is always read left to right) live here, once.
NAME_ATTRS = {"autocomplete": "name"}
PHONE_ATTRS = {"autocomplete": "tel", "dir": "ltr", "inputmode": "tel"}
EMAIL_ATTRS = {"autocomplete": "email", "dir": "ltr", "spellcheck": "false"}
HOUSEHOLD_LABEL = _l("Hoeveel mensen gaan in de woning wonen? Tel uzelf ook mee.")


def _name_field():
    return StringField(
        _l("Uw naam"), filters=[_strip], render_kw=NAME_ATTRS,
        validators=[DataRequired(_l("Vul uw naam in.")), Length(max=120, message=_l("Maximaal 120 tekens."))],
    )


def _language_field():
    return RadioField(_l("In welke taal praten we het liefst met u?"), choices=_language_choices,
                      default=_page_language, validators=[InputRequired(_l("Kies een taal."))])


def _household_field():
    return IntegerField(
        HOUSEHOLD_LABEL, default=1,
        validators=[InputRequired(_l("Vul een getal in.")),
                    NumberRange(min=1, max=30, message=_l("Vul een getal van 1 tot 30 in."))],
    )


class CandidateDetailsFields(ContactFieldsMixin):
    """Name, phone, e-mail, language, household size and interpreter: booking form and manage page alike."""

    # A phone or an e-mail is needed, except for a client the worker's contact reaches (`ClientDetailsForm`).
    contact_required = True

    contact_name = _name_field()
    phone = TelField(_l("Telefoonnummer"), filters=[_empty_to_none], render_kw=PHONE_ATTRS,
                     validators=[Optional(), Length(max=30)])
    email = EmailField(_l("E-mailadres"), filters=[_empty_to_none], render_kw=EMAIL_ATTRS,
                       validators=[Optional(), Length(max=254)])
    language = _language_field()
    household_size = _household_field()
    needs_interpreter = BooleanField(_l("Ik heb een tolk nodig"))
    interpreter_language = StringField(_l("Welke taal moet de tolk spreken?"), filters=[_empty_to_none],
                                       validators=[Optional(), Length(max=60)])

    def _own_details(self) -> dict:
        """The candidate's own details as the booking's columns (phone and e-mail normalised)."""
        return {
            "contact_name": self.contact_name.data,
            "phone": self.phone_e164,
            "email": self.email_normalised,
            "language": self.language.data,
            "household_size": self.household_size.data,
            "needs_interpreter": bool(self.needs_interpreter.data),
            "interpreter_language": self.interpreter_language.data if self.needs_interpreter.data else None,
        }

    def _check_contact_and_interpreter(self) -> bool:
        ok = True
        if self.contact_required and not self.phone.data and not self.email.data:
            self.phone.errors = [*self.phone.errors, _l("Geef een telefoonnummer of een e-mailadres (of allebei).")]
            ok = False
        if self.needs_interpreter.data and not self.interpreter_language.data:
            self.interpreter_language.errors = [*self.interpreter_language.errors, _l("Welke taal? Vul ze in.")]
            ok = False
        return ok


class BookingForm(CandidateDetailsFields, FlaskForm):
    assistance_note = TextAreaField(_l("Hebt u andere hulp nodig? (niet verplicht)"), filters=[_empty_to_none],
                                    validators=[Optional(), Length(max=1000, message=_l("Maximaal 1000 tekens."))])
    # Issue 18: how the candidate wants to be reached when they give both a mobile number and an address.
    reach_by = RadioField(
        _l("Hoe krijgt u uw bevestiging en herinnering?"),
        choices=[SelectChoice(ReachBy.BOTH.value, _l("Sms en e-mail")),
                 SelectChoice(ReachBy.SMS.value, _l("Alleen sms")),
                 SelectChoice(ReachBy.EMAIL.value, _l("Alleen e-mail"))],
        default=ReachBy.BOTH.value, validators=[Optional()],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = self._check_contact_and_interpreter() and ok
        return ok

    def details(self) -> ContactDetails:
        return ContactDetails(
            **self._own_details(),
            assistance_note=self.assistance_note.data,
            reach_by=ReachBy(self.reach_by.data or ReachBy.BOTH.value),
        )


class WaitlistForm(ContactFieldsMixin, FlaskForm):
    contact_name = _name_field()
    # A freed seat is offered by SMS and by e-mail (issue 18): a mobile number or an address will do.
    phone = TelField(_l("Gsm-nummer"), filters=[_empty_to_none], render_kw=PHONE_ATTRS,
                     validators=[Optional(), Length(max=30)])
    email = EmailField(_l("E-mailadres"), filters=[_empty_to_none], render_kw=EMAIL_ATTRS,
                       validators=[Optional(), Length(max=254)])
    language = _language_field()
    household_size = _household_field()

    def __init__(self, *args, for_next_moment: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "Mail me at a new date" goes by e-mail only; a freed seat of a moment by SMS as well.
        self.for_next_moment = for_next_moment

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.email.errors or self.phone.errors:
            return False
        if self.for_next_moment and not self.email.data:
            self.email.errors = [*self.email.errors, _l("Vul uw e-mailadres in. We sturen u daar een bericht.")]
            ok = False
        elif not self.email.data and not sms.is_mobile(self.phone_e164):
            self.phone.errors = [*self.phone.errors, _l(
                "Geef een gsm-nummer of een e-mailadres. Daarop sturen we het bericht als er een plaats vrijkomt.")]
            ok = False
        return ok

    def details(self) -> ContactDetails:
        return ContactDetails(
            contact_name=self.contact_name.data,
            phone=self.phone_e164,
            email=self.email_normalised,
            language=self.language.data,
            household_size=self.household_size.data,
        )


class DetailsForm(CandidateDetailsFields, FlaskForm):
    """The manage page's correction of the candidate's own details (same fields and checks as booking)."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self._check_contact_and_interpreter() and ok

    def corrected(self) -> CorrectedDetails:
        return CorrectedDetails(**self._own_details())


class ClaimForm(FlaskForm):
    needs_interpreter = BooleanField(_l("Ik heb een tolk nodig"))
    interpreter_language = StringField(_l("Welke taal moet de tolk spreken?"), filters=[_empty_to_none],
                                       validators=[Optional(), Length(max=60)])
    assistance_note = TextAreaField(_l("Hebt u andere hulp nodig? (niet verplicht)"), filters=[_empty_to_none],
                                    validators=[Optional(), Length(max=1000, message=_l("Maximaal 1000 tekens."))])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.needs_interpreter.data and not self.interpreter_language.data:
            self.interpreter_language.errors = [*self.interpreter_language.errors, _l("Welke taal? Vul ze in.")]
            ok = False
        return ok


class MoveForm(FlaskForm):
    slot_id = IntegerField(validators=[InputRequired()])


class ConfirmForm(FlaskForm):
    """A bare form, for its CSRF token: cancel, resend."""


def _normalised_or_kept(normalise):
    # The stored form (E.164, lower case), so the lookup matches however the contact was typed; a value
    # that does not normalise is kept and simply finds no booking.
    def apply(value):
        value = _empty_to_none(value)
        if value is None:
            return None
        try:
            return normalise(value)
        except ValueError:
            return value

    return apply


class ResendForm(FlaskForm):
    """The contact the duplicate page carries over to "Stuur mij de link opnieuw"."""

    phone = HiddenField(filters=[_normalised_or_kept(normalise_phone)])
    email = HiddenField(filters=[_normalised_or_kept(normalise_email)])


# --- Booking on behalf of a client (social worker, or a Woonclub volunteer on the phone) -----------------
# The same booking in the third person, with the booker's own contact asked apart. A client without phone
# or e-mail is reached through the booker and known by booker + name + birth year (docs/booking.md).


class AboutTheClientFields:
    """The candidate's details asked of the person booking for them, about the client in the third person:
    the booking form for a client, and the manage page opened from the worker's list."""

    contact_name = StringField(
        _l("Naam van de kandidaat"), filters=[_strip],
        validators=[DataRequired(_l("Vul de naam van de kandidaat in.")),
                    Length(max=120, message=_l("Maximaal 120 tekens."))],
    )
    phone = TelField(_l("Telefoonnummer van de kandidaat"), filters=[_empty_to_none],
                     validators=[Optional(), Length(max=30)])
    email = EmailField(_l("E-mailadres van de kandidaat"), filters=[_empty_to_none],
                       validators=[Optional(), Length(max=254)])
    language = RadioField(_l("In welke taal praten we het liefst met de kandidaat?"), choices=_language_choices,
                          default=_page_language, validators=[InputRequired(_l("Kies een taal."))])
    household_size = IntegerField(
        _l("Met hoeveel mensen gaat de kandidaat wonen?"), default=1,
        validators=[InputRequired(_l("Vul een getal in.")),
                    NumberRange(min=1, max=30, message=_l("Vul een getal van 1 tot 30 in."))],
    )
    needs_interpreter = BooleanField(_l("De kandidaat heeft een tolk nodig"))


class ClientBookingForm(AboutTheClientFields, BookingForm):
    booked_by = RadioField(
        _l("Wie bent u?"),
        choices=[SelectChoice(BookedBy.SOCIAL_WORKER.value, _l("Ik ben hulpverlener")),
                 SelectChoice(BookedBy.VOLUNTEER.value, _l("Ik ben vrijwilliger van de Woonclub"))],
        default=BookedBy.SOCIAL_WORKER.value,
        validators=[InputRequired(_l("Kies wie de afspraak maakt."))],
    )
    social_worker_name = StringField(_l("Uw naam"), filters=[_strip],
                                     validators=[DataRequired(_l("Vul uw naam in.")), Length(max=120)])
    social_worker_organisation = StringField(_l("Uw organisatie"), filters=[_empty_to_none],
                                             validators=[Optional(), Length(max=120)])
    social_worker_phone = TelField(_l("Uw telefoonnummer op het werk"), filters=[_empty_to_none],
                                   validators=[DataRequired(_l("Vul uw telefoonnummer in.")), Length(max=30)])
    social_worker_email = EmailField(_l("Uw e-mailadres op het werk"), filters=[_empty_to_none],
                                     validators=[Optional(), Length(max=254)])
    client_birth_year = IntegerField(
        _l("Geboortejaar van de kandidaat"), filters=[_empty_to_none],
        validators=[Optional(), NumberRange(min=1900, max=2100, message=_l("Vul een jaar in, bijvoorbeeld 1985."))],
    )
    assistance_note = TextAreaField(_l("Heeft de kandidaat andere hulp nodig? (niet verplicht)"),
                                    filters=[_empty_to_none],
                                    validators=[Optional(), Length(max=1000, message=_l("Maximaal 1000 tekens."))])

    social_worker_phone_e164: str | None = None
    social_worker_email_normalised: str | None = None

    def validate(self, extra_validators=None) -> bool:
        # Not BookingForm's rule "a phone or an e-mail": a client may have neither.
        ok = FlaskForm.validate(self, extra_validators)
        if self.needs_interpreter.data and not self.interpreter_language.data:
            self.interpreter_language.errors = [*self.interpreter_language.errors, _l("Welke taal? Vul ze in.")]
            ok = False
        if self.booked_by.data == BookedBy.SOCIAL_WORKER.value:
            for field, message in ((self.social_worker_organisation, _l("Vul uw organisatie in.")),
                                   (self.social_worker_email, _l("Vul uw e-mailadres op het werk in."))):
                if not field.data:
                    field.errors = [*field.errors, message]
                    ok = False
        if not self.reached_directly and not self.client_birth_year.data and not self.client_birth_year.errors:
            self.client_birth_year.errors = [
                _l("Heeft de kandidaat geen telefoon en geen e-mail? Vul dan het geboortejaar in.")]
            ok = False
        return ok

    @property
    def reached_directly(self) -> bool:
        """The client gave a phone or e-mail of their own."""
        return bool(self.phone.data or self.email.data)

    def validate_social_worker_phone(self, field):
        if field.data:
            try:
                self.social_worker_phone_e164 = normalise_phone(field.data)
            except ValueError:
                raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 056 12 34 56.")) from None

    def validate_social_worker_email(self, field):
        if field.data:
            try:
                self.social_worker_email_normalised = normalise_email(field.data)
            except ValueError:
                raise ValidationError(_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.be.")) from None

    def details(self) -> ContactDetails:
        own = self.reached_directly
        return ContactDetails(
            contact_name=self.contact_name.data,
            # A client without contact is reached through the booker: their work phone and e-mail.
            phone=self.phone_e164 if own else self.social_worker_phone_e164,
            email=self.email_normalised if own else self.social_worker_email_normalised,
            contact_channel=ContactChannel.OWN if own else ContactChannel.BOOKER,
            client_key=None if own else client_key(booker_phone=self.social_worker_phone_e164,
                                                   client_name=self.contact_name.data,
                                                   birth_year=self.client_birth_year.data),
            client_birth_year=self.client_birth_year.data,
            language=self.language.data,
            household_size=self.household_size.data,
            needs_interpreter=bool(self.needs_interpreter.data),
            interpreter_language=self.interpreter_language.data if self.needs_interpreter.data else None,
            assistance_note=self.assistance_note.data,
            booked_by=BookedBy(self.booked_by.data),
            social_worker_name=self.social_worker_name.data,
            social_worker_organisation=self.social_worker_organisation.data,
            social_worker_phone=self.social_worker_phone_e164,
            social_worker_email=self.social_worker_email_normalised,
            booker_language=_page_language(),
        )


class ClientDetailsForm(AboutTheClientFields, DetailsForm):
    """The manage page's correction opened from the worker's list: about the client, in the third person.

    A client reached through the worker has no phone or e-mail of their own: the fields start empty, and
    left empty the worker's contact stays the channel. A contact filled in becomes the client's own.
    """

    def __init__(self, *args, booking: Booking, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.through_booker = booking.speaks_to_booker
        self.booker_contact = (booking.phone, booking.email)
        self.contact_required = not self.through_booker
        if self.through_booker and not self.is_submitted():
            self.phone.data = self.email.data = None

    def corrected(self) -> CorrectedDetails:
        corrected = super().corrected()
        if self.through_booker and not (corrected.phone or corrected.email):
            phone, email = self.booker_contact
            return replace(corrected, phone=phone, email=email)
        return corrected


class ClientClaimForm(ClaimForm):
    """The claim of a seat offered to a booker for their client (an unseated booking): about the client."""

    needs_interpreter = AboutTheClientFields.needs_interpreter
    assistance_note = ClientBookingForm.assistance_note

