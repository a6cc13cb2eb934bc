"""Copy weeks: a range of weeks onto later weeks of the same or other clients' calendars, with an
optional progression per week, previewed before anything is written, in one transaction, with
Undo."""

import json
from datetime import date, timedelta

import pytest
from factories import (
    NOV_2,
    add_subscription,
    calendar_id,
    calendar_rows,
    element,
    elements,
    make_user,
    plan,
    plan_percent,
)

from fitr.calendars import weeks
from fitr.subscriptions.models import ACTIVE

HTMX = {"HX-Request": "true"}
SQUAT = (("Back Squat", 3, 5, 100),)


def url(world, cid, action=""):
    return f"/programs/{world.id}/calendars/{cid}/copy-weeks{action}"


def two_weeks(app, world):
    """Ada's weeks of 2 and 9 Nov: Lower body on Tuesdays, Upper body on the second Thursday."""
    plan(app, world.ada, date(2026, 11, 3), exercises=SQUAT)
    plan(app, world.ada, date(2026, 11, 10), exercises=SQUAT)
    plan(app, world.ada, date(2026, 11, 12), title="Upper body", exercises=(("Bench Press", 4, 8, 60),))
    return calendar_id(app, world.ada)


def form(first="2026-11-02", last="2026-11-12", to="2026-11-16", clients=(), progression="", amount=""):
    return {"weeks-first-date": first, "weeks-last-date": last, "weeks-to-date": to, "weeks-clients": [str(c) for c in clients],
            "weeks-progression": progression, "weeks-amount": amount}  # fmt: skip


def preview_then_copy(client, world, cid, data):
    """Preview, then press Copy with what the preview carries; returns (preview html, copy response)."""
    preview = client.post(url(world, cid, "/preview"), data=data, headers=HTMX)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    html = preview.get_data(as_text=True)
    previewed = element(html, "input", name="previewed")["value"]
    return html, client.post(url(world, cid), data=data | {"previewed": previewed}, headers=HTMX)


# --- progression ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, amount, row, steps, expected",
    [
        ("kg", 2.5, {"load_value": 100.0, "load_unit": "kg"}, 2, {"load_value": 105.0}),
        ("kg", 2.5, {"load_value": 225.0, "load_unit": "lb"}, 1, {"load_value": 230.5}),
        ("kg", 2.5, {"load_value": 75.0, "load_unit": "%1rm"}, 3, {"load_value": 75.0}),
        ("percent", 5, {"load_value": 100.0, "load_unit": "kg"}, 2, {"load_value": 110.0}),
        ("percent", 5, {"load_value": 62.5, "load_unit": "kg"}, 1, {"load_value": 65.5}),
        ("percent", 5, {"load_value": 75.0, "load_unit": "%1rm"}, 2, {"load_value": 85.0}),
        ("reps", 1, {"reps_min": 8, "reps_max": 12}, 3, {"reps_min": 11, "reps_max": 15}),
        ("reps", 1, {"reps_min": None, "reps_max": None, "duration_seconds": 60}, 2, {"reps_min": None, "duration_seconds": 60}),
        ("kg", 2.5, {"load_value": None, "load_unit": None, "rpe": 8.0}, 4, {"load_value": None, "rpe": 8.0}),
    ],
)
def test_a_progression_adds_one_step_per_week_copied(kind, amount, row, steps, expected):
    result = weeks.Progression(kind, amount).apply(row, steps)
    assert {key: result.get(key) for key in expected} == expected


# --- through the pages -----------------------------------------------------------------------


