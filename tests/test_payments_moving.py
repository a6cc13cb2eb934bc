"""Move to program for a client who pays: the coach picks what happens to their card payment
(Cancel their card payment: Stripe cancels it now; Keep it going: it carries on at the price
they pay and Stripe's later events come to the new subscription); a mark carries over."""

from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from factories import add_subscription, count, element, make_user, one, rows
from stripe_stub import SECRET_KEY, StripeStub, event, nested, sign

from fitr.cards.ledger import Payment
from fitr.cards.stripe_api import metadata
from fitr.extensions import db
from fitr.subscriptions.models import Subscription

RENEWS = datetime(2026, 12, 10, 12, 0)


class SubscriptionsStub(StripeStub):
    """The stand-in, with Stripe's subscription update (metadata only, naming a fitr
    subscription of this deployment) and cancel."""

    def __init__(self):
        super().__init__()
        self.updated, self.cancelled = {}, []
        self.server.RequestHandlerClass.do_DELETE = lambda handler: self.handle(handler, "DELETE")

    def handle(self, request, method):
        path = urlsplit(request.path).path
        if not path.startswith("/v1/subscriptions/"):
            return super().handle(request, method)
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0)).decode()
        self.requests.append((method, path, dict(request.headers)))
        if request.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
            return self.json(request, 401, {"error": {"type": "invalid_request_error", "message": "bad key"}})
        if self.fail_next:
            self.fail_next = False
            return self.json(request, 500, {"error": {"type": "api_error", "message": "down"}})
        stripe_id = path.rsplit("/", 1)[1]
        if method == "DELETE" and not body:
            self.cancelled.append(stripe_id)
            return self.json(request, 200, {"id": stripe_id, "object": "subscription", "status": "canceled"})
        params = nested(parse_qsl(body, keep_blank_values=True))
        meta = params.get("metadata") or {}
        if method != "POST" or set(params) != {"metadata"} or not meta.get("fitr_subscription_id", "").isdigit() or not meta.get("fitr_deployment"):
            return self.json(request, 400, {"error": {"type": "invalid_request_error", "message": f"unexpected {params}"}})
        self.updated[stripe_id] = params
        return self.json(request, 200, {"id": stripe_id, "object": "subscription", "status": "active", "metadata": meta})


@pytest.fixture
def stripe_stub():
    stub = SubscriptionsStub().start()
    yield stub
    stub.stop()


@pytest.fixture
def ada_paying(app, published_program, today):
    """Ada pays £99 a month by card for the published program (as Checkout and Stripe's events left her)."""
    ada = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    subscription = add_subscription(app, published_program, "ada@example.com", "active", client_id=ada, start_date=today)
    mark(app, subscription, payment="paid", price_minor=9900, currency="GBP", billing_period="monthly", next_payment_at=RENEWS,
         stripe_customer_id="cus_ada", stripe_subscription_id="sub_ada")  # fmt: skip
    return subscription


def mark(app, subscription_id, **values):
    with app.app_context():
        s = db.session.get(Subscription, subscription_id)
        for name, value in values.items():
            setattr(s, name, value)
        db.session.commit()


@pytest.fixture
def target(make_program, coach):
    return make_program(coach, status="published", name="Hypertrophy", price_minor=12000, currency="GBP", billing_period="monthly")


def move(client, program_id, subscription_id, target, today, **extra):
    return client.post(f"/programs/{program_id}/clients/{subscription_id}/move",
                       data={"program": str(target), "start_date": today.isoformat(), **extra})  # fmt: skip


def post_event(client, payload):
    return client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload)}, content_type="application/json")


def test_the_move_form_asks_what_happens_to_a_card_payment(app, logged_in, stripe_stub, published_program, ada_paying, target):
    page = logged_in.get(f"/programs/{published_program}/clients/{ada_paying}/move").get_data(as_text=True)
    assert element(page, "legend", "Their card payment") is not None
    assert element(page, "input", type="radio", name="payment", value="cancel") is not None
    assert "Cancel their card payment" in page and "Keep it going" in page
    assert "they carry on paying £99.00 / month by card, now for the program you pick" in page


