"""A notice names the client it is about (notice.client_id, ON DELETE CASCADE): it may quote
them, so it goes when their account is deleted. Notices told before this are matched to their
client where it can be told: from the link (a client's calendar, their messages, a session's
comments) or from the client's name at the start of the text, among the program's clients.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 12:00:00

"""
import re
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

SUBSCRIPTION_LINK = re.compile(r"^/programs/\d+/clients/(\d+)/")
MESSAGES_LINK = re.compile(r"^/messages/\d+/(\d+)$")
SESSION_LINK = re.compile(r"[?&]client=(\d+)(?:&|$)")


def upgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notice_client_id'), ['client_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notice_client_id_user'), 'user', ['client_id'], ['id'], ondelete='CASCADE')
    backfill(op.get_bind())


def backfill(connection):
    subscriptions = {sid: client for sid, client in connection.execute(
        sa.text("SELECT id, client_id FROM subscription WHERE client_id IS NOT NULL"))}
    users = {uid for (uid,) in connection.execute(sa.text('SELECT id FROM "user"'))}
    clients = defaultdict(list)  # program id -> [(name, user id)] of its clients
    for program_id, name, client in connection.execute(sa.text(
            'SELECT s.program_id, u.name, u.id FROM subscription s JOIN "user" u ON u.id = s.client_id')):
        clients[program_id].append((name, client))
    found = []
    for notice_id, link, text, program_id in connection.execute(
            sa.text("SELECT id, link, text, program_id FROM notice WHERE client_id IS NULL")):
        client = about(link or "", text or "", clients.get(program_id, ()), subscriptions)
        if client in users:
            found.append({"notice": notice_id, "client": client})
    if found:
        connection.execute(sa.text("UPDATE notice SET client_id = :client WHERE id = :notice"), found)


def about(link, text, clients, subscriptions):
    """The client a notice told before 0025 is about, or None when it cannot be told."""
    if match := SUBSCRIPTION_LINK.match(link):
        return subscriptions.get(int(match[1]))
    if match := MESSAGES_LINK.match(link) or SESSION_LINK.search(link):
        return int(match[1])
    named = [(len(name), client) for name, client in clients if name and text.startswith(f"{name} ")]
    longest = {client for length, client in named if length == max(named)[0]} if named else set()
    return longest.pop() if len(longest) == 1 else None  # two clients of one name: not told apart


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notice_client_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notice_client_id'))
        batch_op.drop_column('client_id')
