"""Every route of the app, asked for with every method it takes, by everyone: a visitor who is
not logged in, the coach who owns what the URL names, another coach, a client of that coach's
program, and another coach's client, always with ids that belong to the owner.

The expected answer per role is declared once, in ROUTES. A route missing from it fails the
test, so no route can be added without saying who may use it. Who is refused is refused without
a trace: a refusal (Log in, or a 403/404) changes nothing in the database, and nobody ever gets
a 5xx."""

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from factories import (
    PASSWORD,
    add_manual,
    add_subscription,
    exercise_id,
    log,
    make_invite,
    make_program,
    make_user,
    one_to_one,
    others_program,
    plan,
    team_program,
)
from sqlalchemy import select, update

from fitr.accounts.models import User
from fitr.accounts.rules import register, start_password_reset
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Calendar, Prescription
from fitr.calendars.rules import template_day
from fitr.conversations import rules as conversations
from fitr.extensions import db
from fitr.invites.invite_link import link_token, turn_on_link
from fitr.library import exercises as library_exercises
from fitr.library import workouts as library_workouts
from fitr.library.models import Exercise
from fitr.maxes.rules import set_max
from fitr.notices import rules as notices
from fitr.notices.models import LOGGED
from fitr.programs.models import PUBLISHED, SELF_PACED, Program
from fitr.subscriptions.models import Subscription
from fitr.training import feeds

pytestmark = pytest.mark.all_routes

ROLES = ("visitor", "other_coach", "stranger", "client", "owner")  # the refused ones ask first

# What each role gets. OK: the page or action (any answer below 500 but Log in, 403 and 404,
# such as a 400 for an empty form; a page asked for with GET opens: 2xx or 3xx); LOGIN: sent to
# Log in; DENIED: 403 or 404.
OK, LOGIN, DENIED = "ok", "log in", "denied"
COACHS = {"visitor": LOGIN, "owner": OK, "other_coach": DENIED, "client": DENIED, "stranger": DENIED}
CLIENTS = {"visitor": LOGIN, "owner": DENIED, "other_coach": DENIED, "client": OK, "stranger": DENIED}
USERS = {"visitor": LOGIN, "owner": OK, "other_coach": OK, "client": OK, "stranger": OK}
ANYONE = dict.fromkeys(ROLES, OK)
# A direct thread is its coach's (Casey's) and client's (Ada's), no one else's.
PAIR = {"visitor": LOGIN, "owner": OK, "other_coach": DENIED, "client": OK, "stranger": DENIED}
# An invite is for one address (Dee's): the others may look, only Dee (or a new account) accepts.
INVITEE = {"visitor": OK, "owner": DENIED, "other_coach": DENIED, "client": DENIED, "stranger": DENIED}
# The invite link: anyone may join, but not the coach who owns the program.
JOINER = {"visitor": OK, "owner": DENIED, "other_coach": OK, "client": OK, "stranger": OK}

