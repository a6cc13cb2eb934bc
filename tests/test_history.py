"""The client's history: everything logged, newest first, filtered by exercise and paged, and
one logged session's page."""

from datetime import timedelta

from factories import add_manual, element, elements, exercise_id, log, plan


def test_history_lists_everything_logged_newest_first_and_filters_by_exercise(app, gym, as_ada):
    older = plan(app, gym.ada_sub, gym.today - timedelta(days=2), title="Older squats")
    newer = plan(app, gym.ada_sub, gym.today - timedelta(days=1), title="Newer bench", exercises=[("Bench Press", 3, 5, 80)])
    log(app, gym.ada, older, [("Back Squat", 5, 100)], day=gym.today - timedelta(days=2), today=gym.today)
    log(app, gym.ada, newer, [("Bench Press", 5, 80)], day=gym.today - timedelta(days=1), today=gym.today)
    bens = plan(app, gym.ben_sub, gym.today, title="Ben only")
    log(app, gym.ben, bens, today=gym.today)

    page = as_ada.get("/my/history").get_data(as_text=True)
    assert page.index("Newer bench") < page.index("Older squats")
    assert "Ben only" not in page
    squat = exercise_id(app, "Back Squat")
    filtered = as_ada.get(f"/my/history?exercise={squat}").get_data(as_text=True)
    assert "Older squats" in filtered and "Newer bench" not in filtered
    assert as_ada.get("/my/history?page=0").status_code == 400
    assert as_ada.get("/my/history?exercise=abc").status_code == 400


def test_history_filter_lists_only_exercises_that_were_logged(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today - timedelta(days=1))
    log(app, gym.ada, session_id, [("Back Squat", 5, 100)], day=gym.today - timedelta(days=1), today=gym.today)
    add_manual(app, gym.ada, "Bench Press", gym.today - timedelta(days=300), reps=1, load=90, today=gym.today)

    page = as_ada.get("/my/history").get_data(as_text=True)
    options = page.split('id="exercise"', 1)[1].split("</select>", 1)[0]
    assert "Back Squat" in options
    assert "Bench Press" not in options  # only a hand-entered record: nothing to show in history


def test_history_is_paged(app, gym, as_ada):
    for days in range(1, 23):
        session_id = plan(app, gym.ada_sub, gym.today - timedelta(days=days), title=f"Day minus {days}")
        log(app, gym.ada, session_id, day=gym.today - timedelta(days=days), today=gym.today)
    first = as_ada.get("/my/history").get_data(as_text=True)
    second = as_ada.get("/my/history?page=2").get_data(as_text=True)
    assert "Day minus 1<" in first and "Day minus 20<" in first and "Day minus 21<" not in first
    assert "Older" in first and "Day minus 21<" in second and "Day minus 22<" in second
    assert "Newer" in second


def test_logged_session_page_shows_what_was_done(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    log_id, _ = log(app, gym.ada, session_id, [("Back Squat", 5, 100)], rpe=7, notes="Easy", today=gym.today)
    page = as_ada.get(f"/my/logs/{log_id}").get_data(as_text=True)
    assert "Back Squat</strong>: 1 × 5 @ 100 kg<" in page and "RPE 7" in page and "Easy" in page
    assert f"/my/sessions/{session_id}" in page


def test_history_says_equal_sets_once_with_how_many(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Volume day",
                      exercises=[("Back Squat", 5, 5, 112.5), ("Bench Press", 4, 8, 60), ("Plank", 2, 1, None)])  # fmt: skip
    sets = [("Back Squat", 5, 112.5)] * 5 + [("Bench Press", 8, 60)] * 3 + [("Bench Press", 6, 60)]
    sets += [{"exercise": "Plank", "duration_seconds": 60}] * 2 + [{"exercise": "Plank", "duration_seconds": 45}]
    log_id, _ = log(app, gym.ada, session_id, sets, today=gym.today)
    for page in (as_ada.get("/my/history").get_data(as_text=True), as_ada.get(f"/my/logs/{log_id}").get_data(as_text=True)):
        lines = [li.text for li in elements(element(page, "ul", class_="logged-sets").html, "li")]
        assert lines == ["Back Squat: 5 × 5 @ 112.5 kg", "Bench Press: 3 × 8 @ 60 kg, 1 × 6 @ 60 kg", "Plank: 2 × 1:00, 45s"]
