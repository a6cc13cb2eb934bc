"""The components (static/css/components.css, templates/components/): one icon sprite that holds
every icon a template may ask for, CSS and icons within their size budget, and avatars whose
colour follows the person."""

import re

import pytest

from fitr import components
from fitr.config import ROOT


def test_css_and_icons_stay_under_80_kb():
    files = list((ROOT / "static" / "css").glob("*.css")) + [ROOT / "static" / components.SPRITE]
    assert sum(f.stat().st_size for f in files) < 80_000


def test_the_sprite_holds_each_icon_once_and_ships_its_licence():
    sprite = (ROOT / "static" / components.SPRITE).read_text()
    assert sorted(re.findall(r'<symbol id="([^"]+)"', sprite)) == sorted(components.ICONS)
    assert "ISC License" in (ROOT / "static" / "icons" / "LICENSE-lucide.txt").read_text()


def test_an_icon_the_sprite_lacks_is_refused(app):
    with app.test_request_context():
        assert components.icon_href("plus").endswith(f"/static/{components.SPRITE}#plus")
        with pytest.raises(ValueError):
            components.icon_href("no-such-icon")


def test_an_icons_address_follows_the_prefix_fitr_is_served_under(app):
    """The sprite's address is worked out once per prefix, not once for every app."""
    with app.test_request_context("/"):
        assert components.icon_href("plus") == f"/static/{components.SPRITE}#plus"
    with app.test_request_context("/", base_url="http://example.com/fitr/"):
        assert components.icon_href("check") == f"/fitr/static/{components.SPRITE}#check"
    app.config["SERVER_NAME"] = "coach.example.com"  # outside a request (an email)
    with app.app_context():
        assert components.icon_href("x") == f"http://coach.example.com/static/{components.SPRITE}#x"


def test_a_person_has_one_colour_and_their_initials_everywhere():
    assert components.avatar_tone("Ada Athlete") == components.avatar_tone("  ada   ATHLETE ")
    assert {components.avatar_tone(f"Client {n}") for n in range(60)} == set(range(1, components.AVATAR_TONES + 1))
    assert components.initials("Ada Byron Lovelace") == "AL" and components.initials("Émile") == "É"
    assert components.initials("") == "?"


def test_pages_use_the_components_not_styles_of_their_own():
    """A status is a chip, a note in the page a callout, news a toast: no template writes the old
    one-off classes for them, and no stylesheet but components.css styles a button, chip, card or
    callout."""
    root = ROOT
    old = re.compile(r'class="[^"]*\b(badge-(muted|success|danger)|flash|flash-\w+)\b|class="notice" role="note"')
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted((root / "templates").rglob("*.html"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if old.search(line)
    ]
    assert found == []
    component = re.compile(r"^\s*(?:[\w.#:\[\]=\"-]+\s*,\s*)*(?:button|\.button|\.chip|\.card|\.callout|\.badge)(?:[.:\[][^,{]*)?\s*[,{]", re.M)
    for sheet in ("app.css", "tokens.css"):
        text = (root / "static" / "css" / sheet).read_text()
        assert component.findall(text) == [], sheet
