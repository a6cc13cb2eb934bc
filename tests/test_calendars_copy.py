"""Moving, duplicating and copying sessions, days and weeks, within a client's calendar and to
other clients of the program; every copy is independent."""

from datetime import date, timedelta

import pytest
from factories import (
    NOV_2,
    NOV_3,
    add_subscription,
    calendar_id,
    calendar_rows,
    element,
    elements,
    plan,
)
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fitr.calendars import copying as calendar_copying
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Calendar, Session
from fitr.extensions import db
from fitr.lifecycle import rules as subscription_rules
from fitr.subscriptions.models import Subscription

HTMX = {"HX-Request": "true"}


def calendar_of(sub):
    return calendar_rules.calendar_for_subscription(db.session.get(Subscription, sub))


def loaded_session(session_id):
    """A session with what the rules read (the routes' loader needs a logged-in request)."""
    return db.session.scalar(
        select(Session)
        .where(Session.id == session_id)
        .options(joinedload(Session.calendar).joinedload(Calendar.subscription), selectinload(Session.prescriptions))
    )


# --- the rules -------------------------------------------------------------------------------


def test_move_puts_the_session_last_on_its_new_day(app, one_to_one):
    plan(app, one_to_one.ada, NOV_3 + timedelta(days=1), title="Already there")
    moving = plan(app, one_to_one.ada, NOV_3, title="Moving")
    with app.app_context():
        calendar_rules.move_session(loaded_session(moving), NOV_3 + timedelta(days=1))
        db.session.commit()
    rows = calendar_rows(app, calendar_id(app, one_to_one.ada))
    assert [(r[0], r[1]) for r in rows] == [(NOV_3 + timedelta(days=1), "Already there"), (NOV_3 + timedelta(days=1), "Moving")]


def test_move_refuses_dates_outside_the_sane_range_and_ended_calendars(app, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    with app.app_context():
        with pytest.raises(calendar_rules.CalendarError, match="between 2000 and 2099"):
            calendar_rules.move_session(loaded_session(sid), date(2150, 1, 1))
        subscription_rules.end(db.session.get(Subscription, one_to_one.ada))
        with pytest.raises(calendar_rules.CalendarError, match="read-only"):
            calendar_rules.move_session(loaded_session(sid), NOV_3)


def test_copy_week_copies_seven_days_shifted_and_keeps_what_is_there(app, one_to_one):
    for offset, title in [(0, "Mon"), (2, "Wed"), (6, "Sun"), (7, "Next Mon")]:
        plan(app, one_to_one.ada, NOV_2 + timedelta(days=offset), title=title, exercises=[("Back Squat", 5, 5, 100)])
    plan(app, one_to_one.ada, NOV_2 + timedelta(days=14), title="Kept")
    with app.app_context():
        calendar = calendar_of(one_to_one.ada)
        assert calendar_copying.copy_week(calendar, NOV_2, NOV_2 + timedelta(days=14)) == 3
        db.session.commit()
    rows = calendar_rows(app, calendar_id(app, one_to_one.ada))
    week3 = [(r[0], r[1]) for r in rows if r[0] >= NOV_2 + timedelta(days=14)]
    assert week3 == [
        (NOV_2 + timedelta(days=14), "Kept"),
        (NOV_2 + timedelta(days=14), "Mon"),
        (NOV_2 + timedelta(days=16), "Wed"),
        (NOV_2 + timedelta(days=20), "Sun"),
    ]
    assert rows[-1][2] == [("Back Squat", 5, "5", 100.0)]


def test_copy_day_and_copies_to_other_clients_are_independent(app, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100)])
    ada_cal = calendar_id(app, one_to_one.ada)
    with app.app_context():
        calendar = calendar_of(one_to_one.ada)
        ben, cleo = (db.session.get(Subscription, s) for s in (one_to_one.ben, one_to_one.cleo))
        assert calendar_copying.copy_days(calendar, NOV_3, 1, NOV_3 + timedelta(days=2), [calendar_of(one_to_one.ben)]) == 1
        assert len(calendar_copying.copy_sessions_to_subscriptions([loaded_session(sid)], [ben, cleo], timedelta(days=1))) == 2
        db.session.commit()
        ben_cal = calendar_of(one_to_one.ben).id
        cleo_cal = calendar_of(one_to_one.cleo).id
    assert [r[0] for r in calendar_rows(app, ben_cal)] == [NOV_3 + timedelta(days=1), NOV_3 + timedelta(days=2)]
    assert [r[0] for r in calendar_rows(app, cleo_cal)] == [NOV_3 + timedelta(days=1)]
    # Editing the original changes no copy, and editing a copy changes no original.
    with app.app_context():
        original = loaded_session(sid)
        calendar_rules.update_session(original, one_to_one.coach_id, "Ada's own", "", [])
        db.session.commit()
    assert {r[1] for r in calendar_rows(app, ben_cal)} == {"Lower body"}
    assert calendar_rows(app, cleo_cal)[0][2] == [("Back Squat", 5, "5", 100.0)]
    assert calendar_rows(app, ada_cal)[0][1:] == ("Ada's own", [])


