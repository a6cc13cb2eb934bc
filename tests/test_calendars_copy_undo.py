"""Copy a day or week onto other clients: the source calendar is not ticked unless the coach
ticks it, a copy onto itself on the same dates is refused, and every copy offers Undo."""

from datetime import date, timedelta

from factories import NOV_2, NOV_3, calendar_id, calendar_rows, element, elements, plan

HTMX = {"HX-Request": "true"}


def copy_url(world, cid):
    return f"/programs/{world.id}/calendars/{cid}/copy"


def undo_of(html):
    """What the Undo button posts: (url, its values)."""
    import json

    button = element(html, "button", "Undo")
    return button["hx-post"], json.loads(button["hx-vals"])


def test_the_copy_form_leaves_the_source_calendar_unticked(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    form = logged_in.get(copy_url(one_to_one, cid), headers=HTMX).get_data(as_text=True)
    boxes = {box["value"]: box for box in elements(form, "input", type="checkbox", name="copy-clients")}
    assert set(boxes) == {str(s) for s in (one_to_one.ada, one_to_one.ben, one_to_one.cleo, one_to_one.dan)}
    assert not any(box.get("checked") is not None for box in boxes.values())


def test_copying_a_week_to_another_client_leaves_the_source_as_it_was(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    data = {"copy-span": "week", "copy-source-date": "2026-11-02", "copy-to-date": "2026-11-02", "copy-clients": str(one_to_one.ben)}
    response = logged_in.post(copy_url(one_to_one, cid), data=data, headers=HTMX)
    assert response.status_code == 200
    assert [r[:2] for r in calendar_rows(app, cid)] == [(NOV_3, "Lower body")]
    assert [r[:2] for r in calendar_rows(app, calendar_id(app, one_to_one.ben))] == [(NOV_3, "Lower body")]


def test_a_copy_onto_its_own_dates_is_refused_and_writes_nothing(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    same = {"copy-span": "week", "copy-source-date": "2026-11-02", "copy-to-date": "2026-11-02"}
    for ticked in ([], [str(one_to_one.ada)], [str(one_to_one.ada), str(one_to_one.ben)]):
        response = logged_in.post(copy_url(one_to_one, cid), data=same | {"copy-clients": ticked}, headers=HTMX)
        assert response.status_code == 400
        assert "would land on the same dates of the same calendar" in response.get_data(as_text=True)
    assert len(calendar_rows(app, cid)) == 1
    assert calendar_rows(app, calendar_id(app, one_to_one.ben)) == []


def test_undo_removes_exactly_the_sessions_the_copy_made(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    plan(app, one_to_one.ada, NOV_2 + timedelta(days=4), title="Friday")
    cid = calendar_id(app, one_to_one.ada)
    plan(app, one_to_one.ben, date(2026, 11, 10), title="Ben's own")
    ben_cal = calendar_id(app, one_to_one.ben)
    data = {"copy-span": "week", "copy-source-date": "2026-11-02", "copy-to-date": "2026-11-09", "copy-clients": [str(one_to_one.ada), str(one_to_one.ben)]}
    html = logged_in.post(copy_url(one_to_one, cid), data=data, headers=HTMX).get_data(as_text=True)
    assert "4 sessions" in html
    url, vals = undo_of(html)
    assert len(calendar_rows(app, cid)) == 4 and len(calendar_rows(app, ben_cal)) == 3
    response = logged_in.post(url, data=vals, headers=HTMX)
    assert response.status_code == 200 and "Removed the 4 sessions this copy made." in response.get_data(as_text=True)
    assert [r[1] for r in calendar_rows(app, cid)] == ["Lower body", "Friday"]
    assert [r[1] for r in calendar_rows(app, ben_cal)] == ["Ben's own"]
    again = logged_in.post(url, data=vals, headers=HTMX)
    assert again.status_code == 200 and "Nothing to undo" in again.get_data(as_text=True)


def test_undo_keeps_a_copy_edited_since_and_says_so(app, logged_in, one_to_one):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    data = {"copy-span": "day", "copy-source-date": "2026-11-03", "copy-to-date": "2026-11-05", "copy-clients": [str(one_to_one.ben), str(one_to_one.cleo)]}
    url, vals = undo_of(logged_in.post(copy_url(one_to_one, cid), data=data, headers=HTMX).get_data(as_text=True))
    ben_copy = calendar_rows(app, calendar_id(app, one_to_one.ben))
    assert ben_copy == [(date(2026, 11, 5), "Lower body", [("Back Squat", 3, "5", 100.0)])]
    from factories import rows

    from fitr.calendars.models import Session

    (edited,) = rows(app, Session, calendar_id=calendar_id(app, one_to_one.ben))
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{edited.id}/move", data={"to-date": "2026-11-06"}, headers=HTMX)
    html = logged_in.post(url, data=vals, headers=HTMX).get_data(as_text=True)
    assert "Removed 1 session this copy made; kept 1 changed since." in html
    assert [r[0] for r in calendar_rows(app, calendar_id(app, one_to_one.ben))] == [date(2026, 11, 6)]
    assert calendar_rows(app, calendar_id(app, one_to_one.cleo)) == []


def test_a_forged_or_other_programs_undo_changes_nothing(app, logged_in, one_to_one, others_program):
    plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    data = {"copy-span": "day", "copy-source-date": "2026-11-03", "copy-to-date": "2026-11-05"}
    url, vals = undo_of(logged_in.post(copy_url(one_to_one, cid), data=data, headers=HTMX).get_data(as_text=True))
    assert logged_in.post(url, data={"undo": vals["undo"] + "x"}, headers=HTMX).status_code == 400
    other = url.replace(f"/programs/{one_to_one.id}/calendars/{cid}/", f"/programs/{others_program.id}/calendars/{others_program.calendar}/")
    assert logged_in.post(other, data=vals, headers=HTMX).status_code == 404
    assert len(calendar_rows(app, cid)) == 2
