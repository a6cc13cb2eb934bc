"""What fitr tells without being asked: notice.key (a notice told at most once per key),
each user's email preferences, the digest claims, and the last email about each thread.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('notice', sa.Column('key', sa.String(length=100), nullable=True))
    op.create_index('uq_notice_user_key', 'notice', ['user_id', 'key'], unique=True)
    for column in ('email_comments', 'email_messages', 'email_digest'):
        op.add_column('user', sa.Column(column, sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        'digest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_digest_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_digest')),
        sa.UniqueConstraint('user_id', 'day', name='uq_digest_user_day'),
    )
    op.create_table(
        'thread_email',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('last_message_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_thread_email_conversation_id_conversation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_thread_email_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'conversation_id', name=op.f('pk_thread_email')),
    )


def downgrade():
    op.drop_table('thread_email')
    op.drop_table('digest')
    for column in ('email_digest', 'email_messages', 'email_comments'):
        op.drop_column('user', column)
    op.drop_index('uq_notice_user_key', table_name='notice')
    op.drop_column('notice', 'key')
