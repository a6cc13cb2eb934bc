"""Messages: one thread per coach and client across programs. The coach's Messages lists
conversations unread first and finds a client by name; unread counts in the navigation; the
coach is told; a thread polls cheaply; an author edits or deletes for 15 minutes; after every
subscription ended the history stays, read-only."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from factories import (
    PASSWORD,
    add_subscription,
    count,
    element,
    elements,
    end_subscription,
    make_user,
    one,
    rows,
)

from fitr.conversations.models import Conversation, Message
from fitr.notices.models import Notice
from fitr.subscriptions.models import ACTIVE


def logged_in_as(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def thread_url(gym, client_id=None):
    return f"/messages/{gym.coach}/{client_id or gym.ada}"


def send(client, url, body):
    return client.post(url, data={"body": body})


def bodies(html):
    return [e.text for e in elements(html, "p", class_="bubble-body")]


def nav_unread(html):
    link = element(html, "a", id="nav-messages")
    badge = elements(link.html, "span", class_="badge nav-badge")
    return int(badge[0].text) if badge else 0


def test_a_client_writes_to_her_coach_who_is_told_and_answers(app, gym, as_ada):
    assert send(as_ada, thread_url(gym), "Can we move Friday's session?").status_code == 302
    coach = logged_in_as(app, "casey@example.com")
    home = coach.get("/messages").get_data(as_text=True)
    assert nav_unread(home) == 1
    link = element(home, "a", "Ada Athlete")
    assert link["href"] == thread_url(gym)
    notices = coach.get("/notices").get_data(as_text=True)
    assert element(notices, "a", "Ada Athlete sent you a message: “Can we move Friday's session?”")["href"] == thread_url(gym)

    page = coach.get(thread_url(gym)).get_data(as_text=True)
    assert bodies(page) == ["Can we move Friday's session?"]
    assert nav_unread(page) == 0  # read now, and the notice with it
    assert count(app, Notice, Notice.read_at.is_(None), user_id=gym.coach) == 0

    assert send(coach, thread_url(gym), "Sure, Saturday works.").status_code == 302
    assert count(app, Notice, user_id=gym.ada) == 0  # the client is told by the count, not a notice
    ada_page = as_ada.get("/messages").get_data(as_text=True)
    assert nav_unread(ada_page) == 1
    assert element(ada_page, "a", "Casey Coach")["href"] == thread_url(gym)
    assert bodies(as_ada.get(thread_url(gym)).get_data(as_text=True)) == ["Can we move Friday's session?", "Sure, Saturday works."]


def test_my_message_says_read_once_the_other_person_has_opened_the_thread(app, gym, as_ada):
    def read_marks(client):
        return [e.text for e in elements(client.get(thread_url(gym)).get_data(as_text=True), "span", class_="bubble-read")]

    send(as_ada, thread_url(gym), "Can we move Friday's session?")
    assert read_marks(as_ada) == []  # sent, not yet read
    coach = logged_in_as(app, "casey@example.com")
    page = coach.get(thread_url(gym)).get_data(as_text=True)
    assert element(page, "li", class_="bubble").html.count("Read") == 0  # theirs carry no read mark
    assert read_marks(as_ada) == ["Read"]
    send(as_ada, thread_url(gym), "Or Saturday?")
    assert read_marks(as_ada) == ["Read"]  # the first only, until the coach opens it again


def test_several_messages_leave_one_unread_notice_per_thread(app, gym, as_ada):
    for text in ("one", "two", "three"):
        send(as_ada, thread_url(gym), text)
    [notice] = rows(app, Notice, user_id=gym.coach, kind="messaged")
    assert notice.text == "Ada Athlete sent you a message: “three”" and notice.read_at is None


def test_messages_lists_unread_first_then_the_latest_and_finds_a_client_by_name(app, gym, as_ada):
    coach = logged_in_as(app, "casey@example.com")
    send(coach, thread_url(gym, gym.ben), "Ben, how was the deload?")
    send(as_ada, thread_url(gym), "Done!")
    html = coach.get("/messages").get_data(as_text=True)
    names = [e.text for e in elements(html, "span", class_="person-name") if e.text.endswith("Athlete")]
    assert names == ["Ada Athlete", "Ben Athlete"]  # Ada's is unread; Ben's is older news
    [ada_line] = elements(html, "li", class_="conversation unread")
    assert "Ada Athlete" in ada_line.text and element(ada_line.html, "span", "1", aria_label="1 unread")

    found = coach.get("/messages?q=BEN").get_data(as_text=True)
    assert [e.text for e in elements(found, "span", class_="person-name") if e.text.endswith("Athlete")] == ["Ben Athlete"]
    nobody = coach.get("/messages?q=100%25").get_data(as_text=True)  # a % is a character, not a wildcard
    assert "Nobody you talk to has “100%” in their name." in nobody
    assert coach.get("/messages?q=" + "x" * 101).status_code == 400


def test_a_client_sees_only_her_own_coaches_in_messages(app, gym, as_ada):
    html = as_ada.get("/messages").get_data(as_text=True)
    assert [e.text for e in elements(html, "span", class_="person-name")] == ["Casey Coach"]  # one thread across her three programs
    assert "Olive" not in html and "Ben" not in html


@pytest.mark.parametrize("body, message", [
    ("", "Write something first"),
    ("   \u200b ", "Write something first"),
    ("x" * 4001, "Use at most 4,000 characters."),
    ("bell \x07 here", "Remove the control character (U+0007)"),
])  # fmt: skip
def test_an_empty_huge_or_garbled_message_is_refused_and_nothing_is_written(app, gym, as_ada, body, message):
    response = send(as_ada, thread_url(gym), body)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Message) == 0 and count(app, Conversation) == 0 and count(app, Notice) == 0


def test_a_thread_is_only_for_its_coach_and_client(app, gym, as_ada):
    send(as_ada, thread_url(gym), "private")
    for email in ("ben@example.com", "zed@example.com", "olive@example.com"):
        other = logged_in_as(app, email)
        assert other.get(thread_url(gym)).status_code == 404
        assert send(other, thread_url(gym), "let me in").status_code == 404
        assert other.get(thread_url(gym) + "?version=1").status_code == 404  # a poll too
    # Olive and Ada never had a subscription together: no thread to start
    assert send(as_ada, f"/messages/{gym.other_coach}/{gym.ada}", "hello?").status_code == 404
    visitor = app.test_client().get(thread_url(gym))
    assert visitor.status_code == 302 and "/login?next=" in visitor.headers["Location"]
    assert [m.body for m in rows(app, Message)] == ["private"]


def test_after_every_subscription_ended_the_history_stays_read_only(app, gym, as_ada):
    send(as_ada, thread_url(gym), "Thanks for everything")
    for subscription in (gym.ada_sub, gym.ada_team):
        end_subscription(app, subscription)
    html = as_ada.get(thread_url(gym)).get_data(as_text=True)
    assert bodies(html) == ["Thanks for everything"]
    assert not elements(html, "textarea") and "no new ones can be sent" in html
    response = send(as_ada, thread_url(gym), "one more")
    assert response.status_code == 409 and count(app, Message) == 1
    coach = logged_in_as(app, "casey@example.com")
    assert bodies(coach.get(thread_url(gym)).get_data(as_text=True)) == ["Thanks for everything"]
    listed = coach.get("/messages").get_data(as_text=True)
    assert element(listed, "span", "Read-only")


def test_a_poll_of_an_unchanged_thread_answers_204_from_one_query(app, gym, as_ada, count_queries):
    send(as_ada, thread_url(gym), "first")
    version = one(app, Conversation).version
    with count_queries() as counter:
        response = as_ada.get(thread_url(gym) + f"?version={version}", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.get_data() == b""
    assert counter.count <= 3, counter.statements  # the login, and the thread's version

    send(logged_in_as(app, "casey@example.com"), thread_url(gym), "an answer")
    changed = as_ada.get(thread_url(gym) + f"?version={version}", headers={"HX-Request": "true"})
    assert changed.status_code == 200
    html = changed.get_data(as_text=True)
    assert bodies(html) == ["first", "an answer"]
    assert element(html, "div", id="thread-messages")["hx-get"] == thread_url(gym) + f"?version={version + 1}"


def test_an_empty_thread_polls_204_too(app, gym, as_ada):
    assert as_ada.get(thread_url(gym) + "?version=0", headers={"HX-Request": "true"}).status_code == 204
    assert as_ada.get(thread_url(gym) + "?version=x").status_code == 400


def test_the_author_edits_or_deletes_for_15_minutes_and_then_cannot(app, gym, as_ada):
    send(as_ada, thread_url(gym), "See you at 6")
    send(as_ada, thread_url(gym), "oops, wrong thread")
    first, second = rows(app, Message)
    html = as_ada.get(thread_url(gym)).get_data(as_text=True)
    assert len(elements(html, "a", "Edit your message")) == 2
    assert as_ada.post(f"/messages/{first.id}/edit", data={"body": "See you at 7"}).status_code == 302
    assert as_ada.post(f"/messages/{second.id}/delete").status_code == 302
    html = as_ada.get(thread_url(gym)).get_data(as_text=True)
    assert bodies(html) == ["See you at 7"] and "· edited" in html and "Deleted." in html
    assert as_ada.post(f"/messages/{first.id}/edit", data={"body": ""}).status_code == 400
    assert one(app, Message, id=first.id).body == "See you at 7"

    coach = logged_in_as(app, "casey@example.com")  # not the author
    assert coach.post(f"/messages/{first.id}/edit", data={"body": "hacked"}).status_code == 404
    assert coach.post(f"/messages/{first.id}/delete").status_code == 404

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16), tick=False):
        html = as_ada.get(thread_url(gym)).get_data(as_text=True)
        assert not elements(html, "a", "Edit your message")
        late = as_ada.post(f"/messages/{first.id}/edit", data={"body": "See you at 8"})
        assert late.status_code == 409 and "edited or deleted for 15 minutes" in late.get_data(as_text=True)
        assert as_ada.post(f"/messages/{first.id}/delete").status_code == 409
    assert one(app, Message, id=first.id).body == "See you at 7"


def test_an_edit_with_htmx_swaps_in_the_message(app, gym, as_ada):
    send(as_ada, thread_url(gym), "typo")
    message = one(app, Message)
    form = as_ada.get(f"/messages/{message.id}/edit", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert element(form, "textarea", "typo", name="body")
    saved = as_ada.post(f"/messages/{message.id}/edit", data={"body": "fixed"}, headers={"HX-Request": "true"})
    assert element(saved.get_data(as_text=True), "li", id=f"message-{message.id}")
    assert bodies(saved.get_data(as_text=True)) == ["fixed"]


def test_text_is_escaped_and_links_are_clickable(app, gym, as_ada):
    send(as_ada, thread_url(gym), "<script>alert(1)</script> see https://example.com/a?b=1&c=2.")
    html = as_ada.get(thread_url(gym)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    link = element(html, "a", "https://example.com/a?b=1&c=2")
    assert link["href"] == "https://example.com/a?b=1&c=2" and link["rel"] == "noopener nofollow"


def _clients_with_messages(app, gym, first, n):
    for i in range(first, first + n):
        email = f"client{i}@example.com"
        user = make_user(app, f"Client {i:02}", email)
        add_subscription(app, gym.strength, email, ACTIVE, client_id=user, start_date=gym.start)
        client = logged_in_as(app, email)
        for j in range(3):
            send(client, f"/messages/{gym.coach}/{user}", f"message {j}")


def test_messages_and_a_thread_run_the_same_queries_for_few_or_many(app, gym, as_ada, count_queries):
    coach = logged_in_as(app, "casey@example.com")

    def measure():
        with count_queries() as listing:
            assert coach.get("/messages").status_code == 200
        with count_queries() as thread:
            assert coach.get(thread_url(gym)).status_code == 200
        return listing.count, thread.count

    _clients_with_messages(app, gym, 0, 1)
    send(as_ada, thread_url(gym), "hello")
    few = measure()
    _clients_with_messages(app, gym, 1, 12)
    for i in range(20):
        send(as_ada, thread_url(gym), f"more {i}")
    assert measure() == few
