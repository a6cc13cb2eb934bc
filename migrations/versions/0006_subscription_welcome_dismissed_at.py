"""subscription.welcome_dismissed_at: when the client dismissed the program's welcome on Today

Plain ADD/DROP COLUMN, not batch mode: a batch rebuild of `subscription` on SQLite would lose
the WHERE of its partial unique indexes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:13:52.321149

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('subscription', sa.Column('welcome_dismissed_at', sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column('subscription', 'welcome_dismissed_at')
