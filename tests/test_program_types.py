"""FITR's other program types. Fixed Length: the whole Program template is placed from the
client's start when they join, and after its last week they are shown as Program finished.
Session 1 Day 1: the client picks their own start, sees 7 days ahead and moves their own
upcoming sessions. 1-2-1 and Group stay as they were."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from factories import (
    PASSWORD,
    add_subscription,
    element,
    elements,
    load_starter_exercises,
    log,
    main,
    make_invite,
    make_program,
    make_user,
    plan,
)
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import TEMPLATE_EPOCH, Calendar, Session
from fitr.clock import today_for
from fitr.extensions import db
from fitr.invites.accepting import accept_invite
from fitr.invites.delivery import send_invite
from fitr.invites.invite_link import join_with_link, link_token, turn_on_link
from fitr.invites.inviting import InviteError, add_manually
from fitr.invites.models import Invite
from fitr.programs.models import FIXED, GROUP, ONE_TO_ONE, PUBLISHED, SELF_PACED, Program
from fitr.subscriptions.models import ACTIVE, PENDING, Subscription


def write_template(app, program_id, *days):
    """The coach writes the Program template: (week, day, title) sessions."""
    with app.app_context():
        program = db.session.get(Program, program_id)
        calendar = calendar_rules.template_calendar(program)
        for week, day, title in days:
            calendar_rules.add_session(calendar, TEMPLATE_EPOCH + timedelta(days=7 * (week - 1) + day - 1),
                                       program.coach_id, title)  # fmt: skip
        db.session.commit()


def calendar_of(app, subscription_id):
    """[(date, title)] on the subscriber's own calendar, by date."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Session.date, Session.title).join(Calendar, Session.calendar_id == Calendar.id)
            .where(Calendar.subscription_id == subscription_id).order_by(Session.date, Session.position)
        )]  # fmt: skip


def subscription(app, subscription_id):
    with app.app_context():
        return db.session.get(Subscription, subscription_id)


@pytest.fixture
def fixed(app, coach):
    """Casey's published Fixed Length program "8 Week Strength" with a 3-week template."""
    load_starter_exercises(app)
    program = make_program(app, coach, status=PUBLISHED, name="8 Week Strength", type=FIXED)
    write_template(app, program, (1, 1, "Squat day"), (1, 3, "Bench day"), (3, 2, "Test day"))
    return program


@pytest.fixture
def paced(app, coach):
    """Casey's published Session 1 Day 1 program "Run Club" with two template sessions."""
    load_starter_exercises(app)
    program = make_program(app, coach, status=PUBLISHED, name="Run Club", type=SELF_PACED)
    write_template(app, program, (1, 1, "Easy run"), (1, 4, "Intervals"))
    return program


# --- the type, chosen when creating a program, and what the program page says ------------------


def test_a_coach_creates_programs_of_each_type_and_the_program_page_says_what_clients_see(app, logged_in, coach):
    said = {}
    for value, name in ((ONE_TO_ONE, "Personal"), (GROUP, "Team"), (FIXED, "Block"), (SELF_PACED, "Paced")):
        response = logged_in.post("/programs/new", data={"name": name, "type": value, "free": "y", "currency": "GBP",
                                                          "billing_period": "one_off", "week_start": "0",
                                                          "start_rule": "accept_day", "see_ahead_days": "14",
                                                          "needs_training_days": "3"})  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)
        program_id = int(response.headers["Location"].rsplit("/", 1)[1])
        write_template(app, program_id, (2, 1, "Week 2")) if value in (FIXED, SELF_PACED) else None
        said[value] = elements(main(logged_in.get(f"/programs/{program_id}")), "dd")[0].text
    assert said[ONE_TO_ONE].startswith("1-2-1: each client has their own calendar")
    assert said[GROUP].startswith("Group: every client follows one shared calendar")
    assert said[FIXED].startswith("Fixed Length · 2 weeks: each client gets the whole Program template from the day they start, sees 14 days ahead")
    assert "is shown as Program finished after week 2" in said[FIXED]
    assert "does not change calendars already placed" in said[FIXED]
    assert said[SELF_PACED].startswith("Session 1 Day 1 (self-paced) · 2 weeks: each client picks their own start date")
    assert "they see 7 days ahead and can move their own upcoming sessions" in said[SELF_PACED]


