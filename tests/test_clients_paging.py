"""A coach with hundreds of clients: the program page's tabs and Clients show 50 clients a page,
with Previous page / Next page links and a search box that searches every client in the
database; each page runs the same number of queries for 3 clients as for 180; and the links
in every row read exactly as Flask's url_for writes them."""

import re

import pytest
from factories import element, elements, make_invite, make_user
from flask import url_for
from sqlalchemy import insert, select

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.lifecycle import rules as subscription_rules
from fitr.web import link_maker, template_url_for, with_query

HTMX = {"HX-Request": "true"}


def join(app, program_id, first, n, status="active", today=None):
    """n clients (Member <first>..) who joined the program, written in one go (no password to
    hash); in their order of joining, so the newest is Member <first + n - 1>."""
    with app.app_context():
        db.session.execute(
            insert(User),
            [{"name": f"Member {i:03d}", "email": f"member{i:03d}@example.com", "password_hash": "x", "is_coach": False}
             for i in range(first, first + n)],
        )  # fmt: skip
        for i in range(first, first + n):
            user = db.session.scalar(select(User).where(User.email == f"member{i:03d}@example.com"))
            subscription = subscription_rules.add_pending(program_id, user.email, "", today)
            subscription_rules.activate(subscription, user, today)
            if status == "ended":
                subscription_rules.end(subscription)
        db.session.commit()


def names(html):
    """The client names listed in the tab on screen, in order."""
    panel = html.split('id="tab-panel"', 1)[1]
    return [span.text for span in elements(panel, "span", class_=re.compile(r"(.* )?client-name"))]


@pytest.fixture
def big_program(app, coach, make_program, today):
    program = make_program(coach, status="published", name="Big 1-2-1")
    join(app, program, 0, 60, today=today)
    return program


def test_program_page_shows_50_clients_a_page_with_next_and_previous_pages(logged_in, big_program):
    page = logged_in.get(f"/programs/{big_program}").get_data(as_text=True)
    shown = names(page)
    assert len(shown) == 50 and shown[0] == "Member 059" and shown[-1] == "Member 010"  # newest first
    assert "Active clients (60)" in page
    pages = element(page, "nav", aria_label="Pages of Active clients")
    assert "1–50" in pages.text
    following = element(pages.html, "a", text="Next page")
    assert following["href"] == f"/programs/{big_program}/clients/active?page=2"
    assert following["hx-get"] == following["href"] and following["hx-target"] == "#program-tabs"
    assert not elements(pages.html, "a", text="Previous page")

    second = logged_in.get(following["href"], headers=HTMX).get_data(as_text=True)
    assert "<html" not in second and names(second) == [f"Member {i:03d}" for i in range(9, -1, -1)]
    pages = element(second, "nav", aria_label="Pages of Active clients")
    assert "51–60" in pages.text and not elements(pages.html, "a", text="Next page")
    assert element(pages.html, "a", text="Previous page")["href"] == f"/programs/{big_program}/clients/active?page=1"

    beyond = logged_in.get(f"/programs/{big_program}/clients/active?page=9").get_data(as_text=True)
    assert names(beyond) == [] and "No more clients." in beyond


def test_a_program_of_few_clients_shows_no_pages(logged_in, app, coach, make_program, today):
    program = make_program(coach, status="published", name="Small")
    join(app, program, 0, 3, today=today)
    page = logged_in.get(f"/programs/{program}").get_data(as_text=True)
    assert len(names(page)) == 3 and not elements(page, "nav", aria_label="Pages of Active clients")


@pytest.mark.parametrize("page", ["0", "-1", "two", "1" * 20, "1.5"])
def test_a_page_number_that_is_not_one_is_refused(logged_in, big_program, page):
    for path in (f"/programs/{big_program}/clients/active?page={page}", f"/clients/active?page={page}"):
        response = logged_in.get(path)
        assert response.status_code == 400 and "That page number is not valid." in response.get_data(as_text=True)


def test_program_search_finds_a_client_beyond_the_first_page_by_name_or_email(logged_in, big_program):
    fragment = logged_in.get(f"/programs/{big_program}/clients/active?q=member003", headers=HTMX).get_data(as_text=True)
    assert names(fragment) == ["Member 003"]  # by email, on page 2 without a search
    assert names(logged_in.get(f"/programs/{big_program}/clients/active?q=MEMBER 00").get_data(as_text=True)) == [
        f"Member {i:03d}" for i in range(9, -1, -1)
    ]
    assert "No client matches “zed”." in logged_in.get(f"/programs/{big_program}/clients/active?q=zed").get_data(as_text=True)
    # LIKE's own characters are searched for as they are
    assert names(logged_in.get(f"/programs/{big_program}/clients/active?q=%25").get_data(as_text=True)) == []


