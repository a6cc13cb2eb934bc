"""Personal Records: how they are computed (exact reps, Epley, ties, units, hand-entered), the
announcement when a saved log sets one, the records pages and the chart."""

from datetime import timedelta

import pytest
from factories import add_manual, element, exercise_id, log, plan, post_log

from fitr import errors
from fitr.extensions import db
from fitr.history import records as history_records
from fitr.history.models import ManualRecord
from fitr.library import exercises as library_exercises


def records_of(app, user_id, name, **kw):
    exercise = exercise_id(app, name)
    with app.app_context():
        return history_records.personal_records(user_id, **kw).get(exercise)


def logged(app, gym, days_ago, sets, status="done"):
    day = gym.today - timedelta(days=days_ago)
    session_id = plan(app, gym.ada_sub, day, exercises=[("Back Squat", 3, 5, 100), ("Plank", 1, None, None)])
    return log(app, gym.ada, session_id, sets, day=day, status=status, today=gym.today)


def test_best_load_is_for_exactly_that_many_reps(app, gym):
    logged(app, gym, 3, [("Back Squat", 5, 100), ("Back Squat", 3, 90), ("Back Squat", 12, 60)])
    squat = records_of(app, gym.ada, "Back Squat")
    assert {n: r.value for n, r in squat.by_reps.items()} == {5: 100, 3: 90}  # a set of 5 is not a set of 3; 12 is not counted
    assert squat.by_reps[5].date == gym.today - timedelta(days=3)


def test_estimated_1rm_uses_epley_and_a_single_is_its_own(app, gym):
    assert history_records.estimated_1rm(100, 1) == 100
    assert history_records.estimated_1rm(100, 5) == pytest.approx(116.667, abs=0.001)
    assert history_records.estimated_1rm(100, 10) == pytest.approx(133.333, abs=0.001)
    assert history_records.estimated_1rm(100, 11) is None
    logged(app, gym, 2, [("Back Squat", 1, 120), ("Back Squat", 5, 105)])
    squat = records_of(app, gym.ada, "Back Squat")
    assert squat.e1rm.value == pytest.approx(122.5) and squat.e1rm.reps == 5


def test_on_a_tie_the_earliest_date_holds_the_record(app, gym):
    first_log, _ = logged(app, gym, 10, [("Back Squat", 5, 100)])
    logged(app, gym, 3, [("Back Squat", 5, 100)])
    squat = records_of(app, gym.ada, "Back Squat")
    assert squat.by_reps[5].log_id == first_log
    assert squat.by_reps[5].date == gym.today - timedelta(days=10)


def test_loads_entered_in_lb_compare_with_loads_in_kg(app, gym):
    logged(app, gym, 5, [("Back Squat", 5, 100)])  # kg
    heavier, _ = log(app, gym.ada, plan(app, gym.ada_sub, gym.today - timedelta(days=4)),
                     [("Back Squat", 5, 225)], unit="lb", day=gym.today - timedelta(days=4), today=gym.today)  # fmt: skip
    tie, _ = log(app, gym.ada, plan(app, gym.ada_sub, gym.today - timedelta(days=2)),
                 [("Back Squat", 5, 225)], unit="lb", day=gym.today - timedelta(days=2), today=gym.today)  # fmt: skip
    squat = records_of(app, gym.ada, "Back Squat")
    assert squat.by_reps[5].value == pytest.approx(102.058, abs=0.001)  # 225 lb > 100 kg
    assert squat.by_reps[5].log_id == heavier  # and the later 225 lb ties, so the first keeps it
    assert tie != heavier


def test_best_time_distance_and_reps_for_other_measures(app, gym):
    day = gym.today - timedelta(days=1)
    session_id = plan(app, gym.ada_sub, day, exercises=[("Plank", 2, None, None), ("Running", 1, None, None), ("Pull-Up", 2, 8, None)])
    log(app, gym.ada, session_id, [
        {"exercise": "Plank", "duration_seconds": 60}, {"exercise": "Plank", "duration_seconds": 95},
        {"exercise": "Running", "distance_m": 5000},
        {"exercise": "Pull-Up", "reps": 8}, {"exercise": "Pull-Up", "reps": 11},
    ], day=day, today=gym.today)  # fmt: skip
    assert records_of(app, gym.ada, "Plank").time.value == 95
    assert records_of(app, gym.ada, "Running").distance.value == 5000
    assert records_of(app, gym.ada, "Pull-Up").reps.value == 11


