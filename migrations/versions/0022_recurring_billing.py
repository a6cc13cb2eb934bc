"""Recurring billing: a program's grace period after a failed payment; a subscription's failed
payment, its grace end, cancellation at the period end, and the newest Stripe event applied.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('program', sa.Column('grace_days', sa.Integer(), server_default='7', nullable=False))
    # Plain add_column (not batch mode): subscription has partial unique indexes.
    op.add_column('subscription', sa.Column('payment_failed_at', sa.DateTime(), nullable=True))
    op.add_column('subscription', sa.Column('grace_ends_at', sa.DateTime(), nullable=True))
    op.add_column('subscription', sa.Column('cancel_at_period_end', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.add_column('subscription', sa.Column('stripe_event_at', sa.DateTime(), nullable=True))
    op.create_index(op.f('ix_subscription_grace_ends_at'), 'subscription', ['grace_ends_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_subscription_grace_ends_at'), table_name='subscription')
    for column in ('stripe_event_at', 'cancel_at_period_end', 'grace_ends_at', 'payment_failed_at'):
        op.drop_column('subscription', column)
    op.drop_column('program', 'grace_days')
