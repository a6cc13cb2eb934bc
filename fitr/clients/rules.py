"""The Clients page: everyone across a coach's programs, by tab, with a search.

Each function is a fixed number of queries whatever the number of clients.
"""

from dataclasses import dataclass, field

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import contains_eager

from fitr.auth.models import User
from fitr.extensions import db
from fitr.invites.models import PENDING as INVITE_PENDING
from fitr.invites.models import Invite, InviteLink
from fitr.programs.models import ACTIVE, ENDED, PENDING, PUBLISHED, Program, Subscription

TABS = {
    "active": (ACTIVE, "Active clients"),
    "pending": (PENDING, "Pending invites"),
    "past": (ENDED, "Past clients"),
}
MAX_ROWS = 500


@dataclass
class ClientRow:
    """One client (one email address) with their subscriptions to the coach's programs."""

    name: str
    email: str
    subscriptions: list = field(default_factory=list)


@dataclass(frozen=True)
class PendingRow:
    invite: Invite
    subscription: Subscription
    program: Program


def _like(query):
    query = (query or "").strip().lower()[:100]
    if not query:
        return None
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _search(pattern):
    return or_(
        func.lower(Subscription.client_name).like(pattern, escape="\\"),
        Subscription.client_email.like(pattern, escape="\\"),
        func.lower(User.name).like(pattern, escape="\\"),
    )


def joined(status):
    """Past clients are those who joined and left: an invite revoked or expired is not one."""
    if status == ENDED:
        return (Subscription.status == ENDED, Subscription.started_at.is_not(None))
    return (Subscription.status == status,)


def tab_counts(coach_id):
    """{'active': clients, 'pending': invites, 'past': clients}, in one query."""
    row = db.session.execute(
        select(
            func.count(distinct(case((Subscription.status == ACTIVE, Subscription.client_email)))),
            func.count(case((Subscription.status == PENDING, Subscription.id))),
            func.count(
                distinct(
                    case(
                        (
                            (Subscription.status == ENDED) & Subscription.started_at.is_not(None),
                            Subscription.client_email,
                        )
                    )
                )
            ),
        )
        .join(Program, Subscription.program_id == Program.id)
        .where(Program.coach_id == coach_id)
    ).one()
    return dict(zip(TABS, row, strict=True))


def client_rows(coach_id, tab, query=""):
    """Active or Past clients: one row per client, listing their programs (one query)."""
    status, _label = TABS[tab]
    statement = (
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .outerjoin(User, Subscription.client_id == User.id)
        .options(contains_eager(Subscription.program), contains_eager(Subscription.client))
        .where(Program.coach_id == coach_id, *joined(status))
        .order_by(func.lower(func.coalesce(User.name, Subscription.client_name, Subscription.client_email)),
                  Subscription.client_email, Program.name, Subscription.id)
        .limit(MAX_ROWS)
    )
    pattern = _like(query)
    if pattern:
        statement = statement.where(_search(pattern))
    rows = {}
    for subscription in db.session.scalars(statement).unique():
        row = rows.get(subscription.client_email)
        if row is None:
            row = rows[subscription.client_email] = ClientRow(subscription.display_name, subscription.client_email)
        row.subscriptions.append(subscription)
    return list(rows.values())


def pending_rows(coach_id, query="", program_id=None):
    """Pending invites: one row per invite, with its subscription and program (one query)."""
    statement = (
        select(Invite, Subscription, Program)
        .join(Subscription, Invite.subscription_id == Subscription.id)
        .join(Program, Invite.program_id == Program.id)
        .outerjoin(User, Subscription.client_id == User.id)
        .where(
            Program.coach_id == coach_id,
            Invite.status == INVITE_PENDING,
            Subscription.status == PENDING,
        )
        .order_by(Invite.created_at.desc(), Invite.id.desc())
        .limit(MAX_ROWS)
    )
    if program_id is not None:
        statement = statement.where(Program.id == program_id)
    pattern = _like(query)
    if pattern:
        statement = statement.where(_search(pattern))
    return [PendingRow(invite, subscription, program) for invite, subscription, program in db.session.execute(statement)]


def published_programs(coach_id):
    """The coach's programs that take clients, for the Program select of Clients > Invite."""
    return db.session.scalars(
        select(Program)
        .where(Program.coach_id == coach_id, Program.status == PUBLISHED)
        .order_by(func.lower(Program.name), Program.id)
    ).all()


def has_open_invite_link(coach_id):
    """True when clients can join one of the coach's published programs through its invite
    link right now (one query): the Clients tabs then look for new clients."""
    links = db.session.scalars(
        select(InviteLink)
        .join(Program, Program.id == InviteLink.program_id)
        .where(Program.coach_id == coach_id, Program.status == PUBLISHED, InviteLink.enabled.is_(True))
    ).all()
    return any(link.usable() for link in links)