def test_an_unknown_type_is_refused_with_a_message(app, logged_in):
    response = logged_in.post("/programs/new", data={"name": "X", "type": "weekly", "free": "y"})
    assert response.status_code == 400
    assert "Choose one of the options." in response.get_data(as_text=True)
    assert count_programs(app) == 0


def count_programs(app):
    with app.app_context():
        return len(db.session.scalars(select(Program.id)).all())


def test_the_type_is_locked_once_a_fixed_length_program_has_clients(app, logged_in, fixed):
    make_invite(app, fixed, "ada@example.com")
    page = logged_in.get(f"/programs/{fixed}/edit").get_data(as_text=True)
    assert "The type cannot change once the program has clients." in page
    response = logged_in.post(f"/programs/{fixed}/edit", data={"name": "8 Week Strength", "type": ONE_TO_ONE, "free": "y",
                                                               "currency": "GBP", "billing_period": "one_off",
                                                               "week_start": "0", "start_rule": "accept_day",
                                                               "see_ahead_days": "0", "needs_training_days": "3"})  # fmt: skip
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Program, fixed).type == FIXED


# --- Fixed Length: placed whole on joining -----------------------------------------------------


def test_accepting_an_invite_places_the_whole_template_from_the_start(app, client, fixed, today):
    invite = make_invite(app, fixed, "ada@example.com")
    response = client.post(f"/invite/{invite.token}", data={"name": "Ada Athlete", "password": PASSWORD, "time_zone": "UTC"})
    assert response.status_code == 302
    joined = subscription(app, invite.subscription_id)
    assert joined.status == ACTIVE and joined.start_date == today
    assert calendar_of(app, joined.id) == [(today, "Squat day"), (today + timedelta(days=2), "Bench day"),
                                           (today + timedelta(days=15), "Test day")]  # fmt: skip
    assert joined.ends_on == today + timedelta(days=20)  # the last day of week 3


def test_joining_by_the_invite_link_places_the_template_in_the_same_transaction(app, coach, fixed, today):
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    with app.test_request_context():
        program = db.session.get(Program, fixed)
        token = link_token(turn_on_link(program, db.session.get(User, coach)))
        db.session.commit()
        joined = join_with_link(token, db.session.get(User, ada))
        db.session.rollback()  # the join is one transaction: nothing of it stays
        assert db.session.scalar(select(Subscription).where(Subscription.client_id == ada)) is None
        joined = join_with_link(token, db.session.get(User, ada))
        db.session.commit()
        sub_id = joined.subscription.id
    assert [title for _, title in calendar_of(app, sub_id)] == ["Squat day", "Bench day", "Test day"]
    assert calendar_of(app, sub_id)[0][0] == today


def test_a_client_added_manually_with_a_start_date_gets_the_template_at_once(app, coach, fixed, today):
    start = today + timedelta(days=6)
    with app.test_request_context():
        invite = add_manually(db.session.get(Program, fixed), db.session.get(User, coach), "Bob", "bob@example.com", start)
        db.session.commit()
        sub_id = invite.subscription_id
    assert calendar_of(app, sub_id)[0] == (start, "Squat day")
    assert subscription(app, sub_id).ends_on == start + timedelta(days=20)
    bob = make_user(app, "Bob", "bob@example.com", is_coach=False)
    with app.test_request_context():
        token = send_invite(db.session.get(Invite, invite.id), db.session.get(Program, fixed))  # Send invite
        db.session.commit()
        accept_invite(token, user=db.session.get(User, bob))
        db.session.commit()
    assert len(calendar_of(app, sub_id)) == 3  # placed once, not again on joining
    assert subscription(app, sub_id).start_date == start


# --- Program finished, on the client's own today -----------------------------------------------


