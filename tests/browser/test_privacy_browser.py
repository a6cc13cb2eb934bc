"""A client downloads their data and deletes their account from Settings, on a phone."""

import json
import re

from conftest import PASSWORD, assert_accessible, has_horizontal_scroll, log_in
from factories import count
from playwright.sync_api import expect

from fitr.accounts.models import User
from fitr.subscriptions.models import Subscription


def test_client_downloads_their_data_then_deletes_their_account_on_a_phone(app, gym, browser_page):
    page = browser_page
    log_in(page, "ada@example.com")
    page.goto("/my/settings")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["email"] == "ada@example.com"

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert count(app, User, id=gym.ada) == 1
    assert_accessible(page)
    assert page.js_errors == []  # the 400 that carries the message is an answer, not an error

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    assert count(app, User, id=gym.ada) == 0
    assert count(app, Subscription, id=gym.ada_sub, client_name="Deleted client") == 1
    assert page.js_errors == []
