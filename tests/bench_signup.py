"""How long Sign up takes for a new address and for one with a proven account (scrypt, as in
production; SQLite; the email written to the outbox), interleaved: the medians should match,
or the time tells which addresses have accounts. Not a test (that counts password hashes:
tests/test_accounts_timing.py); run it by hand:

    .venv/bin/python tests/bench_signup.py [SOURCE_ROOT] [TRIES]

SOURCE_ROOT (default: this checkout) may be another checkout, e.g. `git archive <commit>`
unpacked in /tmp, to compare before and after a change.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

root = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[1])
tries = int(sys.argv[2]) if len(sys.argv) > 2 else 15
sys.path.insert(0, root)
os.environ.setdefault("SECRET_KEY", "bench-signup")

from fitr import create_app  # noqa: E402
from fitr.accounts.rules import create_account  # noqa: E402
from fitr.extensions import db  # noqa: E402


def main():
    folder = tempfile.mkdtemp()
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "TESTING": True, "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "100000 per minute", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9,
        "HUEY_SQLITE_PATH": f"{folder}/huey.sqlite3", "WORKER_IN_PROCESS": False, "BASE_URL": "http://localhost",
    })  # fmt: skip
    with app.app_context():
        db.create_all()
        create_account("Pat Proven", "pat@example.com", "pat's own passphrase")
        db.session.commit()
    client = app.test_client()

    def sign_up(email):
        started = time.perf_counter()
        answer = client.post("/signup", data={"name": "Someone", "email": email, "password": "a guess at a passphrase"})
        assert answer.status_code == 200, answer.status_code
        return (time.perf_counter() - started) * 1000

    sign_up("warm@example.com"), sign_up("pat@example.com")
    new, known = [], []
    for n in range(tries):
        new.append(sign_up(f"new{n}@example.com"))
        known.append(sign_up("pat@example.com"))
    for what, times in (("a new address", new), ("a proven account's", known)):
        print(f"Sign up with {what}: median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f})")


if __name__ == "__main__":
    main()
