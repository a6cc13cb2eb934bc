"""Move to the current price: a client keeps the price they were sold at until their coach
moves them to the program's new one. A card subscription is changed in Stripe (the stand-in of
tests/stripe_stub.py checks the exact request); anyone else simply holds the new price."""

from datetime import UTC, datetime

import pytest
from factories import add_subscription, elements
from stripe_stub import event
from test_payments import ada, invoice, join_token, joined, post_event, subscription_of  # noqa: F401 (fixtures)
from test_payments_billing import SUB, as_coach, paying  # noqa: F401 (fixtures)

from fitr.cards.ledger import Payment
from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import OUTSIDE, Subscription

LINK = "Move to the current price for Ada Lovelace"


def reprice(app, program_id, price_minor, period="monthly"):
    """The coach's new price for the program (it applies to new subscribers)."""
    with app.app_context():
        program = db.session.get(Program, program_id)
        program.price_minor, program.billing_period = price_minor, period
        db.session.commit()


def row_links(client, program_id):
    return client.get(f"/programs/{program_id}/clients/active").get_data(as_text=True)


def offers_move(page):
    """The row's link, found by its accessible name (the client's name is for screen readers)."""
    return bool(elements(page, "a", text=LINK))


def sold(app, email="ada@example.com"):
    sub = subscription_of(app, email)
    return sub.price_minor, sub.currency, sub.billing_period


def test_a_card_client_is_moved_to_the_current_price_from_their_next_payment(app, client, auth, stripe_stub, paying, published_program):  # noqa: F811
    sub = subscription_of(app)
    reprice(app, published_program, 12000)
    as_coach(client, auth)
    page = row_links(client, published_program)
    assert "Sold at £99.00 / month" in page and offers_move(page)
    url = f"/programs/{published_program}/clients/{sub.id}/price"
    confirm = client.get(url).get_data(as_text=True)
    assert "£99.00 / month" in confirm and "Its price is now <strong>£120.00 / month</strong>" in confirm
    assert "From their next payment" in confirm and "they are charged £120.00 / month" in confirm
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Ada Lovelace is moved to £120.00 / month: Stripe charges it from their next payment." in page
    assert "Sold at" not in page and not offers_move(page)
    assert stripe_stub.updates == [(SUB, {
        "items": [{"id": f"si_{SUB}", "price_data": {"currency": "gbp", "unit_amount": "12000", "product": f"prod_{SUB}",
                                                   "recurring": {"interval": "month"}}}],
        "proration_behavior": "none"})]  # fmt: skip
    assert stripe_stub.price(SUB)["unit_amount"] == 12000
    assert sold(app) == (12000, "GBP", "monthly")
    # Stripe charges the new price at the next renewal: fitr takes the invoice as before.
    renews = int(datetime.now(UTC).timestamp()) + 30 * 86400
    assert post_event(client, event("invoice.paid", invoice(paying, renews, amount_paid=12000))).status_code == 200
    assert subscription_of(app).next_payment_at == datetime.fromtimestamp(renews, UTC).replace(tzinfo=None)
    with app.app_context():
        assert [p.amount_minor for p in db.session.query(Payment).order_by(Payment.id)][-1] == 12000


def test_a_new_billing_period_is_sent_to_stripe_and_said_on_the_page(app, client, auth, stripe_stub, paying, published_program):  # noqa: F811
    sub = subscription_of(app)
    reprice(app, published_program, 99000, "yearly")
    as_coach(client, auth)
    url = f"/programs/{published_program}/clients/{sub.id}/price"
    assert "Stripe starts a new period today" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 302
    [(_, params)] = stripe_stub.updates
    assert params["items"][0]["price_data"]["recurring"] == {"interval": "year"}
    assert sold(app) == (99000, "GBP", "yearly")


def test_a_client_marked_paid_outside_fitr_simply_holds_the_new_price(app, client, auth, coach, stripe_stub, published_program):
    sub_id = add_subscription(app, published_program, "ada@example.com", "active", name="Ada Lovelace")
    with app.app_context():
        sub = db.session.get(Subscription, sub_id)
        sub.payment, sub.price_minor, sub.currency, sub.billing_period = OUTSIDE, 9900, "GBP", "monthly"
        db.session.commit()
    reprice(app, published_program, 12000)
    auth.login()
    assert offers_move(row_links(client, published_program))
    url = f"/programs/{published_program}/clients/{sub_id}/price"
    assert "fitr takes no card payment from them (Paid outside fitr)" in client.get(url).get_data(as_text=True)
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Ada Lovelace is moved to £120.00 / month." in page and not offers_move(page)
    assert sold(app) == (12000, "GBP", "monthly") and subscription_of(app).payment == OUTSIDE
    assert stripe_stub.requests == []


def test_a_one_off_card_payment_is_not_moved(app, client, auth, coach, stripe_stub, ada, make_program):  # noqa: F811
    from fitr.accounts.models import User
    from fitr.invites.invite_link import link_token, turn_on_link

    once = make_program(coach, status="published", name="Meet prep", price_minor=30000, currency="GBP", billing_period="one_off")
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, once), db.session.get(User, coach)))
        db.session.commit()
    joined(client, token)
    post_event(client, stripe_stub.completed_event("cs_test_1"))
    reprice(app, once, 35000, "one_off")
    as_coach(client, auth)
    page = row_links(client, once)
    assert "Sold at £300.00 one-off" in page and not offers_move(page)
    url = f"/programs/{once}/clients/{subscription_of(app).id}/price"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 409
        assert "paid once by card at the price they were sold at: there is nothing to change" in response.get_data(as_text=True)
    assert sold(app) == (30000, "GBP", "one_off")
    assert [path for method, path, _ in stripe_stub.requests if path.startswith("/v1/subscriptions")] == []


@pytest.mark.parametrize("trouble", ["down", "refusing"])
def test_when_stripe_fails_nothing_changes(app, client, auth, stripe_stub, paying, published_program, trouble):  # noqa: F811
    sub = subscription_of(app)
    reprice(app, published_program, 12000)
    as_coach(client, auth)
    url = f"/programs/{published_program}/clients/{sub.id}/price"
    if trouble == "down":
        stripe_stub.fail_next = True
    else:  # Stripe no longer knows the subscription: it answers 404
        stripe_stub.checkouts.clear()
    response = client.post(url)
    assert response.status_code == 503
    assert "Stripe could not be reached, so nothing changed" in response.get_data(as_text=True)
    assert stripe_stub.updates == [] and sold(app) == (9900, "GBP", "monthly")


def test_only_the_programs_coach_moves_a_client(app, client, auth, stripe_stub, paying, published_program, other_coach):  # noqa: F811
    sub = subscription_of(app)
    reprice(app, published_program, 12000)
    url = f"/programs/{published_program}/clients/{sub.id}/price"
    # Ada herself (logged in by the fixture), another coach, a stranger: it does not exist for them.
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    auth.logout()
    auth.login("olive@example.com")
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    auth.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert client.post(url).status_code == 302
    assert stripe_stub.updates == [] and sold(app) == (9900, "GBP", "monthly")


def test_a_client_at_the_current_price_has_nothing_to_move(app, client, auth, stripe_stub, paying, published_program):  # noqa: F811
    sub = subscription_of(app)
    as_coach(client, auth)
    assert "Sold at" not in row_links(client, published_program)
    response = client.post(f"/programs/{published_program}/clients/{sub.id}/price")
    assert response.status_code == 409 and "already pays the program&#39;s current price" in response.get_data(as_text=True)
    assert not any(path.startswith("/v1/subscriptions") for _, path, _ in stripe_stub.requests)
