"""Loads from percentages: a coach sets each client's training maxes on their overview; a
session written in % 1RM or % TM shows each client their own load, in their unit, rounded to
the program's plate increment, and Log session and Done as prescribed carry it; the coach's
editor shows the load per client; a client with no max known sees the percentage and a way to
enter their 1RM."""

from datetime import timedelta

import pytest
from factories import (
    add_subscription,
    bulk_users,
    card_lines,
    element,
    elements,
    log,
    main,
    one,
    plan,
    plan_percent,
    program_form,
    rows,
)

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.history.models import SetLog
from fitr.library.exercises import resolve_exercises
from fitr.maxes.models import TrainingMax
from fitr.maxes.rules import set_max
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE

HTMX = {"HX-Request": "true"}
HEAVY = (("Back Squat", 3, 5, 75, "%1rm"),)  # 3×5 @ 75% 1RM


def give_max(app, coach_id, client_id, value, name="Back Squat", kind="1rm", unit="kg"):
    with app.app_context():
        [exercise] = resolve_exercises(coach_id, [name]).values()
        set_max(coach_id, client_id, exercise, kind, value, unit)
        db.session.commit()


def set_units(app, user_id, unit):
    with app.app_context():
        db.session.get(User, user_id).units = unit
        db.session.commit()


def load_inputs(html):
    return [e["value"] for e in elements(html, "input", name=True) if e["name"].endswith("-load")]


def max_form(**fields):
    return {"exercise": "Back Squat", "kind": "1rm", "value": "140", "unit": "kg", **fields}


# --- the coach sets maxes on the client's overview ----------------------------------------------


def test_coach_sets_a_1rm_on_the_clients_overview_and_sees_it_there(app, gym, logged_in):
    overview = f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview"
    form = element(logged_in.get(overview).get_data(as_text=True), "form", id="max-form")
    assert element(form.html, "label", "Exercise") and element(form.html, "label", "Max (kg)")
    assert element(form.html, "button", "Save max")

    response = logged_in.post(f"{overview.removesuffix('/overview')}/maxes", data=max_form())

    assert response.status_code == 302
    saved = one(app, TrainingMax)
    assert (saved.coach_id, saved.client_id, saved.kind, saved.value_kg, saved.set_by) == (gym.coach, gym.ada, "1rm", 140, "coach")
    page = main(logged_in.get(overview))
    assert "1RM 140 kg" in page and "training max taken as 126 kg" in page and "Set by you" in page


def test_setting_a_max_again_replaces_it_and_a_coach_in_lb_types_pounds(app, gym, logged_in):
    set_units(app, gym.coach, "lb")
    url = f"/programs/{gym.strength}/clients/{gym.ada_sub}/maxes"
    assert logged_in.post(url, data=max_form(value="300", unit="lb")).status_code == 302
    assert logged_in.post(url, data=max_form(value="270", kind="tm", unit="lb")).status_code == 302
    saved = one(app, TrainingMax)
    assert saved.kind == "tm" and saved.value_kg == pytest.approx(270 * 0.45359237)


@pytest.mark.parametrize("fields, message", [
    ({"value": ""}, "Enter the max, like 100."),
    ({"value": "abc"}, "Enter a load like 102.5."),
    ({"value": "0"}, "Enter a max above 0 and at most 1000 kg."),
    ({"value": "1200"}, "Enter a max above 0 and at most 1000 kg."),
    ({"value": "9" * 40}, "Enter a load like 102.5."),
    ({"exercise": ""}, "Choose an exercise."),
    ({"exercise": "Moon Squat"}, "Choose an exercise from your library measured by load and reps."),
    ({"exercise": "Plank"}, "Choose an exercise from your library measured by load and reps."),
    ({"exercise": "Back\x07Squat"}, "Remove the control character (U+0007)"),
    ({"kind": "5rm"}, "Not a valid choice"),
])  # fmt: skip
def test_a_bad_max_is_refused_next_to_its_field_and_nothing_is_saved(app, gym, logged_in, fields, message):
    response = logged_in.post(f"/programs/{gym.strength}/clients/{gym.ada_sub}/maxes", data=max_form(**fields))
    assert response.status_code == 400
    assert message in element(response.get_data(as_text=True), "form", id="max-form").text
    assert rows(app, TrainingMax) == []


