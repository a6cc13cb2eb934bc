"""The ledger of payments: each payment and refund Stripe confirmed, once per Stripe object.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'payment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=True),
        sa.Column('subscription_id', sa.Integer(), nullable=True),
        sa.Column('program_name', sa.String(length=100), nullable=False),
        sa.Column('client_name', sa.String(length=254), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('amount_minor', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('paid_at', sa.DateTime(), nullable=False),
        sa.Column('stripe_id', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['coach_id'], ['user.id'], name=op.f('fk_payment_coach_id_user'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_payment_program_id_program'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_payment_subscription_id_subscription'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
        sa.UniqueConstraint('stripe_id', name=op.f('uq_payment_stripe_id')),
    )
    op.create_index(op.f('ix_payment_coach_id'), 'payment', ['coach_id'], unique=False)
    op.create_index(op.f('ix_payment_program_id'), 'payment', ['program_id'], unique=False)
    op.create_index(op.f('ix_payment_subscription_id'), 'payment', ['subscription_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_payment_subscription_id'), table_name='payment')
    op.drop_index(op.f('ix_payment_program_id'), table_name='payment')
    op.drop_index(op.f('ix_payment_coach_id'), table_name='payment')
    op.drop_table('payment')
