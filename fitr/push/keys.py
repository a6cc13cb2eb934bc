"""The server's VAPID key pair, which signs every push so push services know it comes from this
fitr. VAPID_PRIVATE_KEY (PEM, or the raw key in base64url) when set; otherwise generated once
into instance/ (like the development secret key) and read from there ever after. The private key
never leaves the server: pages get only the public key."""

import base64
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from py_vapid import Vapid


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _from_file(path):
    """The key in `path`, made first if there is none; two processes starting at once agree on
    one (the file is written aside and linked into place, which fails for the second)."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid()
        key.generate_keys()
        handle, aside = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
        os.close(handle)
        try:
            os.chmod(aside, 0o600)
            key.save_key(aside)
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(aside)
    return Vapid.from_file(str(path))


def vapid():
    """The server's VAPID key (a py_vapid Vapid), loaded once per app."""
    found = current_app.extensions.get("vapid")
    if found is None:
        setting = (current_app.config.get("VAPID_PRIVATE_KEY") or "").strip()
        if "BEGIN" in setting:
            found = Vapid.from_pem(setting.encode())
        elif setting:
            found = Vapid.from_string(setting)
        else:
            found = _from_file(current_app.config["VAPID_KEY_FILE"])
        current_app.extensions["vapid"] = found
    return found


def public_key():
    """The public key as PushManager.subscribe() takes it (applicationServerKey, base64url)."""
    return _b64url(vapid().public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def subject():
    """Who to contact about this server's pushes (VAPID's `sub`): VAPID_SUBJECT, else the
    sender address of fitr's emails."""
    configured = current_app.config.get("VAPID_SUBJECT")
    if configured:
        return configured
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "no-reply@localhost"
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    return f"mailto:{address}"
