"""The one place tests build their data, through the app's own rules: accounts, programs,
subscriptions, sessions, logs, hand-entered records and invites, and the worlds tests start
from. And a reader of HTML that finds an element by tag, text and attributes, whatever the
order of its attributes.

Plain functions. Each takes the app and opens its own application context (so a test calls
them between requests) and returns ids, never rows. Every date is an argument: nothing here
reads the clock, so a test says which day it is about (its "today" comes from the `today`
fixture, `gym.today`, or a fixed date below).

    ada = make_user(app, "Ada Athlete", "ada@example.com")
    program = make_program(app, coach, status="published", name="Strength 1-2-1")
    subscription = add_subscription(app, program, "ada@example.com", status="active", client_id=ada,
                                    start_date=today, with_calendar=True)
    session_id = plan(app, subscription, today, exercises=[("Back Squat", 3, 5, 100)])
    log(app, ada, session_id, [("Back Squat", 5, 100)], today=today)
"""

import os
import re
import secrets
from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from fitr.accounts.models import User
from fitr.accounts.rules import create_account
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Prescription, Session
from fitr.extensions import db
from fitr.history import logs as history_logs
from fitr.history import records as history_records
from fitr.history import writing
from fitr.invites.inviting import invite_by_email
from fitr.library import exercises as library_exercises
from fitr.library.models import Exercise
from fitr.lifecycle import rules as subscription_rules
from fitr.programs import rules as program_rules
from fitr.programs.models import ARCHIVED, DRAFT, GROUP, PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE, ENDED, PENDING, Subscription
from fitr.training import visibility

PASSWORD = "correct horse battery"  # every test account's password
# Where the accounts made here are (their "today"); `make test-dates` sets it far from UTC.
TIME_ZONE = os.environ.get("FITR_TEST_TIME_ZONE") or "UTC"

# Fixed days, for tests about a calendar date (the calendar worlds start on NOV_3).
NOV_2 = date(2026, 11, 2)  # a Monday
NOV_3 = date(2026, 11, 3)  # a Tuesday
NOV_4 = date(2026, 11, 4)  # a Wednesday


# --- accounts, programs, subscriptions ---------------------------------------------------------


def make_user(app, name, email, password=PASSWORD, is_coach=True, time_zone=None):
    """An account through the accounts rules (a coach's, unless is_coach=False), in TIME_ZONE
    unless told; its id."""
    with app.app_context():
        user = create_account(name, email, password, is_coach=is_coach, time_zone=time_zone or TIME_ZONE)
        db.session.commit()
        return user.id


def update_user(app, user_id, **values):
    """Change an account's settings (time zone, email preferences, ...) directly."""
    with app.app_context():
        user = db.session.get(User, user_id)
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def bulk_users(app, count):
    """`count` client accounts written in one go (hashing a password for each would take
    seconds); they cannot log in. Their ids."""
    with app.app_context():
        users = [User(name=f"Bulk {i}", email=f"bulk{i}@example.com", password_hash="x", is_coach=False)
                 for i in range(count)]  # fmt: skip
        db.session.add_all(users)
        db.session.commit()
        return [user.id for user in users]


def make_program(app, coach_id, status=DRAFT, **settings):
    """A program of this coach through the programs rules, as a draft, published or archived
    program; settings as for create_program (the name is "Strength Block" unless given). Its id."""
    if status not in (DRAFT, PUBLISHED, ARCHIVED):
        raise ValueError(f"unknown program status {status!r}")
    settings.setdefault("name", "Strength Block")
    with app.app_context():
        program = program_rules.create_program(coach_id, **settings)
        if status in (PUBLISHED, ARCHIVED):
            program_rules.publish_program(program)
        if status == ARCHIVED:
            program_rules.archive_program(program)
        db.session.commit()
        return program.id


