"""A subscription's life has one home, fitr/lifecycle: nothing else in fitr writes a
subscription's status or its dates (read from the source, tests/lifecycle_writes.py), and every
way of joining runs the same join, paid ones included."""

from pathlib import Path

import pytest
from factories import PASSWORD, accept_link, rows
from lifecycle_writes import writes_in, writes_outside
from test_payments import post_event

from fitr.invites.models import Invite
from fitr.notices.models import Notice
from fitr.subscriptions.models import Subscription

FITR = Path(__file__).resolve().parent.parent / "fitr"


def test_only_the_lifecycle_writes_a_subscriptions_status_or_dates():
    assert writes_outside(FITR, FITR / "lifecycle") == {}


def test_the_check_sees_each_write_the_lifecycle_makes():
    """Not an empty check: in fitr/lifecycle it finds every kind of write the life makes."""
    found = [what for _, what in writes_in((FITR / "lifecycle" / "rules.py").read_text())]
    assert found.count("update(Subscription).values(...)") == 6  # activate, end (3 ways), end_lapsed, move
    assert found.count("Subscription(...)") == 2  # added (pending), moved (the new one)
    assert {"subscription.start_date =", "subscription.ends_on =", "subscription.status =", "subscription.ended_at ="} <= set(found)


@pytest.mark.parametrize("source", [
    "subscription.status = ENDED",
    "invite.subscription.started_at = now",
    "new_subscription.status, new_subscription.ended_at = ENDED, now",
    "def f(subscription_id):\n    old = db.session.get(Subscription, subscription_id)\n    old.status = ENDED",
    "def f(ids):\n    for s in db.session.scalars(select(Subscription)):\n        s.ended_at = now",
    "client.ends_on = day",  # no other table has it: whatever the name
    "setattr(subscription, 'status', 'ended')",
    "Subscription(program_id=1, client_email='a@example.com')",
    "db.session.execute(update(Subscription).where(Subscription.id == 1).values(status='ended'))",
    "query = update(Subscription).where(ok)\nquery = query.where(mine)\ndb.session.execute(query.values(ended_at=now))",
    "db.session.execute(update(Subscription).values(**changes))",
])  # fmt: skip
def test_the_check_finds_a_write_of_a_subscriptions_status_or_dates(source):
    assert writes_in(source) != []


@pytest.mark.parametrize("source", [
    "program.status = PUBLISHED",
    "log.status = status",
    "invite.status = REVOKED",
    "subscription.payment = PAID",
    "form.start_date.data = today",
    "self.start_date = start_date",
    "db.session.execute(update(Login).where(mine).values(ended_at=now))",
    "db.session.execute(update(Subscription).values(client_id=None, client_name='Deleted client'))",
    "def f(program_id):\n    program = db.session.get(Program, program_id)\n    program.status = DRAFT",
])  # fmt: skip
def test_the_check_leaves_other_writes_alone(source):
    assert writes_in(source) == []


def test_a_client_added_manually_who_pays_under_another_name_is_told_to_the_coach_with_both(
    app, smtp, client, logged_in, coach, published_program, stripe_stub
):
    """Joining by paid checkout runs the same join as by a free invite: the coach hears the name
    they entered too (the paid path used to lose it while the client was on Checkout)."""
    logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Bob Smith", "email": "bob@example.com"})
    [invite] = rows(app, Invite)
    logged_in.post(f"/subscriptions/{invite.subscription_id}/send-invite")
    [message] = smtp.wait_for(1)
    logged_in.post("/logout")

    link = accept_link(smtp.text(message)).split("localhost", 1)[1]
    assert client.post(link, data={"name": "Robert Smith", "password": PASSWORD}).status_code == 303  # to Checkout
    [checkout_id] = stripe_stub.checkouts
    assert post_event(client, stripe_stub.completed_event(checkout_id)).status_code == 200

    [subscription] = rows(app, Subscription)
    assert (subscription.status, subscription.payment, subscription.client_name) == ("active", "paid", "Robert Smith")
    [notice] = rows(app, Notice, user_id=coach)
    assert notice.text == "Robert Smith (you added them as Bob Smith) paid and joined Powerlifting 1-2-1"
