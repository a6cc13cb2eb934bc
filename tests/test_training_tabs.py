"""The client's tab bar as the server writes it: five tabs (Today, Calendar, History, Records,
Messages with the unread count), the current one marked, Calendar going to the one program's
calendar or to My programs, and no query more as messages and programs grow. The phone itself
(a bar at the bottom, 44 px targets) is tests/browser/test_client_shell_browser.py."""

from factories import PASSWORD, element, elements, end_subscription, update_user

TABS = ["Today", "Calendar", "History", "Records", "Messages"]


def logged_in_as(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def tab_bar(html):
    """The client's tabs: the list in the main navigation that holds them."""
    return element(element(html, "nav", aria_label="Main").html, "ul", class_="nav-links tab-bar").html


def tab_names(html):
    return [link.text.split()[0] for link in elements(tab_bar(html), "a")]


def current_tab(html):
    return [link.text.split()[0] for link in elements(tab_bar(html), "a", aria_current="page")]


def test_a_client_has_five_tabs_with_the_current_one_marked(app, gym):
    update_user(app, gym.ben, is_coach=False)
    ben = logged_in_as(app, "ben@example.com")
    for path, tab in [("/my", "Today"), (f"/my/programs/{gym.ben_sub}/calendar", "Calendar"), ("/my/programs", "Calendar"),
                      ("/my/history", "History"), ("/my/records", "Records"), ("/my/records/new", "Records"),
                      ("/messages", "Messages"), ("/my/settings", None)]:  # fmt: skip
        html = ben.get(path).get_data(as_text=True)
        assert tab_names(html) == TABS, path
        assert current_tab(html) == ([tab] if tab else []), path
        assert 'class="has-tab-bar"' in html, path


def test_a_coach_has_no_tab_bar(app, gym, logged_in):
    for path in ["/", "/programs/", "/my", "/messages"]:
        html = logged_in.get(path, follow_redirects=True).get_data(as_text=True)
        assert elements(html, "ul", class_="nav-links tab-bar") == [], path
        assert "has-tab-bar" not in html, path


def test_calendar_opens_the_one_programs_calendar_else_my_programs(app, gym):
    ben = logged_in_as(app, "ben@example.com")  # in Strength 1-2-1 only
    assert ben.get("/my/calendar").headers["Location"] == f"/my/programs/{gym.ben_sub}/calendar"
    ada = logged_in_as(app, "ada@example.com")  # in Strength 1-2-1 and Team Barbell
    assert ada.get("/my/calendar").headers["Location"] == "/my/programs"
    end_subscription(app, gym.ben_sub)  # nothing to train in: My programs says so
    assert ben.get("/my/calendar").headers["Location"] == "/my/programs"
    assert app.test_client().get("/my/calendar").headers["Location"].startswith("/login")


def test_the_messages_tab_counts_unread_messages_in_the_same_queries(app, gym, count_queries):
    update_user(app, gym.ben, is_coach=False)
    ben = logged_in_as(app, "ben@example.com")

    def records_page():
        with count_queries() as counter:
            html = ben.get("/my/records").get_data(as_text=True)
        return html, counter.count

    html, quiet = records_page()
    assert element(tab_bar(html), "a", id="nav-messages").text.strip() == "Messages"

    casey = logged_in_as(app, "casey@example.com")
    for body in ["Deload this week", "Sleep well", "See you Friday"]:
        assert casey.post(f"/messages/{gym.coach}/{gym.ben}", data={"body": body}).status_code == 302
    html, busy = records_page()
    assert busy == quiet
    link = element(tab_bar(html), "a", id="nav-messages")
    assert {"class": "badge nav-badge", "aria-label": "3 unread"} in elements(link.html, "span", text="3")

    ben.get(f"/messages/{gym.coach}/{gym.ben}")  # read
    html, _ = records_page()
    assert elements(element(tab_bar(html), "a", id="nav-messages").html, "span", class_="badge nav-badge") == []