def test_copies_only_reach_calendars_of_the_same_program(app, one_to_one, others_program):
    sid = plan(app, one_to_one.ada, NOV_3)
    with app.app_context():
        outsider = db.session.get(Subscription, others_program.sub)
        with pytest.raises(calendar_rules.CalendarError, match="one program"):
            calendar_copying.copy_sessions_to_subscriptions([loaded_session(sid)], [outsider])
    assert calendar_rows(app, others_program.calendar)[0][1] == "Olive's session"


# --- through the pages -----------------------------------------------------------------------


def test_coach_moves_a_session_with_the_date_field_and_can_undo(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    editor = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    assert 'name="to-date"' in editor and "Move" in editor
    current = {"HX-Current-URL": f"http://localhost/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?view=week&date=2026-11-02"}
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/move", data={"to-date": "2026-11-05"}, headers=HTMX | current)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "calendar-changed"
    assert "Moved “Lower body” to Thu 5 Nov 2026." in html and "Undo" in html
    assert html.count("data-date=") == 7  # still the week the coach was looking at
    assert calendar_rows(app, cid)[0][0] == date(2026, 11, 5)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/move", data={"to-date": "2026-11-03"}, headers=HTMX)
    assert calendar_rows(app, cid)[0][0] == NOV_3


@pytest.mark.parametrize(
    "data, message",
    [({}, "Enter a date."), ({"to-date": "2026-02-30"}, "Not a valid date"), ({"to-date": "1066-10-14"}, "between 2000 and 2099")],
)
def test_bad_move_dates_get_a_message_and_move_nothing(app, logged_in, one_to_one, data, message):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/move", data=data, headers=HTMX)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#session-dialog-body"
    assert calendar_rows(app, cid)[0][0] == NOV_3


def test_duplicate_and_reorder_within_a_day(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3, title="First")
    cid = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ada, NOV_3, title="Second")
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/duplicate", headers=HTMX)
    assert "Duplicated “First”." in response.get_data(as_text=True)
    assert [r[1] for r in calendar_rows(app, cid)] == ["First", "Second", "First"]
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/reorder", data={"offset": "1"}, headers=HTMX)
    assert [r[1] for r in calendar_rows(app, cid)] == ["Second", "First", "First"]


