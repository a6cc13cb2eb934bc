"""What a correctly signed post to the Stripe webhook may hold. One that is not an event object,
or whose times are not times, would read no better when Stripe sends it again: it is refused
with a 400 and one log line, and changes nothing (a 500 would have Stripe retry it for days).
A signature made more than five minutes from now, either way, is refused like a forged one."""

import json
import logging
import time

import pytest
import stripe
from factories import count, make_user
from stripe_stub import event, sign
from test_payments import invoice, joined, subscription_of

from fitr.accounts.models import User
from fitr.cards.ledger import Payment
from fitr.extensions import db
from fitr.invites.invite_link import link_token, turn_on_link
from fitr.notices.models import Notice
from fitr.payments.models import StripeEvent
from fitr.programs.models import Program

YEAR_10000 = 253_402_300_800
NOT_TIMES = ["soon", -1, 0, 1e20, 10**20, YEAR_10000, True, 1.5e9, [1_797_000_000], {"t": 1}]


@pytest.fixture
def checkout(app, client, auth, coach, published_program, stripe_stub):
    """Ada joined the coach's £99 / month program and was sent to Checkout: its parameters."""
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, published_program), db.session.get(User, coach)))
        db.session.commit()
    make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    auth.login("ada@example.com")
    joined(client, token)
    [(checkout_id, params)] = stripe_stub.checkouts.items()
    return params


@pytest.fixture
def paying(app, client, stripe_stub, checkout):
    """Ada paid: her subscription is active, with a paid invoice up to its period's end."""
    [checkout_id] = stripe_stub.checkouts
    assert post(client, stripe_stub.completed_event(checkout_id)).status_code == 200
    assert post(client, event("invoice.paid", invoice(checkout, 1_797_000_000))).status_code == 200
    return checkout


def post(client, payload, signed_at=None):
    return client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload, timestamp=signed_at)},
                       content_type="application/json")  # fmt: skip


def state(app):
    """Everything an event could change."""
    sub = subscription_of(app)
    return ((sub.status, sub.payment, sub.stripe_subscription_id, sub.stripe_customer_id, sub.next_payment_at,
             sub.stripe_event_at, sub.payment_failed_at, sub.cancel_at_period_end),
            [count(app, model) for model in (StripeEvent, Payment, Notice)])  # fmt: skip


def refused_with_one_line(app, client, caplog, payload, **signed):
    """The post is refused (400) with one warning in the log and no traceback; nothing changes."""
    before = state(app)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="fitr"):
        response = post(client, payload, **signed)
    assert response.status_code == 400, response.get_data(as_text=True)
    [line] = [r for r in caplog.records if r.name.startswith("fitr")]
    assert line.levelno == logging.WARNING and line.exc_info is None and "\n" not in line.getMessage()
    assert state(app) == before
    return line.getMessage()


def with_created(payload, created):
    data = json.loads(payload)
    data["created"] = created
    return json.dumps(data)


# --- not an event ----------------------------------------------------------------------------------


GONE = object()
CREATED = 1_796_515_000  # a sane time, fixed: the payloads name the tests, and every xdist worker must collect the same names


def shaped(**fields):
    """A signed event's body with these fields changed (GONE: left out)."""
    body = {"id": "evt_1", "type": "invoice.paid", "created": CREATED, "data": {"object": {}}} | fields
    return json.dumps({key: value for key, value in body.items() if value is not GONE})


@pytest.mark.parametrize(
    "payload",
    [
        "[]", '"x"', "{}", "null", "42", "not json at all", '{"id": "evt_1"}', '{"type": "invoice.paid"}',
        shaped(id=""), shaped(id=7), shaped(type=["invoice.paid"]), shaped(type=""), shaped(data=GONE),
        shaped(data=[]), shaped(data={"object": []}), shaped(type="customer.created", data={"object": "cus_1"}),
    ],
)  # fmt: skip
def test_a_signed_post_that_is_not_an_event_is_refused_and_changes_nothing(app, client, caplog, checkout, payload):
    assert "refused" in refused_with_one_line(app, client, caplog, payload)


@pytest.mark.parametrize("parts", [{"metadata": ["fitr"]}, {"lines": {"data": "all of them"}}, {"lines": {"data": [7]}},
                                   {"parent": "sub"}, {"status_transitions": 5}])  # fmt: skip
