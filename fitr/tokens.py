"""Tokens in links, in one scheme.

- A *stored* token (an invite, a password reset, a calendar feed) is 256 random bits; only its
  SHA-256 hash is kept, so a copy of the database opens nothing.
- A *signed* value (an invite link, what Undo restores) is signed with SECRET_KEY by
  itsdangerous, per purpose, so it can be shown again or carried by the browser unchanged.
"""

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

__all__ = ["BadSignature", "hash_token", "new_token", "signer", "timed_signer"]


def new_token():
    """A fresh random token for a link; store only hash_token(token)."""
    return secrets.token_urlsafe(32)


def hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def signer(purpose):
    """Signs a value the same way every time (a link that can be shown again)."""
    return URLSafeSerializer(current_app.secret_key, salt=f"fitr.{purpose}")


def timed_signer(purpose):
    """Signs a value with the time it was signed; `loads(token, max_age=...)` refuses old ones."""
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"fitr.{purpose}")
