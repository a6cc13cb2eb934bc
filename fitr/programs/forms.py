"""The program form (Create program and Edit); each message shows next to its field."""

from flask import current_app
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from fitr.forms import DECIMAL, AppForm, choices, multiline, number, strip
from fitr.programs.models import (
    BILLING_PERIODS,
    MAX_GRACE_DAYS,
    MAX_TRIAL_DAYS,
    ONE_TO_ONE,
    PROGRAM_TYPES,
    SEE_AHEAD_CHOICES,
    START_RULES,
    default_billing_period,
)
from fitr.programs.prices import CURRENCIES, PriceError, to_major_text, to_minor
from fitr.programs.rules import (
    MAX_NAME,
    MAX_NEEDS_TRAINING_DAYS,
    MAX_TEXT,
    PLATE_RANGES,
    WEEK_STARTS,
)
from fitr.units import DEFAULT_PLATES

TEXT = [Length(max=MAX_TEXT, message=f"Use at most {MAX_TEXT:,} characters.")]
CHOICE = "Choose one of the options."
DAYS = f"Use a number of days from 0 (off) to {MAX_NEEDS_TRAINING_DAYS}."
GRACE = f"Use a number of days from 0 to {MAX_GRACE_DAYS}."
TRIAL = f"Use a number of days from 0 (no trial) to {MAX_TRIAL_DAYS}."


def plate(key):
    """A plate increment as typed ('2.5', '1,25'; empty for the default), within the range a
    plate increment can be."""
    low, high, unit = PLATE_RANGES[key]
    return number(f"Enter a plate increment from {low:g} to {high:g} {unit}, like {DEFAULT_PLATES[unit]:g}.", low=low, high=high)


class ProgramForm(AppForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired("Give the program a name."),
            Length(max=MAX_NAME, message=f"Use at most {MAX_NAME} characters."),
        ],
        render_kw={"maxlength": MAX_NAME, "autocomplete": "off"},
    )
    description = TextAreaField("Description", filters=[multiline], validators=TEXT)
    type = RadioField(
        "Program type",
        choices=choices(PROGRAM_TYPES),
        default=ONE_TO_ONE,
        validate_choice=True,
    )
    free = BooleanField("Free (invite-only)")
    price = StringField("Amount", filters=[strip], render_kw=DECIMAL)
    currency = SelectField("Currency", choices=choices((code, code) for code in sorted(CURRENCIES)))
    billing_period = SelectField("Billing period", choices=choices(BILLING_PERIODS), default="monthly",
                                 render_kw={"data-follows-type": "true"})  # until the coach picks one (programs.js)
    trial_days = IntegerField(
        "Free trial (days)",
        default=0,
        validators=[Optional(), NumberRange(0, MAX_TRIAL_DAYS, TRIAL)],  # empty: no trial
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_TRIAL_DAYS},
    )
    grace_days = IntegerField(
        "Grace period after a failed payment (days)",
        default=7,
        validators=[Optional(), NumberRange(0, MAX_GRACE_DAYS, GRACE)],  # empty: the default
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_GRACE_DAYS},
    )
    week_start = RadioField("Week starts on", choices=choices(WEEK_STARTS), coerce=int, default=0)
    start_rule = RadioField(
        "Default start date for new clients", choices=choices(START_RULES), default="accept_day"
    )
    welcome_message = TextAreaField("Welcome message", filters=[multiline], validators=TEXT)
    waiver = TextAreaField("Waiver", filters=[multiline], validators=TEXT)
    see_ahead_days = SelectField(
        "Clients can see ahead", choices=choices(SEE_AHEAD_CHOICES), coerce=int, default=0
    )
    needs_training_days = IntegerField(
        "Needs training when fewer days are scheduled ahead than",
        default=3,
        validators=[
            InputRequired(DAYS),
            NumberRange(0, MAX_NEEDS_TRAINING_DAYS, DAYS),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_NEEDS_TRAINING_DAYS},
    )
    use_estimated_1rm = BooleanField("Use estimated 1RM when no max is set")
    plate_kg = StringField("Plate increment (kg)", [plate("plate_kg")], filters=[strip], default=f"{DEFAULT_PLATES['kg']:g}",
                           render_kw=DECIMAL)  # fmt: skip
    plate_lb = StringField("Plate increment (lb)", [plate("plate_lb")], filters=[strip], default=f"{DEFAULT_PLATES['lb']:g}",
                           render_kw=DECIMAL)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plate_values = {}  # the plate increments as numbers, once validated

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # A forged or unknown choice gets one plain message, not WTForms' "could not coerce".
        for field in (self.type, self.currency, self.billing_period, self.week_start,
                      self.start_rule, self.see_ahead_days):
            if field.errors:
                field.errors[:] = [CHOICE]
        if self.needs_training_days.errors:  # "Not a valid integer value." says less than this
            self.needs_training_days.errors[:] = [DAYS]
        if self.trial_days.errors:
            self.trial_days.errors[:] = [TRIAL]
        if self.grace_days.errors:
            self.grace_days.errors[:] = [GRACE]
        return valid

    @classmethod
    def for_new_program(cls):
        default = current_app.config.get("DEFAULT_CURRENCY", "GBP")
        return cls(data={"currency": default if default in CURRENCIES else "GBP", "free": False,
                         "billing_period": "monthly", "trial_days": 0, "grace_days": 7})

    @classmethod
    def for_program(cls, program):
        data = {key: getattr(program, key) for key in (
            "name", "description", "type", "currency", "billing_period", "trial_days", "grace_days", "week_start", "start_rule",
            "welcome_message", "waiver", "see_ahead_days", "needs_training_days", "use_estimated_1rm",
        )}
        data.update(free=program.is_free, price=to_major_text(program.price_minor, program.currency),
                    plate_kg=f"{program.plate_kg:g}", plate_lb=f"{program.plate_lb:g}")
        return cls(data=data)

    def validate_price(self, field):
        """Free (invite-only) forces 0 whatever was sent; otherwise the amount must fit the currency."""
        self.price_minor = 0
        if self.free.data or self.currency.data not in CURRENCIES:
            return
        try:
            self.price_minor = to_minor(field.data, self.currency.data)
        except PriceError as error:
            field.errors.append(str(error))

    def validate_plate_kg(self, field):
        self.plate_values["plate_kg"] = DEFAULT_PLATES["kg"] if field.parsed is None else field.parsed

    def validate_plate_lb(self, field):
        self.plate_values["plate_lb"] = DEFAULT_PLATES["lb"] if field.parsed is None else field.parsed

    def settings(self):
        """The validated form as keyword arguments for create_program / update_program."""
        return {
            "name": self.name.data,
            "description": self.description.data or "",
            "type": self.type.data,
            "price_minor": 0 if self.free.data else self.price_minor,
            "currency": self.currency.data,
            # Not sent (a form without the field): the type's own default.
            "billing_period": self.billing_period.data if self.billing_period.raw_data else default_billing_period(self.type.data),
            "trial_days": self.trial_days.data or 0,
            "grace_days": 7 if self.grace_days.data is None else self.grace_days.data,
            "week_start": self.week_start.data,
            "start_rule": self.start_rule.data,
            "welcome_message": self.welcome_message.data or "",
            "waiver": self.waiver.data or "",
            "see_ahead_days": self.see_ahead_days.data,
            "needs_training_days": self.needs_training_days.data,
            "use_estimated_1rm": bool(self.use_estimated_1rm.data),
            **self.plate_values,
        }
