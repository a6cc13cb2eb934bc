"""Switching back to a calendar is nearly free: the calendar fragment carries an ETag from the
calendar's version, which every write to it bumps, and an unchanged calendar is answered 304
with no body. Any change to what it shows (the coach's writes, the client's logs, a new day)
gives the new calendar; nobody gets a 304 for a calendar they may not see."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from factories import NOV_3, TIME_ZONE, calendar_id, card_lines, log, make_user, plan, session_form
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from fitr.calendars import copying
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Session
from fitr.extensions import db
from fitr.library.models import Exercise
from fitr.programs.models import SELF_PACED, Program
from fitr.subscriptions.models import Subscription
from fitr.training.moving import move_own_session

HTMX = {"HX-Request": "true"}
SQUAT = {"exercise": "Back Squat", "sets": "3", "reps": "5", "load": "100", "load_unit": "kg"}


def fragment_url(world, subscription_id, day="2026-11-10", view="month"):
    return f"/programs/{world.id}/clients/{subscription_id}/calendar?view={view}&date={day}"


def fetch(client, url, etag=None):
    return client.get(url, headers=HTMX | ({"If-None-Match": etag} if etag else {}))


def test_an_unchanged_calendar_is_a_304_with_no_body(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    url = fragment_url(one_to_one, one_to_one.ada)
    first = fetch(logged_in, url)
    assert first.status_code == 200 and "Lower body" in first.get_data(as_text=True)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "private, no-cache"
    assert "HX-Request" in first.headers["Vary"]

    again = fetch(logged_in, url, etag)
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "private, no-cache"
    # Another month, the week view or a stale validator are pages of their own
    assert fetch(logged_in, fragment_url(one_to_one, one_to_one.ada, day="2026-12-10"), etag).status_code == 200
    assert fetch(logged_in, fragment_url(one_to_one, one_to_one.ada, view="week"), etag).status_code == 200
    assert fetch(logged_in, url, '"c1v0-stale"').status_code == 200
    # The whole page (a visit, not htmx) is always sent
    assert logged_in.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_the_unchanged_answer_runs_fewer_queries_than_the_calendar(app, logged_in, one_to_one, count_queries):
    plan(app, one_to_one.ada, NOV_3)
    url = fragment_url(one_to_one, one_to_one.ada)
    with count_queries() as full:
        etag = fetch(logged_in, url).headers["ETag"]
    with count_queries() as unchanged:
        assert fetch(logged_in, url, etag).status_code == 304
    assert unchanged.count < full.count


# --- every write to what the calendar shows gives a new calendar ---------------------------------


def save(app, client, world, sid, cid, ready):
    return client.post(f"/programs/{world.id}/sessions/{sid}", data=session_form("Renamed", [SQUAT]), headers=HTMX)


def add(app, client, world, sid, cid, ready):
    return client.post(f"/programs/{world.id}/calendars/{cid}/sessions", data=session_form("Added", [SQUAT], date(2026, 11, 5)), headers=HTMX)


def delete(app, client, world, sid, cid, ready):
    return client.post(f"/programs/{world.id}/sessions/{sid}/delete", headers=HTMX)


def move(app, client, world, sid, cid, ready):
    return client.post(f"/programs/{world.id}/sessions/{sid}/move", data={"to-date": "2026-11-05"}, headers=HTMX)


def duplicate(app, client, world, sid, cid, ready):
    return client.post(f"/programs/{world.id}/sessions/{sid}/duplicate", headers=HTMX)


def reorder(app, client, world, sid, cid, ready):
    return client.post(f"/programs/{world.id}/sessions/{sid}/reorder", data={"offset": "1"}, headers=HTMX)


def copy_day(app, client, world, sid, cid, ready):
    data = {"copy-span": "day", "copy-source-date": "2026-11-03", "copy-to-date": "2026-11-06"}
    return client.post(f"/programs/{world.id}/calendars/{cid}/copy", data=data, headers=HTMX)


def copy_to_ada(app, client, world, sid, cid, ready):
    """A session of Ben's (`ready`) copied onto Ada's calendar, the one watched."""
    data = {"clients": [str(world.ada)], "on-date": "2026-11-12"}
    return client.post(f"/programs/{world.id}/sessions/{ready}/copy", data=data, headers=HTMX)


def copy_weeks(app, client, world, sid, cid, ready):
    data = {"weeks-first-date": "2026-11-02", "weeks-last-date": "2026-11-08", "weeks-to-date": "2026-11-16",
            "weeks-clients": [], "weeks-progression": "", "weeks-amount": ""}  # fmt: skip
    base = f"/programs/{world.id}/calendars/{cid}/copy-weeks"
    preview = client.post(base + "/preview", data=data, headers=HTMX).get_data(as_text=True)
    previewed = preview.split('name="previewed" value="')[1].split('"')[0]
    return client.post(base, data=data | {"previewed": previewed}, headers=HTMX)


def undo_copy(app, client, world, sid, cid, ready):
    """Undo of a copy made before the calendar was watched (`ready`: its receipt)."""
    with app.app_context():
        copying.undo_copy(db.session.get(Program, world.id), ready)
        db.session.commit()


def apply_template(app, client, world, sid, cid, ready):
    data = {"clients": [str(world.ada)], "start": "2026-11-09", "mode": "replace"}
    return client.post(f"/programs/{world.id}/template/apply", data=data)


def client_logs(app, client, world, sid, cid, ready):
    with app.app_context():
        ada = db.session.scalar(select(Subscription.client_id).where(Subscription.id == world.ada))
    log(app, ada, sid, today=date(2026, 11, 10))


def client_moves(app, client, world, sid, cid, ready):
    """Session 1 Day 1: the client moves her own session (`ready`, tomorrow's) a day later."""
    with app.app_context():
        session = db.session.get(Session, ready)
        subscription = db.session.scalar(
            select(Subscription).where(Subscription.id == world.ada)
            .options(joinedload(Subscription.client), joinedload(Subscription.program))
        )  # fmt: skip
        move_own_session(subscription.client, session, subscription, date(2026, 11, 12), date(2026, 11, 10))
        db.session.commit()


def _second_session(app, world, sid, cid):
    plan(app, world.ada, NOV_3, title="Second")


def _bens_session(app, world, sid, cid):
    return plan(app, world.ben, NOV_3, title="Ben's")


def _copied(app, world, sid, cid):
    with app.app_context():
        calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, world.ada))
        copies = copying.copy_span(calendar, NOV_3, 1, date(2026, 11, 6))
        db.session.flush()
        receipt = copying.copy_receipt(world.id, copies)
        db.session.commit()
        return receipt


