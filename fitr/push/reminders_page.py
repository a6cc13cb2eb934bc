"""Settings > Reminders: what fitr pushes to my phone (or emails me, with no phone set up), and
the routes push.js posts this browser's push subscription to."""

import hashlib

from flask import abort, flash, jsonify, redirect, session, url_for
from flask_login import current_user, login_required, user_logged_out

from fitr.extensions import db
from fitr.push import bp, keys
from fitr.push.forms import BrowserForm, RemindersForm, RemoveBrowserForm
from fitr.push.rules import (
    CHOICES,
    add_browser,
    endpoints_of,
    own_browser,
    reminders_of,
    save_reminders,
)
from fitr.web import render


def reminders_page(form=None, status=200):
    user = current_user._get_current_object()
    if form is None:
        chosen = reminders_of(user)
        data = {name: getattr(chosen, name) for name in CHOICES}
        form = RemindersForm(formdata=None, data={**data, "training_at": chosen.training_at.strftime("%H:%M")})
    # Which browsers are this person's (hashed: the page needs to know, not to hold, their addresses).
    mine = [hashlib.sha256(endpoint.encode()).hexdigest() for endpoint in endpoints_of(user)]
    return render("push/reminders.html", form=form, public_key=keys.public_key(), browsers=len(mine), mine=" ".join(mine),
                  add_form=BrowserForm(formdata=None), remove_form=RemoveBrowserForm(formdata=None),
                  status=status)  # fmt: skip


@bp.route("/my/settings/reminders", methods=["GET", "POST"])
@login_required
def reminders():
    """Reminders: a Training reminder at my time on days I have training, Your coach replied, New
    training on my calendar; for a coach, my clients' logs, comments and messages."""
    form = RemindersForm()
    if not form.is_submitted():
        return reminders_page()
    if not form.validate():
        db.session.rollback()
        return reminders_page(form=form, status=400)
    save_reminders(current_user._get_current_object(), form.training_at.data,
                   **{name: getattr(form, name).data for name in CHOICES})  # fmt: skip
    db.session.commit()
    flash("Reminders saved.", "success")
    return redirect(url_for("push.reminders"))


@bp.route("/my/settings/reminders/browsers", methods=["POST"])
@login_required
def add():
    """Turn on reminders on this phone: keep the push subscription its browser made."""
    form = BrowserForm()
    if not form.validate():
        errors = [error for field in form for error in field.errors]
        return jsonify(error=" ".join(errors) or "This browser's push subscription was refused."), 400
    add_browser(current_user._get_current_object(), form.endpoint.data, form.p256dh.data, form.auth.data)
    db.session.commit()
    session["push_endpoint"] = form.endpoint.data  # logging out here turns this phone off
    return jsonify(message="Reminders are on for this phone."), 201


@bp.route("/my/settings/reminders/browsers/remove", methods=["POST"])
@login_required
def remove():
    """Turn off reminders on this phone: forget its push subscription."""
    form = RemoveBrowserForm()
    if not form.validate():
        return jsonify(error="Say which browser to turn off."), 400
    browser = own_browser(current_user._get_current_object(), form.endpoint.data)
    if browser is None:
        abort(404)
    db.session.delete(browser)
    db.session.commit()
    return jsonify(message="Reminders are off for this phone."), 200


@user_logged_out.connect
def turn_off_this_phone(app, user, **_):
    """Logging out turns reminders off on this phone: on a shared phone, one person's pushes
    never reach the next (the logout's transaction removes it)."""
    endpoint = session.pop("push_endpoint", None)
    if endpoint and user is not None and getattr(user, "id", None) is not None:
        browser = own_browser(user, endpoint)
        if browser is not None:
            db.session.delete(browser)
