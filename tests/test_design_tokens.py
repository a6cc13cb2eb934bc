"""The design tokens (static/css/tokens.css): make lint refuses a raw colour anywhere else, and the
token pairs that put text on a background meet WCAG AA in the light and the dark theme."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "tests" / "check_colours.py"
TOKENS = (ROOT / "static" / "css" / "tokens.css").read_text()


def check(root):
    """make lint's colour check run on root: (exit status, what it printed)."""
    done = subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True, text=True)
    return done.returncode, done.stdout


def tree(tmp_path, files):
    """A copy of the layout the check reads: static/css, static/js, templates."""
    for name in ("static/css", "static/js", "templates/email"):
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
    (tmp_path / "static/css/tokens.css").write_text(":root { --color-accent: #4f46e5; }\n")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_repository_has_no_raw_colour_outside_the_tokens():
    status, out = check(ROOT)
    assert status == 0, out


@pytest.mark.parametrize(
    "name, text, line, colour",
    [
        ("static/css/page.css", ".a { padding: 0; }\n.b {\n  color: #1a64d6;\n}\n", 3, "#1a64d6"),
        (
            "static/css/page.css",
            "@media (min-width: 4rem) {\n  .b { box-shadow: 0 1px rgb(0 0 0 / 0.2); }\n}\n",
            2,
            "rgb(",
        ),
        ("static/css/page.css", ".b { border: 1px solid white; }\n", 1, "white"),
        ("templates/page.html", '<p>\n<span style="color: hsl(0 50% 50%)">x</span>\n', 2, "hsl("),
        ("templates/page.html", '<svg>\n\n<circle fill="#1f6feb"/></svg>\n', 3, "#1f6feb"),
        ("templates/page.html", "<style>\n.a { color: red; }\n</style>\n", 2, "red"),
        ("static/js/page.js", 'el.style.background = "#fff";\n', 1, "#fff"),
        (
            "static/js/page.js",
            'el.style.setProperty("--x",\n  "rgba(0, 0, 0, 0.5)");\n',
            2,
            "rgba(",
        ),
    ],
)
def test_a_raw_colour_fails_the_check_naming_its_file_and_line(tmp_path, name, text, line, colour):
    status, out = check(tree(tmp_path, {name: text}))
    assert status == 1
    assert f"{name}:{line}: raw colour {colour!r}" in out


def test_tokens_ids_and_emails_pass_the_check(tmp_path):
    root = tree(
        tmp_path,
        {
            # An id that reads as hex, a custom property named after a colour, an SVG reference.
            "static/css/page.css": "#add .b:hover { color: var(--color-accent); background: transparent;"
            " border-color: currentColor; --red: var(--color-danger); }\n"
            "/* was #1a64d6 */\n.c { fill: url(#bead); outline-color: color-mix(in srgb, var(--color-text) 50%, transparent); }\n",
            "templates/page.html": '<a href="#add" style="color: var(--color-text)">Tan</a><svg fill="currentColor"></svg>\n',
            # Mail programs ignore custom properties: an email's colours are written inline.
            "templates/email/invite.html": '<a style="background:#1f6feb;color:#ffffff">Accept invite</a>\n',
            "static/js/page.js": 'document.querySelector("#add"); el.style.color = "var(--color-text)";\n',
            "static/js/htmx-2.0.11.min.js": 'x.style.color="red"\n',
        },
    )
    status, out = check(root)
    assert status == 0, out


# --- The tokens' values -------------------------------------------------------------------------


def declarations(block):
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", re.sub(r"/\*.*?\*/", "", block, flags=re.S)))


def theme(dark):
    """The colour tokens of one theme: the light ones, with the dark ones over them."""
    light = declarations(TOKENS.split("@media (prefers-color-scheme: dark)")[0])
    if not dark:
        return light
    chosen = declarations(TOKENS.split(':root[data-theme="dark"] {')[1].split("}")[0])
    return {**light, **chosen}


def test_the_system_dark_theme_and_the_chosen_dark_theme_are_the_same():
    """Dark is written twice (a media query for System, an attribute for Dark): the two agree."""
    system = TOKENS.split(':root:not([data-theme="light"]) {')[1].split("}")[0]
    chosen = TOKENS.split(':root[data-theme="dark"] {')[1].split("}")[0]
    assert declarations(system) == declarations(chosen)
    assert len(declarations(chosen)) > 20


def luminance(colour):
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


BACKGROUNDS = ["bg", "surface", "surface-raised", "surface-sunken"]
# Text colour, the backgrounds it is written on.
TEXT_ON = [
    (
        "text",
        BACKGROUNDS + ["accent-soft", "success-soft", "warning-soft", "danger-soft", "info-soft"],
    ),
    ("text-muted", BACKGROUNDS + ["accent-soft"]),
    ("accent", BACKGROUNDS + ["accent-soft"]),
    ("on-accent", ["accent", "accent-hover"]),
    ("on-accent-soft", ["accent-soft"]),
    *[(kind, BACKGROUNDS) for kind in ("success", "warning", "danger", "info")],
    *[(f"on-{kind}", [kind]) for kind in ("success", "warning", "danger", "info")],
    *[(f"on-{kind}-soft", [f"{kind}-soft"]) for kind in ("success", "warning", "danger", "info")],
    ("on-avatar", [f"avatar-{n}" for n in range(1, 9)]),
]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_token_meets_wcag_aa_on_its_backgrounds(dark):
    tokens = theme(dark)
    value = lambda name: tokens[f"--color-{name}"].strip()  # noqa: E731
    low = [
        f"{text} on {background}: {contrast(value(text), value(background)):.2f}"
        for text, backgrounds in TEXT_ON
        for background in backgrounds
        if contrast(value(text), value(background)) < 4.5
    ]
    assert low == []
    # Form controls' borders: 3:1 against what they sit on (WCAG 1.4.11).
    assert contrast(value("border-strong"), value("surface")) >= 3
