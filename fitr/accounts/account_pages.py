"""Sign up (proving the address by email), log in, log out, password reset, Settings, and the
host's commands `flask create-user` and `flask confirm-account`."""

from datetime import timedelta

import click
from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from fitr import mail
from fitr.accounts import bp
from fitr.accounts.forms import (
    ChangePasswordForm,
    EmailSettingsForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SettingsForm,
    SignupForm,
)
from fitr.accounts.login import known_browser, log_in, log_out
from fitr.accounts.models import User
from fitr.accounts.rules import (
    AccountError,
    authenticate,
    change_password,
    confirm_account,
    confirm_email,
    confirmation_for_token,
    create_account,
    end_logins,
    find_user,
    resend_confirmation,
    reset_for_token,
    reset_password,
    start_password_reset,
    update_settings,
)
from fitr.accounts.signup import send_confirmation, sign_up
from fitr.accounts.throttle import (
    count_attempt,
    forget_failures,
    record_failure,
    refusal,
    warn_owner,
)
from fitr.extensions import db, limiter
from fitr.forms import ActionForm, attach
from fitr.web import absolute_url, render, safe_next, start_page


def login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def signup_open():
    """Open sign-up can be turned off for a private gym; the very first account can always be made."""
    return current_app.config["OPEN_SIGNUP"] or no_accounts_yet()


def no_accounts_yet():
    return db.session.scalar(select(User.id).limit(1)) is None


