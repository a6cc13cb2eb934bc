"""What reaches the logs: the secret token in a link's path (an invite, an invite link, a
password reset, an email confirmation, a calendar feed) is masked, in gunicorn's access log
(`make serve` passes --logger-class fitr.logging_setup.GunicornLogger) and in `make run`'s."""

import logging
import re

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/(?:invite|join|reset-password|confirm|feeds)/)[^/?\s\"']+")


def mask(text):
    """'/invite/abc123' -> '/invite/***'."""
    return TOKEN_IN_PATH.sub(r"\1***", text)


class MaskTokens(logging.Filter):
    """A logging filter: the record's message with every token path masked."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class GunicornLogger(Logger):
    """gunicorn's logger, with tokens masked in every access-log field (the request line, the
    path, and the Referer of a page opened from such a link)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()}


def init_app(app):
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskTokens) for f in werkzeug.filters):
        werkzeug.addFilter(MaskTokens())
