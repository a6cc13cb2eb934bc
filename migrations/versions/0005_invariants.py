"""invariants the database keeps, and invite_send (what limits invite emails)

- one live (pending or active) subscription per program and client account, as well as per
  program and address;
- exercise names unique per coach, and in the starter library, without regard to case;
- one live calendar-feed link per subscription;
- one pending invite per subscription.

The exercise indexes are on lower(name): autogenerate cannot compare such indexes (see
fitr.extensions.include_object), and on SQLite a later batch_alter_table('exercise') would drop
them, so a later migration of that table creates them again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

LIVE_CLIENT = "status IN ('pending', 'active') AND client_id IS NOT NULL"


def upgrade():
    op.create_table('invite_send',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['user.id'], name=op.f('fk_invite_send_coach_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_send'))
    )
    op.create_index('ix_invite_send_coach_created', 'invite_send', ['coach_id', 'created_at'])
    op.create_index('ix_invite_send_email_created', 'invite_send', ['email', 'created_at'])

    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.drop_constraint('uq_exercise_coach_name', type_='unique')
    op.drop_index('uq_exercise_starter_name', table_name='exercise')
    op.create_index('uq_exercise_coach_name', 'exercise', ['coach_id', sa.text('lower(name)')], unique=True)
    op.create_index('uq_exercise_starter_name', 'exercise', [sa.text('lower(name)')], unique=True,
                    sqlite_where=sa.text('coach_id IS NULL'), postgresql_where=sa.text('coach_id IS NULL'))

    op.create_index('uq_feed_token_live', 'feed_token', ['subscription_id'], unique=True,
                    sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
    op.create_index('uq_invite_pending', 'invite', ['subscription_id'], unique=True,
                    sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
    op.create_index('uq_subscription_live_client', 'subscription', ['program_id', 'client_id'], unique=True,
                    sqlite_where=sa.text(LIVE_CLIENT), postgresql_where=sa.text(LIVE_CLIENT))


def downgrade():
    op.drop_index('uq_subscription_live_client', table_name='subscription')
    op.drop_index('uq_invite_pending', table_name='invite')
    op.drop_index('uq_feed_token_live', table_name='feed_token')
    op.drop_index('uq_exercise_starter_name', table_name='exercise')
    op.drop_index('uq_exercise_coach_name', table_name='exercise')
    op.create_index('uq_exercise_starter_name', 'exercise', ['name'], unique=True,
                    sqlite_where=sa.text('coach_id IS NULL'), postgresql_where=sa.text('coach_id IS NULL'))
    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_exercise_coach_name', ['coach_id', 'name'])
    op.drop_index('ix_invite_send_email_created', table_name='invite_send')
    op.drop_index('ix_invite_send_coach_created', table_name='invite_send')
    op.drop_table('invite_send')