def test_coach_copies_a_session_to_other_clients(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100)])
    editor = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    opened = element(editor, "details", class_="copy-session")  # loads its clients when opened
    assert "Copy to clients" in opened.text and "Ben Athlete" not in editor
    panel = logged_in.get(opened["hx-get"], headers=HTMX).get_data(as_text=True)
    assert "Ben Athlete" in panel and "Dan Pending" in panel and "Ada Athlete" not in panel  # not her own
    data = {"clients": [str(one_to_one.ben), str(one_to_one.dan)], "on-date": "2026-11-10"}
    response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/copy", data=data, headers=HTMX)
    assert "Copied “Lower body” to Ben Athlete’s and Dan Pending’s calendars on Tue 10 Nov 2026." in response.get_data(as_text=True)
    for sub in (one_to_one.ben, one_to_one.dan):
        assert calendar_rows(app, calendar_id(app, sub)) == [(date(2026, 11, 10), "Lower body", [("Back Squat", 5, "5", 100.0)])]


def test_a_copy_message_names_the_client_it_went_to_and_past_three_counts_the_rest(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    copy = f"/programs/{one_to_one.id}/sessions/{sid}/copy"
    one_client = logged_in.post(copy, data={"clients": [str(one_to_one.cleo)], "on-date": "2026-11-10"}, headers=HTMX)
    assert "Copied “Lower body” to Cleo Athlete’s calendar on Tue 10 Nov 2026." in one_client.get_data(as_text=True)
    eve = add_subscription(app, one_to_one.id, "eve@example.com", "active", name="Eve Athlete", start_date=NOV_3)
    fay = add_subscription(app, one_to_one.id, "fay@example.com", "active", name="Fay Athlete", start_date=NOV_3)
    five = [one_to_one.ben, one_to_one.cleo, one_to_one.dan, eve, fay]
    response = logged_in.post(copy, data={"clients": [str(s) for s in five], "on-date": "2026-11-11"}, headers=HTMX)
    said = response.get_data(as_text=True)
    assert "Copied “Lower body” to Ben Athlete’s, Cleo Athlete’s, Dan Pending’s and 2 other clients’ calendars on Wed 11 Nov 2026." in said
    assert " 5 clients" not in said and "1 calendar" not in said
    for sub in five:
        assert (date(2026, 11, 11), "Lower body") in [(r[0], r[1]) for r in calendar_rows(app, calendar_id(app, sub))]


def test_copying_a_session_to_a_client_of_another_program_is_refused(app, logged_in, one_to_one, others_program):
    sid = plan(app, one_to_one.ada, NOV_3)
    for clients in ([str(others_program.sub)], [str(one_to_one.ada)], []):
        response = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/copy", data={"clients": clients, "on-date": "2026-11-10"}, headers=HTMX)
        assert response.status_code == 400
    assert len(calendar_rows(app, others_program.calendar)) == 1
    assert len(calendar_rows(app, calendar_id(app, one_to_one.ada))) == 1


def test_coach_copies_a_week_to_another_week_and_to_other_clients(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ada, NOV_2 + timedelta(days=6), title="Sunday run")
    url = f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?view=week&date=2026-11-03"
    page = logged_in.get(url).get_data(as_text=True)
    assert "Copy a day or week" in page and f'hx-get="/programs/{one_to_one.id}/calendars/{cid}/copy"' in page
    panel = logged_in.get(f"/programs/{one_to_one.id}/calendars/{cid}/copy", headers=HTMX | {"HX-Current-URL": "http://localhost" + url})
    form = panel.get_data(as_text=True)
    source = element(form, "input", name="copy-source-date")
    assert (source["type"], source["value"]) == ("date", "2026-11-02") and 'value="2026-11-09"' in form
    assert "Ben Athlete" in form and "Dan Pending" in form
    data = {"copy-span": "week", "copy-source-date": "2026-11-02", "copy-to-date": "2026-11-16", "copy-clients": [str(one_to_one.ada), str(one_to_one.ben)]}
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/copy", data=data, headers=HTMX)
    assert "Copied the week from Mon 2 Nov 2026 to Mon 16 Nov 2026 on this calendar and Ben Athlete’s calendar: 4 sessions." in response.get_data(as_text=True)
    expected = [(date(2026, 11, 17), "Lower body"), (date(2026, 11, 22), "Sunday run")]
    assert [(r[0], r[1]) for r in calendar_rows(app, cid)][2:] == expected
    assert [(r[0], r[1]) for r in calendar_rows(app, calendar_id(app, one_to_one.ben))] == expected
    day = {"copy-span": "day", "copy-source-date": "2026-11-03", "copy-to-date": "2026-11-04"}
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/copy", data=day, headers=HTMX)
    assert (date(2026, 11, 4), "Lower body") in [(r[0], r[1]) for r in calendar_rows(app, cid)]
    assert len(calendar_rows(app, calendar_id(app, one_to_one.cleo))) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"copy-source-date": "", "copy-to-date": "2026-11-16"}, "Enter a date."),
        ({"copy-source-date": "2026-11-02", "copy-to-date": "2200-01-01"}, "between 2000 and 2099"),
        ({"copy-source-date": "2026-11-02", "copy-to-date": "2026-11-16", "copy-clients": "999"}, "not a valid choice"),
        ({"copy-source-date": "2026-11-02", "copy-to-date": "2026-11-16", "copy-span": "year"}, "Not a valid choice"),
    ],
)
def test_bad_copy_input_gets_a_message_and_copies_nothing(app, logged_in, one_to_one, data, message):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/copy", data={"copy-span": "week", **data}, headers=HTMX)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(calendar_rows(app, cid)) == 1


