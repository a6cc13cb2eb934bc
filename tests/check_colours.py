"""make lint: no raw colour value outside static/css/tokens.css, so every colour on a page comes
from a design token and changes with the theme (light, dark).

    .venv/bin/python tests/check_colours.py [ROOT]

Looked at: the stylesheets in static/css (tokens.css excepted); in templates, style attributes,
<style> blocks and SVG colour attributes (fill, stroke...); in our scripts in static/js, style
attributes in markup strings, `.style.x = "..."`, `.style.cssText = "..."` and
`.style.setProperty(name, "...")`. A raw colour is a hex value, a colour function (rgb(), hsl(),
oklch()...) or a named colour; transparent, currentColor and inherit are not colours of their
own, and color-mix() or light-dark() of tokens is allowed. Each one found is printed as
file:line, and the exit status is 1.

Not looked at: templates/email (mail programs ignore custom properties, so an email's colours are
written inline), vendored scripts (*.min.js), images (*.svg files).
"""

import re
import sys
from pathlib import Path

# The CSS named colours (CSS Color 4), lower-cased; transparent and currentcolor are left out.
NAMED = frozenset(
    """
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet
brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue
darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange
darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise
darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia
gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo
ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue
lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon
mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue
mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin
navajowhite navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen
paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red
rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue
slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
whitesmoke yellow yellowgreen
""".split()
)

HEX = re.compile(r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b")
FUNCTION = re.compile(r"(?<![\w-])(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(", re.I)
WORD = re.compile(r"(?<![\w#-])[a-zA-Z]+(?![\w-])")
# Parts of a value that name no colour: url(#gradient), quoted text, custom property names.
NOT_A_COLOUR = re.compile(r"url\([^)]*\)|\"[^\"]*\"|'[^']*'|--[\w-]+")

COMMENT = re.compile(r"/\*.*?\*/", re.S)
DECLARATIONS = re.compile(r"\{([^{}]*)\}")  # an innermost block holds declarations, not selectors
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(["'])(.*?)\1""", re.S | re.I)
STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
SVG_ATTR = re.compile(
    r"""\s(?:fill|stroke|stop-color|flood-color|lighting-color|color|bgcolor)\s*=\s*(["'])(.*?)\1""",
    re.I,
)
JS_STYLE = re.compile(
    r"""\.style\.[A-Za-z]+\s*=\s*(["'`])(.*?)\1|\.setProperty\(\s*[^,]+,\s*(["'`])(.*?)\3""", re.S
)


def colours_in_value(value):
    """The raw colours written in one CSS value (or a list of declarations)."""
    value = NOT_A_COLOUR.sub(lambda m: " " * len(m.group()), value)
    found = [(m.start(), m.group()) for m in HEX.finditer(value)]
    found += [(m.start(), m.group()) for m in FUNCTION.finditer(value)]
    found += [(m.start(), m.group()) for m in WORD.finditer(value) if m.group().lower() in NAMED]
    return sorted(found)


def blank(match):
    """A comment replaced by spaces, keeping its newlines so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group())


def in_declarations(text, offset=0):
    """(offset, colour) for each raw colour in a stylesheet's declarations."""
    text = COMMENT.sub(blank, text)
    found = []
    for block in DECLARATIONS.finditer(text):
        for declaration in re.finditer(r"[^;]+", block.group(1)):
            name, colon, value = declaration.group().partition(":")
            if colon:
                start = offset + block.start(1) + declaration.start() + len(name) + 1
                found += [(start + at, colour) for at, colour in colours_in_value(value)]
    return found


def in_attribute_values(pattern, text, groups=(2,)):
    """(offset, colour) for each raw colour in the value groups of pattern's matches."""
    found = []
    for m in pattern.finditer(text):
        for g in groups:
            if m.group(g) is not None:
                found += [(m.start(g) + at, colour) for at, colour in colours_in_value(m.group(g))]
    return found


def in_stylesheet(text):
    return in_declarations(text)


def in_template(text):
    found = in_attribute_values(STYLE_ATTR, text) + in_attribute_values(SVG_ATTR, text)
    for block in STYLE_BLOCK.finditer(text):
        found += in_declarations("{" + block.group(1) + "}", block.start(1) - 1)
    return found


def in_script(text):
    return in_attribute_values(STYLE_ATTR, text) + in_attribute_values(
        JS_STYLE, text, groups=(2, 4)
    )


def files(root):
    """(path, finder) for each file the check reads."""
    css = root / "static" / "css"
    for path in sorted(css.glob("*.css")):
        if path.name != "tokens.css":
            yield path, in_stylesheet
    for path in sorted((root / "templates").rglob("*.html")):
        if "email" not in path.relative_to(root / "templates").parts[:1]:
            yield path, in_template
    for path in sorted((root / "static" / "js").glob("*.js")):
        if not path.name.endswith(".min.js"):
            yield path, in_script


def problems(root):
    """'file:line: ...' for each raw colour under root."""
    out = []
    for path, finder in files(root):
        text = path.read_text(encoding="utf-8")
        for offset, colour in sorted(finder(text)):
            line = text.count("\n", 0, offset) + 1
            out.append(
                f"{path.relative_to(root)}:{line}: raw colour {colour!r}: use a token from static/css/tokens.css"
            )
    return out


def main(argv):
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = problems(root)
    print("\n".join(found) or "check_colours: no raw colour outside static/css/tokens.css")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
