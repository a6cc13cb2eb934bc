"""Client calendars: month and week views, the client switcher, one calendar per subscription
and the dates it takes. The session editor is in test_calendars_editor.py, the exercise library
in test_library_exercises.py."""

import re
from datetime import date

import pytest
from factories import (
    NOV_3,
    SQUAT,
    add_subscription,
    calendar_id,
    card_lines,
    element,
    elements,
    plan,
    session_form,
)
from sqlalchemy import func, select

from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Calendar
from fitr.extensions import db
from fitr.lifecycle import rules as subscriptions_rules
from fitr.programs import rules as program_rules
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh

HTMX = {"HX-Request": "true"}


def client_url(program, sub, **query):
    url = f"/programs/{program.id}/clients/{sub}/calendar"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url



# --- the calendar --------------------------------------------------------------------------


def test_open_calendar_goes_to_first_active_client(logged_in, one_to_one):
    response = logged_in.get(f"/programs/{one_to_one.id}/calendar")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(client_url(one_to_one, one_to_one.ada))


def test_month_view_shows_every_day_with_add_session_and_the_sessions(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100), ("Romanian Deadlift", 3, 8, 80)])
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2026-11-15")).get_data(as_text=True)
    assert "November 2026" in page
    # Monday-start weeks around November 2026: 26 October to 6 December.
    days = re.findall(r'data-date="(\d{4}-\d\d-\d\d)"', page)
    assert days[0] == "2026-10-26" and days[-1] == "2026-12-06" and len(days) == 42
    assert 'aria-label="Add session on 2026-11-03"' in page
    cell = page[page.index('data-date="2026-11-03"') : page.index('data-date="2026-11-04"')]
    assert "Lower body" in cell and "data-session-id=" in cell
    # A card: its title, then one line per exercise with its label, name and dose.
    assert card_lines(cell) == ["A · Back Squat · 5×5 @ 100 kg", "B · Romanian Deadlift · 3×8 @ 80 kg"]
    assert "Ada Athlete" in page


def test_week_view_starts_on_the_programs_week_start(app, logged_in, one_to_one):
    with app.app_context():
        program_rules.update_program(db.session.get(Program, one_to_one.id), week_start=6)  # Sunday
        db.session.commit()
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, view="week", date="2026-11-04")).get_data(as_text=True)
    days = re.findall(r'data-date="(\d{4}-\d\d-\d\d)"', page)
    assert days == [f"2026-11-{d:02d}" for d in range(1, 8)]  # Sunday 1 to Saturday 7
    assert "1 Nov – 7 Nov 2026" in page


def test_today_is_marked_and_navigation_links_move_by_a_month(logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    assert 'aria-current="date"' in page and "(today)" in page
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2026-11-15")).get_data(as_text=True)
    assert f'href="{client_url(one_to_one, one_to_one.ada, view="month", date="2026-10-01")}"'.replace("&", "&amp;") in page
    assert f'href="{client_url(one_to_one, one_to_one.ada, view="month", date="2026-12-01")}"'.replace("&", "&amp;") in page
    assert 'aria-label="Previous month"' in page and 'aria-label="Next month"' in page


@pytest.mark.parametrize(
    "query, hidden, shown",
    [
        ("date=2099-12-15", "Next month", "Previous month"),
        ("date=2000-01-15", "Previous month", "Next month"),
        ("view=week&date=2099-12-31", "Next week", "Previous week"),
        ("view=week&date=2000-01-01", "Previous week", "Next week"),
    ],
)
def test_calendar_stops_at_2000_and_2099(logged_in, one_to_one, query, hidden, shown):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada) + "?" + query).get_data(as_text=True)
    assert f'aria-label="{hidden}"' not in page and f'aria-label="{shown}"' in page
    # Every link the page offers opens, and days outside 2000-2099 offer no Add session.
    for href in set(re.findall(r'hx-get="([^"]*calendar\?[^"]*)"', page)):
        assert logged_in.get(href.replace("&amp;", "&")).status_code == 200, href
    assert "Add session on 1999-" not in page and "Add session on 2100-" not in page


