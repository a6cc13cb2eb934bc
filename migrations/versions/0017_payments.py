"""Paid programs through Stripe: a program's free trial; the price each subscription was sold
at, its payment state and Stripe objects; the webhook events applied.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stripe_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.String(length=255), nullable=False),
        sa.Column('type', sa.String(length=100), nullable=False),
        sa.Column('outcome', sa.String(length=100), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_event')),
        sa.UniqueConstraint('event_id', name=op.f('uq_stripe_event_event_id')),
    )
    op.add_column('program', sa.Column('trial_days', sa.Integer(), server_default='0', nullable=False))
    # Plain add_column (not batch mode): subscription has partial unique indexes.
    op.add_column('subscription', sa.Column('payment', sa.String(length=15), server_default='', nullable=False))
    op.add_column('subscription', sa.Column('price_minor', sa.Integer(), server_default='0', nullable=False))
    op.add_column('subscription', sa.Column('currency', sa.String(length=3), server_default='', nullable=False))
    op.add_column('subscription', sa.Column('billing_period', sa.String(length=10), server_default='', nullable=False))
    op.add_column('subscription', sa.Column('trial_days', sa.Integer(), server_default='0', nullable=False))
    op.add_column('subscription', sa.Column('stripe_checkout_id', sa.String(length=255), nullable=True))
    op.add_column('subscription', sa.Column('stripe_customer_id', sa.String(length=255), nullable=True))
    op.add_column('subscription', sa.Column('stripe_subscription_id', sa.String(length=255), nullable=True))
    op.add_column('subscription', sa.Column('next_payment_at', sa.DateTime(), nullable=True))
    op.create_index(op.f('ix_subscription_stripe_subscription_id'), 'subscription', ['stripe_subscription_id'], unique=False)
    # Subscriptions already there were sold at their program's price of today.
    op.execute(
        """
        UPDATE subscription SET price_minor = (SELECT price_minor FROM program WHERE program.id = subscription.program_id),
                                currency = (SELECT currency FROM program WHERE program.id = subscription.program_id),
                                billing_period = (SELECT billing_period FROM program WHERE program.id = subscription.program_id)
        """
    )


def downgrade():
    op.drop_index(op.f('ix_subscription_stripe_subscription_id'), table_name='subscription')
    for column in ('next_payment_at', 'stripe_subscription_id', 'stripe_customer_id', 'stripe_checkout_id',
                   'trial_days', 'billing_period', 'currency', 'price_minor', 'payment'):
        op.drop_column('subscription', column)
    # A plain DROP COLUMN: rebuilding program on SQLite would cascade to every subscription.
    op.drop_column('program', 'trial_days')
    op.drop_table('stripe_event')
