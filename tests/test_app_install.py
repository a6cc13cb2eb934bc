"""Installing fitr on a phone (issue 26, point 1): the web app manifest, the service worker served
from the root with the list of the app's shell it keeps, the offline page, and the
Content-Security-Policy that lets them load. The browser's side is in
tests/browser/test_app_install_browser.py."""

import hashlib
import json
import re
import struct
from pathlib import Path

from factories import make_user

STATIC = Path(__file__).resolve().parent.parent / "static"


def png_size(path):
    """(width, height) from a PNG's header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def kept(client):
    """The [{url, revision}] list written into the service worker."""
    source = client.get("/sw.js").get_data(as_text=True)
    return json.loads(re.search(r"precacheAndRoute\((\[.*?\])\)", source).group(1))


def test_the_manifest_says_how_fitr_installs(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert (manifest["name"], manifest["short_name"]) == ("fitr", "fitr")
    assert (manifest["display"], manifest["start_url"], manifest["scope"]) == ("standalone", "/", "/")
    tokens = (STATIC / "css" / "tokens.css").read_text()
    assert f"--color-accent: {manifest['theme_color']};" in tokens
    assert f"--color-bg: {manifest['background_color']};" in tokens

    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for (sizes, _purpose), src in icons.items():
        assert client.get(src).status_code == 200
        size = int(sizes.split("x")[0])
        assert png_size(STATIC / src.removeprefix("/static/")) == (size, size)


def test_the_start_url_opens_each_persons_start_page(app, client, auth):
    make_user(app, "Casey Coach", "casey@example.com")
    make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    start_url = client.get("/manifest.webmanifest").get_json(force=True)["start_url"]
    assert "/login" in client.get(start_url).get_data(as_text=True)
    auth.login("ada@example.com")
    assert client.get(start_url).location == "/my"
    auth.logout()
    auth.login("casey@example.com")
    assert client.get(start_url).location == "/home"


def test_the_service_worker_is_served_from_the_root_and_checked_on_every_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    source = response.get_data(as_text=True)
    assert "self.__WB_MANIFEST" not in source
    # Workbox comes from fitr itself, at its pinned version, never from a CDN.
    assert 'importScripts("/static/vendor/workbox-7.4.1/workbox-sw.js")' in source
    assert "https:" not in source
    for module in ("sw", "core.prod", "precaching.prod", "routing.prod", "strategies.prod", "background-sync.prod"):
        assert client.get(f"/static/vendor/workbox-7.4.1/workbox-{module}.js").status_code == 200


def test_the_worker_keeps_the_shell_and_the_offline_page_and_no_ones_pages(client):
    entries = kept(client)
    urls = [entry["url"] for entry in entries]
    shell = ["/static/css/tokens.css", "/static/css/app.css", "/static/css/components.css", "/static/js/app.js",
             "/static/js/install.js", "/static/js/htmx-2.0.11.min.js", "/static/icons/app-192.png", "/offline"]  # fmt: skip
    assert set(shell) <= set(urls)
    assert all(url.startswith("/static/") for url in urls if url != "/offline")
    assert "/static/js/sw.js" not in urls
    assert not any(url.startswith("/static/screenshots/") for url in urls)
    # Each revision is a hash of what is served, so a changed file is fetched again.
    for entry in entries:
        body = client.get(entry["url"]).data
        assert entry["revision"] == hashlib.sha256(body).hexdigest()[:16], entry["url"]


def test_the_offline_page_is_the_same_for_everyone(client, auth, coach):
    visitor = client.get("/offline")
    auth.login()
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Program saved.")]
    signed_in = client.get("/offline")
    assert signed_in.status_code == 200
    assert signed_in.data == visitor.data
    page = signed_in.get_data(as_text=True)
    assert "You are offline" in page
    assert "Casey" not in page and "Log out" not in page
    assert '"X-CSRFToken": ""' in page
    # The person's own next page still shows their message: the worker's fetch took nothing.
    with client.session_transaction() as session:
        assert session["_flashes"] == [("success", "Program saved.")]


def test_the_content_security_policy_allows_the_worker_and_the_manifest(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert directives["script-src"] == "'self'"
