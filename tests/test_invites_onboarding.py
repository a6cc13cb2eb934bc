"""Onboarding through the invite, end to end: the program template lands in the new client's
calendar, a client in two programs keeps two calendars, a Group client follows the shared one;
the invite form's limits; the invite link's use count and secret key; and a few pages' query
counts."""

from datetime import timedelta

import pytest
from factories import PASSWORD, TIME_ZONE, element, elements, make_user, sign_up_and_join
from sqlalchemy import func, select

from fitr.accounts.models import User
from fitr.calendars.models import TEMPLATE_EPOCH, Calendar, Session
from fitr.calendars.rules import (
    add_session,
    calendar_for_subscription,
    group_calendar,
    template_calendar,
)
from fitr.extensions import db
from fitr.invites.invite_link import link_token
from fitr.invites.models import Invite, InviteLink
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh


def sessions_of(app, calendar_id):
    with app.app_context():
        return [
            (s.date, s.title)
            for s in db.session.scalars(
                select(Session).where(Session.calendar_id == calendar_id).order_by(Session.date, Session.id)
            )
        ]


def write_template(app, program_id, coach_id, *titles_by_day):
    """Template sessions: (day offset from Week 1 Day 1, title)."""
    with app.app_context():
        template = template_calendar(db.session.get(Program, program_id))
        for offset, title in titles_by_day:
            add_session(template, TEMPLATE_EPOCH + timedelta(days=offset), coach_id, title)
        db.session.commit()


def accept(app, token, name="Ada Lovelace", **extra):
    """Accept the invite as a new visitor on a phone (whose browser says where it is)."""
    data = {"name": name, "password": PASSWORD, "time_zone": TIME_ZONE, **extra}
    return app.test_client().post(f"/invite/{token}", data=data)


def own_calendar(app, subscription_id):
    with app.app_context():
        return db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == subscription_id))


def error_next_to(response, field):
    """The message next to the field, or None."""
    found = elements(response.get_data(as_text=True), "p", id=f"{field}-error")
    assert all(error["class"] == "error" for error in found)
    return found[0].text if found else None


# --- the template and the calendars a client gets -----------------------------------------------


def test_accepting_an_invite_copies_the_program_template_into_the_new_clients_calendar(
    app, coach, published_program, make_invite, today
):
    write_template(app, published_program, coach, (0, "Squat day"), (2, "Bench day"), (7, "Week 2 squat"))
    invited = make_invite(published_program, "ada@example.com")

    response = accept(app, invited.token)

    assert response.status_code == 302
    with app.app_context():
        subscription = db.session.get(Subscription, invited.subscription_id)
        start = subscription.start_date
    assert subscription.status == "active" and start == today
    assert sessions_of(app, own_calendar(app, invited.subscription_id)) == [
        (start, "Squat day"), (start + timedelta(days=2), "Bench day"), (start + timedelta(days=7), "Week 2 squat"),
    ]


def test_client_accepting_invites_to_two_programs_gets_two_subscriptions_and_two_calendars(
    app, coach, make_program, make_invite, today
):
    first = make_program(coach, status="published", name="Strength 1-2-1")
    second = make_program(coach, status="published", name="Conditioning 1-2-1")
    write_template(app, second, coach, (0, "Intervals"))
    strength = make_invite(first, "ada@example.com")
    conditioning = make_invite(second, "ada@example.com")
    assert accept(app, strength.token).status_code == 302
    first_calendar = own_calendar(app, strength.subscription_id)
    with app.app_context():
        calendar = calendar_for_subscription(db.session.get(Subscription, strength.subscription_id))
        add_session(calendar, today + timedelta(days=1), coach, "Deadlift day")
        db.session.commit()
    before = sessions_of(app, first_calendar)

    ada = app.test_client()
    ada.post("/login", data={"email": "ada@example.com", "password": PASSWORD})
    assert ada.post(f"/invite/{conditioning.token}").status_code == 302

    with app.app_context():
        ada_id = db.session.scalar(select(User.id).where(User.email == "ada@example.com"))
        active = db.session.scalars(
            select(Subscription).where(Subscription.client_id == ada_id, Subscription.status == "active")
        ).all()
    assert sorted(s.program_id for s in active) == [first, second]
    second_calendar = own_calendar(app, conditioning.subscription_id)
    assert second_calendar != first_calendar
    assert sessions_of(app, first_calendar) == before == [(today + timedelta(days=1), "Deadlift day")]
    assert [title for _, title in sessions_of(app, second_calendar)] == ["Intervals"]


