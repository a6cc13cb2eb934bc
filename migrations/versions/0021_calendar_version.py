"""Calendars: a version every change to a calendar bumps (the calendar fragment's ETag), and an
index on (program, kind) that finds a program's shared calendar without reading every client's.

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    # Plain add_column (not batch mode): calendar has a partial unique index.
    op.add_column('calendar', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.create_index('ix_calendar_program_kind', 'calendar', ['program_id', 'kind'], unique=False)
    op.drop_index('ix_calendar_program_id', table_name='calendar')


def downgrade():
    op.create_index('ix_calendar_program_id', 'calendar', ['program_id'], unique=False)
    op.drop_index('ix_calendar_program_kind', table_name='calendar')
    op.drop_column('calendar', 'version')
