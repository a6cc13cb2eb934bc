"""The coach's clients: everyone across their programs by tab, with a search (each a fixed
number of queries whatever the number of clients). Move to program is fitr.lifecycle's move()."""

from dataclasses import dataclass, field

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import contains_eager

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.invites.models import PENDING as INVITE_PENDING
from fitr.invites.models import Invite, InviteLink
from fitr.programs.models import PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE, ENDED, PENDING, Subscription
from fitr.subscriptions.queries import joined_if_ended, matching

TABS = {
    "active": (ACTIVE, "Active clients"),
    "pending": (PENDING, "Pending invites"),
    "past": (ENDED, "Past clients"),
}
PAGE_ROWS = 50  # clients (or invites) a tab shows at a time; its search and pages find the others


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


def like(query):
    query = (query or "").strip().lower()[:100]
    if not query:
        return None
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


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


def client_rows(coach_id, tab, query="", only=None, page=1, per_page=PAGE_ROWS):
    """One page of Active or Past clients: one row per client (by name), listing their programs;
    and whether a next page follows (one query). `only`: just these subscriptions (ids), for
    example those that need training."""
    status, _label = TABS[tab]
    pattern = like(query)
    sort_name = func.lower(func.coalesce(User.name, Subscription.client_name, Subscription.client_email))

    def scoped(statement):
        statement = (
            statement.join(Program, Subscription.program_id == Program.id)
            .outerjoin(User, Subscription.client_id == User.id)
            .where(Program.coach_id == coach_id, Subscription.status == status, joined_if_ended())
        )
        if pattern:
            statement = statement.where(matching(pattern))
        if only is not None:
            statement = statement.where(Subscription.id.in_(list(only)))
        return statement

    # The page's clients (by email, as a row is one email), then their subscriptions.
    shown = (
        scoped(select(Subscription.client_email, func.min(sort_name).label("sort_name")).select_from(Subscription))
        .group_by(Subscription.client_email)
        .order_by(func.min(sort_name), Subscription.client_email)
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
        .subquery()
    )
    statement = (
        scoped(select(Subscription))
        .join(shown, shown.c.client_email == Subscription.client_email)
        .options(contains_eager(Subscription.program), contains_eager(Subscription.client))
        .order_by(shown.c.sort_name, Subscription.client_email, Program.name, Subscription.id)
    )
    rows = {}
    for subscription in db.session.scalars(statement).unique():
        row = rows.get(subscription.client_email)
        if row is None:
            row = rows[subscription.client_email] = ClientRow(subscription.display_name, subscription.client_email)
        row.subscriptions.append(subscription)
    rows = list(rows.values())
    return rows[:per_page], len(rows) > per_page


def pending_rows(coach_id, query="", program_id=None, page=1, per_page=PAGE_ROWS):
    """One page of Pending invites: one row per invite, with its subscription and program; and
    whether a next page follows (one query)."""
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
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    if program_id is not None:
        statement = statement.where(Program.id == program_id)
    pattern = like(query)
    if pattern:
        statement = statement.where(matching(pattern))
    rows = [PendingRow(invite, subscription, program) for invite, subscription, program in db.session.execute(statement)]
    return rows[:per_page], len(rows) > per_page


def pending_invites_of(subscriptions):
    """{subscription id: its pending invite} for these subscriptions (one query): the invites of
    the Pending invites rows on screen."""
    invites = db.session.scalars(
        select(Invite).where(Invite.subscription_id.in_([s.id for s in subscriptions]), Invite.status == INVITE_PENDING)
    ).all()
    return {invite.subscription_id: invite for invite in invites}


def has_open_invite_link(coach_id):
    """True when clients can join one of the coach's published programs through its invite
    link right now (one query): the Clients tabs then look for new clients."""
    links = db.session.scalars(
        select(InviteLink)
        .join(Program, Program.id == InviteLink.program_id)
        .where(Program.coach_id == coach_id, Program.status == PUBLISHED, InviteLink.enabled.is_(True))
    ).all()
    return any(link.usable() for link in links)
