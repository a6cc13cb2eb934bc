"""Supersets and circuits: the coach joins an exercise to the one above in the session editor;
the rows are labelled A1, A2 (B, C for exercises on their own), a group's rounds are kept once,
and the client sees the group as one on their session page and calendar. Copies keep groups."""

import re

from factories import NOV_3, calendar_id, card_lines, element, elements, session_form
from sqlalchemy import select

from fitr.calendars.models import Prescription, Session
from fitr.extensions import db
from fitr.library.models import WorkoutItem

HTMX = {"HX-Request": "true"}
SQUAT = {"exercise": "Back Squat", "sets": "5", "reps": "5", "load": "100", "load_unit": "kg"}
BENCH = {"exercise": "Bench Press", "sets": "3", "reps": "8", "load": "70", "load_unit": "kg", "rounds": "3"}
ROW = {"exercise": "Barbell Row", "sets": "3", "reps": "8", "load": "60", "load_unit": "kg", "joined": "y"}
PLANK = {"exercise": "Plank", "time": "45", "joined": "y"}


def saved_rows(app):
    with app.app_context():
        rows = db.session.scalars(select(Prescription).order_by(Prescription.position)).all()
        return [(r.position, r.joined, r.rounds) for r in rows]


def add(client, world, rows, cid):
    return client.post(f"/programs/{world.id}/calendars/{cid}/sessions", data=session_form("Upper", rows), headers=HTMX)


def test_a_superset_is_saved_with_its_rounds_on_its_first_row(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    # Rounds typed on the second row of the group, and "joined" on the first row (nothing above it).
    bench = {**BENCH, "joined": "y"}
    bench.pop("rounds")
    row = {**ROW, "rounds": "4"}
    response = add(logged_in, one_to_one, [bench, row, SQUAT], cid)
    assert response.status_code == 200
    assert saved_rows(app) == [(0, False, 4), (1, True, None), (2, False, None)]
    html = response.get_data(as_text=True)
    assert card_lines(html) == ["A1 · Bench Press · 3×8 @ 70 kg", "A2 · Barbell Row · 3×8 @ 60 kg", "B · Back Squat · 5×5 @ 100 kg"]


def test_rounds_on_an_exercise_on_its_own_are_dropped_and_bad_rounds_are_refused(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    add(logged_in, one_to_one, [{**SQUAT, "rounds": "3"}], cid)
    assert saved_rows(app) == [(0, False, None)]
    refused = add(logged_in, one_to_one, [BENCH, {**ROW, "rounds": "0"}], cid)
    assert refused.status_code == 400
    assert "Rounds must be from 1 to 50." in refused.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Session)).all()) == 1  # only the first session


