"""Logging that respects the client's time: Log session opens with the session as prescribed,
in real values; Done as prescribed saves it in one tap; an empty Done is asked about, never
saved by accident; Skip session asks why (optional)."""

import pytest
from factories import element, elements, plan, post_log, rows

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.history.models import SessionLog, SetLog

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh

SESSION = (("Back Squat", 3, 5, 100), ("Bench Press", 3, 8, 60), ("Plank", 2, None, None))


def set_inputs(html, name):
    return [e["value"] for e in elements(html, "input", name=True) if e["name"].endswith(f"-{name}")]


def test_log_session_opens_with_the_prescription_as_real_values_in_the_clients_unit(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=SESSION)
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert set_inputs(html, "reps")[:6] == ["5", "5", "5", "8", "8", "8"]
    assert set_inputs(html, "load") == ["100", "100", "100", "60", "60", "60"]
    with app.app_context():
        db.session.get(User, gym.ada).units = "lb"
        db.session.commit()
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert set_inputs(html, "load")[:3] == ["220.5", "220.5", "220.5"]


def test_done_as_prescribed_of_a_session_with_nothing_to_measure_is_done(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=(("Plank", 2, None, None),))
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    quick = element(page, "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    assert as_ada.post(f"/my/sessions/{session_id}", data={**data, "as_prescribed": "1"}).status_code == 302
    assert [log.status for log in rows(app, SessionLog)] == ["done"]


def test_done_as_prescribed_saves_the_whole_session_as_written_in_one_tap(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=SESSION)
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    quick = element(page, "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    button = element(quick.html, "button", "Done as prescribed")
    response = as_ada.post(f"/my/sessions/{session_id}", data={**data, button["name"]: button["value"]})
    assert response.status_code == 302
    [log] = rows(app, SessionLog)
    assert log.status == "done" and log.date == gym.today
    sets = [(s.exercise_name, s.set_number, s.reps, s.load_kg) for s in rows(app, SetLog)]
    assert sets == [("Back Squat", n, 5, 100) for n in (1, 2, 3)] + [("Bench Press", n, 8, 60) for n in (1, 2, 3)]
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "Done as prescribed" not in page and "Update log" in page  # logged: the form shows the log


def test_changing_only_what_differed_keeps_the_rest_as_prescribed(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=SESSION[:1])
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    log_form = element(html, "form", **{"class": "log-form"})
    data = {e["name"]: e.get("value", "") for e in elements(log_form.html, "input", name=True) if e.get("type") != "radio"}
    data.update(status="done", notes="", rpe="")
    data["sets-3-load"] = "95"  # the third set was lighter
    assert as_ada.post(f"/my/sessions/{session_id}", data=data).status_code == 302
    assert [(s.reps, s.load_kg) for s in rows(app, SetLog)] == [(5, 100), (5, 100), (5, 95)]


def test_an_empty_done_is_asked_about_and_saved_only_when_confirmed(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=())
    response, data = post_log(as_ada, session_id, {})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "You chose Done but entered no sets." in page
    assert element(page, "button", "Done, no details")["name"] == "no_details"
    assert rows(app, SessionLog) == []
    confirmed = as_ada.post(f"/my/sessions/{session_id}", data={**data, "no_details": "1"})
    assert confirmed.status_code == 302
    [log] = rows(app, SessionLog)
    assert log.status == "done" and rows(app, SetLog) == []


def test_skip_session_asks_why_and_keeps_the_reason_for_the_coach(app, gym, as_ada, auth):
    session_id = plan(app, gym.ada_sub, gym.today)
    page = as_ada.get(f"/my/sessions/{session_id}?skip=1").get_data(as_text=True)
    assert element(page, "label", "Why are you skipping? (optional)")
    form = element(page, "form", **{"class": "log-form"})
    data = {e["name"]: e["value"] for e in elements(form.html, "input", type="hidden")}
    saved = as_ada.post(f"/my/sessions/{session_id}", data={**data, "notes": "Flu, back next week"})
    assert saved.status_code == 302
    [log] = rows(app, SessionLog)
    assert log.status == "skipped" and log.notes == "Flu, back next week" and rows(app, SetLog) == []
    auth.logout()
    auth.login()  # Casey, the coach
    coach = auth.client
    calendar = coach.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today.isoformat()}")
    assert "Skipped" in calendar.get_data(as_text=True)
