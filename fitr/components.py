"""What the components in templates/components/ need from Python: the icon sprite's address (and
the names it holds), and an avatar's initials and colour, taken from the person so the same
person looks the same on every page.

The icons are a subset of Lucide (ISC licence, static/icons/LICENSE-lucide.txt), vendored as one
SVG sprite whose file name carries the version, as htmx's does. To add an icon: put its name in
ICONS and rebuild the sprite from the same release of the `lucide-static` npm package:

    npm pack lucide-static@1.87.0 && tar xzf lucide-static-1.87.0.tgz
    python -m fitr.components package/icons
"""

import re
import sys
import zlib
from pathlib import Path

from flask import current_app, has_request_context, request, url_for

LUCIDE_VERSION = "1.87.0"
SPRITE = f"icons/lucide-{LUCIDE_VERSION}.svg"
ICONS = (
    "archive", "arrow-left", "arrow-right", "ban", "bell", "calendar", "calendar-plus", "check",
    "check-check", "chevron-down", "chevron-left", "chevron-right", "circle-alert", "circle-check", "circle-x",
    "clipboard-copy", "clock", "copy", "credit-card", "download", "dumbbell", "ellipsis",
    "external-link", "eye", "file-text", "globe", "history", "inbox", "info", "link", "list-plus",
    "log-in", "log-out", "mail", "message-circle", "message-square", "pencil", "play", "plus",
    "repeat", "rotate-ccw", "save", "search", "send", "settings", "skip-forward", "trash-2",
    "triangle-alert", "trophy", "undo-2", "upload", "user", "user-plus", "users", "x",
)  # fmt: skip

# As many avatar colours as tokens.css has --avatar-N pairs (a background and the text on it).
AVATAR_TONES = 8


def icon_href(name):
    """The sprite's address of one icon; a name the sprite lacks is a mistake in a template."""
    if name not in ICONS:
        raise ValueError(f"No icon {name!r} in the sprite: add it to fitr.components.ICONS")
    return _sprite_url() + "#" + name


def _sprite_url():
    """The sprite's address, built once per script root: url_for("static") for every icon was
    an eighth of a month calendar's time (each session's completion chip has one)."""
    if not has_request_context():
        return url_for("static", filename=SPRITE)
    urls = current_app.extensions.setdefault("fitr.sprite_urls", {})
    url = urls.get(request.script_root)
    if url is None:
        url = urls[request.script_root] = url_for("static", filename=SPRITE)
    return url


def initials(name):
    """Up to two letters for an avatar: the first of the first and last words of the name."""
    words = re.findall(r"\w+", name or "")
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_tone(name):
    """1..AVATAR_TONES from the person's name, so they have one colour on every page, with an
    account or not yet (a pending client is a name): crc32, as hash() changes between processes."""
    return zlib.crc32(" ".join(str(name or "").lower().split()).encode()) % AVATAR_TONES + 1


def init_app(app):
    app.jinja_env.globals.update(icon_href=icon_href, initials=initials, avatar_tone=avatar_tone)


# --- building the sprite ---------------------------------------------------------------------

_SVG = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)


def build_sprite(icons_dir):
    """One <symbol> per icon in ICONS, from lucide-static's icons/ folder."""
    symbols = []
    for name in ICONS:
        body = _SVG.search((Path(icons_dir) / f"{name}.svg").read_text()).group(1)
        body = re.sub(r"\s*\n\s*", "", body)
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"><!-- Lucide {LUCIDE_VERSION}, ISC licence:'
        " LICENSE-lucide.txt; built by python -m fitr.components -->\n" + "\n".join(symbols) + "\n</svg>\n"
    )


if __name__ == "__main__":
    from fitr import config

    (config.ROOT / "static" / SPRITE).write_text(build_sprite(sys.argv[1]))
