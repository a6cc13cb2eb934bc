"""From a max to a load: the one way a %1RM or %TM prescription becomes kilos or pounds for one
client, everywhere a load is shown or logged. Pure functions: no database, no request."""

import math
from dataclasses import dataclass

from fitr.units import DEFAULT_PLATES, display_to_kg, format_load, kg_to_display, round_load

ONE_RM, TRAINING_MAX = "1rm", "tm"
TM_SHARE = 0.9  # the usual convention: a training max is 90% of the 1RM
PERCENT_UNITS = {"%1rm": ONE_RM, "%tm": TRAINING_MAX}  # a prescription's load_unit: what it is a percentage of
PERCENT_LABELS = {ONE_RM: "1RM", TRAINING_MAX: "TM"}
SET_BY_COACH, SET_BY_CLIENT, ESTIMATED = "coach", "client", "estimated"  # where a max came from


@dataclass(frozen=True)
class Max:
    """What a client's loads for one exercise are worked out from: a 1RM or a training max, in
    kg, and where it came from (set by the coach, by the client, or their estimated 1RM)."""

    kind: str  # ONE_RM or TRAINING_MAX
    kg: float
    source: str

    @property
    def one_rm_kg(self):
        return self.kg if self.kind == ONE_RM else self.kg / TM_SHARE

    @property
    def training_max_kg(self):
        return self.kg if self.kind == TRAINING_MAX else self.kg * TM_SHARE

    def kg_of(self, kind):
        """The 1RM or the training max, the other one derived (TM = 90% of 1RM) when needed."""
        return self.one_rm_kg if kind == ONE_RM else self.training_max_kg


def choose_max(set_max, estimated_1rm_kg, use_estimated):
    """The max a client's loads come from: the one set for them (by the coach or by the
    client), else their estimated 1RM where the program allows it, else None."""
    if set_max is not None:
        return set_max
    if use_estimated and estimated_1rm_kg:
        return Max(ONE_RM, estimated_1rm_kg, ESTIMATED)
    return None


def round_to_plates(value, increment):
    """`value` to the nearest multiple of `increment`, halves up (83.75 kg on 2.5 kg plates is
    85 kg, 81.25 kg is 82.5 kg: never the banker's rounding that would send one up, one down)."""
    steps = math.floor(value / increment + 0.5 + 1e-9)
    return round(steps * increment, 6)


@dataclass(frozen=True)
class Load:
    """A percentage prescription as one client reads it: `value` in their unit, on their plates,
    or None when no max is known (they see the percentage, and a way to enter their 1RM)."""

    percent: float
    basis: str  # ONE_RM or TRAINING_MAX: what the percentage is of
    unit: str
    value: float | None
    max: Max | None

    @property
    def known(self):
        return self.value is not None

    @property
    def kg(self):
        """The load in kg, exactly the value shown in the client's unit (185 lb, not 84 kg)."""
        return display_to_kg(self.value, self.unit) if self.known else None

    @property
    def text(self):
        """'82.5 kg', '185 lb'; '' when no max is known."""
        return f"{round_load(self.value)} {self.unit}" if self.known else ""

    @property
    def percent_text(self):
        """'75% 1RM', '80% TM'."""
        return f"{self.percent:g}% {PERCENT_LABELS[self.basis]}"

    @property
    def derived(self):
        """True when the max known is the other kind (a 1RM for a %TM prescription, or a
        training max for a %1RM one), so the basis was worked out with TM = 90% of 1RM."""
        return self.max is not None and self.max.kind != self.basis

    def explain(self, whose="your"):
        """Where the load comes from, in words: '75% of your 1RM (110 kg)', '80% of your
        training max (99 kg: 90% of your 1RM, 110 kg)'."""
        if self.max is None:
            return ""
        names = {ONE_RM: "1RM", TRAINING_MAX: "training max"}
        estimated = "estimated " if self.max.source == ESTIMATED else ""
        basis = format_load(self.max.kg_of(self.basis), self.unit)
        text = f"{self.percent:g}% of {whose} {estimated if not self.derived else ''}{names[self.basis]} ({basis}"
        if self.derived:
            known = format_load(self.max.kg, self.unit)
            if self.basis == TRAINING_MAX:
                text += f": 90% of {whose} {estimated}1RM, {known}"
            else:
                text += f": {whose} training max {known} is taken as 90% of it"
        return text + ")"


def resolve_load(load_value, load_unit, max_, unit, plate_kg=DEFAULT_PLATES["kg"], plate_lb=DEFAULT_PLATES["lb"]):
    """One client's load for one prescription written as a percentage (`load_value` percent of
    the 1RM for load_unit '%1rm', of the training max for '%tm'): max, then the percentage,
    then rounded to the nearest plate increment of the client's unit (kg or lb). None for a
    prescription in kg or lb, or with no load; a Load that is not known when `max_` is None."""
    basis = PERCENT_UNITS.get(load_unit)
    if basis is None or load_value is None:
        return None
    unit = "lb" if unit == "lb" else "kg"
    if max_ is None:
        return Load(load_value, basis, unit, None, None)
    exact = kg_to_display(max_.kg_of(basis) * load_value / 100, unit)
    value = round_to_plates(exact, plate_lb if unit == "lb" else plate_kg)
    return Load(load_value, basis, unit, value, max_)
