"""Configuration comes from environment variables with safe defaults."""

import pytest
from sqlalchemy import text

from fitr import config, create_app
from fitr.extensions import db


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment with instance/ in a temporary folder."""
    for name in list(__import__("os").environ):
        if name.startswith(("MAIL_", "DATABASE_URL", "SECRET_KEY", "FITR_", "BASE_URL", "OPEN_SIGNUP")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FITR_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def test_default_database_is_sqlite_file_in_instance_folder(env, tmp_path):
    settings = config.from_environment()
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'fitr.sqlite3'}"


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u:p@db/fitr", "postgresql+psycopg://u:p@db/fitr"),
        ("postgresql://u:p@db/fitr", "postgresql+psycopg://u:p@db/fitr"),
        ("sqlite:////srv/fitr.db", "sqlite:////srv/fitr.db"),
    ],
)
def test_database_url_from_environment(env, given, expected):
    env.setenv("DATABASE_URL", given)
    assert config.from_environment()["SQLALCHEMY_DATABASE_URI"] == expected


def test_development_secret_key_is_generated_once_and_kept(env, tmp_path):
    first = config.from_environment()["SECRET_KEY"]
    second = config.from_environment()["SECRET_KEY"]
    assert len(first) >= 32 and first == second
    assert (tmp_path / "instance" / "secret_key").read_text() == first


def test_production_refuses_to_start_without_secret_key(env):
    env.setenv("FITR_ENV", "production")
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_secret_key(env, tmp_path):
    env.setenv("FITR_ENV", "production")
    env.setenv("SECRET_KEY", "s3cret-from-the-environment")
    app = create_app()
    assert app.config["SECRET_KEY"] == "s3cret-from-the-environment"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_mail_settings_from_environment(env):
    env.setenv("MAIL_SERVER", "smtp.example.com")
    env.setenv("MAIL_PORT", "587")
    env.setenv("MAIL_USERNAME", "coach")
    env.setenv("MAIL_PASSWORD", "pw")
    env.setenv("MAIL_USE_TLS", "true")
    env.setenv("MAIL_DEFAULT_SENDER", "Coach <coach@example.com>")
    settings = config.from_environment()
    assert settings["MAIL_SERVER"] == "smtp.example.com"
    assert settings["MAIL_PORT"] == 587
    assert settings["MAIL_USERNAME"] == "coach" and settings["MAIL_PASSWORD"] == "pw"
    assert settings["MAIL_USE_TLS"] is True and settings["MAIL_USE_SSL"] is False
    assert settings["MAIL_DEFAULT_SENDER"] == "Coach <coach@example.com>"


def test_https_base_url_makes_cookies_secure(env):
    assert config.from_environment()["SESSION_COOKIE_SECURE"] is False
    env.setenv("BASE_URL", "https://coach.example.com/")
    settings = config.from_environment()
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["BASE_URL"] == "https://coach.example.com"


def test_open_signup_can_be_turned_off(env):
    assert config.from_environment()["OPEN_SIGNUP"] is True
    env.setenv("OPEN_SIGNUP", "false")
    assert config.from_environment()["OPEN_SIGNUP"] is False


def test_check_config_warns_when_production_has_no_base_url(env):
    env.setenv("FITR_ENV", "production")
    env.setenv("SECRET_KEY", "s3cret-from-the-environment")
    env.delenv("PORT", raising=False)
    result = create_app().test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 0 and "BASE_URL=\n" in result.stdout
    assert result.stderr.splitlines() == [
        "Warning: BASE_URL is not set, so emails sent outside a request (the daily digest, comment and "
        "message emails) will link to http://127.0.0.1:5000. Set BASE_URL to the address people open "
        "fitr at, e.g. https://coach.example.com."
    ]
    env.setenv("BASE_URL", "https://coach.example.com")
    result = create_app().test_cli_runner().invoke(args=["check-config"])
    assert "BASE_URL=https://coach.example.com" in result.stdout and result.stderr == ""


def test_check_config_says_nothing_of_base_url_outside_production(env):
    result = create_app().test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 0 and "FITR_ENV=development" in result.stdout and result.stderr == ""


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fitr.sqlite3'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()