ROUTES = {
    ("accounts.start", "GET"): ANYONE,
    # The installed app's manifest, service worker and offline page: the same for everyone.
    ("app_shell.manifest", "GET"): ANYONE,
    ("app_shell.service_worker", "GET"): ANYONE,
    ("app_shell.offline", "GET"): ANYONE,
    ("accounts.signup", "GET"): ANYONE,
    ("accounts.signup", "POST"): ANYONE,
    ("accounts.login", "GET"): ANYONE,
    ("accounts.login", "POST"): ANYONE,
    ("accounts.logout", "POST"): USERS,
    ("accounts.forgot_password", "GET"): ANYONE,
    ("accounts.forgot_password", "POST"): ANYONE,
    ("accounts.reset", "GET"): ANYONE,
    ("accounts.reset", "POST"): ANYONE,
    ("accounts.confirm", "GET"): ANYONE,
    ("accounts.confirm", "POST"): ANYONE,
    ("accounts.settings", "GET"): USERS,
    ("accounts.settings", "POST"): USERS,
    ("accounts.password", "POST"): USERS,
    ("accounts.logout_everywhere", "POST"): USERS,
    ("accounts.email_settings", "POST"): USERS,
    # Settings > Reminders, and this browser's push subscription: each person's own.
    ("push.reminders", "GET"): USERS,
    ("push.reminders", "POST"): USERS,
    ("push.add", "POST"): USERS,
    ("push.remove", "POST"): USERS,
    ("privacy.export", "GET"): USERS,
    ("privacy.delete", "GET"): USERS,
    ("privacy.delete", "POST"): USERS,
    ("home.index", "GET"): USERS,  # a client is sent on to Today
    ("notices.index", "GET"): USERS,
    ("notices.read", "POST"): USERS,
    ("notices.read_one", "POST"): COACHS,  # the notice is Casey's
    ("conversations.index", "GET"): USERS,
    ("conversations.thread", "GET"): PAIR,
    ("conversations.thread", "POST"): PAIR,
    ("conversations.edit", "GET"): COACHS,  # Casey wrote the message: only she changes it
    ("conversations.edit", "POST"): COACHS,
    ("conversations.delete", "POST"): COACHS,
    ("public.program", "GET"): ANYONE,
    ("programs.index", "GET"): USERS,
    ("programs.new", "GET"): USERS,
    ("programs.new", "POST"): USERS,
    ("programs.edit", "GET"): COACHS,
    ("programs.edit", "POST"): COACHS,
    ("programs.publish", "POST"): COACHS,
    ("programs.unpublish", "POST"): COACHS,
    ("programs.archive", "POST"): COACHS,
    ("programs.restore", "POST"): COACHS,
    ("programs.delete", "GET"): COACHS,
    ("programs.delete", "POST"): COACHS,
    ("clients.index", "GET"): USERS,
    ("clients.tab", "GET"): USERS,
    ("clients.program", "GET"): COACHS,
    ("clients.program_tab", "GET"): COACHS,
    ("clients.overview", "GET"): COACHS,
    ("clients.move", "GET"): COACHS,
    ("clients.move", "POST"): COACHS,
    ("clients.end_subscription", "GET"): COACHS,
    ("clients.end_subscription", "POST"): COACHS,
    ("clients.set_training_max", "POST"): COACHS,
    ("clients.remove_training_max", "POST"): COACHS,
    ("invites.clients_invite", "GET"): USERS,
    ("invites.clients_invite", "POST"): USERS,
    ("invites.add_client", "GET"): COACHS,
    ("invites.add_client", "POST"): COACHS,
    ("invites.add_manually_route", "POST"): COACHS,
    ("invites.invite_current", "GET"): COACHS,
    ("invites.invite_current", "POST"): COACHS,
    ("invites.invite_link_on", "POST"): COACHS,
    ("invites.invite_link_off", "POST"): COACHS,
    ("invites.invite_link_regenerate", "POST"): COACHS,
    ("invites.resend", "POST"): COACHS,
    ("invites.copy_link_route", "POST"): COACHS,
    ("invites.revoke", "POST"): COACHS,
    ("invites.send_invite_route", "POST"): COACHS,
    ("invites.accept", "GET"): ANYONE,  # others see whose invite it is
    ("invites.accept", "POST"): INVITEE,
    ("invites.accept_logout", "POST"): ANYONE,
    ("invites.join", "GET"): ANYONE,
    ("invites.join", "POST"): JOINER,
    ("invites.join_logout", "POST"): ANYONE,
    ("calendars.program_calendar", "GET"): COACHS,
    ("calendars.client_calendar", "GET"): COACHS,
    ("calendars.shared_calendar", "GET"): COACHS,
    ("calendars.template", "GET"): COACHS,
    ("calendars.apply_template", "GET"): COACHS,
    ("calendars.apply_template", "POST"): COACHS,
    ("calendars.client_list", "GET"): COACHS,
    ("calendars.new_session", "GET"): COACHS,
    ("calendars.create_session", "POST"): COACHS,
    ("calendars.edit_session", "GET"): COACHS,
    ("calendars.update_session", "POST"): COACHS,
    ("calendars.delete_session", "POST"): COACHS,
    ("calendars.restore_session", "POST"): COACHS,
    ("calendars.move_session", "POST"): COACHS,
    ("calendars.duplicate_session", "POST"): COACHS,
    ("calendars.reorder_session", "POST"): COACHS,
    ("calendars.copy_session", "POST"): COACHS,
    ("calendars.copy_session_panel", "GET"): COACHS,
    ("calendars.copy_days_panel", "GET"): COACHS,
    ("calendars.copy_days", "POST"): COACHS,
    ("calendars.undo_copy", "POST"): COACHS,
    ("calendars.copy_weeks_panel", "GET"): COACHS,
    ("calendars.preview_weeks", "POST"): COACHS,
    ("calendars.copy_weeks", "POST"): COACHS,
    ("calendars.save_to_library", "POST"): COACHS,
    ("calendars.insert_workout", "POST"): COACHS,
    ("calendars.session_comments", "GET"): COACHS,
    ("calendars.session_comments", "POST"): COACHS,
    ("library.workouts", "GET"): USERS,
    ("library.edit_workout", "GET"): COACHS,
    ("library.edit_workout", "POST"): COACHS,
    ("library.delete_workout", "POST"): COACHS,
    ("library.exercises", "GET"): USERS,
    ("library.create_exercise", "POST"): USERS,
    ("library.rename_exercise", "POST"): COACHS,
    ("library.archive_exercise", "POST"): COACHS,
    ("library.describe_exercise", "GET"): COACHS,
    ("library.describe_exercise", "POST"): COACHS,
    ("library.hide_exercise", "POST"): USERS,  # a starter exercise: anyone hides it for themselves
    ("library.exercise_matches", "GET"): USERS,
    ("library.create_exercise_inline", "POST"): USERS,
    ("training.today", "GET"): USERS,
    ("training.my_programs", "GET"): USERS,
    ("training.my_calendar", "GET"): USERS,  # the Calendar tab: their program's calendar, or My programs
    ("training.my_program", "GET"): CLIENTS,
    ("training.dismiss_welcome", "POST"): CLIENTS,
    ("training.calendar", "GET"): CLIENTS,
    ("training.create_feed", "POST"): CLIENTS,
    ("training.show_new_feed", "GET"): CLIENTS,
    ("training.revoke_feed", "POST"): CLIENTS,
    ("training.feed", "GET"): ANYONE,  # the private link is the key
    ("training.session", "GET"): CLIENTS,
    ("training.session", "POST"): CLIENTS,
    ("training.session_comments", "GET"): CLIENTS,
    ("training.session_comments", "POST"): CLIENTS,
    ("training.move_session", "GET"): CLIENTS,  # in Ada's Session 1 Day 1 program
    ("training.move_session", "POST"): CLIENTS,
    ("training.workout", "GET"): CLIENTS,  # a session not logged yet (Heavy day): workout mode
    ("training.workout", "POST"): CLIENTS,
    ("training.workout_summary", "GET"): CLIENTS,  # a logged session (Squat day): its summary
    ("training.workout_summary", "POST"): CLIENTS,
    ("training.new_set", "GET"): CLIENTS,
    ("training.new_exercise", "GET"): CLIENTS,
    ("training.my_max", "GET"): CLIENTS,
    ("training.my_max", "POST"): CLIENTS,
    ("training.history", "GET"): USERS,
    ("training.log", "GET"): CLIENTS,
    ("training.records", "GET"): USERS,
    ("training.exercise_records", "GET"): USERS,  # a starter exercise: anyone may see their own
    ("training.new_record", "GET"): USERS,
    ("training.new_record", "POST"): USERS,
    ("training.delete_record", "POST"): CLIENTS,
    ("payments.webhook", "POST"): ANYONE,  # unsigned: 400 for everyone, nothing changes (tests/test_payments*.py)
    ("payments.finish_paying", "POST"): CLIENTS,  # Ada's own subscription
    ("payments.confirming", "GET"): CLIENTS,
    ("payments.left_checkout", "GET"): CLIENTS,
    ("payments.mark_payment", "POST"): COACHS,
    ("payments.all_payments_csv", "GET"): USERS,  # each their own payments (tests/test_payments_money.py)
    ("payments.program_payments_csv", "GET"): COACHS,
    # Join from the public page needs card payments, off in this world: no such page for anyone
    # (with Stripe on: tests/test_payments_public_join.py).
    ("invites.join_public", "GET"): dict.fromkeys(ROLES, DENIED),
    ("invites.join_public", "POST"): dict.fromkeys(ROLES, DENIED),
    # Ada's card subscription to "Card 1-2-1" (CARD_ROUTES: asked with the Stripe stand-in on).
    ("payments.cancel_subscription", "GET"): CLIENTS,
    ("payments.cancel_subscription", "POST"): CLIENTS,
    ("payments.keep_subscription", "POST"): CLIENTS,
    ("payments.update_card", "POST"): CLIENTS,  # her Stripe customer's portal
    ("payments.portal", "POST"): CLIENTS,  # only someone with a Stripe customer (Ada) gets past 404
    ("payments.cancel_payment", "GET"): COACHS,
    ("payments.cancel_payment", "POST"): COACHS,
    ("payments.move_to_price", "GET"): COACHS,  # its price went up after Ada paid
    ("payments.move_to_price", "POST"): COACHS,
}