def add_subscription(app, program_id, email, status=PENDING, name="", client_id=None, start_date=None,
                     with_calendar=False):  # fmt: skip
    """One client in a program through the subscription rules; its id.

    pending: invited or added by the coach, not joined (start_date: the one the coach chose, if
    any). active: joined, training from start_date. ended: joined from start_date, then ended.
    A client who joined has an account: `client_id`, or else a new client account for `email`
    (named `name`, or the address when there is no name). with_calendar: their calendar exists
    already (their own in a 1-2-1 program, the shared one in a Group program)."""
    if status not in (PENDING, ACTIVE, ENDED):
        raise ValueError(f"unknown subscription status {status!r}")
    with app.app_context():
        subscription = subscription_rules.add_pending(program_id, email.lower(), name, start_date)
        if status in (ACTIVE, ENDED):
            if client_id is None:
                client = create_account(name or email, email, PASSWORD, is_coach=False)
            else:
                client = db.session.get(User, client_id)
            subscription_rules.activate(subscription, client, start_date)
        if status == ENDED:
            subscription_rules.end(subscription)
        if with_calendar:
            calendar_rules.calendar_for_subscription(db.session.get(Subscription, subscription.id))
        db.session.commit()
        return subscription.id


def pay_by_card(app, subscription_id):
    """The client paid £99 a month by card through Stripe (as its webhook leaves it): paid_by_card."""
    with app.app_context():
        db.session.execute(
            update(Subscription).where(Subscription.id == subscription_id)
            .values(payment="paid", stripe_subscription_id="sub_123", stripe_checkout_id="cs_1", price_minor=9900, currency="GBP")
        )  # fmt: skip
        db.session.commit()


def end_subscription(app, subscription_id):
    """End an active subscription through the rules, as End subscription does."""
    with app.app_context():
        subscription_rules.end(db.session.get(Subscription, subscription_id))
        db.session.commit()


def load_starter_exercises(app):
    """The shipped starter exercise library (a second call adds nothing)."""
    with app.app_context():
        library_exercises.load_starter_exercises()
        db.session.commit()


# --- calendars ---------------------------------------------------------------------------------


def exercise_id(app, name, coach_id=None):
    """The id of the exercise called `name` that this coach would get (theirs before a starter
    one); with no coach, the starter library's."""
    with app.app_context():
        return library_exercises.resolve_exercises(coach_id, [name])[name.lower()].id


def calendar_id(app, subscription_id):
    """The id of the calendar the subscriber trains from (made on first use)."""
    with app.app_context():
        calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, subscription_id))
        db.session.commit()
        return calendar.id


def plan(app, subscription_id, day, title="Lower body", exercises=(("Back Squat", 3, 5, 100),)):
    """A session on `day` of the subscriber's calendar (their own, or their Group program's),
    written by the program's coach through the calendar rules; its id. exercises: (name, sets,
    reps, load in kg), reps and load None when the exercise has none."""
    with app.app_context():
        subscription = db.session.get(Subscription, subscription_id)
        calendar = calendar_rules.calendar_for_subscription(subscription)
        coach_id = db.session.get(Program, subscription.program_id).coach_id
        found = library_exercises.resolve_exercises(coach_id, [name for name, *_ in exercises])
        prescriptions = [
            {"exercise_id": found[name.lower()].id, "sets": sets, "reps_min": reps, "reps_max": reps,
             "load_value": load, "load_unit": "kg" if load is not None else None}
            for name, sets, reps, load in exercises
        ]  # fmt: skip
        session = calendar_rules.add_session(calendar, day, coach_id, title, "", prescriptions)
        db.session.commit()
        return session.id


def plan_percent(app, subscription_id, day, prescriptions=(("Back Squat", 3, 5, 75, "%1rm"),), title="Heavy day"):
    """A session of (exercise, sets, reps, load value, load unit) rows on the subscriber's
    calendar, written by their coach (a load unit "%1rm" or "%tm": a percentage of the client's max); its id."""
    with app.app_context():
        subscription = db.session.get(Subscription, subscription_id)
        program = db.session.get(Program, subscription.program_id)
        calendar = calendar_rules.calendar_for_subscription(subscription)
        found = library_exercises.resolve_exercises(program.coach_id, [name for name, *_ in prescriptions])
        values = [{"exercise_id": found[name.lower()].id, "sets": sets, "reps_min": reps, "reps_max": reps,
                   "load_value": value, "load_unit": unit} for name, sets, reps, value, unit in prescriptions]  # fmt: skip
        session = calendar_rules.add_session(calendar, day, program.coach_id, title, "", values)
        db.session.commit()
        return session.id


