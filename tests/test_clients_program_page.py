"""The program page: its details, status and actions (Add client, Publish, Edit, Archive,
Restore, Delete), and its tabs after inviting: Pending invites with their delivery and
buttons, Active clients with their calendar and End subscription, and new subscribers showing
up."""

import re
from datetime import timedelta

import pytest
from factories import (
    PASSWORD,
    button_links,
    count,
    element,
    elements,
    main,
    make_user,
    program_form,
    sign_up_and_join,
)
from sqlalchemy import func, select

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.invite_link import link_token
from fitr.invites.models import Invite, InviteLink
from fitr.programs.models import DRAFT, GROUP, ONE_TO_ONE, PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE, Subscription


def get_program(app, program_id):
    with app.app_context():
        return db.session.get(Program, program_id)






def panel(response):
    return response.get_data(as_text=True).split('id="tab-panel"', 1)[1]


# --- Details, status and actions -----------------------------------------------------


def test_program_page_shows_details_status_and_actions(logged_in, program):
    page = main(logged_in.get(f"/programs/{program}"))
    assert "<h1>Strength Block</h1>" in page
    assert "Draft" in page and "1-2-1" in page and "£49.99 / month" in page
    for action in ("Edit", "Publish", "Archive", "Delete"):
        assert f">{action}<" in page
    assert ">Unpublish<" not in page


def test_program_page_links_the_program_template_even_without_clients(logged_in, program):
    page = main(logged_in.get(f"/programs/{program}"))

    link = element(page, "a", text="Program template")
    assert link["href"] == f"/programs/{program}/template"
    assert not elements(page, "a", text="Shared calendar")
    assert logged_in.get(link["href"]).status_code == 200


def test_group_program_page_links_its_shared_calendar(logged_in, group_program):
    page = main(logged_in.get(f"/programs/{group_program}"))

    link = element(page, "a", text="Shared calendar")
    assert link["href"] == f"/programs/{group_program}/shared-calendar"
    assert not elements(page, "a", text="Program template")
    assert logged_in.get(link["href"]).status_code == 200


def test_draft_program_shows_why_add_client_is_disabled(logged_in, program):
    page = main(logged_in.get(f"/programs/{program}"))
    assert elements(page, "button", text="Add client", disabled=True)
    assert "Publish the program to add clients." in page
    assert f"/programs/{program}/clients/new" not in page


def test_published_program_links_add_client(logged_in, published_program):
    page = main(logged_in.get(f"/programs/{published_program}"))
    assert {"class": "button primary", "href": f"/programs/{published_program}/clients/new"} in elements(page, "a", text="Add client")


def test_coach_publishes_draft_program(app, logged_in, program):
    response = logged_in.post(f"/programs/{program}/publish", follow_redirects=True)

    assert response.status_code == 200
    assert "Published. You can now add clients." in main(response)
    published = get_program(app, program)
    assert published.status == PUBLISHED and published.published_at is not None


def test_publishing_twice_is_refused_and_changes_nothing(app, logged_in, published_program):
    before = get_program(app, published_program).published_at

    response = logged_in.post(f"/programs/{published_program}/publish")

    assert response.status_code == 409
    assert "This program is already published." in main(response)
    after = get_program(app, published_program)
    assert after.status == PUBLISHED and after.published_at == before


def test_coach_unpublishes_program_with_clients_who_keep_training(app, logged_in, published_program, add_subscription):
    add_subscription(published_program, "ada@example.com", status="active")

    response = logged_in.post(f"/programs/{published_program}/unpublish", follow_redirects=True)

    assert response.status_code == 200
    page = main(response)
    assert "Its clients keep training; no one new can join." in page
    assert "Publish the program to add clients." in page
    assert "ada@example.com" in page
    assert get_program(app, published_program).status == DRAFT


def test_unpublishing_a_draft_is_refused(logged_in, program):
    response = logged_in.post(f"/programs/{program}/unpublish")
    assert response.status_code == 409
    assert "This program is not published." in main(response)