# The routes about a subscription paid by card: asked in a world where card payments are on (the
# Stripe stand-in) and Ada paid Casey's "Card 1-2-1" by card, whose price then went up.
CARD_ROUTES = {route for route in ROUTES if route[0] in (
    "payments.cancel_subscription", "payments.keep_subscription", "payments.update_card", "payments.portal",
    "payments.cancel_payment", "payments.move_to_price")}  # fmt: skip


def app_routes(app):
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def test_every_route_says_who_may_use_it(app):
    routes = set(app_routes(app))
    assert sorted(routes - set(ROUTES)) == [], "routes missing from ROUTES: declare who may use them"
    assert sorted(set(ROUTES) - routes) == [], "ROUTES names routes the app no longer has"


# --- the world every case starts from ---------------------------------------------------------


def world(app, today):
    """Casey's programs and clients (the owner's ids fill every URL), Olive's (another coach)
    with her client Zed, and links with their tokens: an invite to Dee, the invite link, a
    password reset, a sign-up to confirm, Ada's calendar feed. Everything a form can show is
    somewhere in it (a session of two exercises, a session on the template...):
    tests/test_hostile_input.py fuzzes the fields the pages render."""
    casey = make_user(app, "Casey Coach", "casey@example.com")
    olive = make_user(app, "Olive Other", "olive@example.com")
    p = one_to_one(app, casey, today - timedelta(days=7))
    team = team_program(app, casey, today)
    others_program(app, olive, today)
    session = plan(app, p.ada, today, title="Squat day", exercises=(("Back Squat", 3, 5, 100), ("Bench Press", 3, 5, 80)))
    heavy = plan(app, p.ada, today, title="Heavy day")
    with app.app_context():
        db.session.get(Program, p.id).price_minor = 9900  # a paid program has a public page
        db.session.get(Subscription, p.ada).stripe_customer_id = "cus_matrix"  # she paid by card once
        db.session.commit()
        ada = db.session.scalar(select(User.id).where(User.email == "ada@example.com"))
    log_id, _ = log(app, ada, session, [("Back Squat", 5, 100)], today=today)
    record = add_manual(app, ada, "Back Squat", today, today=today, reps=1, load=100)
    paced = make_program(app, casey, status=PUBLISHED, name="Self-paced", type=SELF_PACED)
    paced_sub = add_subscription(app, paced, "ada@example.com", "active", client_id=ada, start_date=today)
    movable = plan(app, paced_sub, today + timedelta(days=1), title="Pull day")
    draft = make_program(app, casey, name="Draft without clients")  # one that Delete program may delete
    invite = make_invite(app, p.id, "dee@example.com")
    with app.test_request_context():
        program = db.session.get(Program, p.id)
        link = turn_on_link(program, db.session.get(User, casey))
        own = library_exercises.create_exercise(casey, "Casey Sled Push", "strength", "load_reps")
        workout = library_workouts.add_workout(casey, "Casey's Monday", "", [])
        _, reset = start_password_reset("casey@example.com", timedelta(hours=1))
        _, confirm = register("Nora New", "nora@example.com", "nora's own passphrase")
        feed = feeds.create_feed(db.session.get(Subscription, p.ada))
        notice = notices.tell(casey, "Ada logged Squat day", kind=LOGGED, program_id=p.id)
        squat = db.session.get(Exercise, exercise_id(app, "Back Squat"))
        db.session.execute(update(Prescription).where(Prescription.session_id == heavy).values(load_unit="%1rm"))
        template = calendar_rules.template_calendar(program)
        calendar_rules.add_session(template, template_day(1, 1), casey, "Week 1 squats")
        training_max = set_max(casey, ada, squat, "1rm", 140, "kg")
        message = conversations.post(conversations.direct_thread(casey, ada), db.session.get(User, casey), "Hi Ada")
        db.session.commit()
        return SimpleNamespace(
            program_id=p.id, ada_sub=p.ada, invited_sub=invite.subscription_id, team=team.id, session_id=session, log_id=log_id,
            record_id=record, squat=exercise_id(app, "Back Squat"), invite_id=invite.id, exercise_id=own.id,
            workout_id=workout.id, slug=program.public_slug, notice_id=notice.id, max_id=training_max.id,
            percent_session=heavy, movable_session=movable, message_id=message.id, coach_id=casey, client_id=ada,
            calendar_id=db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == p.ada)),
            draft_program=draft, day=today.isoformat(), card_program=None, card_sub=None,
            tokens={"invite": invite.token, "join": link_token(link), "reset": reset, "confirm": confirm, "feed": feed},
        )  # fmt: skip


