"""Clients: everyone across the coach's programs in three tabs with a search box, Clients >
Invite, End subscription, and who may see or press what."""

import pytest
from factories import PASSWORD, button_links, count, element, elements, make_user
from sqlalchemy import func, select

from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.subscriptions.models import Subscription


@pytest.fixture
def roster(app, coach, make_program, add_subscription):
    """Ada active in two programs, Bo past in one, Cy invited (pending)."""
    strength = make_program(coach, status="published", name="Strength 1-2-1")
    mobility = make_program(coach, status="published", name="Mobility 1-2-1")
    ada = make_user(app, "Ada Lovelace", "ada@example.com")
    bo = make_user(app, "Bo Diddley", "bo@example.com")
    add_subscription(strength, "ada@example.com", status="active", client_id=ada)
    add_subscription(mobility, "ada@example.com", status="active", client_id=ada)
    add_subscription(strength, "bo@example.com", status="ended", client_id=bo)
    return {"strength": strength, "mobility": mobility, "ada": ada, "bo": bo}


def test_clients_page_lists_one_row_per_client_with_their_programs(logged_in, roster, make_invite):
    make_invite(roster["strength"], "cy@example.com")
    page = logged_in.get("/clients/").get_data(as_text=True)
    assert "Active clients (1)" in page and "Pending invites (1)" in page and "Past clients (1)" in page
    assert page.count('class="clients-row"') == 1
    assert "Ada Lovelace" in page and "Strength 1-2-1" in page and "Mobility 1-2-1" in page
    assert page.count("End subscription") == 2

    pending = logged_in.get("/clients/pending").get_data(as_text=True)
    assert "cy@example.com" in pending and "Strength 1-2-1" in pending and "Resend" in pending and "Revoke" in pending
    past = logged_in.get("/clients/past").get_data(as_text=True)
    assert "Bo Diddley" in past and "Ada Lovelace" not in past.split('id="tab-panel"')[1]


def panel_links(html):
    """(visible label, href) of the links styled as buttons in the tab panel."""
    return button_links(element(html, "div", id="tab-panel").html)


def test_active_clients_offer_calendar_overview_and_move_to_program_that_open(logged_in, roster):
    found = panel_links(logged_in.get("/clients/active").get_data(as_text=True))
    labels = [label for label, _ in found]
    assert labels.count("Overview") == 2 and labels.count("Move to program") == 2 and labels.count("Calendar") == 2
    for label, href in found:
        response = logged_in.get(href)
        assert response.status_code == 200, (label, href)
        assert "Ada Lovelace" in response.get_data(as_text=True) or label == "Calendar"


def test_past_clients_offer_a_calendar_and_re_subscribe(app, logged_in, roster):
    html = logged_in.get("/clients/past").get_data(as_text=True)
    found = dict(panel_links(html))
    assert set(found) == {"Calendar", "Overview", "Re-subscribe"}
    assert "End subscription" not in html.split('id="tab-panel"', 1)[1]
    assert "read-only" in logged_in.get(found["Calendar"]).get_data(as_text=True).lower()
    response = logged_in.post(found["Re-subscribe"], data={"program": str(roster["mobility"]), "start_date": "2026-12-07"})
    assert response.status_code == 302
    active = logged_in.get("/clients/active").get_data(as_text=True).split('id="tab-panel"', 1)[1]
    assert "Bo Diddley" in active


def test_clients_pending_tab_polls_and_shows_a_new_client_without_a_reload(app, logged_in, published_program, make_invite):
    invited = make_invite(published_program, "cy@example.com")
    page = logged_in.get("/clients/").get_data(as_text=True)
    poller = element(page, "div", hx_trigger="every 30s")
    assert poller == {"hidden": "", "hx-get": poller["hx-get"], "hx-trigger": "every 30s", "hx-target": "#clients-tabs"}
    url = poller["hx-get"]
    assert url == "/clients/pending?seen=0.1"
    htmx = {"HX-Request": "true"}
    assert logged_in.get(url, headers=htmx).status_code == 204

    app.test_client().post(f"/invite/{invited.token}", data={"name": "Cy Young", "password": PASSWORD})

    fragment = logged_in.get(url, headers=htmx).get_data(as_text=True)
    assert "Active clients (1)" in fragment and "Pending invites (0)" in fragment
    assert "1 new client joined." in fragment and 'href="/clients/active"' in fragment
    notices = element(fragment, "a", id="nav-notices")  # the navigation's count, swapped out of band
    assert notices["hx-swap-oob"] == "outerHTML" and notices.text == "Notices 1"
    badge = element(notices.html, "span")
    assert badge == {"class": "badge nav-badge", "aria-label": "1 unread"} and badge.text == "1"
    assert "Cy Young" in logged_in.get("/clients/active").get_data(as_text=True)


