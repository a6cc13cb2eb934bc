"""FITR's other program types: Fixed Length ('fixed') and Session 1 Day 1 ('self_paced'), and
subscription.ends_on (the last day of a Fixed Length program as placed on a client's calendar).

SQLite cannot change a CHECK constraint in place, so the program table is rebuilt there (batch
mode). Other tables reference program with ON DELETE CASCADE: the rebuild's DROP TABLE would
delete every subscription, calendar and session of every program, so foreign keys are turned
off around it (a PRAGMA SQLite only honours outside a transaction: upgrading from 0014 it is the
first statement; on a fresh database there is nothing yet to lose).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD = "type IN ('1-2-1', 'group')"
NEW = "type IN ('1-2-1', 'group', 'fixed', 'self_paced')"


def _known_type(condition):
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_program_known_type'), 'program', type_='check')
        op.create_check_constraint('known_type', 'program', condition)
        return
    op.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('program', recreate='always') as batch_op:
        batch_op.drop_constraint(op.f('ck_program_known_type'), type_='check')
        batch_op.create_check_constraint('known_type', condition)
    op.execute('PRAGMA foreign_keys=ON')


def upgrade():
    op.add_column('subscription', sa.Column('ends_on', sa.Date(), nullable=True))
    _known_type(NEW)


def downgrade():
    # Programs of the new types become 1-2-1 (each client keeps their own calendar).
    op.execute("UPDATE program SET type = '1-2-1' WHERE type IN ('fixed', 'self_paced')")
    _known_type(OLD)
    with op.batch_alter_table('subscription') as batch_op:
        batch_op.drop_column('ends_on')
