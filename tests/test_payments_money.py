"""The coach sees money: each client's plan, payment status in words and next payment; each
program's paying clients and monthly recurring revenue; a CSV of their payments. A coach sees
only their own clients' payments, a client none."""

import csv
import io
import re
from datetime import datetime

import pytest
from factories import add_subscription, element, elements, make_user

from fitr.accounts.models import User
from fitr.cards import ledger
from fitr.extensions import db
from fitr.lifecycle import rules as subscription_rules
from fitr.payments.status import money_status
from fitr.subscriptions.models import Subscription

RENEWS = datetime(2026, 12, 10, 12, 0)


def sell(app, subscription_id, payment, price=9900, currency="GBP", period="monthly", next_at=None):
    """The subscription sold at this price and paid this way (as Checkout and Stripe's events leave it)."""
    with app.app_context():
        s = db.session.get(Subscription, subscription_id)
        s.payment, s.price_minor, s.currency, s.billing_period, s.next_payment_at = payment, price, currency, period, next_at
        db.session.commit()


def client_in(app, program, name, payment, email=None, **price):
    email = email or name.lower().replace(" ", ".") + "@example.com"
    user = make_user(app, name, email, is_coach=False)
    subscription = add_subscription(app, program, email, "active", client_id=user)
    sell(app, subscription, payment, **price)
    return subscription


def paid(app, subscription_id, stripe_id, amount=9900, currency="GBP", at=RENEWS, kind=ledger.PAYMENT):
    with app.app_context():
        ledger.record(db.session.get(Subscription, subscription_id), stripe_id, amount, currency, kind=kind, paid_at=at)
        db.session.commit()


def many_paying(app, program, n, first=0):
    """`n` more clients paying £99 a month by card, each with one payment in the ledger."""
    with app.app_context():
        users = [User(name=f"Bulk {i}", email=f"bulk{i}@example.com", password_hash="x", is_coach=False)
                 for i in range(first, first + n)]  # fmt: skip
        db.session.add_all(users)
        db.session.flush()
        for user in users:
            s = subscription_rules.add_pending(program, user.email)
            subscription_rules.activate(s, user, None)
            s.payment, s.price_minor, s.currency, s.billing_period, s.next_payment_at = "paid", 9900, "GBP", "monthly", RENEWS
            ledger.record(s, f"in_bulk_{user.id}", 9900, "GBP", paid_at=RENEWS)
        db.session.commit()


def facts_of(html):
    """{term: its words} of the <dl> facts in `html`."""
    terms = [" ".join(dt.text.split()) for dt in elements(html, "dt")]
    return dict(zip(terms, (" ".join(dd.text.split()) for dd in elements(html, "dd")), strict=True))


def row_text(page, name):
    """The words of the client row of `name`, spaces squeezed."""
    row = element(page, "li", re.compile(rf"\s*{re.escape(name)}\b.*", re.S), class_="client-row")
    return " ".join(row.text.split())


def test_each_client_shows_plan_status_and_next_payment(app, logged_in, published_program):
    ada = client_in(app, published_program, "Ada Card", "paid", next_at=RENEWS)
    client_in(app, published_program, "Tess Trial", "trialing", next_at=RENEWS)
    client_in(app, published_program, "Otto Outside", "outside")
    client_in(app, published_program, "Cleo Comp", "complimentary")
    client_in(app, published_program, "Olga Once", "paid", price=30000, period="one_off")
    page = logged_in.get(f"/programs/{published_program}/clients/active").get_data(as_text=True)
    text = {name: row_text(page, name) for name in ("Ada Card", "Tess Trial", "Otto Outside", "Cleo Comp", "Olga Once")}
    assert "Plan: £99.00 / month · Active · Next payment Thu 10 Dec 2026, £99.00" in text["Ada Card"]
    assert "Plan: £99.00 / month · Trialing · Next payment Thu 10 Dec 2026, £99.00" in text["Tess Trial"]
    assert "Plan: £99.00 / month · Paid outside fitr" in text["Otto Outside"] and "Next payment" not in text["Otto Outside"]
    assert "Plan: £99.00 / month · Complimentary" in text["Cleo Comp"]
    assert "Plan: £300.00 one-off · Paid" in text["Olga Once"] and "Next payment" not in text["Olga Once"]
    overview = logged_in.get(f"/programs/{published_program}/clients/{ada}/overview").get_data(as_text=True)
    assert facts_of(element(overview, "section", None, class_="card money-card").html) == {
        "Plan": "£99.00 / month", "Status": "Active", "Next payment": "Thu 10 Dec 2026, £99.00"}  # fmt: skip


def test_status_in_words():
    def said(payment, period="monthly"):
        return money_status(Subscription(payment=payment, billing_period=period))

    assert [said(p) for p in ("paid", "trialing", "past_due", "cancelled", "awaiting", "outside", "complimentary", "")] == [
        "Active", "Trialing", "Payment failed", "Cancelled", "Awaiting payment", "Paid outside fitr", "Complimentary", ""]  # fmt: skip
    assert said("paid", "one_off") == "Paid"


