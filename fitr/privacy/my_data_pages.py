"""Download my data and Delete my account (Settings), and the host's commands for both."""

import json

import click
from flask import current_app, flash, redirect, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.security import check_password_hash

from fitr.accounts.rules import find_user
from fitr.clock import today_for
from fitr.extensions import db, limiter
from fitr.privacy import bp
from fitr.privacy.deletion import DeletionError, check_deletable, delete_account
from fitr.privacy.export import export_account
from fitr.privacy.forms import DeleteAccountForm
from fitr.web import attachment, render


def attempts_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/my/settings/export")
@login_required
def export():
    """Download my data: one JSON file of everything fitr keeps about me."""
    user = current_user._get_current_object()
    body = json.dumps(export_account(user), indent=2, ensure_ascii=False)
    filename = f"fitr-{today_for(user).isoformat()}.json"
    return attachment(body, filename, "application/json")


def delete_page(form=None, status=200):
    paying, refusal = [], None
    try:
        paying = check_deletable(current_user)
    except DeletionError as error:
        refusal = error.message
    return render("privacy/delete.html", status=status, form=form or DeleteAccountForm(), refusal=refusal, paying=paying)


@bp.route("/my/settings/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(attempts_limit, methods=["POST"])
def delete():
    """Delete my account, with my password: my login, logs and records go; my coaches keep
    the programming they wrote, under Past clients as "Deleted client"."""
    form = DeleteAccountForm()
    if not form.is_submitted():
        return delete_page(form)
    if not form.validate():
        return delete_page(form, 400)
    user = current_user._get_current_object()
    if not check_password_hash(user.password_hash, form.password.data):
        form.password.errors.append("That is not your password.")
        return delete_page(form, 400)
    try:
        delete_account(user)
    except DeletionError as error:
        db.session.rollback()
        flash(error.message, "error")
        return delete_page(form, 409)
    db.session.commit()
    logout_user()
    flash("Your account is deleted. Thank you for training with fitr.", "success")
    return redirect(url_for("accounts.login"))


# --- the host's commands ---------------------------------------------------------------------


@bp.cli.command("export-account")
@click.argument("email")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
def export_command(email, out):
    """Write one account's data as JSON: account, subscriptions, sessions seen, logs, records, messages."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    json.dump(export_account(user), out, indent=2, ensure_ascii=False)
    out.write("\n")


@bp.cli.command("delete-account")
@click.argument("email")
@click.option("--with-programs", is_flag=True, help="Also delete the programs this account coaches.")
@click.option("--yes", is_flag=True, help="Do not ask to confirm.")
def delete_command(email, with_programs, yes):
    """Delete an account: its login, logs and records go; coaches keep their programming
    under Past clients as "Deleted client"."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    if not yes:
        click.confirm(f"Delete the account {user.email} ({user.name})? This cannot be undone", abort=True)
    try:
        delete_account(user, with_programs=with_programs)
    except DeletionError as error:
        db.session.rollback()
        raise click.ClickException(error.message + (" Use --with-programs to delete them too." if "coach" in error.message else "")) from error
    db.session.commit()
    click.echo(f"Deleted {email}.")
