"""The upload form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    SelectField,
)

from inschrijving.dossiers.forms.common import (
    DOCUMENT_KIND_CHOICES,
    choices_of,
    optional_int,
)
from inschrijving.dossiers.models import (
    DocumentKind,
    Person,
)


class DocumentForm(FlaskForm):
    kind = SelectField(
        _l("Soort document"), choices=choices_of(DOCUMENT_KIND_CHOICES), default=DocumentKind.OTHER.value
    )
    person_id = SelectField(_l("Van wie"), coerce=optional_int, validate_choice=False)
    file = FileField(
        _l("Bestand (PDF of foto)"),
        validators=[FileRequired(_l("Kies een bestand."))],
        render_kw={"accept": "application/pdf,image/jpeg,image/png,image/gif,image/tiff"},
    )

    def __init__(self, *args, people: list[tuple[int | None, str]], default_person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = choices_of(people)
        if default_person is not None and not self.is_submitted():
            self.person_id.data = default_person.id

    def upload(self) -> dict[str, Any]:
        """The upload as `upload_document` takes it."""
        upload = self.file.data
        return {
            "kind": DocumentKind(self.kind.data),
            "person_id": self.person_id.data,
            "filename": upload.filename or "",
            "stream": upload.stream,
        }
