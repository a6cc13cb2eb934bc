"""Loads in kg or lb: exact conversion, each viewer's unit on every page, forms that keep the
unit they were opened in, and the Settings choice."""

import re
from datetime import timedelta

import pytest
from factories import card_lines, element, elements, exercise_id, form_key, plan, post_log
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.history.models import SetLog
from fitr.units import display_to_kg, format_load, kg_to_display


def test_unit_conversion_is_exact_and_display_is_rounded():
    assert display_to_kg(1, "lb") == 0.45359237
    assert kg_to_display(display_to_kg(225, "lb"), "lb") == pytest.approx(225)
    assert format_load(100, "kg") == "100 kg"
    assert format_load(102.5, "kg") == "102.5 kg"
    assert format_load(100, "lb") == "220.5 lb"
    assert format_load(display_to_kg(225, "lb"), "lb") == "225 lb"


def test_client_logging_in_lb_stores_kg_and_each_viewer_sees_their_unit(app, gym, auth, client):
    with app.app_context():
        db.session.get(User, gym.ada).units = "lb"
        db.session.commit()
    auth.login("ada@example.com")
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    page = client.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "Load (lb)" in page and "≈ 220.5 lb" in page
    assert element(page, "input", name="sets-1-load")["placeholder"] == "220.5"  # 100 kg planned, as a hint in lb

    post_log(client, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 225}})

    with app.app_context():
        assert db.session.scalar(select(SetLog.load_kg)) == pytest.approx(102.058, abs=0.001)
    assert "5 × 225 lb" in client.get("/my/history").get_data(as_text=True)
    auth.logout()
    auth.login()  # Casey, the coach, in kg
    overview = client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").get_data(as_text=True)
    assert "5 × 102.1 kg" in overview


def test_a_client_in_lb_sees_the_coachs_kg_prescriptions_in_lb_on_today_calendar_and_feed(app, gym, auth, client):
    with app.app_context():
        db.session.get(User, gym.ada).units = "lb"
        db.session.commit()
    auth.login("ada@example.com")
    plan(app, gym.ada_sub, gym.today)  # Back Squat 3×5 @ 100 kg, as the coach wrote it

    assert card_lines(client.get("/my").get_data(as_text=True)) == ["A · Back Squat · 3×5 @ 220.5 lb"]
    month = client.get(f"/my/programs/{gym.ada_sub}/calendar").get_data(as_text=True)
    assert card_lines(month) == ["A · Back Squat · 3×5 @ 220.5 lb"] and "100 kg" not in month
    page = client.post(f"/my/programs/{gym.ada_sub}/feed", follow_redirects=True).get_data(as_text=True)
    feed = client.get(re.search(r'value="http[^"]+?(/feeds/[^"]+\.ics)"', page).group(1)).get_data(as_text=True)
    assert "Back Squat 3×5 @ 220.5 lb" in feed
    auth.logout()
    auth.login()  # Casey, the coach, sees what they wrote
    calendar = client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar").get_data(as_text=True)
    assert card_lines(calendar) == ["A · Back Squat · 3×5 @ 100 kg"]


def test_loads_typed_on_a_page_opened_in_kg_stay_kg_after_settings_switch_to_lb(app, gym, as_ada):
    """A phone keeps the session open in one tab while Settings change to lb in another: the
    loads typed under 'Load (kg)' are kilograms, not pounds."""
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    html = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "Load (kg)" in html
    assert as_ada.post("/my/settings", data={"units": "lb"}).status_code == 302
    add_set = re.search(r'hx-get="([^"]*/sets/new[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "Load (kg)" in as_ada.get(add_set, headers={"HX-Request": "true"}).get_data(as_text=True)  # like its page
    data = {"submission_key": form_key(html), "based_on": "", "unit": form_key(html, "unit"), "status": "done",
            "date": gym.today.isoformat(), "sets-1-exercise_id": squat, "sets-1-reps": "5", "sets-1-load": "100"}
    assert as_ada.post(f"/my/sessions/{session_id}", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SetLog.load_kg)) == pytest.approx(100)  # not 45.4 kg
    assert "1 × 5 @ 220.5 lb" in as_ada.get("/my/history").get_data(as_text=True)  # and shown in lb from now on

    form = as_ada.get(f"/my/records/new?exercise={squat}").get_data(as_text=True)
    assert "Load (lb)" in form
    assert as_ada.post("/my/settings", data={"units": "kg"}).status_code == 302
    added = as_ada.post("/my/records/new", data={"exercise": squat, "unit": form_key(form, "unit"), "reps": "1",
                                                 "load": "315", "date": "2020-01-01"})  # fmt: skip
    assert added.status_code == 302
    assert "142.9 kg" in as_ada.get(f"/my/records/{squat}").get_data(as_text=True)  # 315 lb, as the label said


def test_a_record_entered_by_hand_in_lb_shows_in_kg_to_a_kg_user(app, gym, auth, client):
    with app.app_context():
        db.session.get(User, gym.ada).units = "lb"
        db.session.commit()
    auth.login("ada@example.com")
    squat = exercise_id(app, "Back Squat")
    assert "Load (lb)" in client.get(f"/my/records/new?exercise={squat}").get_data(as_text=True)
    response = client.post("/my/records/new", data={"exercise": squat, "reps": "1", "load": "315",
                                                     "date": (gym.today - timedelta(days=90)).isoformat()})  # fmt: skip
    assert response.status_code == 302
    assert "315 lb" in client.get(f"/my/records/{squat}").get_data(as_text=True)

    assert client.post("/my/settings", data={"units": "kg"}).status_code == 302
    page = client.get(f"/my/records/{squat}").get_data(as_text=True)
    assert "142.9 kg" in page and "315 lb" not in page  # 315 lb = 142.88 kg
    assert "Estimated 1RM: 142.9 kg" in client.get("/my/records").get_data(as_text=True)
    auth.logout()
    auth.login()  # Casey, the coach, in kg
    overview = client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").get_data(as_text=True)
    assert "Estimated 1RM: 142.9 kg" in overview
    assert "from their best set" in overview and "from your best set" not in overview  # the coach reads it


def test_any_user_chooses_kg_or_lb_in_settings(app, gym, as_ada):
    page = as_ada.get("/my/settings").get_data(as_text=True)
    assert [unit["value"] for unit in elements(page, "input", name="units", checked=True)] == ["kg"]
    assert as_ada.post("/my/settings", data={"units": "stone"}).status_code == 400
    assert as_ada.post("/my/settings", data={"units": "lb"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, gym.ada).units == "lb"
