"""Training maxes on a client's overview: the coach sets (or replaces) a client's 1RM or training
max of an exercise, or removes it. Each is this coach's number for this client: another coach of
the same client keeps their own. Ownership through the programs area's loader: another coach's
client is a 404."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from fitr.clients import bp
from fitr.clients.client_page import loaded_subscription, overview_page
from fitr.clients.forms import MaxForm
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import ActionForm, attach
from fitr.library.exercises import resolve_exercises
from fitr.maxes.rules import remove_max, set_max
from fitr.subscriptions.models import PENDING
from fitr.web import rolled_back


def joined(program_id, subscription_id):
    """The subscription, when its client has joined: a max belongs to a person, not an invite."""
    subscription = loaded_subscription(program_id, subscription_id)
    if subscription.client_id is None or subscription.status == PENDING:
        abort(400, f"{subscription.display_name} has not joined yet: set their maxes once they accept the invite.")
    return subscription


def back_to_overview(subscription):
    return redirect(url_for("clients.overview", program_id=subscription.program_id,
                            subscription_id=subscription.id, _anchor="maxes-title"))  # fmt: skip


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/maxes", methods=["POST"])
@login_required
def set_training_max(program_id, subscription_id):
    """Set a training max: the client's 1RM or training max of one exercise, typed in my unit;
    one they already have for that exercise is replaced."""
    subscription = joined(program_id, subscription_id)
    form = MaxForm()
    if form.validate_on_submit():
        unit = form.typed_unit(current_user.units)
        exercise = resolve_exercises(current_user.id, [form.exercise.data]).get(form.exercise.data.strip().lower())
        try:
            row = set_max(current_user.id, subscription.client_id, exercise, form.kind.data, form.value.parsed, unit)
        except RuleError as error:
            attach(form, error)
            return rolled_back(overview_page(subscription, form, status=400))
        saved = f"{subscription.display_name}: {row.kind_label} of {exercise.name} saved."
        db.session.commit()
        flash(saved, "success")
        return back_to_overview(subscription)
    return overview_page(subscription, form, status=400)


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/maxes/<int:max_id>/delete", methods=["POST"])
@login_required
def remove_training_max(program_id, subscription_id, max_id):
    """Remove a training max: that exercise's percentages show the client no load again (or
    their estimated 1RM's, where the program uses it)."""
    subscription = joined(program_id, subscription_id)
    if not ActionForm().validate_on_submit():
        abort(400, "This form is out of date. Reload the page and try again.")
    if not remove_max(current_user.id, subscription.client_id, max_id):
        abort(404)
    db.session.commit()
    flash("Training max removed.", "success")
    return back_to_overview(subscription)
