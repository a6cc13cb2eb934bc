"""Recurring billing after a client joined a paid program: renewals, a failed payment through
its grace period (ended as a Past client, the Stripe subscription cancelled) or a successful
retry, cancellation by the client at the period end and by the coach now with a refund, the
customer portal, and the webhook's limit on forged signatures. Stripe is the stand-in of
tests/stripe_stub.py; its events are signed as Stripe signs them."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from factories import count, make_user, one, program_form
from sqlalchemy import update
from stripe_stub import event, sign
from test_payments import ada, invoice, join_token, joined, post_event, subscription_of  # noqa: F401 (fixtures)

from fitr.cards.ledger import Payment
from fitr.extensions import db
from fitr.lifecycle.rules import end_lapsed
from fitr.payments.models import StripeEvent
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

SUB = "sub_test_cs_test_1"
DAY = 86400


def now_ts():
    return int(datetime.now(UTC).timestamp())


def stamp(ts):
    return datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)


@pytest.fixture
def paying(app, client, stripe_stub, join_token, ada):  # noqa: F811
    """Ada joined the £99 / month program and paid by card: the Checkout's params."""
    joined(client, join_token)
    [(checkout_id, params)] = stripe_stub.checkouts.items()
    assert post_event(client, stripe_stub.completed_event(checkout_id)).status_code == 200
    return params


def as_coach(client, auth):
    auth.logout()
    auth.login()


def failed_invoice(params, period_end):
    return {**invoice(params, period_end, amount_paid=0), "status": "open", "attempt_count": 1}


def created_at(payload, ts):
    """The event's own time (Stripe's `created`), as when it was sent at `ts`."""
    data = json.loads(payload)
    data["created"] = ts
    return json.dumps(data)


# --- renewals and failed payments --------------------------------------------------------------


def test_a_renewal_moves_the_next_payment_date_and_the_coach_sees_it(app, client, auth, paying, published_program):
    renews = now_ts() + 30 * DAY
    assert post_event(client, event("invoice.paid", invoice(paying, renews))).status_code == 200
    sub = subscription_of(app)
    assert (sub.payment, sub.next_payment_at) == ("paid", stamp(renews))
    as_coach(client, auth)
    page = client.get(f"/programs/{published_program}/clients/{sub.id}/overview").get_data(as_text=True)
    day = stamp(renews)
    assert "<dt>Status</dt><dd>Active</dd>" in page
    assert f"<dt>Next payment</dt><dd>{day:%a} {day.day} {day:%b %Y}, £99.00</dd>" in page


def test_a_failed_payment_keeps_access_for_the_grace_period_then_ends_as_past_client(app, client, auth, stripe_stub, paying, published_program, time_machine):
    period_end = now_ts() + 30 * DAY
    assert post_event(client, event("invoice.paid", invoice(paying, period_end))).status_code == 200
    time_machine.move_to(datetime.fromtimestamp(period_end + 3600, UTC))  # the renewal fails
    failed = event("invoice.payment_failed", failed_invoice(paying, period_end + 30 * DAY))
    assert post_event(client, failed).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment, sub.grace_ends_at - sub.payment_failed_at) == ("active", "past_due", timedelta(days=7))
    # Ada sees it on Today and My programs, with a way to update her card; she still trains.
    for path in ("/my", "/my/programs"):
        page = client.get(path).get_data(as_text=True)
        assert "Payment failed" in page and "Update card" in page
    assert client.get(f"/my/programs/{sub.id}/calendar").status_code == 200
    # Her coach sees it on the program page and her overview.
    as_coach(client, auth)
    assert "Payment failed" in client.get(f"/programs/{published_program}/clients/active").get_data(as_text=True)
    assert "Payment failed" in client.get(f"/programs/{published_program}/clients/{sub.id}/overview").get_data(as_text=True)
    # A second failure (Stripe retries) does not extend the grace period.
    time_machine.move_to(datetime.fromtimestamp(period_end + 3 * DAY, UTC))
    assert post_event(client, event("invoice.payment_failed", failed_invoice(paying, period_end + 30 * DAY))).status_code == 200
    assert subscription_of(app).grace_ends_at == sub.grace_ends_at
    # Past the grace period, with no job run: her next visit ends it, and Stripe stops charging.
    time_machine.move_to(sub.grace_ends_at.replace(tzinfo=UTC) + timedelta(minutes=1))
    auth.logout()
    auth.login("ada@example.com")
    page = client.get("/my/programs").get_data(as_text=True)
    assert "Payment failed" not in page and "Ended" in page
    sub = subscription_of(app)
    assert (sub.status, sub.ended_at) == ("ended", sub.grace_ends_at)
    assert stripe_stub.cancelled == [SUB]
    # Stripe confirms the cancellation: the coach still sees why she left, under Past clients.
    stripe_object = stripe_stub.subscription(SUB, status="canceled")
    assert post_event(client, event("customer.subscription.deleted", stripe_object)).status_code == 200
    as_coach(client, auth)
    page = client.get(f"/programs/{published_program}/clients/past").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Payment failed" in page
    assert client.get(f"/programs/{published_program}/clients/{sub.id}/calendar").status_code == 200  # kept