def test_coach_removes_a_max(app, gym, logged_in):
    give_max(app, gym.coach, gym.ada, 140)
    page = logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").get_data(as_text=True)
    remove = element(page, "form", action=f"/programs/{gym.strength}/clients/{gym.ada_sub}/maxes/{one(app, TrainingMax).id}/delete")
    assert element(remove.html, "button", "Remove the 1RM of Back Squat")
    assert logged_in.post(remove["action"]).status_code == 302
    assert rows(app, TrainingMax) == []


def test_only_the_clients_coach_may_set_or_remove_their_maxes(app, gym, auth):
    give_max(app, gym.coach, gym.ada, 140)
    max_id = one(app, TrainingMax).id
    base = f"/programs/{gym.strength}/clients/{gym.ada_sub}/maxes"
    visitor = auth.client.post(base, data=max_form(value="200"))
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    for email in ("olive@example.com", "ada@example.com"):  # another coach; the client herself
        auth.login(email)
        assert auth.client.post(base, data=max_form(value="200")).status_code == 404
        assert auth.client.post(f"{base}/{max_id}/delete").status_code == 404
        assert auth.client.get(f"{base.removesuffix('/maxes')}/overview").status_code == 404
        auth.logout()
    auth.login()  # Casey cannot remove a max through another client's URL
    assert auth.client.post(f"/programs/{gym.strength}/clients/{gym.ben_sub}/maxes/{max_id}/delete").status_code == 404
    assert one(app, TrainingMax).value_kg == 140


def test_two_coaches_of_one_client_keep_their_own_numbers(app, gym, auth):
    give_max(app, gym.coach, gym.ada, 140)
    give_max(app, gym.other_coach, gym.ada, 100)
    add_subscription(app, gym.olive, "ada@example.com", ACTIVE, client_id=gym.ada, start_date=gym.start, with_calendar=True)
    auth.login()
    page = main(auth.client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview"))
    assert "1RM 140 kg" in page and "100 kg" not in page
    auth.logout()
    auth.login("ada@example.com")
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    assert "105 kg" in main(auth.client.get(f"/my/sessions/{session_id}"))  # 75% of Casey's 140


# --- the client sees their own load -------------------------------------------------------------


def test_client_sees_their_load_in_kg_and_log_session_opens_with_it(app, gym, as_ada):
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert element(html, "p", "3×5 @ 75% 1RM (82.5 kg)", **{"class": "prescribed small"})
    assert "75% of your 1RM (110 kg)" in html
    assert load_inputs(html) == ["82.5"] * 3


def test_client_in_lb_sees_the_load_in_lb_on_5_lb_plates(app, gym, as_ada):
    give_max(app, gym.coach, gym.ada, 110)
    set_units(app, gym.ada, "lb")
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "3×5 @ 75% 1RM (180 lb)" in html
    assert load_inputs(html) == ["180"] * 3


def test_program_plate_increment_rounds_the_clients_load(app, gym, as_ada):
    with app.app_context():
        db.session.get(Program, gym.strength).plate_kg = 1.0
        db.session.commit()
    give_max(app, gym.coach, gym.ada, 103)
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    assert "(77 kg)" in main(as_ada.get(f"/my/sessions/{session_id}"))  # 77.25 kg on 1 kg plates


def test_a_percentage_of_the_training_max_comes_from_the_1rm_and_says_so(app, gym, as_ada):
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_sub, gym.today, (("Back Squat", 3, 5, 80, "%tm"),))
    page = main(as_ada.get(f"/my/sessions/{session_id}"))
    assert "3×5 @ 80% TM (80 kg)" in page and "80% of your training max (99 kg: 90% of your 1RM, 110 kg)" in page