def test_a_heavy_set_of_many_reps_is_not_a_most_reps_record(app, gym, as_ada):
    logged(app, gym, 2, [("Back Squat", 12, 60)])
    squat = records_of(app, gym.ada, "Back Squat")
    assert squat is None or squat.reps is None  # 12 × 60 kg is neither a rep record nor bodyweight reps
    assert "Most reps" not in as_ada.get("/my/records").get_data(as_text=True)

    day = gym.today - timedelta(days=1)
    session_id = plan(app, gym.ada_sub, day, exercises=[("Pull-Up", 1, 12, None)])
    log(app, gym.ada, session_id, [{"exercise": "Pull-Up", "reps": 12}], day=day, today=gym.today)
    assert records_of(app, gym.ada, "Pull-Up").reps.value == 12  # without load it is
    assert "Most reps: 12" in as_ada.get("/my/records").get_data(as_text=True)


def test_an_exercise_logged_only_in_sets_of_many_reps_says_why_it_has_no_record(app, gym, as_ada):
    logged(app, gym, 2, [("Back Squat", 12, 60)])
    squat = exercise_id(app, "Back Squat")
    listing = as_ada.get("/my/records").get_data(as_text=True)
    card = listing.split(f'href="/my/records/{squat}"')[1].split("</li>")[0]
    assert "No record yet: loads count from sets of 1 to 10 reps." in card  # not an empty card
    page = as_ada.get(f"/my/records/{squat}").get_data(as_text=True)
    assert "No record yet" in page and "Best load by reps" not in page  # no heading over an empty table


def test_skipped_sessions_and_other_clients_do_not_count(app, gym):
    logged(app, gym, 1, [("Back Squat", 5, 200)], status="skipped")
    bens = plan(app, gym.ben_sub, gym.today)
    log(app, gym.ben, bens, [("Back Squat", 5, 300)], today=gym.today)
    assert records_of(app, gym.ada, "Back Squat") is None


def test_hand_entered_records_count_and_cannot_be_in_the_future(app, gym):
    add_manual(app, gym.ada, "Back Squat", gym.today - timedelta(days=400), reps=3, load=140, note="Old gym", today=gym.today)
    squat = records_of(app, gym.ada, "Back Squat")
    assert squat.by_reps[3].value == 140 and squat.by_reps[3].manual_id is not None
    with pytest.raises(errors.RuleError, match="future"):
        add_manual(app, gym.ada, "Back Squat", gym.today + timedelta(days=1), reps=3, load=140, today=gym.today)
    with pytest.raises(errors.RuleError, match="1 to 10 reps"):
        add_manual(app, gym.ada, "Back Squat", gym.today, reps=15, load=60, today=gym.today)


def test_new_records_are_found_in_the_log_that_set_them(app, gym):
    _, first = logged(app, gym, 5, [("Back Squat", 5, 100)])
    _, same = logged(app, gym, 4, [("Back Squat", 5, 100)])
    _, better = logged(app, gym, 3, [("Back Squat", 5, 110)])
    assert ("Back Squat", "load", 5, 100) in first and ("Back Squat", "e1rm", 5, 116.67) in first
    assert same == []  # a tie is not a new record
    assert ("Back Squat", "load", 5, 110) in better


def test_client_sees_a_new_personal_record_when_saving_the_log(app, gym, as_ada):
    logged(app, gym, 7, [("Back Squat", 5, 100)])
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    response, _ = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 107.5}})
    page = as_ada.get(response.location).get_data(as_text=True)
    toast = element(element(page, "div", class_="toast toast-record").html, "p", class_="toast-body").text
    assert toast == "New record: Back Squat 5 × 107.5 kg"  # short: the set, not each record it made

    response, _ = post_log(as_ada, plan(app, gym.ada_sub, gym.today), {1: {"exercise_id": squat, "reps": 5, "load": 90}})
    assert "New record" not in as_ada.get(response.location).get_data(as_text=True)


