"""Comments on a session: a private thread between the coach and that client (on a Group calendar,
one per client), written by the client on the session page and by the coach in the session
editor; the coach is told; new comments arrive by a poll that costs one query when nothing
changed."""

import pytest
from factories import PASSWORD, count, element, elements, one, plan, rows

from fitr.conversations.models import Conversation, Message
from fitr.notices.models import Notice

HTMX = {"HX-Request": "true"}


def logged_in_as(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def bodies(html):
    return [e.text for e in elements(html, "p", class_="bubble-body")]


def editor_url(gym, session_id, program=None, client=None):
    url = f"/programs/{program or gym.strength}/sessions/{session_id}/edit"
    return url + (f"?client={client}" if client else "")


def coach_comments(gym, session_id, client_id, program=None):
    return f"/programs/{program or gym.strength}/sessions/{session_id}/comments/{client_id}"


def test_the_client_comments_on_a_session_and_the_coach_answers_in_the_editor(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert element(page, "label", "Your comment") and element(page, "button", "Comment")
    sent = as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "Knee felt odd on set 3"})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/my/sessions/{session_id}#comments"

    [notice] = rows(app, Notice, user_id=gym.coach, kind="commented")
    assert notice.text == "Ada Athlete commented on Squat day (Strength 1-2-1): “Knee felt odd on set 3”"
    assert notice.link == editor_url(gym, session_id, client=gym.ada) and notice.program_id == gym.strength

    coach = logged_in_as(app, "casey@example.com")
    editor = coach.get(notice.link, headers=HTMX).get_data(as_text=True)
    assert element(editor, "h2", "Comments with Ada Athlete")
    assert bodies(editor) == ["Knee felt odd on set 3"]
    assert one(app, Notice, id=notice.id).read_at is not None  # reading the thread reads its notice

    answer = coach.post(coach_comments(gym, session_id, gym.ada), data={"body": "Drop to 90 kg next time"}, headers=HTMX)
    assert answer.status_code == 200
    assert bodies(answer.get_data(as_text=True)) == ["Knee felt odd on set 3", "Drop to 90 kg next time"]
    assert element(answer.get_data(as_text=True), "textarea", "", name="body")  # the form is empty again
    assert count(app, Notice, user_id=gym.ada) == 0

    version = one(app, Conversation).version
    polled = as_ada.get(f"/my/sessions/{session_id}/comments?version={version - 1}", headers=HTMX)
    assert polled.status_code == 200 and bodies(polled.get_data(as_text=True))[-1] == "Drop to 90 kg next time"


def test_an_unchanged_comment_thread_polls_204_from_one_query(app, gym, as_ada, count_queries):
    session_id = plan(app, gym.ada_sub, gym.today)
    as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "first"})
    coach = logged_in_as(app, "casey@example.com")
    version = one(app, Conversation).version
    for client, url in ((as_ada, f"/my/sessions/{session_id}/comments"), (coach, coach_comments(gym, session_id, gym.ada))):
        with count_queries() as counter:
            response = client.get(f"{url}?version={version}", headers=HTMX)
        assert response.status_code == 204 and response.get_data() == b""
        assert counter.count <= 3, counter.statements


def test_on_a_group_calendar_each_client_has_their_own_thread(app, gym, as_ada):
    from factories import ACTIVE, add_subscription

    add_subscription(app, gym.team, "ben@example.com", ACTIVE, client_id=gym.ben, start_date=gym.start)
    session_id = plan(app, gym.ada_team, gym.today, title="Team lift")
    ben = logged_in_as(app, "ben@example.com")
    as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "Ada's private note"})
    ben.post(f"/my/sessions/{session_id}/comments", data={"body": "Ben's private note"})

    assert bodies(as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)) == ["Ada's private note"]
    assert bodies(ben.get(f"/my/sessions/{session_id}").get_data(as_text=True)) == ["Ben's private note"]
    assert count(app, Conversation) == 2

    coach = logged_in_as(app, "casey@example.com")
    editor = coach.get(editor_url(gym, session_id, program=gym.team), headers=HTMX).get_data(as_text=True)
    chooser = element(editor, "nav", aria_label="Comments by client")
    assert [a.text for a in elements(chooser.html, "a")] == ["Ada Athlete 1 new", "Ben Athlete 1 new"]
    ben_thread = coach.get(coach_comments(gym, session_id, gym.ben, program=gym.team), headers=HTMX).get_data(as_text=True)
    assert bodies(ben_thread) == ["Ben's private note"]
    chosen = coach.get(editor_url(gym, session_id, program=gym.team, client=gym.ada), headers=HTMX).get_data(as_text=True)
    assert bodies(chosen) == ["Ada's private note"]
    # a client who does not follow this calendar has no thread on it
    assert coach.get(coach_comments(gym, session_id, gym.zed, program=gym.team), headers=HTMX).status_code == 404