def test_program_search_box_searches_the_tab_it_is_on_with_or_without_htmx(logged_in, app, big_program, today):
    join(app, big_program, 100, 2, status="ended", today=today)
    page = logged_in.get(f"/programs/{big_program}").get_data(as_text=True)
    form = element(page, "form", role="search")
    assert form["action"] == f"/programs/{big_program}" and form["hx-target"] == "#program-tabs"
    assert element(form.html, "input", type="search")["id"] == "program-search"
    assert element(form.html, "label", text="Search clients")["for"] == "program-search"
    # Without JavaScript the form lands on the tab's own address.
    response = logged_in.get(f"/programs/{big_program}?tab=past&q=101")
    assert response.status_code == 302 and response.headers["Location"] == f"/programs/{big_program}/clients/past?q=101"
    # With htmx it gets that tab, and the address bar shows the tab's address.
    fragment = logged_in.get(f"/programs/{big_program}?tab=past&q=101", headers=HTMX)
    assert fragment.headers["HX-Push-Url"] == f"/programs/{big_program}/clients/past?q=101"
    html = fragment.get_data(as_text=True)
    assert names(html) == ["Member 101"]
    search_tab = element(html, "input", id="program-search-tab")
    assert search_tab["value"] == "past" and search_tab["hx-swap-oob"] == "true"
    # The tabs keep the search; the pages keep it too.
    assert element(html, "a", id="tab-active")["href"] == f"/programs/{big_program}/clients/active?q=101"


def test_pending_tab_pages_invites_with_their_buttons(app, logged_in, coach, make_program):
    program = make_program(coach, status="published", name="Invites")
    for i in range(52):
        make_invite(app, program, f"invitee{i:02d}@example.com")
    page = logged_in.get(f"/programs/{program}/clients/pending").get_data(as_text=True)
    panel = page.split('id="tab-panel"', 1)[1]
    assert len(elements(panel, "li", class_="invite-row")) == 50
    assert len(elements(panel, "button", text=re.compile("Revoke invite to .*"))) == 50  # each row has its invite
    second = logged_in.get(f"/programs/{program}/clients/pending?page=2").get_data(as_text=True)
    rows = elements(second.split('id="tab-panel"', 1)[1], "li", class_="invite-row")
    assert len(rows) == 2 and "invitee00@example.com" in second  # oldest last


def test_clients_shows_50_clients_a_page_each_with_all_their_programs(app, logged_in, coach, make_program, today):
    first = make_program(coach, status="published", name="First")
    second = make_program(coach, status="published", name="Second")
    join(app, first, 0, 55, today=today)
    with app.app_context():  # Member 049 is in both programs: one row, both programs, on page 1
        user = db.session.scalar(select(User).where(User.email == "member049@example.com"))
        subscription_rules.activate(subscription_rules.add_pending(second, user.email, "", today), user, today)
        db.session.commit()
    page = logged_in.get("/clients/").get_data(as_text=True)
    shown = names(page)
    assert shown == [f"Member {i:03d}" for i in range(50)]  # by name
    row = element(page, "ul", aria_label="Programs of Member 049")
    assert [a.text for a in elements(row.html, "a", href=re.compile(r"/programs/[0-9]+"))] == [
        "First", "Second"
    ]  # fmt: skip
    following = element(element(page, "nav", aria_label="Pages of Active clients").html, "a", text="Next page")
    assert following["href"] == "/clients/active?page=2"
    assert names(logged_in.get(following["href"], headers=HTMX).get_data(as_text=True)) == [
        f"Member {i:03d}" for i in range(50, 55)
    ]
    searched = logged_in.get("/clients/active?q=member05").get_data(as_text=True)
    assert names(searched) == [f"Member {i:03d}" for i in range(50, 55)]


def test_program_page_and_clients_run_the_same_queries_for_3_and_180_clients(
    app, logged_in, coach, make_program, today, count_queries
):
    program = make_program(coach, status="published", name="Growing")
    paths = [f"/programs/{program}", f"/programs/{program}/clients/active", f"/programs/{program}/clients/pending",
             f"/programs/{program}/clients/past", f"/programs/{program}/clients/active?q=member&page=2",
             "/clients/", "/clients/active?page=2", "/clients/past?q=member", "/clients/pending?page=2"]  # fmt: skip

    def measure():
        numbers = []
        for path in paths:
            with count_queries() as counter:
                assert logged_in.get(path).status_code == 200, path
            numbers.append(counter.count)
        return numbers

    def grow(first, n):
        join(app, program, first, n, today=today)
        join(app, program, first + 500, n, status="ended", today=today)
        for i in range(first, first + n):
            make_invite(app, program, f"invited{i:03d}@example.com")

    grow(0, 1)
    few = measure()
    grow(1, 59)
    many = measure()
    assert few == many, list(zip(paths, few, many, strict=True))


# --- links: the cached url_for gives Flask's answer ----------------------------------------------


