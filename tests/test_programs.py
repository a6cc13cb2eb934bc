"""Programs: the list, Create program, bad input on Create and Edit, the program page's tabs,
Group programs, the public page and permissions. (The program page itself, with its status
changes, is in test_clients_program_page.py.)"""

import re

import pytest
from factories import bulk_users, count, element, elements, main, program_form
from sqlalchemy import select

from fitr.extensions import db
from fitr.programs.models import DRAFT, GROUP, ONE_TO_ONE, Program
from fitr.programs.prices import format_price, to_minor
from fitr.programs.rules import ProgramError, create_program, program_summaries


def get_program(app, program_id):
    with app.app_context():
        return db.session.get(Program, program_id)


def the_program(app):
    """The one program in the database (the one the test created)."""
    with app.app_context():
        return db.session.scalars(select(Program)).one()






# --- Programs page -----------------------------------------------------------


def test_programs_page_without_programs_points_to_create_program(logged_in):
    response = logged_in.get("/programs/")
    assert response.status_code == 200
    assert "No programs yet" in main(response)
    assert 'href="/programs/new"' in main(response)
    assert "Create program" in main(response)


def test_programs_page_shows_type_status_price_and_client_counts(
    logged_in, published_program, group_program, program, add_subscription
):
    add_subscription(published_program, "ada@example.com", status="active")
    add_subscription(published_program, "bo@example.com", status="active")
    add_subscription(published_program, "cy@example.com", status="pending")
    add_subscription(published_program, "di@example.com", status="ended")

    page = main(logged_in.get("/programs/"))

    cards = {m.group(1): m.group(0) for m in re.finditer(r'<li class="card program-card">.*?<a [^>]*>([^<]+)</a>.*?</li>', page, re.S)}
    assert set(cards) == {"Strength Block", "Powerlifting 1-2-1", "Team Barbell"}
    powerlifting = cards["Powerlifting 1-2-1"]
    assert "1-2-1" in powerlifting and "Published" in powerlifting and "£99.00 / month" in powerlifting
    assert "2 active clients" in powerlifting and "1 pending invite" in powerlifting
    team = cards["Team Barbell"]
    assert "Group" in team and "Free (invite-only)" in team and "0 active clients" in team
    draft = cards["Strength Block"]
    assert "Draft" in draft and "£49.99 / month" in draft


def test_programs_page_runs_a_fixed_number_of_queries(app, logged_in, coach, make_program, add_subscription, count_queries):
    make_program(coach, name="Only one")
    logged_in.get("/programs/")  # warm up: the first request loads templates
    with count_queries() as one:
        assert logged_in.get("/programs/").status_code == 200

    program_ids = [make_program(coach, name=f"Program {n}") for n in range(49)]
    clients = bulk_users(app, 500)
    for n in range(500):
        status = ("active", "pending", "ended")[n % 3]
        add_subscription(program_ids[n % 49], f"client{n}@example.com", status, client_id=None if status == "pending" else clients[n])
    with count_queries() as fifty:
        response = logged_in.get("/programs/")

    assert response.status_code == 200
    assert main(response).count('class="card program-card"') == 50
    assert fifty.count == one.count
    assert fifty.count <= 4, fifty.statements  # the logged-in user, unread notices and messages, programs with their counts


def test_program_summaries_count_each_programs_clients(app, coach, published_program, group_program, add_subscription):
    for n in range(3):
        add_subscription(published_program, f"a{n}@example.com", status="active")
    add_subscription(group_program, "p@example.com", status="pending")
    add_subscription(group_program, "e@example.com", status="ended")
    with app.app_context():
        counts = {s.program.id: (s.active_clients, s.pending_invites) for s in program_summaries(coach)}
    assert counts == {published_program: (3, 0), group_program: (0, 1)}


# --- Create program ------------------------------------------------------------