def test_clients_search_finds_by_name_or_email(logged_in, roster):
    fragment = logged_in.get("/clients/active?q=lovel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Ada Lovelace" in fragment and "<html" not in fragment
    assert "Ada Lovelace" in logged_in.get("/clients/active?q=ADA@EXAMPLE").get_data(as_text=True)
    assert "No client matches “zed”." in logged_in.get("/clients/active?q=zed").get_data(as_text=True)
    assert "Bo Diddley" not in logged_in.get("/clients/past?q=ada").get_data(as_text=True).split('id="tab-panel"')[1]


def test_clients_page_opens_on_pending_invites_while_nobody_has_joined(logged_in, published_program, make_invite):
    make_invite(published_program, "cy@example.com")
    page = logged_in.get("/clients/").get_data(as_text=True)
    pending = element(page, "a", id="tab-pending")
    assert (pending["href"], pending["aria-controls"], pending["aria-selected"]) == ("/clients/pending", "tab-panel", "true")


def test_coach_sees_only_their_own_clients(app, auth, client, roster, other_coach, make_program, add_subscription):
    theirs = make_program(other_coach, status="published", name="Olive's program")
    add_subscription(theirs, "zed@example.com", status="active", name="Zed")
    auth.login()
    page = client.get("/clients/").get_data(as_text=True)
    assert "Zed" not in page and "Olive&#39;s program" not in page


def test_end_subscription_moves_the_client_to_past_clients(app, logged_in, roster):
    with app.app_context():
        sid = db.session.scalar(
            select(Subscription.id).where(Subscription.program_id == roster["mobility"], Subscription.status == "active")
        )
    response = logged_in.post(f"/subscriptions/{sid}/end", data={"next": "/clients/active"})
    assert response.status_code == 302 and response.headers["Location"] == "/clients/active"
    past_page = logged_in.get("/clients/past").get_data(as_text=True)
    assert "Subscription ended: Ada Lovelace is now under Past clients." in past_page  # by name, not email
    past = past_page.split('id="tab-panel"')[1]
    assert "Ada Lovelace" in past and "Mobility 1-2-1" in past
    with app.app_context():
        ended = db.session.get(Subscription, sid)
        assert ended.status == "ended" and ended.ended_at is not None and ended.client_id == roster["ada"]
    again = logged_in.post(f"/subscriptions/{sid}/end")
    assert again.status_code == 409 and "This subscription is not active." in again.get_data(as_text=True)


def test_clients_invite_sends_to_the_chosen_published_program(app, smtp, logged_in, roster):
    page = logged_in.get("/clients/invite").get_data(as_text=True)
    assert element(page, "select", id="program")["name"] == "program" and "Strength 1-2-1" in page and "Mobility 1-2-1" in page
    response = logged_in.post(
        "/clients/invite", data={"program": roster["mobility"], "emails": "dee@example.com\nemu@example.com"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/clients/pending"
    assert sorted(m["To"] for m in smtp.wait_for(2)) == ["dee@example.com", "emu@example.com"]
    assert count(app, Invite, Invite.program_id == roster["mobility"]) == 2


def test_clients_invite_offers_resend_for_an_address_already_pending(logged_in, published_program, make_invite):
    invited = make_invite(published_program, "cy@example.com")
    response = logged_in.post("/clients/invite", data={"program": published_program, "emails": "cy@example.com"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not invited:" in page and "cy@example.com already has a pending invite to this program." in page
    resend = element(page, "form", action=f"/invites/{invited.id}/resend")
    assert element(resend.html, "input", name="next")["value"] == "/clients/pending"


def test_clients_invite_refuses_a_draft_or_another_coachs_program(app, logged_in, coach, other_coach, make_program, roster):
    draft = make_program(coach, name="Draft one")
    theirs = make_program(other_coach, status="published", name="Theirs")
    assert "Draft one" not in logged_in.get("/clients/invite").get_data(as_text=True)
    for program in (draft, theirs, 99999):
        response = logged_in.post("/clients/invite", data={"program": program, "emails": "dee@example.com"})
        assert response.status_code == 400
        assert "Choose one of your published programs." in response.get_data(as_text=True)
    assert count(app, Invite) == 0


def test_coach_sees_a_notice_when_a_client_joins(app, client, logged_in, published_program, make_invite):
    invited = make_invite(published_program, "ada@example.com")
    other = app.test_client()
    other.post(f"/invite/{invited.token}", data={"name": "Ada", "password": PASSWORD})
    page = logged_in.get("/clients/").get_data(as_text=True)
    assert "Ada joined Powerlifting 1-2-1" in page
    assert "Ada joined Powerlifting 1-2-1" in logged_in.get("/notices").get_data(as_text=True)
    logged_in.post("/notices/read", data={"next": "/clients/"})
    assert "Ada joined Powerlifting 1-2-1" not in logged_in.get("/clients/").get_data(as_text=True)


def test_clients_page_runs_the_same_number_of_queries_for_few_and_many_clients(
    app, logged_in, coach, make_program, add_subscription, make_invite, count_queries
):
    program = make_program(coach, status="published", name="Strength 1-2-1")

    def measure():
        numbers = []
        for path in ("/clients/", "/clients/active", "/clients/pending", "/clients/past", "/clients/active?q=a"):
            with count_queries() as counter:
                assert logged_in.get(path).status_code == 200
            numbers.append(counter.count)
        return numbers

    def add(n, start):
        for i in range(start, start + n):
            user = make_user(app, f"Client {i}", f"c{i}@example.com")
            add_subscription(program, f"e{i}@example.com", status="ended", client_id=user)  # then back:
            add_subscription(program, f"c{i}@example.com", status="active", client_id=user)
            make_invite(program, f"p{i}@example.com")

    add(1, 0)
    few = measure()
    add(25, 1)
    many = measure()
    assert few == many, (few, many)


# --- who may see or press what -----------------------------------------------------------------

COACH_URLS = [
    ("get", "/clients/"),
    ("get", "/clients/active"),
    ("get", "/clients/pending"),
    ("get", "/clients/past"),
    ("get", "/clients/invite"),
    ("post", "/clients/invite"),
    ("get", "/notices"),
    ("post", "/notices/read"),
    ("get", "/programs/{program}/clients/new"),
    ("post", "/programs/{program}/clients/new"),
    ("get", "/programs/{program}/clients/new?way=link"),
    ("post", "/programs/{program}/clients/manual"),
    ("get", "/programs/{program}/clients/current"),
    ("post", "/programs/{program}/clients/current"),
    ("post", "/programs/{program}/invite-link"),
    ("post", "/programs/{program}/invite-link/off"),
    ("post", "/programs/{program}/invite-link/regenerate"),
    ("post", "/invites/{invite}/resend"),
    ("post", "/invites/{invite}/copy-link"),
    ("post", "/invites/{invite}/revoke"),
    ("post", "/subscriptions/{pending}/send-invite"),
    ("get", "/subscriptions/{active}/end"),
    ("post", "/subscriptions/{active}/end"),
]
# What only the coach's own client list shows: another coach must not see it.
PRIVATE = ("ada@example.com", "bo@example.com")


@pytest.fixture
def coach_things(app, coach, published_program, add_subscription, make_invite):
    invited = make_invite(published_program, "ada@example.com")
    active = add_subscription(published_program, "bo@example.com", status="active", name="Bo")
    return {"program": published_program, "invite": invited.id, "pending": invited.subscription_id, "active": active}


@pytest.mark.parametrize(("method", "url"), COACH_URLS)
def test_logged_out_visitor_is_sent_to_log_in(app, client, coach_things, method, url):
    response = getattr(client, method)(url.format(**coach_things))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count(app, Invite) == 1


@pytest.mark.parametrize(("method", "url"), COACH_URLS)
def test_another_coach_cannot_see_or_change_anything(app, client, auth, coach_things, other_coach, method, url):
    auth.login("olive@example.com")
    response = getattr(client, method)(url.format(**coach_things), data={"emails": "x@example.com", "program": coach_things["program"]})
    page = response.get_data(as_text=True)
    assert all(private not in page for private in PRIVATE)
    if "{" in url:
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302, 400)  # their own (empty) pages
    with app.app_context():
        invite = db.session.get(Invite, coach_things["invite"])
        assert invite.status == "pending" and invite.send_count == 1
        assert db.session.get(Subscription, coach_things["active"]).status == "active"
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 1


def test_every_clients_tab_can_be_reached_with_the_tab_key(logged_in, roster):
    page = logged_in.get("/clients/").get_data(as_text=True)
    tabs = elements(page, "a", role="tab")
    assert len(tabs) == 3
    assert not [t for t in tabs if t.get("tabindex") == "-1"]  # nothing in fitr moves focus between tabs with arrows


def test_search_box_searches_the_tab_it_is_on_with_or_without_htmx(logged_in, roster):
    # Without JavaScript the search form lands on the tab's own address.
    response = logged_in.get("/clients/?tab=past&q=bo")
    assert response.status_code == 302 and response.headers["Location"] == "/clients/past?q=bo"
    # With htmx it gets that tab, and the address bar shows the tab's address.
    fragment = logged_in.get("/clients/?tab=past&q=bo", headers={"HX-Request": "true"})
    assert fragment.headers["HX-Push-Url"] == "/clients/past?q=bo"
    html = fragment.get_data(as_text=True)
    assert 'id="tab-past"' in html and "Bo Diddley" in html.split('id="tab-panel"')[1]
    search_tab = element(html, "input", id="clients-search-tab")
    assert search_tab["value"] == "past" and search_tab["hx-swap-oob"] == "true"
    assert logged_in.get("/clients/?tab=nope").status_code == 200  # an unknown tab is the default page


def test_clients_active_tab_polls_while_an_invite_link_is_on(app, logged_in, published_program):
    def poll(path):
        found = elements(logged_in.get(path).get_data(as_text=True), "div", hx_trigger="every 30s")
        assert len(found) <= 1 and all("hidden" in poller for poller in found)
        return found[0]["hx-get"] if found else None

    assert poll("/clients/") is None  # nobody invited, no link: nothing to wait for
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    assert poll("/clients/") == "/clients/active?seen=0.0"
    assert poll("/clients/past") is None
    logged_in.post(f"/programs/{published_program}/unpublish")
    assert poll("/clients/") is None  # the link cannot be used while the program is a draft
