"""Each user chooses light or dark pages in Settings (user.theme): system (the device's own
setting, what everyone has until they choose), light or dark.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme', sa.String(length=6), server_default='system', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('theme')
