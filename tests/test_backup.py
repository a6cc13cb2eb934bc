"""`flask backup`: a consistent copy of the SQLite database while fitr runs; on PostgreSQL it
points the host at pg_dump."""

import sqlite3

from sqlalchemy import func, select

from fitr.accounts.models import User
from fitr.extensions import db


def test_backup_copies_the_database_while_it_is_in_use(app, gym, runner, tmp_path):
    target = tmp_path / "backup" / "fitr-2026-11-10.sqlite3"
    target.parent.mkdir()
    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))
        dialect = db.engine.dialect.name
    result = runner.invoke(args=["backup", str(target)])
    if dialect != "sqlite":
        assert result.exit_code != 0 and "pg_dump" in result.output and not target.exists()
        return
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM user").fetchone() == (users,)
    assert copy.execute("SELECT email FROM user WHERE name = 'Ada Athlete'").fetchone() == ("ada@example.com",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output