def test_group_program_client_gets_no_own_calendar_and_follows_the_shared_one(app, coach, group_program, make_invite, today):
    with app.app_context():
        shared = group_calendar(db.session.get(Program, group_program))
        add_session(shared, today, coach, "Team session")
        db.session.commit()
        shared_id = shared.id
    invited = make_invite(group_program, "gail@example.com")

    assert accept(app, invited.token, name="Gail Group").status_code == 302

    with app.app_context():
        subscription = db.session.get(Subscription, invited.subscription_id)
        assert subscription.status == "active"
        assert db.session.scalar(select(func.count()).select_from(Calendar).where(Calendar.subscription_id == subscription.id)) == 0
        follows = calendar_for_subscription(subscription)
        assert follows.id == shared_id and follows.kind == "group"
    assert sessions_of(app, shared_id) == [(today, "Team session")]


def test_add_manually_explains_when_the_program_template_is_copied(logged_in, published_program, group_program):
    page = logged_in.get(f"/programs/{published_program}/clients/new?way=manual").get_data(as_text=True)
    assert "Program template:" in page and "Apply template" in page
    group = logged_in.get(f"/programs/{group_program}/clients/new?way=manual").get_data(as_text=True)
    assert "Program template:" not in group


def test_manually_added_client_with_a_start_date_gets_the_template_now_and_keeps_what_the_coach_adds(
    app, coach, logged_in, published_program, today
):
    write_template(app, published_program, coach, (0, "Squat day"))
    start = today + timedelta(days=3)
    response = logged_in.post(
        f"/programs/{published_program}/clients/manual",
        data={"name": "Ada Lovelace", "email": "ada@example.com", "start_date": start.isoformat()},
    )
    assert response.status_code == 302
    with app.app_context():
        invite = db.session.scalar(select(Invite))
        calendar = calendar_for_subscription(db.session.get(Subscription, invite.subscription_id))
        add_session(calendar, start + timedelta(days=1), coach, "Assessment")
        db.session.commit()
        calendar_id, invite_id = calendar.id, invite.id
    with app.test_request_context():
        from fitr.invites.delivery import copy_link

        token = copy_link(db.session.get(Invite, invite_id), db.session.get(Program, published_program))
        db.session.commit()

    assert accept(app, token).status_code == 302
    assert sessions_of(app, calendar_id) == [(start, "Squat day"), (start + timedelta(days=1), "Assessment")]


# --- the invite form's limits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "ok"),
    [(-367, False), (-366, True), (0, True), (2 * 366, True), (2 * 366 + 1, False)],
)
def test_invite_start_date_must_be_within_a_year_ago_and_two_years_ahead(app, logged_in, published_program, start, ok, today):
    day = today + timedelta(days=start)
    response = logged_in.post(
        f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com", "start_date": day.isoformat()}
    )
    with app.app_context():
        invites = db.session.scalar(select(func.count()).select_from(Invite))
        subscriptions = db.session.scalar(select(func.count()).select_from(Subscription))
    if ok:
        assert response.status_code == 302 and invites == subscriptions == 1
    else:
        assert response.status_code == 400
        assert error_next_to(response, "start_date") == "Choose a start date within a year ago and two years ahead."
        assert invites == subscriptions == 0


