"""Clients: the coach's view of the people they coach. Across programs (the Clients page), in one
program (the program page and its Active clients, Pending invites and Past clients tabs), and
one client (their overview, Move to program, End subscription)."""

from flask import Blueprint

bp = Blueprint("clients", __name__)

from fitr.clients import client_page, clients_page, maxes, program_page  # noqa: E402,F401