def test_nobody_else_reads_or_writes_a_session_thread(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "for my coach only"})
    ben = logged_in_as(app, "ben@example.com")
    assert ben.get(f"/my/sessions/{session_id}/comments?version=0", headers=HTMX).status_code == 404
    assert ben.post(f"/my/sessions/{session_id}/comments", data={"body": "hi"}).status_code == 404
    olive = logged_in_as(app, "olive@example.com")
    assert olive.get(coach_comments(gym, session_id, gym.ada) + "?version=0", headers=HTMX).status_code == 404
    assert olive.post(coach_comments(gym, session_id, gym.ada), data={"body": "hi"}).status_code == 404
    coach = logged_in_as(app, "casey@example.com")  # Ben's id on Ada's calendar
    assert coach.post(coach_comments(gym, session_id, gym.ben), data={"body": "hi"}).status_code == 404
    visitor = app.test_client().post(f"/my/sessions/{session_id}/comments", data={"body": "hi"})
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    assert [m.body for m in rows(app, Message)] == ["for my coach only"]


@pytest.mark.parametrize("body", ["", "x" * 4001, "nul-free but \x1b escape"])
def test_a_bad_comment_is_refused_with_a_message_and_nothing_is_written(app, gym, as_ada, body):
    session_id = plan(app, gym.ada_sub, gym.today)
    response = as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": body}, headers=HTMX)
    assert response.status_code == 400
    assert element(response.get_data(as_text=True), "p", class_="error", id="comments-body-error")
    assert count(app, Conversation) == 0 and count(app, Message) == 0 and count(app, Notice) == 0


def test_a_comment_is_plain_text(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": '<img src=x onerror="alert(1)"> video: http://youtu.be/x'})
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "<img" not in html and "&lt;img src=x" in html
    assert element(html, "a", "http://youtu.be/x", rel="noopener nofollow")


def test_the_editor_runs_the_same_queries_however_long_the_thread(app, gym, as_ada, count_queries):
    session_id = plan(app, gym.ada_sub, gym.today)
    coach = logged_in_as(app, "casey@example.com")

    def measure():
        with count_queries() as editor:
            assert coach.get(editor_url(gym, session_id), headers=HTMX).status_code == 200
        with count_queries() as page:
            assert as_ada.get(f"/my/sessions/{session_id}").status_code == 200
        return editor.count, page.count

    as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "one"})
    few = measure()
    for i in range(15):
        as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": f"more {i}"})
        coach.post(coach_comments(gym, session_id, gym.ada), data={"body": f"answer {i}"})
    assert measure() == few


@pytest.mark.dates
def test_today_the_calendar_and_history_lead_to_a_sessions_comments_with_their_count(app, gym, as_ada):
    from factories import log

    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    today = as_ada.get("/my").get_data(as_text=True)
    target = f"/my/sessions/{session_id}#comments"
    link = element(today, "a", "Comment")
    assert link["href"] == target and element(today, "span", "Squat day", id=link["aria-describedby"])
    as_ada.post(f"/my/sessions/{session_id}/comments", data={"body": "Going at 6"})
    logged_in_as(app, "casey@example.com").post(coach_comments(gym, session_id, gym.ada), data={"body": "Great"})
    today = as_ada.get("/my").get_data(as_text=True)
    assert element(today, "a", "2 comments 1 new")["href"] == target
    calendar = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?date={gym.today.isoformat()}").get_data(as_text=True)
    assert element(calendar, "a", "2 comments 1 new")["href"] == target
    log(app, gym.ada, session_id, today=gym.today)
    history = as_ada.get("/my/history").get_data(as_text=True)
    assert element(history, "a", "2 comments 1 new")["href"] == target
    as_ada.get(f"/my/sessions/{session_id}")  # read
    assert element(as_ada.get("/my").get_data(as_text=True), "a", "2 comments")