def test_coach_edits_program(app, logged_in, program):
    form = main(logged_in.get(f"/programs/{program}/edit"))
    assert 'value="Strength Block"' in form and 'value="49.99"' in form

    response = logged_in.post(f"/programs/{program}/edit", data=program_form(
        name="Strength Block II", price="59.00", currency="EUR", type="group", see_ahead_days="7"))

    assert response.status_code == 302
    edited = get_program(app, program)
    assert (edited.name, edited.price_minor, edited.currency, edited.type, edited.see_ahead_days) == (
        "Strength Block II", 5900, "EUR", GROUP, 7)
    assert edited.status == DRAFT


def test_editing_to_free_clears_the_price(app, logged_in, program):
    logged_in.post(f"/programs/{program}/edit", data=program_form(free="y", price=None))
    assert get_program(app, program).price_minor == 0
    assert elements(main(logged_in.get(f"/programs/{program}/edit")), "input", id="free", checked=True)


def test_edit_locks_the_type_once_the_program_has_clients(app, logged_in, published_program, add_subscription):
    add_subscription(published_program, "ada@example.com", status="pending")

    form = main(logged_in.get(f"/programs/{published_program}/edit"))
    assert elements(form, "input", value="group", disabled=True)
    assert "The type cannot change once the program has clients." in form

    # The disabled radios are not sent: the program keeps its type, and the rest is saved.
    response = logged_in.post(f"/programs/{published_program}/edit", data=program_form(type=None, name="Renamed"))
    assert response.status_code == 302
    assert (get_program(app, published_program).name, get_program(app, published_program).type) == ("Renamed", ONE_TO_ONE)


def test_forged_type_change_on_a_program_with_clients_is_refused(app, logged_in, published_program, add_subscription):
    add_subscription(published_program, "ada@example.com", status="active")

    response = logged_in.post(f"/programs/{published_program}/edit", data=program_form(type="group", name="Renamed"))

    assert response.status_code == 400
    assert "The program type cannot change once the program has clients." in main(response)
    unchanged = get_program(app, published_program)
    assert (unchanged.type, unchanged.name) == (ONE_TO_ONE, "Powerlifting 1-2-1")


def test_coach_archives_program_and_its_clients_keep_their_subscriptions(app, logged_in, published_program, add_subscription):
    add_subscription(published_program, "ada@example.com", status="active")

    response = logged_in.post(f"/programs/{published_program}/archive", follow_redirects=True)

    assert "Archived. Its clients keep their calendars and history." in main(response)
    assert "This program is archived: it takes no new clients." in main(response)
    assert "Powerlifting 1-2-1" not in main(logged_in.get("/programs/"))
    assert "Show archived (1)" in main(logged_in.get("/programs/"))
    assert "Powerlifting 1-2-1" in main(logged_in.get("/programs/?show=archived"))
    with app.app_context():
        assert db.session.scalar(select(Subscription.status)) == ACTIVE


def test_coach_restores_archived_program_as_draft(app, logged_in, make_program, coach):
    archived = make_program(coach, status="archived", name="Old block")

    response = logged_in.post(f"/programs/{archived}/restore")

    assert response.status_code == 302
    restored = get_program(app, archived)
    assert restored.status == DRAFT and restored.archived_at is None
    assert "Old block" in main(logged_in.get("/programs/"))


def test_publishing_an_archived_program_is_refused(app, logged_in, make_program, coach):
    archived = make_program(coach, status="archived")
    response = logged_in.post(f"/programs/{archived}/publish")
    assert response.status_code == 409
    assert "Restore it before publishing it." in main(response)
    assert get_program(app, archived).status == "archived"


def test_archiving_twice_is_refused(logged_in, make_program, coach):
    archived = make_program(coach, status="archived")
    assert logged_in.post(f"/programs/{archived}/archive").status_code == 409


def test_coach_deletes_draft_without_clients_after_confirming(app, logged_in, program):
    confirm = logged_in.get(f"/programs/{program}/delete")
    assert confirm.status_code == 200
    assert "Delete “Strength Block”?" in main(confirm)
    assert count(app, Program) == 1

    response = logged_in.post(f"/programs/{program}/delete", follow_redirects=True)

    assert "Deleted “Strength Block”." in main(response)
    assert count(app, Program) == 0


