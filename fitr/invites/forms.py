"""Invite forms; each message shows next to its field. The rules check everything again."""

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import PasswordInput

from fitr.accounts.rules import MAX_NAME, MAX_PASSWORD, MIN_PASSWORD
from fitr.forms import AppForm, multiline, strip
from fitr.invites.accepting import WAIVER_REFUSED
from fitr.invites.inviting import MAX_MESSAGE


class InviteForm(AppForm):
    """Email: one address, or several separated by commas or new lines."""

    emails = TextAreaField(
        "Email",
        filters=[strip],
        validators=[DataRequired("Enter at least one email address."), Length(max=20_000)],
        render_kw={"rows": 3, "autocomplete": "off", "spellcheck": "false", "inputmode": "email"},
    )
    message = TextAreaField(
        "Personal message (optional)",
        filters=[multiline],
        validators=[Length(max=MAX_MESSAGE, message=f"Use at most {MAX_MESSAGE:,} characters.")],
        render_kw={"rows": 3},
    )
    start_date = DateField("Start date (optional)", validators=[Optional()])
    complimentary = BooleanField("Complimentary: joins without paying")


class ClientsInviteForm(InviteForm):
    """Clients > Invite: the same, with a Program select of the coach's published programs."""

    program = SelectField("Program", coerce=int, validate_choice=True)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.program.errors:
            self.program.errors[:] = ["Choose one of your published programs."]
        return valid


class ManualForm(AppForm):
    """Add manually: the client waits under Pending invites until Send invite."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter the client's name."), Length(max=MAX_NAME)],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired("Enter the client's email address."), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    start_date = DateField("Start date (optional)", validators=[Optional()])


class CurrentClientsForm(AppForm):
    """Invite current clients: several of the coach's clients at once."""

    clients = SelectMultipleField("Clients", coerce=int, validate_choice=False)
    message = InviteForm.message
    start_date = DateField("Start date (optional)", validators=[Optional()])


class InviteLinkForm(AppForm):
    """Invite link: an optional limit on uses and an expiry."""

    max_uses = IntegerField(
        "Limit on uses (optional)",
        validators=[Optional(), NumberRange(1, 10_000, "Enter a number from 1 to 10,000.")],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    expires_on = DateField("Expires after (optional)", validators=[Optional()])


class AcceptForm(AppForm):
    """Accept invite. Name and Password only for a visitor without an account."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[Length(max=MAX_NAME, message=f"Use at most {MAX_NAME} characters.")],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        "Password",
        validators=[Length(max=MAX_PASSWORD, message=f"Use at most {MAX_PASSWORD} characters.")],
        render_kw={"autocomplete": "new-password"},
    )
    agree = BooleanField("I have read and agree to the waiver")
    time_zone = HiddenField(render_kw={"data-detect-time-zone": ""})

    def require_waiver(self, program):
        """A program with a waiver: the box must be ticked, reported with the other fields'
        messages so the visitor fixes everything (and types their password) once."""
        if program.waiver:
            self.agree.validators = [DataRequired(WAIVER_REFUSED)]

    def keep_typed_password(self):
        """Sent back for another reason (say, the waiver's box left unticked), the form keeps
        a password that was fine, so a phone user does not type it again; a refused password
        is cleared as usual. Only this re-rendered form carries it: it is never stored or logged."""
        if self.password.data and not self.password.errors:
            self.password.widget = PasswordInput(hide_value=False)
            return True
        return False

    def require_account_fields(self):
        """A visitor without an account must fill in Name and Password."""
        self.name.validators = [DataRequired("Enter your name."), *self.name.validators]
        self.password.validators = [
            InputRequired("Choose a password."),
            Length(min=MIN_PASSWORD, message=f"Use at least {MIN_PASSWORD} characters."),
            *self.password.validators,
        ]


class JoinForm(AcceptForm):
    """Join through an invite link; a new visitor also gives their email."""

    email = EmailField(
        "Email",
        filters=[strip],
        validators=[Length(max=254)],
        render_kw={"autocomplete": "email"},
    )

    def require_account_fields(self):
        super().require_account_fields()
        self.email.validators = [DataRequired("Enter your email address."), *self.email.validators]
