"""Secrets handed out in links and API keys: only their hash is stored; knows no domain.

One home for how a secret is drawn and hashed, so the manage link, the waiting-list offer and the
landlords' API keys cannot drift apart (and queries can look a token up without importing services).
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh secret (256 random bits) and the hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 suffices: the secrets are random and long, so no slow password hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
