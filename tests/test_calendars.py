"""Client calendars: month and week views, the client switcher, the session editor and the
exercise library."""

import json
import re
from datetime import date

import pytest
from factories import (
    BENCH,
    NOV_3,
    SQUAT,
    add_subscription,
    calendar_id,
    calendar_rows,
    element,
    elements,
    end_subscription,
    form_key,
    plan,
    session_form,
)
from sqlalchemy import func, select

from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Calendar, Prescription, Session
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.library import workouts as library_workouts
from fitr.library.models import Exercise
from fitr.programs import rules as program_rules
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

HTMX = {"HX-Request": "true"}


def exercise_rows(html):
    """The exercises in the editor's rows, in order."""
    return [row["value"] for row in elements(html, "input", name=re.compile(r"prescriptions-\d+-exercise"))]


def client_url(program, sub, **query):
    url = f"/programs/{program.id}/clients/{sub}/calendar"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url



# --- the calendar --------------------------------------------------------------------------


def test_open_calendar_goes_to_first_active_client(logged_in, one_to_one):
    response = logged_in.get(f"/programs/{one_to_one.id}/calendar")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(client_url(one_to_one, one_to_one.ada))


def test_month_view_shows_every_day_with_add_session_and_the_sessions(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100), ("Romanian Deadlift", 3, 8, 80)])
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2026-11-15")).get_data(as_text=True)
    assert "November 2026" in page
    # Monday-start weeks around November 2026: 26 October to 6 December.
    days = re.findall(r'data-date="(\d{4}-\d\d-\d\d)"', page)
    assert days[0] == "2026-10-26" and days[-1] == "2026-12-06" and len(days) == 42
    assert 'aria-label="Add session on 2026-11-03"' in page
    cell = page[page.index('data-date="2026-11-03"') : page.index('data-date="2026-11-04"')]
    assert "Lower body" in cell and "data-session-id=" in cell
    assert "Back Squat 5×5 @ 100 kg · Romanian Deadlift 3×8 @ 80 kg" in cell
    assert "Ada Athlete" in page


def test_week_view_starts_on_the_programs_week_start(app, logged_in, one_to_one):
    with app.app_context():
        program_rules.update_program(db.session.get(Program, one_to_one.id), week_start=6)  # Sunday
        db.session.commit()
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, view="week", date="2026-11-04")).get_data(as_text=True)
    days = re.findall(r'data-date="(\d{4}-\d\d-\d\d)"', page)
    assert days == [f"2026-11-{d:02d}" for d in range(1, 8)]  # Sunday 1 to Saturday 7
    assert "1 Nov – 7 Nov 2026" in page


def test_today_is_marked_and_navigation_links_move_by_a_month(logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    assert 'aria-current="date"' in page and "(today)" in page
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2026-11-15")).get_data(as_text=True)
    assert f'href="{client_url(one_to_one, one_to_one.ada, view="month", date="2026-10-01")}"'.replace("&", "&amp;") in page
    assert f'href="{client_url(one_to_one, one_to_one.ada, view="month", date="2026-12-01")}"'.replace("&", "&amp;") in page
    assert 'aria-label="Previous month"' in page and 'aria-label="Next month"' in page


@pytest.mark.parametrize(
    "query, hidden, shown",
    [
        ("date=2099-12-15", "Next month", "Previous month"),
        ("date=2000-01-15", "Previous month", "Next month"),
        ("view=week&date=2099-12-31", "Next week", "Previous week"),
        ("view=week&date=2000-01-01", "Previous week", "Next week"),
    ],
)
def test_calendar_stops_at_2000_and_2099(logged_in, one_to_one, query, hidden, shown):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada) + "?" + query).get_data(as_text=True)
    assert f'aria-label="{hidden}"' not in page and f'aria-label="{shown}"' in page
    # Every link the page offers opens, and days outside 2000-2099 offer no Add session.
    for href in set(re.findall(r'hx-get="([^"]*calendar\?[^"]*)"', page)):
        assert logged_in.get(href.replace("&amp;", "&")).status_code == 200, href
    assert "Add session on 1999-" not in page and "Add session on 2100-" not in page


