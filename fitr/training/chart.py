"""A progress chart drawn on the server as plain SVG markup: no script, no inline style."""

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 12, 30


@dataclass
class Chart:
    points: list  # [(x, y, date, label)]
    line: str  # the polyline's "x,y x,y ..."
    y_ticks: list  # [(y, label)]
    x_ticks: list  # [(x, label, anchor)]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def short_date(day):
    return f"{day.day} {day:%b %y}"


def progress_chart(series, label):
    """series: [(date, value)] oldest first, values already in the viewer's unit; `label(value)`
    formats a value. None when there is nothing to draw."""
    if not series:
        return None
    values = [value for _, value in series]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or max(high * 0.05, 1)
    low, high = max(low - pad, 0), high + pad
    first, last = series[0][0].toordinal(), series[-1][0].toordinal()
    span_x = (last - first) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day):
        if last == first:
            return LEFT + inner_w / 2
        return LEFT + (day.toordinal() - first) / span_x * inner_w

    def y_of(value):
        return TOP + (high - value) / (high - low) * inner_h

    points = [(round(x_of(day), 1), round(y_of(value), 1), day, label(value)) for day, value in series]
    y_ticks = [(round(y_of(v), 1), label(v)) for v in (low, (low + high) / 2, high)]
    x_ticks = [(points[0][0], short_date(series[0][0]), "start")]
    if last != first:
        x_ticks = [(LEFT, short_date(series[0][0]), "start"), (WIDTH - RIGHT, short_date(series[-1][0]), "end")]
    else:
        x_ticks = [(points[0][0], short_date(series[0][0]), "middle")]
    return Chart(points, " ".join(f"{x},{y}" for x, y, _, _ in points), y_ticks, x_ticks)
