"""Supersets and circuits: a prescription (and a library workout's item) joined to the one above
is in its group; the group's rounds are kept on its first row.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TABLES = ('prescription', 'workout_item')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('joined', sa.Boolean(), server_default=sa.false(), nullable=False))
            batch_op.add_column(sa.Column('rounds', sa.Integer(), nullable=True))
            batch_op.create_check_constraint(op.f(f'ck_{table}_sane_rounds'), 'rounds IS NULL OR (rounds BETWEEN 1 AND 50)')


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_sane_rounds'), type_='check')
            batch_op.drop_column('rounds')
            batch_op.drop_column('joined')
