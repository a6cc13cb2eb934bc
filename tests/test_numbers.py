"""Numbers people type: one parser (fitr.units.parse_decimal) reads every decimal a form takes,
and NaN, infinity and their cousins, which Python's float() and Decimal() accept, are refused
with a message next to the field, a 4xx and nothing written, never a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from factories import (
    calendar_id,
    count,
    exercise_id,
    plan,
    plan_percent,
    post_log,
    program_form,
    session_form,
)

from fitr.calendars.models import Prescription, Session
from fitr.extensions import db
from fitr.history.models import ManualRecord, SessionLog, SetLog
from fitr.maxes.models import TrainingMax
from fitr.programs.models import Program
from fitr.units import NotANumber, parse_decimal, parse_number

HTMX = {"HX-Request": "true"}
NOT_NUMBERS = ["NaN", "sNaN", "-NaN", "nan", "Infinity", "-inf", "inf", "1e999"]


# --- the parser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [("102.5", Decimal("102.5")), ("102,5", Decimal("102.5")), (" 7 ", Decimal(7)), (".5", Decimal("0.5")),
     ("5.", Decimal(5)), ("0", Decimal(0)), ("", None), ("   ", None), (None, None)],
)  # fmt: skip
def test_the_parser_reads_plain_decimals_with_a_point_or_a_comma(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text, reason",
    [("NaN", "“NaN” is not a number."), ("sNaN", "“sNaN” is not a number."), ("-NaN", "“-NaN” is not a number."),
     ("+nan", "“+nan” is not a number."), ("Infinity", "“Infinity” is not a number."), ("-inf", "“-inf” is not a number."),
     ("∞", "“∞” is not a number."), ("1e999", "Write the number out in full, without an “e”."),
     ("2.5E-3", "Write the number out in full, without an “e”."), ("-5", "It cannot be negative."),
     ("abc", ""), ("1_000", ""), ("١٢", ""), ("²", ""), ("1.2.3", ""), ("0x10", ""), ("+5", "")],
)  # fmt: skip
def test_the_parser_refuses_anything_else_and_says_why(text, reason):
    with pytest.raises(NotANumber) as refused:
        parse_decimal(text)
    assert str(refused.value) == reason
    assert refused.value.explained("Enter a load like 102.5.") == f"{reason} Enter a load like 102.5.".strip()


def test_a_price_reads_a_comma_as_a_thousands_separator_so_refuses_it():
    assert parse_decimal("1,5") == Decimal("1.5")
    with pytest.raises(NotANumber):
        parse_decimal("1,000", decimal_comma=False)


def test_a_float_too_big_for_a_float_is_refused_not_infinite():
    assert parse_number("72,5") == 72.5
    with pytest.raises(NotANumber, match="too big"):
        parse_number("9" * 400)


# --- every form that takes a decimal ------------------------------------------------------------


def written(app, gym):
    """What any of these forms could write: rows and the program's settings."""
    with app.app_context():
        program = db.session.get(Program, gym.strength)
        settings = (program.name, program.price_minor, program.plate_kg, program.plate_lb, program.grace_days, program.trial_days)
        return settings, [count(app, model) for model in (Session, Prescription, SessionLog, SetLog, ManualRecord, TrainingMax)]


