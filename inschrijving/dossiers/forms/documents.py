"""The upload form: one file field per missing paper of the checklist (kind and person known), plus a free
upload where the kind and person are chosen. Every field takes several files at once."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField

from inschrijving.dossiers.enums import DocumentKind
from inschrijving.dossiers.forms.common import (
    DOCUMENT_KIND_CHOICES,
    choices_of,
    optional_int,
)
from inschrijving.dossiers.models.household import Person
from inschrijving.dossiers.services.checklist import ChecklistItem
from inschrijving.dossiers.services.documents import Upload

ACCEPT = "application/pdf,image/jpeg,image/png,image/gif,image/tiff"


def item_field(item: ChecklistItem) -> str:
    """The file field's name for one missing paper of the checklist."""
    return f"item-{item.key}"


class DocumentForm(FlaskForm):
    kind = SelectField(
        _l("Soort document"), choices=choices_of(DOCUMENT_KIND_CHOICES), default=DocumentKind.OTHER.value
    )
    person_id = SelectField(_l("Van wie"), coerce=optional_int, validate_choice=False)
    file = MultipleFileField(_l("Bestanden (PDF of foto's)"), render_kw={"accept": ACCEPT, "multiple": True})

    def __init__(self, *args, people: list[tuple[int | None, str]], items: list[ChecklistItem],
                 default_person: Person | None = None, preselect: str | None = None, **kwargs):
        """`preselect` is the key of the checklist item the user clicked, if any."""
        super().__init__(*args, **kwargs)
        self.person_id.choices = choices_of(people)
        self.items = items
        self.item_errors: dict[str, str] = {}
        if not self.is_submitted():
            preselect = next((item for item in items if item.key == preselect), None)
            if preselect is not None and preselect.document_kind is not None:
                # Clicked from the checklist: that paper's kind and person are chosen already.
                self.kind.data = preselect.document_kind.value
                self.person_id.data = preselect.person_id
            elif default_person is not None:
                self.person_id.data = default_person.id

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.uploads():
            self.file.errors.append(_l("Kies een bestand."))
            return False
        return ok

    def uploads(self) -> list[Upload]:
        """Every file sent, as `upload_documents` takes them: the checklist's fields first, then the free one."""
        found = []
        for item in self.items:
            for upload in request.files.getlist(item_field(item)):
                if upload and upload.filename:
                    found.append(Upload(item.document_kind, item.person_id, upload.filename, upload.stream,
                                        item_field(item)))
        for upload in self.file.data or []:
            if upload and getattr(upload, "filename", ""):
                found.append(Upload(DocumentKind(self.kind.data), self.person_id.data, upload.filename,
                                    upload.stream, "file"))
        return found