def test_first_and_last_grids_offer_add_session_only_inside_the_range(logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2000-01-01")).get_data(as_text=True)
    assert 'data-date="1999-12-27"' in page and "Add session on 1999-12-27" not in page
    assert "Add session on 2000-01-01" in page
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2099-12-01")).get_data(as_text=True)
    assert 'data-date="2100-01-03"' in page and "Add session on 2100-01-03" not in page
    assert "Add session on 2099-12-31" in page


def test_htmx_gets_only_the_calendar_fragment_and_a_direct_visit_the_whole_page(logged_in, one_to_one):
    url = client_url(one_to_one, one_to_one.ben, date="2026-11-01")
    fragment = logged_in.get(url, headers=HTMX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="calendar"')
    assert "<html" not in fragment and "Ben Athlete" in fragment
    page = logged_in.get(url).get_data(as_text=True)
    assert "<html" in page and 'id="client-list"' in page and 'id="calendar"' in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("date=2026-13-01", "That date is not valid"),
        ("date=yesterday", "That date is not valid"),
        ("date=1850-01-01", "between 2000 and 2099"),
        ("date=2400-01-01", "between 2000 and 2099"),
        ("view=year", "month or week"),
    ],
)
def test_dates_outside_a_sane_range_get_a_clear_message(logged_in, one_to_one, query, message):
    response = logged_in.get(client_url(one_to_one, one_to_one.ada) + "?" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_client_switcher_lists_active_and_pending_clients_and_searches(logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    switcher = page[page.index('id="client-list"') : page.index("</ul>", page.index('id="client-list"'))]
    assert [n for n in ("Ada Athlete", "Ben Athlete", "Cleo Athlete", "Dan Pending") if n in switcher] == [
        "Ada Athlete", "Ben Athlete", "Cleo Athlete", "Dan Pending",
    ]  # fmt: skip
    assert 'hx-push-url="true"' in switcher and 'hx-target="#calendar"' in switcher
    found = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=cle", headers=HTMX).get_data(as_text=True)
    assert "Cleo Athlete" in found and "Ada Athlete" not in found
    none = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=zzz", headers=HTMX).get_data(as_text=True)
    assert "No clients match" in none


def test_client_switcher_gets_a_search_box_from_nine_clients(app, logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    assert "Search clients" not in page  # four clients fit on screen
    for name in ("Eve", "Fay", "Gil", "Hal", "Ivy"):
        add_subscription(app, one_to_one.id, f"{name.lower()}@example.com", name=f"{name} Pending")
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    assert element(page, "label", text="Search clients")["for"] == "client-search"
    search = element(page, "input", id="client-search")
    assert search["type"] == "search" and search["hx-target"] == "#client-list"
    assert search["hx-get"] == f"/programs/{one_to_one.id}/calendar/clients"
    found = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=IVY", headers=HTMX).get_data(as_text=True)
    assert found.lstrip().startswith('<ul id="client-list"') and "Ivy Pending" in found and "Ada Athlete" not in found
    by_email = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=hal@", headers=HTMX).get_data(as_text=True)
    assert "Hal Pending" in by_email and "Eve Pending" not in by_email


def test_pending_clients_calendar_is_written_like_any_other(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.dan)
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("First week", [SQUAT]), headers=HTMX)
    assert response.status_code == 200
    assert "First week" in logged_in.get(client_url(one_to_one, one_to_one.dan, date="2026-11-01")).get_data(as_text=True)


# --- the session editor ---------------------------------------------------------------------


def test_add_session_opens_an_empty_editor_for_that_day(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    html = logged_in.get(f"/programs/{one_to_one.id}/calendars/{cid}/sessions/new?date=2026-11-03", headers=HTMX).get_data(as_text=True)
    assert "Add session" in html and "Tue 3 Nov 2026" in html
    assert 'name="title"' in html and 'name="prescriptions-0-exercise"' in html
    assert 'list="exercise-names"' in html and '<option value="Back Squat">' in html
    assert "Save session" in html


def test_coach_adds_session_with_prescriptions_and_sees_the_day_swapped_in(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(
        f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("Heavy day", [SQUAT, BENCH, {}]), headers=HTMX
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div class="day') and 'data-date="2026-11-03"' in html
    assert "Heavy day" in html and "Bench Press 3×8-12 @ 75% 1RM" in html
    assert response.headers["HX-Trigger"] == "calendar-changed"
    with app.app_context():
        session = db.session.scalar(select(Session))
        rows = db.session.scalars(select(Prescription).order_by(Prescription.position)).all()
        assert session.date == NOV_3 and session.title == "Heavy day"
        assert [(r.sets, r.reps_min, r.reps_max, r.load_value, r.load_unit) for r in rows] == [
            (5, 5, 5, 100.0, "kg"), (3, 8, 12, 75.0, "%1rm"),
        ]  # fmt: skip
        assert (rows[1].rpe, rows[1].tempo, rows[1].rest_seconds) == (8.0, "3-1-X-0", 120)


def test_several_sessions_on_one_day_keep_their_order(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3, title="Morning")
    plan(app, one_to_one.ada, NOV_3, title="Evening")
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2026-11-01")).get_data(as_text=True)
    assert page.index("Morning") < page.index("Evening")


def test_editor_buttons_add_reorder_and_remove_exercises_without_saving(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    url = f"/programs/{one_to_one.id}/calendars/{cid}/sessions"
    html = logged_in.post(url, data=session_form(rows=[SQUAT, BENCH], action="down-0"), headers=HTMX).get_data(as_text=True)
    assert exercise_rows(html) == ["Bench Press", "Back Squat"]
    html = logged_in.post(url, data=session_form(rows=[SQUAT, BENCH], action="remove-0"), headers=HTMX).get_data(as_text=True)
    assert exercise_rows(html) == ["Bench Press"]
    response = logged_in.post(url, data=session_form(rows=[SQUAT], action="add"), headers=HTMX)
    assert response.headers["HX-Retarget"] == "#session-dialog-body"
    assert exercise_rows(response.get_data(as_text=True)) == ["Back Squat", ""]
    with app.app_context():
        assert db.session.scalar(select(func.count(Session.id))) == 0


def autofocused(html):
    """The one element the editor puts the keyboard on (its id, or a button's action value)."""
    found = [field for tag in ("input", "select", "textarea", "button") for field in elements(html, tag, autofocus=True)]
    assert len(found) == 1, found
    return found[0]["value"] if found[0].get("name") == "action" else found[0]["id"]


@pytest.mark.parametrize(
    "action, rows, focus",
    [
        ("add", [SQUAT], "prescriptions-1-exercise"),  # the new row, ready to type into
        ("up-2", [SQUAT, BENCH, SQUAT], "up-1"),  # Move up again, on the row that moved
        ("up-1", [SQUAT, BENCH], "down-0"),  # it reached the top: its only button left
        ("down-0", [SQUAT, BENCH, SQUAT], "down-1"),
        ("remove-0", [SQUAT, BENCH], "prescriptions-0-exercise"),  # the row that took its place
        ("remove-1", [SQUAT, BENCH], "prescriptions-0-exercise"),
        ("remove-0", [SQUAT], "add"),  # no rows left: Add exercise
    ],
)
def test_editor_buttons_keep_the_keyboard_where_the_coach_was(app, logged_in, one_to_one, action, rows, focus):
    cid = calendar_id(app, one_to_one.ada)
    url = f"/programs/{one_to_one.id}/calendars/{cid}/sessions"
    html = logged_in.post(url, data=session_form(rows=rows, action=action), headers=HTMX).get_data(as_text=True)
    assert autofocused(html) == focus


def test_a_refused_save_puts_the_keyboard_on_the_first_field_with_a_message(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    url = f"/programs/{one_to_one.id}/calendars/{cid}/sessions"
    rows = [SQUAT, {**BENCH, "exercise": "Unicorn Press"}, {**SQUAT, "sets": "999"}]
    html = logged_in.post(url, data=session_form(rows=rows), headers=HTMX).get_data(as_text=True)
    assert autofocused(html) == "prescriptions-1-exercise"
    html = logged_in.post(url, data=session_form(title="", rows=rows), headers=HTMX).get_data(as_text=True)
    assert autofocused(html) == "title"
    # A new session's editor opens on its Title; an existing one's on nothing in particular.
    new = logged_in.get(f"{url}/new?date=2026-11-03", headers=HTMX).get_data(as_text=True)
    assert autofocused(new) == "title"
    sid = plan(app, one_to_one.ada, NOV_3)
    assert "autofocus" not in logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    # Insert of a workout that is not in the library: on the workout's name.
    html = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/insert", data={"date": "2026-11-03", "workout": "Nope"}, headers=HTMX).get_data(as_text=True)
    assert "There is no workout with this name" in html and autofocused(html) == "workout"


def test_save_session_replaces_title_notes_and_prescriptions(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    html = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    assert 'value="Lower body"' in html and exercise_rows(html) == ["Back Squat"] and "Delete" in html
    response = logged_in.post(
        f"/programs/{one_to_one.id}/sessions/{sid}", data=session_form("Upper body", [BENCH], notes="Go easy", version="1"), headers=HTMX
    )
    assert response.status_code == 200 and "Upper body" in response.get_data(as_text=True)
    assert calendar_rows(app, calendar_id(app, one_to_one.ada)) == [(NOV_3, "Upper body", [("Bench Press", 3, "8-12", 75.0)])]


BAD_ROWS = [
    ({"title": ""}, [], "Enter a title."),
    ({"title": "x" * 121}, [], "at most 120"),
    ({"notes": "x" * 2001}, [], "at most 2000"),
    ({}, [{**SQUAT, "sets": "-1"}], "Sets must be from 1 to 50."),
    ({}, [{**SQUAT, "sets": "1000"}], "Sets must be from 1 to 50."),
    ({}, [{**SQUAT, "sets": "many"}], "Not a valid integer"),
    ({}, [{**SQUAT, "reps": "12-8"}], "smaller number first"),
    ({}, [{**SQUAT, "reps": "9999"}], "Enter reps like 5 or 8-12."),
    ({}, [{**SQUAT, "load": "nan"}], "Enter a load"),
    ({}, [{**SQUAT, "load": "100000"}], "Load must be from 0 to 1000."),
    ({}, [{**SQUAT, "load": "-5"}], "Load must be from 0 to 1000."),
    ({}, [{**SQUAT, "load": "180", "load_unit": "%1rm"}], "Load must be from 0 to 150."),
    ({}, [{**SQUAT, "load_unit": "stone"}], "Not a valid choice"),
    ({}, [{**SQUAT, "rpe": "11"}], "RPE must be from 1 to 10."),
    ({}, [{**SQUAT, "tempo": "slow please"}], "Enter a tempo"),
    ({}, [{**SQUAT, "rest": "forever"}], "Enter seconds"),
    ({}, [{**SQUAT, "notes": "x" * 501}], "at most 500"),
    ({}, [{**SQUAT, "exercise": "Underwater Basket Weaving"}], "Choose an exercise from your library"),
    ({}, [{**SQUAT, "exercise": "Olive's Secret Press"}], "Choose an exercise from your library"),
]


@pytest.mark.parametrize("fields, rows, message", BAD_ROWS)
def test_bad_session_input_comes_back_with_a_message_and_nothing_is_saved(app, logged_in, one_to_one, others_program, fields, rows, message):
    cid = calendar_id(app, one_to_one.ada)
    data = {**session_form(rows=[BENCH, *rows]), **fields}
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=data, headers=HTMX)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#session-dialog-body"
    html = response.get_data(as_text=True)
    assert message in html and exercise_rows(html)[0] == "Bench Press"  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count(Session.id)).where(Session.calendar_id == cid)) == 0


def test_an_archived_exercise_is_not_offered_but_stays_on_sessions_that_use_it(app, logged_in, one_to_one):
    with app.app_context():
        own = library_exercises.create_exercise(one_to_one.coach_id, "Tempo Squat", "strength", "load_reps")
        db.session.commit()
        own_id = own.id
    sid = plan(app, one_to_one.ada, NOV_3, exercises=[("Tempo Squat", 3, 5, 80)])
    logged_in.post(f"/exercises/{own_id}/archive", data={"archived": "1"})
    cid = calendar_id(app, one_to_one.ada)
    editor = logged_in.get(f"/programs/{one_to_one.id}/calendars/{cid}/sessions/new?date=2026-11-04", headers=HTMX).get_data(as_text=True)
    assert '<option value="Tempo Squat">' not in editor
    row = {"exercise": "Tempo Squat", "sets": "3", "reps": "5"}
    new = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form(rows=[row]), headers=HTMX)
    assert new.status_code == 400
    kept = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}", data=session_form("Still here", [row], version="1"), headers=HTMX)
    assert kept.status_code == 200


def test_stale_save_of_a_session_deleted_in_another_tab_keeps_what_was_typed(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/delete", headers=HTMX)
    data = session_form("My careful edit", [SQUAT], version="1", calendar_id=str(cid))
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}", data=data, headers=HTMX)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "deleted in another tab" in html and 'value="My careful edit"' in html
    assert f'hx-post="/programs/{one_to_one.id}/calendars/{cid}/sessions"' in html
    again = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data={**data, "version": ""}, headers=HTMX)
    assert again.status_code == 200
    assert [row[1] for row in calendar_rows(app, cid)] == ["My careful edit"]


def test_stale_save_after_an_edit_in_another_tab_is_refused_once_then_saved_knowingly(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    url = f"/programs/{one_to_one.id}/sessions/{sid}"
    assert logged_in.post(url, data=session_form("Tab one", [SQUAT], version="1"), headers=HTMX).status_code == 200
    stale = logged_in.post(url, data=session_form("Tab two", [SQUAT], version="1"), headers=HTMX)
    assert stale.status_code == 409 and "changed in another tab" in stale.get_data(as_text=True)
    assert form_key(stale.get_data(as_text=True), "version") == "2"
    assert calendar_rows(app, cid)[0][1] == "Tab one"
    assert logged_in.post(url, data=session_form("Tab two", [SQUAT], version="2"), headers=HTMX).status_code == 200
    assert calendar_rows(app, cid)[0][1] == "Tab two"


def test_editor_opened_without_htmx_is_the_calendar_page_with_the_editor_open(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    page = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit").get_data(as_text=True)
    assert "<html" in page and "open" in element(page, "dialog", id="session-dialog")
    assert 'data-date="2026-11-03"' in page and 'value="Lower body"' in page and "Copy to clients" in page
    saved = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}", data=session_form("No script", [SQUAT], version="1"))
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/clients/{one_to_one.ada}/calendar?view=month&date=2026-11-03")


def test_delete_removes_the_session_and_can_be_undone(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3, title="Warm-up")
    sid = plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100), ("Romanian Deadlift", 3, 8, 80)])
    cid = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ada, NOV_3, title="Cool-down")
    before = calendar_rows(app, cid)
    editor = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    assert "hx-confirm=" in editor
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/delete", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "calendar-changed"
    assert 'data-date="2026-11-03"' in html and f'data-session-id="{sid}"' not in html
    assert "Deleted “Lower body”." in html and "Undo" in html
    assert [row[1] for row in calendar_rows(app, cid)] == ["Warm-up", "Cool-down"]
    undo = element(html, "button", text="Undo")
    restored = logged_in.post(undo["hx-post"], data=json.loads(undo["hx-vals"]), headers=HTMX)
    assert restored.status_code == 200 and "Restored “Lower body”." in restored.get_data(as_text=True)
    assert calendar_rows(app, cid) == before  # back in its place, with its exercises


