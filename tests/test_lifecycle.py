"""A subscription's life has one home, fitr/lifecycle: nothing else in fitr writes a
subscription's status or its dates (read from the source, tests/lifecycle_writes.py), and every
way of joining runs the same join, paid ones included."""

from pathlib import Path

import pytest
from factories import PASSWORD, accept_link, add_subscription, make_user, one, rows
from lifecycle_writes import writes_in, writes_outside
from test_payments import post_event

from fitr.extensions import db
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


def test_a_past_client_whose_card_payment_lapsed_is_re_subscribed_without_a_card_question(
    app, logged_in, stripe_stub, published_program, make_program, coach, today
):
    """Move to program asks about a card payment only of a client it still charges: one whose
    payment lapsed (ended, Payment failed, Stripe's id kept) is moved like any past client (the
    form does not ask, and the move used to refuse for want of an answer)."""
    ada = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    lapsed = add_subscription(app, published_program, "ada@example.com", "ended", client_id=ada, start_date=today)
    with app.app_context():
        subscription = db.session.get(Subscription, lapsed)
        subscription.payment, subscription.stripe_subscription_id = "past_due", "sub_ada"
        db.session.commit()
    target = make_program(coach, status="published", name="Hypertrophy")
    page = logged_in.get(f"/programs/{published_program}/clients/{lapsed}/move").get_data(as_text=True)
    assert "Their card payment" not in page
    response = logged_in.post(f"/programs/{published_program}/clients/{lapsed}/move",
                              data={"program": str(target), "start_date": today.isoformat()})  # fmt: skip
    assert response.status_code == 302
    new = one(app, Subscription, program_id=target)
    assert (new.status, new.payment, new.moved_from_id) == ("active", "", lapsed)
    assert stripe_stub.requests == []