def test_past_the_grace_period_the_client_sees_no_training_even_before_anything_ends_it(app, client, paying, today, time_machine, starter_exercises):
    from factories import plan

    sub = subscription_of(app)
    session_id = plan(app, sub.id, today + timedelta(days=9), title="Heavy singles")
    assert post_event(client, event("invoice.payment_failed", failed_invoice(paying, now_ts() + 30 * DAY))).status_code == 200
    time_machine.move_to(datetime.now(UTC) + timedelta(days=9))
    # The session page is checked first: no access, though the subscription is still active.
    assert client.get(f"/my/sessions/{session_id}").status_code == 404
    assert subscription_of(app).status == "active"


def test_flask_payments_end_lapsed_ends_every_lapsed_subscription_in_a_fixed_number_of_queries(app, client, stripe_stub, paying, published_program, make_program, coach, count_queries, time_machine):
    from factories import add_subscription

    assert post_event(client, event("invoice.payment_failed", failed_invoice(paying, now_ts() + 30 * DAY))).status_code == 200
    time_machine.move_to(datetime.now(UTC) + timedelta(days=8))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["payments", "end-lapsed"])
    assert result.exit_code == 0 and "Ended 1 unpaid subscription." in result.output
    assert subscription_of(app).status == "ended" and stripe_stub.cancelled == [SUB]
    assert "Ended 0 unpaid subscriptions." in runner.invoke(args=["payments", "end-lapsed"]).output

    def lapse(n):
        program = make_program(coach, status="published", name=f"Block {n}", price_minor=1000)
        ids = [add_subscription(app, program, f"c{n}-{i}@example.com", "active") for i in range(n)]
        with app.app_context():
            db.session.execute(update(Subscription).where(Subscription.id.in_(ids))
                               .values(payment="past_due", grace_ends_at=datetime(2020, 1, 1)))  # fmt: skip
            db.session.commit()

    counts = []
    for n in (1, 12):
        lapse(n)
        with app.app_context(), count_queries() as counter:
            assert len(end_lapsed()) == n
        counts.append(len(counter.statements))
    assert counts[0] == counts[1]


def test_a_failed_payment_followed_by_a_successful_retry_keeps_the_client(app, client, paying, time_machine):
    period_end = now_ts() + 30 * DAY
    assert post_event(client, event("invoice.payment_failed", failed_invoice(paying, period_end))).status_code == 200
    assert subscription_of(app).payment == "past_due"
    time_machine.move_to(datetime.now(UTC) + timedelta(days=2))
    assert post_event(client, event("invoice.paid", invoice(paying, period_end))).status_code == 200
    sub = subscription_of(app)
    assert (sub.payment, sub.payment_failed_at, sub.grace_ends_at, sub.next_payment_at) == ("paid", None, None, stamp(period_end))
    time_machine.move_to(datetime.now(UTC) + timedelta(days=20))
    assert "Payment failed" not in client.get("/my").get_data(as_text=True)
    assert subscription_of(app).status == "active"


