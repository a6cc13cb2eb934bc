"""A program's billing period defaults to its type's: one-off for Fixed Length (sold once, for
its length), monthly for 1-2-1, Group and Session 1 Day 1, when the coach does not pick one."""

import pytest
from factories import one, program_form

from fitr.extensions import db
from fitr.programs.models import Program
from fitr.programs.rules import create_program


@pytest.mark.parametrize(("program_type", "period"), [("fixed", "one_off"), ("1-2-1", "monthly"), ("group", "monthly"),
                                                      ("self_paced", "monthly")])  # fmt: skip
def test_create_program_without_a_billing_period_takes_the_types_default(app, logged_in, program_type, period):
    response = logged_in.post("/programs/new", data=program_form(type=program_type, billing_period=None))
    assert response.status_code == 302
    assert one(app, Program).billing_period == period


def test_a_billing_period_the_coach_picked_is_kept_whatever_the_type(app, logged_in):
    assert logged_in.post("/programs/new", data=program_form(type="fixed", billing_period="weekly")).status_code == 302
    assert one(app, Program).billing_period == "weekly"


def test_the_rule_defaults_the_same_way(app, coach):
    with app.app_context():
        fixed = create_program(coach, name="8 weeks", type="fixed", price_minor=20000)
        monthly = create_program(coach, name="Coaching", price_minor=9900)
        yearly = create_program(coach, name="Year", type="fixed", price_minor=9900, billing_period="yearly")
        db.session.commit()
        assert (fixed.billing_period, monthly.billing_period, yearly.billing_period) == ("one_off", "monthly", "yearly")
