"""What every area's forms share: option lists, input filters, a rule's refusal shown next to
its field, and where the keyboard lands."""

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import FieldList, FormField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import core as widgets

from fitr.units import NotANumber, parse_number

# A phone's number keypad for a number typed into a text input (so "102,5" and our own messages
# still work).
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def choices(pairs):
    """SelectChoice options from a mapping or (value, label) pairs."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def strip(value):
    """A one-line field: surrounding spaces are not part of it."""
    return value.strip() if isinstance(value, str) else value


def multiline(value):
    """Multi-line text: browsers send line breaks as CRLF; count each as one character."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def attach(form, error):
    """A rule's refusal (fitr.errors.RuleError) next to the field it names, or above the form.
    A form whose fields are not all attributes (a log's set rows) finds them with `field_named`;
    a hidden field's message goes above the form, where it can be seen."""
    name = error.field or ""
    find = getattr(form, "field_named", None)
    field = (find(name) if find else None) or (getattr(form, name, None) if name else None)
    if field is not None and hasattr(field, "errors") and field.type != "HiddenField":
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def first_error(*forms):
    """The first field with a message, in the order the forms show them (None skipped)."""
    for form in forms:
        for field in form or ():
            if field.type in ("FieldList", "FormField"):
                found = first_error(field)
            else:
                found = field if field.errors and field.type not in ("HiddenField", "CSRFTokenField") else None
            if found is not None:
                return found
    return None


def autofocus(field):
    """Focus this field when it arrives (htmx honours autofocus in swapped content too)."""
    field.render_kw = {**(field.render_kw or {}), "autofocus": True}


MAX_ID = 2**31 - 1  # the largest id a row can have (an integer column on PostgreSQL)


def row_id(text):
    """An id as a form sends it (a hidden field, a checkbox, a select): a whole number from 1 to
    MAX_ID, else None. A bigger one is no row's, and SQLite refuses to compare with it."""
    text = text.strip() if isinstance(text, str) else str(text)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= MAX_ID else None


def id_choice(text):
    """row_id for a select or checkboxes (their `coerce`): not an id is not a choice."""
    number = row_id(text)
    if number is None:
        raise ValueError("not an id")
    return number


def control_character(text):
    """The first control character in the text (a line break, a tab, a bell...), or None."""
    return next((ch for ch in text or "" if ord(ch) < 32 or 127 <= ord(ch) < 160), None)


def number(hint, integer=False, low=None, high=None):
    """A validator for a number typed into a text field, read the one way (fitr.units): the
    value goes on `field.parsed` (a float; None when empty) and anything else, NaN and infinity
    included, is refused next to the field, saying why and then `hint`. With `integer`, a whole
    number (an int); with `low` and `high`, only numbers in that range, `hint` saying so. Ends
    the field's validation when it refuses, so a later check never sees what it cannot compare."""

    def check(form, field):
        field.parsed = None
        try:
            value = parse_number("" if field.data is None else str(field.data))
        except NotANumber as error:
            raise StopValidation(error.explained(hint)) from None
        if value is None:
            return
        if (integer and value != int(value)) or (low is not None and value < low) or (high is not None and value > high):
            raise StopValidation(hint)
        field.parsed = int(value) if integer else value

    return check


class AppForm(FlaskForm):
    """fitr's forms: every one-line field (a text, email, password or hidden input; not a
    textarea) refuses line breaks and other control characters, next to the field, in
    sub-forms and repeated rows too. A name goes into email headers and onto every page."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return refuse_control_characters(self) and valid


def refuse_control_characters(fields):
    ok = True
    for field in fields:
        if isinstance(field, (FieldList, FormField)):
            ok = refuse_control_characters(field) and ok
        elif isinstance(field, StringField) and not isinstance(field, TextAreaField):
            found = control_character(field.data) if isinstance(field.data, str) else None
            if found:
                message = f"Remove the control character (U+{ord(found):04X}) from this text: it cannot be shown."
                field.errors = [*field.errors, message]
                ok = False
    return ok


class ActionForm(AppForm):
    """A button that posts: CSRF only."""


def html_params(**kwargs):
    """WTForms' html_params, the same output made without Markup.format: a session editor of 30
    rows renders some 400 inputs, and formatting each attribute through string.Formatter was half
    of the editor's time on the server."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = escape(widgets.clean_key(key))
        if value is True:
            params.append(str(key))
        elif value is not False:
            params.append(f'{key}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


widgets.html_params = html_params
widgets.Input.html_params = staticmethod(html_params)