def test_a_failed_payment_arriving_after_its_successful_retry_changes_nothing(app, client, paying):
    period_end = now_ts() + 30 * DAY
    failed = created_at(event("invoice.payment_failed", failed_invoice(paying, period_end)), now_ts() - 60)
    assert post_event(client, event("invoice.paid", invoice(paying, period_end))).status_code == 200
    assert post_event(client, failed).status_code == 200  # late
    sub = subscription_of(app)
    assert (sub.payment, sub.grace_ends_at) == ("paid", None)


def test_subscription_updates_apply_the_objects_own_state_once_and_never_an_older_one(app, client, stripe_stub, paying):
    now = now_ts()
    past_due = created_at(event("customer.subscription.updated", stripe_stub.subscription(SUB, status="past_due"), "evt_pd"), now)
    active = created_at(event("customer.subscription.updated", stripe_stub.subscription(SUB, period_end=now + 60 * DAY), "evt_ok"), now + 5)
    assert post_event(client, active).status_code == 200
    assert post_event(client, past_due).status_code == 200  # older, arriving late: ignored
    sub = subscription_of(app)
    assert (sub.payment, sub.next_payment_at) == ("paid", stamp(now + 60 * DAY))
    newer_past_due = created_at(event("customer.subscription.updated", stripe_stub.subscription(SUB, status="unpaid"), "evt_pd2"), now + 10)
    assert post_event(client, newer_past_due).status_code == 200
    assert post_event(client, newer_past_due).status_code == 200  # Stripe sends it twice
    assert subscription_of(app).payment == "past_due"
    assert count(app, StripeEvent) == 4  # checkout, active, late past_due, unpaid: each once


def test_the_coach_sets_the_grace_period_on_the_programs_price(app, logged_in, published_program):
    response = logged_in.post(f"/programs/{published_program}/edit", data=program_form(grace_days="61"))
    assert response.status_code == 400 and "Use a number of days from 0 to 60." in response.get_data(as_text=True)
    assert logged_in.post(f"/programs/{published_program}/edit", data=program_form(grace_days="14")).status_code == 302
    with app.app_context():
        assert db.session.get(Program, published_program).grace_days == 14


# --- cancellation --------------------------------------------------------------------------------


def test_a_client_cancels_at_the_period_end_and_leaves_when_it_ends(app, client, auth, stripe_stub, paying, published_program):
    period_end = now_ts() + 30 * DAY
    post_event(client, event("invoice.paid", invoice(paying, period_end)))
    sub = subscription_of(app)
    page = client.get(f"/my/payments/{sub.id}/cancel").get_data(as_text=True)
    day = stamp(period_end)
    assert "You keep access until the end of the period you paid for" in page and f"{day:%a} {day.day} {day:%b %Y}" in page
    response = client.post(f"/my/payments/{sub.id}/cancel", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"Ends on {day:%a} {day.day} {day:%b %Y}" in page and "Keep subscription" in page
    assert stripe_stub.updates == [(SUB, {"cancel_at_period_end": "true"})]
    # Stripe says so too (twice): nothing more changes; she keeps training until the end.
    updated = event("customer.subscription.updated", stripe_stub.subscription(SUB, cancel_at_period_end=True, period_end=period_end), "evt_cancel")
    assert post_event(client, updated).status_code == 200
    assert post_event(client, updated).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.cancel_at_period_end) == ("active", True)
    assert client.get(f"/my/programs/{sub.id}/calendar").status_code == 200
    # At the period end Stripe deletes it: she is a Past client, her calendar kept.
    deleted = event("customer.subscription.deleted", stripe_stub.subscription(SUB, status="canceled", cancel_at_period_end=True))
    assert post_event(client, deleted).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("ended", "cancelled")
    as_coach(client, auth)
    page = client.get(f"/programs/{published_program}/clients/past").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Cancelled" in page