def test_coach_previews_then_copies_two_weeks_onto_the_next_two_with_2_5_kg_a_week(app, logged_in, one_to_one):
    cid = two_weeks(app, one_to_one)
    before = calendar_rows(app, cid)
    data = form(progression="kg", amount="2.5")
    preview = logged_in.post(url(one_to_one, cid, "/preview"), data=data, headers=HTMX)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "3 sessions will be added (3 on each calendar), +2.5 kg a week" in html and "onto: This calendar" in html
    assert "Week 1: from Mon 16 Nov 2026 · +2.5 kg" in html and "Week 2: from Mon 23 Nov 2026 · +5 kg" in html
    assert "Tue 17 Nov 2026: Lower body" in html and "Back Squat 3×5 @ 102.5 kg" in html
    assert "Back Squat 3×5 @ 105 kg" in html and "Bench Press 4×8 @ 65 kg" in html
    assert calendar_rows(app, cid) == before  # a preview writes nothing
    _, response = preview_then_copy(logged_in, one_to_one, cid, data)
    assert response.status_code == 200
    assert "Copied 2 weeks from Mon 2 Nov 2026 onto this calendar from Mon 16 Nov 2026, +2.5 kg a week: 3 sessions." in response.get_data(as_text=True)
    assert calendar_rows(app, cid)[3:] == [
        (date(2026, 11, 17), "Lower body", [("Back Squat", 3, "5", 102.5)]),
        (date(2026, 11, 24), "Lower body", [("Back Squat", 3, "5", 105.0)]),
        (date(2026, 11, 26), "Upper body", [("Bench Press", 4, "8", 65.0)]),
    ]


def test_weeks_copied_onto_other_clients_leave_the_source_alone_and_undo_removes_them(app, logged_in, one_to_one):
    cid = two_weeks(app, one_to_one)
    before = calendar_rows(app, cid)
    plan(app, one_to_one.ben, date(2026, 11, 3), title="Ben's own")
    data = form(to="2026-11-02", clients=[one_to_one.ben, one_to_one.dan], progression="reps", amount="1")
    _, response = preview_then_copy(logged_in, one_to_one, cid, data)
    html = response.get_data(as_text=True)
    assert "onto Ben Athlete’s and Dan Pending’s calendars from" in html and ": 6 sessions." in html
    assert calendar_rows(app, cid) == before
    ben = calendar_rows(app, calendar_id(app, one_to_one.ben))
    assert [(r[1], r[2]) for r in ben] == [("Ben's own", [("Back Squat", 3, "5", 100.0)]), ("Lower body", [("Back Squat", 3, "6", 100.0)]),
                                          ("Lower body", [("Back Squat", 3, "7", 100.0)]), ("Upper body", [("Bench Press", 4, "10", 60.0)])]  # fmt: skip
    assert len(calendar_rows(app, calendar_id(app, one_to_one.dan))) == 3
    button = element(html, "button", "Undo")
    undone = logged_in.post(button["hx-post"], data=json.loads(button["hx-vals"]), headers=HTMX)
    assert "Removed the 6 sessions this copy made." in undone.get_data(as_text=True)
    assert [r[1] for r in calendar_rows(app, calendar_id(app, one_to_one.ben))] == ["Ben's own"]
    assert calendar_rows(app, calendar_id(app, one_to_one.dan)) == []


def test_a_percent_1rm_prescription_goes_up_in_percentage_points(app, logged_in, one_to_one):
    plan_percent(app, one_to_one.ada, date(2026, 11, 3))
    cid = calendar_id(app, one_to_one.ada)
    html, response = preview_then_copy(logged_in, one_to_one, cid, form(last="2026-11-03", to="2026-11-09", progression="percent", amount="5"))
    assert "Back Squat 3×5 @ 80% 1RM" in html and response.status_code == 200
    assert calendar_rows(app, cid)[-1][2] == [("Back Squat", 3, "5", 80.0)]


