"""Enter your 1RM: a client whose coach wrote a session in %1RM or %TM, with no max of theirs
known, enters their own 1RM of that exercise and sees their loads at once. The max is kept for
the coach of that session's program (who sees it on the client's overview, marked as entered by
the client); a max the coach set is theirs to change."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.clock import today_for
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import attach
from fitr.maxes.loads import ONE_RM, SET_BY_CLIENT, SET_BY_COACH
from fitr.maxes.rules import max_for_exercise, set_max
from fitr.training import bp
from fitr.training.access import own_session
from fitr.training.forms import MyMaxForm
from fitr.units import kg_to_display, round_load
from fitr.web import render, rolled_back


@bp.route("/my/sessions/<int:session_id>/max/<int:exercise_id>", methods=["GET", "POST"])
@login_required
def my_max(session_id, exercise_id):
    """Enter your 1RM of an exercise this session prescribes as a percentage; back to the
    session, which shows the loads it comes to."""
    planned, subscription = own_session(session_id, today_for(current_user))
    exercise = next((p.exercise for p in planned.prescriptions if p.exercise_id == exercise_id and p.is_percent), None)
    if exercise is None:
        abort(404)
    coach_id = subscription.program.coach_id
    current = max_for_exercise(coach_id, current_user.id, exercise.id)
    form = MyMaxForm()
    status = 200
    if request.method == "GET":
        form.unit.data = current_user.units
        if current is not None and current.set_by == SET_BY_CLIENT:
            form.value.data = round_load(kg_to_display(current.value_kg, current_user.units))
    else:
        status = 400
        unit = form.typed_unit(current_user.units)
        if form.validate_on_submit():
            try:
                set_max(coach_id, current_user.id, exercise, ONE_RM, form.value.parsed, unit, set_by=SET_BY_CLIENT)
            except RuleError as error:
                attach(form, error)
                return rolled_back(page(planned, exercise, form, current, unit, status))
            db.session.commit()
            flash(f"Your 1RM of {exercise.name} is saved: your loads are worked out from it.", "success")
            return redirect(url_for("training.session", session_id=planned.id))
    return page(planned, exercise, form, current, form.typed_unit(current_user.units), status)


def page(planned, exercise, form, current, unit, status):
    form.value.label.text = f"Your 1RM ({unit})"
    return render(
        "training/my_max.html", status=status, session=planned, exercise=exercise, form=form, unit=unit,
        set_by_coach=current is not None and current.set_by == SET_BY_COACH,
    )  # fmt: skip
