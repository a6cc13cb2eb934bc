"""Fixtures for the invites area (loaded by conftest.py).

    def test_something(app, client, invited_client):
        client.get(f"/invite/{invited_client.token}")

`make_invite(program_id, email, message="", start_date=None)` invites an address through the
real rules and marks it sent (no email goes out) and returns an `Invited(id, subscription_id, email, token)`;
`invited_client` is Ada, invited to `published_program`. `accept_link(text)` finds the accept
link in an email's text.
"""

import re
from dataclasses import dataclass

import pytest

from fitr.accounts.models import User
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.inviting import invite_by_email
from fitr.programs.models import Program


@dataclass(frozen=True)
class Invited:
    id: int
    subscription_id: int
    email: str
    token: str


def make_invite(app, program_id, email, message="", start_date=None):
    """An invite saved through invite_by_email (not emailed); returns its ids and token."""
    with app.test_request_context():
        program = db.session.get(Program, program_id)
        coach = db.session.get(User, program.coach_id)
        outcome = invite_by_email(program, coach, [email], message, start_date)
        [issued] = outcome.issued
        issued.invite.delivery_status = "sent"  # as if emailed: tests of email use the smtp fixture
        issued.invite.send_count = 1
        issued.invite.sent_at = issued.invite.last_sent_at = utcnow()
        db.session.commit()
        return Invited(issued.invite.id, issued.invite.subscription_id, issued.invite.email, issued.token)


@pytest.fixture(name="make_invite")
def make_invite_fixture(app):
    return lambda program_id, email, **kw: make_invite(app, program_id, email, **kw)


@pytest.fixture
def invited_client(app, published_program):
    """Ada (no account yet) invited to the coach's published 1-2-1 program."""
    return make_invite(app, published_program, "ada@example.com", message="Welcome aboard, Ada!")


ACCEPT_LINK = re.compile(r"https?://\S+/invite/[A-Za-z0-9_\-]+")


def accept_link(text):
    """The accept link in an invite email's text."""
    match = ACCEPT_LINK.search(text)
    assert match, f"no accept link in:\n{text}"
    return match.group(0)