def test_the_program_shows_paying_clients_and_monthly_recurring_revenue(app, logged_in, coach, published_program, make_program):
    client_in(app, published_program, "Ada Month", "paid")  # £99.00
    client_in(app, published_program, "Wes Week", "paid", price=1000, period="weekly")  # £10 × 52 / 12 = £43.33
    client_in(app, published_program, "Yan Year", "paid", price=120000, period="yearly")  # £100.00
    client_in(app, published_program, "Pat Failed", "past_due")  # £99.00, its card retried
    client_in(app, published_program, "Otto Outside", "outside", price=5000)  # £50.00
    client_in(app, published_program, "Uma Dollar", "paid", price=4500, currency="USD")  # $45.00
    client_in(app, published_program, "Olga Once", "paid", price=30000, period="one_off")  # paying, not recurring
    client_in(app, published_program, "Tess Trial", "trialing")
    client_in(app, published_program, "Cleo Comp", "complimentary")
    gone = client_in(app, published_program, "Ed Ended", "paid")
    with app.app_context():
        subscription_rules.end(db.session.get(Subscription, gone))
        db.session.commit()
    other = make_program(coach, status="published", name="Other", price_minor=9900, currency="GBP")
    client_in(app, other, "Nell Elsewhere", "paid")
    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    facts = facts_of(page)
    assert facts["Paying clients"] == "7"
    assert facts["Monthly recurring revenue"].startswith("£391.33 + $45.00 ")  # 99 + 43.33 + 100 + 99 + 50


def test_a_free_program_shows_no_money(app, logged_in, coach, make_program):
    free = make_program(coach, status="published", name="Free block")
    page = logged_in.get(f"/programs/{free}").get_data(as_text=True)
    assert "Monthly recurring revenue" not in page and "Download payments" not in page


def test_the_program_page_runs_the_same_queries_for_few_and_many_paying_clients(app, logged_in, published_program, count_queries):
    def measure():
        numbers = []
        for path in (f"/programs/{published_program}", f"/programs/{published_program}/clients/active",
                     "/payments.csv", f"/programs/{published_program}/payments.csv"):  # fmt: skip
            with count_queries() as counter:
                assert logged_in.get(path).status_code == 200
            numbers.append(counter.count)
        return numbers

    many_paying(app, published_program, 2)
    few = measure()
    many_paying(app, published_program, 40, first=2)
    assert measure() == few


def read_csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_coach_downloads_their_payments_as_csv(app, logged_in, coach, published_program, make_program):
    ada = client_in(app, published_program, "Ada Lovelace", "paid")
    evil = client_in(app, published_program, "=HYPERLINK(\"http://x\")", "paid", email="eve@example.com")
    paid(app, ada, "in_1", at=datetime(2026, 11, 10, 9, 0))
    paid(app, ada, "re_1", kind=ledger.REFUND, at=datetime(2026, 11, 12, 9, 0))
    paid(app, evil, "in_2", amount=120000, at=datetime(2026, 11, 11, 9, 0))
    other = make_program(coach, status="published", name="Meet prep", price_minor=30000, currency="JPY", billing_period="one_off")
    once = client_in(app, other, "Ben Once", "paid", price=30000, currency="JPY", period="one_off")
    paid(app, once, "cs_1", amount=30000, currency="JPY", at=datetime(2026, 11, 9, 9, 0))

    response = logged_in.get("/payments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="fitr-payments.csv"'
    assert response.headers["Cache-Control"] == "no-store"  # clients' names and money: no cache keeps a copy
    assert read_csv(response) == [
        ["Date", "Client", "Program", "Kind", "Amount", "Currency", "Stripe id"],
        ["2026-11-12", "Ada Lovelace", "Powerlifting 1-2-1", "Refund", "99.00", "GBP", "re_1"],
        ["2026-11-11", "'=HYPERLINK(\"http://x\")", "Powerlifting 1-2-1", "Payment", "1200.00", "GBP", "in_2"],
        ["2026-11-10", "Ada Lovelace", "Powerlifting 1-2-1", "Payment", "99.00", "GBP", "in_1"],
        ["2026-11-09", "Ben Once", "Meet prep", "Payment", "30000", "JPY", "cs_1"],
    ]
    response = logged_in.get(f"/programs/{other}/payments.csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="fitr-payments-program-{other}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert [row[1] for row in read_csv(response)] == ["Client", "Ben Once"]


@pytest.mark.parametrize("cell_text", ["+1", "-1", "@SUM(A1)", "\tx"])
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(cell_text):
    from fitr.payments.payments_csv import cell

    assert cell(cell_text) == "'" + cell_text


def test_no_one_else_sees_a_coachs_payments(app, client, auth, coach, other_coach, published_program):
    ada = client_in(app, published_program, "Ada Lovelace", "paid")
    paid(app, ada, "in_1")
    assert client.get("/payments.csv").status_code == 302  # logged out: Log in
    assert client.get(f"/programs/{published_program}/payments.csv").status_code == 302
    auth.login("olive@example.com")
    assert read_csv(client.get("/payments.csv")) == [["Date", "Client", "Program", "Kind", "Amount", "Currency", "Stripe id"]]
    assert client.get(f"/programs/{published_program}/payments.csv").status_code == 404
    auth.logout()
    auth.login("ada.lovelace@example.com")  # the client who paid: not her coach's ledger
    assert len(read_csv(client.get("/payments.csv"))) == 1
    assert client.get(f"/programs/{published_program}/payments.csv").status_code == 404