def test_preview_says_a_kg_progression_leaves_percentage_rows_where_they_are(app, logged_in, one_to_one):
    plan_percent(app, one_to_one.ada, date(2026, 11, 3))
    cid = calendar_id(app, one_to_one.ada)
    data = form(last="2026-11-03", to="2026-11-09", progression="kg", amount="2.5")
    html = logged_in.post(url(one_to_one, cid, "/preview"), data=data, headers=HTMX).get_data(as_text=True)
    note = element(html, "p", class_="callout callout-warning").text
    assert note == ("+2.5 kg a week moves loads in kg or lb only: 1 row prescribed as a percentage of a max stays at its "
                    "percentage. Choose % per week to move it too.")  # fmt: skip
    percent = logged_in.post(url(one_to_one, cid, "/preview"), data=data | {"weeks-progression": "percent", "weeks-amount": "5"}, headers=HTMX)
    assert "callout-warning" not in percent.get_data(as_text=True)


def test_preview_lists_the_days_that_already_have_sessions(app, logged_in, one_to_one):
    cid = two_weeks(app, one_to_one)
    plan(app, one_to_one.ada, date(2026, 11, 17), title="Conditioning")
    plan(app, one_to_one.ben, date(2026, 11, 24), title="Ben's run")
    data = form(clients=(one_to_one.ada, one_to_one.ben))
    html = logged_in.post(url(one_to_one, cid, "/preview"), data=data, headers=HTMX).get_data(as_text=True)
    listed = [li.text for li in elements(html, "li") if li.text.startswith(("Tue", "Wed", "Mon"))]
    assert "Tue 17 Nov 2026: This calendar (Conditioning)" in listed and "Tue 24 Nov 2026: Ben Athlete (Ben's run)" in listed
    assert "The copies go after what is already there:" in html
    quiet = logged_in.post(url(one_to_one, cid, "/preview"), data=form(to="2026-12-07"), headers=HTMX).get_data(as_text=True)
    assert "Days that already have sessions" not in quiet


@pytest.mark.parametrize(
    "data, message",
    [
        (form(last="2026-10-26"), "The last week must not be before the first."),
        (form(last="2027-02-01", to="2027-03-01"), "Copy at most 12 weeks at a time."),
        (form(to="2026-11-09"), "must not overlap the weeks copied from"),
        (form(to="2026-11-02"), "must not overlap the weeks copied from"),
        (form(first=""), "Enter a date."),
        (form(to="2099-12-28"), "between 2000 and 2099"),
        (form(progression="kg"), "Enter how much to add each week."),
        (form(progression="kg", amount="1000"), "from 0.1 to 100"),
        (form(progression="kg", amount="1e9"), "Write the number out in full"),
        (form(progression="reps", amount="1.5"), "a whole number"),
        (form(progression="sideways", amount="1"), "Not a valid choice"),
        (form(clients=[999999]), "not a valid choice"),
        (form(first="2026-11-02\x1b"), "Not a valid date"),
    ],
)
def test_bad_week_ranges_get_a_message_and_write_nothing(app, logged_in, one_to_one, data, message):
    cid = two_weeks(app, one_to_one)
    before = calendar_rows(app, cid)
    for action in ("/preview", ""):
        response = logged_in.post(url(one_to_one, cid, action), data=data | {"previewed": "x"}, headers=HTMX)
        assert response.status_code == 400, (action, response.get_data(as_text=True))
        assert message in response.get_data(as_text=True)
    assert calendar_rows(app, cid) == before
    assert calendar_rows(app, calendar_id(app, one_to_one.ben)) == []


def test_a_progression_past_the_limits_is_refused_and_writes_nothing(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, date(2026, 11, 3), exercises=(("Back Squat", 3, 5, 990),))
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(url(one_to_one, cid, "/preview"), data=form(last="2026-11-03", progression="kg", amount="20"), headers=HTMX)
    assert response.status_code == 400 and "Week 1 would prescribe more than 1000" in response.get_data(as_text=True)


