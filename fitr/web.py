"""The one way fitr renders a page or, for an htmx request, just the block it asks for."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from werkzeug.routing import IntegerConverter

from fitr import clock
from fitr.extensions import db
from fitr.units import format_distance, format_duration, format_load

HTMX_VERSION = "2.0.11"  # static/js/htmx-<version>.min.js, vendored


def is_htmx():
    """True when htmx made this request (and it is not a history restore, which wants a page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get(
        "HX-History-Restore-Request"
    ) != "true"


def render(template, block=None, status=200, **context):
    """Render the whole page, or only `block` when htmx asks for a fragment."""
    if block and is_htmx():
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def refused(message, status=409, back=None):
    """An action a rule refused: its message on a page (for htmx, just the message) with a 4xx,
    and a way Back to where it was asked. Whatever the request had written is rolled back."""
    db.session.rollback()
    return render("refused.html", block="content", status=status, message=message, back=back)


def attachment(body, filename, mimetype):
    """A file to download (a data export, a payments CSV): saved under `filename`, and never kept
    by a browser's or a proxy's cache, as it holds people's data."""
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})  # fmt: skip


def rolled_back(response):
    """A refusal rendered from what the user saw, then anything the refused rule wrote undone."""
    db.session.rollback()
    return response


def start_page(user):
    """Where a user starts: a coach on Home, a client on today's training."""
    return url_for("home.index" if user.is_coach else "training.today")


def safe_next(target, default=None):
    """Follow `next` only to a path on this site; anything else goes to the user's start page."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    if default is None:
        return start_page(current_user) if current_user.is_authenticated else url_for("accounts.login")
    return url_for(default)


def absolute_url(endpoint, **values):
    """A link for an email: from BASE_URL when configured, else from the request's host."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


class IdConverter(IntegerConverter):
    """`<int:id>` in every route: a positive number that fits the database's integer ids, so
    an absurd id in a URL is a plain 404 rather than an overflow in the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def refuse_control_characters():
    """No form or query value may carry a NUL byte: PostgreSQL cannot store one and no person
    types one. One check for every route, before any view reads the input."""
    for values in (request.args, request.form):
        for value in values.values():
            if "\x00" in value:
                abort(400, "That text contains a character that cannot be saved (a NUL byte). Remove it and try again.")


def page_arg():
    """The `?page=` of a paged list: 1 when absent; anything but a page number is a 400."""
    raw = request.args.get("page", "")
    if not raw:
        return 1
    if not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        abort(400, "That page number is not valid.")
    return int(raw)


def search_arg():
    """The `?q=` of a list's search box, trimmed to 100 characters."""
    return request.args.get("q", "").strip()[:100]


def viewer_unit():
    """The unit of load the current user reads in (kg for a visitor)."""
    return current_user.units if current_user.is_authenticated else "kg"


def local(moment):
    """A stored datetime (naive UTC) where the viewer is."""
    return clock.local(moment, current_user)


def with_query(url, **values):
    """A link made by `url_for` with these query values added (or replaced): for a URL kept in
    an object (a thread's, a program's) that a template adds a value to."""
    if "?" not in url and "#" not in url:  # a path alone (a calendar's Add session, 35 a month): nothing to keep
        return f"{url}?{_query_string([(name, str(value)) for name, value in values.items()])}" if values else url
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name not in values]
    query += [(name, str(value)) for name, value in values.items()]
    return urlunsplit(parts._replace(query=_query_string(query)))


FILTERS = {
    "with_query": with_query,  # {{ thread.url|with_query(version=thread.version) }}
    "local": local,  # {{ invite.expires_at|local }}
    "fmt_load": lambda kg, unit=None: format_load(kg, unit or viewer_unit()),  # '102.5 kg', '225 lb'
    "fmt_time": format_duration,  # '1:30'
    "fmt_distance": format_distance,  # '5 km'
    "day_text": lambda day: f"{day:%a} {day.day} {day:%b %Y}",  # 'Tue 3 Nov 2026'
    "long_date": lambda day: f"{day:%A} {day.day} {day:%B %Y}",  # 'Tuesday 3 November 2026'
}


# --- links in long lists -----------------------------------------------------------------------

_MARK = 2_147_480_000  # ids in a URL template while it is built: within IdConverter's range
_ID_LIMIT = 2**31