def test_keep_subscription_undoes_a_cancellation(app, client, stripe_stub, paying):
    sub = subscription_of(app)
    client.post(f"/my/payments/{sub.id}/cancel")
    page = client.post(f"/my/payments/{sub.id}/keep", follow_redirects=True).get_data(as_text=True)
    assert "Your subscription renews as before." in page and "Cancel subscription" in page
    assert stripe_stub.updates == [(SUB, {"cancel_at_period_end": "true"}), (SUB, {"cancel_at_period_end": "false"})]
    assert subscription_of(app).cancel_at_period_end is False


def test_when_stripe_is_down_a_cancellation_says_so_and_changes_nothing(app, client, stripe_stub, paying):
    sub = subscription_of(app)
    stripe_stub.fail_next = True
    response = client.post(f"/my/payments/{sub.id}/cancel")
    assert response.status_code == 409 and "Stripe could not be reached, so nothing changed" in response.get_data(as_text=True)
    assert subscription_of(app).cancel_at_period_end is False


def test_a_deletion_before_the_cancellation_update_leaves_the_client_ended(app, client, stripe_stub, paying):
    now = now_ts()
    deleted = created_at(event("customer.subscription.deleted", stripe_stub.subscription(SUB, status="canceled")), now + 10)
    updated = created_at(event("customer.subscription.updated", stripe_stub.subscription(SUB, cancel_at_period_end=True)), now)
    assert post_event(client, deleted).status_code == 200
    assert post_event(client, updated).status_code == 200
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("ended", "cancelled")


def test_the_coach_cancels_now_with_a_refund_of_the_last_payment(app, client, auth, stripe_stub, paying, published_program):
    sub = subscription_of(app)
    as_coach(client, auth)
    assert "Cancel payment" in client.get(f"/programs/{published_program}/clients/active").get_data(as_text=True)
    url = f"/programs/{published_program}/clients/{sub.id}/cancel-payment"
    page = client.get(url).get_data(as_text=True)
    assert "At the end of the period they paid for" in page and "Refund their last payment" in page
    # A refund goes with Now only.
    response = client.post(url, data={"when": "period_end", "refund": "y"})
    assert response.status_code == 400 and "A refund goes with cancelling now" in response.get_data(as_text=True)
    assert stripe_stub.updates == [] and stripe_stub.refunds == []
    response = client.post(url, data={"when": "now", "refund": "y"}, follow_redirects=True)
    assert "payment is cancelled and refunded: they are now under Past clients" in response.get_data(as_text=True)
    assert stripe_stub.cancelled == [SUB]
    [refund] = stripe_stub.refunds
    assert refund["payment_intent"] == f"pi_test_in_test_{SUB}" and refund["metadata"]["fitr_subscription_id"] == str(sub.id)
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("ended", "cancelled")
    # The refund is in the coach's payments, beside the payment it gives back.
    refunded = one(app, Payment, kind="refund")
    assert (refunded.stripe_id, refunded.amount_minor, refunded.currency, refunded.subscription_id) == (
        "re_test_1", sub.price_minor, sub.currency, sub.id)
    csv = client.get(f"/programs/{published_program}/payments.csv").get_data(as_text=True)
    assert ",Refund," in csv and "re_test_1" in csv
    # Stripe's deletion follows: already applied.
    deleted = event("customer.subscription.deleted", stripe_stub.subscription(SUB, status="canceled"))
    assert post_event(client, deleted).status_code == 200
    assert subscription_of(app).status == "ended"


