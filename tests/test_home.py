"""The coach sees who needs training: fewer than the program's N days of training scheduled ahead
(in the client's own today) marks an active client Needs training on Home, on Clients (with a
filter) and on the program's Active clients; Home also lists yesterday's missed sessions, this
week's new Personal Records and invites about to expire."""

import re
from datetime import UTC, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from factories import (
    PASSWORD,
    TIME_ZONE,
    add_subscription,
    element,
    elements,
    log,
    main,
    make_invite,
    make_program,
    make_user,
    plan,
    program_form,
)
from sqlalchemy import update

from fitr.accounts.models import User
from fitr.calendars.models import Session
from fitr.clock import today_for, utcnow
from fitr.conversations import rules as conversations
from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.notices import rules as notices
from fitr.notices.models import RECORD
from fitr.programs.models import PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE


def as_coach(app, email="casey@example.com"):
    coach = app.test_client()
    coach.post("/login", data={"email": email, "password": PASSWORD})
    return coach


def section(html, name):
    return element(html, "section", **{"data-section": name}).html


def items(html):
    return [" ".join(li.text.split()) for li in elements(html, "li")]


def needing(app, coach="casey@example.com"):
    """The names Home lists under Needs training, with their program."""
    return items(section(main(as_coach(app, coach).get("/home")), "needs-training"))


def days(start, *offsets):
    return [start + timedelta(days=n) for n in offsets]


@pytest.mark.dates
def test_a_client_with_fewer_than_3_days_scheduled_ahead_needs_training(app, gym):
    for day in days(gym.today, 0, 1, 2):  # Ada: today and the next two days
        plan(app, gym.ada_sub, day)
    plan(app, gym.ada_sub, gym.today, title="Second session, same day")
    for day in days(gym.today, -3, -1, 1, 5):  # Ben: two days from today on; the past does not count
        plan(app, gym.ben_sub, day)
    listed = needing(app)
    assert "Ben Athlete · Strength 1-2-1 · 2 days scheduled ahead" in listed
    assert not any(item.startswith("Ada Athlete · Strength") for item in listed)
    # Ada follows the Group program's shared calendar, which has nothing ahead.
    assert "Ada Athlete · Team Barbell · 0 days scheduled ahead" in listed
    assert not any("Zed" in item for item in listed)  # the other coach's client


def test_each_program_sets_its_own_threshold_and_0_turns_it_off(app, gym):
    plan(app, gym.ben_sub, gym.today)
    coach = as_coach(app)
    form = program_form(name="Strength 1-2-1", needs_training_days="1")
    assert coach.post(f"/programs/{gym.strength}/edit", data=form).status_code == 302
    assert not any(item.startswith("Ben Athlete") for item in needing(app))  # one day is enough now
    assert any(item.startswith("Ada Athlete · Strength") for item in needing(app))
    form = program_form(name="Strength 1-2-1", needs_training_days="0")
    assert coach.post(f"/programs/{gym.strength}/edit", data=form).status_code == 302
    assert not any("Strength 1-2-1" in item for item in needing(app))
    assert "Needs training</dt><dd>Off" in main(coach.get(f"/programs/{gym.strength}"))


def test_days_count_however_far_ahead_they_are_and_each_program_keeps_its_threshold(app, gym):
    coach = as_coach(app)
    form = program_form(name="Strength 1-2-1", needs_training_days="5")
    assert coach.post(f"/programs/{gym.strength}/edit", data=form).status_code == 302
    for day in days(gym.today, 0, 7, 14, 21, 28):  # Ben: five days, a week apart
        plan(app, gym.ben_sub, day)
    plan(app, gym.ben_sub, gym.today + timedelta(days=7), title="Second session, same day")
    for day in days(gym.today, 0, 7, 14, 21, 21):  # Ada: four days, one of them twice
        plan(app, gym.ada_sub, day)
    listed = needing(app)
    assert not any(item.startswith("Ben Athlete") for item in listed)
    assert "Ada Athlete · Strength 1-2-1 · 4 days scheduled ahead" in listed
    assert "Ada Athlete · Team Barbell · 0 days scheduled ahead" in listed  # still 3 days wanted there
    plan(app, gym.ada_sub, gym.today + timedelta(days=60))
    assert not any(item.startswith("Ada Athlete · Strength") for item in needing(app))


