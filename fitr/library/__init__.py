"""The coach's libraries: exercises (the shipped starter library and their own) and workouts
(sessions saved to reuse), and what a prescription of an exercise is."""

from flask import Blueprint

bp = Blueprint("library", __name__)

from fitr.library import exercises_page, workouts_page  # noqa: E402,F401
