"""Uploaded PDFs without active content: no scripts, launches, links out, forms that send, or attached files.

Knows no domain. A scan handed in at the desk ends up in the packets that landlord staff open in their
own PDF readers, so everything a reader could *do* (run JavaScript, start a program, open a web address,
submit or import form data, carry an embedded file) is removed; the pages and what they show stay.

- `sanitise(pdf)` cleans an opened pikepdf document in place and returns what it removed (for the log).
  The packet merge calls it on every appended upload (an upload stored before this check existed is
  cleaned there too).
- `sanitised_pdf(data)` reads, cleans and writes one PDF: the upload path stores its output.
- `active_content(data)` lists what is left (tests and checks: an empty list is a clean file).

What is removed, at every depth of the document (not only where a reader looks first):
document and page open/close actions (`/OpenAction`, `/AA`), the JavaScript and embedded-file name
trees, XFA forms, every action other than a jump inside the document (`/GoTo`): JavaScript, Launch,
URI, SubmitForm, ImportData, ResetForm, GoToR/GoToE (other files), media and the rest; embedded files
(`/EF`, `/AF`); and annotations that carry an action or a file (links out, file attachments, sound,
movie, screen, rich media, 3D). A widget or note without an action stays.
"""

from __future__ import annotations

import io
import logging

import pikepdf
from pikepdf import Array, Dictionary, Name

logger = logging.getLogger(__name__)

# The only action kept: a jump to a page of the same document (bookmarks, a table of contents).
_SAFE_ACTIONS = {Name.GoTo}
# Keys that start something by themselves or carry files, wherever they appear.
_ALWAYS_REMOVED = ("/AA", "/OpenAction", "/JS", "/EF", "/AF", "/XFA", "/RichMediaContent")
_NAME_TREES_REMOVED = ("/JavaScript", "/EmbeddedFiles")
# Every action type of the PDF specification; all but GoTo are turned into an empty jump.
_ACTION_TYPES = {
    "/GoTo", "/GoToR", "/GoToE", "/GoTo3DView", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide",
    "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState", "/Rendition", "/Trans",
    "/RichMediaExecute",
}
_ANNOTATIONS_REMOVED = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}


class UnsafePdf(ValueError):
    """The PDF could not be read, so it could not be cleaned."""


class TooManyPages(ValueError):
    """The PDF has more pages than allowed; `pages` says how many."""

    def __init__(self, pages: int):
        super().__init__(pages)
        self.pages = pages


def _is_dict(obj) -> bool:
    return isinstance(obj, (Dictionary, pikepdf.Stream))


def _is_action(obj) -> bool:
    return isinstance(obj, Dictionary) and (obj.get("/Type") == Name.Action or str(obj.get("/S", "")) in _ACTION_TYPES)


def _unsafe_action(action) -> bool:
    if not isinstance(action, Dictionary):
        return True  # an action that is not a dictionary is malformed: nothing to keep
    return action.get("/S") not in _SAFE_ACTIONS


def _annotation_carries_something(annotation) -> bool:
    if not isinstance(annotation, Dictionary):
        return False
    if str(annotation.get("/Subtype", "")) in _ANNOTATIONS_REMOVED:
        return True
    if "/AA" in annotation:
        return True
    action = annotation.get("/A")
    return action is not None and _unsafe_action(action)


def _clean_annotations(pdf: pikepdf.Pdf, removed: list[str]) -> None:
    for number, page in enumerate(pdf.pages, start=1):
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        if not isinstance(annotations, Array):
            del page.obj["/Annots"]
            continue
        kept = Array()
        for annotation in annotations:
            if _annotation_carries_something(annotation):
                removed.append(f"page {number}: annotation {annotation.get('/Subtype', '?')}")
            else:
                kept.append(annotation)
        if len(kept) != len(annotations):
            page.obj["/Annots"] = kept


def _clean_dictionary(obj, removed: list[str]) -> None:
    """Strip the dangerous keys from one dictionary and, recursively, from what it holds directly."""
    if _is_dict(obj):
        for key in _ALWAYS_REMOVED:
            if key in obj:
                del obj[key]
                removed.append(key)
        for key in ("/A", "/Next"):
            action = obj.get(key)
            if action is not None and _unsafe_action(action):
                del obj[key]
                removed.append(_action_name(key, action))
    for child in _direct_children(obj):
        _clean_dictionary(child, removed)


