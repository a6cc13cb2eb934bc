"""Signing up tells nobody which addresses have accounts, not even by how long it takes: Sign up,
an invite link's sign-up and a public page's do the same expensive work (one password hash)
for a new address, an address someone registered without proving it, and a proven account's.

Counted, not timed: werkzeug's hashing (making a hash and checking one both go through it) is
wrapped with a counter, and the real hash still runs."""

import pytest
import werkzeug.security
from factories import PASSWORD, make_user
from sqlalchemy import select

from fitr.extensions import db
from fitr.invites.invite_link import link_token
from fitr.invites.models import InviteLink
from fitr.programs.models import Program


@pytest.fixture
def password_hashes(monkeypatch):
    """The methods of every password hash werkzeug computes from here on, in order."""
    real, calls = werkzeug.security._hash_internal, []

    def counted(method, salt, password):
        calls.append(method)
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counted)
    return calls


@pytest.fixture
def ways(app, auth, coach, published_program, stripe_stub):
    """Where a visitor can sign up: Sign up, the program's invite link, its public page's Join
    (card payments on, through the Stripe stand-in)."""
    auth.login()
    assert auth.client.post(f"/programs/{published_program}/invite-link", data={}).status_code == 302
    auth.logout()
    with app.test_request_context():
        link = db.session.scalar(select(InviteLink))
        slug = db.session.get(Program, published_program).public_slug
        return {"sign up": "/signup", "invite link": f"/join/{link_token(link)}", "public page": f"/p/{slug}/join"}


def hashes_to_sign_up(client, path, email, password_hashes):
    """How many password hashes one sign-up with `email` at `path` computes; its answer is the
    same "check your email" page whatever the address."""
    before = len(password_hashes)
    answer = client.post(path, data={"name": "Someone", "email": email, "password": "a guess at a passphrase"})
    assert answer.status_code == 200 and "We sent a link to" in answer.get_data(as_text=True)
    return len(password_hashes) - before


@pytest.mark.parametrize("way", ["sign up", "invite link", "public page"])
def test_signing_up_does_the_same_work_whether_or_not_the_address_has_an_account(app, client, ways, way, password_hashes):
    make_user(app, "Pat Proven", "pat@example.com", password=PASSWORD)
    client.post("/signup", data={"name": "Una", "email": "una@example.com", "password": "una's own passphrase"})
    path = ways[way]

    new = hashes_to_sign_up(client, path, "new@example.com", password_hashes)
    unproven = hashes_to_sign_up(client, path, "una@example.com", password_hashes)
    proven = hashes_to_sign_up(client, path, "pat@example.com", password_hashes)

    assert new == unproven == proven == 1, (new, unproven, proven)
