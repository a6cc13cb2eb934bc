"""The session editor on a client's calendar: add, edit and delete a session and its
prescriptions (with Undo), its buttons and where they leave the keyboard, bad input, a session
changed or deleted in another tab, and an ended client's read-only calendar."""

import json
import re

import pytest
from factories import (
    BENCH,
    NOV_3,
    SQUAT,
    calendar_id,
    calendar_rows,
    card_lines,
    element,
    elements,
    end_subscription,
    form_key,
    plan,
    session_form,
)
from sqlalchemy import func, select

from fitr.calendars.models import Prescription, Session
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.library import workouts as library_workouts

HTMX = {"HX-Request": "true"}


def exercise_rows(html):
    """The exercises in the editor's rows, in order."""
    return [row["value"] for row in elements(html, "input", name=re.compile(r"prescriptions-\d+-exercise"))]


def client_url(program, sub, **query):
    url = f"/programs/{program.id}/clients/{sub}/calendar"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_add_session_opens_an_empty_editor_for_that_day(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    html = logged_in.get(f"/programs/{one_to_one.id}/calendars/{cid}/sessions/new?date=2026-11-03", headers=HTMX).get_data(as_text=True)
    assert "Add session" in html and "Tue 3 Nov 2026" in html
    assert 'name="title"' in html and 'name="prescriptions-0-exercise"' in html
    assert 'hx-get="/exercises/matches"' in html and 'hx-target="#prescriptions-0-exercise-matches"' in html
    assert "Save session" in html
    # Notes are folded away until there are some, so Save stays in view with a few exercises.
    notes = element(html, "details", class_="editor-notes")
    assert notes.get("open") is None and 'name="notes"' in notes.html


def test_a_sessions_notes_open_in_the_editor_when_it_has_some(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    form = session_form("Upper", [BENCH], notes="Slow eccentrics")
    assert logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=form, headers=HTMX).status_code == 200
    with app.app_context():
        sid = db.session.scalar(select(Session.id))
    html = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    notes = element(html, "details", class_="editor-notes")
    assert notes.get("open") is not None and "Slow eccentrics" in notes.html


def test_coach_adds_session_with_prescriptions_and_sees_the_day_swapped_in(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(
        f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("Heavy day", [SQUAT, BENCH, {}]), headers=HTMX
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div class="day') and 'data-date="2026-11-03"' in html
    assert "Heavy day" in html and "B · Bench Press · 3×8-12 @ 75% 1RM, RPE 8" in card_lines(html)
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
    html = logged_in.post(url, data=session_form(title="", rows=[]), headers=HTMX).get_data(as_text=True)
    assert autofocused(html) == "title"  # neither a title nor an exercise
    # A new session's editor opens on its first exercise (the title can come from the
    # exercises); an existing one's on nothing in particular.
    new = logged_in.get(f"{url}/new?date=2026-11-03", headers=HTMX).get_data(as_text=True)
    assert autofocused(new) == "prescriptions-0-exercise"
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
    ({"title": "x" * 121}, [], "at most 120"),
    ({"notes": "x" * 2001}, [], "at most 2000"),
    ({}, [{**SQUAT, "sets": "-1"}], "Sets must be from 1 to 50."),
    ({}, [{**SQUAT, "sets": "1000"}], "Sets must be from 1 to 50."),
    ({}, [{**SQUAT, "sets": "many"}], "Not a valid integer"),
    ({}, [{**SQUAT, "reps": "12-8"}], "smaller number first"),
    ({}, [{**SQUAT, "reps": "9999"}], "Enter reps like 5 or 8-12."),
    ({}, [{**SQUAT, "load": "nan"}], "Enter a load"),
    ({}, [{**SQUAT, "load": "100000"}], "Load must be from 0 to 1000."),
    ({}, [{**SQUAT, "load": "-5"}], "It cannot be negative. Enter a load like 100 or 72.5."),
    ({}, [{**SQUAT, "load": "180", "load_unit": "%1rm"}], "Load must be from 0 to 150."),
    ({}, [{**SQUAT, "load_unit": "stone"}], "Not a valid choice"),
    ({}, [{**SQUAT, "rpe": "11"}], "RPE must be from 1 to 10."),
    ({}, [{**SQUAT, "tempo": "slow please"}], "Enter a tempo"),
    ({}, [{**SQUAT, "rest": "forever"}], "Enter seconds"),
    ({}, [{**SQUAT, "notes": "x" * 501}], "at most 500"),
    ({}, [{**SQUAT, "exercise": "Underwater Basket Weaving"}], "Choose an exercise from your library"),
    ({}, [{**SQUAT, "exercise": "Olive's Secret Press"}], "Choose an exercise from your library"),
]


def test_a_session_without_a_title_takes_one_from_its_exercises_or_asks_for_one(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    url = f"/programs/{one_to_one.id}/calendars/{cid}/sessions"
    rows = [BENCH, {**SQUAT, "exercise": "Barbell Row"}, SQUAT]
    assert logged_in.post(url, data=session_form(title="  ", rows=rows), headers=HTMX).status_code == 200
    assert [title for _, title, _ in calendar_rows(app, cid)] == ["Bench Press + Barbell Row + 1 more"]
    refused = logged_in.post(url, data=session_form(title="", rows=[]), headers=HTMX)
    assert refused.status_code == 400 and "Enter a title or an exercise." in refused.get_data(as_text=True)
    assert len(calendar_rows(app, cid)) == 1


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


@pytest.mark.parametrize("rows", [31, 500])
def test_more_rows_than_a_session_holds_is_refused_whole(app, logged_in, one_to_one, rows):
    """The page offers at most 30 exercises; a forged form with more saves none of them."""
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions",
                              data=session_form(rows=[SQUAT] * rows), headers=HTMX)  # fmt: skip
    assert response.status_code == 400
    assert f"A session holds at most 30 exercises; this form has {rows}. Nothing was saved." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Session.id)).where(Session.calendar_id == cid)) == 0
        assert db.session.scalar(select(func.count(Prescription.id))) == 0


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


@pytest.mark.parametrize("forged", ["9223372036854775808", "-1", "x", ""])
def test_a_save_of_a_deleted_session_naming_no_calendar_is_not_found(app, logged_in, one_to_one, forged):
    """The hidden calendar_id of a deleted session's editor, forged: 404, nothing written (a
    number past 64 bits was a 500 on SQLite)."""
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/delete", headers=HTMX)
    data = session_form("My careful edit", [SQUAT], version="1", calendar_id=forged)
    assert logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}", data=data, headers=HTMX).status_code == 404
    assert calendar_rows(app, cid) == []


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
    choose = element(page, "a", text="Choose clients")  # Copy to clients, without JavaScript
    copying = logged_in.get(choose["href"]).get_data(as_text=True)
    assert "<html" in copying and "open" in element(copying, "details", class_="copy-session") and "Ben Athlete" in copying
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
