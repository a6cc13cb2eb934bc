"""Writing a training log: Done as prescribed, or what the client typed set by set (Done, or
Skipped with why), checked and saved as one change, and the coach told. The client's pages
(fitr.training) pass in what only they know: the subscription the session was found in, and
the client's own loads worked out from their maxes."""

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from fitr.accounts.models import User
from fitr.clock import today_for
from fitr.extensions import db
from fitr.history.logs import FIRST_DAY, MAX_NOTES, MAX_SETS, HistoryError, clean_set, log_of
from fitr.history.models import DONE, LOG_STATUSES, SKIPPED, SessionLog, SetLog
from fitr.history.records import personal_records, records_line
from fitr.library.exercises import visible_exercises
from fitr.library.models import Exercise
from fitr.notices import models as notice
from fitr.notices import rules as notices
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription
from fitr.units import display_to_kg


class EmptyDone(HistoryError):
    """Done with no set entered and no "Done, no details": the page asks which it was."""


class LogConflict(HistoryError):
    """The log changed after this form was opened (another tab or device): nothing was saved."""


@dataclass
class Logged:
    log: SessionLog
    duplicate: bool  # this exact form was saved before: nothing changed
    records_before: dict | None = None  # personal_records() of the logged exercises before the save
    status_before: str | None = None  # None: this save is the session's first log

OUT_OF_DATE = "This form is out of date. Reload the page and try again."
STALE_LOG = (
    "This log was updated after you opened this form (in another tab or on another device), so "
    "this older version was not saved. Open the session again to see the latest log."
)


def prescribed_rows(session, loads=None):
    """The session exactly as written, set by set, as log_session's rows (loads in kg): the
    prescribed reps (the low end of a range), a kg or lb load, time and distance. A %1RM or
    %TM load is the client's own (`loads`: {prescription id: fitr.maxes.loads.Load}), exactly
    as their page shows it; left empty when no max of theirs is known."""
    loads = loads or {}
    rows = []
    for position, p in enumerate(session.prescriptions):
        load_kg = display_to_kg(p.load_value, p.load_unit) if p.load_unit in ("kg", "lb") else None
        if p.is_percent and (load := loads.get(p.id)) is not None and load.known:
            load_kg = load.kg
        for set_number in range(1, min(p.sets or 1, 99) + 1):
            rows.append({
                "exercise_id": p.exercise_id, "position": position, "set_number": set_number, "reps": p.reps_min,
                "load": load_kg, "duration_seconds": p.duration_seconds, "distance_m": p.distance_m,
            })  # fmt: skip
    return rows


def log_as_prescribed(user, session, subscription, submission_key, based_on="", loads=None, today=None):
    """Done as prescribed: the whole session saved as written, in one tap, on the day it was
    planned (today, for a session planned later). A percentage is saved as the client's load
    (`loads`, as for prescribed_rows)."""
    # A session with nothing to measure (a mobility flow) is still done: the client said so.
    data = {"status": DONE, "based_on": based_on, "unit": "kg", "sets": prescribed_rows(session, loads), "no_details": True}
    # Every set is one of the session's own exercises: no need to read the library.
    prescribed = {p.exercise_id: p.exercise for p in session.prescriptions}
    return _log(user, session, data, submission_key, subscription, today, prescribed)


def loggable_exercises(program, session):
    """{id: Exercise} a client may log in this session: its prescriptions' exercises and the
    coach's library (starter exercises and the coach's own, not archived)."""
    found = {p.exercise_id: p.exercise for p in session.prescriptions}
    found.update(
        (e.id, e)
        for e in db.session.scalars(
            select(Exercise).where(visible_exercises(program.coach_id), Exercise.archived.is_(False))
        )
    )
    return found


