"""The installed app: the web app manifest that lets a phone install fitr from the browser, the
service worker that keeps the app's shell (styles, scripts, icons, the offline page) on the
phone, and the offline page it shows for a page that was not kept.

The worker's source is static/js/sw.js, built on Workbox (vendored under static/vendor/); it is
served from the root so that its scope is the whole site, with the list of files to keep and
their revisions written into it (Workbox's `self.__WB_MANIFEST`): when a stylesheet changes, the
worker's bytes change, the browser installs the new worker and it fetches only what changed.
It also keeps the signed-in client's own Today, session and workout pages (issue 26, point 4: no
signal in a basement gym), and only theirs: every page fitr sends names whose it is in a
`Fitr-Person` header (a keyed hash of the user's id; empty for someone logged out), and the
worker empties every kept page, and every log waiting to send, the moment a page arrives for
anyone else. So logging out (whose next page is for nobody) leaves nothing readable on the
phone, and a page fetched for B never sits beside A's. The worker only ever keeps a page whose
own header names the person it keeps pages for."""

import hashlib
import hmac
import json
import re
from pathlib import Path

from flask import Blueprint, Response, current_app, g, url_for
from sqlalchemy import inspect

from fitr.extensions import login_manager
from fitr.web import render

bp = Blueprint("app_shell", __name__)

# The shell: what every page loads, and the icons. Not the README's screenshots, nor the vendored
# Workbox files (the browser keeps a worker's imported scripts with the worker itself).
SHELL = ("css/*.css", "js/*.js", "favicon.svg", "icons/*.svg", "icons/app-*.png")
WORKER = "js/sw.js"
PERSON = "Fitr-Person"


def token(name):
    """A light-theme colour from static/css/tokens.css, the one file that holds raw colours."""
    tokens = Path(current_app.static_folder, "css", "tokens.css").read_text()
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,8}})", tokens).group(1)


def digest(*parts):
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def shell_files():
    """[{url, revision}] of every file the worker keeps: the shell's static files and the offline
    page, each with a hash of its bytes."""
    static = Path(current_app.static_folder)
    files = sorted({path for pattern in SHELL for path in static.glob(pattern)} - {static / WORKER})
    entries = [
        {"url": url_for("static", filename=path.relative_to(static).as_posix()), "revision": digest(path.read_bytes())}
        for path in files
    ]
    entries.append({"url": url_for("app_shell.offline"), "revision": digest(offline_page().encode())})
    return entries


def person_of(user):
    """Whose a page is, as the worker on the phone compares it: a hash of the user's id keyed with
    the app's secret (so it says nothing to anyone else); "" for someone logged out."""
    if not user.is_authenticated:
        return ""
    # The id from the identity map, not the row: after a failed request (the database away)
    # the user's attributes are expired, and reloading them would fail the error page too.
    identity = inspect(user).identity
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"phone-person:{identity[0]}".encode(), hashlib.sha256).hexdigest()[:24]


@bp.after_app_request
def name_the_person(response):
    """Every page says whose it is (see the module's docstring). Only when this request already
    loaded the user: an error page that never touched the database stays that way."""
    user = g.get("_login_user")
    if user is not None and response.mimetype == "text/html":
        response.headers[PERSON] = person_of(user)
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: what a phone needs to install fitr (Add to Home Screen, Install
    app). It starts at / so each person lands on their own start page (a client on Today, a coach
    on Home, someone logged out on Log in), with one manifest for everyone."""
    icon = lambda name, size, purpose: {  # noqa: E731
        "src": url_for("static", filename=f"icons/{name}"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose,
    }  # fmt: skip
    body = {
        "id": "/",
        "name": "fitr",
        "short_name": "fitr",
        "description": "Your training from your coach: today's session, logging, records and messages.",
        "start_url": url_for("accounts.start"),
        "scope": "/",
        "display": "standalone",
        "theme_color": token("color-accent"),
        "background_color": token("color-bg"),
        "icons": [
            icon("app-192.png", 192, "any"),
            icon("app-512.png", 512, "any"),
            icon("app-maskable-192.png", 192, "maskable"),
            icon("app-maskable-512.png", 512, "maskable"),
        ],
    }
    return Response(json.dumps(body, indent=2), mimetype="application/manifest+json", headers={"Cache-Control": "no-cache"})


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the root so that it may answer for every page of the site; the
    browser asks for it again on each visit (no-cache), which is how an update reaches a phone."""
    source = Path(current_app.static_folder, WORKER).read_text()
    body = source.replace("self.__WB_MANIFEST", json.dumps(shell_files()), 1)
    return Response(body, mimetype="text/javascript",
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})  # fmt: skip


@bp.route("/offline")
def offline():
    """The page the worker shows when a page cannot be fetched and was not kept on the phone. It
    is the same for everyone and never names or loads the signed-in person (it is kept on a phone
    that may be shared)."""
    return offline_page()


def offline_page():
    """The offline page's HTML: the same bytes for everyone, as it is kept on a phone and shown to
    whoever holds it. It loads no one (Flask-Login would load the signed-in user for the page's
    template unless the request already has one, as for an error page), carries no one's CSRF
    token (it has no form) and takes no one's flashed messages (the worker fetches it beside the
    person's own pages, which would lose them)."""
    g._login_user = login_manager.anonymous_user()
    html, _status = render("offline.html", bare=True, csrf_token=lambda: "", get_flashed_messages=lambda **_: [])
    return html
