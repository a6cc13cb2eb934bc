"""Errors: the one refusal every rule raises, and the error pages (a full page for a browser, a
fragment for htmx)."""

import logging

from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from fitr.extensions import db
from fitr.web import render

log = logging.getLogger(__name__)


class RuleError(Exception):
    """A rule refused. `message` is what the person reads, `field` the form field it belongs next
    to (None: above the form), `code` a short word saying why, for code that reacts to it. Each
    area raises its own subclass, so a route catches only its area's refusals."""

    def __init__(self, message, field=None, code=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

MESSAGES = {
    400: ("Bad request", "Something in that request was not right. Please try again."),
    403: ("Not allowed", "You do not have access to this page."),
    404: ("Not found", "There is nothing here. The link may be old or mistyped."),
    405: ("Not allowed", "That action is not available here."),
    429: ("Too many attempts", "Too many attempts. Please wait a minute and try again."),
    500: ("Something went wrong", "An unexpected error happened. Nothing was saved; please try again."),
}


def render_error(code, message=None):
    title, default_message = MESSAGES.get(code, (f"Error {code}", "Something went wrong."))
    return render(
        "errors/error.html",
        block="content",
        status=code,
        code=code,
        title=title,
        message=message or default_message,
    )


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "Your form expired or came from another site. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        description = error.description if error.code in (400, 403, 404) and _custom(error) else None
        return render_error(error.code, description)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return render_error(500)


def _custom(error):
    """True when a view passed its own message to abort(); werkzeug's stock texts are not shown."""
    return error.description != type(error).description and not isinstance(error, InternalServerError)