def log_session(user, session, data, submission_key, subscription, today=None):
    """Save what the client did in a planned session of `subscription`, as one change: the log
    and all its sets.

    `data`: status ('done'/'skipped'), date, rpe, notes, unit (of the loads; the user's by
    default) and sets: dicts of exercise_id, position, set_number, reps, load, duration_seconds,
    distance_m. Empty sets are ignored; a skipped session keeps no sets. Logging the session
    again replaces the earlier log. The same `submission_key` twice (a resubmitted form) saves
    once: the second call changes nothing and returns the first log with duplicate=True.

    `data["based_on"]` is the submission key of the log the form was opened on ('' for none):
    when the log has been saved since (another tab, or an older form resent after an update),
    LogConflict is raised and nothing changes, so an old form never overwrites a newer log."""
    return _log(user, session, data, submission_key, subscription, today)


def _log(user, session, data, submission_key, subscription, today, known=None):
    """log_session, with the exercises the sets may name (`known`; by default the loggable ones)."""
    if not submission_key or len(submission_key) > 64:
        raise HistoryError(OUT_OF_DATE)
    earlier = _saved_by(submission_key)
    if earlier is not None:
        if earlier.user_id != user.id:
            raise HistoryError(OUT_OF_DATE)
        return Logged(earlier, duplicate=True)
    status, day, rpe, notes, rows = _checked(data, session, today or today_for(user))
    program = db.session.get(Program, subscription.program_id)
    unit = data.get("unit") or user.units
    known = known if known is not None else loggable_exercises(program, session)
    cleaned = [clean_set(row, unit, known) for row in rows] if status == DONE else []
    cleaned = [row for row in cleaned if row is not None]
    if status == DONE and not cleaned and not data.get("no_details"):
        # An empty Done is asked about, never saved by accident: fill in, or confirm.
        raise EmptyDone(
            "You chose Done but entered no sets. Fill in what you did, or confirm Done, no details.", code="empty_done"
        )

    log = log_of(user.id, session.id)
    based_on = data.get("based_on") or ""
    if log is not None and based_on != log.submission_key:
        if log.submission_key == submission_key:
            # The same form, sent again, whose first copy was saved since the check above.
            return Logged(log, duplicate=True)
        raise LogConflict(STALE_LOG)
    mark_prescribed(cleaned, session, log)
    # What stood before this save, to announce only the records it improves.
    records_before = personal_records(user.id, {row["exercise_id"] for row in cleaned}) if cleaned else {}
    status_before = log.status if log is not None else None
    values = {"subscription_id": subscription.id, "program_name": program.name, "session_title": session.title,
              "date": day, "status": status, "rpe": rpe, "notes": notes}  # fmt: skip
    try:
        log = _write(user, session, log, values, cleaned, based_on, submission_key)
    except (IntegrityError, LogConflict) as error:
        # The same form, sent again while the first was still saving: keep the first.
        earlier = _saved_by(submission_key)
        if earlier is None or earlier.user_id != user.id:
            raise LogConflict(STALE_LOG) from error
        return Logged(earlier, duplicate=True)
    return Logged(log, duplicate=False, records_before=records_before, status_before=status_before)


def _checked(data, session, today):
    """The log's own fields, checked: (status, day trained, rpe, notes, set rows as typed)."""
    status = data.get("status")
    if status not in LOG_STATUSES:
        raise HistoryError("Choose Done or Skipped.", "status")
    day = data.get("date") or min(session.date, today)
    if day > today:
        raise HistoryError("The date you trained cannot be in the future.", "date")
    if day < FIRST_DAY:
        raise HistoryError("Choose a date after 1900.", "date")
    rpe = data.get("rpe")
    if rpe is not None and not 1 <= rpe <= 10:
        raise HistoryError("RPE must be from 1 to 10.", "rpe")
    notes = (data.get("notes") or "").strip()
    if len(notes) > MAX_NOTES:
        raise HistoryError(f"Use at most {MAX_NOTES} characters.", "notes")
    rows = list(data.get("sets") or [])
    if len(rows) > MAX_SETS:
        raise HistoryError(f"A session log holds at most {MAX_SETS} sets.")
    return status, day, rpe, notes, rows