@pytest.mark.parametrize("status", ["pending", "active", "ended"])
def test_deleting_a_program_with_clients_is_refused_with_a_reason(app, logged_in, program, add_subscription, status):
    add_subscription(program, "ada@example.com", status=status)

    response = logged_in.post(f"/programs/{program}/delete")

    assert response.status_code == 409
    assert "This program has 1 client (current, invited or past), so it cannot be deleted." in main(response)
    assert count(app, Program) == 1


def test_deleting_a_published_program_is_refused(app, logged_in, published_program):
    response = logged_in.post(f"/programs/{published_program}/delete")
    assert response.status_code == 409
    assert "Only a draft program can be deleted." in main(response)
    assert count(app, Program) == 1


def test_draft_with_clients_after_unpublish_offers_no_delete_and_says_why(app, logged_in, published_program, add_subscription):
    add_subscription(published_program, "ada@example.com", status="active")
    logged_in.post(f"/programs/{published_program}/unpublish")

    page = main(logged_in.get(f"/programs/{published_program}"))

    assert f'href="/programs/{published_program}/delete"' not in page
    assert {"type": "button", "class": "danger", "disabled": "", "aria-describedby": "delete-why"} in elements(page, "button", text="Delete")
    why = element(page, "p", id="delete-why")
    assert why == {"class": "hint", "id": "delete-why"}
    assert re.fullmatch(r"This program has 1 client .*Archive it instead.*", why.text)


def test_draft_without_clients_offers_delete(logged_in, program):
    page = main(logged_in.get(f"/programs/{program}"))
    assert {"class": "button danger", "href": f"/programs/{program}/delete"} in elements(page, "a", text="Delete")
    assert "delete-why" not in page


def test_published_program_shows_delete_disabled_with_the_reason(logged_in, published_program):
    page = main(logged_in.get(f"/programs/{published_program}"))
    assert f'href="/programs/{published_program}/delete"' not in page
    assert element(page, "p", id="delete-why").text.startswith("Only a draft program can be deleted")


def test_delete_page_of_a_program_that_cannot_be_deleted_shows_why_instead_of_the_confirmation(
    app, logged_in, published_program, program, add_subscription
):
    response = logged_in.get(f"/programs/{published_program}/delete")
    assert response.status_code == 409
    page = main(response)
    assert "cannot be deleted" in page and "Only a draft program can be deleted." in page
    assert "Delete program" not in page and 'method="post"' not in page

    add_subscription(program, "ada@example.com", status="ended")
    response = logged_in.get(f"/programs/{program}/delete")
    assert response.status_code == 409
    assert "This program has 1 client" in main(response) and "Delete program" not in main(response)
    assert count(app, Program) == 2


def test_archived_program_cannot_be_edited_by_url_until_restored(app, logged_in, coach, make_program):
    archived = make_program(coach, status="archived", name="Old Block")

    page = logged_in.get(f"/programs/{archived}/edit")
    assert page.status_code == 409
    assert "Restore it first" in main(page) and "Save changes" not in main(page)
    response = logged_in.post(f"/programs/{archived}/edit", data=program_form(name="Renamed"))
    assert response.status_code == 409
    assert "Restore it first" in main(response)
    assert get_program(app, archived).name == "Old Block"

    logged_in.post(f"/programs/{archived}/restore")
    assert logged_in.get(f"/programs/{archived}/edit").status_code == 200
    assert logged_in.post(f"/programs/{archived}/edit", data=program_form(name="Renamed")).status_code == 302
    assert get_program(app, archived).name == "Renamed"


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_status_changes_need_the_csrf_token(app, logged_in, program):
    response = logged_in.post(f"/programs/{program}/publish")
    assert response.status_code == 400
    assert get_program(app, program).status == DRAFT


# --- Tabs after inviting -------------------------------------------------------------------


def test_pending_invites_tab_shows_email_sent_date_expiry_delivery_and_buttons(logged_in, published_program, invited_client):
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "ada@example.com" in page
    assert "Sent" in page and "Expires" in page and "Delivery" in page
    assert f"/invites/{invited_client.id}/resend" in page
    assert f"/invites/{invited_client.id}/revoke" in page
    assert f"/invites/{invited_client.id}/copy-link" in page
    assert f"/programs/{published_program}/clients/{invited_client.subscription_id}/calendar" in page