def test_personal_message_over_2000_characters_is_refused_and_nothing_is_saved(app, logged_in, published_program):
    response = logged_in.post(
        f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com", "message": "m" * 2001}
    )
    assert response.status_code == 400
    assert error_next_to(response, "message") == "Use at most 2,000 characters."
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 0

    response = logged_in.post(
        f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com", "message": "m" * 2000}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Invite.message)) == "m" * 2000


# --- the invite link ---------------------------------------------------------------------------------


def the_link(app):
    with app.test_request_context():
        return "/join/" + link_token(db.session.scalar(select(InviteLink)))


def test_regenerating_the_invite_link_resets_its_use_count(app, logged_in, published_program, smtp):
    logged_in.post(f"/programs/{published_program}/invite-link", data={"max_uses": "1"})
    old = the_link(app)
    visitor = app.test_client()
    assert sign_up_and_join(visitor, smtp, old, "Dee", "dee@example.com").status_code == 302
    assert app.test_client().get(old).status_code == 410  # used up
    assert "Used 1 time of 1" in logged_in.get(f"/programs/{published_program}/clients/new?way=link").get_data(as_text=True)

    assert logged_in.post(f"/programs/{published_program}/invite-link/regenerate").status_code == 302

    page = logged_in.get(f"/programs/{published_program}/clients/new?way=link").get_data(as_text=True)
    assert "Used 0 times of 1" in page
    new = the_link(app)
    assert new != old
    joined = sign_up_and_join(app.test_client(), smtp, new, "Eve", "eve@example.com")
    assert joined.status_code == 302


def test_coach_following_their_own_invite_link_is_forbidden_not_gone(app, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    response = logged_in.post(the_link(app))
    assert response.status_code == 403
    assert "You cannot join your own program." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0
        assert db.session.scalar(select(InviteLink.uses)) == 0


def test_after_the_secret_key_changes_add_client_says_the_link_needs_regenerate(app, auth, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    shared = the_link(app)
    app.config["SECRET_KEY"] = "a-new-secret-key"
    auth.login()  # the old session cookie no longer verifies
    stale = the_link(app)  # what the page would show now
    assert app.test_client().get(stale).status_code == 404

    page = logged_in.get(f"/programs/{published_program}/clients/new?way=link").get_data(as_text=True)
    assert "the server's secret key has changed" in page
    assert stale not in page  # no dead link to copy
    assert "Regenerate link" in page
    assert app.test_client().get(shared).status_code == 200  # the link already shared still works

    assert logged_in.post(f"/programs/{published_program}/invite-link/regenerate").status_code == 302
    page = logged_in.get(f"/programs/{published_program}/clients/new?way=link").get_data(as_text=True)
    fresh = the_link(app)
    assert "secret key has changed" not in page and "readonly" in element(page, "input", value=f"http://localhost{fresh}")
    assert app.test_client().get(fresh).status_code == 200


# --- query counts ---------------------------------------------------------------------------------


def test_invite_current_clients_list_runs_a_fixed_number_of_queries(
    app, logged_in, coach, published_program, make_program, add_subscription, count_queries
):
    old = make_program(coach, status="published", name="Off-season")

    def add_clients(first, count):
        for n in range(first, first + count):
            user = make_user(app, f"Client {n:02}", f"c{n}@example.com")
            add_subscription(old, f"c{n}@example.com", status="active" if n % 2 else "ended", client_id=user)

    add_clients(0, 1)
    url = f"/programs/{published_program}/clients/new?way=current"
    logged_in.get(url)
    with count_queries() as one:
        assert "Client 00" in logged_in.get(url).get_data(as_text=True)
    add_clients(1, 24)
    with count_queries() as many:
        page = logged_in.get(url).get_data(as_text=True)
    assert "Client 24" in page
    assert many.count == one.count <= 6, many.statements


# --- typed text -----------------------------------------------------------------------------------


def test_invisible_names_are_empty_and_control_characters_are_refused(app, logged_in, published_program, invited_client):
    manual = f"/programs/{published_program}/clients/manual"
    response = logged_in.post(manual, data={"name": "\u200b\u2060", "email": "bo@example.com"})
    assert response.status_code == 400 and error_next_to(response, "name") == "Enter the client's name."
    response = logged_in.post(manual, data={"name": "Bo\x07Diddley", "email": "bo@example.com"})
    assert response.status_code == 400 and "Remove the control character (U+0007)" in error_next_to(response, "name")
    response = logged_in.post(
        f"/programs/{published_program}/clients/new", data={"emails": "cy@example.com", "message": "Hi\x1b[31m there"}
    )
    assert response.status_code == 400 and "U+001B" in error_next_to(response, "message")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 1  # only Ada's

    response = app.test_client().post(f"/invite/{invited_client.token}", data={"name": "\ufeff", "password": PASSWORD})
    assert response.status_code == 400 and error_next_to(response, "name") == "Enter your name."
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1  # only the coach

    kept = logged_in.post(
        f"/programs/{published_program}/clients/new", data={"emails": "cy@example.com", "message": "Line one\r\n\tLine two"}
    )
    assert kept.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Invite.message).where(Invite.email == "cy@example.com")) == "Line one\n\tLine two"


def test_a_personal_message_sent_with_crlf_line_breaks_counts_each_as_one_character(app, logged_in, published_program):
    message = ("m" * 19 + "\r\n") * 100  # 2,100 characters as sent, 1,999 as kept
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com", "message": message})
    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.scalar(select(Invite.message))) == 1_999


def test_coach_opening_their_own_invite_link_sees_a_preview_without_a_join_button(app, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    response = logged_in.get(the_link(app))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This is the invite link of your own program, as your clients see it." in page
    assert "Join program" not in page
    assert f'href="/programs/{published_program}/clients/new?way=link"' in page
