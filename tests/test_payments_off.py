"""Without Stripe keys paid programs work as before: clients join without paying, the program
page says card payments are off, and the coach marks each client Paid outside fitr or
Complimentary."""

from factories import add_subscription, count, element, one

from fitr.payments.models import StripeEvent
from fitr.subscriptions.models import Subscription


def test_the_program_page_says_card_payments_are_off(logged_in, published_program):
    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    line = element(page, "p", class_="hint card-payments-off").text
    assert line.startswith("Card payments are off on this server, so clients join without paying")
    assert "ask the person who hosts fitr to follow “Take payments” in fitr’s README" in line
    assert "STRIPE_" not in page


def test_a_free_program_says_nothing_about_card_payments(logged_in, group_program):
    assert "Card payments are off" not in logged_in.get(f"/programs/{group_program}").get_data(as_text=True)


def test_the_coach_marks_a_client_paid_outside_fitr_then_complimentary(app, logged_in, published_program, today):
    sub = add_subscription(app, published_program, "ada@example.com", "active", start_date=today)
    path = f"/programs/{published_program}/clients/{sub}/payment"
    response = logged_in.post(path, data={"payment": "outside"}, follow_redirects=True)
    assert "Paid outside fitr" in response.get_data(as_text=True)
    marked = one(app, Subscription, id=sub)
    assert (marked.payment, marked.price_minor, marked.billing_period) == ("outside", 9900, "monthly")
    logged_in.post(path, data={"payment": "complimentary"})
    assert one(app, Subscription, id=sub).payment == "complimentary"
    page = logged_in.get(f"/programs/{published_program}/clients/active").get_data(as_text=True)
    assert "Complimentary" in page


def test_a_mark_that_is_not_an_option_is_refused(app, logged_in, published_program, today):
    sub = add_subscription(app, published_program, "ada@example.com", "active", start_date=today)
    for bad in ("paid", "x" * 5000):
        response = logged_in.post(f"/programs/{published_program}/clients/{sub}/payment", data={"payment": bad})
        assert response.status_code == 400 and "Choose one of the options." in response.get_data(as_text=True)
    assert logged_in.post(f"/programs/{published_program}/clients/{sub}/payment", data={"payment": "outside\x00"}).status_code == 400
    assert one(app, Subscription, id=sub).payment == ""


def test_another_coachs_client_cannot_be_marked(app, auth, coach, other_coach, published_program, today):
    sub = add_subscription(app, published_program, "ada@example.com", "active", start_date=today)
    auth.login("olive@example.com")
    response = auth.client.post(f"/programs/{published_program}/clients/{sub}/payment", data={"payment": "outside"})
    assert response.status_code == 404
    assert one(app, Subscription, id=sub).payment == ""


def test_the_webhook_refuses_everything_without_a_webhook_secret(client):
    response = client.post("/stripe/webhook", data='{"id": "evt_1", "type": "invoice.paid"}',
                           headers={"Stripe-Signature": "t=1,v1=00"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert count(client.application, StripeEvent) == 0
