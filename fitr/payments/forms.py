"""The coach's Cancel payment form."""

from wtforms import BooleanField, RadioField

from fitr.forms import AppForm, choices
from fitr.payments.billing import NOW, PERIOD_END

CHOICE = "Choose when the payment stops."


class CancelPaymentForm(AppForm):
    when = RadioField("When", choices=choices([(PERIOD_END, "At the end of the period they paid for"), (NOW, "Now")]),
                      default=PERIOD_END, validate_choice=True)  # fmt: skip
    refund = BooleanField("Refund their last payment")

    def __init__(self, *args, recurring=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not recurring:  # a one-off payment has no period: it ends now
            self.when.choices = choices([(NOW, "Now")])
            self.when.default = NOW
            if not self.is_submitted():
                self.when.data = NOW

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.when.errors:
            self.when.errors[:] = [CHOICE]
        return valid
