"""What a coach or a client reads names no server setting. On a fresh install (no email, no
card payments) the pages they open and the messages they get say what happened in plain words;
the settings themselves are for the person who hosts fitr, in the README and `flask check-config`."""

import re
from pathlib import Path

from factories import element

SETTING = re.compile(r"\b(?:MAIL|STRIPE|SECRET|VAPID|DATABASE|BASE|FITR|SMTP)_[A-Z_]+\b")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)


def pages_to_open(app, values):
    """The GET pages whose URL needs nothing, or only what `values` gives."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static" or not set(rule.arguments) <= set(values):
                continue
            yield rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def settings_named(client, paths):
    """{path: [setting names]} of the pages that show one (or answer 5xx)."""
    found = {}
    for path in paths:
        response = client.get(path)
        text = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        named = SETTING.findall(text)
        if named or response.status_code >= 500:
            found[path] = named or [response.status_code]
    return found


def test_no_template_names_a_server_setting():
    found = {}
    for path in [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]:
        named = SETTING.findall(JINJA_COMMENT.sub("", path.read_text()))
        if named:
            found[str(path.relative_to(TEMPLATES))] = named
    assert found == {}


def test_a_coach_on_a_fresh_install_reads_no_server_setting(app, logged_in, published_program):
    assert not app.config["MAIL_SERVER"] and not app.config["STRIPE_SECRET_KEY"]
    invited = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"},
                             follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "This server does not send email" in element(invited, "div", class_="toast toast-warning").text
    assert SETTING.findall(invited) == []
    paths = list(pages_to_open(app, {"program_id": published_program, "tab": "pending"}))
    assert f"/programs/{published_program}" in paths and "/clients/pending" in paths and len(paths) > 30
    assert settings_named(logged_in, paths) == {}


def test_a_client_on_a_fresh_install_reads_no_server_setting(app, gym, as_ada):
    paths = list(pages_to_open(app, {"subscription_id": gym.ada_sub}))
    assert "/my" in paths and "/my/records" in paths and len(paths) > 30
    assert settings_named(as_ada, paths) == {}
