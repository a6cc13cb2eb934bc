"""Every setting comes from the environment, with defaults that are safe for one coach on SQLite."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instance_path():
    """Where the SQLite database and the development secret key live (instance/ by default)."""
    return Path(os.environ.get("FITR_INSTANCE_PATH") or ROOT / "instance")

TRUE = {"1", "true", "yes", "on"}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def database_url():
    """DATABASE_URL, with the postgres:// spelling some hosts use turned into SQLAlchemy's."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path() / 'fitr.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def development_secret_key():
    """A random key kept in instance/ so sessions survive a restart of `make run`."""
    path = instance_path() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def outside_request_base_url(settings):
    """Where the links in an email made outside a request (the worker's digests and comment
    emails) point: BASE_URL, else this machine on $PORT, which is only right for a trial on it."""
    return settings.get("BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"


def base_url_warning(settings):
    """The line `flask check-config` and the worker's start print when production runs without
    BASE_URL (None when it is set, or outside production)."""
    if settings.get("FITR_ENV") != "production" or settings.get("BASE_URL"):
        return None
    return (
        f"BASE_URL is not set, so emails sent outside a request (the daily digest, comment "
        f"and message emails) will link to {outside_request_base_url(settings)}. Set BASE_URL to "
        f"the address people open fitr at, e.g. https://coach.example.com."
    )


class ConfigError(RuntimeError):
    """The app refuses to start with this configuration."""


def from_environment():
    """Build the configuration mapping from environment variables."""
    production = os.environ.get("FITR_ENV", "development").lower() == "production"
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random string before starting "
                "fitr in production (python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        secret_key = development_secret_key()
    base_url = os.environ.get("BASE_URL", "").rstrip("/")
    https = base_url.startswith("https://") or env_bool("SESSION_COOKIE_SECURE")
    mail_server = os.environ.get("MAIL_SERVER", "")
    return {
        "FITR_ENV": "production" if production else "development",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": base_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "TRUSTED_PROXIES": env_int("TRUSTED_PROXIES", 0),
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": env_int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env_bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": env_bool("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "fitr <no-reply@localhost>"),
        "MAIL_TIMEOUT": env_int("MAIL_TIMEOUT", 10),  # seconds the worker waits on the SMTP server
        "MAIL_SUPPRESS_SEND": False,  # tests send to a real SMTP server on loopback
        "OPEN_SIGNUP": env_bool("OPEN_SIGNUP", True),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Posts to the Stripe webhook whose signature fails, per address (signed events: no limit).
        "WEBHOOK_FAILURE_LIMIT": os.environ.get("WEBHOOK_FAILURE_LIMIT", "20 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Redis away: each process counts on its own (one log line) until it is back, rather
        # than a 500 on every login; an error in the limiter never fails a request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # The outbox worker's queue: Redis when set (several app servers), else a SQLite file.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "HUEY_REDIS_URL": os.environ.get("HUEY_REDIS_URL", ""),
        "HUEY_SQLITE_PATH": os.environ.get("HUEY_SQLITE_PATH", ""),
        # Run the worker in the app's process: by default only under `flask run`.
        "WORKER_IN_PROCESS": env_bool("WORKER_IN_PROCESS") if os.environ.get("WORKER_IN_PROCESS") else None,
        "PASSWORD_RESET_HOURS": env_int("PASSWORD_RESET_HOURS", 2),
        "INVITE_EXPIRY_DAYS": env_int("INVITE_EXPIRY_DAYS", 14),
        "INVITE_SENDS_PER_HOUR": env_int("INVITE_SENDS_PER_HOUR", 5),  # one invite, resent
        "INVITES_PER_COACH_HOUR": env_int("INVITES_PER_COACH_HOUR", 100),
        "INVITES_PER_COACH_DAY": env_int("INVITES_PER_COACH_DAY", 300),
        "INVITES_PER_ADDRESS_DAY": env_int("INVITES_PER_ADDRESS_DAY", 10),
        "PASSWORD_RESETS_PER_HOUR": env_int("PASSWORD_RESETS_PER_HOUR", 3),  # per address
        "DEFAULT_CURRENCY": os.environ.get("DEFAULT_CURRENCY", "GBP").upper(),
        "WTF_CSRF_TIME_LIMIT": None,
        # Card payments through Stripe: both keys, or paid programs are paid outside fitr.
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
        # Which fitr a Stripe object belongs to (several deployments may share one Stripe account);
        # by default derived from SECRET_KEY. STRIPE_API_BASE is only ever set by the tests.
        "STRIPE_DEPLOYMENT_ID": os.environ.get("STRIPE_DEPLOYMENT_ID", ""),
        "STRIPE_API_BASE": "https://api.stripe.com",
        "STRIPE_CHECKOUT_ORIGIN": "https://checkout.stripe.com",  # where Checkout pages are
        # Web Push (Settings > Reminders): the VAPID key that signs every push, else one generated
        # once into instance/; who push services may contact about them (default: the sender).
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY", ""),
        "VAPID_KEY_FILE": os.environ.get("VAPID_KEY_FILE") or str(instance_path() / "vapid_private_key.pem"),
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", ""),
        "PUSH_TIMEOUT": env_int("PUSH_TIMEOUT", 10),  # seconds the worker waits on a push service
        "PUSH_ALLOW_LOOPBACK": False,  # only ever set by the tests: their push service is on loopback
    }
