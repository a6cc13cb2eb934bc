"""On a phone: the coach invites a client, and the client accepts from the email, as a new user
and as an existing user, without ever scrolling sideways."""

import re

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import PASSWORD, accept_link, make_user
from playwright.sync_api import expect


def no_sideways_scroll(page):
    assert not has_horizontal_scroll(page), page.url
    assert_accessible(page)
    assert_accessible(page)


def test_client_accepts_invite_on_phone_and_appears_under_active_clients(
    app, smtp, browser_page, coach, make_program, live_server
):
    program = make_program(
        coach, status="published", name="Strength 1-2-1", price_minor=4999, billing_period="monthly",
        waiver="I train at my own risk.", welcome_message="Welcome! Week 1 is easy.",
    )
    page = browser_page

    # The coach invites Casey's new client from the program page.
    log_in(page)
    page.goto(f"/programs/{program}")
    page.get_by_role("link", name="Add client").click()
    expect(page.get_by_role("heading", name="Add client")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_label("Personal message (optional)").fill("See you Monday!")
    page.get_by_role("button", name="Send invite").click()
    expect(page.get_by_text("Sending the invite to ada@example.com")).to_be_visible()
    expect(page.get_by_role("tab", name="Pending invites (1)")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_text("ada@example.com", exact=True)).to_be_visible()
    expect(page.get_by_role("tabpanel").get_by_text("Sending…")).to_be_visible()  # the worker has it
    no_sideways_scroll(page)
    page.get_by_role("button", name="Log out").click()

    # Ada opens the link from the email on her phone.
    [message] = smtp.wait_for(1)
    page.goto(accept_link(smtp.text(message)).replace("http://localhost", live_server.url))
    expect(page.get_by_role("heading", name="Strength 1-2-1")).to_be_visible()
    expect(page.get_by_text("£49.99 / month")).to_be_visible()
    expect(page.get_by_text("See you Monday!")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("ada@example.com")
    expect(page.get_by_label("Email")).not_to_be_editable()
    no_sideways_scroll(page)

    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accept invite").click()
    expect(page.get_by_text("Read the waiver and tick the box to agree to it.")).to_be_visible()
    # Only the tick was missing: what Ada typed is still there, the password too.
    expect(page.get_by_label("Name")).to_have_value("Ada Lovelace")
    expect(page.get_by_label("Password")).to_have_value(PASSWORD)
    page.get_by_label("I have read and agree to the waiver").check()
    page.get_by_role("button", name="Accept invite").click()

    expect(page).to_have_url(re.compile(r"/my$"))
    expect(page.get_by_text("You joined Strength 1-2-1.")).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome to Strength 1-2-1")).to_be_visible()
    expect(page.get_by_text("Welcome! Week 1 is easy.")).to_be_visible()
    no_sideways_scroll(page)
    # Only the refused first try (no tick on the waiver) may show up, as a 400 response.
    assert [e for e in page.js_errors if "status of 400" not in e] == []

    # The coach finds Ada under Active clients.
    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/programs/{program}")
    expect(page.get_by_role("tab", name="Active clients (1)")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_text("Ada Lovelace", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^End subscription"))).to_be_visible()
    no_sideways_scroll(page)
    page.goto("/clients/")
    expect(page.get_by_role("link", name="Ada Lovelace joined Strength 1-2-1")).to_be_visible()
    no_sideways_scroll(page)


def test_existing_user_logs_in_and_accepts_invite_on_phone(app, browser_page, published_program, make_invite):
    make_user(app, "Ada Lovelace", "ada@example.com")
    invited = make_invite(published_program, "ada@example.com", message="Glad to have you back.")
    page = browser_page
    page.goto(f"/invite/{invited.token}")
    expect(page.get_by_text("Glad to have you back.")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("link", name="Log in to accept").click()

    expect(page.get_by_label("Email")).to_have_value("ada@example.com")  # the invited address, filled in
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/invite/{re.escape(invited.token)}$"))
    expect(page.get_by_text("Accepting as")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Accept invite").click()

    expect(page).to_have_url(re.compile(r"/my$"))
    expect(page.get_by_text("You joined Powerlifting 1-2-1.")).to_be_visible()
    no_sideways_scroll(page)
    assert page.js_errors == []


def test_coach_copies_a_fresh_invite_link_on_a_phone(app, browser_page, coach, published_program, make_invite):
    invited = make_invite(published_program, "ada@example.com")
    page = browser_page
    log_in(page)
    page.goto("/clients/pending")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Copy link for ada@example.com").click()
    box = page.get_by_label("Invite link for ada@example.com")
    expect(box).to_have_value(re.compile(r"/invite/"))
    assert invited.token not in box.input_value()  # a fresh link
    no_sideways_scroll(page)
    assert page.js_errors == []


def test_every_invite_and_clients_page_fits_a_360px_phone(
    app, browser_page, coach, published_program, make_invite, add_subscription
):
    make_invite(published_program, "a.very.long.address.for.testing.wrapping@example-domain-name.com")
    add_subscription(published_program, "bo@example.com", status="active", name="Bo Diddley")
    invited = make_invite(published_program, "ada@example.com", message="A long message. " * 20)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/invite/{invited.token}")
    no_sideways_scroll(page)
    log_in(page)
    page.goto(f"/programs/{published_program}/clients/new?way=link")
    page.get_by_role("button", name="Turn on invite link").click()
    expect(page.get_by_role("textbox", name="Invite link")).to_have_value(re.compile(r"/join/"))
    join = page.get_by_role("textbox", name="Invite link").input_value()
    for path in (
        f"/programs/{published_program}",
        f"/programs/{published_program}/clients/pending",
        f"/programs/{published_program}/clients/new",
        f"/programs/{published_program}/clients/new?way=manual",
        f"/programs/{published_program}/clients/new?way=current",
        f"/programs/{published_program}/clients/new?way=link",
        "/clients/",
        "/clients/pending",
        "/clients/invite",
    ):
        page.goto(path)
        no_sideways_scroll(page)
    # The Add client tabs switch with htmx.
    page.goto(f"/programs/{published_program}/clients/new")
    page.get_by_role("tab", name="Add manually").click()
    expect(page.get_by_role("heading", name="Add manually")).to_be_visible()
    expect(page).to_have_url(re.compile(r"way=manual"))
    page.get_by_role("button", name="Log out").click()
    page.goto(join)
    expect(page.get_by_role("button", name="Sign up to join")).to_be_visible()
    no_sideways_scroll(page)
    assert page.js_errors == []


def test_client_rows_offer_overview_move_and_re_subscribe_within_a_360px_phone(
    app, browser_page, coach, published_program, add_subscription
):
    ada = make_user(app, "Ada Lovelace", "ada@example.com")
    bo = make_user(app, "Bo Diddley", "bo@example.com")
    add_subscription(published_program, "ada@example.com", status="active", name="Ada Lovelace", client_id=ada)
    add_subscription(published_program, "bo@example.com", status="ended", name="Bo Diddley", client_id=bo)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page)

    def fits(locator):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box

    for tabs in (f"/programs/{published_program}/clients/active", "/clients/active"):
        page.goto(tabs)
        for name in ("Calendar of Ada Lovelace", "Overview of Ada Lovelace", "Move to program for Ada Lovelace"):
            fits(page.get_by_role("link", name=name))
        fits(page.get_by_role("link", name=re.compile("^End subscription of Ada Lovelace")))
        no_sideways_scroll(page)

    page.goto(f"/programs/{published_program}/clients/active")
    page.get_by_role("link", name="Move to program for Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Move to program")).to_be_visible()
    no_sideways_scroll(page)
    page.go_back()
    page.get_by_role("link", name="Overview of Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()

    for tabs in (f"/programs/{published_program}/clients/past", "/clients/past"):
        page.goto(tabs)
        for name in ("Calendar of Bo Diddley", "Re-subscribe Bo Diddley"):
            fits(page.get_by_role("link", name=name))
        no_sideways_scroll(page)
    page.get_by_role("link", name="Re-subscribe Bo Diddley").click()
    expect(page.get_by_role("heading", name="Re-subscribe")).to_be_visible()
    page.get_by_label("Program").select_option(label="Powerlifting 1-2-1")
    page.get_by_role("button", name="Re-subscribe").click()
    page.goto(f"/programs/{published_program}/clients/active")
    expect(page.get_by_role("tabpanel").get_by_text("Bo Diddley", exact=True)).to_be_visible()
    assert page.js_errors == []


def test_searching_clients_stays_on_the_tab_the_coach_is_on(
    app, browser_page, coach, published_program, add_subscription
):
    add_subscription(published_program, "ada@example.com", status="active", name="Ada Lovelace")
    add_subscription(published_program, "bo@example.com", status="ended", name="Bo Diddley")
    page = browser_page
    log_in(page)
    page.goto("/clients/")
    page.get_by_role("tab", name="Past clients (1)").click()
    expect(page.get_by_role("tab", name="Past clients (1)")).to_have_attribute("aria-selected", "true")

    page.get_by_label("Search clients").fill("bo")
    expect(page).to_have_url(re.compile(r"/clients/past\?q=bo$"))
    expect(page.get_by_role("tab", name="Past clients (1)")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_role("list", name="Programs of Bo Diddley")).to_be_visible()

    page.get_by_role("tab", name="Active clients (1)").click()
    page.get_by_label("Search clients").fill("ada")
    expect(page).to_have_url(re.compile(r"/clients/active\?q=ada$"))
    expect(page.get_by_role("tabpanel").get_by_role("list", name="Programs of Ada Lovelace")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Search clients")).to_have_value("ada")
    expect(page.get_by_role("tab", name="Active clients (1)")).to_have_attribute("aria-selected", "true")
    assert page.js_errors == []


def test_revoke_asks_first_and_cancel_keeps_the_invite(browser_page, coach, published_program, invited_client):
    page = browser_page
    log_in(page)
    page.goto(f"/programs/{published_program}/clients/pending")
    revoke = page.get_by_role("button", name="Revoke invite to ada@example.com")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    revoke.click()
    expect(revoke).to_be_visible()
    page.reload()
    expect(page.get_by_role("tabpanel").get_by_text("ada@example.com", exact=True)).to_be_visible()

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Revoke invite to ada@example.com").click()
    expect(page.get_by_role("tab", name="Pending invites (0)")).to_be_visible()
    assert questions == ["Revoke the invite to ada@example.com? Its link stops working."] * 2