def card_payment(app, ids, stripe_stub):
    """Ada joins Casey's "Card 1-2-1" (£49 a month) through its invite link and pays by card:
    Checkout on the Stripe stand-in, then Stripe's signed event. Its price then goes up to £59
    (she keeps hers until moved). Sets ids.card_program and ids.card_sub."""
    from test_payments import post_event

    program_id = make_program(app, ids.coach_id, status=PUBLISHED, name="Card 1-2-1", price_minor=4900,
                              currency="GBP", billing_period="monthly")  # fmt: skip
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, program_id), db.session.get(User, ids.coach_id)))
        db.session.commit()
    ada = app.test_client()
    assert ada.post("/login", data={"email": "ada@example.com", "password": PASSWORD}).status_code == 302
    assert ada.post(f"/join/{token}").status_code == 303
    [checkout_id] = stripe_stub.checkouts
    assert post_event(ada, stripe_stub.completed_event(checkout_id)).status_code == 200
    with app.app_context():
        db.session.get(Program, program_id).price_minor = 5900
        subscription = db.session.scalar(select(Subscription).where(Subscription.program_id == program_id))
        assert subscription.paid_by_card
        ids.card_program, ids.card_sub = program_id, subscription.id
        db.session.commit()


TOKENS = {"invites.accept": "invite", "invites.accept_logout": "invite", "invites.join": "join",
          "invites.join_logout": "join", "accounts.reset": "reset", "accounts.confirm": "confirm",
          "training.feed": "feed"}  # fmt: skip


