"""The printed confirmation letter: the booking, what to bring, and a QR code of the manage link."""

from __future__ import annotations

import base64
import io

import qrcode
from flask import current_app
from flask_babel import force_locale

from inschrijving.booking.models import Booking
from inschrijving.booking.services import links
from inschrijving.booking.services.content import checklist
from inschrijving.rendering.pdf import render_pdf


def letter_pdf(booking: Booking, token: str) -> bytes:
    """Render the letter in the booking's language, whatever language the page that asked for it is in.

    A social worker or volunteer often prints it from a Dutch page for someone who reads Arabic or
    Turkish; the candidate is the one who reads the paper. The template takes its `lang` and `dir`
    from the forced locale, like every other page.
    """
    link = links.manage_url(token)
    with force_locale(booking.language):
        return render_pdf("pdf/booking_letter.html", booking=booking, checklist=checklist(), manage_link=link,
                          qr_data_uri=_qr_data_uri(link), starts_at=links.local_time(booking.slot.starts_at),
                          ends_at=links.local_time(booking.slot.ends_at),
                          woonclub_phone=current_app.config.get("WOONCLUB_PHONE"))


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, border=2, box_size=8).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
