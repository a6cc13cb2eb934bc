"""Settings > Reminders, and the push subscription a browser hands over."""

import base64
import binascii
import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from fitr.forms import AppForm, strip

TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class RemindersForm(AppForm):
    """What fitr pushes (or, with no phone set up, emails) me. Unticked boxes are off."""

    training = BooleanField("Training reminder")
    training_at = StringField("Remind me at", filters=[strip], render_kw={"type": "time", "step": "60"})
    coach_replied = BooleanField("Your coach replied")
    new_training = BooleanField("New training on your calendar")
    client_logs = BooleanField("My clients' logs")
    client_comments = BooleanField("My clients' comments")
    client_messages = BooleanField("My clients' messages")

    def validate_training_at(self, field):
        if not field.data and not self.training.data:
            return
        if not TIME.match(field.data or ""):
            raise ValidationError("Enter a time of day as hours and minutes, like 07:00.")


def b64url(text):
    """Decoded base64url (padding optional), or None when it is not."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def loopback_or_private(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class BrowserForm(AppForm):
    """A PushSubscription as the browser gave it (its endpoint and keys), posted by push.js."""

    endpoint = HiddenField("Endpoint", validators=[DataRequired("This browser sent no push endpoint."),
                                                   Length(max=1000, message="That push endpoint is too long.")])  # fmt: skip
    p256dh = HiddenField("Key", validators=[DataRequired("This browser sent no push key."), Length(max=200)])
    auth = HiddenField("Auth", validators=[DataRequired("This browser sent no push secret."), Length(max=100)])

    def validate_endpoint(self, field):
        """A push service on the internet, over HTTPS: the worker posts to it, so never to this
        machine or its network (PUSH_ALLOW_LOOPBACK lets the tests' stand-in on loopback in)."""
        parts = urlsplit(field.data or "")
        host = parts.hostname or ""
        if current_app.config.get("PUSH_ALLOW_LOOPBACK") and parts.scheme == "http" and host == "127.0.0.1":
            return
        if parts.scheme != "https" or not host or loopback_or_private(host):
            raise ValidationError("That is not a push service's address (https://…).")

    def validate_p256dh(self, field):
        raw = b64url(field.data or "")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw or b"")
        except ValueError:
            raise ValidationError("That is not a browser's push key.") from None

    def validate_auth(self, field):
        raw = b64url(field.data or "")
        if raw is None or len(raw) != 16:
            raise ValidationError("That is not a browser's push secret.")


class RemoveBrowserForm(AppForm):
    endpoint = HiddenField("Endpoint", validators=[DataRequired("Say which browser to turn off."), Length(max=1000)])
