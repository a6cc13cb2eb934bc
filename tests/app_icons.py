"""The installed app's icons (static/icons/app-*.png), drawn in Debian's Chromium from the
favicon's mark in the accent colour of static/css/tokens.css. Run again when either changes:

    .venv/bin/python tests/app_icons.py

"any" icons are the favicon's rounded square; "maskable" ones fill the square with the accent
and keep the mark inside the middle 60 %, the safe zone a launcher's mask never cuts (Android
crops maskable icons to a circle, a squircle...). The 180 px one is the iPhone's
apple-touch-icon: a full square, which iOS rounds itself.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "static" / "icons"
MARK = "M10 8h13v4h-8.5v3H21v4h-6.5v5H10z"  # the "F" of static/favicon.svg, on a 32-unit square


def token(name):
    """A light-theme colour of static/css/tokens.css (its first, :root, value)."""
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,8}})", (ROOT / "static/css/tokens.css").read_text()).group(1)


def svg(size, maskable):
    accent, on_accent = token("color-accent"), token("color-on-accent")
    # The mark spans 13 x 16 units of 32 around (16.5, 16): scaled to 60 % of a maskable icon.
    scale, radius = (0.6 * 32 / 16, 0) if maskable else (1.0, 6)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 32 32">'
            f'<rect width="32" height="32" rx="{radius}" fill="{accent}"/>'
            f'<path d="{MARK}" fill="{on_accent}" transform="translate(16 16) scale({scale}) translate(-16.5 -16)"/></svg>')


def main():
    from playwright.sync_api import sync_playwright

    icons = {"app-192.png": (192, False), "app-512.png": (512, False), "app-maskable-192.png": (192, True),
             "app-maskable-512.png": (512, True), "app-apple-180.png": (180, True)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for name, (size, maskable) in icons.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(f'<body style="margin:0">{svg(size, maskable)}</body>')
            page.screenshot(path=str(OUT / name), omit_background=True)
            page.close()
            print(OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
