"""Invites (one email to one program) and per-program invite links."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

PENDING, ACCEPTED, REVOKED, EXPIRED = "pending", "accepted", "revoked", "expired"

# Delivery of the invite email. NOT_SENT: nothing tried yet (an Add manually client); SENDING:
# in the outbox, with the worker (retrying after a failure); FAILED: the worker gave up.
SENT, FAILED, NOT_CONFIGURED, NOT_SENT, SENDING = "sent", "failed", "not_configured", "not_sent", "sending"
DELIVERY_LABELS = {
    SENDING: "Sending…",
    SENT: "Sent",
    FAILED: "Failed",
    NOT_CONFIGURED: "Not sent",
    NOT_SENT: "Not sent yet",
}


class Invite(db.Model):
    """An invitation of one email address to one program.

    Its pending subscription (and, in a 1-2-1 program, that subscription's calendar) exists
    from the invite on. Only a hash of the link's token is stored; a fresh token is made each
    time the link is sent or copied, which invalidates the previous link.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower-cased
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)  # set when a link is made
    message: Mapped[str] = mapped_column(Text, default="")
    delivery_status: Mapped[str] = mapped_column(String(16), default=NOT_SENT)
    delivery_error: Mapped[str | None] = mapped_column(String(500), default=None)
    send_count: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)  # first email that went out
    last_sent_at: Mapped[datetime | None] = mapped_column(default=None)  # last attempt
    # Resends are limited per hour: the window's start and how many sends it has had.
    send_window_start: Mapped[datetime | None] = mapped_column(default=None)
    sends_in_window: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    program: Mapped[Program] = relationship(lazy="raise")
    subscription: Mapped[Subscription] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'revoked', 'expired')", name="known_status"
        ),
        CheckConstraint(
            "delivery_status IN ('sent', 'failed', 'not_configured', 'not_sent', 'sending')",
            name="known_delivery_status",
        ),
        # One pending invite per subscription: Resend and Copy link renew it.
        Index(
            "uq_invite_pending",
            "subscription_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    @property
    def delivery_label(self):
        return DELIVERY_LABELS[self.delivery_status]

    @property
    def delivered(self):
        return self.delivery_status == SENT

    @property
    def sending(self):
        return self.delivery_status == SENDING

    @property
    def never_sent(self):
        """An Add manually client whose email has not gone out yet."""
        return self.send_count == 0 and self.delivery_status == NOT_SENT


class InviteLink(db.Model):
    """A program's shareable invite link, which the coach turns on, off or regenerates.

    The token is derived from SECRET_KEY and `salt` (so the coach can copy it again later)
    and only its hash is stored for lookup; regenerating changes the salt.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), unique=True)
    salt: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    max_uses: Mapped[int | None] = mapped_column(default=None)  # None: no limit
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)  # None: never
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    program: Mapped[Program] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_positive"),
        CheckConstraint("uses >= 0", name="uses_not_negative"),
    )

    @property
    def used_up(self):
        return self.max_uses is not None and self.uses >= self.max_uses

    def expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    def usable(self, now=None):
        return self.enabled and not self.used_up and not self.expired(now)


class InviteSend(db.Model):
    """One invite email sent (or tried): counted against a coach's hourly and daily limits and
    an address's daily one, so that nobody can use fitr to flood inboxes."""

    __tablename__ = "invite_send"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))  # lower-cased
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_invite_send_coach_created", "coach_id", "created_at"),
        Index("ix_invite_send_email_created", "email", "created_at"),
    )