def template_url_for(endpoint, **values):
    """`url_for` for templates, the same answer, cheaper for a list's rows: a link whose path
    values are all ids (or None) and whose other values (its query string) are text is built
    once per endpoint and set of names as a template, and each row's ids and text are put into
    it. Anything else (a relative endpoint, `_external`, an id a route would refuse) goes to
    `url_for` itself."""
    pieces = _pieces(endpoint, values)
    if pieces is False:
        return url_for(endpoint, **values)
    head, rest, query = pieces
    parts = [head]
    for name, text in rest:
        value = values[name]
        if not _is_id(value):
            return url_for(endpoint, **values)
        parts.append(str(value))
        parts.append(text)
    if query:
        asked = [(name, values[name]) for name in query]
        if not all(type(value) is str for _, value in asked):
            return url_for(endpoint, **values)
        parts.append("?" + _query_string(asked))
    return "".join(parts)


def link_maker(endpoint, ids, **query):
    """For a list built in Python: a function of one row's `ids` (values, in the order named)
    that answers template_url_for(endpoint, **ids, **query), with the link's template and its
    query string found once for the whole list rather than once a row."""
    names = tuple(ids)
    pieces = _pieces(endpoint, dict.fromkeys(names, 1) | query)

    def by_url_for(*values):
        return template_url_for(endpoint, **dict(zip(names, values, strict=True)), **query)

    if pieces is False or any(type(value) is not str for value in query.values() if value is not None):
        return by_url_for
    head, rest, query_names = pieces
    tail = "?" + _query_string([(name, query[name]) for name in query_names]) if query_names else ""
    slots = [(names.index(name), text) for name, text in rest]  # the path's ids, in its order

    def link(*values):
        if not all(_is_id(value) for value in values):
            return by_url_for(*values)
        return head + "".join([str(values[i]) + text for i, text in slots]) + tail

    return link


def _pieces(endpoint, values):
    """template_url_for's template of the endpoint's link with these names (None left out),
    built at its first use in an app and script root; False when url_for must answer."""
    templates = current_app.extensions.get("fitr.url_templates")
    if templates is None:
        templates = current_app.extensions["fitr.url_templates"] = {}
    key = (request.script_root, endpoint, *[name for name, value in values.items() if value is not None])
    pieces = templates.get(key)
    if pieces is None:
        given = {name: value for name, value in values.items() if value is not None}
        pieces = templates[key] = _url_template(endpoint, given) if _templatable(endpoint, given) else False
    return pieces


def _is_id(value):
    return type(value) is int and 0 <= value < _ID_LIMIT


def _query_string(pairs):
    """A query string as Werkzeug builds one for url_for (the same characters left as they are)."""
    return urlencode(pairs, safe="!$'()*,/:;?@")


def _path_names(endpoint):
    """The names in the path of the endpoint's one rule; None when it has several rules."""
    rules = current_app.url_map._rules_by_endpoint.get(endpoint, [])
    return set(rules[0].arguments) if len(rules) == 1 else None


def _templatable(endpoint, given):
    path = None if endpoint.startswith(".") else _path_names(endpoint)
    if path is None or not given or any(name.startswith("_") for name in given):
        return False
    return all(_is_id(value) if name in path else type(value) is str for name, value in given.items())


def _url_template(endpoint, given):
    """(text before the first id, [(name, text after it), ...], [query names]) for `endpoint`
    with these values, or False when the URL cannot be cut at its ids (then every call goes to
    `url_for`)."""
    path = _path_names(endpoint)
    ids = {name: value for name, value in given.items() if name in path}
    query = [name for name in given if name not in path]
    marks = {name: _MARK + i for i, name in enumerate(ids)}
    built = url_for(endpoint, **marks)
    order = sorted(marks, key=lambda name: built.find(str(marks[name])))
    if any(built.count(str(mark)) != 1 for mark in marks.values()):
        return False
    head, rest = built, []
    for name in reversed(order):
        head, _, tail = head.partition(str(marks[name]))
        rest.insert(0, (name, tail))
    real = url_for(endpoint, **given)  # a route whose ids are checked otherwise is left to url_for
    filled = head + "".join(str(ids[name]) + text for name, text in rest)
    if query:
        filled += "?" + _query_string([(name, given[name]) for name in query])
    return (head, rest, query) if filled == real else False


def init_app(app):
    app.url_map.converters["int"] = IdConverter
    app.jinja_env.globals["url_for"] = template_url_for
    app.before_request(refuse_control_characters)
    app.jinja_env.filters.update(FILTERS)

    @app.context_processor
    def template_globals():
        return {"htmx_version": HTMX_VERSION, "is_htmx": is_htmx}
