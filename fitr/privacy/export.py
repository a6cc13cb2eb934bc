"""Everything fitr keeps about one person, as plain data for a JSON file: the account, their
subscriptions, the sessions they have been shown, what they logged, their records and maxes,
and their messages. A fixed number of queries however much there is."""

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from fitr.accounts.models import User
from fitr.clock import today_for, utcnow
from fitr.conversations.models import Conversation, Message
from fitr.extensions import db
from fitr.history.models import ManualRecord, SessionLog
from fitr.history.records import personal_records
from fitr.library.models import PrescriptionFields
from fitr.maxes.models import TrainingMax
from fitr.push.models import PushSubscription, Reminders
from fitr.push.rules import CHOICES
from fitr.training.visibility import client_subscriptions, visible_sessions

EVER = (date(1900, 1, 1), date(9999, 12, 31))
ACCOUNT = ("name", "email", "units", "time_zone", "is_coach", "created_at", "email_confirmed_at",
           "email_comments", "email_messages", "email_digest")  # fmt: skip
SUBSCRIPTION = ("status", "start_date", "started_at", "ended_at", "ends_on", "payment", "price_minor", "currency",
                "billing_period", "trial_days", "next_payment_at")  # fmt: skip
ROW = tuple(name for name in PrescriptionFields.COPIED if name not in ("position", "exercise_id"))
LOG = ("date", "status", "program_name", "session_title", "rpe", "notes", "created_at", "updated_at")
SET = ("exercise_name", "set_number", "reps", "load_kg", "duration_seconds", "distance_m")
MANUAL = ("exercise_name", "date", "reps", "load_kg", "duration_seconds", "distance_m", "note")


def plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def fields(obj, names):
    return {name: plain(getattr(obj, name)) for name in names}


def export_account(user: User):
    """The person's data as a dict, ready for json.dumps."""
    subscriptions = client_subscriptions(user.id)
    shown = visible_sessions(subscriptions, *EVER, today_for(user), client=user)
    return {
        "exported_at": plain(utcnow()),
        "account": fields(user, ACCOUNT),
        "subscriptions": [
            {"program": s.program.name, "coach": s.program.coach.name, **fields(s, SUBSCRIPTION)} for s in subscriptions
        ],
        "sessions": [_session(planned.session, planned.subscription) for planned in shown],
        "logs": _logs(user.id),
        "records": _records(user.id),
        "records_entered_by_hand": [fields(r, MANUAL) for r in _scalars(ManualRecord, ManualRecord.user_id == user.id)],
        "maxes": _maxes(user.id),
        "conversations": _conversations(user.id),
        "reminders": _reminders(user.id),
    }


def _reminders(user_id):
    """What they chose in Settings > Reminders, and when each phone was turned on (not its push
    address or keys: they are the phone's, for its push service)."""
    chosen = db.session.get(Reminders, user_id)
    phones = _scalars(PushSubscription, PushSubscription.user_id == user_id)
    return {
        **({name: getattr(chosen, name) for name in CHOICES} if chosen else {}),
        **({"training_at": chosen.training_at.strftime("%H:%M")} if chosen else {}),
        "phones_turned_on": [plain(phone.created_at) for phone in phones],
    }


def _scalars(model, where):
    return db.session.scalars(select(model).where(where).order_by(model.id)).all()


def _session(session, subscription):
    return {
        "program": subscription.program.name,
        "date": plain(session.date),
        "title": session.title,
        "notes": session.notes,
        "exercises": [{"exercise": p.exercise.name, **fields(p, ROW)} for p in session.prescriptions],
    }


def _logs(user_id):
    logs = db.session.scalars(
        select(SessionLog)
        .where(SessionLog.user_id == user_id)
        .options(selectinload(SessionLog.sets))
        .order_by(SessionLog.date, SessionLog.id)
    ).all()
    return [{**fields(log, LOG), "sets": [fields(s, SET) for s in log.sets]} for log in logs]


def _records(user_id):
    """Personal Records per exercise (loads in kg), as the Records page works them out."""
    found = []
    for records in personal_records(user_id).values():
        for record in records.all():
            found.append({
                "exercise": records.name, "kind": record.kind, "value": record.value, "reps": record.reps,
                "load_kg": record.load_kg, "date": plain(record.date),
            })  # fmt: skip
    return found


def _maxes(user_id):
    maxes = db.session.scalars(
        select(TrainingMax)
        .where(TrainingMax.client_id == user_id)
        .options(joinedload(TrainingMax.exercise))
        .order_by(TrainingMax.id)
    ).all()
    return [{"exercise": m.exercise.name, "kind": m.kind, "value_kg": m.value_kg, "set_by": m.set_by,
             "set_at": plain(m.set_at)} for m in maxes]  # fmt: skip


def _conversations(user_id):
    """Every thread they are in, with its messages (a deleted message without its text)."""
    threads = db.session.scalars(
        select(Conversation)
        .where(or_(Conversation.client_id == user_id, Conversation.coach_id == user_id))
        .options(joinedload(Conversation.coach), joinedload(Conversation.client))
        .order_by(Conversation.id)
    ).all()
    messages = {}
    if threads:
        for message in db.session.scalars(
            select(Message).where(Message.conversation_id.in_([t.id for t in threads])).order_by(Message.id)
        ):
            messages.setdefault(message.conversation_id, []).append(message)
    names = {}
    for thread in threads:
        names.update({thread.coach_id: thread.coach.name, thread.client_id: thread.client.name})
    return [
        {
            "with": thread.other(user_id).name,
            "kind": thread.kind,
            "session_title": thread.session_title or None,
            "session_date": plain(thread.session_date),
            "messages": [
                {
                    "from": "you" if m.author_id == user_id else names.get(m.author_id, ""),
                    "text": None if m.deleted_at else m.body,
                    "sent_at": plain(m.created_at),
                    "edited_at": plain(m.edited_at),
                    "deleted": m.deleted_at is not None,
                }
                for m in messages.get(thread.id, [])
            ],
        }
        for thread in threads
    ]
