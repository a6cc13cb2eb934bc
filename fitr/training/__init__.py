"""Training: the client's side, on their phone. Today's training, the programs they joined and
their calendars, logging a session, history, Personal Records, and a calendar feed."""

from flask import Blueprint

bp = Blueprint("training", __name__)

from fitr.training import (  # noqa: E402,F401
    client_comments,
    history_pages,
    my_maxes,
    my_programs,
    sessions,
    tab_bar,
    workout,
)