def test_copy_writes_only_what_was_previewed(app, logged_in, one_to_one):
    cid = two_weeks(app, one_to_one)
    before = calendar_rows(app, cid)
    html = logged_in.post(url(one_to_one, cid, "/preview"), data=form(), headers=HTMX).get_data(as_text=True)
    previewed = element(html, "input", name="previewed")["value"]
    changed = form(progression="kg", amount="50") | {"previewed": previewed}
    response = logged_in.post(url(one_to_one, cid), data=changed, headers=HTMX)
    assert response.status_code == 400 and "changed since the preview" in response.get_data(as_text=True)
    assert calendar_rows(app, cid) == before


def test_another_programs_calendar_is_not_found_and_untouched(app, logged_in, one_to_one, others_program):
    cid = two_weeks(app, one_to_one)
    data = form(clients=[others_program.sub], to="2026-11-02")
    for path in (url(one_to_one, others_program.calendar, "/preview"), f"/programs/{others_program.id}/calendars/{others_program.calendar}/copy-weeks"):
        assert logged_in.post(path, data=data, headers=HTMX).status_code == 404
    response = logged_in.post(url(one_to_one, cid, "/preview"), data=data, headers=HTMX)
    assert response.status_code == 400 and "not a valid choice" in response.get_data(as_text=True)
    assert [r[1] for r in calendar_rows(app, others_program.calendar)] == ["Olive's session"]


def test_the_template_copies_its_own_weeks_by_number(app, logged_in, one_to_one):
    from fitr.calendars import rules
    from fitr.extensions import db
    from fitr.programs.models import Program

    with app.app_context():
        template = rules.template_calendar(db.session.get(Program, one_to_one.id))
        db.session.commit()
        tid = template.id
    panel = logged_in.get(url(one_to_one, tid), headers=HTMX).get_data(as_text=True)
    assert 'name="weeks-first-week"' in panel and 'name="weeks-clients"' not in panel
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{tid}/sessions", data={"title": "W1", "date": "2000-01-04", "action": "save"}, headers=HTMX)
    data = {"weeks-first-week": "1", "weeks-last-week": "1", "weeks-to-week": "3", "weeks-progression": ""}
    _, response = preview_then_copy(logged_in, one_to_one, tid, data)
    assert "Week 1, Day 1 onto this calendar from Week 3, Day 1" in response.get_data(as_text=True)
    assert [r[:2] for r in calendar_rows(app, tid)] == [(date(2000, 1, 4), "W1"), (date(2000, 1, 18), "W1")]


def many_clients(app, world, count):
    subs = []
    for i in range(count):
        email = f"extra{i}@example.com"
        subs.append(add_subscription(app, world.id, email, ACTIVE, client_id=make_user(app, f"Extra {i}", email), start_date=NOV_2))
        calendar_id(app, subs[-1])
    return subs


def test_preview_and_copy_run_the_same_queries_for_few_and_many_sessions_and_calendars(app, logged_in, one_to_one, count_queries):
    def measure(source, targets, last, to):
        cid = calendar_id(app, source)
        data = form(last=last, to=to, clients=targets, progression="kg", amount="2.5")
        with count_queries() as preview:
            html = logged_in.post(url(one_to_one, cid, "/preview"), data=data, headers=HTMX).get_data(as_text=True)
        previewed = element(html, "input", name="previewed")["value"]
        with count_queries() as copy:
            response = logged_in.post(url(one_to_one, cid), data=data | {"previewed": previewed}, headers=HTMX)
        assert response.status_code == 200
        return preview.count, copy.count

    plan(app, one_to_one.ben, date(2026, 11, 3), exercises=SQUAT)
    calendar_id(app, one_to_one.cleo)
    few = measure(one_to_one.ben, [one_to_one.cleo], "2026-11-03", "2026-11-16")  # 1 session onto 1 calendar
    for week in range(4):
        for weekday in range(5):
            plan(app, one_to_one.ada, NOV_2 + timedelta(days=7 * week + weekday), exercises=SQUAT * 4)
    many = measure(one_to_one.ada, many_clients(app, one_to_one, 8), "2026-11-23", "2026-11-30")
    assert few == many  # 20 sessions of 4 prescriptions onto 8 calendars
