"""The outbox: every email is a row, delivered by the worker; an invite can be Sending….

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

PENDING_ONLY = sa.text("status = 'pending'")


def upgrade():
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('to', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('reply_to', sa.String(length=254), nullable=True),
        sa.Column('about', sa.String(length=32), nullable=False),
        sa.Column('about_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_known_status')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index('ix_outbox_status_next_attempt_at', 'outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_outbox_about', 'outbox', ['about', 'about_id'], unique=False)
    _delivery_statuses("'sent', 'failed', 'not_configured', 'not_sent', 'sending'")


def downgrade():
    op.execute("UPDATE invite SET delivery_status = 'failed' WHERE delivery_status = 'sending'")
    _delivery_statuses("'sent', 'failed', 'not_configured', 'not_sent'")
    op.drop_index('ix_outbox_about', table_name='outbox')
    op.drop_index('ix_outbox_status_next_attempt_at', table_name='outbox')
    op.drop_table('outbox')


def _delivery_statuses(allowed):
    """Change invite's check on delivery_status. On SQLite that copies the table, which would
    lose the WHERE of the partial unique index: it is dropped first and made again after."""
    condition = f"delivery_status IN ({allowed})"
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_invite_known_delivery_status'), 'invite', type_='check')
        op.create_check_constraint('known_delivery_status', 'invite', condition)
        return
    op.drop_index('uq_invite_pending', table_name='invite')
    op.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('invite', recreate='always') as batch_op:
        batch_op.drop_constraint(op.f('ck_invite_known_delivery_status'), type_='check')
        batch_op.create_check_constraint('known_delivery_status', condition)
    op.execute('PRAGMA foreign_keys=ON')
    op.create_index('uq_invite_pending', 'invite', ['subscription_id'], unique=True,
                    sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY)