# What a page needs in its query string, as the links to it give it.
QUERIES = {"calendars.new_session": lambda ids: {"date": ids.day}}


def url_for_rule(rule, ids):
    """The rule's URL with the owner's ids (a pending client's subscription where the route is
    about a pending invite; a starter exercise for the client's records; Ada's card subscription
    where the route is about paying by card, once card_payment made it), and the query string
    its links give it."""
    values = {}
    card = ids.card_sub is not None and rule.endpoint in {endpoint for endpoint, _ in CARD_ROUTES}
    for name in rule.arguments:
        if card and name in ("subscription_id", "program_id"):
            values[name] = ids.card_sub if name == "subscription_id" else ids.card_program
        elif name == "token":
            values[name] = ids.tokens[TOKENS[rule.endpoint]]
        elif name == "tab":
            values[name] = "active"
        elif name == "subscription_id":
            values[name] = ids.invited_sub if rule.endpoint == "invites.send_invite_route" else ids.ada_sub
        elif name == "exercise_id" and (rule.endpoint.startswith("training.") or rule.endpoint == "library.hide_exercise"):
            values[name] = ids.squat
        elif name == "session_id" and rule.endpoint == "training.move_session":
            values[name] = ids.movable_session
        elif name == "session_id" and rule.endpoint in ("training.my_max", "training.workout"):
            values[name] = ids.percent_session
        elif name == "program_id" and rule.endpoint == "calendars.shared_calendar":
            values[name] = ids.team
        elif name == "program_id" and rule.endpoint == "programs.delete":
            values[name] = ids.draft_program
        else:
            values[name] = getattr(ids, name)
    path = rule.build(values, append_unknown=False)[1]
    query = QUERIES.get(rule.endpoint)
    return f"{path}?{urlencode(query(ids))}" if query else path


