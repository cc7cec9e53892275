"""Dutch words for the audit log: the one home of every audit action's and object type's label.

A service that writes a new action adds its label here; tests/accounts/test_audit_log.py finds every action
the code writes and fails on one without a label, so the log never shows a raw code.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    # accounts
    "login": _l("Aangemeld"),
    "logout": _l("Afgemeld"),
    "login.recovery_code": _l("Aangemeld met een herstelcode"),
    "user.create": _l("Gebruiker aangemaakt"),
    "user.update": _l("Gebruiker gewijzigd"),
    "user.deactivate": _l("Gebruiker uitgeschakeld"),
    "user.password_change": _l("Eigen wachtwoord gewijzigd"),
    "user.password_reset_link": _l("Wachtwoordlink gemaakt"),
    "user.password_reset_used": _l("Wachtwoord ingesteld via link"),
    "user.2fa_enabled": _l("Tweestapsverificatie aangezet"),
    "user.2fa_new_recovery_codes": _l("Nieuwe herstelcodes gemaakt"),
    "user.2fa_disabled": _l("Tweestapsverificatie uitgezet"),
    "user.2fa_reset": _l("Tweestapsverificatie gewist door coördinator"),
    "user.calendar_token_renewed": _l("Nieuwe agendalink gemaakt"),
    "audit.purge": _l("Oude auditgegevens gewist"),
    # planning
    "moment.create": _l("Moment gepland"),
    "moment.edit": _l("Moment gewijzigd"),
    "moment.edit_preview": _l("Voorbeeld van een wijziging bekeken"),
    "moment.publish": _l("Moment gepubliceerd"),
    "moment.close": _l("Inschrijven gesloten"),
    "moment.cancel": _l("Moment geannuleerd"),
    "moment.staff": _l("Ploeg gekozen"),
    "moment.day_list_view": _l("Daglijst bekeken"),
    "moment.day_list_print": _l("Daglijst afgedrukt of als PDF gedownload"),
    "moment.attendance_list_view": _l("Aanwezigheidslijst van een infomoment bekeken"),
    "slot.capacity_change": _l("Plaatsen gewijzigd"),
    "slot.capacity_shortfall_view": _l("Wie moet verschuiven bekeken"),
    "slot.capacity_raised_for_walk_in": _l("Plaats bijgemaakt voor iemand zonder afspraak"),
    # booking
    "booking.move_by_staff": _l("Afspraak verplaatst door medewerker"),
    "booking.unseated_by_new_times": _l("Afspraak geannuleerd door nieuwe uren"),
    "booking.details_corrected": _l("Gegevens verbeterd door de kandidaat"),
    "booking.check_in": _l("Aanwezig gemeld"),
    "booking.no_show": _l("Niet gekomen gemeld"),
    "booking.undo_attendance": _l("Aanwezigheid ongedaan gemaakt"),
    "booking.walk_in": _l("Iemand zonder afspraak toegevoegd"),
    "booking.link_reissued": _l("Nieuwe beheerlink gemaakt"),
    # dossiers and privacy
    "dossier.viewed": _l("Dossier bekeken"),
    "dossier.list_viewed": _l("Dossierlijst bekeken"),
    "document.downloaded": _l("Document gedownload"),
    "document.previewed": _l("Voorbeeld van een document bekeken"),
    "income_limit.saved": _l("Inkomensgrenzen bewaard"),
    "privacy.copy": _l("Kopie van gegevens gemaakt"),
    "privacy.erase": _l("Gegevens gewist"),
    "retention.purge": _l("Bewaartermijn verstreken: gegevens gewist"),
    # landlords
    "landlord.create": _l("Verhuurder toegevoegd"),
    "landlord.update": _l("Verhuurder gewijzigd"),
    "api_token.create": _l("API-sleutel gemaakt"),
    "api_token.revoke": _l("API-sleutel ingetrokken"),
    "portal.home": _l("Portaal geopend"),
    "portal.moment_view": _l("Moment bekeken in het portaal"),
    "portal.dossier_view": _l("Dossier bekeken in het portaal"),
    "portal.document_download": _l("Document gedownload in het portaal"),
    "portal.export_csv": _l("Lijst gedownload (CSV)"),
    "portal.export_xlsx": _l("Lijst gedownload (Excel)"),
    "portal.export_json": _l("Gegevens gedownload (JSON)"),
    "portal.export_zip": _l("Pakket met documenten gedownload (ZIP)"),
    "portal.packet_download": _l("Pakket gedownload (PDF)"),
    "portal.packet_prepare": _l("Pakket klaargemaakt"),
    "portal.dossier_pdf": _l("Dossier gedownload (PDF)"),
    "portal.status_set": _l("Status gezet in het portaal"),
    "api.moments": _l("Momenten opgevraagd via de API"),
    "api.moment_dossiers": _l("Dossierlijst opgevraagd via de API"),
    "api.dossier": _l("Dossier opgevraagd via de API"),
    "api.document": _l("Document opgevraagd via de API"),
    "api.packet": _l("Pakket opgevraagd via de API"),
    "api.packet_prepare": _l("Pakket klaargemaakt via de API"),
    "api.dossier_pdf": _l("Dossier-PDF opgevraagd via de API"),
    "api.status_set": _l("Status gezet via de API"),
}

OBJECT_TYPE_LABELS = {
    "user": _l("gebruiker"),
    "moment": _l("moment"),
    "slot": _l("slot"),
    "booking": _l("afspraak"),
    "dossier": _l("dossier"),
    "document": _l("document"),
    "income_limit": _l("inkomensgrenzen"),
    "landlord": _l("verhuurder"),
    "api_token": _l("API-sleutel"),
}


def action_label(action: str) -> str:
    """The Dutch words for an audit action; an action nobody labelled yet still reads as words, with its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else str(_l("Andere actie (%(code)s)", code=action))


def object_type_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    label = OBJECT_TYPE_LABELS.get(object_type)
    return str(label) if label is not None else object_type
