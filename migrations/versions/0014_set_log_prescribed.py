"""set_log.prescribed: a logged set was the coach's prescription (not an exercise the client
added), so an exercise the coach removes later is not shown as "Added by you".

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('set_log', sa.Column('prescribed', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Logs already kept: prescribed when the session still has that exercise in that place
    # (what the log page decided until now).
    op.execute(
        """
        UPDATE set_log SET prescribed = TRUE
        WHERE EXISTS (
            SELECT 1 FROM session_log
            JOIN prescription ON prescription.session_id = session_log.session_id
            WHERE session_log.id = set_log.session_log_id
              AND prescription.position = set_log.position
              AND prescription.exercise_id = set_log.exercise_id
        )
        """
    )


def downgrade():
    with op.batch_alter_table('set_log') as batch_op:
        batch_op.drop_column('prescribed')
