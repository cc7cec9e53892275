"""How a client booked by someone else is known without an account (docs/booking.md, "On behalf of a client").

A client who gave a phone or e-mail of their own is known by it, like any candidate (the unique indexes on
`phone` and `email`). A client without either is reached through the booker, whose work contact may be the
channel of many clients; such a client is known by the booker's phone, their own name and birth year. The
key is that triple, normalised and hashed to a fixed length; the unique index `uq_bookings_live_client`
allows one live booking per key per moment.
"""

from __future__ import annotations

import hashlib
import unicodedata


def normalised_name(name: str) -> str:
    """Case, accents and spacing do not make another person: "José  Peeters" is "jose peeters"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def client_key(*, booker_phone: str | None, client_name: str, birth_year: int | None) -> str:
    """The identity of a client reached through their booker: booker's phone (E.164) + name + birth year."""
    material = f"client|{booker_phone or ''}|{normalised_name(client_name)}|{birth_year or ''}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