@pytest.mark.parametrize("value", ["-1", "29", "three", "", "2.5"])
def test_a_threshold_that_is_not_0_to_28_days_is_refused(app, gym, value):
    coach = as_coach(app)
    response = coach.post(f"/programs/{gym.strength}/edit", data=program_form(name="Renamed", needs_training_days=value))
    assert response.status_code == 400
    assert "Use a number of days from 0 (off) to 28." in response.get_data(as_text=True)
    with app.app_context():
        program = db.session.get(Program, gym.strength)
        assert (program.name, program.needs_training_days) == ("Strength 1-2-1", 3)


@pytest.mark.dates
@pytest.mark.parametrize("time_zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_days_ahead_count_from_the_clients_own_today(app, coach, today, starter_exercises, time_zone):
    # Far east or far west of UTC, the client's today is not the server's.
    program = make_program(app, coach, status=PUBLISHED, name="Far away")
    client = make_user(app, "Tao Far", "tao@example.com", is_coach=False, time_zone=time_zone)
    local = today_for(SimpleNamespace(time_zone=time_zone))
    sub = add_subscription(app, program, "tao@example.com", ACTIVE, client_id=client, start_date=local - timedelta(days=7),
                           with_calendar=True)  # fmt: skip
    for day in days(local, -1, 1, 2):  # yesterday, where Tao is, does not count
        plan(app, sub, day)
    assert needing(app) == ["Tao Far · Far away · 2 days scheduled ahead"]
    plan(app, sub, local)
    assert needing(app) == []


def test_sessions_before_a_client_starts_do_not_count(app, coach, today, starter_exercises):
    program = make_program(app, coach, status=PUBLISHED, name="Starts later")
    client = make_user(app, "Una Later", "una@example.com", is_coach=False)
    sub = add_subscription(app, program, "una@example.com", ACTIVE, client_id=client, start_date=today + timedelta(days=2),
                           with_calendar=True)  # fmt: skip
    for day in days(today, 0, 1, 2):
        plan(app, sub, day)
    assert needing(app) == ["Una Later · Starts later · 1 day scheduled ahead"]


def test_clients_marks_and_filters_who_needs_training(app, gym):
    for day in days(gym.today, 0, 1, 2):
        plan(app, gym.ada_sub, day)
    coach = as_coach(app)
    page = main(coach.get("/clients/"))
    badges = [b.text for b in elements(page, "a", **{"class": re.compile(r".*\bneeds-training")})]
    assert badges == [
        "Needs training for Ada Athlete: 0 days scheduled ahead",  # Team Barbell
        "Needs training for Ben Athlete: 0 days scheduled ahead",
    ]
    link = element(page, "a", "Needs training (2)")
    filtered = main(coach.get(link["href"]))
    listed = [" ".join(li.text.split()) for li in elements(filtered, "li", **{"class": "client-program"})]
    assert [item.split(" Needs training")[0] for item in listed] == ["Team Barbell", "Strength 1-2-1"]  # Ada, Ben
    assert "Ben Athlete" in filtered and "Ada Athlete" in filtered
    assert element(filtered, "a", "Needs training (2)")["aria-current"] == "true"
    for day in days(gym.today, 0, 1, 2):
        plan(app, gym.ben_sub, day)
        plan(app, gym.ada_team, day)
    done = main(coach.get("/clients/?needs=1"))
    assert "Every active client has enough training scheduled ahead." in done


def test_the_program_pages_active_clients_mark_who_needs_training(app, gym):
    for day in days(gym.today, 0, 1, 2):
        plan(app, gym.ada_sub, day)
    page = main(as_coach(app).get(f"/programs/{gym.strength}/clients/active"))
    [badge] = elements(page, "a", **{"class": re.compile(r".*\bneeds-training")})
    assert badge.text == "Needs training for Ben Athlete: 0 days scheduled ahead"
    assert badge["href"] == f"/programs/{gym.strength}/clients/{gym.ben_sub}/calendar"


@pytest.mark.dates
def test_home_lists_yesterdays_missed_sessions_linked_to_that_day(app, gym):
    yesterday = gym.today - timedelta(days=1)
    missed = plan(app, gym.ada_sub, yesterday, title="Squat day")
    logged = plan(app, gym.ben_sub, yesterday, title="Bench day")
    skipped = plan(app, gym.ben_sub, yesterday, title="Pull day")
    plan(app, gym.ada_sub, gym.today - timedelta(days=2), title="Older")
    log(app, gym.ben, logged, today=gym.today, day=yesterday)
    log(app, gym.ben, skipped, (), today=gym.today, status="skipped", day=yesterday)
    home = section(main(as_coach(app).get("/home")), "missed")
    assert items(home) == ["Ada Athlete: Squat day · Strength 1-2-1"]
    link = element(home, "a", "Ada Athlete: Squat day")
    assert link["href"] == f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={yesterday.isoformat()}"
    log(app, gym.ada, missed, today=gym.today, day=yesterday)  # logged late: no longer missed
    assert items(section(main(as_coach(app).get("/home")), "missed")) == []


def test_home_lists_this_weeks_new_personal_records(app, gym):
    with app.app_context():
        notices.tell(gym.coach, "Ada Athlete logged Squat day: New Personal Records: Back Squat 5 × 120 kg",
                     link="/somewhere", kind=RECORD, program_id=gym.strength)  # fmt: skip
        old = notices.tell(gym.coach, "Ben Athlete logged Bench day: New Personal Records: Bench Press",
                           kind=RECORD, program_id=gym.strength)  # fmt: skip
        old.created_at = utcnow() - timedelta(days=8)
        db.session.commit()
    home = section(main(as_coach(app).get("/home")), "records")
    assert items(home) == ["Ada Athlete logged Squat day: New Personal Records: Back Squat 5 × 120 kg"]


def test_home_lists_invites_about_to_expire_with_resend(app, gym):
    soon = make_invite(app, gym.strength, "eve@example.com")
    make_invite(app, gym.strength, "fay@example.com")  # expires later
    with app.app_context():
        db.session.execute(update(Invite).where(Invite.id == soon.id).values(expires_at=utcnow() + timedelta(hours=20)))
        db.session.commit()
    home = section(main(as_coach(app).get("/home")), "expiring")
    assert "eve@example.com" in home and "fay@example.com" not in home
    assert element(home, "button", "Resend to eve@example.com") is not None


def test_a_client_going_to_home_lands_on_today(app, coach):
    make_user(app, "Cal Client", "cal@example.com", is_coach=False)
    response = as_coach(app, "cal@example.com").get("/home")
    assert response.status_code == 302 and response.headers["Location"] == "/my"


def busy_program(app, coach, today):
    """A program, and a function adding clients to it: each missed yesterday's session, needs
    training (one day ahead), has a pending invite about to expire, wrote a message and a comment,
    and set a new Personal Record this week."""
    program = make_program(app, coach, status=PUBLISHED, name="Busy")
    yesterday = today - timedelta(days=1)

    def add_clients(first, n):
        for i in range(first, first + n):
            email = f"client{i}@example.com"
            client = make_user(app, f"Client {i:03}", email, is_coach=False)
            sub = add_subscription(app, program, email, ACTIVE, client_id=client, start_date=today - timedelta(days=7),
                                   with_calendar=True)  # fmt: skip
            plan(app, sub, yesterday, title="Missed day")
            ahead = plan(app, sub, today + timedelta(days=1))
            make_invite(app, program, f"invitee{i}@example.com")
            talk(app, coach, client, program, ahead)
        with app.app_context():
            db.session.execute(update(Invite).values(expires_at=utcnow() + timedelta(hours=20)))
            for i in range(first, first + n):
                notices.tell(coach, f"Client {i} logged: New Personal Records", kind=RECORD, program_id=program)
            db.session.commit()

    return add_clients


def test_home_runs_the_same_queries_for_few_or_many_clients(app, coach, today, starter_exercises, count_queries):
    add_clients = busy_program(app, coach, today)
    coach_client = as_coach(app)
    add_clients(0, 5)
    with count_queries() as few:
        page = main(coach_client.get("/home"))
    assert len(items(section(page, "needs-training"))) == 5 and len(items(section(page, "missed"))) == 5
    assert len(items(section(page, "unread"))) == 10
    add_clients(5, 55)
    with count_queries() as many:
        page = main(coach_client.get("/home"))
    # 60 clients: each list shows its first 50 and says there are more
    assert len(items(section(page, "needs-training"))) == 50 and "10 more on Clients" in section(page, "needs-training")
    assert element(section(page, "missed"), "h2").text == "Missed yesterday (50+)"
    assert len(items(section(page, "missed"))) == 50 and "The first 50, by name." in section(page, "missed")
    assert len(items(section(page, "unread"))) == 100
    assert len(items(section(page, "records"))) == 50 and len(items(section(page, "expiring"))) == 50
    assert many.count == few.count


def unbounded(statements):
    """The SELECTs among `statements` that may read any number of rows: not one row by its key,
    not an aggregate, and without a LIMIT."""
    found = []
    for statement in statements:
        sql = " ".join(statement.replace('"', "").split())  # PostgreSQL quotes "user"
        if not sql.startswith("SELECT") or " LIMIT " in sql or sql.startswith("SELECT count("):
            continue
        if "FROM user JOIN login ON login.user_id = user.id WHERE user.id = " in sql:
            continue  # the logged-in coach, by their id
        found.append(sql[:200])
    return found


def test_home_reads_a_page_of_rows_from_each_query_however_many_clients(app, coach, today, starter_exercises, count_queries):
    """Home's cost does not grow with the clients: each query has a LIMIT (or counts), so the
    database hands over at most a page of rows (sorting and cutting the lists in SQL)."""
    busy_program(app, coach, today)(0, 3)
    coach_client = as_coach(app)
    with count_queries() as home:
        assert coach_client.get("/home").status_code == 200
    assert unbounded(home.statements) == []


@pytest.mark.dates
def test_missed_yesterday_is_each_clients_own_yesterday_first_50_by_name(app, coach, today, starter_exercises):
    # Far east of UTC, at UTC and far west: three different todays at most hours of the day
    program = make_program(app, coach, status=PUBLISHED, name="Around the world")
    zones = ["Pacific/Kiritimati", "UTC", "Pacific/Pago_Pago"]
    expected = []
    def world_client(i):
        """Client i, in one of the three zones, subscribed a week before their own today."""
        zone = zones[i % 3]
        email = f"world{i}@example.com"
        client = make_user(app, f"World {i:02}", email, is_coach=False, time_zone=zone)
        local = today_for(SimpleNamespace(time_zone=zone))
        sub = add_subscription(app, program, email, ACTIVE, client_id=client, start_date=local - timedelta(days=7),
                               with_calendar=True)  # fmt: skip
        return client, sub, local

    def misses(i, sub, local):
        plan(app, sub, local - timedelta(days=1), title=f"Missed by {i:02}")
        expected.append(f"World {i:02}: Missed by {i:02} · Around the world")

    for i in range(54):
        client, sub, local = world_client(i)
        plan(app, sub, local - timedelta(days=2), title="Two days ago")  # not yesterday
        plan(app, sub, local, title="Today")  # not missed yet
        done = plan(app, sub, local - timedelta(days=1), title="Logged")  # logged: not missed
        log(app, client, done, today=local)
        if i % 2:
            misses(i, sub, local)
    home = section(main(as_coach(app).get("/home")), "missed")
    assert items(home) == expected[:27] and "+" not in element(home, "h2").text  # 27 missed: all shown
    for i in range(54, 78):  # 24 more, each missing one session on their own yesterday
        _, sub, local = world_client(i)
        misses(i, sub, local)
    home = section(main(as_coach(app).get("/home")), "missed")
    assert items(home) == expected[:50]  # the first 50 by name
    assert element(home, "h2").text == "Missed yesterday (50+)"


def talk(app, coach_id, client_id, program_id, session_id):
    """The client writes to the coach, and comments on a session."""
    with app.app_context():
        client = db.session.get(User, client_id)
        conversations.post(conversations.direct_thread(coach_id, client_id), client, "A question")
        session = db.session.get(Session, session_id)
        thread = conversations.session_thread(session, db.session.get(Program, program_id), client_id)
        conversations.post(thread, client, "A comment")
        db.session.commit()


def test_home_lists_unread_messages_and_comments_each_a_click_from_its_thread(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    assert as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "Knee felt odd"}).status_code == 302
    assert as_ada.post(f"/messages/{gym.coach}/{gym.ada}", data={"body": "Can we move Friday?"}).status_code == 302
    assert as_ada.post(f"/messages/{gym.coach}/{gym.ada}", data={"body": "Or Saturday"}).status_code == 302
    coach = as_coach(app)
    unread = section(main(coach.get("/home")), "unread")
    assert element(unread, "h2").text == "Unread messages and comments (2)"
    message = element(unread, "a", "Ada Athlete: 2 new messages")
    assert message["href"] == f"/messages/{gym.coach}/{gym.ada}#reply"  # the reply box, ready
    comment = element(unread, "a", "Ada Athlete: 1 new comment on Squat day")
    assert comment["href"] == f"/programs/{gym.strength}/sessions/{session_id}/edit?client={gym.ada}#reply"
    coach.get(message["href"])  # read
    unread = section(main(coach.get("/home")), "unread")
    assert items(unread) == [f"Ada Athlete: 1 new comment on Squat day · {gym.today:%a} {gym.today.day} {gym.today:%b %Y}"]


