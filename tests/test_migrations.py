"""The committed migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from fitr import config, create_app
from fitr.extensions import db, include_object


def test_migrations_match_the_models(empty_app):
    with empty_app.app_context():
        upgrade(directory=str(config.ROOT / "migrations"))
        with db.engine.connect() as connection:
            options = {"compare_type": True, "include_object": include_object}
            diff = compare_metadata(MigrationContext.configure(connection, opts=options), db.metadata)
        assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_migrations_create_every_table_and_go_back_down(empty_app):
    with empty_app.app_context():
        upgrade(directory=str(config.ROOT / "migrations"))
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        starter = db.session.scalar(text("SELECT count(*) FROM exercise WHERE coach_id IS NULL"))
        assert starter >= 150  # a coach's first session editor already offers the starter library
        db.session.remove()
        downgrade(directory=str(config.ROOT / "migrations"), revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_the_app_never_creates_tables_by_itself(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"})
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
