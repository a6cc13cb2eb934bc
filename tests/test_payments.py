"""Paid programs with Stripe: joining goes through Checkout (the stand-in in stripe_stub.py),
and only Stripe's signed webhook events activate, renew or end a subscription, once each and
in any order."""

import json
import re
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from factories import count, make_user, one, rows
from sqlalchemy import text
from stripe_stub import event, sign

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.invites.invite_link import link_token, turn_on_link
from fitr.invites.models import Invite
from fitr.notices.models import Notice
from fitr.payments.models import StripeEvent
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


@pytest.fixture
def join_token(app, coach, published_program):
    """The invite link of the coach's published £99 / month program."""
    with app.test_request_context():
        link = turn_on_link(db.session.get(Program, published_program), db.session.get(User, coach))
        db.session.commit()
        return link_token(link)


@pytest.fixture
def ada(app, auth):
    """Ada, a client with an account, logged in."""
    user_id = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    auth.login("ada@example.com")
    return user_id


def post_event(client, payload, secret="whsec_test_fitr", **headers):
    headers = {"Stripe-Signature": sign(payload, secret), **headers}
    return client.post("/stripe/webhook", data=payload, headers=headers, content_type="application/json")


def joined(client, join_token):
    """Ada joins through the link: she is sent to Checkout; her subscription."""
    response = client.post(f"/join/{join_token}")
    assert response.status_code == 303, response.status_code
    return response


def subscription_of(app, email="ada@example.com"):
    with app.app_context():
        return one(app, Subscription, client_email=email)


def test_joining_a_paid_program_sends_the_client_to_checkout_at_its_price(app, client, stripe_stub, join_token, ada):
    response = joined(client, join_token)
    [(checkout_id, params)] = stripe_stub.checkouts.items()
    assert response.headers["Location"] == f"{stripe_stub.url}/pay/{checkout_id}"
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.client_id, sub.stripe_checkout_id) == ("pending", "awaiting", ada, checkout_id)
    assert (sub.price_minor, sub.currency, sub.billing_period) == (9900, "GBP", "monthly")
    assert params["mode"] == "subscription"
    assert params["line_items"][0]["price_data"] == {
        "currency": "gbp", "unit_amount": "9900", "product_data": {"name": "Powerlifting 1-2-1"},
        "recurring": {"interval": "month"},
    }  # fmt: skip
    assert params["metadata"]["fitr_subscription_id"] == str(sub.id)
    assert params["subscription_data"]["metadata"] == params["metadata"]
    assert "trial_period_days" not in params["subscription_data"]
    assert params["customer_email"] == "ada@example.com"
    assert params["success_url"] == f"http://localhost/my/payments/{sub.id}/confirming?session_id={{CHECKOUT_SESSION_ID}}"
    assert params["cancel_url"] == f"http://localhost/my/payments/{sub.id}/left"
    # Until Stripe confirms, Ada has not joined: the coach is told nothing yet.
    assert count(app, Notice) == 0


def test_the_coach_sees_a_client_awaiting_payment(app, client, auth, stripe_stub, join_token, ada, published_program):
    joined(client, join_token)
    auth.logout()
    auth.login()
    page = client.get(f"/programs/{published_program}/clients/pending").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Awaiting payment" in page


def test_a_signed_checkout_completed_event_activates_the_subscription_once(app, client, stripe_stub, join_token, ada, today):
    joined(client, join_token)
    [checkout_id] = stripe_stub.checkouts
    payload = stripe_stub.completed_event(checkout_id, event_id="evt_paid_1")
    assert post_event(client, payload).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.start_date) == ("active", "paid", today)
    assert (sub.stripe_customer_id, sub.stripe_subscription_id) == ("cus_test_1", f"sub_test_{checkout_id}")
    assert one(app, Notice).text == "Ada Lovelace paid and joined Powerlifting 1-2-1"
    # Stripe sends it again: answered 200, applied once.
    assert post_event(client, payload).status_code == 200
    assert count(app, StripeEvent) == 1 and count(app, Notice) == 1
    # Ada is on Today with the program.
    page = client.get("/my/programs").get_data(as_text=True)
    assert "Powerlifting 1-2-1" in page and "Finish paying" not in page


