"""The coach hears about what matters: a client logged a session (new Personal Records named),
skipped one; each notice links to its place, is marked read one by one or all, and the page
filters by program."""

import pytest
from factories import PASSWORD, add_manual, element, elements, exercise_id, plan, post_log, rows

from fitr.extensions import db
from fitr.notices import rules as notices
from fitr.notices.models import JOINED, LOGGED, Notice

pytestmark = pytest.mark.dates


def as_coach(app, email="casey@example.com"):
    coach = app.test_client()
    coach.post("/login", data={"email": email, "password": PASSWORD})
    return coach


def texts(html):
    return [e.text for e in elements(html, "span", **{"class": "notice-text"})]


def test_the_coach_hears_that_a_client_logged_linked_to_that_day_of_her_calendar(app, gym, as_ada):
    add_manual(app, gym.ada, "Back Squat", gym.start, today=gym.today, reps=5, load=120)  # no record today
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day", exercises=(("Back Squat", 3, 5, 100),))
    response, _ = post_log(as_ada, session_id, {1: {"exercise_id": exercise_id(app, "Back Squat"), "reps": 5, "load": 100}})
    assert response.status_code == 302
    page = as_coach(app).get("/notices").get_data(as_text=True)
    link = element(page, "a", "Ada Athlete logged Squat day (Strength 1-2-1)")
    assert link["href"] == f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today.isoformat()}"


def test_new_personal_records_are_named_in_the_notice(app, gym, as_ada):
    first = plan(app, gym.ada_sub, gym.today, title="Squat day")
    post_log(as_ada, first, {1: {"exercise_id": exercise_id(app, "Back Squat"), "reps": 5, "load": 100}})
    [notice] = rows(app, Notice, user_id=gym.coach)
    assert notice.kind == "record"
    assert notice.text == "Ada Athlete logged Squat day (Strength 1-2-1). New record: Back Squat 5 × 100 kg"


def test_a_resent_form_or_an_unchanged_edit_tells_the_coach_nothing_more(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    response, data = post_log(as_ada, session_id, {1: {"exercise_id": exercise_id(app, "Back Squat"), "reps": 5, "load": 100}})
    as_ada.post(f"/my/sessions/{session_id}", data=data)  # the same form, sent twice
    assert len(rows(app, Notice, user_id=gym.coach)) == 1
    post_log(as_ada, session_id, {1: {"exercise_id": exercise_id(app, "Back Squat"), "reps": 5, "load": 90}}, notes="lighter, in fact")  # no new record
    assert len(rows(app, Notice, user_id=gym.coach)) == 1
    post_log(as_ada, session_id, {}, status="skipped", notes="sick")  # Done became Skipped: that is news
    assert [n.text for n in rows(app, Notice, user_id=gym.coach, kind="skipped")] == [
        "Ada Athlete skipped Squat day (Strength 1-2-1): sick"
    ]


def test_a_skipped_session_tells_the_coach_with_the_reason(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    post_log(as_ada, session_id, {}, status="skipped", notes="Travelling for work")
    page = as_coach(app).get("/notices").get_data(as_text=True)
    assert "Ada Athlete skipped Squat day (Strength 1-2-1): Travelling for work" in texts(page)


def test_notices_filter_by_program_and_mark_all_read_marks_only_that_programs(app, gym):
    with app.app_context():
        notices.tell(gym.coach, "Ada Athlete logged Squat day", kind=LOGGED, program_id=gym.strength)
        notices.tell(gym.coach, "Ada Athlete joined Hypertrophy", kind=JOINED, program_id=gym.hypertrophy)
        db.session.commit()
    coach = as_coach(app)
    page = coach.get("/notices").get_data(as_text=True)
    options = [o.text for o in elements(element(page, "select", id="program").html, "option")]
    assert options == ["All programs", "Hypertrophy", "Strength 1-2-1"]
    assert texts(page) == ["Ada Athlete joined Hypertrophy", "Ada Athlete logged Squat day"]
    filtered = coach.get(f"/notices?program={gym.strength}").get_data(as_text=True)
    assert texts(filtered) == ["Ada Athlete logged Squat day"]
    response = coach.post("/notices/read", data={"program": gym.strength, "next": f"/notices?program={gym.strength}"})
    assert response.status_code == 302
    assert texts(coach.get("/notices").get_data(as_text=True)) == ["Ada Athlete joined Hypertrophy"]


def test_mark_read_one_by_one(app, gym):
    with app.app_context():
        kept = notices.tell(gym.coach, "Ben Athlete logged Push day", kind=LOGGED, program_id=gym.strength)
        read = notices.tell(gym.coach, "Ada Athlete logged Squat day", kind=LOGGED, program_id=gym.strength)
        db.session.commit()
        kept, read = kept.id, read.id
    coach = as_coach(app)
    page = coach.get("/notices").get_data(as_text=True)
    button = element(page, "button", "Mark read: Ada Athlete logged Squat day")
    assert button is not None
    assert coach.post(f"/notices/{read}/read", data={"next": "/notices"}).headers["Location"] == "/notices"
    assert texts(coach.get("/notices").get_data(as_text=True)) == ["Ben Athlete logged Push day"]
    assert coach.post(f"/notices/{read}/read").status_code == 404  # already read
    assert db_read_at(app, kept) is None


def db_read_at(app, notice_id):
    with app.app_context():
        return db.session.get(Notice, notice_id).read_at


def test_someone_elses_notice_cannot_be_marked_read(app, gym):
    with app.app_context():
        caseys = notices.tell(gym.coach, "Ada Athlete logged Squat day", kind=LOGGED, program_id=gym.strength)
        db.session.commit()
        caseys = caseys.id
    olive = as_coach(app, "olive@example.com")
    assert olive.post(f"/notices/{caseys}/read").status_code == 404
    assert db_read_at(app, caseys) is None


@pytest.mark.parametrize("program", ["abc", "-1", "1" * 12, "1; drop"])
def test_a_program_filter_that_is_not_an_id_is_a_400(app, gym, program):
    coach = as_coach(app)
    response = coach.get("/notices", query_string={"program": program})
    assert response.status_code == 400
    assert "Choose one of your programs." in response.get_data(as_text=True)


def test_the_notices_page_runs_the_same_queries_for_3_or_300_notices(app, gym, count_queries):
    def add(n):
        with app.app_context():
            for i in range(n):
                program = (gym.strength, gym.hypertrophy, gym.team)[i % 3]
                notices.tell(gym.coach, f"Client {i} logged a session", kind=LOGGED, program_id=program)
            db.session.commit()

    coach = as_coach(app)
    add(3)
    with count_queries() as few:
        assert coach.get("/notices").status_code == 200
    add(297)
    with count_queries() as many:
        assert coach.get("/notices").status_code == 200
    assert many.count == few.count
