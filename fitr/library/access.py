"""Ownership in the libraries: a coach reaches only their own exercises and workouts (another
coach's, like a missing one, is a 404)."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fitr.extensions import db
from fitr.library.models import Exercise, Workout, WorkoutItem


def owned_exercise(exercise_id):
    """One of the current coach's own exercises (starter ones cannot be renamed or archived)."""
    exercise = db.session.scalar(
        select(Exercise)
        .where(Exercise.id == exercise_id, Exercise.coach_id == current_user.id)
        .options(selectinload(Exercise.aliases))
    )
    if exercise is None:
        abort(404)
    return exercise


def owned_workout(workout_id):
    """One of the current coach's library workouts, items and exercises loaded."""
    workout = db.session.scalar(
        select(Workout)
        .where(Workout.id == workout_id, Workout.coach_id == current_user.id)
        .options(selectinload(Workout.prescriptions).joinedload(WorkoutItem.exercise))
    )
    if workout is None:
        abort(404)
    return workout


def starter_exercise(exercise_id):
    """A starter exercise (any coach may hide it for themselves); a coach's own is a 404 here."""
    exercise = db.session.scalar(select(Exercise).where(Exercise.id == exercise_id, Exercise.coach_id.is_(None)))
    if exercise is None:
        abort(404)
    return exercise
