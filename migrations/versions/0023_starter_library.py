"""The whole starter library on a fresh install: the aliases ("RDL", "Squat") and instructions
shipped in fitr/library/data/exercises.csv, which 0003 (names only) and 0012 (an empty alias
table) left to `flask library load-exercises`. Adds only what is missing, so it is safe on a
database where that command already ran, and never overwrites a coach's edits.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 09:30:00

"""
import csv
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

STARTER_EXERCISES = Path(__file__).resolve().parents[2] / "fitr" / "library" / "data" / "exercises.csv"

exercise = sa.table(
    "exercise",
    sa.column("id", sa.Integer), sa.column("coach_id", sa.Integer), sa.column("name", sa.String),
    sa.column("category", sa.String), sa.column("measure", sa.String), sa.column("archived", sa.Boolean),
    sa.column("created_at", sa.DateTime), sa.column("instructions", sa.Text),
)
exercise_alias = sa.table(
    "exercise_alias", sa.column("exercise_id", sa.Integer), sa.column("name", sa.String),
)


def upgrade():
    connection = op.get_bind()
    with open(STARTER_EXERCISES, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    starter = exercise.c.coach_id.is_(None)
    have = {name: id for id, name in connection.execute(sa.select(exercise.c.id, exercise.c.name).where(starter))}
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    missing = [row for row in rows if row["name"] not in have]
    if missing:
        op.bulk_insert(exercise, [
            {"coach_id": None, "name": row["name"], "category": row["category"], "measure": row["measure"],
             "archived": False, "created_at": now, "instructions": ""}
            for row in missing
        ])
        have = {name: id for id, name in connection.execute(sa.select(exercise.c.id, exercise.c.name).where(starter))}
    for row in rows:
        if row.get("instructions"):
            # Only where empty: a starter exercise's instructions are never a coach's own text,
            # but an operator may have written their own.
            connection.execute(
                exercise.update()
                .where(exercise.c.id == have[row["name"]], sa.func.coalesce(exercise.c.instructions, "") == "")
                .values(instructions=row["instructions"])
            )
    known = {(id, name.lower()) for id, name in connection.execute(sa.select(exercise_alias.c.exercise_id, exercise_alias.c.name))}
    aliases = []
    for row in rows:
        for alias in (row.get("aliases") or "").split("|"):
            key = (have[row["name"]], alias.lower())
            if alias and key not in known:
                known.add(key)
                aliases.append({"exercise_id": key[0], "name": alias})
    if aliases:
        op.bulk_insert(exercise_alias, aliases)


def downgrade():
    # The aliases and instructions are data a coach relies on once shipped; going back to 0022
    # keeps them (0012's downgrade drops the alias table itself).
    pass