@pytest.mark.dates
def test_program_finished_is_decided_on_the_clients_own_today(app, coach, logged_in, fixed):
    one_week = make_program(app, coach, status=PUBLISHED, name="One Week", type=FIXED)
    write_template(app, one_week, (1, 1, "Only day"))
    kiri = SimpleNamespace(time_zone="Pacific/Kiritimati")  # UTC+14: the first to see a new day
    start = today_for(kiri) - timedelta(days=7)  # so the one week ended yesterday in Kiritimati
    subs = {}
    for name, zone_name in (("Kiri East", "Pacific/Kiritimati"), ("Pago West", "Pacific/Pago_Pago")):
        email = f"{name.split()[0].lower()}@example.com"
        user = make_user(app, name, email, is_coach=False, time_zone=zone_name)
        with app.test_request_context():
            invite = add_manually(db.session.get(Program, one_week), db.session.get(User, coach), name, email, start)
            db.session.commit()
            subs[name] = invite.subscription_id
        with app.app_context():
            db.session.execute(Subscription.__table__.update().where(Subscription.id == invite.subscription_id)
                               .values(status=ACTIVE, client_id=user))  # fmt: skip
            db.session.commit()
    page = main(logged_in.get(f"/programs/{one_week}"))
    rows = {element(row.html, "span", class_=re.compile(r"(.* )?client-name")).text: row for row in elements(page, "li", class_="client-row")}
    assert "Program finished" in rows["Kiri East"].text  # their today is past week 1
    assert "Program finished" not in rows["Pago West"].text  # 25 hours behind: still in it
    assert "Invite to another program" in rows["Kiri East"].text
    assert "Invite to another program" not in rows["Pago West"].text
    logged_in.post("/logout")
    logged_in.post("/login", data={"email": "kiri@example.com", "password": PASSWORD})
    assert "You finished One Week" in main(logged_in.get("/my"))
    assert "Program finished" in main(logged_in.get("/my/programs"))
    logged_in.post("/logout")
    logged_in.post("/login", data={"email": "pago@example.com", "password": PASSWORD})
    assert "You finished" not in main(logged_in.get("/my"))


def test_a_finished_client_keeps_their_history_and_is_offered_the_next_program(app, coach, logged_in, fixed, today):
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    sub_id = add_subscription(app, fixed, "ada@example.com", ACTIVE, client_id=ada, start_date=today - timedelta(days=30))
    session_id = plan(app, sub_id, today - timedelta(days=25), title="Old squat day")
    log(app, ada, session_id, [("Back Squat", 5, 100)], today=today)
    with app.app_context():
        db.session.get(Subscription, sub_id).ends_on = today - timedelta(days=10)
        db.session.commit()
    overview = main(logged_in.get(f"/programs/{fixed}/clients/{sub_id}/overview"))
    assert "Program finished" in overview and "Old squat day" in overview
    link = element(overview, "a", "Invite to another program for Ada Athlete")
    invite_page = logged_in.get(link["href"]).get_data(as_text=True)
    assert element(invite_page, "textarea", name="emails").text.strip() == "ada@example.com"
    assert subscription(app, sub_id).status == ACTIVE  # still under Active clients, not ended


# --- Session 1 Day 1: the client picks their start -------------------------------------------


def test_the_client_picks_their_start_date_when_accepting(app, client, paced, today):
    invite = make_invite(app, paced, "ada@example.com")
    page = client.get(f"/invite/{invite.token}").get_data(as_text=True)
    field = element(page, "input", name="start_date")
    assert field["value"] == today.isoformat() and field["max"] == (today + timedelta(days=90)).isoformat()
    start = today + timedelta(days=5)
    response = client.post(f"/invite/{invite.token}", data={"name": "Ada Athlete", "password": PASSWORD,
                                                             "time_zone": "UTC", "start_date": start.isoformat()})  # fmt: skip
    assert response.status_code == 302
    assert calendar_of(app, invite.subscription_id) == [(start, "Easy run"), (start + timedelta(days=3), "Intervals")]
    assert subscription(app, invite.subscription_id).start_date == start


