"""Invite forms; each message shows next to its field. The rules check everything again."""

from datetime import timedelta

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
from fitr.forms import AppForm, id_choice, multiline, strip
from fitr.invites.accepting import PICK_AHEAD_DAYS, WAIVER_REFUSED
from fitr.invites.inviting import MAX_MESSAGE
from fitr.programs.models import SELF_PACED


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

    clients = SelectMultipleField("Clients", coerce=id_choice, validate_choice=False)
    message = InviteForm.message
    start_date = DateField("Start date (optional)", validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.clients.errors:  # an id no client has: WTForms' "could not be coerced" says less
            self.clients.errors[:] = ["Choose clients from the list."]
        return valid


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
    start_date = DateField("Start date", validators=[Optional()])  # Session 1 Day 1 only
    time_zone = HiddenField(render_kw={"data-detect-time-zone": ""})

    picks_start = False  # Session 1 Day 1: the Start date field is shown (offer_start)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.start_date.errors and not self.picks_start:
            # A start date sent to a program that does not ask for one is ignored, not refused.
            self.start_date.errors, self.start_date.data = [], None
            valid = not any(field.errors for field in self) and not self.form_errors
        if self.start_date.errors:  # WTForms' "Not a valid date value." says less
            self.start_date.errors[:] = ["Choose a start date, as a date."]
        return valid

    def offer_start(self, program, today, suggested=None):
        """Session 1 Day 1: the client picks their start, from `today` (theirs) to 90 days
        ahead; the field starts on the coach's suggested date when it is in that range."""
        if program.type != SELF_PACED:
            return
        self.picks_start = True
        last = today + timedelta(days=PICK_AHEAD_DAYS)
        self.start_date.render_kw = {"min": today.isoformat(), "max": last.isoformat()}
        if self.start_date.raw_data is None and self.start_date.data is None:
            self.start_date.data = suggested if suggested and today <= suggested <= last else today

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