def test_keep_it_going_moves_the_card_subscription_to_the_new_program(app, logged_in, stripe_stub, published_program, ada_paying, target, today):
    response = move(logged_in, published_program, ada_paying, target, today, payment="keep")
    assert response.status_code == 302
    old, new = one(app, Subscription, id=ada_paying), one(app, Subscription, program_id=target)
    assert (old.status, old.stripe_subscription_id) == ("ended", None)
    assert (new.status, new.payment, new.stripe_subscription_id, new.stripe_customer_id) == ("active", "paid", "sub_ada", "cus_ada")
    assert (new.price_minor, new.currency, new.billing_period, new.next_payment_at) == (9900, "GBP", "monthly", RENEWS)
    assert stripe_stub.updated["sub_ada"]["metadata"]["fitr_subscription_id"] == str(new.id)
    assert stripe_stub.cancelled == []
    assert "Their card payment carries on" in logged_in.get(response.headers["Location"]).get_data(as_text=True)
    # Stripe's next invoice names the new subscription: the renewal is the new program's.
    renewal = {"id": "in_next", "object": "invoice", "customer": "cus_ada", "amount_paid": 9900, "currency": "gbp",
               "parent": {"subscription_details": {"subscription": "sub_ada", "metadata": stripe_stub.updated["sub_ada"]["metadata"]}},
               "lines": {"data": [{"period": {"start": 1_797_000_000, "end": 1_799_592_000}}]}}  # fmt: skip
    assert post_event(logged_in, event("invoice.paid", renewal)).status_code == 200
    [payment] = rows(app, Payment)
    assert (payment.subscription_id, payment.program_name) == (new.id, "Hypertrophy")
    assert one(app, Subscription, id=new.id).next_payment_at > RENEWS


def test_cancel_their_card_payment_cancels_it_in_stripe_now(app, logged_in, stripe_stub, published_program, ada_paying, target, today):
    response = move(logged_in, published_program, ada_paying, target, today, payment="cancel")
    assert response.status_code == 302
    assert stripe_stub.cancelled == ["sub_ada"] and stripe_stub.updated == {}
    old, new = one(app, Subscription, id=ada_paying), one(app, Subscription, program_id=target)
    assert (old.status, old.payment) == ("ended", "cancelled")
    assert (new.status, new.payment, new.stripe_subscription_id) == ("active", "", None)
    # Stripe's event about the cancelled subscription leaves the new one alone.
    gone = {"id": "sub_ada", "object": "subscription", "status": "canceled", "metadata": metadata_of(app, old.id)}
    assert post_event(logged_in, event("customer.subscription.deleted", gone)).status_code == 200
    assert one(app, Subscription, id=new.id).status == "active"
    page = logged_in.get(f"/programs/{target}/clients/active").get_data(as_text=True)
    assert "Payment not marked" in page  # the coach marks the new one, or the client is invited to pay


def metadata_of(app, subscription_id):
    """The metadata fitr put on the subscription's Checkout (and so on its Stripe subscription)."""
    with app.test_request_context():
        return metadata(db.session.get(Subscription, subscription_id))


def test_a_card_payer_is_not_moved_without_a_choice(app, logged_in, stripe_stub, published_program, ada_paying, target, today):
    response = move(logged_in, published_program, ada_paying, target, today)
    assert response.status_code == 400
    assert "Choose what happens to their card payment." in response.get_data(as_text=True)
    assert count(app, Subscription) == 1 and one(app, Subscription).status == "active"
    assert stripe_stub.requests == []


def test_when_stripe_is_down_nothing_moves(app, logged_in, stripe_stub, published_program, ada_paying, target, today):
    stripe_stub.fail_next = True
    response = move(logged_in, published_program, ada_paying, target, today, payment="cancel")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Stripe could not be reached, so the client was not moved." in page
    assert element(page, "h1", "Move to program") is not None
    s = one(app, Subscription)
    assert (count(app, Subscription), s.status, s.payment, s.stripe_subscription_id) == (1, "active", "paid", "sub_ada")


@pytest.mark.parametrize("payment", ["outside", "complimentary"])
def test_a_mark_carries_over(app, logged_in, stripe_stub, published_program, target, today, payment):
    ada = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    subscription = add_subscription(app, published_program, "ada@example.com", "active", client_id=ada, start_date=today - timedelta(days=3))
    mark(app, subscription, payment=payment, price_minor=9900, currency="GBP", billing_period="monthly")
    page = logged_in.get(f"/programs/{published_program}/clients/{subscription}/move").get_data(as_text=True)
    assert "the mark carries over to the new program" in page and "Their card payment" not in page
    assert move(logged_in, published_program, subscription, target, today).status_code == 302
    new = one(app, Subscription, program_id=target)
    assert (new.payment, new.price_minor) == (payment, 9900)
    assert stripe_stub.requests == []


def test_a_one_off_payment_stays_with_the_old_program(app, logged_in, stripe_stub, published_program, target, today):
    ada = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    subscription = add_subscription(app, published_program, "ada@example.com", "active", client_id=ada, start_date=today)
    mark(app, subscription, payment="paid", price_minor=30000, currency="GBP", billing_period="one_off", stripe_customer_id="cus_ada")
    page = logged_in.get(f"/programs/{published_program}/clients/{subscription}/move").get_data(as_text=True)
    assert "Ada Lovelace paid £300.00 one-off for Powerlifting 1-2-1: nothing more is charged" in page
    assert "Their card payment" not in page
    assert move(logged_in, published_program, subscription, target, today).status_code == 302
    assert one(app, Subscription, program_id=target).payment == "" and stripe_stub.requests == []
