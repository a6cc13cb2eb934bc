"""Logging in to an account is slowed down after a few wrong passwords: the count per address
(login_throttle, keyed by a hash of the address), and when the account's owner was told.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('counted_at', sa.DateTime(), nullable=False),
    sa.Column('refused_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email_hash', name=op.f('pk_login_throttle'))
    )
    op.create_index(op.f('ix_login_throttle_counted_at'), 'login_throttle', ['counted_at'], unique=False)
    op.add_column('user', sa.Column('login_warned_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('login_warned_at')
    op.drop_index(op.f('ix_login_throttle_counted_at'), table_name='login_throttle')
    op.drop_table('login_throttle')
