"""Race safety: the same invite accepted at once from several places makes one subscription.

Each thread has its own test client (its own cookies and database session) and they POST the
accept form together; the database (a file on SQLite, or PostgreSQL) decides who wins.
"""

import threading

from factories import PASSWORD, make_user
from sqlalchemy import func, select

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.invites.models import Invite, InviteLink
from fitr.subscriptions.models import Subscription

THREADS = 6


def at_once(app, requests):
    """Run each `request(client)` in its own thread, released together; their responses."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)
    errors = []

    def run(i, request):
        client = app.test_client()
        try:
            prepared = request.prepare(client) if hasattr(request, "prepare") else None
            barrier.wait(timeout=10)
            responses[i] = request(client) if prepared is None else request.go(client)
        except Exception as error:  # surfaced below, with the thread's error
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return responses


class LoggedInPost:
    """Log in first (before the barrier), then POST."""

    def __init__(self, email, path, data=None):
        self.email, self.path, self.data = email, path, data or {}

    def prepare(self, client):
        client.post("/login", data={"email": self.email, "password": PASSWORD})
        return True

    def go(self, client):
        return client.post(self.path, data=self.data)


def counts(app):
    with app.app_context():
        subs = db.session.scalars(select(Subscription)).all()
        users = db.session.scalar(select(func.count()).select_from(User))
        return subs, users


def test_same_invite_accepted_at_once_by_new_visitors_makes_one_account_and_one_subscription(
    app, invited_client
):
    path = f"/invite/{invited_client.token}"
    responses = at_once(
        app,
        [lambda c, i=i: c.post(path, data={"name": f"Ada {i}", "password": PASSWORD}) for i in range(THREADS)],
    )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(302) == 1, codes
    assert all(code in (409, 410) for code in codes if code != 302), codes
    assert all(code < 500 for code in codes)
    subs, users = counts(app)
    assert len(subs) == 1 and subs[0].status == "active" and subs[0].client_id is not None
    assert users == 2  # the coach and Ada: no account without a subscription


def test_same_invite_accepted_at_once_in_two_tabs_by_the_same_user_makes_one_subscription(
    app, invited_client
):
    make_user(app, "Ada", "ada@example.com")
    path = f"/invite/{invited_client.token}"
    responses = at_once(app, [LoggedInPost("ada@example.com", path) for _ in range(THREADS)])
    # Every tab lands on the same program page: the winner's, and the others follow it.
    assert {r.status_code for r in responses} == {302}
    assert len({r.headers["Location"] for r in responses}) == 1
    subs, _ = counts(app)
    assert len(subs) == 1 and subs[0].status == "active"
    with app.app_context():
        assert db.session.scalar(select(Invite.status)) == "accepted"


def test_invite_link_with_one_use_left_joined_at_once_lets_exactly_one_in(app, client, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={"max_uses": "1"})
    with app.test_request_context():
        from fitr.invites.invite_link import link_token

        link = db.session.scalar(select(InviteLink))
        token = link_token(link)
    path = f"/join/{token}"
    for i in range(THREADS):
        make_user(app, f"Client {i}", f"c{i}@example.com", is_coach=False)
    responses = at_once(app, [LoggedInPost(f"c{i}@example.com", path) for i in range(THREADS)])
    codes = sorted(r.status_code for r in responses)
    assert codes.count(302) == 1 and all(code < 500 for code in codes), codes
    subs, users = counts(app)
    assert len(subs) == 1 and users == THREADS + 1
    with app.app_context():
        assert db.session.scalar(select(InviteLink.uses)) == 1


def test_same_address_invited_at_once_twice_makes_one_pending_subscription(app, coach, published_program):
    path = f"/programs/{published_program}/clients/new"
    responses = at_once(
        app, [LoggedInPost("casey@example.com", path, {"emails": "ada@example.com"}) for _ in range(THREADS)]
    )
    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    subs, _ = counts(app)
    assert len(subs) == 1 and subs[0].status == "pending"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 1
