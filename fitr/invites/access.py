"""Ownership of invites, built on the programs area's loaders."""

from flask import abort
from sqlalchemy import select

from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.programs.access import owned_program


def owned_invite(invite_id):
    """(invite, program) when the invite is to one of the current coach's programs, else 404."""
    program_id = db.session.scalar(select(Invite.program_id).where(Invite.id == invite_id))
    if program_id is None:
        abort(404)
    program = owned_program(program_id)
    invite = db.session.get(Invite, invite_id)
    return invite, program