def test_saving_a_log_again_announces_only_the_records_this_save_improved(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    first, _ = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}})
    page = as_ada.get(first.location).get_data(as_text=True)
    assert element(element(page, "div", class_="toast toast-record").html, "p", class_="toast-body").text == "New record: Back Squat 5 × 100 kg"

    typo_fixed, _ = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}}, notes="Felt good")
    page = as_ada.get(typo_fixed.location).get_data(as_text=True)
    assert "Session logged." in page and "New record" not in page

    heavier, _ = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 105}}, notes="Felt good")
    page = as_ada.get(heavier.location).get_data(as_text=True)
    assert element(element(page, "div", class_="toast toast-record").html, "p", class_="toast-body").text == "New record: Back Squat 5 × 105 kg"


def test_records_page_states_the_formula_and_lists_each_exercise(app, gym, as_ada):
    logged(app, gym, 2, [("Back Squat", 5, 100), {"exercise": "Plank", "duration_seconds": 75}])
    page = as_ada.get("/my/records").get_data(as_text=True)
    fold = element(page, "details", class_="chart-data formula-fold")  # folded away, after the records
    assert element(fold.html, "summary").text == "How e1RM is worked out"
    assert "load × (1 + reps ÷ 30)" in fold.text and "Epley" in fold.text and " open" not in fold.html.split(">")[0]
    assert page.index('class="record-list"') < page.index("formula-fold") and page.count("Epley") == 1
    assert "Back Squat" in page and "Estimated 1RM: 116.7 kg" in page
    assert "Plank" in page and "Longest time: 1:15" in page


def test_exercise_records_page_has_a_server_drawn_chart_and_links_to_the_session(app, gym, as_ada):
    log_a, _ = logged(app, gym, 20, [("Back Squat", 5, 100)])
    logged(app, gym, 10, [("Back Squat", 3, 110)])
    logged(app, gym, 1, [("Back Squat", 1, 130)])
    squat = exercise_id(app, "Back Squat")
    page = as_ada.get(f"/my/records/{squat}").get_data(as_text=True)
    assert "<svg" in page and "<polyline" in page and page.count("<circle") == 3
    assert "style=" not in page and "<script>" not in page
    assert "130 kg" in page and "Best load by reps" in page
    assert f'href="/my/logs/{log_a}"' in page


def test_client_adds_a_record_by_hand(app, gym, as_ada):
    squat = exercise_id(app, "Back Squat")
    form = as_ada.get(f"/my/records/new?exercise={squat}").get_data(as_text=True)
    assert "Load (kg)" in form and "Time" not in form.split("<form")[1].split("Date")[0]
    assert element(form, "input", id="reps")["inputmode"] == "numeric"  # a phone's number pad
    assert element(form, "input", id="load")["inputmode"] == "decimal"
    ok = as_ada.post("/my/records/new", data={"exercise": squat, "reps": "1", "load": "150",
                                              "date": (gym.today - timedelta(days=300)).isoformat(), "note": "Before fitr"})  # fmt: skip
    assert ok.status_code == 302
    page = as_ada.get(f"/my/records/{squat}").get_data(as_text=True)
    assert "150 kg" in page and "entered by hand" in page and "Before fitr" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reps": "1", "load": "150", "date": "2999-01-01"}, "cannot be dated in the future"),
        ({"reps": "1", "load": "lots", "date": "2020-01-01"}, "Enter a load like 102.5"),
        ({"reps": "1", "load": "9999", "date": "2020-01-01"}, "Load must be from 0 to 1000 kg"),
        ({"reps": "", "load": "100", "date": "2020-01-01"}, "1 to 10 reps"),
        ({"reps": "1", "load": "100", "date": ""}, "Enter the date of this record"),
    ],
)
def test_bad_hand_entered_records_are_refused(app, gym, as_ada, data, message):
    squat = exercise_id(app, "Back Squat")
    response = as_ada.post("/my/records/new", data={"exercise": squat, **data})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ManualRecord).count() == 0


def test_another_coachs_own_exercise_is_not_offered_or_shown(app, gym, as_ada):
    with app.app_context():
        secret = library_exercises.create_exercise(gym.other_coach, "Olive's Secret Press", "strength", "load_reps")
        db.session.commit()
        secret_id = secret.id
    assert "Olive&#39;s Secret Press" not in as_ada.get("/my/records/new").get_data(as_text=True)
    assert as_ada.get(f"/my/records/{secret_id}").status_code == 404
    assert as_ada.post("/my/records/new", data={"exercise": secret_id, "reps": "1", "load": "100",
                                                "date": "2020-01-01"}).status_code == 400  # fmt: skip
