"""The coach's forms about one client."""

from wtforms import DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from fitr.forms import DECIMAL, AppForm, choices, number
from fitr.lifecycle.paying import CHOICES as PAYMENT_CHOICES
from fitr.maxes.loads import ONE_RM
from fitr.maxes.models import MAX_KINDS
from fitr.units import UNITS


class MoveForm(AppForm):
    """Move to program: another published program and a start date."""

    program = SelectField("Program", coerce=str, validate_choice=False, validators=[InputRequired("Choose a program.")])
    start_date = DateField("Start date", validators=[InputRequired("Choose a start date.")])
    payment = RadioField("Their card payment", choices=choices(PAYMENT_CHOICES), validate_choice=False)  # asked when they pay by card


class MaxForm(AppForm):
    """A client's training max of one exercise, as the coach sets it on their overview."""

    exercise = StringField("Exercise", [InputRequired("Choose an exercise."), Length(max=80, message="Use at most 80 characters.")],
                           render_kw={"list": "max-exercise-names", "autocomplete": "off"})  # fmt: skip
    kind = RadioField("What it is", choices=choices(MAX_KINDS), default=ONE_RM,
                      validators=[InputRequired("Choose 1RM or Training max.")])  # fmt: skip
    value = StringField("Max", [InputRequired("Enter the max, like 100."), Length(max=10, message="Enter a load like 102.5."),
                                number("Enter a load like 102.5.")], render_kw=DECIMAL)  # fmt: skip
    unit = HiddenField()  # the unit the Max label showed

    def typed_unit(self, default):
        """The unit the max was typed in: the page's own, else `default` (the coach's)."""
        return self.unit.data if self.unit.data in UNITS else default