def autofocused(html):
    """The ids of the fields the response puts the keyboard on."""
    return [field["id"] for field in elements(html, "input", autofocus=True)]


@pytest.mark.parametrize(
    "data, focus",
    [
        ({"copy-source-date": "", "copy-to-date": "2026-11-16"}, "copy-source-date"),
        ({"copy-source-date": "2026-11-02", "copy-to-date": "2200-01-01"}, "copy-to-date"),
    ],
)
def test_a_refused_copy_or_move_puts_the_keyboard_on_the_field_with_the_message(app, logged_in, one_to_one, data, focus):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    html = logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/copy", data={"copy-span": "week", **data}, headers=HTMX).get_data(as_text=True)
    assert autofocused(html) == [focus]
    html = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/move", data={"to-date": "1066-10-14"}, headers=HTMX).get_data(as_text=True)
    assert autofocused(html) == ["to-date"]


def test_move_copy_and_delete_on_one_client_leave_other_clients_untouched(app, logged_in, one_to_one):
    ada = plan(app, one_to_one.ada, NOV_3)
    ada_cal = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ben, NOV_3)
    ben_cal = calendar_id(app, one_to_one.ben)
    before = calendar_rows(app, ben_cal)
    p = one_to_one.id
    logged_in.post(f"/programs/{p}/sessions/{ada}/move", data={"to-date": "2026-11-06"}, headers=HTMX)
    logged_in.post(f"/programs/{p}/sessions/{ada}/duplicate", headers=HTMX)
    logged_in.post(f"/programs/{p}/calendars/{ada_cal}/copy", data={"copy-span": "week", "copy-source-date": "2026-11-02", "copy-to-date": "2026-11-09"}, headers=HTMX)
    logged_in.post(f"/programs/{p}/sessions/{ada}/delete", headers=HTMX)
    assert calendar_rows(app, ben_cal) == before


# --- a session deleted in another tab ----------------------------------------------------------

STALE_ACTIONS = [
    ("move", {"to-date": "2026-11-05"}),
    ("duplicate", {}),
    ("reorder", {"offset": "1"}),
    ("copy", {"clients": "{ben}", "on-date": "2026-11-10"}),
    ("save-to-library", {}),
]


def delete_in_another_tab(app, one_to_one):
    """Ada's Lower body (on 3 Nov) and Upper body (on 5 Nov); Lower body is then deleted."""
    gone = plan(app, one_to_one.ada, NOV_3, title="Lower body")
    cid = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ada, date(2026, 11, 5), title="Upper body")
    with app.app_context():
        calendar_rules.delete_session(loaded_session(gone))
        db.session.commit()
    return cid, gone


