"""Program templates (Week 1, Week 2, ...) copied into clients' calendars from their start date,
a Group program's one shared calendar, and pending clients' calendars."""

import re
from datetime import timedelta

import pytest
from factories import (
    NOV_3,
    NOV_4,
    calendar_id,
    calendar_rows,
    card_lines,
    element,
    end_subscription,
    exercise_id,
    make_user,
    plan,
)

from fitr.accounts.models import User
from fitr.calendars import copying as calendar_copying
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import TEMPLATE_EPOCH, Calendar
from fitr.extensions import db
from fitr.lifecycle import rules as subscription_rules
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

HTMX = {"HX-Request": "true"}


def write_template(app, program_id, days=((1, 1, "W1 D1"), (1, 3, "W1 D3"), (2, 1, "W2 D1"))):
    squat = [{"exercise_id": exercise_id(app, "Back Squat"), "sets": 5, "reps_min": 5, "reps_max": 5}]
    with app.app_context():
        program = db.session.get(Program, program_id)
        calendar = calendar_rules.template_calendar(program)
        ids = [calendar_rules.add_session(calendar, calendar_rules.template_day(w, d), program.coach_id, title, "", squat).id for w, d, title in days]
        db.session.commit()
        return calendar.id, ids


def apply(app, program_id, sub, start, replace=False):
    with app.app_context():
        count = calendar_copying.copy_template(db.session.get(Program, program_id), db.session.get(Subscription, sub), start, replace)
        db.session.commit()
        return count


# --- copy_template ---------------------------------------------------------------------------


def test_template_copy_lands_week_1_day_1_on_the_start_date(app, one_to_one):
    write_template(app, one_to_one.id)
    assert apply(app, one_to_one.id, one_to_one.ada, NOV_4) == 3
    assert [(r[0], r[1]) for r in calendar_rows(app, calendar_id(app, one_to_one.ada))] == [
        (NOV_4, "W1 D1"), (NOV_4 + timedelta(days=2), "W1 D3"), (NOV_4 + timedelta(days=7), "W2 D1"),
    ]  # fmt: skip
    assert calendar_rows(app, calendar_id(app, one_to_one.ada))[0][2] == [("Back Squat", 5, "5", None)]


def test_later_template_edits_do_not_change_existing_clients(app, one_to_one):
    template_id, ids = write_template(app, one_to_one.id)
    apply(app, one_to_one.id, one_to_one.ada, NOV_4)
    before = calendar_rows(app, calendar_id(app, one_to_one.ada))
    with app.app_context():
        from sqlalchemy.orm import joinedload, selectinload

        from fitr.calendars.models import Session

        first, second = db.session.scalars(
            db.select(Session).where(Session.id.in_(ids[:2])).order_by(Session.id)
            .options(joinedload(Session.calendar), selectinload(Session.prescriptions))
        ).all()  # fmt: skip
        calendar_rules.update_session(first, one_to_one.coach_id, "Changed in template", "", [])
        calendar_rules.delete_session(second)
        db.session.commit()
    assert calendar_rows(app, calendar_id(app, one_to_one.ada)) == before
    assert calendar_rows(app, calendar_id(app, one_to_one.ben)) == []


def test_reapply_keeps_or_replaces_what_is_on_the_templates_days(app, one_to_one):
    write_template(app, one_to_one.id)
    plan(app, one_to_one.ada, NOV_4 + timedelta(days=1), title="Coach's extra")
    plan(app, one_to_one.ada, NOV_4 + timedelta(days=30), title="Far later")
    apply(app, one_to_one.id, one_to_one.ada, NOV_4)
    titles = [r[1] for r in calendar_rows(app, calendar_id(app, one_to_one.ada))]
    assert "Coach's extra" in titles and len(titles) == 5
    apply(app, one_to_one.id, one_to_one.ada, NOV_4, replace=True)
    rows = calendar_rows(app, calendar_id(app, one_to_one.ada))
    assert [r[1] for r in rows] == ["W1 D1", "W1 D3", "W2 D1", "Far later"]


def test_template_cannot_be_copied_to_ended_clients_or_other_programs(app, one_to_one, others_program):
    write_template(app, one_to_one.id)
    end_subscription(app, one_to_one.cleo)
    with pytest.raises(calendar_rules.CalendarError, match="read-only"):
        apply(app, one_to_one.id, one_to_one.cleo, NOV_4)
    with pytest.raises(calendar_rules.CalendarError, match="not in this program"):
        apply(app, one_to_one.id, others_program.sub, NOV_4)
    assert len(calendar_rows(app, others_program.calendar)) == 1


