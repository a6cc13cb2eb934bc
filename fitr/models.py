"""Every table, imported in one place so Alembic and create_app() see them all."""

from fitr.accounts.models import PasswordReset, User
from fitr.calendars.models import Calendar, Prescription, Session
from fitr.cards.ledger import Payment
from fitr.conversations.models import Conversation, Message, ReadMarker
from fitr.history.models import ManualRecord, SessionLog, SetLog
from fitr.invites.models import Invite, InviteLink
from fitr.library.models import Exercise, Workout, WorkoutItem
from fitr.maxes.models import TrainingMax
from fitr.notices.models import Notice
from fitr.outbox import OutboxMessage
from fitr.payments.models import StripeEvent
from fitr.programs.models import Program
from fitr.push.models import PushMessage, PushSubscription, Reminders, TrainingReminder
from fitr.scheduled.models import Digest, ThreadEmail
from fitr.subscriptions.models import Subscription
from fitr.training.models import FeedToken

__all__ = [
    "Calendar", "Conversation", "Digest", "Exercise", "FeedToken", "Invite", "InviteLink", "ManualRecord",
    "Message", "Notice", "OutboxMessage", "PasswordReset", "Payment", "Prescription", "Program", "PushMessage", "PushSubscription", "ReadMarker", "Reminders", "Session",
    "SessionLog",
    "SetLog", "StripeEvent", "Subscription", "ThreadEmail", "TrainingMax", "TrainingReminder", "User", "Workout", "WorkoutItem",
]  # fmt: skip