def test_undo_of_a_delete_cannot_be_forged_or_moved_to_another_calendar(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    html = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/delete", headers=HTMX).get_data(as_text=True)
    token = json.loads(element(html, "button", text="Undo")["hx-vals"])["undo"]
    ben = calendar_id(app, one_to_one.ben)
    elsewhere = logged_in.post(f"/programs/{one_to_one.id}/calendars/{ben}/restore", data={"undo": token}, headers=HTMX)
    from itsdangerous import URLSafeTimedSerializer

    snapshot = URLSafeTimedSerializer("test-secret-key", salt="fitr.calendar.undo-delete").loads(token)
    wrong_key = URLSafeTimedSerializer("a guessed key", salt="fitr.calendar.undo-delete").dumps(snapshot)
    forged = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/restore", data={"undo": wrong_key}, headers=HTMX)
    assert elsewhere.status_code == 400 and "another calendar" in elsewhere.get_data(as_text=True)
    assert forged.status_code == 400 and "expired" in forged.get_data(as_text=True)
    assert calendar_rows(app, cid) == [] and calendar_rows(app, ben) == []


def test_ended_clients_calendar_is_shown_read_only_and_refuses_changes(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.cleo, NOV_3, exercises=[("Back Squat", 5, 5, 100)])
    cid = calendar_id(app, one_to_one.cleo)
    end_subscription(app, one_to_one.cleo)
    page = logged_in.get(client_url(one_to_one, one_to_one.cleo, date="2026-11-01")).get_data(as_text=True)
    assert "read-only" in page and "Lower body" in page and "Add session on" not in page
    assert "Cleo Athlete" not in page[page.index('id="client-list"') :page.index("</ul>", page.index('id="client-list"'))]
    create = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("Nope", [SQUAT]), headers=HTMX)
    edit = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}", data=session_form("Nope", [SQUAT], version="1"), headers=HTMX)
    delete = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/delete", headers=HTMX)
    assert create.status_code == 400 and "read-only" in create.get_data(as_text=True)
    assert edit.status_code == 400 and delete.status_code == 403
    session_url = f"/programs/{one_to_one.id}/sessions/{sid}"
    with app.app_context():
        library_workouts.add_workout(one_to_one.coach_id, "Library day")
        db.session.commit()
    refused = {
        "move": logged_in.post(f"{session_url}/move", data={"to-date": "2026-11-05"}, headers=HTMX),
        "duplicate": logged_in.post(f"{session_url}/duplicate", headers=HTMX),
        "reorder": logged_in.post(f"{session_url}/reorder", data={"offset": "1"}, headers=HTMX),
        "copy to clients": logged_in.post(f"{session_url}/copy", data={"clients": str(one_to_one.ada), "on-date": "2026-11-10"}, headers=HTMX),
        "copy a day": logged_in.post(
            f"/programs/{one_to_one.id}/calendars/{cid}/copy",
            data={"copy-span": "day", "copy-source-date": "2026-11-03", "copy-to-date": "2026-11-04"},
            headers=HTMX,
        ),
        "insert": logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/insert", data={"date": "2026-11-04", "workout": "Library day"}, headers=HTMX),
    }
    for action, response in refused.items():
        assert response.status_code in (400, 403), action
        assert "read-only" in response.get_data(as_text=True), action
    assert calendar_rows(app, cid) == [(NOV_3, "Lower body", [("Back Squat", 5, "5", 100)])]
    assert calendar_rows(app, calendar_id(app, one_to_one.ada)) == []