def test_a_forged_or_unsigned_event_is_refused_and_changes_nothing(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    [checkout_id] = stripe_stub.checkouts
    payload = stripe_stub.completed_event(checkout_id)
    assert post_event(client, payload, secret="whsec_someone_else").status_code == 400
    assert client.post("/stripe/webhook", data=payload, content_type="application/json").status_code == 400
    tampered = payload.replace('"paid"', '"paid" ')
    header = sign(payload)
    assert client.post("/stripe/webhook", data=tampered, headers={"Stripe-Signature": header}).status_code == 400
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("pending", "awaiting")
    assert count(app, StripeEvent) == 0


def test_an_old_signature_is_refused(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    [checkout_id] = stripe_stub.checkouts
    payload = stripe_stub.completed_event(checkout_id)
    stale = sign(payload, timestamp=int(time.time()) - 3600)  # replayed an hour later
    assert client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": stale}).status_code == 400
    assert subscription_of(app).status == "pending"


def invoice(checkout_params, period_end, amount_paid=9900, stripe_subscription="sub_test_cs_test_1"):
    return {
        "id": f"in_{period_end}", "object": "invoice", "customer": "cus_test_1", "amount_paid": amount_paid,
        "currency": "gbp", "status": "paid",
        "parent": {"type": "subscription_details", "subscription_details": {
            "subscription": stripe_subscription, "metadata": checkout_params["metadata"]}},
        "lines": {"data": [{"period": {"start": period_end - 30 * 86400, "end": period_end}}]},
    }  # fmt: skip


def test_invoice_paid_before_checkout_completed_activates_once(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    [(checkout_id, params)] = stripe_stub.checkouts.items()
    period_end = 1_797_000_000
    assert post_event(client, event("invoice.paid", invoice(params, period_end))).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.stripe_subscription_id) == ("active", "paid", f"sub_test_{checkout_id}")
    assert post_event(client, stripe_stub.completed_event(checkout_id)).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("active", "paid")
    assert count(app, Notice) == 1 and count(app, StripeEvent) == 2


def test_a_renewal_moves_the_next_payment_on_and_an_older_invoice_never_moves_it_back(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    [(checkout_id, params)] = stripe_stub.checkouts.items()
    post_event(client, stripe_stub.completed_event(checkout_id))
    first, second = 1_797_000_000, 1_797_000_000 + 30 * 86400
    assert post_event(client, event("invoice.paid", invoice(params, second))).status_code == 200
    assert post_event(client, event("invoice.paid", invoice(params, first))).status_code == 200  # late
    sub = subscription_of(app)
    assert sub.next_payment_at == datetime.fromtimestamp(second, UTC).replace(tzinfo=None)
    assert (sub.status, sub.payment) == ("active", "paid")


def test_events_of_another_deployment_or_unknown_subscriptions_are_ignored(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    [checkout_id] = stripe_stub.checkouts
    other = json.loads(stripe_stub.completed_event(checkout_id))
    other["id"] = "evt_other"
    other["data"]["object"]["metadata"]["fitr_deployment"] = "another-fitr"
    assert post_event(client, json.dumps(other)).status_code == 200
    unknown = json.loads(stripe_stub.completed_event(checkout_id))
    unknown["id"] = "evt_unknown"
    unknown["data"]["object"]["metadata"]["fitr_subscription_id"] = "999999"
    assert post_event(client, json.dumps(unknown)).status_code == 200
    assert post_event(client, event("customer.created", {"id": "cus_1"})).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("pending", "awaiting")


@contextmanager
def table_gone(app, table):
    """The database loses a table for a moment (a failure on fitr's side, not in the event)."""
    with app.app_context():
        db.session.execute(text(f"ALTER TABLE {table} RENAME TO {table}_gone"))
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            db.session.execute(text(f"ALTER TABLE {table}_gone RENAME TO {table}"))
            db.session.commit()


def test_a_failing_handler_answers_500_and_keeps_nothing(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    [(checkout_id, params)] = stripe_stub.checkouts.items()
    payload = event("invoice.paid", invoice(params, 1_797_000_000), "evt_broken")
    with table_gone(app, "payment"):  # the ledger cannot be written: Stripe must retry
        assert post_event(client, payload).status_code == 500
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.stripe_subscription_id) == ("pending", "awaiting", None)
    assert count(app, StripeEvent) == 0


def test_a_client_who_leaves_checkout_can_finish_paying_later(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    sub = subscription_of(app)
    response = client.get(f"/my/payments/{sub.id}/left", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "You left the payment page without paying" in page and "Finish paying" in page
    assert "Finish paying" in client.get("/my").get_data(as_text=True)
    # Checkout expires: still awaiting payment, and Finish paying makes a new Checkout Session.
    expired = {**stripe_stub.session("cs_test_1"), "status": "expired"}
    assert post_event(client, event("checkout.session.expired", expired)).status_code == 200
    assert subscription_of(app).stripe_checkout_id is None
    response = client.post(f"/my/payments/{sub.id}/pay")
    assert response.status_code == 303 and response.headers["Location"].endswith("/pay/cs_test_2")
    assert subscription_of(app).payment == "awaiting" and len(stripe_stub.checkouts) == 2
    # The same link again takes her back to Checkout without a second subscription.
    joined(client, join_token)
    assert count(app, Subscription) == 1 and len(stripe_stub.checkouts) == 3


def test_the_return_page_says_the_payment_is_being_confirmed_until_stripe_confirms(app, client, stripe_stub, join_token, ada):
    joined(client, join_token)
    sub = subscription_of(app)
    page = client.get(f"/my/payments/{sub.id}/confirming?session_id=cs_test_1").get_data(as_text=True)
    assert "Payment received, we are confirming it" in page
    post_event(client, stripe_stub.completed_event("cs_test_1"))
    response = client.get(f"/my/payments/{sub.id}/confirming", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/my"
    response = client.get(f"/my/payments/{sub.id}/confirming")
    assert response.status_code == 302 and response.headers["Location"] == "/my"


def test_another_client_cannot_see_or_pay_for_a_subscription(app, client, auth, stripe_stub, join_token, ada):
    joined(client, join_token)
    sub = subscription_of(app)
    auth.logout()
    make_user(app, "Zed", "zed@example.com", is_coach=False)
    auth.login("zed@example.com")
    for method, path in (("GET", f"/my/payments/{sub.id}/confirming"), ("GET", f"/my/payments/{sub.id}/left"),
                         ("POST", f"/my/payments/{sub.id}/pay")):  # fmt: skip
        assert client.open(path, method=method).status_code == 404
    assert len(stripe_stub.checkouts) == 1


def test_a_free_trial_and_a_one_off_price_make_the_right_checkout(app, client, coach, stripe_stub, ada, make_program, today):
    trial = make_program(coach, status="published", name="Trial block", price_minor=5000, currency="EUR",
                         billing_period="weekly", trial_days=14)  # fmt: skip
    once = make_program(coach, status="published", name="Meet prep", price_minor=30000, currency="JPY", billing_period="one_off")
    tokens = {}
    with app.test_request_context():
        for program_id in (trial, once):
            tokens[program_id] = link_token(turn_on_link(db.session.get(Program, program_id), db.session.get(User, coach)))
        db.session.commit()
    joined(client, tokens[trial])
    joined(client, tokens[once])
    first, second = stripe_stub.checkouts.values()
    assert first["mode"] == "subscription" and first["subscription_data"]["trial_period_days"] == "14"
    assert first["line_items"][0]["price_data"]["recurring"] == {"interval": "week"}
    assert second["mode"] == "payment" and "recurring" not in second["line_items"][0]["price_data"]
    assert second["line_items"][0]["price_data"]["unit_amount"] == "30000"  # yen have no minor unit
    assert second["payment_intent_data"]["metadata"] == second["metadata"]
    post_event(client, stripe_stub.completed_event("cs_test_1"))
    with app.app_context():
        assert one(app, Subscription, program_id=trial).payment == "trialing"


def test_a_price_change_applies_to_new_subscribers_only(app, client, auth, stripe_stub, join_token, ada, published_program):
    joined(client, join_token)
    post_event(client, stripe_stub.completed_event("cs_test_1"))
    with app.app_context():
        db.session.get(Program, published_program).price_minor = 12000
        db.session.commit()
    assert subscription_of(app).price_minor == 9900
    auth.logout()
    make_user(app, "Ben", "ben@example.com", is_coach=False)
    auth.login("ben@example.com")
    joined(client, join_token)
    assert stripe_stub.checkouts["cs_test_2"]["line_items"][0]["price_data"]["unit_amount"] == "12000"
    assert subscription_of(app, "ben@example.com").price_minor == 12000


def test_when_stripe_is_down_the_client_is_told_and_keeps_their_place(app, client, stripe_stub, join_token, ada):
    stripe_stub.fail_next = True
    response = client.post(f"/join/{join_token}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Card payments are not available right now" in page and "Finish paying" in page
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.stripe_checkout_id) == ("pending", "awaiting", None)


def test_a_complimentary_invite_joins_without_paying_and_a_plain_one_goes_to_checkout(app, client, auth, coach, stripe_stub, published_program):
    auth.login()
    response = client.post(f"/programs/{published_program}/clients/new",
                           data={"emails": "ada@example.com", "complimentary": "y"}, follow_redirects=True)  # fmt: skip
    assert response.status_code == 200
    client.post(f"/programs/{published_program}/clients/new", data={"emails": "ben@example.com"}, follow_redirects=True)  # its notice read
    assert subscription_of(app).payment == "complimentary"
    # The links the emails carry, as the coach's Copy link shows them.
    links = {}
    for invite in rows(app, Invite):
        page = client.post(f"/invites/{invite.id}/copy-link").get_data(as_text=True)
        links[invite.email] = re.findall(r"/invite/[A-Za-z0-9_\-]+", page)[0]
    auth.logout()
    form = {"name": "Ada Lovelace", "password": "correct horse battery staple", "time_zone": "UTC"}
    response = client.post(links["ada@example.com"], data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/my"
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("active", "complimentary") and stripe_stub.checkouts == {}
    auth.logout()
    response = client.post(links["ben@example.com"], data={**form, "name": "Ben"})
    assert response.status_code == 303 and response.headers["Location"].startswith(stripe_stub.url)
    assert subscription_of(app, "ben@example.com").payment == "awaiting"


def test_a_session_1_day_1_start_picked_before_paying_is_the_start_once_paid(app, client, stripe_stub, join_token, ada, today, published_program):
    from datetime import timedelta

    from test_program_types import calendar_of, write_template

    with app.app_context():
        db.session.get(Program, published_program).type = "self_paced"
        db.session.commit()
    write_template(app, published_program, (1, 3, "Day three"))
    picked = today + timedelta(days=5)
    response = client.post(f"/join/{join_token}", data={"start_date": picked.isoformat()})
    assert response.status_code == 303
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.start_date) == ("pending", "awaiting", picked)
    assert calendar_of(app, sub.id) == []  # nothing placed before Stripe confirms
    [checkout_id] = stripe_stub.checkouts
    assert post_event(client, stripe_stub.completed_event(checkout_id, event_id="evt_s1d1")).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.start_date) == ("active", picked)
    assert calendar_of(app, sub.id) == [(picked + timedelta(days=2), "Day three")]