@bp.route("/")
def start():
    """The front door: your programs when logged in, else what fitr is."""
    if current_user.is_authenticated:
        return redirect(start_page(current_user))
    return render("accounts/start.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def signup():
    """Sign up as a coach with a name, email and password; an emailed link proves the address
    before the account can log in. Without email (MAIL_SERVER unset) the very first account,
    the host's, is trusted as it is, so `make run` stays a one-command trial."""
    if current_user.is_authenticated:
        return redirect(start_page(current_user))
    if not signup_open():
        return render("accounts/signup_closed.html", status=403)
    form = SignupForm()
    if form.validate_on_submit():
        try:
            if no_accounts_yet() and not current_app.config.get("MAIL_SERVER"):
                user = create_account(form.name.data, form.email.data, form.password.data, time_zone=form.time_zone.data)
                log_in(user)
                db.session.commit()
                flash(f"Welcome to fitr, {user.name}.", "success")
                return redirect(safe_next(request.args.get("next")))
            return sign_up(form.name.data, form.email.data, form.password.data, form.time_zone.data)
        except AccountError as error:
            db.session.rollback()
            attach(form, error)
    status = 400 if form.is_submitted() else 200
    return render("accounts/signup.html", form=form, status=status)


def joining_url(join_token):
    """Where a visitor who signed up to join goes once their address is proven."""
    if join_token.startswith("p/"):
        return url_for("invites.join_public", slug=join_token[2:])
    return url_for("invites.join", token=join_token)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def confirm(token):
    """The link that proves an address: a page with one button (mail scanners that open links
    must not use it up), which confirms the account and logs it in; someone who signed up
    through an invite link goes on to join the program."""
    try:
        confirmation = confirmation_for_token(token)
    except AccountError as error:
        return render("accounts/reset_invalid.html", message=error.message, code=error.code,
                      status=404 if error.code == "invalid" else 410)  # fmt: skip
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            confirmation = confirm_email(token)
        except AccountError as error:
            db.session.rollback()
            return render("accounts/reset_invalid.html", message=error.message, code=error.code, status=410)
        log_in(confirmation.user)
        db.session.commit()
        flash("Your email address is confirmed.", "success")
        if confirmation.join_token:  # an invite link's token, or "p/<slug>": a public page's Join
            return redirect(joining_url(confirmation.join_token))
        return redirect(start_page(confirmation.user))
    return render("accounts/confirm.html", form=form, confirmation=confirmation, status=400 if form.is_submitted() else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Log in with email and password; `next` may only lead back into fitr. An account whose
    address is not proven yet gets a new link instead. After a few wrong passwords for one
    address, from anywhere, logging in to it is slowed down (fitr.accounts.throttle), except
    from a browser that logged in to it before."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]  # from "Log in to accept": the invited address
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        account = find_user(form.email.data)
        attempt = count_attempt(form.email.data, known_browser(account))
        db.session.commit()  # counted before the password is checked (see count_attempt)
        if attempt.refused:
            form.form_errors.append(refusal(attempt.wait))
            page, _ = render("accounts/login.html", form=form)
            return page, 429, {"Retry-After": str(attempt.retry_after)}
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            record_failure(form.email.data)
            warn_owner(account, attempt)
            db.session.commit()
            form.form_errors.append("That email and password do not match an account.")
        elif not user.email_confirmed:
            forget_failures(user)
            token = resend_confirmation(user)
            send_confirmation(user, token)
            db.session.commit()
            form.form_errors.append(
                f"Confirm your email address first: we have sent a new link to {user.email}. Open it to log in."
            )
            status = 403
        else:
            log_in(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render("accounts/login.html", form=form, status=status)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST with the CSRF token, so another site cannot log you out): this browser's
    login ends, so a copy of its cookies no longer works either."""
    log_out()
    db.session.commit()
    flash("You are logged out.", "success")
    return redirect(url_for("accounts.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same, and as quick, whether the account exists or
    not. A few links an hour at most go to one address."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        hours = current_app.config["PASSWORD_RESET_HOURS"]
        per_hour = current_app.config["PASSWORD_RESETS_PER_HOUR"]
        user, token = start_password_reset(form.email.data, timedelta(hours=hours), per_hour)
        if token is not None:
            # Through the outbox: the answer takes as long whether the account exists or not.
            mail.send(
                user.email,
                "Reset your fitr password",
                "password_reset",
                user=user,
                link=absolute_url("accounts.reset", token=token),
                hours=hours,
            )
        db.session.commit()
        flash("If an account exists for that email, we have sent it a link to reset the password.", "success")
        return redirect(url_for("accounts.login"))
    status = 400 if form.is_submitted() else 200
    return render("accounts/forgot_password.html", form=form, status=status)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def reset(token):
    """Choose a new password through a single-use, expiring link; every login of the account
    ends, and this browser is logged in afresh."""
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
        log_in(user)
        db.session.commit()
        flash("Your password is changed. You are logged out everywhere else.", "success")
        return redirect(start_page(user))
    status = 400 if form.is_submitted() else 200
    return render("accounts/reset_password.html", form=form, status=status)


# --- Settings --------------------------------------------------------------------------------


def settings_page(form=None, password_form=None, status=200):
    form = form or SettingsForm(formdata=None, obj=current_user)
    return render(
        "accounts/settings.html",
        form=form,
        password_form=password_form or ChangePasswordForm(formdata=None),
        email_form=EmailSettingsForm(formdata=None, obj=current_user),
        everywhere_form=ActionForm(),
        status=status,
    )


@bp.route("/my/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Settings: units of load, time zone (today is the day it is where I am), and Theme:
    System (the device's light or dark), Light or Dark."""
    if request.method == "GET":
        return settings_page()
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            update_settings(
                current_user,
                form.units.data,
                form.time_zone.data or current_user.time_zone,
                form.theme.data or current_user.theme,
            )
        except AccountError as error:
            attach(form, error)
        else:
            db.session.commit()
            flash(f"Settings saved: loads are shown in {form.units.data}, dates in {current_user.time_zone}.", "success")
            return redirect(url_for("accounts.settings"))
    db.session.rollback()
    return settings_page(form=form, status=400)


@bp.route("/my/settings/password", methods=["POST"])
@login_required
def password():
    """Change password: the current one first. Every other browser is logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = change_password(current_user._get_current_object(), form.current.data, form.password.data)
        except AccountError as error:
            db.session.rollback()
            attach(form, error)
        else:
            log_in(user)
            db.session.commit()
            flash("Your password is changed. You are logged out everywhere else.", "success")
            return redirect(url_for("accounts.settings"))
    return settings_page(password_form=form, status=400)


@bp.route("/my/settings/email", methods=["POST"])
@login_required
def email_settings():
    """Which emails fitr sends me: comments, messages and (for a coach) the daily digest."""
    form = EmailSettingsForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    user.email_comments, user.email_messages = form.email_comments.data, form.email_messages.data
    if user.is_coach:
        user.email_digest = form.email_digest.data
    db.session.commit()
    flash("Email settings saved.", "success")
    return redirect(url_for("accounts.settings"))


@bp.route("/my/settings/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """Log out everywhere: every browser and every "Keep me logged in" cookie, this one too."""
    if not ActionForm().validate_on_submit():
        abort(400)
    end_logins(current_user.id)
    log_out()
    db.session.commit()
    flash("You are logged out everywhere.", "success")
    return redirect(url_for("accounts.login"))


# --- the host's commands ---------------------------------------------------------------------


@bp.cli.command("create-user")
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.password_option()
def create_user(name, email, password):
    """Create an account, its address trusted (for a private gym where open sign-up is off)."""
    try:
        user = create_account(name, email, password)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email}.")


@bp.cli.command("confirm-account")
@click.argument("email")
def confirm_account_command(email):
    """Confirm an account's email address by hand (when its link cannot be emailed)."""
    try:
        user = confirm_account(email)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Confirmed {user.email}: it can log in.")
