"""Notice rules: tell someone, count and list what they have not read, mark it read."""

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.notices.models import JOINED, Notice
from fitr.programs.models import Program


def tell(user_id, text, link="", kind=JOINED, program_id=None, key=None, client_id=None):
    """A new unread notice for this user; `link` is a path inside fitr; `client_id`, the client it
    is about (it goes with their account). With a `key`, the notice is told at most once per key,
    even by two processes at once: None when it was told before."""
    notice = Notice(user_id=user_id, text=text[:300], link=link, kind=kind, program_id=program_id, key=key, client_id=client_id)
    if key is None:
        db.session.add(notice)
        return notice
    if db.session.scalar(select(Notice.id).where(Notice.user_id == user_id, Notice.key == key)) is not None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(notice)
    except IntegrityError:  # told by another process since the check
        return None
    return notice


def count_unread(user_id):
    return db.session.scalar(
        select(func.count(Notice.id)).where(Notice.user_id == user_id, Notice.read_at.is_(None))
    )


def unread(user_id, limit=20, program_id=None, kinds=None):
    """The user's unread notices, newest first; of one program, or of some kinds, if asked."""
    query = select(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
    if program_id is not None:
        query = query.where(Notice.program_id == program_id)
    if kinds is not None:
        query = query.where(Notice.kind.in_(kinds))
    return db.session.scalars(query.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)).all()


def since(user_id, kinds, moment, limit=20):
    """The user's notices of these kinds since `moment`, read or not, newest first."""
    return db.session.scalars(
        select(Notice)
        .where(Notice.user_id == user_id, Notice.kind.in_(kinds), Notice.created_at >= moment)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(limit)
    ).all()


def programs_with_unread(user_id):
    """[(program id, name)] of the programs the user's unread notices are about, by name."""
    return db.session.execute(
        select(Program.id, Program.name)
        .where(Program.id.in_(select(Notice.program_id).where(Notice.user_id == user_id, Notice.read_at.is_(None))))
        .order_by(func.lower(Program.name), Program.id)
    ).all()


def mark_read(user_id, notice_id=None, program_id=None):
    """Mark the user's notices read: one (`notice_id`), a program's, or all. Returns how many."""
    where = [Notice.user_id == user_id, Notice.read_at.is_(None)]
    if notice_id is not None:
        where.append(Notice.id == notice_id)
    if program_id is not None:
        where.append(Notice.program_id == program_id)
    return db.session.execute(
        update(Notice).where(*where).values(read_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