def calendar_rows(app, calendar_id):
    """What a calendar holds, as comparable tuples: (date, title, [(exercise, sets, reps, load)])."""
    with app.app_context():
        sessions = db.session.scalars(
            select(Session)
            .where(Session.calendar_id == calendar_id)
            .order_by(Session.date, Session.position)
            .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
        ).all()
        return [
            (s.date, s.title, [(p.exercise.name, p.sets, p.reps_text, p.load_value) for p in s.prescriptions])
            for s in sessions
        ]


# --- the client's training -----------------------------------------------------------------------


def log(app, user_id, session_id, sets=(("Back Squat", 5, 100),), *, today, status="done", unit="kg", day=None,
        key=None, rpe=None, notes="", based_on=None):  # fmt: skip
    """The client logs a session through the rules, on `today` (their today: what they may see
    and how late they may date it); returns (log id, new records as (exercise, kind, reps,
    value)). sets: (exercise name, reps, load in `unit`) or dicts of set fields with "exercise".
    day: the date trained (the session's, or today when it is later). based_on: the key of
    the log the form was opened on (by default the current log's)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        found = visibility.find_own_session(user, session_id, today)
        assert found is not None, "the client cannot see this session"
        session, subscription = found
        coach_id = db.session.get(Program, subscription.program_id).coach_id
        sets = [item if isinstance(item, dict) else dict(zip(("exercise", "reps", "load"), item, strict=True)) for item in sets]
        exercises = library_exercises.resolve_exercises(coach_id, [item["exercise"] for item in sets])
        rows, counters = [], {}
        for item in sets:
            fields = {k: v for k, v in item.items() if k != "exercise"}
            name = item["exercise"]
            position = next((i for i, p in enumerate(session.prescriptions) if p.exercise.name == name), 50)
            counters[position] = counters.get(position, 0) + 1
            rows.append({"exercise_id": exercises[name.lower()].id, "position": position,
                         "set_number": counters[position], **fields})  # fmt: skip
        if based_on is None:
            current = history_logs.log_of(user.id, session_id)
            based_on = current.submission_key if current else ""
        data = {"status": status, "date": day, "rpe": rpe, "notes": notes, "unit": unit, "sets": rows,
                "based_on": based_on}  # fmt: skip
        logged = writing.log_session(user, session, data, key or secrets.token_urlsafe(16),
                                    subscription=subscription, today=today)  # fmt: skip
        records = [(e.name, r.kind, r.reps, round(r.value, 2))
                   for e, r in history_records.new_records_in(logged.log, logged.records_before)]  # fmt: skip
        db.session.commit()
        return logged.log.id, records


def add_manual(app, user_id, name, day, *, today, unit="kg", **values):
    """A record the client enters by hand (of the starter exercise `name`, dated `day`, entered
    on `today`): reps, load, duration_seconds, distance_m, note. Its id."""
    exercise = exercise_id(app, name)
    with app.app_context():
        user = db.session.get(User, user_id)
        record = history_records.add_manual_record(user, db.session.get(Exercise, exercise),
                                                   {"date": day, "unit": unit, **values}, today=today)  # fmt: skip
        db.session.commit()
        return record.id


def form_key(html, name="submission_key"):
    """The value of a form's hidden input: the submission key a log form carries (or, with
    name="based_on", the key of the log it shows; name="unit", the unit of its loads)."""
    forms = elements(html, "form", **{"class": "log-form"})  # the log form, where there are others
    return element(forms[0].html if forms else html, "input", name=name, type="hidden")["value"]


def post_log(client, session_id, rows, status="done", day=None, rpe="", notes="", key=None):
    """Open the session page and send its log form as a phone would: its hidden fields and the
    date it shows (unless `day` is given). rows: {index: {field: value}} where index = position
    × 100 + set number and fields are exercise_id, reps, load, time, distance. Returns the
    response and the data sent."""
    page = client.get(f"/my/sessions/{session_id}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    data = {"submission_key": key or form_key(html), "based_on": form_key(html, "based_on"),
            "unit": form_key(html, "unit"), "status": status,
            "date": day.isoformat() if day else element(html, "input", name="date")["value"],
            "rpe": rpe, "notes": notes}  # fmt: skip
    for index, fields in rows.items():
        for name, value in fields.items():
            data[f"sets-{index}-{name}"] = str(value)
    return client.post(f"/my/sessions/{session_id}", data=data), data


# --- invites -----------------------------------------------------------------------------------


def make_invite(app, program_id, email, message="", start_date=None):
    """An invite through invite_by_email, marked as emailed (no email goes out: tests of email
    use the smtp fixture). Returns its id, subscription id, email and link token."""
    with app.test_request_context():
        program = db.session.get(Program, program_id)
        coach = db.session.get(User, program.coach_id)
        [issued] = invite_by_email(program, coach, [email], message, start_date).issued
        invite = issued.invite
        invite.delivery_status, invite.send_count = "sent", 1
        invite.sent_at = invite.last_sent_at = invite.send_window_start  # when this send was claimed
        db.session.commit()
        return SimpleNamespace(id=invite.id, subscription_id=invite.subscription_id, email=invite.email, token=issued.token)


ACCEPT_LINK = re.compile(r"https?://\S+/invite/[A-Za-z0-9_\-]+")


def accept_link(text):
    """The accept link in an invite email's text."""
    match = ACCEPT_LINK.search(text)
    assert match, f"no accept link in:\n{text}"
    return match.group(0)


CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/confirm/[A-Za-z0-9_\-]+)")


def confirm_path(smtp, email):
    """The path of the newest link that proves `email`, from the loopback SMTP server's inbox."""
    for message in reversed(smtp.wait_for(1)):
        if message["To"] == email and (match := CONFIRM_LINK.search(smtp.text(message))):
            return match.group(1)
    raise AssertionError(f"no confirmation link for {email} in {[m['Subject'] for m in smtp.messages]}")


def sign_up_and_join(client, smtp, path, name, email, password=PASSWORD, **join):
    """A new visitor on an invite link (`path`): signs up, proves the address with the emailed
    link (which logs them in and brings them back), then presses Join program (`join`: the
    form, e.g. agree="y"). The response to Join program."""
    asked = client.post(path, data={"name": name, "email": email, "password": password})
    assert asked.status_code == 200 and "We sent a link to" in asked.get_data(as_text=True), asked.status_code
    confirmed = client.post(confirm_path(smtp, email.strip().lower()))
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == path, confirmed.headers.get("Location")
    return client.post(path, data=join)


# --- worlds ------------------------------------------------------------------------------------


def one_to_one(app, coach_id, start):
    """The coach's published 1-2-1 program "Strength 1-2-1": Ada, Ben and Cleo Athlete (accounts
    of their own) active from `start`, and Dan Pending, added by the coach and not joined; with
    the starter exercise library. Ids: id (the program), coach_id, and ada, ben, cleo, dan (their
    subscriptions)."""
    load_starter_exercises(app)
    program = make_program(app, coach_id, status=PUBLISHED, name="Strength 1-2-1")
    world = SimpleNamespace(id=program, coach_id=coach_id, start=start)
    for name in ("Ada", "Ben", "Cleo"):
        email = f"{name.lower()}@example.com"
        user = make_user(app, f"{name} Athlete", email)
        setattr(world, name.lower(), add_subscription(app, program, email, ACTIVE, client_id=user, start_date=start))
    world.dan = add_subscription(app, program, "dan@example.com", name="Dan Pending")
    return world


def team_program(app, coach_id, start):
    """The coach's published Group program "Team Strength": Gail and Gus Group follow its one
    shared calendar from `start`. Ids: id, first (Gail's subscription), second (Gus's)."""
    load_starter_exercises(app)
    program = make_program(app, coach_id, status=PUBLISHED, name="Team Strength", type=GROUP)
    subscriptions = [
        add_subscription(app, program, email, ACTIVE, client_id=make_user(app, name, email), start_date=start)
        for name, email in (("Gail Group", "gail@example.com"), ("Gus Group", "gus@example.com"))
    ]
    return SimpleNamespace(id=program, first=subscriptions[0], second=subscriptions[1])


