"""What every area's forms share: option lists, input filters, a rule's refusal shown next to
its field, and where the keyboard lands."""

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


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


class ActionForm(FlaskForm):
    """A button that posts: CSRF only."""
