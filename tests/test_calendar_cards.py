"""Calendars that read at a glance (issue 25, point 3): a session's card shows its title, then one
line per exercise with its label, name and dose ("A · Back Squat · 5×5 @ 100 kg"), folds past
three lines ("+2 more"), and shows how the client did it (done, skipped, missed, commented) as an
icon with its word for screen readers. The header groups Previous/Today/Next, has Month/Week as a
segmented control and puts the copies and Apply template in one menu."""

import re
from datetime import timedelta

import pytest
from factories import (
    NOV_3,
    calendar_id,
    card_lines,
    element,
    elements,
    end_subscription,
    log,
    plan,
    session_form,
)
from sqlalchemy import update

from fitr.conversations.models import Message
from fitr.extensions import db

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh

HTMX = {"HX-Request": "true"}
FIVE = (("Back Squat", 5, 5, 100), ("Bench Press", 3, 8, 70), ("Barbell Row", 3, 8, 60), ("Plank", 3, None, None),
        ("Deadlift", 1, 5, 140))  # fmt: skip


def month(client, program, subscription, day):
    url = f"/programs/{program}/clients/{subscription}/calendar?date={day.isoformat()}"
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def around(client, gym, today):
    """Ada's calendar from a week before `today` to a week after, whatever months they cross."""
    return "".join(month(client, gym.strength, gym.ada_sub, today + timedelta(days=d)) for d in (-7, 0, 7))


def card(html, session_id):
    """The session's card (the first, where two months on one page both show its week)."""
    return elements(html, "article", data_session_id=str(session_id))[0].html


def statuses(html, session_id):
    """(what each status icon on the card says to a screen reader), in order."""
    return [
        element(icon.html, "span", class_="visually-hidden").text
        for icon in elements(card(html, session_id), "span", class_=re.compile(r"status-icon .*"))
    ]


def test_a_card_lists_an_exercise_a_line_and_folds_past_three(app, logged_in, one_to_one):
    session = plan(app, one_to_one.ada, NOV_3, title="Full body", exercises=FIVE)
    html = month(logged_in, one_to_one.id, one_to_one.ada, NOV_3)
    shown = card(html, session)
    assert element(shown, "span", class_="session-title").text == "Full body"
    assert card_lines(shown) == [
        "A · Back Squat · 5×5 @ 100 kg", "B · Bench Press · 3×8 @ 70 kg", "C · Barbell Row · 3×8 @ 60 kg", "+2 more",
    ]  # fmt: skip
    # The week view still shows every exercise in full.
    week = logged_in.get(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?view=week&date=2026-11-03")
    assert len(elements(card(week.get_data(as_text=True), session), "li")) == 5


def test_a_card_keeps_the_rpe_a_coach_prescribes_by_and_the_superset_labels(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    rows = [
        {"exercise": "Bench Press", "sets": "3", "reps": "8", "load": "70", "load_unit": "kg", "rpe": "8"},
        {"exercise": "Barbell Row", "sets": "3", "reps": "8", "joined": "y"},
        {"exercise": "Pull-Up", "sets": "3", "reps": "8", "rpe": "8"},
    ]
    added = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("Upper", rows), headers=HTMX)
    assert added.status_code == 200
    assert card_lines(added.get_data(as_text=True)) == [
        "A1 · Bench Press · 3×8 @ 70 kg, RPE 8", "A2 · Barbell Row · 3×8", "B · Pull-Up · 3×8 @ RPE 8",
    ]  # fmt: skip


def test_a_card_shows_done_skipped_missed_and_commented_as_icons_with_their_words(app, gym, auth, client):
    today = gym.today
    done = plan(app, gym.ada_sub, today - timedelta(days=3), title="Squat day")
    skipped = plan(app, gym.ada_sub, today - timedelta(days=2), title="Bench day")
    missed = plan(app, gym.ada_sub, today - timedelta(days=1), title="Pull day")
    commented = plan(app, gym.ada_sub, today + timedelta(days=1), title="Run day")
    upcoming = plan(app, gym.ada_sub, today + timedelta(days=2), title="Rest walk")
    log(app, gym.ada, done, today=today)
    log(app, gym.ada, skipped, today=today, status="skipped")
    auth.login("ada@example.com")
    assert client.post(f"/my/sessions/{commented}/comments", data={"body": "Can I run it on Sunday?"}).status_code == 302
    assert client.post(f"/my/sessions/{done}/comments", data={"body": "Felt strong"}).status_code == 302
    auth.logout()
    auth.login()  # the coach
    html = around(client, gym, today)
    assert statuses(html, done) == ["Done", "Commented"]
    assert statuses(html, skipped) == ["Skipped"]
    assert statuses(html, missed) == ["Missed"]
    assert statuses(html, commented) == ["Commented"]
    assert statuses(html, upcoming) == []
    # The coach's own answer is not the client commenting; a comment the client deleted is gone.
    with app.app_context():
        db.session.execute(update(Message).where(Message.author_id == gym.ada).values(deleted_at=db.func.now()))
        db.session.commit()
    html = around(client, gym, today)
    assert statuses(html, commented) == [] and statuses(html, done) == ["Done"]


def test_the_header_groups_its_navigation_views_and_copies(app, logged_in, one_to_one):
    html = month(logged_in, one_to_one.id, one_to_one.ada, NOV_3)
    nav = element(html, "nav", aria_label="Calendar navigation").html
    assert [a.get("aria-label") or a.text for a in elements(nav, "a")] == ["Previous month", "Today", "Next month"]
    views = element(html, "div", class_="segmented", role="group", aria_label="View").html
    assert [(a.text, a.get("aria-current")) for a in elements(views, "a")] == [("Month", "page"), ("Week", None)]
    menu = element(html, "details", class_="menu cal-menu").html
    assert [a.text for a in elements(menu, "a", class_="menu-item")] == ["Copy a day or week", "Copy weeks", "Apply template"]
    # A client whose subscription ended: a read-only calendar has no copies to offer.
    end_subscription(app, one_to_one.ada)
    ended = month(logged_in, one_to_one.id, one_to_one.ada, NOV_3)
    assert elements(ended, "details", class_="menu cal-menu") == [] and "Copy weeks" not in ended
