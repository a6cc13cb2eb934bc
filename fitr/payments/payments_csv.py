"""Download payments: a coach's payments (all, or one program's), newest first, as a CSV file,
each a fixed number of queries whatever the number of payments."""

import csv
import io

from flask_login import current_user, login_required
from sqlalchemy import select

from fitr.cards.ledger import Payment
from fitr.clock import local
from fitr.extensions import db
from fitr.payments import bp
from fitr.programs.access import owned_program
from fitr.programs.prices import to_major_text
from fitr.web import attachment

HEADER = ("Date", "Client", "Program", "Kind", "Amount", "Currency", "Stripe id")


def cell(value):
    """A cell a spreadsheet shows as text: one starting like a formula (= + - @, or a tab or
    carriage return) gets a leading apostrophe (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payments_csv(coach, program_id=None):
    """The coach's payments (one program's, with `program_id`), newest first, as CSV text."""
    query = select(Payment).where(Payment.coach_id == coach.id).order_by(Payment.paid_at.desc(), Payment.id.desc())
    if program_id is not None:
        query = query.where(Payment.program_id == program_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for p in db.session.scalars(query):
        writer.writerow([cell(v) for v in (local(p.paid_at, coach).date().isoformat(), p.client_name, p.program_name,
                                           p.kind_label, to_major_text(p.amount_minor, p.currency), p.currency, p.stripe_id)])  # fmt: skip
    return out.getvalue()


@bp.route("/payments.csv")
@login_required
def all_payments_csv():
    """Download payments: every payment of my clients, across my programs, as a CSV file."""
    return attachment(payments_csv(current_user), "fitr-payments.csv", "text/csv")


@bp.route("/programs/<int:program_id>/payments.csv")
@login_required
def program_payments_csv(program_id):
    """Download payments of one of my programs, as a CSV file."""
    program = owned_program(program_id)
    return attachment(payments_csv(current_user, program.id), f"fitr-payments-program-{program.id}.csv", "text/csv")
