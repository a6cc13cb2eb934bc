"""The coach's forms about one client."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired


class MoveForm(FlaskForm):
    """Move to program: another published program and a start date."""

    program = SelectField("Program", coerce=str, validate_choice=False, validators=[InputRequired("Choose a program.")])
    start_date = DateField("Start date", validators=[InputRequired("Choose a start date.")])