def test_a_forged_choice_on_cancel_payment_gets_a_message_and_changes_nothing(app, client, auth, stripe_stub, paying, published_program):
    sub = subscription_of(app)
    as_coach(client, auth)
    url = f"/programs/{published_program}/clients/{sub.id}/cancel-payment"
    for when in ("later", "", "now" * 10_000):
        response = client.post(url, data={"when": when})
        assert response.status_code == 400 and "Choose when the payment stops." in response.get_data(as_text=True)
    assert client.post(url, data={"when": "now\x00"}).status_code == 400  # control characters: refused before
    assert stripe_stub.updates == stripe_stub.cancelled == stripe_stub.refunds == []
    assert subscription_of(app).status == "active"


def test_the_coach_cancels_at_the_period_end(app, client, auth, stripe_stub, paying, published_program):
    sub = subscription_of(app)
    as_coach(client, auth)
    url = f"/programs/{published_program}/clients/{sub.id}/cancel-payment"
    client.post(url, data={"when": "period_end"})
    assert stripe_stub.updates == [(SUB, {"cancel_at_period_end": "true"})] and stripe_stub.cancelled == []
    sub = subscription_of(app)
    assert (sub.status, sub.cancel_at_period_end) == ("active", True)


def test_a_one_off_payment_is_cancelled_now_with_its_checkout_payment_refunded(app, client, auth, coach, stripe_stub, ada, make_program):  # noqa: F811
    from fitr.accounts.models import User
    from fitr.invites.invite_link import link_token, turn_on_link

    once = make_program(coach, status="published", name="Meet prep", price_minor=30000, billing_period="one_off")
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, once), db.session.get(User, coach)))
        db.session.commit()
    joined(client, token)
    post_event(client, stripe_stub.completed_event("cs_test_1"))
    sub = subscription_of(app)
    assert "Cancel subscription" not in client.get("/my/programs").get_data(as_text=True)  # nothing renews
    as_coach(client, auth)
    url = f"/programs/{once}/clients/{sub.id}/cancel-payment"
    assert "At the end of the period" not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"when": "period_end"})
    assert response.status_code == 400 and subscription_of(app).status == "active"
    client.post(url, data={"when": "now", "refund": "y"})
    assert [r["payment_intent"] for r in stripe_stub.refunds] == ["pi_test_cs_test_1"] and stripe_stub.cancelled == []
    assert subscription_of(app).status == "ended"


def test_cancelling_is_only_for_the_payer_and_their_coach(app, client, auth, stripe_stub, paying, published_program, other_coach):
    sub = subscription_of(app)
    auth.logout()
    make_user(app, "Zed", "zed@example.com", is_coach=False)
    auth.login("zed@example.com")
    for method, path in (("GET", f"/my/payments/{sub.id}/cancel"), ("POST", f"/my/payments/{sub.id}/cancel"),
                         ("POST", f"/my/payments/{sub.id}/keep"), ("POST", f"/my/payments/{sub.id}/portal"),
                         ("POST", "/my/payments/portal")):  # fmt: skip
        assert client.open(path, method=method).status_code == 404, path
    auth.logout()
    auth.login("olive@example.com")
    url = f"/programs/{published_program}/clients/{sub.id}/cancel-payment"
    assert client.get(url).status_code == 404 and client.post(url, data={"when": "now"}).status_code == 404
    assert stripe_stub.updates == stripe_stub.cancelled == stripe_stub.portals == []
    assert subscription_of(app).status == "active"


# --- the customer portal -------------------------------------------------------------------------