def test_clients_runs_the_same_queries_with_the_needs_training_marks(app, coach, today, count_queries):
    program = make_program(app, coach, status=PUBLISHED, name="Busy")

    def add_clients(first, n):
        for i in range(first, first + n):
            email = f"client{i}@example.com"
            client = make_user(app, f"Client {i:03}", email, is_coach=False)
            add_subscription(app, program, email, ACTIVE, client_id=client, start_date=today, with_calendar=True)

    coach_client = as_coach(app)
    add_clients(0, 2)
    with count_queries() as few:
        assert "Needs training (2)" in main(coach_client.get("/clients/"))
    add_clients(2, 30)
    with count_queries() as many:
        assert "Needs training (32)" in main(coach_client.get("/clients/"))
    assert many.count == few.count


@pytest.mark.dates
def test_a_week_starts_on_monday_in_the_coachs_time_zone(app, gym):
    # A record notice from just before this week's Monday (coach's time zone) is last week's.
    with app.app_context():
        from fitr.home.home_page import week_start

        coach = SimpleNamespace(time_zone=TIME_ZONE)
        monday = week_start(coach)  # naive UTC, as stored
        there = monday.replace(tzinfo=UTC).astimezone(ZoneInfo(TIME_ZONE))
        assert there.weekday() == 0 and (there.hour, there.minute) == (0, 0)
        next_monday = (there + timedelta(days=7)).astimezone(UTC).replace(tzinfo=None)  # 7 days and an hour, when the clocks go back
        assert monday <= utcnow() < next_monday
        notice = notices.tell(gym.coach, "Ben Athlete logged: New Personal Records: Deadlift", kind=RECORD)
        notice.created_at = monday - timedelta(seconds=1)
        db.session.commit()
    assert items(section(main(as_coach(app).get("/home")), "records")) == []
