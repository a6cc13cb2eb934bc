"""The exercise library: instructions and a demo video link per exercise, aliases (other names
an exercise is found by), and the starter exercises each coach hides.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Plain add_column: the exercise table has a partial index, which batch mode would not keep.
    op.add_column('exercise', sa.Column('instructions', sa.Text(), server_default='', nullable=False))
    op.add_column('exercise', sa.Column('video_url', sa.String(length=500), server_default='', nullable=False))
    op.create_table(
        'exercise_alias',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exercise_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['exercise_id'], ['exercise.id'], name=op.f('fk_exercise_alias_exercise_id_exercise'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_alias')),
    )
    op.create_index(op.f('ix_exercise_alias_exercise_id'), 'exercise_alias', ['exercise_id'], unique=False)
    op.create_index('uq_exercise_alias_name', 'exercise_alias', ['exercise_id', sa.text('lower(name)')], unique=True)
    op.create_table(
        'hidden_exercise',
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('exercise_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['coach_id'], ['user.id'], name=op.f('fk_hidden_exercise_coach_id_user'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['exercise_id'], ['exercise.id'], name=op.f('fk_hidden_exercise_exercise_id_exercise'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('coach_id', 'exercise_id', name=op.f('pk_hidden_exercise')),
    )
    op.create_index(op.f('ix_hidden_exercise_exercise_id'), 'hidden_exercise', ['exercise_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_hidden_exercise_exercise_id'), table_name='hidden_exercise')
    op.drop_table('hidden_exercise')
    op.drop_index('uq_exercise_alias_name', table_name='exercise_alias')
    op.drop_index(op.f('ix_exercise_alias_exercise_id'), table_name='exercise_alias')
    op.drop_table('exercise_alias')
    op.drop_column('exercise', 'video_url')
    op.drop_column('exercise', 'instructions')