def login(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": "correct horse battery"}).status_code == 302
    return client


# Each case prepares what its form acts on and returns how to send it a typed text.


def copy_weeks(progression):
    def prepare(app, gym):
        day = gym.today - timedelta(days=gym.today.weekday())
        plan(app, gym.ada_sub, day)
        url = f"/programs/{gym.strength}/calendars/{calendar_id(app, gym.ada_sub)}/copy-weeks"
        coach = login(app, "casey@example.com")

        def send(text):
            data = {"weeks-first-date": day.isoformat(), "weeks-last-date": day.isoformat(),
                    "weeks-to-date": (day + timedelta(days=7)).isoformat(), "weeks-progression": progression,
                    "weeks-amount": text, "previewed": "x"}  # fmt: skip
            return [coach.post(url + "/preview", data=data, headers=HTMX), coach.post(url, data=data, headers=HTMX)]

        return send

    return prepare


def session_editor(field):
    def prepare(app, gym):
        url = f"/programs/{gym.strength}/calendars/{calendar_id(app, gym.ada_sub)}/sessions"
        coach = login(app, "casey@example.com")

        def send(text):
            row = {"exercise": "Back Squat", "sets": "5", "reps": "5", "load": "100", "load_unit": "kg", field: text}
            return [coach.post(url, data=session_form(rows=[row], day=gym.today), headers=HTMX)]

        return send

    return prepare


def program_settings(field):
    def prepare(app, gym):
        coach = login(app, "casey@example.com")
        return lambda text: [coach.post(f"/programs/{gym.strength}/edit", data=program_form(name="Changed", **{field: text}))]

    return prepare


def coach_sets_a_max(app, gym):
    coach, url = login(app, "casey@example.com"), f"/programs/{gym.strength}/clients/{gym.ada_sub}/maxes"
    return lambda text: [coach.post(url, data={"exercise": "Back Squat", "kind": "1rm", "value": text, "unit": "kg"})]


def client_enters_her_1rm(app, gym):
    session_id = plan_percent(app, gym.ada_sub, gym.today)
    ada, url = login(app, "ada@example.com"), f"/my/sessions/{session_id}/max/{exercise_id(app, 'Back Squat')}"
    return lambda text: [ada.post(url, data={"value": text, "unit": "kg"})]


def client_logs(field):
    def prepare(app, gym):
        if field == "distance":  # a carry is measured by distance; a squat's form has no such field
            exercises, row = (("Farmer's Carry", 3, None, None),), {"exercise_id": exercise_id(app, "Farmer's Carry"), "distance": "40"}
        else:
            exercises, row = (("Back Squat", 3, 5, 100),), {"exercise_id": exercise_id(app, "Back Squat"), "reps": "5", "load": "100"}
        session_id, ada = plan(app, gym.ada_sub, gym.today, exercises=exercises), login(app, "ada@example.com")

        def send(text):
            if field == "rpe":
                return [post_log(ada, session_id, {1: row}, rpe=text)[0]]
            return [post_log(ada, session_id, {1: {**row, field: text}})[0]]

        return send

    return prepare


def client_adds_a_record_by_hand(app, gym):
    ada, squat = login(app, "ada@example.com"), exercise_id(app, "Back Squat")
    return lambda text: [ada.post("/my/records/new", data={"exercise": squat, "reps": "1", "load": text,
                                                           "date": gym.today.isoformat(), "unit": "kg"})]  # fmt: skip


def plainly(text):
    """What the parser says about `text`, next to the field."""
    return "Write the number out in full" if "e" in text else f"“{text}” is not a number."


FORMS = [
    pytest.param(copy_weeks("kg"), plainly, id="copy-weeks-amount"),
    pytest.param(copy_weeks(""), plainly, id="copy-weeks-amount-no-progression"),
    pytest.param(session_editor("load"), plainly, id="session-editor-load"),
    pytest.param(session_editor("rpe"), plainly, id="session-editor-rpe"),
    pytest.param(program_settings("price"), plainly, id="program-price"),
    pytest.param(program_settings("plate_kg"), plainly, id="program-plate-kg"),
    pytest.param(program_settings("plate_lb"), plainly, id="program-plate-lb"),
    pytest.param(program_settings("grace_days"), lambda text: "Use a number of days from 0 to", id="program-grace-days"),
    pytest.param(program_settings("trial_days"), lambda text: "Use a number of days from 0 (no trial) to", id="program-trial-days"),
    pytest.param(program_settings("needs_training_days"), lambda text: "Use a number of days from 0 (off) to", id="program-needs-training"),
    pytest.param(coach_sets_a_max, plainly, id="coach-sets-a-max"),
    pytest.param(client_enters_her_1rm, plainly, id="client-enters-her-1rm"),
    pytest.param(client_logs("load"), plainly, id="log-load"),
    pytest.param(client_logs("reps"), plainly, id="log-reps"),
    pytest.param(client_logs("distance"), plainly, id="log-distance"),
    pytest.param(client_logs("rpe"), plainly, id="log-rpe"),
    pytest.param(client_adds_a_record_by_hand, plainly, id="record-by-hand-load"),
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
@pytest.mark.parametrize("prepare, message", FORMS)
def test_a_form_refuses_nan_and_infinity_plainly_and_writes_nothing(app, gym, prepare, message, text):
    send = prepare(app, gym)
    before = written(app, gym)
    for response in send(text):
        html = response.get_data(as_text=True)
        assert response.status_code == 400, (response.status_code, html[-2000:])
        assert message(text) in html
    assert written(app, gym) == before