def test_template_days_outside_its_weeks_are_refused(app, one_to_one):
    with app.app_context():
        calendar = calendar_rules.template_calendar(db.session.get(Program, one_to_one.id))
        with pytest.raises(calendar_rules.CalendarError, match="weeks 1 to 52"):
            calendar_rules.add_session(calendar, TEMPLATE_EPOCH - timedelta(days=1), one_to_one.coach_id, "Before week 1")
        with pytest.raises(calendar_rules.CalendarError, match="weeks 1 to 52"):
            calendar_rules.add_session(calendar, calendar_rules.template_day(53, 1), one_to_one.coach_id, "Week 53")


def test_pending_clients_calendar_becomes_theirs_on_acceptance(app, one_to_one):
    write_template(app, one_to_one.id)
    apply(app, one_to_one.id, one_to_one.dan, NOV_4)
    plan(app, one_to_one.dan, NOV_4, title="Written before they joined")
    before = calendar_rows(app, calendar_id(app, one_to_one.dan))
    dan = make_user(app, "Dan Joined", "dan@example.com", is_coach=False)
    with app.app_context():  # what accepting the invite does to the subscription
        subscription_rules.activate(db.session.get(Subscription, one_to_one.dan), db.session.get(User, dan), NOV_4)
        db.session.commit()
    assert calendar_rows(app, calendar_id(app, one_to_one.dan)) == before
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Calendar.id)).where(Calendar.subscription_id == one_to_one.dan)) == 1


# --- the template page and Apply template ----------------------------------------------------------


def test_template_page_lays_out_weeks_and_days_with_the_same_editor(app, logged_in, one_to_one):
    template_id, ids = write_template(app, one_to_one.id)
    page = logged_in.get(f"/programs/{one_to_one.id}/template").get_data(as_text=True)
    for text in ("Program template", "Weeks 1–4", "Week 1", "Week 4", "Day 7", "W1 D3", 'aria-label="Add session on Week 2, Day 5"'):
        assert text in page
    assert "Week 5" not in page
    assert "Weeks 5–8" in logged_in.get(f"/programs/{one_to_one.id}/template?week=5").get_data(as_text=True)
    editor = logged_in.get(f"/programs/{one_to_one.id}/sessions/{ids[0]}/edit", headers=HTMX).get_data(as_text=True)
    assert "Week 1, Day 1" in editor and 'name="to-week"' in editor and "Copy to clients" not in editor
    moved = logged_in.post(f"/programs/{one_to_one.id}/sessions/{ids[0]}/move", data={"to-week": "3", "to-day": "2"}, headers=HTMX)
    assert "Moved “W1 D1” to Week 3, Day 2." in moved.get_data(as_text=True)
    assert calendar_rows(app, template_id)[-1][:2] == (calendar_rules.template_day(3, 2), "W1 D1")
    bad = logged_in.post(f"/programs/{one_to_one.id}/sessions/{ids[0]}/move", data={"to-week": "60", "to-day": "2"}, headers=HTMX)
    assert bad.status_code == 400 and "Week must be from 1 to 52." in bad.get_data(as_text=True)
    copied = logged_in.post(
        f"/programs/{one_to_one.id}/calendars/{template_id}/copy",
        data={"copy-span": "week", "copy-source-week": "1", "copy-source-day": "1", "copy-to-week": "5", "copy-to-day": "1"},
        headers=HTMX,
    )
    assert "Copied the week from Week 1, Day 1 to Week 5, Day 1" in copied.get_data(as_text=True)
    assert (calendar_rules.template_day(5, 3), "W1 D3") in [r[:2] for r in calendar_rows(app, template_id)]


@pytest.mark.parametrize("query", ["week=0", "week=53", "week=x"])
def test_template_weeks_outside_the_range_are_refused(logged_in, one_to_one, query):
    response = logged_in.get(f"/programs/{one_to_one.id}/template?{query}")
    assert response.status_code == 400 and "Choose a week from 1 to 52." in response.get_data(as_text=True)


