"""Forms for login, passwords, two-factor, user management and the audit filter."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from inschrijving.accounts.labels import ACTION_LABELS, OBJECT_TYPE_LABELS
from inschrijving.accounts.models import Role
from inschrijving.accounts.services import users
from inschrijving.validators import NumberRange

ROLE_LABELS = {
    Role.COORDINATOR: _l("Coördinator"),
    Role.VOLUNTEER: _l("Vrijwilliger"),
    Role.LANDLORD: _l("Medewerker verhuurder"),
}


def _int_or_none(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))])


class SecondStepForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Vul de code in.")), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"},
    )


class NewPasswordMixin:
    """A new password typed twice, checked against the house password rules next to the field."""

    new_password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(_l("Kies een nieuw wachtwoord."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Nieuw wachtwoord nog eens"),
        validators=[
            DataRequired(_l("Typ het nieuwe wachtwoord nog eens.")),
            EqualTo("new_password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_new_password(self, field) -> None:
        try:
            users.check_password_rules(field.data or "")
        except users.PasswordTooShort as exc:
            raise ValidationError(
                _l("Gebruik minstens %(n)s tekens. Een zin van een paar woorden is makkelijk te onthouden.",
                   n=users.MIN_PASSWORD_LENGTH)
            ) from exc
        except users.PasswordTooCommon as exc:
            raise ValidationError(_l("Dit wachtwoord wordt te vaak gebruikt. Kies een ander.")) from exc


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code uit de app"),
        validators=[DataRequired(_l("Vul de code van 6 cijfers in.")), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class UserForm(FlaskForm):
    """Fields a coordinator sets on a staff user; the landlord is needed for landlord staff only."""

    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=120)])
    role = SelectField(
        _l("Rol"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired(_l("Kies een rol."))],
    )
    landlord_id = SelectField(_l("Verhuurder"), coerce=_int_or_none, validate_choice=True)

    def __init__(self, *args, landlord_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.landlord_id.choices = [SelectChoice(None, _l("Geen (niet voor een verhuurder)"))] + [
            SelectChoice(landlord_id, name) for landlord_id, name in landlord_choices
        ]

    def validate_landlord_id(self, field) -> None:
        if self.role.data == Role.LANDLORD.value and field.data is None:
            raise ValidationError(_l("Kies de verhuurder waarvoor deze persoon werkt."))


class CreateUserForm(UserForm):
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254)]
    )

    def validate_email(self, field) -> None:
        try:
            users.normalise_email(field.data or "")
        except users.InvalidEmail as exc:
            raise ValidationError(_l("Dit is geen geldig e-mailadres.")) from exc


class EditUserForm(UserForm):
    is_enabled = BooleanField(_l("Account actief (mag aanmelden)"))


class AuditFilterForm(FlaskForm):
    """The audit log filter; a GET form, so it carries no CSRF token.

    Its lists come from the label map and the users table, never from the log itself (a DISTINCT over the
    whole log on every view).
    """

    class Meta:
        csrf = False

    user_id = SelectField(_l("Persoon (medewerker)"), coerce=_int_or_none, validate_choice=True)
    dossier = StringField(_l("Dossierreferentie"), validators=[Optional(), Length(max=20)])
    action = SelectField(_l("Actie"), default="", validate_choice=True)
    object_type = SelectField(_l("Soort object"), default="", validate_choice=True)
    object_id = IntegerField(
        _l("Nummer van het object"),
        validators=[Optional(), NumberRange(min=1, message=_l("Vul een nummer van 1 of meer in."))],
    )
    since = DateField(_l("Vanaf"), validators=[Optional()])
    until = DateField(_l("Tot en met"), validators=[Optional()])

    def __init__(self, *args, users: list[tuple[int, str]], find_dossier: Callable[[str], int | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.find_dossier = find_dossier
        self.dossier_id: int | None = None
        self.user_id.choices = [SelectChoice(None, _l("Iedereen"))] + [SelectChoice(i, label) for i, label in users]
        actions = sorted(ACTION_LABELS.items(), key=lambda item: str(item[1]))
        self.action.choices = [SelectChoice("", _l("Alle acties"))] + [SelectChoice(a, label) for a, label in actions]
        self.object_type.choices = [SelectChoice("", _l("Alle soorten"))] + [
            SelectChoice(t, label) for t, label in OBJECT_TYPE_LABELS.items()
        ]

    def validate_dossier(self, field) -> None:
        if field.data:
            self.dossier_id = self.find_dossier(field.data.strip().upper())
            if self.dossier_id is None:
                raise ValidationError(_l("Er is geen dossier met deze referentie."))

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("Deze datum ligt voor de begindatum."))