def test_settings_opens_the_customer_portal_for_a_client_who_pays_by_card(app, client, auth, stripe_stub, paying):
    page = client.get("/my/settings").get_data(as_text=True)
    assert "Manage payments and invoices" in page
    response = client.post("/my/payments/portal")
    assert response.status_code == 303 and response.headers["Location"] == f"{stripe_stub.url}/portal/1"
    assert stripe_stub.portals == [{"customer": "cus_test_1", "return_url": "http://localhost/my/settings"}]
    # Payment failed's Update card opens it too.
    sub = subscription_of(app)
    assert client.post(f"/my/payments/{sub.id}/portal").headers["Location"] == f"{stripe_stub.url}/portal/2"
    # Someone without a Stripe customer is never offered it.
    as_coach(client, auth)
    assert "Manage payments and invoices" not in client.get("/my/settings").get_data(as_text=True)
    assert client.post("/my/payments/portal").status_code == 404
    assert len(stripe_stub.portals) == 2


# --- the webhook's rate limit ----------------------------------------------------------------------


@pytest.mark.config(WEBHOOK_FAILURE_LIMIT="3 per minute")
def test_forged_signatures_are_rate_limited_but_signed_events_never(app, client, stripe_stub, paying, time_machine):
    forged = event("invoice.payment_failed", failed_invoice(paying, now_ts() + 30 * DAY))
    header = {"Stripe-Signature": sign(forged, secret="whsec_forged")}
    assert [client.post("/stripe/webhook", data=forged, headers=header).status_code for _ in range(4)] == [400, 400, 400, 429]
    # Correctly signed events still go through, many of them.
    for n in range(5):
        renews = now_ts() + (30 + n) * DAY
        assert post_event(client, event("invoice.paid", invoice(paying, renews))).status_code == 200
    assert subscription_of(app).payment == "paid"
    # Another address is not limited; this one is again once the window has passed.
    other = client.post("/stripe/webhook", data=forged, headers=header, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 400
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=2))
    assert client.post("/stripe/webhook", data=forged, headers=header).status_code == 400
    assert one(app, Subscription).payment == "paid"


def test_the_worker_ends_lapsed_subscriptions_every_few_minutes(app, client, stripe_stub, paying, time_machine):
    assert post_event(client, event("invoice.payment_failed", failed_invoice(paying, now_ts() + 30 * DAY))).status_code == 200
    jobs = app.extensions["outbox_tasks"]["jobs"]
    assert jobs.call_local()["end lapsed subscriptions"] == 0  # inside the grace period: nothing ends
    assert subscription_of(app).status == "active"
    time_machine.move_to(datetime.now(UTC) + timedelta(days=8))
    assert jobs.call_local()["end lapsed subscriptions"] == 1
    assert subscription_of(app).status == "ended" and stripe_stub.cancelled == [SUB]


def test_end_subscription_on_a_card_paying_client_cancels_the_card_payment_too(app, client, auth, stripe_stub, paying, published_program):
    sub = subscription_of(app)
    as_coach(client, auth)
    page = client.get(f"/subscriptions/{sub.id}/end").get_data(as_text=True)
    assert "also cancels their card payment now, without a refund" in page and "Cancel payment" in page
    response = client.post(f"/subscriptions/{sub.id}/end", follow_redirects=True)
    assert "is now under Past clients" in response.get_data(as_text=True)
    assert stripe_stub.cancelled == [SUB] and stripe_stub.refunds == []
    sub = subscription_of(app)
    assert (sub.status, sub.payment) == ("ended", "cancelled")


def test_deleting_an_account_cancels_its_card_payment_first(app, client, stripe_stub, paying):
    page = client.get("/my/settings/delete").get_data(as_text=True)
    assert "Your card payment for" in page and "is cancelled in Stripe when you delete your account" in page
    response = client.post("/my/settings/delete", data={"password": "correct horse battery"})
    assert response.status_code == 302
    assert stripe_stub.cancelled == [SUB] and stripe_stub.refunds == []
    with app.app_context():
        sub = one(app, Subscription, client_name="Deleted client")
        assert (sub.status, sub.payment, sub.client_id) == ("ended", "cancelled", None)
    assert count(app, Subscription, client_email="ada@example.com") == 0
