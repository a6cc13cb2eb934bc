"""Workout mode: Start opens the session set by set (a superset's sets alternating A1, A2), each
row filled with the prescription in the client's unit; Finish saves the ticked sets as one log,
once however often it is sent; the summary shows sets, volume and new records and keeps an
optional session RPE and comment. Bad input is refused with a message and writes nothing; the
pages are the client's own and do a fixed number of queries."""

import re

import pytest
from factories import element, elements, log, plan, rows, update_user
from sqlalchemy import update

from fitr.calendars.models import Prescription
from fitr.extensions import db
from fitr.history.models import SessionLog, SetLog

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh


def superset(app, session_id, position=1):
    """The prescription at `position` joins the one above it: a superset (A1, A2)."""
    with app.app_context():
        db.session.execute(update(Prescription).where(Prescription.session_id == session_id,
                                                      Prescription.position == position).values(joined=True))  # fmt: skip
        db.session.commit()


def workout(client, session_id):
    """The workout page's HTML, opened as Start opens it."""
    response = client.get(f"/my/sessions/{session_id}/workout")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def finish(client, session_id, ticked, changes=None, key=None):
    """Finish as the phone sends it: the form's hidden fields and the rows of the ticked sets
    (set names like "Back Squat set 1"), `changes` {field name: value} typed over them."""
    html = workout(client, session_id)
    form = element(html, "form", class_="workout-form")
    data = {e["name"]: e["value"] for e in elements(form.html, "input", type="hidden") if not e["name"].startswith("sets-")}
    for row in elements(form.html, "li", class_="workout-set"):
        name = element(row.html, "button", **{"data-tick": True}).text.removesuffix(" done")
        if name in ticked:
            data.update({e["name"]: e["value"] for e in elements(row.html, "input")})
    data.update(changes or {})
    if key:
        data["submission_key"] = key
    response = client.post(f"/my/sessions/{session_id}/workout", data=data)
    response.sent = data
    return response


def test_start_opens_one_step_per_exercise_and_a_superset_alternates_its_sets_in_the_clients_unit(app, gym, as_ada):
    update_user(app, gym.ada, units="lb")
    session_id = plan(app, gym.ada_sub, gym.today, title="Push day",
                      exercises=(("Back Squat", 2, 5, 100), ("Bench Press", 2, 8, 60), ("Pull-up", 2, 6, None)))  # fmt: skip
    superset(app, session_id, position=2)  # Bench Press (B1) and Pull-up (B2)
    html = workout(as_ada, session_id)
    assert [h.text for h in elements(html, "h2", id=re.compile(r"step-\d+-title"))] == ["Back Squat", "Superset B"]
    ticks = [b.text for b in elements(html, "button", **{"data-tick": True})]
    assert ticks == ["Back Squat set 1 done", "Back Squat set 2 done", "Bench Press set 1 done", "Pull-Up set 1 done",
                     "Bench Press set 2 done", "Pull-Up set 2 done"]  # fmt: skip
    loads = [e["value"] for e in elements(html, "input", name=re.compile(r"sets-\d+-load"))]
    assert loads == ["220.5", "220.5", "132.3", "132.3"]  # in lb, the client's unit
    assert element(html, "label", for_="sets-1-load").text == "Back Squat set 1 Load (lb)"
    # No rest between B1 and B2 of a round; the client's default after B2; none after the last set.
    assert [e["data-rest"] for e in elements(html, "li", class_="workout-set")] == ["", "", "0", "", "0", "0"]
    assert "How to do Back Squat" in html and "<header" not in html  # full screen: no header, no tab bar


def test_finish_saves_the_ticked_sets_as_one_log_and_the_same_key_twice_is_one_log(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=(("Back Squat", 3, 5, 100), ("Bench Press", 2, 8, 60)))
    ticked = ["Back Squat set 1", "Back Squat set 2", "Back Squat set 3", "Bench Press set 1"]
    response = finish(as_ada, session_id, ticked, {"sets-3-reps": "4", "sets-3-load": "102.5"}, key="phone-key-1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/my/sessions/{session_id}/workout/summary")
    sets = [(s.exercise_name, s.set_number, s.reps, s.load_kg, s.prescribed) for s in rows(app, SetLog)]
    assert sorted(sets) == [("Back Squat", 1, 5, 100, True), ("Back Squat", 2, 5, 100, True),
                            ("Back Squat", 3, 4, 102.5, True), ("Bench Press", 1, 8, 60, True)]  # fmt: skip

    # The phone did not hear back and sends the workout again: still one log.
    again = as_ada.post(f"/my/sessions/{session_id}/workout", data=response.sent)
    assert again.status_code == 303 and again.headers["Location"].endswith("/workout/summary")
    assert len(rows(app, SessionLog)) == 1 and len(rows(app, SetLog)) == 4
    # Opening Start again shows the summary of what was saved.
    assert as_ada.get(f"/my/sessions/{session_id}/workout").headers["Location"].endswith("/workout/summary")


