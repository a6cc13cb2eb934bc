"""Training with no signal (issue 26, point 4), the server's part: every page names whose it is
(so the phone's worker keeps one person's pages only), Today lists the pages the phone keeps
(the sessions the client may see in the coming days, and the workouts not logged yet), a page
fetched only to be kept leaves comments unread, and a log sent again from the phone (Done as
prescribed or a workout's Finish, same key) is saved once. The browser's side is in
tests/browser/test_offline_browser.py."""

from datetime import timedelta

from factories import PASSWORD, element, elements, plan, rows

from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.programs.models import Program


def kept_on_phone(page):
    return element(page, "div", **{"data-keep-on-phone": True})["data-keep-on-phone"].split()


def test_each_page_names_whose_it_is_and_nobodys_once_logged_out(app, gym, auth, client):
    assert client.get("/login").headers["Fitr-Person"] == ""
    auth.login("ada@example.com")
    ada = client.get("/my").headers["Fitr-Person"]
    auth.logout()
    assert client.get("/login").headers["Fitr-Person"] == ""
    auth.login("ben@example.com")
    ben = client.get("/my").headers["Fitr-Person"]
    assert ada and ben and ada != ben
    assert len(ada) == 24 and ada != str(gym.ada)  # a keyed hash: it tells no one else who it is
    assert "Fitr-Person" not in client.get("/static/css/tokens.css").headers


def test_today_lists_the_coming_sessions_the_phone_keeps(app, gym, as_ada):
    with app.app_context():
        db.session.get(Program, gym.strength).see_ahead_days = 2
        db.session.commit()
    today = plan(app, gym.ada_sub, gym.today, title="Today's squats")
    tomorrow = plan(app, gym.ada_sub, gym.today + timedelta(days=1), title="Tomorrow")
    hidden = plan(app, gym.ada_sub, gym.today + timedelta(days=5), title="Not shown yet")
    other = plan(app, gym.ben_sub, gym.today, title="Ben's")
    page = as_ada.get(f"/my/sessions/{today}").get_data(as_text=True)
    quick = element(page, "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    assert as_ada.post(f"/my/sessions/{today}", data={**data, "as_prescribed": "1"}).status_code == 302

    kept = kept_on_phone(as_ada.get("/my").get_data(as_text=True))
    assert kept == [f"/my/sessions/{today}", f"/my/sessions/{tomorrow}", f"/my/sessions/{tomorrow}/workout"]
    assert not any(str(hidden) in url or f"/{other}" in url for url in kept)


def test_a_log_sent_again_from_the_phone_is_saved_once(app, gym, as_ada):
    squats = plan(app, gym.ada_sub, gym.today, title="Squats")
    page = as_ada.get(f"/my/sessions/{squats}").get_data(as_text=True)
    quick = element(page, "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    data = {**data, "as_prescribed": "1", "submission_key": "made-on-the-phone-1"}
    assert as_ada.post(f"/my/sessions/{squats}", data=data).status_code == 302
    assert as_ada.post(f"/my/sessions/{squats}", data=data).status_code == 302  # sent again on reconnect

    workout = plan(app, gym.ada_sub, gym.today, title="Full body", exercises=(("Back Squat", 1, 5, 100),))
    page = as_ada.get(f"/my/sessions/{workout}/workout").get_data(as_text=True)
    finish = {e["name"]: e["value"] for e in elements(page, "input") if e.get("name")}
    finish["submission_key"] = "made-on-the-phone-2"
    assert as_ada.post(f"/my/sessions/{workout}/workout", data=finish).status_code == 303
    assert as_ada.post(f"/my/sessions/{workout}/workout", data=finish).status_code == 303
    assert sorted((log.session_id, log.status) for log in rows(app, SessionLog)) == [(squats, "done"), (workout, "done")]


def test_a_session_fetched_only_to_be_kept_leaves_its_comments_unread(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    coach = app.test_client()
    coach.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    coach.post(f"/programs/{gym.strength}/sessions/{session_id}/comments/{gym.ada}", data={"body": "Drop to 90 kg"})

    assert as_ada.get(f"/my/sessions/{session_id}", headers={"Fitr-Keep": "1"}).status_code == 200
    assert element(as_ada.get("/my").get_data(as_text=True), "a", "1 comment 1 new")
    as_ada.get(f"/my/sessions/{session_id}")  # Ada opens it
    assert element(as_ada.get("/my").get_data(as_text=True), "a", "1 comment")