def _template_session(app, world, sid, cid):
    with app.app_context():
        template = calendar_rules.template_calendar(db.session.get(Program, world.id))
        db.session.add(Session(calendar_id=template.id, date=date(2000, 1, 4), title="From the template"))
        db.session.commit()


def _self_paced(app, world, sid, cid):
    with app.app_context():
        db.session.execute(update(Program).where(Program.id == world.id).values(type=SELF_PACED))
        db.session.commit()
    return plan(app, world.ada, date(2026, 11, 11), title="Tomorrow's")


WRITES = [save, add, delete, move, duplicate, reorder, copy_day, copy_to_ada, copy_weeks, undo_copy, apply_template,
          client_logs, client_moves]  # fmt: skip
READY = {reorder: _second_session, copy_to_ada: _bens_session, undo_copy: _copied, apply_template: _template_session,
         client_moves: _self_paced}  # fmt: skip


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_each_write_gives_the_new_calendar(app, logged_in, one_to_one, write):
    sid = plan(app, one_to_one.ada, NOV_3, exercises=(("Back Squat", 3, 5, 100),))
    cid = calendar_id(app, one_to_one.ada)
    ready = READY[write](app, one_to_one, sid, cid) if write in READY else None
    url = fragment_url(one_to_one, one_to_one.ada)
    before = fetch(logged_in, url)
    etag = before.headers["ETag"]
    assert fetch(logged_in, url, etag).status_code == 304

    response = write(app, logged_in, one_to_one, sid, cid, ready)
    assert response is None or response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    after = fetch(logged_in, url, etag)
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert after.get_data() != before.get_data()


def test_seeding_a_pending_clients_calendar_gives_the_new_calendar(app, logged_in, one_to_one):
    with app.app_context():
        program = db.session.get(Program, one_to_one.id)
        template = calendar_rules.template_calendar(program).id
        db.session.commit()
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{template}/sessions", data=session_form("From the template", [SQUAT], date(2000, 1, 4)), headers=HTMX)
    url = fragment_url(one_to_one, one_to_one.dan)
    etag = fetch(logged_in, url).headers["ETag"]
    assert fetch(logged_in, url, etag).status_code == 304
    with app.app_context():
        copying.seed_calendar(db.session.get(Program, one_to_one.id), db.session.get(Subscription, one_to_one.dan), date(2026, 11, 9))
        db.session.commit()
    after = fetch(logged_in, url, etag)
    assert after.status_code == 200 and "From the template" in after.get_data(as_text=True)


