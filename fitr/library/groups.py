"""Supersets and circuits: a session's (or library workout's) rows in their groups.

A row joined to the row above is in that row's group. Groups are lettered A, B, C... in order;
a group of one is labelled by its letter alone, a group of two (a superset) or more (a circuit)
labels its rows A1, A2, ... The group's rounds are kept on its first row.
"""

from dataclasses import dataclass, field
from string import ascii_uppercase


def letter(index):
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = ascii_uppercase[rest] + text
    return text


@dataclass
class Group:
    letter: str
    rows: list = field(default_factory=list)

    @property
    def rounds(self):
        return self.rows[0].rounds if len(self.rows) > 1 else None

    @property
    def is_group(self):
        return len(self.rows) > 1

    @property
    def kind(self):
        """'Superset' for two exercises, 'Circuit' for more, '' for one on its own."""
        if not self.is_group:
            return ""
        return "Superset" if len(self.rows) == 2 else "Circuit"

    def label(self, index):
        return f"{self.letter}{index + 1}" if self.is_group else self.letter

    @property
    def labelled(self):
        """[(label, row)] in order."""
        return [(self.label(i), row) for i, row in enumerate(self.rows)]

    @property
    def heading(self):
        """'Superset A · 3 rounds', 'Circuit B', '' for an exercise on its own."""
        if not self.is_group:
            return ""
        rounds = self.rounds
        return f"{self.kind} {self.letter}" + (
            f" · {rounds} round{'s' if rounds != 1 else ''}" if rounds else ""
        )


def grouped(rows):
    """The rows (prescriptions or form values with `joined`) in their groups, in order."""
    groups = []
    for row in rows:
        if groups and row.joined:
            groups[-1].rows.append(row)
        else:
            groups.append(Group(letter(len(groups)), [row]))
    return groups


def labels(rows):
    """{id(row): label}, or {} when no row is in a superset or circuit (labels would be noise)."""
    if not any(row.joined for row in rows[1:]):  # no group: most calendar cells, 25 a month
        return {}
    groups = grouped(rows)
    if not any(g.is_group for g in groups):
        return {}
    return {id(row): label for g in groups for label, row in g.labelled}


def normalise(values):
    """Form values (dicts) made consistent before saving: the first row joins nothing, and a
    group's rounds (the first typed on any of its rows) live on its first row only; an
    exercise on its own has no rounds (its sets say how many)."""
    start = None
    for i, row in enumerate(values):
        if i == 0 or not row.get("joined"):
            row["joined"] = False
            start = row
        elif start.get("rounds") is None and row.get("rounds") is not None:
            start["rounds"] = row["rounds"]
        if row is not start:
            row["rounds"] = None
    for i, row in enumerate(values):
        alone = not row["joined"] and not (i + 1 < len(values) and values[i + 1]["joined"])
        if alone:
            row["rounds"] = None
    return values


@dataclass
class Mark:
    """How one saved row shows in a list: its label (A1), and the heading its group starts with
    when it is the group's first row ('Superset A · 3 rounds')."""

    label: str
    heading: str
    in_group: bool


def marks(rows):
    """{row id: Mark} for saved rows, or {} when no row is in a superset or circuit."""
    groups = grouped(rows)
    if not any(g.is_group for g in groups):
        return {}
    return {
        row.id: Mark(label, g.heading if i == 0 else "", g.is_group)
        for g in groups
        for i, (label, row) in enumerate(g.labelled)
    }