def snapshot(app):
    """Every row of every table: what a refused request must leave as it was."""
    with app.app_context():
        return {table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
                for table in db.metadata.sorted_tables}  # fmt: skip


def outcome(response):
    """What a role got. Log in is the redirect that asks to come back (`next`), or htmx's 401;
    Log out's own redirect to Log in is the action done."""
    if response.status_code == 401 or (response.status_code == 302 and "/login?next=" in response.headers["Location"]):
        return LOGIN
    if response.status_code in (403, 404):
        return DENIED
    return OK


EMAILS = {"owner": "casey@example.com", "other_coach": "olive@example.com", "client": "ada@example.com",
          "stranger": "zed@example.com"}  # fmt: skip


@pytest.mark.parametrize("endpoint, method", sorted(set(ROUTES) - CARD_ROUTES))
def test_who_may_use_each_route(app, today, endpoint, method):
    ask_everyone(app, world(app, today), endpoint, method)


@pytest.mark.parametrize("endpoint, method", sorted(CARD_ROUTES))
def test_who_may_use_each_route_about_a_card_payment(app, stripe_stub, today, endpoint, method):
    ids = world(app, today)
    card_payment(app, ids, stripe_stub)
    ask_everyone(app, ids, endpoint, method)


def ask_everyone(app, ids, endpoint, method):
    """Every role asks for the route; each gets what ROUTES says, and a refusal writes nothing."""
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods][:1]
    path = url_for_rule(rule, ids)
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != "visitor":
            assert clients[role].post("/login", data={"email": EMAILS[role], "password": PASSWORD}).status_code == 302
    got = {}
    for role in ROLES:
        before = snapshot(app)
        response = clients[role].open(path, method=method)
        assert response.status_code < 500, (role, method, path, response.status_code)
        got[role] = outcome(response)
        if got[role] == OK and method == "GET":  # a page a role may open opens: no 400 or 405
            assert response.status_code < 400, (role, method, path, response.status_code)
        if got[role] != OK:
            assert snapshot(app) == before, f"{role} was refused {method} {path} but something changed"
    assert got == ROUTES[(endpoint, method)], (method, path)
