"""Loads are stored in kg and shown in the viewer's unit (User.units: 'kg' or 'lb')."""

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


def parse_number(text):
    """'102.5' or '102,5' -> 102.5; '' -> None; ValueError for anything else (nan, inf, 1e3...)."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    head, _, tail = text.partition(".")
    if not (head.isdigit() or (head == "" and tail)) or (tail and not tail.isdigit()) or len(text) > 10:
        raise ValueError(text)
    return float(text)
