"""Loads are stored in kg and shown in the viewer's unit (User.units: 'kg' or 'lb'); numbers people
type are read here, once."""

import math
import re
from decimal import Decimal

KG_PER_LB = 0.45359237  # exact, by definition
UNITS = {"kg": "kg", "lb": "lb"}
# The smallest jump in load a lifter's plates make, per unit, unless their coach says otherwise:
# loads worked out from a percentage are rounded to it.
DEFAULT_PLATES = {"kg": 2.5, "lb": 5.0}


def kg_to_display(kg, unit):
    """A stored load in the viewer's unit (not rounded)."""
    if kg is None:
        return None
    return kg / KG_PER_LB if unit == "lb" else kg


def display_to_kg(value, unit):
    """A load the user typed in their unit, in kg for storing."""
    if value is None:
        return None
    return value * KG_PER_LB if unit == "lb" else value


def round_load(value):
    """Loads to one decimal place: 102.5, 100 (never 100.0)."""
    rounded = round(value + 0.0, 1)
    return f"{rounded:.1f}".rstrip("0").rstrip(".") if rounded % 1 else str(int(rounded))


def format_load(kg, unit, with_unit=True):
    """'102.5 kg', '225 lb' (rounded to 0.1); '' for no load."""
    if kg is None:
        return ""
    text = round_load(kg_to_display(kg, unit))
    return f"{text} {unit}" if with_unit else text


def format_distance(metres):
    """'800 m', '5 km', '5.25 km'."""
    if metres is None:
        return ""
    if metres >= 1000:
        return f"{round_load(metres / 1000)} km"
    return f"{metres} m"


def format_duration(seconds):
    """'45s', '1:30', '1:02:03'."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds}s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_text(seconds):
    """A duration as a form field shows it, ready to type over: '45', '1:30', '1:02:03'."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}" if minutes else str(secs)


def parse_duration(text):
    """'90' -> 90, '1:30' -> 90, '1:02:03' -> 3723; '' -> None; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    parts = text.split(":")
    if len(parts) > 3 or not all(p.isdigit() for p in parts) or any(len(p) > 5 for p in parts):
        raise ValueError(text)
    if len(parts) > 1 and any(int(p) >= 60 for p in parts[1:]):
        raise ValueError(text)
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


class NotANumber(ValueError):
    """Typed text that is not a number fitr reads. Its message says why in words a person can act
    on ("“NaN” is not a number."), or is empty when the field's own hint says it best."""

    def explained(self, hint):
        """What the person reads next to the field: why, when known, then what to type (`hint`)."""
        return f"{self} {hint}" if str(self) else hint


class Negative(NotANumber):
    """A number below zero, where none of fitr's numbers can be."""


# A plain decimal as people type one: digits with one point (or comma), nothing else. Python's
# float() and Decimal() also take "NaN", "sNaN", "Infinity", "1e999" and "1_000": none of them is
# a load, a price or a plate.
PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+")
NOT_FINITE = re.compile(r"[+-]?(?:[sq]?nan|inf(?:inity)?|∞)", re.IGNORECASE)
EXPONENT = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)e[+-]?[0-9]+", re.IGNORECASE)


def parse_decimal(text, decimal_comma=True):
    """The one way fitr reads a decimal number a person typed: '102.5' or '102,5' (unless
    `decimal_comma` is False, as for prices, where '1,000' is a thousand) -> Decimal('102.5');
    '' -> None. NotANumber for anything else: NaN, infinity, an exponent, a sign, text."""
    text = (text or "").strip()
    if not text:
        return None
    if NOT_FINITE.fullmatch(text):
        raise NotANumber(f"“{text}” is not a number.")
    if EXPONENT.fullmatch(text):
        raise NotANumber("Write the number out in full, without an “e”.")
    if text.startswith("-") and PLAIN.fullmatch(text[1:]):
        raise Negative("It cannot be negative.")
    if not PLAIN.fullmatch(text) or ("," in text and not decimal_comma):
        raise NotANumber("")
    return Decimal(text.replace(",", "."))


def parse_number(text):
    """parse_decimal as a float, for loads, maxes and plates: '102,5' -> 102.5; '' -> None."""
    value = parse_decimal(text)
    if value is None:
        return None
    if not math.isfinite(number := float(value)):  # 400 digits are too many for a float
        raise NotANumber("That number is too big.")
    return number
