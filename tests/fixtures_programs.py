"""Fixtures for the programs area (loaded by conftest.py).

    def test_something(app, coach, published_program, add_subscription):
        add_subscription(published_program, "ada@example.com", status="active")

`program`, `published_program` and `group_program` are program ids owned by `coach`.
`make_program(coach_id, **settings)` makes any other program (settings as for
create_program, plus `status="published"|"archived"`); `add_subscription(program_id,
email, status="pending"|"active"|"ended", name="", client_id=None, start_date=None)`
adds one client to a program and returns the subscription id.
"""

from datetime import date

import pytest

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.programs.models import ARCHIVED, GROUP, PUBLISHED
from fitr.programs.rules import archive_program, create_program, publish_program
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription


def make_program(app, coach_id, status="draft", **settings):
    """A program of this coach through the real rules; returns its id."""
    settings.setdefault("name", "Strength Block")
    with app.app_context():
        program = create_program(coach_id, **settings)
        if status in (PUBLISHED, ARCHIVED):
            publish_program(program)
        if status == ARCHIVED:
            archive_program(program)
        db.session.commit()
        return program.id


def add_subscription(app, program_id, email, status="pending", name="", client_id=None, start_date=None):
    """One client in a program (pending: invited; active: joined; ended: a past client)."""
    with app.app_context():
        now = utcnow()
        subscription = Subscription(
            program_id=program_id,
            client_id=client_id,
            client_name=name,
            client_email=email.lower(),
            status=status,
            start_date=start_date or (date.today() if status != "pending" else None),
            started_at=now if status in (ACTIVE, ENDED) else None,
            ended_at=now if status == ENDED else None,
        )
        db.session.add(subscription)
        db.session.commit()
        return subscription.id


@pytest.fixture(name="make_program")
def make_program_fixture(app):
    """`make_program(coach_id, **settings)`: a program id."""
    return lambda coach_id, **settings: make_program(app, coach_id, **settings)


@pytest.fixture(name="add_subscription")
def add_subscription_fixture(app):
    """`add_subscription(program_id, email, status="pending", ...)`: a subscription id."""
    return lambda program_id, email, **kw: add_subscription(app, program_id, email, **kw)


@pytest.fixture
def program(app, coach):
    """A draft 1-2-1 program of the coach, £49.99 a month."""
    return make_program(app, coach, name="Strength Block", price_minor=4999, currency="GBP",
                        billing_period="monthly", description="Four weeks.\nThree sessions a week.")


@pytest.fixture
def published_program(app, coach):
    """A published, paid 1-2-1 program of the coach."""
    return make_program(app, coach, status=PUBLISHED, name="Powerlifting 1-2-1", price_minor=9900,
                        currency="GBP", billing_period="monthly", description="Meet prep.")


@pytest.fixture
def group_program(app, coach):
    """A published, free Group program of the coach (one shared calendar)."""
    return make_program(app, coach, status=PUBLISHED, name="Team Barbell", type=GROUP)