def _action_name(key: str, action) -> str:
    return f"{key} {action.get('/S', '?') if isinstance(action, Dictionary) else '?'}"


def _direct_children(obj) -> list:
    """The dictionaries and arrays an object holds directly; indirect ones are visited once each from the
    object table, so they are not nested into here."""
    if _is_dict(obj):
        children = [obj[key] for key in list(obj.keys())]
    elif isinstance(obj, Array):
        children = list(obj)
    else:
        return []
    return [c for c in children if (_is_dict(c) or isinstance(c, Array)) and not c.is_indirect]


def _neuter_actions(pdf: pikepdf.Pdf, removed: list[str]) -> None:
    # An action stored as its own object may still be referenced from a place no rule above knows;
    # turning it into an empty jump makes it harmless wherever it is used.
    for obj in pdf.objects:
        if _is_action(obj) and _unsafe_action(obj):
            removed.append(f"action {obj.get('/S')}")
            for key in list(obj.keys()):
                del obj[key]
            obj["/S"] = Name.GoTo
            obj["/D"] = Array()


def sanitise(pdf: pikepdf.Pdf) -> list[str]:
    """Remove every script, launch, link out, form submission and embedded file; keep the pages.

    Works in place on an opened document; returns what was removed (empty: it was clean).
    """
    removed: list[str] = []
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for tree in _NAME_TREES_REMOVED:
            if tree in names:
                del names[tree]
                removed.append(f"names {tree}")
    acroform = root.get("/AcroForm")
    if isinstance(acroform, Dictionary) and "/XFA" in acroform:
        del acroform["/XFA"]
        removed.append("/XFA")
    _clean_annotations(pdf, removed)
    _neuter_actions(pdf, removed)
    _clean_dictionary(pdf.trailer, removed)
    for obj in pdf.objects:
        _clean_dictionary(obj, removed)
    if removed:
        logger.info("PDF cleaned: %d active parts removed", len(removed))
    return removed


def sanitised_pdf(data: bytes, *, max_pages: int | None = None) -> tuple[bytes, int]:
    """The PDF cleaned by `sanitise` and written out again, with its number of pages.

    A PDF with nothing to remove comes back as it was, byte for byte (its hash stays the proof of what
    was handed in).
    The page count is read from the page tree before anything else, so an oversized file costs little.
    Raises `pikepdf.PasswordError` when it needs a password, `TooManyPages` past `max_pages` and
    `UnsafePdf` when it cannot be read or has no page.
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            if pages == 0:
                raise UnsafePdf("no page")
            if max_pages is not None and pages > max_pages:
                raise TooManyPages(pages)
            if not sanitise(pdf):
                return data, pages
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue(), pages
    except (pikepdf.PasswordError, TooManyPages, UnsafePdf):
        raise
    except Exception as exc:  # damaged input makes qpdf raise more than one type of error
        raise UnsafePdf(str(exc)) from exc


def active_content(data: bytes) -> list[str]:
    """What in this PDF a reader could run, open or extract; empty when there is nothing."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = pdf.Root.get("/Names")
        if isinstance(names, Dictionary):
            found += [f"names {tree}" for tree in _NAME_TREES_REMOVED if tree in names]
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.obj.get("/Annots", Array()):
                if _annotation_carries_something(annotation):
                    found.append(f"page {number}: annotation {annotation.get('/Subtype', '?')}")
        for obj in [pdf.trailer, *pdf.objects]:
            _find(obj, found)
    return found


def _find(obj, found: list[str]) -> None:
    if _is_dict(obj):
        found += [key for key in _ALWAYS_REMOVED if key in obj]
        for key in ("/A", "/Next"):
            action = obj.get(key)
            if action is not None and _unsafe_action(action):
                found.append(_action_name(key, action))
        if _is_action(obj) and _unsafe_action(obj):
            found.append(f"action {obj.get('/S')}")
    for child in _direct_children(obj):
        _find(child, found)
