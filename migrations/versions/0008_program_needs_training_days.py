"""program.needs_training_days: an active client with fewer days of training scheduled ahead is
marked Needs training (0 = off; 3 by default, for every existing program too).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('program', sa.Column('needs_training_days', sa.Integer(), server_default='3', nullable=False))


def downgrade():
    op.drop_column('program', 'needs_training_days')