def test_program_page_opens_on_pending_invites_until_someone_joins_then_on_active_clients(
    app, client, logged_in, published_program, invited_client
):
    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    assert element(page, "a", role="tab", id="tab-pending")["aria-selected"] == "true"

    app.test_client().post(f"/invite/{invited_client.token}", data={"name": "Ada Lovelace", "password": PASSWORD})

    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    assert element(page, "a", role="tab", id="tab-active")["aria-selected"] == "true"
    active = page.split('id="tab-panel"', 1)[1]
    assert "Ada Lovelace" in active and "ada@example.com" in active and "End subscription" in active
    assert f"/programs/{published_program}/clients/{invited_client.subscription_id}/calendar" in active


def poll_url(page):
    """The URL the tab polls every 30 s, or None when it does not poll."""
    found = elements(page, "div", hx_trigger="every 30s")
    assert len(found) <= 1 and all("hidden" in poller for poller in found)
    return found[0]["hx-get"] if found else None


def test_active_tab_polls_for_new_subscribers_only_while_invites_are_pending(
    app, logged_in, published_program, add_subscription, make_invite
):
    add_subscription(published_program, "bo@example.com", status="active", name="Bo")
    assert poll_url(logged_in.get(f"/programs/{published_program}").get_data(as_text=True)) is None
    make_invite(published_program, "ada@example.com")
    url = poll_url(logged_in.get(f"/programs/{published_program}").get_data(as_text=True))
    assert url == f"/programs/{published_program}/clients/active?seen=1.1"


def test_pending_tab_polls_and_the_first_client_to_accept_shows_under_active_clients_without_a_reload(
    app, logged_in, published_program, invited_client
):
    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    assert element(page, "a", role="tab", id="tab-pending")["aria-selected"] == "true"
    url = poll_url(page)
    assert url == f"/programs/{published_program}/clients/pending?seen=0.1"
    htmx = {"HX-Request": "true"}

    nothing_new = logged_in.get(url, headers=htmx)
    assert nothing_new.status_code == 204 and nothing_new.get_data() == b""  # htmx keeps the tab

    app.test_client().post(f"/invite/{invited_client.token}", data={"name": "Ada Lovelace", "password": PASSWORD})

    fragment = logged_in.get(url, headers=htmx)
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert "Active clients (1)" in text and "Pending invites (0)" in text
    assert "1 new client joined." in text and "See Active clients" in text
    # the "Ada joined" notice also reaches the navigation's Notices count, swapped out of band
    notices = element(text, "a", id="nav-notices")
    assert notices == {"id": "nav-notices", "href": "/notices", "hx-swap-oob": "outerHTML"} and notices.text == "Notices 1"
    badge = element(notices.html, "span")
    assert badge == {"class": "badge nav-badge", "aria-label": "1 unread"} and badge.text == "1"
    assert poll_url(text) is None  # nothing pending: the polling stops
    active = panel(logged_in.get(f"/programs/{published_program}/clients/active"))
    assert "Ada Lovelace" in active