def test_a_client_ending_or_renamed_gives_the_new_calendar(app, logged_in, one_to_one):
    url = fragment_url(one_to_one, one_to_one.ada)
    etag = fetch(logged_in, url).headers["ETag"]
    logged_in.post(f"/subscriptions/{one_to_one.ada}/end", data={})
    after = fetch(logged_in, url, etag)
    assert after.status_code == 200 and "Ended" in after.get_data(as_text=True)


def test_renaming_an_exercise_the_calendar_prescribes_gives_the_new_calendar(app, logged_in, one_to_one):
    logged_in.post("/exercises", data={"name": "Banded Good Morning", "category": "strength", "measure": "reps"})
    plan(app, one_to_one.ada, NOV_3, exercises=(("Banded Good Morning", 3, 10, None),))
    url, other = fragment_url(one_to_one, one_to_one.ada), fragment_url(one_to_one, one_to_one.ben)
    etag, other_etag = fetch(logged_in, url).headers["ETag"], fetch(logged_in, other).headers["ETag"]
    with app.app_context():
        exercise_id = db.session.scalar(select(Exercise.id).where(Exercise.name == "Banded Good Morning"))
    assert logged_in.post(f"/exercises/{exercise_id}/rename", data={"name": "Band Good Morning"}).status_code in (200, 302)
    after = fetch(logged_in, url, etag)
    assert after.status_code == 200 and "A · Band Good Morning · 3×10" in card_lines(after.get_data(as_text=True))
    assert fetch(logged_in, other, other_etag).status_code == 304  # a calendar without it is unchanged


# --- who gets a 304, and when "today" moves ------------------------------------------------------


def test_nobody_else_gets_a_304_for_a_calendar_they_cannot_see(app, auth, client, logged_in, one_to_one):
    url = fragment_url(one_to_one, one_to_one.ada)
    etag = fetch(logged_in, url).headers["ETag"]
    auth.logout()
    assert fetch(client, url, etag).status_code == 401  # htmx is told to log in again
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    make_user(app, "Olive Other", "olive@example.com")
    auth.login("olive@example.com")
    assert fetch(client, url, etag).status_code == 404
    auth.logout()
    auth.login("ada@example.com")  # the client herself: coaches' pages are not hers
    assert fetch(client, url, etag).status_code == 404


def test_the_calendar_changes_at_the_coachs_midnight(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, date(2026, 11, 10))  # today, not logged: planned until tomorrow
    url = fragment_url(one_to_one, one_to_one.ada)
    midnight = datetime(2026, 11, 11, tzinfo=ZoneInfo(TIME_ZONE))
    with time_machine.travel(midnight - timedelta(minutes=1), tick=False):
        evening = fetch(logged_in, url)
        assert fetch(logged_in, url, evening.headers["ETag"]).status_code == 304
    with time_machine.travel(midnight + timedelta(minutes=1), tick=False):
        morning = fetch(logged_in, url, evening.headers["ETag"])
    assert morning.status_code == 200 and morning.headers["ETag"] != evening.headers["ETag"]
    assert f'data-session-id="{sid}"' in morning.get_data(as_text=True)
    assert morning.get_data() != evening.get_data()  # yesterday's session is now missed


def test_a_template_is_a_304_until_written(app, logged_in, one_to_one):
    url = f"/programs/{one_to_one.id}/template?view=month&week=1"
    etag = fetch(logged_in, url).headers["ETag"]
    assert fetch(logged_in, url, etag).status_code == 304
    with app.app_context():
        template = calendar_rules.template_calendar(db.session.get(Program, one_to_one.id)).id
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{template}/sessions", data=session_form("Week 1 day 2", [SQUAT], date(2000, 1, 4)), headers=HTMX)
    after = fetch(logged_in, url, etag)
    assert after.status_code == 200 and "Week 1 day 2" in after.get_data(as_text=True)


def test_a_group_calendar_changes_when_a_subscriber_leaves(app, logged_in, team_program):
    """A Group calendar counts its subscribers on each session ("1 of 2 done")."""
    sid = plan(app, team_program.first, NOV_3, title="Team day")  # on the shared calendar
    with app.app_context():
        gail = db.session.scalar(select(Subscription.client_id).where(Subscription.id == team_program.first))
    log(app, gail, sid, today=date(2026, 11, 10))
    url = f"/programs/{team_program.id}/shared-calendar?view=month&date=2026-11-10"
    first = fetch(logged_in, url)
    assert "1 of 2 done" in first.get_data(as_text=True)
    assert fetch(logged_in, url, first.headers["ETag"]).status_code == 304
    logged_in.post(f"/subscriptions/{team_program.second}/end", data={})
    after = fetch(logged_in, url, first.headers["ETag"])
    assert after.status_code == 200 and "1 of 1 done" in after.get_data(as_text=True)