def test_the_editor_shows_the_superset_tick_and_rounds_when_reopened(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    add(logged_in, one_to_one, [BENCH, ROW, SQUAT], cid)
    with app.app_context():
        sid = db.session.scalar(select(Session.id))
    html = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    assert "checked" in element(html, "input", name="prescriptions-1-joined")
    assert "checked" not in element(html, "input", name="prescriptions-2-joined")
    assert elements(html, "input", name="prescriptions-0-joined") == []  # the first row joins nothing
    assert element(html, "input", name="prescriptions-0-rounds")["value"] == "3"


def test_the_client_sees_the_superset_as_one_group(app, auth, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    add(logged_in, one_to_one, [BENCH, ROW, PLANK, SQUAT], cid)
    with app.app_context():
        sid = db.session.scalar(select(Session.id))
    auth.logout()
    auth.login("ada@example.com")
    page = auth.client.get(f"/my/sessions/{sid}").get_data(as_text=True)
    headings = [h.text for h in elements(page, "h3", class_="group-heading")]
    assert headings == ["Circuit A · 3 rounds · one set of each in turn"]
    legends = [elements(f.html, "legend")[0].text for f in elements(page, "fieldset", class_=re.compile("log-exercise.*"))]
    assert legends == ["A1 Bench Press", "A2 Barbell Row", "A3 Plank", "B Back Squat"]
    grouped = [elements(f.html, "legend")[0].text for f in elements(page, "fieldset", class_="log-exercise in-group")]
    assert grouped == ["A1 Bench Press", "A2 Barbell Row", "A3 Plank"]
    calendar = auth.client.get(f"/my/programs/{one_to_one.ada}/calendar?date=2026-11-03").get_data(as_text=True)
    assert card_lines(calendar)[:2] == ["A1 · Bench Press · 3×8 @ 70 kg", "A2 · Barbell Row · 3×8 @ 60 kg"]


def test_a_session_without_groups_letters_its_exercises_without_numbers(app, auth, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    html = add(logged_in, one_to_one, [SQUAT, {**BENCH, "rounds": ""}], cid).get_data(as_text=True)
    assert card_lines(html) == ["A · Back Squat · 5×5 @ 100 kg", "B · Bench Press · 3×8 @ 70 kg"] and "A1" not in html


def test_copies_and_the_workout_library_keep_the_groups(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    add(logged_in, one_to_one, [BENCH, ROW, SQUAT], cid)
    with app.app_context():
        sid = db.session.scalar(select(Session.id))
    ben = calendar_id(app, one_to_one.ben)
    copied = logged_in.post(
        f"/programs/{one_to_one.id}/sessions/{sid}/copy",
        data={"calendar_id": cid, "clients": [one_to_one.ben], "on-date": NOV_3.isoformat()},
        headers=HTMX,
    )
    assert copied.status_code == 200, copied.get_data(as_text=True)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/save-to-library", headers=HTMX)
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{ben}/insert", data={"date": "2026-11-10", "workout": "Upper"}, headers=HTMX)
    with app.app_context():
        by_session = {}
        for p in db.session.scalars(select(Prescription).order_by(Prescription.session_id, Prescription.position)):
            by_session.setdefault(p.session_id, []).append((p.joined, p.rounds))
        assert list(by_session.values()) == [[(False, 3), (True, None), (False, None)]] * 3
        items = db.session.scalars(select(WorkoutItem).order_by(WorkoutItem.position)).all()
        assert [(i.joined, i.rounds) for i in items] == [(False, 3), (True, None), (False, None)]


def test_a_save_on_the_week_view_swaps_in_the_day_with_its_sessions_in_full(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    week = f"http://localhost/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?view=week&date=2026-11-03"
    month = week.replace("view=week", "view=month")
    on_week = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("Upper", [BENCH, ROW]),
                             headers=HTMX | {"HX-Current-URL": week})  # fmt: skip
    html = on_week.get_data(as_text=True)
    assert html.lstrip().startswith('<div class="day') and 'data-date="2026-11-03"' in html
    assert [li.text for li in elements(html, "li", class_="in-group")] == [
        "Superset A · 3 rounds: A1 Bench Press 3×8 @ 70 kg", "A2 Barbell Row 3×8 @ 60 kg",
    ]  # fmt: skip
    on_month = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("Again", [BENCH, ROW]),
                              headers=HTMX | {"HX-Current-URL": month})  # fmt: skip
    html = on_month.get_data(as_text=True)
    assert html.lstrip().startswith('<div class="day') and elements(html, "ol", class_="session-rows") == []
    assert card_lines(html)[-2:] == ["A1 · Bench Press · 3×8 @ 70 kg", "A2 · Barbell Row · 3×8 @ 60 kg"]


def test_thirty_rows_of_every_shape_save_in_as_many_queries_as_one(app, logged_in, one_to_one, count_queries):
    """Rows of different shapes (a load, a time, a superset's rounds) go in one INSERT."""
    cid = calendar_id(app, one_to_one.ada)
    counts = []
    for rows in ([SQUAT], [BENCH, ROW, PLANK, SQUAT, {**BENCH, "rpe": "8", "tempo": "3-1-x-0"}, ROW] * 5):
        with count_queries() as counter:
            saved = add(logged_in, one_to_one, rows, cid)
        assert saved.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    with app.app_context():
        assert len(db.session.scalars(select(Prescription)).all()) == 31
