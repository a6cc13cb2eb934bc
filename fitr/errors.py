"""Errors: the one refusal every rule raises, and the error pages (a full page for a browser, a
fragment for htmx)."""

import logging

from flask import g, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from fitr.extensions import db, login_manager
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
    503: ("fitr is busy for a moment", "fitr cannot reach its database just now. Nothing was saved: please try again in a minute."),
}


def render_error(code, message=None):
    """An error page. It never touches the database (no signed-in navigation, no counts), so it
    can be shown when the database is what failed."""
    title, default_message = MESSAGES.get(code, (f"Error {code}", "Something went wrong."))
    if "_login_user" not in g:
        # Flask-Login puts current_user in every template, loading it from the database unless
        # the request already has: an error page shows no one's navigation, so no one is loaded.
        g._login_user = login_manager.anonymous_user()
    return render(
        "errors/error.html",
        block="content",
        status=code,
        code=code,
        title=title,
        message=message or default_message,
        bare=True,
    )


def database_unavailable(error):
    """The database cannot be reached or is too busy to answer (stopped, restarting, its file
    gone, locked too long): not a bug in fitr. True for such an error."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def cause(error):
    """The first line of what the database driver said, for the log."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def forget_transaction():
    """Roll back what the request had begun; with the database gone, the rollback itself may fail,
    which changes nothing more."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is already broken: nothing to undo)
        db.session.remove()


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
        if database_unavailable(error):
            # One line per failure, with its cause: a database that is down is not a traceback.
            log.error("Database unavailable on %s %s: %s", request.method, request.path, cause(error))
            forget_transaction()
            body, status = render_error(503)
            return body, status, {"Retry-After": "30"}
        log.exception("Unhandled error", exc_info=error)
        forget_transaction()
        return render_error(500)

    @app.teardown_request
    def end_session(error=None):
        """The request's database session ends here (Flask-SQLAlchemy's own teardown comes
        later and finds nothing left to do). When the database cut the connection after the
        response was made (it was stopped), the rollback that ends a session fails: the response
        still goes out, the log gets one line, and the broken connection is dropped."""
        try:
            db.session.remove()
        except Exception as failure:
            if not database_unavailable(failure):
                raise
            log.error("Database connection lost at the end of %s %s: %s", request.method, request.path, cause(failure))
            db.session().invalidate()  # the connection is gone: nothing to roll back
            db.session.remove()


def _custom(error):
    """True when a view passed its own message to abort(); werkzeug's stock texts are not shown."""
    return error.description != type(error).description and not isinstance(error, InternalServerError)