def test_ended_clients_session_opens_without_buttons_that_would_change_it(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.cleo, NOV_3)
    end_subscription(app, one_to_one.cleo)
    html = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    assert "read-only" in html and exercise_rows(html) == ["Back Squat"] and ">Edit session<" not in html
    for button in ("Add exercise", "Remove", "Move up", "Move down", "Save session", "Delete"):
        assert f">{button}<" not in html, button


def test_edit_to_one_clients_calendar_leaves_other_clients_untouched(app, logged_in, one_to_one):
    ada_session = plan(app, one_to_one.ada, NOV_3)
    ada_cal = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ben, NOV_3)
    ben_cal = calendar_id(app, one_to_one.ben)
    before = calendar_rows(app, ben_cal)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{ada_session}", data=session_form("Ada only", [BENCH], version="1"), headers=HTMX)
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{ada_cal}/sessions", data=session_form("Ada extra", [SQUAT]), headers=HTMX)
    assert calendar_rows(app, ben_cal) == before
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{ada_session}/delete", headers=HTMX)
    assert calendar_rows(app, ben_cal) == before
    assert [row[1] for row in calendar_rows(app, ada_cal)] == ["Ada extra"]


def test_a_session_id_from_another_calendar_of_the_program_cannot_be_saved_through_the_wrong_url(app, logged_in, one_to_one, others_program):
    # Another coach's session id under my program's URL is a 404 and changes nothing.
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{others_program.session}", data=session_form("Mine now", [SQUAT], version="1"), headers=HTMX)
    assert response.status_code == 404
    assert calendar_rows(app, others_program.calendar)[0][1] == "Olive's session"


