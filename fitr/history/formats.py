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


def _same(a, b):
    return (a.reps, a.load_kg, a.duration_seconds, a.distance_m) == (b.reps, b.load_kg, b.duration_seconds, b.distance_m)


@bp.app_template_global()
def sets_text(sets, unit=None):
    """An exercise's logged sets in a line, equal sets in a row said once with how many:
    '5 × 5 @ 112.5 kg', '3 × 8 @ 60 kg, 1 × 6 @ 60 kg', '3 × 12 reps', '2 × 1:30', '25:00, 5 km'. The sets
    themselves stay one row each (the log form edits them one by one)."""
    unit = unit or viewer_unit()
    runs = []
    for s in sets:
        if runs and _same(runs[-1][0], s):
            runs[-1][1] += 1
        else:
            runs.append([s, 1])
    said = []
    for s, count in runs:
        if s.reps is not None and s.load_kg is not None:
            rest = ", ".join(p for p in (format_duration(s.duration_seconds) if s.duration_seconds else "",
                                         format_distance(s.distance_m) if s.distance_m else "") if p)  # fmt: skip
            said.append(f"{count} × {s.reps} @ {format_load(s.load_kg, unit)}" + (f" ({rest})" if rest else ""))
        else:
            said.append(f"{count} × {set_text(s, unit)}" if count > 1 else set_text(s, unit))
    return ", ".join(said)