@pytest.mark.parametrize("seen", ["x.1", "².1", "0.1.1", "0.", "9" * 30 + ".1", ""])
def test_a_poll_with_a_forged_seen_value_gets_the_tab(logged_in, published_program, invited_client, seen):
    response = logged_in.get(f"/programs/{published_program}/clients/pending?seen={seen}", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "ada@example.com" in response.get_data(as_text=True)
    response = logged_in.get(f"/clients/pending?seen={seen}", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "ada@example.com" in response.get_data(as_text=True)


def test_pending_row_says_not_sent_yet_or_last_tried_unless_the_email_went_out(
    app, logged_in, published_program, invited_client, make_invite, today
):
    manual = logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Bo Manual", "email": "bo@example.com"})
    assert manual.status_code == 302
    failed = make_invite(published_program, "cy@example.com")
    with app.app_context():
        invite = db.session.get(Invite, failed.id)
        invite.delivery_status, invite.delivery_error = "failed", "Connection refused"
        db.session.commit()
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    rows = {row["id"].removeprefix("invite-"): row.html for row in elements(page, "li", class_="invite-row")}
    day = f"{today.day} {today:%b %Y}"
    assert re.search(rf"<dt>Sent</dt><dd>{day}</dd>", rows[str(invited_client.id)])
    assert re.search(rf"<dt>Last tried</dt><dd>{day}</dd>", rows[str(failed.id)])
    assert "<dt>Sent</dt>" not in rows[str(failed.id)]
    manual_row = next(row for row in rows.values() if "bo@example.com" in row)
    assert "<dt>Sent</dt><dd>Not sent yet</dd>" in manual_row


def test_unpublished_programs_pending_invites_are_paused_without_resend_or_copy_link(
    app, logged_in, published_program, invited_client
):
    assert logged_in.post(f"/programs/{published_program}/unpublish").status_code == 302
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "Paused while unpublished" in page
    assert "ada@example.com" in page
    assert f"/invites/{invited_client.id}/resend" not in page
    assert f"/invites/{invited_client.id}/copy-link" not in page
    assert f"/invites/{invited_client.id}/revoke" in page  # the coach can still withdraw it
    assert poll_url(logged_in.get(f"/programs/{published_program}/clients/pending").get_data(as_text=True)) is None
    clients_page = logged_in.get("/clients/pending").get_data(as_text=True)
    assert "Paused while unpublished" in clients_page and f"/invites/{invited_client.id}/resend" not in clients_page

    logged_in.post(f"/programs/{published_program}/publish")
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "Paused while" not in page and f"/invites/{invited_client.id}/resend" in page


def test_end_subscription_from_the_program_page_moves_the_client_to_past_clients(
    app, logged_in, published_program, add_subscription
):
    sid = add_subscription(published_program, "bo@example.com", status="active", name="Bo Diddley")
    response = logged_in.post(f"/subscriptions/{sid}/end")
    assert response.headers["Location"] == f"/programs/{published_program}/clients/past"
    assert "Bo Diddley" in panel(logged_in.get(f"/programs/{published_program}/clients/past"))
    assert "Bo Diddley" not in panel(logged_in.get(f"/programs/{published_program}/clients/active"))


def test_revoked_and_expired_invites_leave_the_program_tabs_and_are_not_past_clients(
    app, logged_in, published_program, make_invite
):
    revoked = make_invite(published_program, "ada@example.com")
    expired = make_invite(published_program, "bo@example.com")
    logged_in.post(f"/invites/{revoked.id}/revoke")
    with app.app_context():
        db.session.get(Invite, expired.id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = logged_in.get(f"/programs/{published_program}/clients/pending").get_data(as_text=True)
    assert "Pending invites (0)" in page and "Past clients (0)" in page
    assert "ada@example.com" not in panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "bo@example.com" not in panel(logged_in.get(f"/programs/{published_program}/clients/past"))
    with app.app_context():
        assert db.session.scalar(select(Invite.status).where(Invite.id == expired.id)) == "expired"


def test_copy_link_on_the_program_page_swaps_in_a_fresh_link_box(logged_in, published_program, invited_client):
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    copy = element(page, "form", hx_post=f"/invites/{invited_client.id}/copy-link")
    assert copy["hx-target"] == f"#invite-{invited_client.id}-link"
    fragment = logged_in.post(f"/invites/{invited_client.id}/copy-link", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "readonly" in fragment and "data-copy=" in fragment and "<html" not in fragment


def test_active_client_row_links_to_calendar_overview_and_move_to_program_which_work(
    app, logged_in, coach, published_program, make_program, add_subscription
):
    ada = make_user(app, "Ada Lovelace", "ada@example.com")
    sid = add_subscription(published_program, "ada@example.com", status="active", name="Ada Lovelace", client_id=ada)
    other = make_program(coach, status="published", name="Hypertrophy 1-2-1")
    row = dict(button_links(panel(logged_in.get(f"/programs/{published_program}/clients/active"))))
    assert {"Calendar", "Overview", "Move to program"} <= set(row)
    for label in ("Calendar", "Overview", "Move to program"):
        assert logged_in.get(row[label]).status_code == 200, label
    assert "End subscription" in panel(logged_in.get(f"/programs/{published_program}/clients/active"))

    moved = logged_in.post(row["Move to program"], data={"program": str(other), "start_date": "2026-12-07"})
    assert moved.status_code == 302
    assert "Ada Lovelace" in panel(logged_in.get(f"/programs/{other}/clients/active"))
    assert "Ada Lovelace" in panel(logged_in.get(f"/programs/{published_program}/clients/past"))
    with app.app_context():
        assert db.session.get(Subscription, sid).status == "ended"


def test_past_client_row_has_a_read_only_calendar_and_re_subscribe(
    app, logged_in, published_program, add_subscription
):
    bo = make_user(app, "Bo Diddley", "bo@example.com")
    sid = add_subscription(published_program, "bo@example.com", status="ended", name="Bo Diddley", client_id=bo)
    page = panel(logged_in.get(f"/programs/{published_program}/clients/past"))
    row = dict(button_links(page))
    assert {"Calendar", "Re-subscribe"} <= set(row)
    assert "End subscription" not in page and "Move to program" not in page
    calendar = logged_in.get(row["Calendar"])
    assert calendar.status_code == 200 and "read-only" in calendar.get_data(as_text=True).lower()
    assert logged_in.get(row["Re-subscribe"]).status_code == 200

    again = logged_in.post(row["Re-subscribe"], data={"program": str(published_program), "start_date": "2026-12-07"})
    assert again.status_code == 302
    active = panel(logged_in.get(f"/programs/{published_program}/clients/active"))
    assert "Bo Diddley" in active
    with app.app_context():
        assert db.session.get(Subscription, sid).status == "ended"  # the old one stays, read-only
        assert db.session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.client_id == bo, Subscription.status == "active")
        ) == 1


def test_active_tab_polls_while_the_invite_link_is_on_and_shows_who_joined_through_it(
    app, logged_in, published_program, add_subscription, smtp
):
    add_subscription(published_program, "bo@example.com", status="active", name="Bo")
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    url = poll_url(logged_in.get(f"/programs/{published_program}").get_data(as_text=True))
    assert url == f"/programs/{published_program}/clients/active?seen=1.0"
    htmx = {"HX-Request": "true"}
    assert logged_in.get(url, headers=htmx).status_code == 204

    with app.app_context():
        path = f"/join/{link_token(db.session.scalar(select(InviteLink)))}"
    joined = sign_up_and_join(app.test_client(), smtp, path, "Dee Client", "dee@example.com")
    assert joined.status_code == 302

    fragment = logged_in.get(url, headers=htmx).get_data(as_text=True)
    assert "Active clients (2)" in fragment and "1 new client joined." in fragment and "Dee Client" in fragment

    logged_in.post(f"/programs/{published_program}/invite-link/off")
    assert poll_url(logged_in.get(f"/programs/{published_program}").get_data(as_text=True)) is None


def test_end_subscription_asks_first_and_cancel_changes_nothing(app, logged_in, published_program, add_subscription):
    sid = add_subscription(published_program, "bo@example.com", status="active", name="Bo Diddley")
    active = panel(logged_in.get(f"/programs/{published_program}/clients/active"))
    assert f'href="/subscriptions/{sid}/end"' in active and f'action="/subscriptions/{sid}/end"' not in active

    confirm = logged_in.get(f"/subscriptions/{sid}/end")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "End Bo Diddley’s subscription?" in page
    assert {"class": "button secondary", "href": f"/programs/{published_program}/clients/active"} in elements(page, "a", text="Cancel")
    assert "Bo Diddley" in panel(logged_in.get(f"/programs/{published_program}/clients/active"))  # nothing ended yet

    from_clients = logged_in.get(f"/subscriptions/{sid}/end?next=/clients/active").get_data(as_text=True)
    assert {"type": "hidden", "name": "next", "value": "/clients/active"} in elements(from_clients, "input")
    assert logged_in.post(f"/subscriptions/{sid}/end", data={"next": "/clients/active"}).headers["Location"] == "/clients/active"
    assert logged_in.get(f"/subscriptions/{sid}/end").status_code == 409  # already ended: nothing to confirm
