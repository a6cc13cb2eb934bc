"""Account forms; each message shows next to its field."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from fitr.auth.rules import MIN_PASSWORD

EMAIL = [
    DataRequired("Enter your email address."),
    Length(max=254, message="That email address is too long."),
    Email("Enter a valid email address, like name@example.com."),
]


def strip(value):
    return value.strip() if isinstance(value, str) else value


NEW_PASSWORD = [
    InputRequired("Choose a password."),
    Length(min=MIN_PASSWORD, message=f"Use at least {MIN_PASSWORD} characters."),
    Length(max=128, message="Use at most 128 characters."),
]


class SignupForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Enter your name."), Length(max=100, message="Use at most 100 characters.")],
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
        validators=[InputRequired("Enter your password."), Length(max=128)],
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
