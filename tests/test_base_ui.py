"""The layout, error pages, CSRF and the security baseline every page shares."""

import pytest
from factories import PASSWORD, element, elements, form_key, make_user

from fitr.extensions import db
from fitr.web import HTMX_VERSION


def nav(html):
    """The main navigation's markup."""
    main_nav = element(html, "nav", aria_label="Main")
    assert main_nav["class"] == "nav"
    return main_nav.html


def test_layout_has_navigation_user_name_and_log_out(logged_in):
    html = logged_in.get("/programs/").get_data(as_text=True)
    # viewport-fit=cover: on a notched phone the page reaches the edges and keeps out of them itself
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1, viewport-fit=cover"} in elements(html, "meta")
    menu = nav(html)
    assert {"href": "/programs/", "aria-current": "page"} in elements(menu, "a", text="Programs")
    assert {"href": "/clients/"} in elements(menu, "a", text="Clients")
    assert ">Casey Coach</a>" in menu
    assert {"type": "submit", "class": "link-button"} in elements(menu, "button", text="Log out")


def test_coach_sees_unread_notices_in_the_navigation(app, logged_in, coach):
    from fitr.notices.rules import tell

    with app.app_context():
        tell(coach, "Ada joined Strength 1-2-1")
        tell(coach, "Bo joined")
        db.session.commit()
    menu = nav(logged_in.get("/programs/").get_data(as_text=True))
    assert 'aria-label="2 unread">2</span>' in menu


def test_client_navigation_is_about_their_training(app, client, auth):
    make_user(app, "Casey Client", "client@example.com", is_coach=False)
    response = auth.login(email="client@example.com")
    assert response.headers["Location"] == "/my"
    menu = nav(client.get("/my").get_data(as_text=True))
    assert ">Today</a>" in menu and ">History</a>" in menu and ">Records</a>" in menu
    assert "Programs" not in menu and "Clients" not in menu
    assert client.get("/").headers["Location"] == "/my"


def test_htmx_is_vendored_at_a_pinned_version(client):
    html = client.get("/login").get_data(as_text=True)
    assert f'src="/static/js/htmx-{HTMX_VERSION}.min.js"' in html
    script = client.get(f"/static/js/htmx-{HTMX_VERSION}.min.js")
    assert script.status_code == 200 and b"htmx" in script.data and len(script.data) > 40_000
    assert "http" not in html.split("<body")[0].replace("http-equiv", "")  # nothing from a CDN


def test_flash_messages_show_on_the_next_page(client, auth, coach):
    auth.login()
    html = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert "You are logged out." in html


def test_missing_page_is_a_full_404_page(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<html" in html and "Not found" in html


def test_missing_page_asked_by_htmx_is_a_fragment(client):
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<html" not in html and "Not found" in html


@pytest.fixture
def failing_app(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.route("/forbidden")
    def forbidden():
        from flask import abort

        abort(403)

    return app


@pytest.mark.parametrize("htmx", [False, True])
def test_unexpected_error_is_a_friendly_500(failing_app, htmx):
    response = failing_app.test_client().get("/boom", headers={"HX-Request": "true"} if htmx else {})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "kaboom" not in html
    assert ("<html" in html) is not htmx


@pytest.mark.parametrize("htmx", [False, True])
def test_forbidden_is_a_403_page_or_fragment(failing_app, htmx):
    response = failing_app.test_client().get("/forbidden", headers={"HX-Request": "true"} if htmx else {})
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and "You do not have access to this page." in html
    assert ("<html" in html) is not htmx


@pytest.mark.csrf
def test_forms_without_csrf_token_are_refused(client, app, coach):
    response = client.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


@pytest.mark.csrf
def test_htmx_requests_send_the_csrf_token_in_a_header(client, coach):
    page = client.get("/login").get_data(as_text=True)
    token = form_key(page, "csrf_token")
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page
    response = client.post(
        "/login",
        data={"email": "casey@example.com", "password": PASSWORD},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    response = auth.signup()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


@pytest.mark.config(SESSION_COOKIE_SECURE=True)
def test_session_cookie_is_secure_when_served_over_https(client, auth):
    response = auth.signup(base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_htmx_config_swaps_error_responses_and_disables_eval(client):
    html = client.get("/login").get_data(as_text=True)
    assert '"allowEval": false' in html and '"[45]..", "swap": true' in html


@pytest.mark.parametrize("path", ["/programs/99999999999999999999999", "/programs/2147483648/edit", "/programs/-1"])
def test_an_absurd_id_in_a_url_is_not_found(logged_in, path):
    response = logged_in.get(path)
    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)


def test_text_with_a_nul_byte_is_refused_with_a_message_and_nothing_saved(app, logged_in):
    from fitr.programs.models import Program

    response = logged_in.post("/programs/new", data={"name": "Strength\x00Block", "type": "1-2-1", "price": "0"})
    assert response.status_code == 400
    assert "NUL byte" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Program).count() == 0
    assert logged_in.get("/programs/?q=a%00b").status_code == 400


def test_a_client_has_one_navigation_and_a_coach_who_trains_has_my_training_tabs(app, client, auth, logged_in):
    make_user(app, "Casey Client", "client@example.com", is_coach=False)
    coach_page = logged_in.get("/my/history").get_data(as_text=True)
    assert 'aria-label="My training"' in coach_page and ">Settings</a>" in coach_page
    logged_in.post("/logout")
    auth.login(email="client@example.com")
    page = client.get("/my/history").get_data(as_text=True)
    assert 'aria-label="My training"' not in page  # Today, History, Records are in the main navigation
    assert page.count(">History</a>") == 1
    assert {"href": "/my/settings"} in elements(nav(page), "a", text="Settings") and ">Casey Client</span>" in nav(page)
