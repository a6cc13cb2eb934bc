"""Hostile input (Hypothesis): random and malicious values posted to every form and htmx
endpoint, and put in every page's query string: huge strings, control characters, any unicode,
negative and huge numbers, wrong types, missing and repeated fields, other users' ids. Never a
5xx; and an answer of 4xx has written nothing."""

import pytest
from factories import PASSWORD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_access_matrix import CLIENTS, COACHS, EMAILS, ROUTES, snapshot, url_for_rule, world
from werkzeug.datastructures import MultiDict

pytestmark = pytest.mark.all_routes

# Every field name fitr's forms read, the nested ones too (editor rows, log sets, day fields).
FIELDS = [
    "agree", "based_on", "billing_period", "calendar_id", "category", "clients", "confirm", "currency",
    "current", "date", "description", "email", "emails", "expires_on", "free", "max_uses", "measure",
    "message", "mode", "name", "note", "notes", "offset", "password", "price", "program", "q", "remember",
    "rpe", "see_ahead_days", "span", "start", "start_date", "start_rule", "status", "submission_key",
    "time_zone", "title", "type", "undo", "unit", "units", "version", "waiver", "week_start",
    "welcome_message", "workout", "archived", "action", "next", "seen", "view", "week", "tab", "way",
    "partial", "client", "exercise_id", "position", "set", "new_exercise", "page", "exercise",
    "prescriptions-0-exercise", "prescriptions-0-sets", "prescriptions-0-reps", "prescriptions-0-load",
    "prescriptions-0-load_unit", "prescriptions-0-rpe", "prescriptions-0-rest", "prescriptions-0-time",
    "prescriptions-0-distance", "prescriptions-0-tempo", "prescriptions-0-notes", "prescriptions-31-exercise",
    "sets-101-exercise_id", "sets-101-reps", "sets-101-load", "sets-101-time", "sets-101-distance",
    "sets-99999-reps", "to-date", "to-week", "to-day", "on-date", "copy-span", "copy-source-date",
    "copy-to-date", "copy-clients", "copy-source-week", "copy-to-week", "trial_days", "payment", "complimentary",
]  # fmt: skip
NASTY = [
    "", " ", "-1", "0", "1", "2147483648", "99999999999999999999", "-9223372036854775809", "1e309", "nan",
    "inf", "-0.0", "1,5", "0x10", "2026-02-30", "0000-00-00", "9999-12-31", "2026-11-03", "12:61", "1:02:03:04",
    "\r\n", "\t", "\x07", "\u200b", "\ufeff", "\U0001f4aa", "é" * 300, "<script>alert(1)</script>",
    "' OR 1=1 --", "../../etc/passwd", "%00", "a@b", "casey@example.com", "zed@example.com", "on", "y",
    "month", "week", "save", "add", "remove-0", "up-99", "down-1", "replace", "keep", "done", "skipped",
    "kg", "lb", "%1rm", "Back Squat", "Olive's Secret Press", "Europe/London", "Mars/Olympus_Mons",
]  # fmt: skip
TEXT = st.characters(exclude_categories=("Cs",))  # any character a browser can send (not half a pair)
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(TEXT, max_size=40),
    st.text(TEXT, min_size=3000, max_size=12_000).map(lambda text: text[:12_000]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=1, max_value=40).map(str),  # ids, ours and everyone else's
)
FORMS = st.lists(st.tuples(st.sampled_from(FIELDS), VALUES), max_size=14).map(MultiDict)

INPUTS = sorted(
    (endpoint, method)
    for endpoint, method in ROUTES
    if method == "POST" or endpoint not in ("training.feed",)  # a feed reads no query
)


def role_for(endpoint, method):
    """Who uses the route as it is meant: its owner, its client, or a visitor."""
    expected = ROUTES[(endpoint, method)]
    if expected is CLIENTS:
        return "client"
    if expected is COACHS or expected["visitor"] != "ok":
        return "owner"
    return "visitor"


@pytest.mark.parametrize("endpoint, method", INPUTS)
def test_hostile_input_never_breaks_a_route_nor_half_writes(app, today, endpoint, method):
    ids = world(app, today)
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods][:1]
    path = url_for_rule(rule, ids)
    client = app.test_client()
    role = role_for(endpoint, method)
    if role != "visitor":
        client.post("/login", data={"email": EMAILS[role], "password": PASSWORD})

    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(form=FORMS, htmx=st.booleans())
    def hostile(form, htmx):
        before = snapshot(app)
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "POST":
            response = client.post(path, data=form, headers=headers)
        else:
            response = client.get(path, query_string=form, headers=headers)
        assert response.status_code < 500, (method, path, form, response.status_code)
        if 400 <= response.status_code < 500:
            assert snapshot(app) == before, f"{method} {path} answered {response.status_code} but wrote: {form}"

    hostile()
