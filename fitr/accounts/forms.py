"""Account forms; each message shows next to its field."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from fitr.accounts.rules import MAX_NAME, MAX_PASSWORD, MIN_PASSWORD
from fitr.forms import choices, strip
from fitr.units import UNITS

EMAIL = [
    DataRequired("Enter your email address."),
    Length(max=254, message="That email address is too long."),
    Email("Enter a valid email address, like name@example.com."),
]


NEW_PASSWORD = [
    InputRequired("Choose a password."),
    Length(min=MIN_PASSWORD, message=f"Use at least {MIN_PASSWORD} characters."),
    Length(max=MAX_PASSWORD, message=f"Use at most {MAX_PASSWORD} characters."),
]


class SignupForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Enter your name."), Length(max=MAX_NAME, message=f"Use at most {MAX_NAME} characters.")],
        filters=[strip],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField("Email", validators=EMAIL, filters=[strip], render_kw={"autocomplete": "email"})
    password = PasswordField("Password", validators=NEW_PASSWORD, render_kw={"autocomplete": "new-password"})


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address."), Length(max=254)],
        filters=[strip],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=EMAIL, filters=[strip], render_kw={"autocomplete": "email"})


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=NEW_PASSWORD, render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        "Repeat new password",
        validators=[InputRequired("Repeat the new password."), EqualTo("password", "The two passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )


class SettingsForm(FlaskForm):
    units = RadioField("Units for loads", choices=choices(UNITS), validators=[InputRequired("Choose kg or lb.")])
