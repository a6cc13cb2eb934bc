"""Sign up, log in, log out, password reset, and Settings."""

from datetime import timedelta

import click
from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from fitr import mail
from fitr.accounts import bp
from fitr.accounts.forms import (
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SettingsForm,
    SignupForm,
)
from fitr.accounts.models import User
from fitr.accounts.rules import (
    AccountError,
    authenticate,
    create_account,
    reset_for_token,
    reset_password,
    set_units,
    start_password_reset,
)
from fitr.extensions import db, limiter
from fitr.forms import attach
from fitr.web import absolute_url, render, safe_next, start_page


def login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def signup_open():
    """Open sign-up can be turned off for a private gym; the very first account can always be made."""
    return current_app.config["OPEN_SIGNUP"] or db.session.scalar(select(User.id).limit(1)) is None


@bp.route("/")
def home():
    """The front door: your programs when logged in, else what fitr is."""
    if current_user.is_authenticated:
        return redirect(start_page(current_user))
    return render("accounts/home.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def signup():
    """Sign up as a coach with a name, email and password."""
    if current_user.is_authenticated:
        return redirect(start_page(current_user))
    if not signup_open():
        return render("accounts/signup_closed.html", status=403)
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = create_account(form.name.data, form.email.data, form.password.data)
        except AccountError as error:
            db.session.rollback()
            attach(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to fitr, {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
    status = 400 if form.is_submitted() else 200
    return render("accounts/signup.html", form=form, status=status)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Log in with email and password; `next` may only lead back into fitr."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]  # from "Log in to accept": the invited address
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        form.form_errors.append("That email and password do not match an account.")
    status = 400 if form.is_submitted() else 200
    return render("accounts/login.html", form=form, status=status)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST with the CSRF token, so another site cannot log you out)."""
    logout_user()
    flash("You are logged out.", "success")
    return redirect(url_for("accounts.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the account exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        hours = current_app.config["PASSWORD_RESET_HOURS"]
        user, token = start_password_reset(form.email.data, timedelta(hours=hours))
        db.session.commit()
        if user is not None:
            mail.send(
                user.email,
                "Reset your fitr password",
                "password_reset",
                user=user,
                link=absolute_url("accounts.reset", token=token),
                hours=hours,
            )
        flash("If an account exists for that email, we have sent it a link to reset the password.", "success")
        return redirect(url_for("accounts.login"))
    status = 400 if form.is_submitted() else 200
    return render("accounts/forgot_password.html", form=form, status=status)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def reset(token):
    """Choose a new password through a single-use, expiring link."""
    if len(token) > 200:
        abort(404)
    try:
        reset_for_token(token)
    except AccountError as error:
        return render("accounts/reset_invalid.html", message=error.message, status=400 if error.code != "invalid" else 404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = reset_password(token, form.password.data)
        except AccountError as error:
            db.session.rollback()
            if not error.field:
                return render("accounts/reset_invalid.html", message=error.message, status=400)
            attach(form, error)
            return render("accounts/reset_password.html", form=form, status=400)
        db.session.commit()
        logout_user()
        login_user(user)
        flash("Your password is changed.", "success")
        return redirect(start_page(user))
    status = 400 if form.is_submitted() else 200
    return render("accounts/reset_password.html", form=form, status=status)


@bp.route("/my/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Units: kg or lb. Loads are stored once and shown in the unit I choose."""
    form = SettingsForm(data={"units": current_user.units} if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                set_units(current_user, form.units.data)
            except AccountError as error:
                attach(form, error)
            else:
                db.session.commit()
                flash(f"Loads are now shown in {form.units.data}.", "success")
                return redirect(url_for("accounts.settings"))
    return render("accounts/settings.html", form=form, status=status)


@bp.cli.command("create-user")
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.password_option()
def create_user(name, email, password):
    """Create an account (for a private gym where open sign-up is off)."""
    try:
        user = create_account(name, email, password)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email}.")