@pytest.mark.parametrize("days, typed", [(-1, None), (91, None), (None, "next tuesday")])
def test_a_start_date_out_of_range_is_refused_and_the_typed_password_kept(app, client, paced, today, days, typed):
    invite = make_invite(app, paced, "ada@example.com")
    value = typed or (today + timedelta(days=days)).isoformat()
    response = client.post(f"/invite/{invite.token}", data={"name": "Ada Athlete", "password": PASSWORD,
                                                             "time_zone": "UTC", "start_date": value})  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert element(page, "p", id="start_date-error").text.startswith("Choose a start date")
    assert element(page, "input", name="password")["value"] == PASSWORD
    assert subscription(app, invite.subscription_id).status == PENDING  # nothing half-written
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ada@example.com")) is None
    assert calendar_of(app, invite.subscription_id) == []


def test_nothing_is_placed_while_a_session_1_day_1_client_is_pending(app, coach, paced, today):
    invite = make_invite(app, paced, "ada@example.com", start_date=today + timedelta(days=2))
    assert calendar_of(app, invite.subscription_id) == []  # the client picks the day
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    with app.test_request_context():
        with pytest.raises(InviteError):
            accept_invite(invite.token, user=db.session.get(User, ada), start_date=today - timedelta(days=1))
        db.session.rollback()
        accept_invite(invite.token, user=db.session.get(User, ada), start_date=today + timedelta(days=1))
        db.session.commit()
    assert calendar_of(app, invite.subscription_id)[0] == (today + timedelta(days=1), "Easy run")


# --- Session 1 Day 1: 7 days ahead, and Move session -----------------------------------------


@pytest.fixture
def pacer(app, auth, paced, today):
    """Ada in Run Club from today (sessions today+0 and +3), logged in; and Zed in it too."""
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    ada_sub = add_subscription(app, paced, "ada@example.com", ACTIVE, client_id=ada, start_date=today)
    zed = make_user(app, "Zed Other", "zed@example.com", is_coach=False)
    zed_sub = add_subscription(app, paced, "zed@example.com", ACTIVE, client_id=zed, start_date=today)
    sessions = {day: plan(app, ada_sub, today + timedelta(days=day), title=f"Day {day}") for day in (0, 3, 7, 8)}
    zeds = plan(app, zed_sub, today + timedelta(days=1), title="Zed's run")
    auth.login("ada@example.com")
    return SimpleNamespace(ada=ada, sub=ada_sub, sessions=sessions, zeds=zeds, client=auth.client)


def test_a_session_1_day_1_client_sees_7_days_ahead_whatever_the_setting(app, pacer):
    with app.app_context():
        assert db.session.get(Program, db.session.get(Subscription, pacer.sub).program_id).see_ahead_days == 0  # All
    today_page = main(pacer.client.get("/my"))
    assert "Day 3" in today_page and "Day 7" in today_page and "Day 8" not in today_page
    assert pacer.client.get(f"/my/sessions/{pacer.sessions[8]}").status_code == 404