def test_an_invoice_whose_parts_are_not_objects_is_refused_and_changes_nothing(app, client, caplog, checkout, parts):
    broken = {**invoice(checkout, 1_797_000_000), **parts}
    if "metadata" in parts:
        broken["parent"]["subscription_details"]["metadata"] = parts["metadata"]
    refused_with_one_line(app, client, caplog, event("invoice.paid", broken))


# --- times that are not times ------------------------------------------------------------------------


@pytest.mark.parametrize("created", [*NOT_TIMES, None])
def test_an_event_created_at_no_sane_time_is_refused(app, client, caplog, stripe_stub, checkout, created):
    [checkout_id] = stripe_stub.checkouts
    message = refused_with_one_line(app, client, caplog, with_created(stripe_stub.completed_event(checkout_id), created))
    assert "created is not a time" in message


@pytest.mark.parametrize("end", NOT_TIMES)
def test_an_invoice_whose_period_ends_at_no_sane_time_is_refused(app, client, caplog, checkout, end):
    broken = invoice(checkout, 1_797_000_000)
    broken["lines"]["data"][0]["period"]["end"] = end
    assert "a period end is not a time" in refused_with_one_line(app, client, caplog, event("invoice.paid", broken))


@pytest.mark.parametrize("paid_at", NOT_TIMES)
def test_an_invoice_paid_at_no_sane_time_is_refused(app, client, caplog, checkout, paid_at):
    broken = {**invoice(checkout, 1_797_000_000), "status_transitions": {"paid_at": paid_at}}
    if paid_at:  # 0 and False say "not paid yet": the invoice's own `created` counts then
        refused_with_one_line(app, client, caplog, event("invoice.paid", broken))


@pytest.mark.parametrize("end", NOT_TIMES)
def test_a_failed_payment_or_a_subscription_update_with_no_sane_period_end_is_refused(app, client, caplog, stripe_stub, paying, end):
    failed = {**invoice(paying, 1_797_000_000 + 30 * 86400, amount_paid=0), "status": "open"}
    failed["lines"]["data"][0]["period"]["end"] = end
    refused_with_one_line(app, client, caplog, event("invoice.payment_failed", failed))
    updated = stripe_stub.subscription(f"sub_test_{next(iter(stripe_stub.checkouts))}", status="past_due")
    updated["items"]["data"][0]["current_period_end"] = end
    refused_with_one_line(app, client, caplog, event("customer.subscription.updated", updated))


def test_sane_times_are_applied(app, client, stripe_stub, paying):
    """The refusals above are about the times alone: the same events with real times go through."""
    updated = stripe_stub.subscription(f"sub_test_{next(iter(stripe_stub.checkouts))}", status="past_due", period_end=1_799_000_000)
    assert post(client, event("customer.subscription.updated", updated)).status_code == 200
    assert subscription_of(app).payment == "past_due"


# --- when it was signed ------------------------------------------------------------------------------


def test_an_event_signed_more_than_five_minutes_in_the_future_is_refused(app, client, caplog, stripe_stub, checkout):
    [checkout_id] = stripe_stub.checkouts
    payload = stripe_stub.completed_event(checkout_id)
    for ahead in (301, 3600, 10**9):
        before = state(app)
        assert post(client, payload, signed_at=int(time.time()) + ahead).status_code == 400
        assert state(app) == before
    assert post(client, payload, signed_at=int(time.time()) + 60).status_code == 200  # a clock a minute fast is fine
    assert subscription_of(app).status == "active"


def test_a_post_has_its_signature_checked_once(app, client, checkout, monkeypatch):
    """The rate limit (a signed post is never limited) and the webhook ask the same check."""
    checks = []
    verify_header = stripe.WebhookSignature.verify_header
    monkeypatch.setattr(stripe.WebhookSignature, "verify_header",
                        lambda *args, **kw: checks.append(1) or verify_header(*args, **kw))  # fmt: skip
    assert post(client, event("customer.created", {"id": "cus_1", "object": "customer"})).status_code == 200
    assert len(checks) == 1
    forged = client.post("/stripe/webhook", data="{}", headers={"Stripe-Signature": "t=1,v1=00"}, content_type="application/json")
    assert forged.status_code == 400 and len(checks) == 2