# --- the exercise library ------------------------------------------------------------------------


def test_starter_library_has_at_least_150_measured_exercises_and_loads_once(app, starter_exercises):
    with app.app_context():
        assert library_exercises.load_starter_exercises() == 0
        exercises = db.session.scalars(select(Exercise).where(Exercise.coach_id.is_(None))).all()
        assert len(exercises) >= 150
        assert {e.measure for e in exercises} == {"load_reps", "reps", "time", "distance"}
        assert {"strength", "conditioning", "mobility"} <= {e.category for e in exercises}


def test_load_exercises_command_loads_the_starter_library(app, runner):
    result = runner.invoke(args=["library", "load-exercises"])
    assert "Added" in result.output
    assert runner.invoke(args=["library", "load-exercises"]).output.strip() == "Added 0 starter exercises."


def test_coach_creates_renames_and_archives_their_own_exercise(app, logged_in, starter_exercises):
    page = logged_in.get("/exercises").get_data(as_text=True)
    assert "Starter library" in page and "Back Squat" in page
    response = logged_in.post("/exercises", data={"name": "  Banded   Good Morning ", "category": "strength", "measure": "load_reps"}, follow_redirects=True)
    assert "Added Banded Good Morning to your exercises." in response.get_data(as_text=True)
    duplicate = logged_in.post("/exercises", data={"name": "banded good morning", "category": "strength", "measure": "reps"})
    assert duplicate.status_code == 400 and "already have an exercise with this name" in duplicate.get_data(as_text=True)
    with app.app_context():
        exercise_id = db.session.scalar(select(Exercise.id).where(Exercise.name == "Banded Good Morning"))
    logged_in.post(f"/exercises/{exercise_id}/rename", data={"name": "Band Good Morning"})
    logged_in.post(f"/exercises/{exercise_id}/archive", data={"archived": "1"})
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        assert (exercise.name, exercise.archived) == ("Band Good Morning", True)


