"""The ledger of payments: Stripe's signed events write each payment once (a one-off price
when its Checkout is paid, a recurring one with each paid invoice), whatever order they come
in and however often Stripe sends them."""

import pytest
from factories import count, make_user, rows
from stripe_stub import event, sign
from test_payments import invoice, table_gone

from fitr.accounts.models import User
from fitr.cards.ledger import Payment
from fitr.extensions import db
from fitr.invites.invite_link import link_token, turn_on_link
from fitr.programs.models import Program


@pytest.fixture
def ada(app, auth):
    """Ada, a client with an account, logged in."""
    user_id = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    auth.login("ada@example.com")
    return user_id


def join_link(app, coach, program_id):
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, program_id), db.session.get(User, coach)))
        db.session.commit()
    return f"/join/{token}"


def post_event(client, payload):
    return client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload)},
                       content_type="application/json")  # fmt: skip


def ledger(app):
    return [(p.kind, p.amount_minor, p.currency, p.stripe_id, p.client_name, p.program_name) for p in rows(app, Payment)]


def test_a_one_off_payment_is_written_once_when_its_checkout_is_paid(app, client, coach, stripe_stub, ada, make_program):
    once = make_program(coach, status="published", name="Meet prep", price_minor=30000, currency="JPY", billing_period="one_off")
    assert client.post(join_link(app, coach, once)).status_code == 303
    payload = stripe_stub.completed_event("cs_test_1", event_id="evt_once")
    assert post_event(client, payload).status_code == 200
    assert post_event(client, payload).status_code == 200  # sent again
    # The same payment told by another event (a delayed payment method succeeding) is not a second one.
    assert post_event(client, stripe_stub.completed_event("cs_test_1", event_id="evt_async")).status_code == 200
    assert ledger(app) == [("payment", 30000, "JPY", "cs_test_1", "Ada Lovelace", "Meet prep")]
    [payment] = rows(app, Payment)
    assert (payment.coach_id, payment.program_id) == (coach, once)


def test_a_recurring_price_is_written_with_each_paid_invoice_in_any_order(app, client, coach, stripe_stub, ada, published_program):
    client.post(join_link(app, coach, published_program))
    params = stripe_stub.checkouts["cs_test_1"]
    first, second = 1_797_000_000, 1_797_000_000 + 30 * 86400
    # The renewal arrives before the first invoice, and before Checkout's own event.
    assert post_event(client, event("invoice.paid", invoice(params, second))).status_code == 200
    assert post_event(client, event("invoice.paid", invoice(params, first))).status_code == 200
    assert post_event(client, stripe_stub.completed_event("cs_test_1")).status_code == 200  # paid by its invoice
    assert post_event(client, event("invoice.paid", invoice(params, second))).status_code == 200  # a new event, same invoice
    assert sorted(ledger(app)) == [
        ("payment", 9900, "GBP", f"in_{first}", "Ada Lovelace", "Powerlifting 1-2-1"),
        ("payment", 9900, "GBP", f"in_{second}", "Ada Lovelace", "Powerlifting 1-2-1"),
    ]


def test_a_free_trial_invoice_moves_no_money_and_is_not_a_payment(app, client, coach, stripe_stub, ada, make_program):
    trial = make_program(coach, status="published", name="Trial block", price_minor=5000, currency="EUR",
                         billing_period="weekly", trial_days=14)  # fmt: skip
    client.post(join_link(app, coach, trial))
    params = stripe_stub.checkouts["cs_test_1"]
    assert post_event(client, event("invoice.paid", invoice(params, 1_797_000_000, amount_paid=0))).status_code == 200
    assert count(app, Payment) == 0


def test_a_failing_event_writes_no_payment(app, client, coach, stripe_stub, ada, published_program):
    client.post(join_link(app, coach, published_program))
    with table_gone(app, "notice"):  # the coach cannot be told, after the payment is written: Stripe must retry
        assert post_event(client, event("invoice.paid", invoice(stripe_stub.checkouts["cs_test_1"], 1_797_000_000))).status_code == 500
    assert count(app, Payment) == 0
