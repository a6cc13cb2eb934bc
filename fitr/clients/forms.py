"""The coach's forms about one client."""

from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from fitr.forms import AppForm


class MoveForm(AppForm):
    """Move to program: another published program and a start date."""

    program = SelectField("Program", coerce=str, validate_choice=False, validators=[InputRequired("Choose a program.")])
    start_date = DateField("Start date", validators=[InputRequired("Choose a start date.")])