def test_first_and_last_grids_offer_add_session_only_inside_the_range(logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2000-01-01")).get_data(as_text=True)
    assert 'data-date="1999-12-27"' in page and "Add session on 1999-12-27" not in page
    assert "Add session on 2000-01-01" in page
    page = logged_in.get(client_url(one_to_one, one_to_one.ada, date="2099-12-01")).get_data(as_text=True)
    assert 'data-date="2100-01-03"' in page and "Add session on 2100-01-03" not in page
    assert "Add session on 2099-12-31" in page


def test_htmx_gets_only_the_calendar_fragment_and_a_direct_visit_the_whole_page(logged_in, one_to_one):
    url = client_url(one_to_one, one_to_one.ben, date="2026-11-01")
    fragment = logged_in.get(url, headers=HTMX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="calendar"')
    assert "<html" not in fragment and "Ben Athlete" in fragment
    page = logged_in.get(url).get_data(as_text=True)
    assert "<html" in page and 'id="client-list"' in page and 'id="calendar"' in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("date=2026-13-01", "That date is not valid"),
        ("date=yesterday", "That date is not valid"),
        ("date=1850-01-01", "between 2000 and 2099"),
        ("date=2400-01-01", "between 2000 and 2099"),
        ("view=year", "month or week"),
    ],
)
def test_dates_outside_a_sane_range_get_a_clear_message(logged_in, one_to_one, query, message):
    response = logged_in.get(client_url(one_to_one, one_to_one.ada) + "?" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_client_switcher_lists_active_and_pending_clients_and_searches(logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    switcher = page[page.index('id="client-list"') : page.index("</ul>", page.index('id="client-list"'))]
    assert [n for n in ("Ada Athlete", "Ben Athlete", "Cleo Athlete", "Dan Pending") if n in switcher] == [
        "Ada Athlete", "Ben Athlete", "Cleo Athlete", "Dan Pending",
    ]  # fmt: skip
    assert 'hx-push-url="true"' in switcher and 'hx-target="#calendar"' in switcher
    found = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=cle", headers=HTMX).get_data(as_text=True)
    assert "Cleo Athlete" in found and "Ada Athlete" not in found
    none = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=zzz", headers=HTMX).get_data(as_text=True)
    assert "No clients match" in none


def test_client_switcher_gets_a_search_box_from_nine_clients(app, logged_in, one_to_one):
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    assert "Search clients" not in page  # four clients fit on screen
    for name in ("Eve", "Fay", "Gil", "Hal", "Ivy"):
        add_subscription(app, one_to_one.id, f"{name.lower()}@example.com", name=f"{name} Pending")
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    assert element(page, "label", text="Search clients")["for"] == "client-search"
    search = element(page, "input", id="client-search")
    assert search["type"] == "search" and search["hx-target"] == "#client-list"
    assert search["hx-get"] == f"/programs/{one_to_one.id}/calendar/clients"
    found = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=IVY", headers=HTMX).get_data(as_text=True)
    assert found.lstrip().startswith('<ul id="client-list"') and "Ivy Pending" in found and "Ada Athlete" not in found
    by_email = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=hal@", headers=HTMX).get_data(as_text=True)
    assert "Hal Pending" in by_email and "Eve Pending" not in by_email


def test_client_switcher_lists_fifty_and_its_search_finds_the_rest_in_a_fixed_number_of_queries(app, logged_in, one_to_one, count_queries):
    with app.app_context():
        for i in range(70):
            subscriptions_rules.add_pending(one_to_one.id, f"zed{i:02d}@example.com", name=f"Zed {i:02d} 100%_sure")
        db.session.commit()
    with count_queries() as few:
        logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=Cleo", headers=HTMX)
    page = logged_in.get(client_url(one_to_one, one_to_one.ada)).get_data(as_text=True)
    switcher = page[page.index('id="client-list"') : page.index("</ul>", page.index('id="client-list"'))]
    listed = elements(switcher, "a")
    assert len(listed) == 50 and listed[0].text == "Ada Athlete"  # active clients first, then by name
    assert element(page, "li", text="And 24 more: search to find them.")
    with count_queries() as many:
        found = logged_in.get(f"/programs/{one_to_one.id}/calendar/clients?q=zed 6", headers=HTMX).get_data(as_text=True)
    assert [a.text for a in elements(found, "a")] == [f"Zed 6{i} 100%_sure" for i in range(10)]
    assert few.count == many.count
    # What is typed is text, not a pattern: "%" and "_" match only themselves.
    def search(typed):
        return logged_in.get(f"/programs/{one_to_one.id}/calendar/clients", query_string={"q": typed}, headers=HTMX).get_data(as_text=True)

    literal = search("%_sure")
    assert len(elements(literal, "a")) == 50 and element(literal, "li", text="And 20 more matching: search to find them.")
    assert elements(search("1%s"), "a") == [] and elements(search("1__"), "a") == []


def test_pending_clients_calendar_is_written_like_any_other(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.dan)
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form("First week", [SQUAT]), headers=HTMX)
    assert response.status_code == 200
    assert "First week" in logged_in.get(client_url(one_to_one, one_to_one.dan, date="2026-11-01")).get_data(as_text=True)


def test_calendar_for_subscription_is_one_calendar_per_subscription(app, one_to_one):
    with app.app_context():
        subscription = db.session.get(Subscription, one_to_one.ada)
        first = calendar_rules.calendar_for_subscription(subscription)
        second = calendar_rules.calendar_for_subscription(subscription)
        db.session.commit()
        assert first.id == second.id and first.kind == "client"
        assert db.session.scalar(select(func.count(Calendar.id)).where(Calendar.subscription_id == one_to_one.ada)) == 1


def test_dates_are_checked_by_the_rules_too(app, one_to_one):
    with app.app_context():
        calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, one_to_one.ada))
        with pytest.raises(calendar_rules.CalendarError, match="between 2000 and 2099"):
            calendar_rules.add_session(calendar, date(1999, 12, 31), one_to_one.coach_id, "Too early")
