"""Notice rules: tell someone, count and list what they have not read, mark it read."""

from sqlalchemy import func, select, update

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.notices.models import Notice


def tell(user_id, text, link=""):
    """A new unread notice for this user; `link` is a path inside fitr."""
    notice = Notice(user_id=user_id, text=text[:300], link=link)
    db.session.add(notice)
    return notice


def count_unread(user_id):
    return db.session.scalar(
        select(func.count(Notice.id)).where(Notice.user_id == user_id, Notice.read_at.is_(None))
    )


def unread(user_id, limit=20):
    """The user's unread notices, newest first."""
    return db.session.scalars(
        select(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(limit)
    ).all()


def mark_read(user_id):
    db.session.execute(
        update(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
