"""Plain text as a person typed it, checked the same way wherever it is typed."""

import unicodedata

from fitr.errors import RuleError


def visible(text):
    """True when the text has something a person can see: not only spaces and invisible
    characters such as a zero-width space (U+200B) or a byte-order mark."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs") for ch in text)


def check_text(text, field, limit, multiline=False, error=RuleError):
    """The text with line breaks in one spelling, trimmed, within `limit`, and without control
    characters (a newline or a tab only in multi-line text); invisible-only text is empty.
    A refusal is raised as `error` (the caller's area's RuleError) naming `field`."""
    text = (text or "").replace("\r\n", "\n").strip()
    allowed = "\n\t" if multiline else ""
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            raise error(f"Remove the control character (U+{ord(ch):04X}) from this text: it cannot be shown.", field)
    if not visible(text):
        return ""
    if len(text) > limit:
        raise error(f"Use at most {limit:,} characters.", field)
    return text