def test_done_as_prescribed_saves_the_clients_own_load(app, gym, as_ada):
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_sub, gym.today, HEAVY + (("Bench Press", 2, 8, 60, "kg"),))
    quick = element(as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True), "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    assert as_ada.post(f"/my/sessions/{session_id}", data={**data, "as_prescribed": "1"}).status_code == 302
    sets = [(s.exercise_name, s.reps, s.load_kg) for s in rows(app, SetLog)]
    assert sets == [("Back Squat", 5, 82.5)] * 3 + [("Bench Press", 8, 60)] * 2


def test_done_as_prescribed_with_no_max_leaves_the_load_empty(app, gym, as_ada):
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    quick = element(as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True), "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    assert as_ada.post(f"/my/sessions/{session_id}", data={**data, "as_prescribed": "1"}).status_code == 302
    assert [(s.reps, s.load_kg) for s in rows(app, SetLog)] == [(5, None)] * 3


def test_today_and_the_calendar_show_the_clients_load(app, gym, as_ada):
    give_max(app, gym.coach, gym.ada, 110)
    plan_percent(app, gym.ada_sub, gym.today)
    assert card_lines(main(as_ada.get("/my"))) == ["A · Back Squat · 3×5 @ 75% 1RM (82.5 kg)"]
    assert card_lines(main(as_ada.get(f"/my/programs/{gym.ada_sub}/calendar"))) == ["A · Back Squat · 3×5 @ 75% 1RM (82.5 kg)"]


def test_the_estimated_1rm_is_used_only_where_the_program_allows_it(app, gym, as_ada):
    earlier = plan(app, gym.ada_sub, gym.today - timedelta(days=2))
    log(app, gym.ada, earlier, [("Back Squat", 5, 120)], today=gym.today)  # estimated 1RM 140 kg
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    assert "(105 kg)" not in main(as_ada.get(f"/my/sessions/{session_id}"))
    with app.app_context():
        db.session.get(Program, gym.strength).use_estimated_1rm = True
        db.session.commit()
    page = main(as_ada.get(f"/my/sessions/{session_id}"))
    assert "3×5 @ 75% 1RM (105 kg)" in page and "75% of your estimated 1RM (140 kg)" in page


# --- no max known: the percentage and a way to enter one ---------------------------------------


def test_client_with_no_max_sees_the_percentage_and_enters_their_1rm(app, gym, as_ada):
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert element(html, "p", "3×5 @ 75% 1RM", **{"class": "prescribed small"})
    assert load_inputs(html) == [""] * 3
    link = element(html, "a", "Enter your 1RM for Back Squat")
    form_page = as_ada.get(link["href"]).get_data(as_text=True)
    form = element(form_page, "form", action=link["href"])
    assert element(form.html, "label", "Your 1RM (kg)")

    refused = as_ada.post(link["href"], data={"value": "", "unit": "kg"})
    assert refused.status_code == 400 and "Enter your 1RM, like 100." in main(refused)
    assert as_ada.post(link["href"], data={"value": "zero", "unit": "kg"}).status_code == 400
    assert as_ada.post(link["href"], data={"value": "5000", "unit": "kg"}).status_code == 400
    assert rows(app, TrainingMax) == []

    assert as_ada.post(link["href"], data={"value": "100", "unit": "kg"}).status_code == 302
    saved = one(app, TrainingMax)
    assert (saved.coach_id, saved.client_id, saved.set_by, saved.value_kg) == (gym.coach, gym.ada, "client", 100)
    assert load_inputs(as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)) == ["75"] * 3


def test_a_client_cannot_overwrite_the_max_their_coach_set(app, gym, as_ada):
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    exercise = one(app, TrainingMax).exercise_id
    url = f"/my/sessions/{session_id}/max/{exercise}"
    assert "Your coach has set your max for Back Squat" in main(as_ada.get(url))
    response = as_ada.post(url, data={"value": "200", "unit": "kg"})
    assert response.status_code == 400 and one(app, TrainingMax).value_kg == 110