def test_template_url_for_writes_every_route_as_url_for_does(app):
    """For each route taking ids, with ids of different lengths, extra query ids and None."""
    with app.test_request_context("/"):
        taking_ids = [rule for rule in app.url_map.iter_rules() if rule.arguments and rule.endpoint != "static"]
        assert len(taking_ids) > 50
        for rule in taking_ids:
            if any(type(rule._converters[name]).__name__ != "IdConverter" for name in rule.arguments):
                continue
            for ids in ({name: 7 for name in rule.arguments}, {name: 12345 + i for i, name in enumerate(rule.arguments)}):
                assert template_url_for(rule.endpoint, **ids) == url_for(rule.endpoint, **ids)
                assert template_url_for(rule.endpoint, **ids, client=3, x=None) == url_for(rule.endpoint, **ids, client=3)
                for text in ("/clients/active?q=a b&needs=1", "", "ä/ß #%"):  # a query's text, e.g. next=
                    assert template_url_for(rule.endpoint, **ids, next=text) == url_for(rule.endpoint, **ids, next=text)
        # What it leaves to url_for: text values, flags, ids a route refuses
        assert template_url_for("clients.tab", tab="active", page=2) == "/clients/active?page=2"
        assert template_url_for("clients.program", program_id=3, _external=True) == "http://localhost/programs/3"
        assert template_url_for("clients.program", program_id=3, flag=True) == url_for("clients.program", program_id=3, flag=True)
    with app.test_request_context("/", base_url="http://example.com/fitr/"):  # served under a prefix
        assert template_url_for("clients.program", program_id=42) == "/fitr/programs/42"


def test_link_maker_writes_every_route_as_url_for_does(app):
    """A list's links made in Python (fitr.clients.listing) from one template a page: the ids
    named in any order, a query's text, text a route takes as a path value, under a prefix."""
    with app.test_request_context("/"):
        for rule in app.url_map.iter_rules():
            if not rule.arguments or any(type(rule._converters[name]).__name__ != "IdConverter" for name in rule.arguments):
                continue
            names = sorted(rule.arguments, reverse=True)  # not always the path's order
            values = [12345 + i for i in range(len(names))]
            ids = dict(zip(names, values, strict=True))
            assert link_maker(rule.endpoint, names)(*values) == url_for(rule.endpoint, **ids)
            for text in ("/clients/active?q=a b&needs=1", "", "ä/ß #%"):
                assert link_maker(rule.endpoint, names, next=text)(*values) == url_for(rule.endpoint, **ids, next=text)
        assert link_maker("clients.tab", ["tab"])("past") == "/clients/past"  # not an id: url_for's own answer
        assert link_maker("clients.end_subscription", ["subscription_id"], next=None)(5) == "/subscriptions/5/end"
    with app.test_request_context("/", base_url="http://example.com/fitr/"):
        assert link_maker("clients.overview", ["subscription_id", "program_id"])(9, 4) == "/fitr/programs/4/clients/9/overview"


def test_a_query_added_to_a_link_reads_as_url_for_writes_it(app):
    """with_query on a path alone (Add session's ?date=, 35 a month) and on a link with a query."""
    with app.test_request_context("/"):
        path = url_for("calendars.new_session", program_id=1, calendar_id=2)
        assert with_query(path, date="2026-06-01") == url_for("calendars.new_session", program_id=1, calendar_id=2, date="2026-06-01")
        assert with_query(path, next="/clients/active?q=a b&x=ä") == url_for(
            "calendars.new_session", program_id=1, calendar_id=2, next="/clients/active?q=a b&x=ä"
        )
        assert with_query(path) == path
        assert with_query(path + "?date=2026-01-01&view=week", date="2026-06-01") == path + "?view=week&date=2026-06-01"
        assert with_query("/x#top", page=2) == "/x?page=2#top"


def test_program_page_reads_the_same_with_flasks_own_url_for(app, logged_in, big_program):
    """The pages are byte for byte the pages Flask's url_for writes (but for the CSRF tokens,
    which are signed with the time)."""

    def page(path):
        html = logged_in.get(path).get_data(as_text=True)
        for token in re.findall(r'csrf_token" value="([^"]+)"|X-CSRFToken": "([^"]+)"', html):
            html = html.replace("".join(token), "TOKEN")
        return html

    for path in (f"/programs/{big_program}", "/clients/", f"/programs/{big_program}/clients/active?page=2"):
        cached = page(path)
        app.jinja_env.globals["url_for"] = url_for
        try:
            plain = page(path)
        finally:
            app.jinja_env.globals["url_for"] = template_url_for
        assert cached == plain
        assert cached.count('href="/programs/') > 40


def test_another_coach_finds_none_of_a_coachs_clients_by_search_or_page(app, auth, client, big_program, make_program):
    make_user(app, "Olive Other", "olive@example.com")
    auth.login("olive@example.com")
    assert client.get(f"/programs/{big_program}/clients/active?q=member&page=2").status_code == 404
    assert client.get(f"/programs/{big_program}?tab=active&q=member").status_code == 404
    assert names(client.get("/clients/active?q=member").get_data(as_text=True)) == []
    auth.logout()
    response = client.get(f"/programs/{big_program}/clients/active?q=member")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