def others_program(app, coach_id, day):
    """Another coach's published 1-2-1 program "Olive's 1-2-1": their client Zed Other, active
    from `day`, has "Olive's session" on that day; and the coach's own exercise "Olive's Secret
    Press". Ids: id, sub, calendar, session, exercise."""
    load_starter_exercises(app)
    program = make_program(app, coach_id, status=PUBLISHED, name="Olive's 1-2-1")
    zed = make_user(app, "Zed Other", "zed@example.com")
    sub = add_subscription(app, program, "zed@example.com", ACTIVE, client_id=zed, start_date=day)
    session = plan(app, sub, day, title="Olive's session", exercises=())
    with app.app_context():
        exercise = library_exercises.create_exercise(coach_id, "Olive's Secret Press", "strength", "load_reps")
        db.session.commit()
        exercise = exercise.id
    return SimpleNamespace(id=program, sub=sub, calendar=calendar_id(app, sub), session=session, exercise=exercise)


def gym(app, coach_id, other_coach_id, today):
    """The client's side, four weeks in on `today`: the coach's published 1-2-1 program
    "Strength 1-2-1" with Ada and Ben Athlete (each with their own calendar) and the published
    "Hypertrophy", a draft "Draft Block" and the Group program "Team Barbell" (Ada follows
    it); the other coach's "Olive's 1-2-1" with their client Zed Other; the starter exercise
    library. Every subscription is active from start = today - 28 days."""
    start = today - timedelta(days=28)
    load_starter_exercises(app)
    ada = make_user(app, "Ada Athlete", "ada@example.com")
    ben = make_user(app, "Ben Athlete", "ben@example.com")
    zed = make_user(app, "Zed Other", "zed@example.com")
    strength = make_program(app, coach_id, status=PUBLISHED, name="Strength 1-2-1")
    hypertrophy = make_program(app, coach_id, status=PUBLISHED, name="Hypertrophy")
    draft = make_program(app, coach_id, name="Draft Block")
    team = make_program(app, coach_id, status=PUBLISHED, name="Team Barbell", type=GROUP)
    olive = make_program(app, other_coach_id, status=PUBLISHED, name="Olive's 1-2-1")

    def join(program, user, email):
        return add_subscription(app, program, email, ACTIVE, client_id=user, start_date=start, with_calendar=True)

    return SimpleNamespace(
        today=today, start=start, coach=coach_id, other_coach=other_coach_id, ada=ada, ben=ben, zed=zed,
        strength=strength, hypertrophy=hypertrophy, draft=draft, team=team, olive=olive,
        ada_sub=join(strength, ada, "ada@example.com"), ben_sub=join(strength, ben, "ben@example.com"),
        ada_team=join(team, ada, "ada@example.com"), zed_sub=join(olive, zed, "zed@example.com"),
    )  # fmt: skip


# --- forms, as a browser sends them ----------------------------------------------------------------


def program_form(**overrides):
    """A valid Create program / Edit submission; override any field, or set it to None to leave it out."""
    data = {
        "name": "Strength Block",
        "description": "Four weeks.\nThree sessions a week.",
        "type": "1-2-1",
        "price": "49.99",
        "currency": "GBP",
        "billing_period": "monthly",
        "week_start": "0",
        "start_rule": "accept_day",
        "welcome_message": "Welcome aboard!",
        "waiver": "",
        "see_ahead_days": "14",
        "needs_training_days": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Rows of the session editor, as typed.
SQUAT = {"exercise": "Back Squat", "sets": "5", "reps": "5", "load": "100", "load_unit": "kg"}
BENCH = {"exercise": "Bench Press", "sets": "3", "reps": "8-12", "load": "75", "load_unit": "%1rm", "rpe": "8",
         "tempo": "3-1-x-0", "rest": "2:00"}  # fmt: skip


def session_form(title="Lower body", rows=(), day=NOV_3, **extra):
    """The session editor's form: title, date, and its rows of prescriptions ({field: value})."""
    data = {"title": title, "notes": "", "date": day.isoformat(), "action": "save", **extra}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"prescriptions-{i}-{key}"] = value
    return data