def test_create_program_form_defaults_to_1_2_1_and_the_configured_currency(logged_in):
    page = main(logged_in.get("/programs/new"))
    assert elements(page, "input", value="1-2-1", checked=True)
    assert {"selected": "", "value": "GBP"} in elements(page, "option")
    assert "Free (invite-only)" in page and "Welcome message" in page and "Waiver" in page
    assert "Clients can see ahead" in page
    assert element(page, "button", "Create program", type="submit")


@pytest.mark.config(DEFAULT_CURRENCY="EUR")
def test_create_program_form_takes_its_default_currency_from_the_setting(logged_in):
    assert {"selected": "", "value": "EUR"} in elements(main(logged_in.get("/programs/new")), "option")


def test_coach_creates_1_2_1_program_as_a_draft(app, logged_in, coach):
    response = logged_in.post("/programs/new", data=program_form(week_start="6", start_rule="next_week_start",
                                                                 waiver="I train at my own risk."))

    assert response.status_code == 302
    with app.app_context():
        program = db.session.scalar(select(Program))
    assert response.headers["Location"] == f"/programs/{program.id}"
    assert (program.coach_id, program.name, program.type, program.status) == (coach, "Strength Block", ONE_TO_ONE, DRAFT)
    assert (program.price_minor, program.currency, program.billing_period) == (4999, "GBP", "monthly")
    assert program.description == "Four weeks.\nThree sessions a week."
    assert (program.week_start, program.start_rule, program.see_ahead_days) == (6, "next_week_start", 14)
    assert (program.welcome_message, program.waiver) == ("Welcome aboard!", "I train at my own risk.")
    assert len(program.public_slug) >= 10

    page = main(logged_in.get(response.headers["Location"]))
    assert "Program created as a draft" in page
    assert '<p class="pre-line">Four weeks.\nThree sessions a week.</p>' in page


def test_description_keeps_line_breaks_from_any_browser(app, logged_in):
    logged_in.post("/programs/new", data=program_form(description="Week 1: volume\r\nWeek 2: intensity"))
    assert the_program(app).description == "Week 1: volume\nWeek 2: intensity"


def test_coach_creates_group_program(app, logged_in):
    logged_in.post("/programs/new", data=program_form(name="Team Barbell", type="group"))
    with app.app_context():
        program = db.session.scalar(select(Program))
    assert program.type == GROUP
    page = main(logged_in.get(f"/programs/{program.id}"))
    assert "Group: every client follows one shared calendar" in page


def test_free_program_is_stored_at_price_zero_whatever_price_was_sent(app, logged_in):
    response = logged_in.post("/programs/new", data=program_form(free="y", price="75.00"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Program.price_minor)) == 0


def test_free_program_needs_no_price(app, logged_in):
    response = logged_in.post("/programs/new", data=program_form(free="y", price=None))
    assert response.status_code == 302
    assert the_program(app).is_free


@pytest.mark.parametrize(
    ("price", "currency", "minor"),
    [("49.99", "GBP", 4999), ("49", "GBP", 4900), ("1500", "JPY", 1500), ("12.345", "KWD", 12345), ("1000000", "USD", 100_000_000)],
)
def test_price_is_stored_in_minor_units_of_its_currency(app, logged_in, price, currency, minor):
    assert logged_in.post("/programs/new", data=program_form(price=price, currency=currency)).status_code == 302
    assert the_program(app).price_minor == minor


def test_prices_are_shown_with_the_currency():
    assert format_price(4999, "GBP") == "£49.99"
    assert format_price(150000, "JPY") == "¥150,000"
    assert format_price(2550, "CHF") == "25.50 CHF"
    assert to_minor(" 0.5 ", "EUR") == 50


# --- Bad input on Create program and Edit -----------------------------------------------


