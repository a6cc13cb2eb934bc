"""Quick entry: a prescription typed after the exercise's name in one field, as coaches write
it in a notebook: "Back Squat 5x5 @ 100kg", "Bench Press 3x8-12 @ 70%" (% 1RM), "Front Squat
4x3 @ 80% TM", "Pull-up 3x8 @ RPE 8", "Deadlift 1x5 @ 225lb", "Plank 3x45s" (45 seconds a set),
without "@" ("Deadlift 5x5 100kg", "3x8 RPE 8"), and with a superset's label first ("A1 Bench
Press 3x8 @ 70%", then "A2 ..." joins the row above).
The browser splits it too (static/js/rows.js, the same grammar) so the coach sees the fields
filled; the server splits what arrives unsplit, so it works without JavaScript."""

import re

# An optional superset label ("A1"), the name, then sets x reps (or a time in seconds), then
# optionally a load or an RPE, after "@" or not ("Deadlift 5x5 100kg", "Pull-up 3x8 RPE 8"; a
# load without "@" needs its unit).
_LOAD = r"\d{1,4}(?:[.,]\d{1,2})?"
_UNIT = r"kg|lbs?|%\s*(?:1\s*RM|TM)?"
_RPE = r"\d{1,2}(?:[.,]\d)?"
QUICK = re.compile(
    rf"""^(?:(?P<label>[A-Z]{{1,2}}\d{{1,2}})\s+)?(?P<name>.*?\S)\s+
        (?P<sets>\d{{1,2}})\s*[x×]\s*
        (?:(?P<secs>\d{{1,4}})\s*s(?:ec)?|(?P<reps>\d{{1,3}}(?:\s*[-–]\s*\d{{1,3}})?))
        (?:\s*@\s*(?:RPE\s*(?P<rpe>{_RPE})|(?P<load>{_LOAD})\s*(?P<unit>{_UNIT})?)
          |\s+RPE\s*(?P<rpe2>{_RPE})
          |\s+(?P<load2>{_LOAD})\s*(?P<unit2>{_UNIT}))?
        \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# While typing: the name before anything that starts a prescription ("Back Squat 5x", "Bench 3").
TRAILING = re.compile(r"\s+\d{1,2}(?:\s*[x×].*)?$", re.IGNORECASE)
# While typing: a superset's label before the name ("A1 Bench").
LABEL = re.compile(r"^[A-Z]{1,2}\d{1,2}\s+(?=\S)", re.IGNORECASE)
# The fields that, when typed by the coach, mean the Exercise field is just a name.
DOSE_FIELDS = ("sets", "reps", "load", "rpe", "time")


def split(text):
    """(name, {field: value}) for a quick entry, or None when `text` is not one."""
    match = QUICK.match(text or "")
    if match is None:
        return None
    fields = {"sets": match["sets"]}
    if match["secs"]:
        fields["time"] = match["secs"]
    else:
        fields["reps"] = re.sub(r"\s+", "", match["reps"]).replace("–", "-")
    if match["rpe"] or match["rpe2"]:
        fields["rpe"] = match["rpe"] or match["rpe2"]
    if match["label"]:
        fields["label"] = match["label"].upper()
    load, unit = (match["load"], match["unit"]) if match["load"] else (match["load2"], match["unit2"])
    if load:
        fields["load"] = load
        unit = re.sub(r"\s+", "", (unit or "")).lower()
        if unit.startswith("%"):
            fields["load_unit"] = "%tm" if unit.endswith("tm") else "%1rm"
        elif unit:
            fields["load_unit"] = "lb" if unit.startswith("lb") else "kg"
    return match["name"], fields


def name_part(text):
    """What the type-ahead searches for: the text without a prescription typed after the name."""
    quick = split(text)
    if quick is not None:
        return quick[0]
    return TRAILING.sub("", LABEL.sub("", text or ""))


def candidates(rows):
    """{row index: (name, fields)} for the rows whose Exercise holds a quick entry and whose
    dose fields are blank (a coach who typed Sets meant the Exercise field as a name)."""
    found = {}
    for index, row in rows.items():
        if any((row.get(key) or "").strip() for key in DOSE_FIELDS):
            continue
        quick = split(row.get("exercise", ""))
        if quick is not None:
            found[index] = quick
    return found
