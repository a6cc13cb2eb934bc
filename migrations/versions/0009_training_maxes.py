"""training maxes, loads from percentages (%1RM and %TM)

- training_max: a client's max per exercise, per coach;
- program: use_estimated_1rm, plate_kg, plate_lb (plain ADD/DROP COLUMN, not batch mode: a
  batch rebuild of `program` on SQLite drops the table that every other table refers to);
- prescription and workout_item: '%tm' (a percentage of the training max) joins the known load
  units (batch mode: SQLite rebuilds these tables, which nothing refers to, with the new CHECK).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:27:43.454553

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

UNITS_BEFORE = "load_unit IS NULL OR load_unit IN ('kg', 'lb', '%1rm')"
UNITS_AFTER = "load_unit IS NULL OR load_unit IN ('kg', 'lb', '%1rm', '%tm')"


def _load_units(check):
    for table in ('prescription', 'workout_item'):
        name = op.f(f'ck_{table}_known_load_unit')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_='check')
            batch_op.create_check_constraint(name, check)


def upgrade():
    op.create_table('training_max',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('value_kg', sa.Float(), nullable=False),
    sa.Column('set_by', sa.String(length=6), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('1rm', 'tm')", name=op.f('ck_training_max_known_kind')),
    sa.CheckConstraint("set_by IN ('coach', 'client')", name=op.f('ck_training_max_known_setter')),
    sa.CheckConstraint('value_kg > 0 AND value_kg <= 1000', name=op.f('ck_training_max_sane_value')),
    sa.ForeignKeyConstraint(['client_id'], ['user.id'], name=op.f('fk_training_max_client_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coach_id'], ['user.id'], name=op.f('fk_training_max_coach_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercise.id'], name=op.f('fk_training_max_exercise_id_exercise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_max')),
    sa.UniqueConstraint('coach_id', 'client_id', 'exercise_id', name=op.f('uq_training_max_coach_id_client_id_exercise_id'))
    )
    op.create_index(op.f('ix_training_max_client_id'), 'training_max', ['client_id'], unique=False)

    op.add_column('program', sa.Column('use_estimated_1rm', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('program', sa.Column('plate_kg', sa.Float(), server_default='2.5', nullable=False))
    op.add_column('program', sa.Column('plate_lb', sa.Float(), server_default='5.0', nullable=False))

    _load_units(UNITS_AFTER)


def downgrade():
    # A prescription in %TM has no place in the older schema: it becomes the %1RM it comes to
    # (a training max is taken as 90% of the 1RM).
    for table in ('prescription', 'workout_item'):
        op.execute(f"UPDATE {table} SET load_unit = '%1rm', load_value = load_value * 0.9 WHERE load_unit = '%tm'")
    _load_units(UNITS_BEFORE)

    op.drop_column('program', 'plate_lb')
    op.drop_column('program', 'plate_kg')
    op.drop_column('program', 'use_estimated_1rm')

    op.drop_index(op.f('ix_training_max_client_id'), table_name='training_max')
    op.drop_table('training_max')