def test_coach_applies_the_template_to_chosen_clients_from_a_date(app, logged_in, one_to_one):
    write_template(app, one_to_one.id)
    page = logged_in.get(f"/programs/{one_to_one.id}/template/apply?client={one_to_one.ada}").get_data(as_text=True)
    assert "has 2 weeks" in page
    ada = element(element(page, "label", text="Ada Athlete (starts 3 Nov 2026)").html, "input")
    assert ada == {"checked": "", "id": ada["id"], "name": "clients", "type": "checkbox", "value": str(one_to_one.ada)}
    assert re.fullmatch(r"clients-\d", ada["id"])
    response = logged_in.post(
        f"/programs/{one_to_one.id}/template/apply",
        data={"clients": [str(one_to_one.ada), str(one_to_one.ben)], "start": "", "mode": "keep"},
        follow_redirects=True,
    )
    assert "Applied the template to 2 clients: 6 sessions." in response.get_data(as_text=True)
    assert calendar_rows(app, calendar_id(app, one_to_one.ben))[0][0] == NOV_3  # Ben's own start date
    assert calendar_rows(app, calendar_id(app, one_to_one.cleo)) == []


def test_apply_template_asks_for_a_start_date_when_a_client_has_none(app, logged_in, one_to_one):
    write_template(app, one_to_one.id)
    response = logged_in.post(f"/programs/{one_to_one.id}/template/apply", data={"clients": [str(one_to_one.dan)], "mode": "keep"})
    assert response.status_code == 400 and "Enter a start date: Dan Pending has none yet." in response.get_data(as_text=True)
    unticked = logged_in.post(f"/programs/{one_to_one.id}/template/apply?client={one_to_one.ada}", data={"mode": "keep", "start": "2026-12-07"})
    assert unticked.status_code == 400 and "Choose at least one client." in unticked.get_data(as_text=True)
    for data in ({"clients": [], "mode": "keep"}, {"clients": ["999"], "mode": "keep"}, {"clients": [str(one_to_one.ada)], "start": "1800-01-01", "mode": "keep"}):
        assert logged_in.post(f"/programs/{one_to_one.id}/template/apply", data=data).status_code == 400
    assert calendar_rows(app, calendar_id(app, one_to_one.dan)) == []
    assert calendar_rows(app, calendar_id(app, one_to_one.ada)) == []
    ok = logged_in.post(f"/programs/{one_to_one.id}/template/apply", data={"clients": [str(one_to_one.dan)], "start": "2026-12-07", "mode": "keep"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/clients/{one_to_one.dan}/calendar?date=2026-12-07")


def test_applying_a_one_session_template_says_one_session(app, logged_in, one_to_one):
    with app.app_context():
        template = calendar_rules.template_calendar(db.session.get(Program, one_to_one.id))
        calendar_rules.add_session(template, calendar_rules.template_day(1, 1), one_to_one.coach_id, "Only one")
        db.session.commit()
    response = logged_in.post(
        f"/programs/{one_to_one.id}/template/apply", data={"clients": [str(one_to_one.ada)], "mode": "keep"}, follow_redirects=True
    )
    assert "Applied the template to 1 client: 1 session." in response.get_data(as_text=True)


# --- Group programs --------------------------------------------------------------------------


def test_group_program_has_one_shared_calendar_that_every_subscriber_follows(app, logged_in, team_program):
    response = logged_in.get(f"/programs/{team_program.id}/calendar")
    assert response.headers["Location"].endswith(f"/programs/{team_program.id}/shared-calendar")
    page = logged_in.get(f"/programs/{team_program.id}/shared-calendar?date=2026-11-01").get_data(as_text=True)
    assert "Shared calendar" in page and 'id="client-list"' not in page and "Apply template" not in page
    with app.app_context():
        first, second = (db.session.get(Subscription, s) for s in (team_program.first, team_program.second))
        shared = calendar_rules.calendar_for_subscription(first)
        assert calendar_rules.calendar_for_subscription(second).id == shared.id and shared.kind == "group"
        db.session.commit()
        shared_id = shared.id
    row = {"prescriptions-0-exercise": "Push-Up", "prescriptions-0-sets": "3", "prescriptions-0-reps": "15"}
    added = logged_in.post(
        f"/programs/{team_program.id}/calendars/{shared_id}/sessions",
        data={"title": "Team circuit", "date": "2026-11-03", "action": "save", **row},
        headers=HTMX,
    )
    assert added.status_code == 200 and "A · Push-Up · 3×15" in card_lines(added.get_data(as_text=True))
    assert logged_in.get(f"/programs/{team_program.id}/clients/{team_program.first}/calendar").status_code == 302
    assert logged_in.get(f"/programs/{team_program.id}/template").status_code == 404
    with app.app_context():
        assert calendar_copying.copy_template(db.session.get(Program, team_program.id), first, NOV_3) == 0