def test_enter_your_1rm_only_for_a_percentage_of_your_own_session(app, gym, as_ada, auth):
    session_id = plan_percent(app, gym.ada_sub, gym.today, HEAVY + (("Bench Press", 2, 8, 60, "kg"),))
    bench = resolve_ids(app, gym.coach, "Bench Press")
    squat = resolve_ids(app, gym.coach, "Back Squat")
    assert as_ada.get(f"/my/sessions/{session_id}/max/{bench}").status_code == 404  # written in kg
    auth.logout()
    auth.login("ben@example.com")
    assert auth.client.post(f"/my/sessions/{session_id}/max/{squat}", data={"value": "100"}).status_code == 404
    assert rows(app, TrainingMax) == []


def resolve_ids(app, coach_id, name):
    with app.app_context():
        return resolve_exercises(coach_id, [name])[name.lower()].id


# --- a Group calendar: every client their own load ----------------------------------------------


def test_on_a_group_calendar_each_client_sees_their_own_load(app, gym, auth):
    add_subscription(app, gym.team, "ben@example.com", ACTIVE, client_id=gym.ben, start_date=gym.start, with_calendar=True)
    give_max(app, gym.coach, gym.ada, 110)
    give_max(app, gym.coach, gym.ben, 150)
    session_id = plan_percent(app, gym.ada_team, gym.today)
    for email, load in (("ada@example.com", "82.5 kg"), ("ben@example.com", "112.5 kg")):
        auth.login(email)
        assert f"3×5 @ 75% 1RM ({load})" in main(auth.client.get(f"/my/sessions/{session_id}"))
        auth.logout()


# --- the coach's editor: the load per client -----------------------------------------------------


def test_editor_shows_the_load_of_the_one_client_of_a_1_2_1_calendar(app, gym, logged_in):
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    html = logged_in.get(f"/programs/{gym.strength}/sessions/{session_id}/edit", headers=HTMX).get_data(as_text=True)
    assert element(html, "p", "75% 1RM comes to: Ada Athlete 82.5 kg", **{"class": "small client-loads"})


def test_editor_shows_every_group_clients_load_and_who_has_no_max(app, gym, logged_in):
    add_subscription(app, gym.team, "ben@example.com", ACTIVE, client_id=gym.ben, start_date=gym.start, with_calendar=True)
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_team, gym.today)
    html = logged_in.get(f"/programs/{gym.team}/sessions/{session_id}/edit", headers=HTMX).get_data(as_text=True)
    loads = element(html, "p", **{"class": "small client-loads"})
    assert loads.text == "75% 1RM comes to: Ada Athlete 82.5 kg · Ben Athlete — no max"


def test_editor_loads_follow_what_the_coach_types_before_saving(app, gym, logged_in):
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    data = {"title": "Heavy day", "notes": "", "version": "1", "action": "add", "date": gym.today.isoformat(),
            "prescriptions-0-exercise": "Back Squat", "prescriptions-0-sets": "3", "prescriptions-0-reps": "5",
            "prescriptions-0-load": "90", "prescriptions-0-load_unit": "%1rm"}  # fmt: skip
    html = logged_in.post(f"/programs/{gym.strength}/sessions/{session_id}", data=data, headers=HTMX).get_data(as_text=True)
    loads = element(html, "p", **{"class": "small client-loads"})
    assert loads.text == "90% 1RM comes to: Ada Athlete 100 kg"  # 99 kg on 2.5 kg plates


# --- a fixed number of queries -----------------------------------------------------------------


def count(count_queries, client, url, headers=None):
    with count_queries() as counter:
        assert client.get(url, headers=headers).status_code == 200
    return counter.count


