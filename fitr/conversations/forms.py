"""The one form of a thread: what to write."""

from wtforms import TextAreaField

from fitr.forms import AppForm, multiline


class MessageForm(AppForm):
    """A message, a comment, or a new text for one (checked by the rules: not empty, not too long,
    no control characters but line breaks and tabs)."""

    body = TextAreaField("Message", filters=[multiline])