def test_the_client_moves_an_upcoming_session_and_the_coach_sees_the_new_day(app, auth, pacer, today):
    page = pacer.client.get(f"/my/sessions/{pacer.sessions[3]}").get_data(as_text=True)
    move = element(page, "a", "Move session")
    form = pacer.client.get(move["href"]).get_data(as_text=True)
    assert element(form, "input", name="date")["max"] == (today + timedelta(days=7)).isoformat()
    response = pacer.client.post(move["href"], data={"date": (today + timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    with app.app_context():
        moved = db.session.get(Session, pacer.sessions[3])
        assert (moved.date, moved.version) == (today + timedelta(days=5), 2)
        program_id = db.session.get(Subscription, pacer.sub).program_id
    auth.logout()
    auth.login()
    week = auth.client.get(f"/programs/{program_id}/clients/{pacer.sub}/calendar?view=week&date={(today + timedelta(days=5)).isoformat()}")
    assert "Day 3" in week.get_data(as_text=True)


@pytest.mark.parametrize("session_day, to_day, message", [
    (3, -1, "Choose a day from"),  # into the past
    (3, 8, "Choose a day from"),  # beyond the 7 days they see
    (3, 3, "already on that day"),
])  # fmt: skip
def test_a_move_out_of_the_window_is_refused_and_changes_nothing(app, pacer, today, session_day, to_day, message):
    url = f"/my/sessions/{pacer.sessions[session_day]}/move"
    response = pacer.client.post(url, data={"date": (today + timedelta(days=to_day)).isoformat()})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Session, pacer.sessions[session_day]).date == today + timedelta(days=session_day)


def test_a_logged_session_is_not_moved(app, pacer, today):
    log(app, pacer.ada, pacer.sessions[0], [("Back Squat", 5, 100)], today=today)
    page = pacer.client.get(f"/my/sessions/{pacer.sessions[0]}").get_data(as_text=True)
    assert not elements(page, "a", "Move session")
    response = pacer.client.post(f"/my/sessions/{pacer.sessions[0]}/move", data={"date": (today + timedelta(days=1)).isoformat()})
    assert response.status_code == 409
    assert "This session is logged" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Session, pacer.sessions[0]).date == today


def test_only_the_client_moves_their_own_session(app, auth, client, pacer, coach, today):
    data = {"date": (today + timedelta(days=2)).isoformat()}
    assert pacer.client.post(f"/my/sessions/{pacer.zeds}/move", data=data).status_code == 404  # another client's
    auth.logout()
    assert client.get(f"/my/sessions/{pacer.sessions[3]}/move").status_code == 302  # logged out: Log in
    auth.login()  # the coach: their client's session, not theirs to move as a client
    assert client.post(f"/my/sessions/{pacer.sessions[3]}/move", data=data).status_code == 404
    with app.app_context():
        assert db.session.get(Session, pacer.sessions[3]).date == today + timedelta(days=3)


def test_a_1_2_1_client_cannot_move_sessions(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today + timedelta(days=1))
    assert not elements(as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True), "a", "Move session")
    assert as_ada.get(f"/my/sessions/{session_id}/move").status_code == 404


# --- fixed numbers of queries ------------------------------------------------------------------


def test_the_program_page_runs_the_same_queries_for_few_and_many_finished_clients(app, logged_in, fixed, today, count_queries):
    def add(n, first):
        for i in range(first, first + n):
            user = make_user(app, f"Client {i}", f"c{i}@example.com", is_coach=False)
            sub_id = add_subscription(app, fixed, f"c{i}@example.com", ACTIVE, client_id=user, start_date=today - timedelta(days=40))
            with app.app_context():
                db.session.get(Subscription, sub_id).ends_on = today - timedelta(days=20)
                db.session.commit()

    add(2, 0)
    with count_queries() as few:
        assert logged_in.get(f"/programs/{fixed}").status_code == 200
    add(12, 2)
    with count_queries() as many:
        page = logged_in.get(f"/programs/{fixed}").get_data(as_text=True)
    assert page.count("Program finished") >= 14
    assert many.count == few.count


def test_today_and_my_programs_run_the_same_queries_for_few_and_many_programs(app, coach, auth, today, count_queries):
    load_starter_exercises(app)
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)

    def join(n, first):
        for i in range(first, first + n):
            program = make_program(app, coach, status=PUBLISHED, name=f"Block {i}", type=FIXED if i % 2 else SELF_PACED)
            sub_id = add_subscription(app, program, "ada@example.com", ACTIVE, client_id=ada, start_date=today - timedelta(days=3))
            plan(app, sub_id, today + timedelta(days=1), title=f"Run {i}")

    join(2, 0)
    auth.login("ada@example.com")
    with count_queries() as few:
        auth.client.get("/my")
        auth.client.get("/my/programs")
    join(8, 2)
    with count_queries() as many:
        page = auth.client.get("/my").get_data(as_text=True)
        auth.client.get("/my/programs")
    assert "Run 9" in page
    assert many.count == few.count