@pytest.mark.parametrize("action, data", STALE_ACTIONS)
def test_an_action_on_a_session_deleted_in_another_tab_says_so_in_the_dialog_and_changes_nothing(
    app, logged_in, one_to_one, action, data
):
    cid, gone = delete_in_another_tab(app, one_to_one)
    before = calendar_rows(app, cid)
    data = {key: value.format(ben=one_to_one.ben) for key, value in data.items()}
    current = {"HX-Current-URL": f"http://localhost/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?view=week&date=2026-11-02"}
    response = logged_in.post(
        f"/programs/{one_to_one.id}/sessions/{gone}/{action}",
        data={**data, "calendar_id": str(cid), "date": "2026-11-03"},
        headers=HTMX | current,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#session-dialog-body" and response.headers["HX-Reswap"] == "innerHTML"
    assert "This session was deleted in another tab, so nothing was changed." in html
    # The calendar under the dialog shows what is there now, the week the coach was looking at.
    assert 'id="calendar"' in html and 'hx-swap-oob="true"' in html and html.count("data-date=") == 7
    assert "Upper body" in html and f'data-session-id="{gone}"' not in html
    assert calendar_rows(app, cid) == before
    assert calendar_rows(app, calendar_id(app, one_to_one.ben)) == []
    with app.app_context():
        from fitr.library.models import Workout

        assert db.session.scalar(select(Workout.id)) is None


def test_delete_of_a_session_already_deleted_in_another_tab_is_done_and_shows_the_calendar(app, logged_in, one_to_one):
    cid, gone = delete_in_another_tab(app, one_to_one)
    response = logged_in.post(
        f"/programs/{one_to_one.id}/sessions/{gone}/delete", data={"calendar_id": str(cid), "date": "2026-11-03"}, headers=HTMX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "calendar-changed"
    assert 'data-date="2026-11-03"' in html and "Lower body" not in html
    assert [row[1] for row in calendar_rows(app, cid)] == ["Upper body"]


def test_editor_forms_say_which_calendar_and_day_their_session_is_on(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    editor = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    more = editor[editor.index('class="editor-more"') :]
    assert len(elements(more, "input", name="calendar_id", value=str(cid))) == len(elements(more, "form")) == 6
    panel = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/copy", headers=HTMX).get_data(as_text=True)
    assert element(panel, "form").html and element(panel, "input", name="calendar_id")["value"] == str(cid)
    assert element(panel, "input", name="date")["value"] == "2026-11-03"  # Copy to clients, loaded when opened


@pytest.mark.parametrize("action", ["delete", "move", "duplicate", "reorder", "copy", "save-to-library"])
def test_another_programs_session_stays_not_found_even_with_my_calendar_id(app, logged_in, one_to_one, others_program, action):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    response = logged_in.post(
        f"/programs/{one_to_one.id}/sessions/{others_program.session}/{action}",
        data={"calendar_id": str(cid), "date": "2026-11-03", "to-date": "2026-11-05"},
        headers=HTMX,
    )
    assert response.status_code == 404
    assert calendar_rows(app, others_program.calendar)[0][1] == "Olive's session"


def test_a_deleted_session_with_another_programs_calendar_id_is_not_found(app, logged_in, one_to_one, others_program):
    _, gone = delete_in_another_tab(app, one_to_one)
    for action in ("delete", "move"):
        response = logged_in.post(
            f"/programs/{one_to_one.id}/sessions/{gone}/{action}",
            data={"calendar_id": str(others_program.calendar), "date": "2026-11-03", "to-date": "2026-11-05"},
            headers=HTMX,
        )
        assert response.status_code == 404
    assert calendar_rows(app, others_program.calendar)[0][1] == "Olive's session"
