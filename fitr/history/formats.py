"""How logged results read, for every page that shows them (the client's, and the coach's
calendar and overview): in the viewer's unit of load."""

from fitr.history import bp
from fitr.history.logs import group_sets
from fitr.history.records import describe
from fitr.units import format_distance, format_duration, format_load
from fitr.web import viewer_unit


@bp.app_template_global()
def describe_record(record, unit=None):
    return describe(record, unit or viewer_unit())


@bp.app_template_global()
def set_text(s, unit=None):
    """One logged set in a line: '5 × 100 kg', '12 reps', '1:30', '400 m'."""
    unit = unit or viewer_unit()
    parts = []
    if s.reps is not None and s.load_kg is not None:
        parts.append(f"{s.reps} × {format_load(s.load_kg, unit)}")
    elif s.reps is not None:
        parts.append(f"{s.reps} rep{'s' if s.reps != 1 else ''}")
    elif s.load_kg is not None:
        parts.append(format_load(s.load_kg, unit))
    if s.duration_seconds:
        parts.append(format_duration(s.duration_seconds))
    if s.distance_m:
        parts.append(format_distance(s.distance_m))
    return ", ".join(parts)


@bp.app_template_global()
def log_groups(log):
    return group_sets(log)