def _saved_by(submission_key):
    """The log a form with this key saved, sets loaded, or None."""
    return db.session.scalar(
        select(SessionLog).where(SessionLog.submission_key == submission_key).options(selectinload(SessionLog.sets))
    )


def _write(user, session, log, values, rows, based_on, submission_key):
    """The log (a new one when `log` is None) gets `values` and the sets `rows`, in a savepoint:
    all of it or, on LogConflict or a key saved meanwhile (IntegrityError), none of it."""
    with db.session.begin_nested():
        if log is None:
            log = SessionLog(user_id=user.id, session_id=session.id, sets=[])
            db.session.add(log)
        elif not _take_over(log, based_on, submission_key):
            raise LogConflict(STALE_LOG)
        for name, value in values.items():
            setattr(log, name, value)
        log.submission_key = submission_key
        db.session.flush()
        _write_sets(log, [{**row, "session_log_id": log.id, "user_id": user.id, "date": values["date"]} for row in rows])
    return log


def _write_sets(log, rows):
    """The log's sets become `rows`: the earlier ones deleted and the new ones inserted, one
    statement each however many sets (one multi-row INSERT, not a row at a time)."""
    if log.sets:
        db.session.execute(delete(SetLog).where(SetLog.session_log_id == log.id))
    saved = db.session.scalars(insert(SetLog).returning(SetLog), rows).all() if rows else []
    set_committed_value(log, "sets", sorted(saved, key=lambda s: (s.position, s.set_number)))


def mark_prescribed(rows, session, log):
    """Which sets are the coach's prescription: the exercise in its place in the session now,
    or one the earlier log already had as prescribed (the coach may have removed or moved it
    since, and it stays theirs, never "Added by you")."""
    prescribed = {(position, p.exercise_id) for position, p in enumerate(session.prescriptions)}
    if log is not None:
        prescribed |= {(s.position, s.exercise_id) for s in log.sets if s.prescribed}
    for row in rows:
        row["prescribed"] = (row["position"], row["exercise_id"]) in prescribed


def _take_over(log, based_on, submission_key):
    """Move the log from the key its form was opened on to this form's key, only if nobody saved
    it in between (compare-and-set, so two tabs saving at once cannot both win)."""
    changed = db.session.execute(
        update(SessionLog)
        .where(SessionLog.id == log.id, SessionLog.submission_key == based_on)
        .values(submission_key=submission_key)
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


def tell_coach(logged, records, link):
    """The coach hears that a client logged (with the new Personal Records named) or skipped a
    session, linked to that day of the client's calendar (`link`: the calendars area, above
    this one, owns its addresses). A resent form tells nothing, and an edit of a log tells only
    when it changes Done/Skipped or sets a new record."""
    log = logged.log
    if logged.status_before == log.status and not records:
        return
    subscription = db.session.get(Subscription, log.subscription_id)
    program = db.session.get(Program, subscription.program_id)
    client = db.session.get(User, log.user_id)
    title = f"{log.session_title} ({program.name})"
    if log.status == SKIPPED:
        text, kind = f"{client.name} skipped {title}" + (f": {log.notes}" if log.notes else ""), notice.SKIPPED
    elif records:
        unit = db.session.get(User, program.coach_id).units
        text, kind = f"{client.name} logged {title}. {records_line(records, unit)}", notice.RECORD
    else:
        text, kind = f"{client.name} logged {title}", notice.LOGGED
    notices.tell(program.coach_id, text, link, kind=kind, program_id=program.id, client_id=client.id)


def finish_log(log, rpe, notes):
    """Workout mode's last step: the session RPE (1 to 10, or none) and a comment, added to the
    log the workout just saved; its sets stay as they were."""
    if rpe is not None and not 1 <= rpe <= 10:
        raise HistoryError("RPE must be from 1 to 10.", "rpe")
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise HistoryError(f"Use at most {MAX_NOTES} characters.", "notes")
    log.rpe, log.notes = rpe, notes