BAD_INPUT = [
    pytest.param({"name": ""}, "name", "Give the program a name.", id="empty-name"),
    pytest.param({"name": "   "}, "name", "Give the program a name.", id="blank-name"),
    pytest.param({"name": "x" * 121}, "name", "Use at most 120 characters.", id="name-too-long"),
    pytest.param({"price": "-5"}, "price", "The price cannot be negative.", id="negative-price"),
    pytest.param({"price": "abc"}, "price", "Enter the price as a number", id="non-numeric-price"),
    pytest.param({"price": "1e5"}, "price", "Enter the price as a number", id="exponent-price"),
    pytest.param({"price": "NaN"}, "price", "Enter the price as a number", id="nan-price"),
    pytest.param({"price": "1000000.01"}, "price", "The price can be at most 1,000,000.", id="absurd-price"),
    pytest.param({"price": "99999999999999999999"}, "price", "The price can be at most 1,000,000.", id="huge-price"),
    pytest.param({"price": "١٢"}, "price", "Enter the price as a number", id="non-ascii-digits"),
    pytest.param({"price": "49.999"}, "price", "GBP prices have at most 2 decimal places.", id="too-many-decimals"),
    pytest.param({"price": "10.5", "currency": "JPY"}, "price", "JPY prices are whole numbers", id="yen-decimals"),
    pytest.param({"price": ""}, "price", "Enter a price, or tick Free (invite-only).", id="missing-price"),
    pytest.param({"price": "0"}, "price", "Enter a price above 0, or tick Free (invite-only).", id="zero-price"),
    pytest.param({"currency": "XYZ"}, "currency", "Choose one of the options.", id="unknown-currency"),
    pytest.param({"currency": "gbp"}, "currency", "Choose one of the options.", id="lower-case-currency"),
    pytest.param({"billing_period": "daily"}, "billing_period", "Choose one of the options.", id="unknown-period"),
    pytest.param({"type": "solo"}, "type", "Choose one of the options.", id="forged-type"),
    pytest.param({"week_start": "3"}, "week_start", "Choose one of the options.", id="forged-week-start"),
    pytest.param({"week_start": "monday"}, "week_start", "Choose one of the options.", id="non-numeric-week-start"),
    pytest.param({"start_rule": "yesterday"}, "start_rule", "Choose one of the options.", id="forged-start-rule"),
    pytest.param({"see_ahead_days": "5"}, "see_ahead_days", "Choose one of the options.", id="forged-see-ahead"),
    pytest.param({"waiver": "x" * 10_001}, "waiver", "Use at most 10,000 characters.", id="waiver-too-long"),
    pytest.param({"description": "x" * 10_001}, "description", "Use at most 10,000 characters.", id="description-too-long"),
    pytest.param({"welcome_message": "x" * 10_001}, "welcome_message", "Use at most 10,000 characters.", id="welcome-too-long"),
    pytest.param({"name": "\u200b"}, "name", "Give the program a name.", id="zero-width-name"),
    pytest.param({"name": " \u200b\ufeff\u2060 "}, "name", "Give the program a name.", id="invisible-name"),
    pytest.param({"name": "Strength\x07Block"}, "name", "Remove the control character (U+0007)", id="bell-in-name"),
    pytest.param({"name": "Strength\tBlock"}, "name", "Remove the control character (U+0009)", id="tab-in-name"),
    pytest.param({"description": "Week 1\x1b[31m"}, "description", "Remove the control character (U+001B)", id="escape-in-description"),
    pytest.param({"welcome_message": "Hi\x0cthere"}, "welcome_message", "Remove the control character (U+000C)", id="form-feed-in-welcome"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_create_program_refuses_bad_input_with_a_message_next_to_the_field(app, logged_in, overrides, field, message):
    response = logged_in.post("/programs/new", data=program_form(**overrides))

    assert response.status_code == 400
    page = main(response)
    error = elements(page, "p", id=f"{field}-error")
    assert error, f"no error next to {field}"
    assert error[0] == {"class": "error", "id": f"{field}-error"} and message in error[0].text
    assert count(app, Program) == 0


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_edit_refuses_bad_input_and_writes_nothing(app, logged_in, program, overrides, field, message):
    before = get_program(app, program)

    response = logged_in.post(f"/programs/{program}/edit", data=program_form(**{"name": "Changed", **overrides}))

    assert response.status_code == 400
    assert message in main(response)
    after = get_program(app, program)
    assert (after.name, after.price_minor, after.currency, after.type) == (before.name, before.price_minor, before.currency, before.type)


def test_description_and_welcome_message_of_exactly_10000_characters_are_kept(app, logged_in):
    response = logged_in.post(
        "/programs/new", data=program_form(description="d" * 10_000, welcome_message="w" * 10_000)
    )
    assert response.status_code == 302
    with app.app_context():
        program = db.session.scalar(select(Program))
        assert program.description == "d" * 10_000 and program.welcome_message == "w" * 10_000


def test_multi_line_text_keeps_its_line_breaks_and_tabs(app, logged_in):
    response = logged_in.post(
        "/programs/new", data=program_form(description="Week 1\r\n\tSquat\r\nWeek 2", waiver="I agree.\n\tSigned")
    )
    assert response.status_code == 302
    with app.app_context():
        program = db.session.scalar(select(Program))
        assert program.description == "Week 1\n\tSquat\nWeek 2" and program.waiver == "I agree.\n\tSigned"


def test_rules_refuse_bad_settings_without_a_form(app, coach):
    with app.app_context():
        for settings, field in [
            ({"name": ""}, "name"),
            ({"name": "\u200b\u200b"}, "name"),
            ({"name": "ok", "description": "\x00"}, "description"),
            ({"name": "ok", "price_minor": -1}, "price"),
            ({"name": "ok", "price_minor": 100_000_001, "currency": "GBP"}, "price"),
            ({"name": "ok", "type": "solo"}, "type"),
            ({"name": "ok", "currency": "XYZ"}, "currency"),
        ]:
            with pytest.raises(ProgramError) as refused:
                create_program(coach, **settings)
            assert refused.value.field == field
        db.session.rollback()
    assert count(app, Program) == 0


# --- Tabs ----------------------------------------------------------------------------


def clients_of(app, program_id, add_subscription):
    add_subscription(program_id, "ada@example.com", status="active", name="Ada Active")
    add_subscription(program_id, "pat@example.com", status="pending", name="Pat Pending")
    add_subscription(program_id, "eve@example.com", status="ended", name="Eve Ended")


@pytest.mark.parametrize(
    ("path", "shown", "selected"),
    [("", "Ada Active", "active"), ("/clients/active", "Ada Active", "active"),
     ("/clients/pending", "Pat Pending", "pending"), ("/clients/past", "Eve Ended", "past")],
)
def test_tabs_list_the_programs_clients_by_status(app, logged_in, published_program, add_subscription, path, shown, selected):
    clients_of(app, published_program, add_subscription)

    response = logged_in.get(f"/programs/{published_program}{path}")

    assert response.status_code == 200
    page = main(response)
    assert "<h1>Powerlifting 1-2-1</h1>" in page  # a direct visit gets the whole page
    assert shown in page
    assert [name for name in ("Ada Active", "Pat Pending", "Eve Ended") if name in page] == [shown]
    assert element(page, "a", role="tab", id=f"tab-{selected}")["aria-selected"] == "true"
    assert "Active clients (1)" in page and "Pending invites (1)" in page and "Past clients (1)" in page


def test_htmx_tab_request_gets_only_the_tabs(app, logged_in, published_program, add_subscription):
    clients_of(app, published_program, add_subscription)

    response = logged_in.get(f"/programs/{published_program}/clients/pending", headers={"HX-Request": "true"})

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text and "<h1>" not in text
    assert 'role="tablist"' in text and 'role="tabpanel"' in text
    assert "Pat Pending" in text and "pat@example.com" in text
    past = element(text, "a", role="tab", id="tab-past")
    assert (past["hx-get"], past["hx-target"], past["hx-push-url"]) == (f"/programs/{published_program}/clients/past", "#program-tabs", "true")


def test_empty_tabs_say_so(logged_in, published_program):
    assert "No pending invites." in main(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "No past clients." in main(logged_in.get(f"/programs/{published_program}/clients/past"))


def test_unknown_tab_is_not_found(logged_in, published_program):
    assert logged_in.get(f"/programs/{published_program}/clients/everyone").status_code == 404


def test_program_page_runs_a_fixed_number_of_queries(app, logged_in, published_program, add_subscription, count_queries):
    logged_in.get(f"/programs/{published_program}")
    with count_queries() as none:
        logged_in.get(f"/programs/{published_program}")
    for n in range(30):
        add_subscription(published_program, f"c{n}@example.com", status="active", name=f"Client {n}")
    with count_queries() as thirty:
        page = main(logged_in.get(f"/programs/{published_program}"))
    assert "Client 29" in page
    for n in range(30, 60):
        add_subscription(published_program, f"c{n}@example.com", status="active", name=f"Client {n}")
    with count_queries() as sixty:
        logged_in.get(f"/programs/{published_program}")
    assert sixty.count == thirty.count
    # with who needs training, the navigation's unread messages, and (a paid program) its paying
    # clients and monthly revenue in one grouped query; the page of clients is picked by id, then
    # only its rows are read in full (two queries, faster at 1,000 clients than one)
    # (that second query only when there are clients)
    assert none.count <= thirty.count <= 10


def _invite_many(app, program_id, first, count):
    from fitr.accounts.models import User
    from fitr.invites.inviting import invite_by_email

    with app.test_request_context():
        program = db.session.get(Program, program_id)
        coach = db.session.get(User, program.coach_id)
        invite_by_email(program, coach, [f"p{n}@example.com" for n in range(first, first + count)])
        db.session.commit()


def test_pending_invites_tab_runs_a_fixed_number_of_queries_and_writes_nothing(app, logged_in, published_program, count_queries):
    _invite_many(app, published_program, 0, 1)
    url = f"/programs/{published_program}/clients/pending"
    logged_in.get(url)
    with count_queries() as one:
        assert "p0@example.com" in main(logged_in.get(url))
    _invite_many(app, published_program, 1, 29)
    with count_queries() as thirty:
        page = main(logged_in.get(url))
    assert "p29@example.com" in page and "Pending invites (30)" in page
    assert thirty.count == one.count <= 8, thirty.statements  # the navigation's unread messages included
    # Nothing is overdue: a visit (or a poll) only reads.
    assert not [q for q in thirty.statements if q.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def test_past_clients_tab_runs_a_fixed_number_of_queries(app, logged_in, published_program, add_subscription, count_queries):
    add_subscription(published_program, "e0@example.com", status="ended", name="Ended 0")
    url = f"/programs/{published_program}/clients/past"
    logged_in.get(url)
    with count_queries() as one:
        logged_in.get(url)
    for n in range(1, 30):
        add_subscription(published_program, f"e{n}@example.com", status="ended", name=f"Ended {n}")
    with count_queries() as thirty:
        page = main(logged_in.get(url))
    assert "Ended 29" in page and "Past clients (30)" in page
    assert thirty.count == one.count <= 7, thirty.statements  # the navigation's unread messages included


def test_overdue_invites_are_expired_on_the_next_visit(app, logged_in, published_program, count_queries):
    from datetime import timedelta

    from fitr.clock import utcnow
    from fitr.invites.models import Invite

    _invite_many(app, published_program, 0, 2)
    with app.app_context():
        db.session.scalars(select(Invite)).first().expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Pending invites (1)" in main(logged_in.get(f"/programs/{published_program}/clients/pending"))


# --- Group programs ---------------------------------------------------------------


def test_group_type_is_shown_on_the_list_the_program_page_and_the_form(logged_in, group_program):
    assert element(main(logged_in.get("/programs/")), "span", "Group", class_="chip chip-accent")
    assert element(main(logged_in.get(f"/programs/{group_program}")), "span", "Group", class_="chip chip-accent")
    assert elements(main(logged_in.get(f"/programs/{group_program}/edit")), "input", value="group", checked=True)


# --- Public page ------------------------------------------------------------------


def test_public_page_shows_a_published_paid_program_to_anyone(app, client, published_program):
    program = get_program(app, published_program)

    response = client.get(f"/p/{program.public_slug}")

    assert response.status_code == 200
    page = main(response)
    assert "<h1>Powerlifting 1-2-1</h1>" in page
    assert "Meet prep." in page and "Coached by Casey Coach" in page and "£99.00 / month" in page
    assert 'href="mailto:casey@example.com' in page


def test_program_page_shows_the_shareable_link_of_a_paid_published_program(app, logged_in, published_program):
    slug = get_program(app, published_program).public_slug
    assert f"http://localhost/p/{slug}" in main(logged_in.get(f"/programs/{published_program}"))


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_public_page_of_an_unpublished_program_is_not_found(app, client, make_program, coach, status):
    program_id = make_program(coach, status=status, price_minor=1000)
    assert client.get(f"/p/{get_program(app, program_id).public_slug}").status_code == 404


def test_free_program_has_no_public_page(app, client, group_program):
    assert client.get(f"/p/{get_program(app, group_program).public_slug}").status_code == 404


@pytest.mark.parametrize("slug", ["nope", "x" * 300])
def test_unknown_public_link_is_not_found(client, slug):
    assert client.get(f"/p/{slug}").status_code == 404


def test_each_program_gets_its_own_random_public_link(app, coach, make_program):
    ids = [make_program(coach, name=f"P{n}") for n in range(5)]
    slugs = {get_program(app, i).public_slug for i in ids}
    assert len(slugs) == 5


# --- Permissions ------------------------------------------------------------------

PROGRAM_URLS = [
    ("GET", "/programs/{id}"),
    ("GET", "/programs/{id}/clients/active"),
    ("GET", "/programs/{id}/clients/pending"),
    ("GET", "/programs/{id}/clients/past"),
    ("GET", "/programs/{id}/edit"),
    ("POST", "/programs/{id}/edit"),
    ("POST", "/programs/{id}/publish"),
    ("POST", "/programs/{id}/unpublish"),
    ("POST", "/programs/{id}/archive"),
    ("POST", "/programs/{id}/restore"),
    ("GET", "/programs/{id}/delete"),
    ("POST", "/programs/{id}/delete"),
]
ALL_URLS = [("GET", "/programs/"), ("GET", "/programs/new"), ("POST", "/programs/new"), *PROGRAM_URLS]


@pytest.mark.parametrize(("method", "url"), ALL_URLS)
def test_logged_out_visitor_is_sent_to_log_in(app, client, program, method, url):
    before = get_program(app, program)

    response = client.open(url.format(id=program), method=method, data=program_form(name="Hijacked"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    after = get_program(app, program)
    assert (after.name, after.status) == (before.name, before.status)
    assert count(app, Program) == 1


@pytest.mark.parametrize(("method", "url"), PROGRAM_URLS)
def test_another_coachs_program_does_not_exist_for_you(app, client, auth, program, other_coach, method, url):
    auth.login(email="olive@example.com")

    response = client.open(url.format(id=program), method=method, data=program_form(name="Hijacked"))

    assert response.status_code == 404
    after = get_program(app, program)
    assert (after.name, after.status) == ("Strength Block", DRAFT)


def test_another_coach_does_not_see_your_programs(client, auth, program, other_coach):
    auth.login(email="olive@example.com")
    page = main(client.get("/programs/"))
    assert "Strength Block" not in page and "No programs yet" in page


def test_unknown_program_is_not_found(logged_in):
    assert logged_in.get("/programs/9999").status_code == 404


def test_line_breaks_sent_as_crlf_count_as_one_character_towards_the_limit(app, logged_in):
    description = ("x" * 99 + "\r\n") * 100  # 10,100 characters as sent, 9,999 as kept
    response = logged_in.post("/programs/new", data=program_form(description=description))
    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.scalar(select(Program.description))) == 9_999


def test_a_paid_draft_says_where_its_public_page_will_appear(app, logged_in, make_program, coach):
    program_id = make_program(coach, status="draft", price_minor=1000)
    page = main(logged_in.get(f"/programs/{program_id}"))
    assert "Its shareable link appears here once you publish the program." in page
    assert "/p/" not in page  # no link that would only lead to a 404