# --- looking at the database and at pages ------------------------------------------------------


def count(app, model, *where, **equal):
    """How many rows of `model` match: SQL conditions, and/or column=value."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where).filter_by(**equal))


def rows(app, model, *where, **equal):
    """The rows of `model` that match, oldest first."""
    with app.app_context():
        return db.session.scalars(select(model).where(*where).filter_by(**equal).order_by(model.id)).all()


def one(app, model, *where, **equal):
    """The one row of `model` that matches (an error when there are none or several)."""
    [row] = rows(app, model, *where, **equal)
    return row


def main(response):
    """The page's <main>, so assertions are not fooled by the header."""
    text = response.get_data(as_text=True)
    return text[text.index("<main"):] if "<main" in text else text


# --- reading pages -------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element(dict):
    """An element's attributes, as a dict (a boolean attribute's value is ""), with its tag, its
    text (entities decoded, white space collapsed) and its own markup, `html`, to look inside."""

    tag = text = html = ""


class _Reader(HTMLParser):
    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.elements, self.open = [], []  # open: (element, start offset, text parts)

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        found = Element((name, "" if value is None else value) for name, value in attrs)
        found.tag = tag
        self.elements.append(found)
        if tag in VOID:
            found.html = self.get_starttag_text()
        else:
            self.open.append((found, self.position(), []))

    def handle_data(self, data):
        for _, _, parts in self.open:
            parts.append(data)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0].tag == tag:
                self.finish(i, self.source.index(">", self.position()) + 1)
                return

    def finish(self, i, end):
        """Close the open element i and those still open inside it, ending at offset `end`."""
        for found, start, parts in self.open[i:]:
            found.text = " ".join("".join(parts).split())
            found.html = self.source[start:end]
        del self.open[i:]

    def read(self):
        self.feed(self.source)
        self.close()
        if self.open:
            self.finish(0, len(self.source))
        return self.elements


def _matches(value, wanted):
    if wanted is True:
        return value is not None
    if isinstance(wanted, re.Pattern):
        return value is not None and wanted.fullmatch(value) is not None
    return value == wanted


def elements(html, tag, text=None, **attrs):
    """The <tag> elements of `html`, in order, whose attributes include `attrs` and whose text
    is `text` (when given). Attribute names are written with _ for - (aria_label, hx_get), and
    class_ for class; a value may be True (the attribute is there) or a compiled pattern (that
    the whole value matches); `text` may be a pattern too. Attribute order never matters."""
    attrs = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
    return [
        found
        for found in _Reader(html).read()
        if found.tag == tag
        and (text is None or _matches(found.text, text))
        and all(_matches(found.get(name), value) for name, value in attrs.items())
    ]


def button_links(html):
    """(visible text, href) of each link styled as a button (class "button", "button ..."), in
    order; the words only a screen reader hears (class visually-hidden) are left out."""
    found = []
    for link in elements(html, "a", class_=re.compile(r"button( .*)?")):
        hidden = " ".join(span.text for span in elements(link.html, "span", class_="visually-hidden"))
        found.append((" ".join(link.text.replace(hidden, " ").split()) if hidden else link.text, link["href"]))
    return found


def card_lines(html):
    """The lines of the session cards in `html`, as a coach or client reads them: one per
    exercise ("A · Back Squat · 5×5 @ 100 kg") and the fold ("+2 more")."""
    return [
        " ".join(found.text.split())
        for found in _Reader(html).read()
        if found.tag == "span" and found.get("class") in ("card-line", "card-more")
    ]


def element(html, tag, text=None, **attrs):
    """The one element that `elements` finds (the test fails when there is none, or several)."""
    found = elements(html, tag, text, **attrs)
    assert len(found) == 1, f"{len(found)} <{tag}> elements with text {text!r} and {attrs}"
    return found[0]