def test_an_own_exercise_named_like_a_starter_one_is_offered_once_and_is_the_one_used(app, logged_in, one_to_one):
    logged_in.post("/exercises", data={"name": "back squat", "category": "strength", "measure": "reps"})
    cid = calendar_id(app, one_to_one.ada)
    editor = logged_in.get(f"/programs/{one_to_one.id}/calendars/{cid}/sessions/new?date=2026-11-03", headers=HTMX).get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]*)">', editor[editor.index('id="exercise-names"') :])
    assert [name for name in offered if name.lower() == "back squat"] == ["back squat"]
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form(rows=[{"exercise": "back squat"}]), headers=HTMX)
    with app.app_context():
        used = db.session.scalar(select(Exercise).join(Prescription, Prescription.exercise_id == Exercise.id))
        assert (used.name, used.coach_id) == ("back squat", one_to_one.coach_id)


@pytest.mark.parametrize(
    "name, message",
    [("", "Enter a name."), ("x" * 81, "at most 80"), ("band good morning", "already have an exercise with this name")],
)
def test_a_refused_rename_says_why_next_to_that_exercises_name_and_renames_nothing(app, logged_in, starter_exercises, name, message):
    for new in ("Band Good Morning", "Tempo Squat"):
        logged_in.post("/exercises", data={"name": new, "category": "strength", "measure": "reps"})
    with app.app_context():
        tempo = db.session.scalar(select(Exercise.id).where(Exercise.name == "Tempo Squat"))
    response = logged_in.post(f"/exercises/{tempo}/rename", data={"name": name})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = html[html.index(f'id="rename-{tempo}"') :]
    assert field.index(message) < field.index("</form>")  # in that exercise's own form
    assert f'aria-describedby="rename-{tempo}-error"' in html and "autofocus" in html
    with app.app_context():
        assert db.session.get(Exercise, tempo).name == "Tempo Squat"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "category": "strength", "measure": "reps"}, "Enter a name."),
        ({"name": "x" * 81, "category": "strength", "measure": "reps"}, "at most 80"),
        ({"name": "Thing", "category": "juggling", "measure": "reps"}, "Not a valid choice"),
        ({"name": "Thing", "category": "strength", "measure": "vibes"}, "Not a valid choice"),
    ],
)
def test_bad_exercise_input_gets_a_message(app, logged_in, data, message):
    response = logged_in.post("/exercises", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Exercise.id))) == 0


def test_coach_cannot_rename_starter_or_another_coachs_exercise(app, logged_in, others_program):
    with app.app_context():
        starter = db.session.scalar(select(Exercise.id).where(Exercise.name == "Back Squat"))
    assert logged_in.post(f"/exercises/{starter}/rename", data={"name": "Mine"}).status_code == 404
    assert logged_in.post(f"/exercises/{others_program.exercise}/archive").status_code == 404


def test_calendar_for_subscription_is_one_calendar_per_subscription(app, one_to_one):
    with app.app_context():
        subscription = db.session.get(Subscription, one_to_one.ada)
        first = calendar_rules.calendar_for_subscription(subscription)
        second = calendar_rules.calendar_for_subscription(subscription)
        db.session.commit()
        assert first.id == second.id and first.kind == "client"
        assert db.session.scalar(select(func.count(Calendar.id)).where(Calendar.subscription_id == one_to_one.ada)) == 1


def test_dates_are_checked_by_the_rules_too(app, one_to_one):
    with app.app_context():
        calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, one_to_one.ada))
        with pytest.raises(calendar_rules.CalendarError, match="between 2000 and 2099"):
            calendar_rules.add_session(calendar, date(1999, 12, 31), one_to_one.coach_id, "Too early")