def test_group_editor_loads_take_the_same_queries_for_2_or_40_clients(app, gym, logged_in, count_queries):
    add_subscription(app, gym.team, "ben@example.com", ACTIVE, client_id=gym.ben, start_date=gym.start, with_calendar=True)
    with app.app_context():
        db.session.get(Program, gym.team).use_estimated_1rm = True
        db.session.commit()
    give_max(app, gym.coach, gym.ada, 110)
    session_id = plan_percent(app, gym.ada_team, gym.today, HEAVY + (("Bench Press", 3, 8, 70, "%tm"),))
    url = f"/programs/{gym.team}/sessions/{session_id}/edit"
    few = count(count_queries, logged_in, url, HTMX)
    for user_id in bulk_users(app, 38):
        with app.app_context():
            email = db.session.get(User, user_id).email
        add_subscription(app, gym.team, email, ACTIVE, client_id=user_id, start_date=gym.start)
        give_max(app, gym.coach, user_id, 100 + user_id % 50, name="Bench Press", kind="tm")
    assert count(count_queries, logged_in, url, HTMX) == few
    html = logged_in.get(url, headers=HTMX).get_data(as_text=True)
    assert len(elements(html, "span", **{"class": "client-load"})) == 2 * 40


def test_client_pages_with_percentages_take_the_same_queries_for_1_or_many_sessions(app, gym, as_ada, count_queries):
    with app.app_context():
        db.session.get(Program, gym.strength).use_estimated_1rm = True
        db.session.commit()
    give_max(app, gym.coach, gym.ada, 110)
    plan_percent(app, gym.ada_sub, gym.today)
    urls = ["/my", f"/my/programs/{gym.ada_sub}/calendar"]
    few = [count(count_queries, as_ada, url) for url in urls]
    for days in range(1, 7):
        plan_percent(app, gym.ada_sub, gym.today + timedelta(days=days),
                     HEAVY + (("Bench Press", 3, 8, 70, "%tm"), ("Conventional Deadlift", 1, 5, 80, "%1rm")))  # fmt: skip
        plan_percent(app, gym.ada_team, gym.today + timedelta(days=days))
    assert [count(count_queries, as_ada, url) for url in urls] == few


# --- program settings -------------------------------------------------------------------------


@pytest.mark.parametrize("fields, message", [
    ({"plate_kg": "0"}, "Enter a plate increment from 0.25 to 20 kg, like 2.5."),
    ({"plate_kg": "abc"}, "Enter a plate increment from 0.25 to 20 kg, like 2.5."),
    ({"plate_lb": "100"}, "Enter a plate increment from 0.5 to 50 lb, like 5."),
    ({"plate_lb": "-5"}, "Enter a plate increment from 0.5 to 50 lb, like 5."),
])  # fmt: skip
def test_a_bad_plate_increment_is_refused_and_nothing_changes(app, logged_in, program, fields, message):
    response = logged_in.post(f"/programs/{program}/edit", data=program_form(name="Changed", **fields))
    assert response.status_code == 400 and message in main(response)
    saved = one(app, Program)
    assert saved.name != "Changed" and (saved.plate_kg, saved.plate_lb) == (2.5, 5)


def test_coach_sets_plate_increments_and_the_estimated_1rm_in_program_settings(app, logged_in, program):
    form = logged_in.get(f"/programs/{program}/edit").get_data(as_text=True)
    assert element(form, "label", "Use estimated 1RM when no max is set")
    assert element(form, "input", id="plate_kg")["value"] == "2.5" and element(form, "input", id="plate_lb")["value"] == "5"
    data = program_form(plate_kg="1,25", plate_lb="2.5", use_estimated_1rm="y")
    assert logged_in.post(f"/programs/{program}/edit", data=data).status_code == 302
    saved = one(app, Program)
    assert (saved.plate_kg, saved.plate_lb, saved.use_estimated_1rm) == (1.25, 2.5, True)


def test_the_overview_takes_the_same_queries_for_1_or_many_maxes(app, gym, logged_in, count_queries):
    url = f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview"
    give_max(app, gym.coach, gym.ada, 140)
    few = count(count_queries, logged_in, url)
    for name in ("Bench Press", "Conventional Deadlift", "Overhead Press", "Front Squat", "Sumo Deadlift"):
        give_max(app, gym.coach, gym.ada, 100, name=name, kind="tm")
    assert count(count_queries, logged_in, url) == few
    assert len(elements(logged_in.get(url).get_data(as_text=True), "li", **{"class": "max-row"})) == 6
