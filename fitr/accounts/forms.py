"""Account forms; each message shows next to its field. The rules check everything again."""

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from fitr.accounts.rules import (
    MAX_NAME,
    MAX_PASSWORD,
    MIN_PASSWORD,
    THEME_CHOICE,
    THEMES,
    TIME_ZONES,
)
from fitr.forms import AppForm, choices, strip
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
NAME = [
    DataRequired("Enter your name."),
    Length(max=MAX_NAME, message=f"Use at most {MAX_NAME} characters."),
]


def detected_time_zone():
    """A hidden field that the browser fills with its time zone (static/js/app.js)."""
    return HiddenField(render_kw={"data-detect-time-zone": ""})


class SignupForm(AppForm):
    name = StringField("Name", validators=NAME, filters=[strip], render_kw={"autocomplete": "name"})
    email = EmailField("Email", validators=EMAIL, filters=[strip], render_kw={"autocomplete": "email"})
    password = PasswordField("Password", validators=NEW_PASSWORD, render_kw={"autocomplete": "new-password"})
    time_zone = detected_time_zone()


class LoginForm(AppForm):
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


class ForgotPasswordForm(AppForm):
    email = EmailField("Email", validators=EMAIL, filters=[strip], render_kw={"autocomplete": "email"})


class ResetPasswordForm(AppForm):
    password = PasswordField("New password", validators=NEW_PASSWORD, render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        "Repeat new password",
        validators=[InputRequired("Repeat the new password."), EqualTo("password", "The two passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )


class SettingsForm(AppForm):
    units = RadioField("Units for loads", choices=choices(UNITS), validators=[InputRequired("Choose kg or lb.")])
    time_zone = SelectField(
        "Time zone",
        choices=choices((name, name.replace("_", " ")) for name in sorted(TIME_ZONES)),
        validators=[Optional()],  # not sent: unchanged
    )
    theme = RadioField("Theme", choices=choices(THEMES), validators=[Optional()])  # not sent: unchanged

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.time_zone.errors:
            self.time_zone.errors[:] = ["Choose a time zone from the list."]
        if self.theme.errors:
            self.theme.errors[:] = [THEME_CHOICE]
        return valid


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"},
    )


class EmailSettingsForm(AppForm):
    """What fitr emails me. Unticked boxes are not sent by the browser: each is off then."""

    email_comments = BooleanField("New comments on my sessions")
    email_messages = BooleanField("New messages")
    email_digest = BooleanField("A daily digest at 07:00: who trained, who missed, who needs training")
