"""What the database itself refuses, whatever code writes to it (SQLite here, PostgreSQL in the
second run of `make test`): one live subscription per client per program, exercise names
unique per coach without regard to case, one live calendar-feed link per subscription, one
pending invite per subscription."""

import pytest
from factories import add_subscription, make_invite, make_program, make_user
from sqlalchemy.exc import IntegrityError

from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.library.models import Exercise
from fitr.subscriptions.models import Subscription
from fitr.training.models import FeedToken


def refused(app, *rows):
    """True when the database refuses to store these rows together."""
    with app.app_context():
        db.session.add_all(rows)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return True
        return False


def test_a_client_account_has_one_live_subscription_per_program_whatever_the_address(app, coach, published_program):
    ada = make_user(app, "Ada", "ada@example.com", is_coach=False)
    add_subscription(app, published_program, "ada@example.com", status="active", client_id=ada)
    again = Subscription(program_id=published_program, client_id=ada, client_email="ada@work.example", status="active")
    assert refused(app, again)
    pending = Subscription(program_id=published_program, client_id=ada, client_email="ada@home.example", status="pending")
    assert refused(app, pending)
    past = Subscription(program_id=published_program, client_id=ada, client_email="ada@old.example", status="ended")
    assert not refused(app, past)  # a past subscription beside a live one is history, not a clash


@pytest.mark.parametrize("first, second", [("Sled Push", "sled push"), ("Sled Push", "SLED PUSH")])
def test_exercise_names_are_unique_per_coach_and_in_the_starter_library_whatever_their_case(app, coach, first, second):
    olive = make_user(app, "Olive", "olive@example.com")
    assert refused(app, Exercise(coach_id=coach, name=first, category="strength", measure="load_reps"),
                   Exercise(coach_id=coach, name=second, category="strength", measure="load_reps"))  # fmt: skip
    assert not refused(app, Exercise(coach_id=coach, name=first, category="strength", measure="load_reps"),
                       Exercise(coach_id=olive, name=second, category="strength", measure="load_reps"))  # fmt: skip
    assert refused(app, Exercise(coach_id=None, name=f"Starter {first}", category="strength", measure="load_reps"),
                   Exercise(coach_id=None, name=f"starter {second}", category="strength", measure="load_reps"))  # fmt: skip


def test_a_subscription_has_one_live_calendar_feed_link(app, coach, published_program):
    ada = make_user(app, "Ada", "ada@example.com", is_coach=False)
    sid = add_subscription(app, published_program, "ada@example.com", status="active", client_id=ada)
    assert not refused(app, FeedToken(subscription_id=sid, user_id=ada, token_hash="a" * 64))
    assert refused(app, FeedToken(subscription_id=sid, user_id=ada, token_hash="b" * 64))
    with app.app_context():
        db.session.query(FeedToken).update({FeedToken.revoked_at: db.func.now()})
        db.session.commit()
    assert not refused(app, FeedToken(subscription_id=sid, user_id=ada, token_hash="c" * 64))


def test_a_subscription_has_one_pending_invite(app, coach, published_program):
    invited = make_invite(app, published_program, "ada@example.com")
    second = Invite(program_id=published_program, subscription_id=invited.subscription_id, email="ada@example.com")
    assert refused(app, second)
    revoked = Invite(program_id=published_program, subscription_id=invited.subscription_id, email="ada@example.com",
                     status="revoked")  # fmt: skip
    assert not refused(app, revoked)


def test_a_client_may_be_in_several_programs_at_once(app, coach):
    other = make_program(app, coach, status="published", name="Second")
    ada = make_user(app, "Ada", "ada@example.com", is_coach=False)
    add_subscription(app, other, "ada@example.com", status="active", client_id=ada)
    assert not refused(app, Subscription(program_id=make_program(app, coach, status="published", name="Third"),
                                         client_id=ada, client_email="ada@example.com", status="active"))  # fmt: skip