def test_bad_input_is_refused_with_a_message_and_nothing_is_written(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=(("Back Squat", 2, 5, 100),))
    response = finish(as_ada, session_id, ["Back Squat set 1"], {"sets-1-reps": "five"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter reps as a whole number" in page and "Nothing was saved" in page
    assert len(elements(page, "li", class_="workout-set")) == 2  # the set not sent is still there
    response = finish(as_ada, session_id, ["Back Squat set 1"], {"sets-1-load": "5000"})
    assert response.status_code == 400
    response = finish(as_ada, session_id, [])  # nothing ticked
    assert response.status_code == 400 and "Tick the sets you did, then Finish workout." in response.get_data(as_text=True)
    assert rows(app, SessionLog) == [] and rows(app, SetLog) == []

    finish(as_ada, session_id, ["Back Squat set 1"])
    for rpe, notes in (("11", ""), ("hard", ""), ("8", "x" * 2001)):
        response = as_ada.post(f"/my/sessions/{session_id}/workout/summary", data={"rpe": rpe, "notes": notes})
        assert response.status_code == 400, (rpe, len(notes))
    [saved] = rows(app, SessionLog)
    assert saved.rpe is None and saved.notes == ""


def test_the_summary_shows_sets_volume_and_new_records_then_keeps_rpe_and_comment(app, gym, as_ada):
    earlier = plan(app, gym.ada_sub, gym.today - gym.today.resolution * 7, exercises=(("Back Squat", 1, 5, 100),))
    log(app, gym.ada, earlier, [("Back Squat", 5, 100)], today=gym.today)
    session_id = plan(app, gym.ada_sub, gym.today, exercises=(("Back Squat", 2, 5, 110), ("Bench Press", 1, 8, 60)))
    finish(as_ada, session_id, ["Back Squat set 1", "Back Squat set 2", "Bench Press set 1"])
    page = as_ada.get(f"/my/sessions/{session_id}/workout/summary").get_data(as_text=True)
    totals = {dt.text: dd.text for dt, dd in zip(elements(page, "dt"), elements(page, "dd"), strict=True)}
    assert totals == {"Exercises": "2", "Sets": "3", "Volume": "1580 kg"}  # 2 × 5 × 110 + 8 × 60
    records = element(page, "section", class_="card workout-records").html
    assert element(records, "h2").text == "New records"
    assert [li.text for li in elements(records, "li")] == ["Back Squat 5 × 110 kg", "Bench Press 8 × 60 kg"]  # the set, short

    response = as_ada.post(f"/my/sessions/{session_id}/workout/summary", data={"rpe": "8.5", "notes": "Felt strong"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/my")
    [saved] = [entry for entry in rows(app, SessionLog) if entry.session_id == session_id]
    assert (saved.rpe, saved.notes, saved.status) == (8.5, "Felt strong", "done")
    assert len([s for s in rows(app, SetLog) if s.session_log_id == saved.id]) == 3  # the sets stay


def test_only_the_client_opens_their_workout(app, gym, auth, client):
    session_id = plan(app, gym.ada_sub, gym.today)
    for path in (f"/my/sessions/{session_id}/workout", f"/my/sessions/{session_id}/workout/summary"):
        assert "/login?next=" in client.get(path).headers["Location"]  # a visitor
    for email in ("ben@example.com", "zed@example.com", "casey@example.com"):  # another client, another coach's, the coach
        auth.login(email)
        assert client.get(f"/my/sessions/{session_id}/workout").status_code == 404, email
        assert client.post(f"/my/sessions/{session_id}/workout", data={"submission_key": "k", "status": "done"}).status_code == 404
        assert client.post(f"/my/sessions/{session_id}/workout/summary", data={"rpe": "8"}).status_code == 404
        auth.logout()
    assert rows(app, SessionLog) == []


def queries(count_queries, client, url):
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_workout_and_summary_do_a_fixed_number_of_queries(app, gym, as_ada, count_queries):
    small = plan(app, gym.ada_sub, gym.today, exercises=(("Back Squat", 1, 5, 100),))
    large = plan(app, gym.ada_sub, gym.today, title="Big day", exercises=(
        ("Back Squat", 5, 5, 100), ("Bench Press", 5, 5, 80), ("Pull-up", 4, 8, None), ("Plank", 3, None, None),
        ("Conventional Deadlift", 3, 3, 180)))  # fmt: skip
    superset(app, large, position=2)
    counts = [queries(count_queries, as_ada, f"/my/sessions/{s}/workout") for s in (small, large)]
    assert counts[0] == counts[1]
    finish(as_ada, small, ["Back Squat set 1"])
    finish(as_ada, large, [f"{name} set {n}" for name in ("Back Squat", "Bench Press") for n in range(1, 6)])
    counts = [queries(count_queries, as_ada, f"/my/sessions/{s}/workout/summary") for s in (small, large)]
    assert counts[0] == counts[1]
