"""The README's Layout says what `make lint` enforces: its layer line is the contract in
pyproject.toml, and it names every area and every module of the foundation."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def layers():
    """pyproject.toml's layers, highest first; the foundation (the last, `a : b : ...`) as a list."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [contract] = [c for c in contracts if c["type"] == "layers"]
    *areas, foundation = contract["layers"]
    return areas, [name.strip() for name in foundation.split(":")]


def layout():
    """The README's Layout section, up to the next heading."""
    return README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_layer_line_is_the_contract_in_pyproject():
    areas, _ = layers()
    expected = " ← ".join(reversed(areas))
    found = re.search(r"From the foundation up[^:]*:\s*(.+?)\.", layout(), re.DOTALL)
    assert found, "README.md's Layout has no line 'From the foundation up: ...'"
    assert " ".join(found.group(1).split()) == expected, f"Write it as: From the foundation up: {expected}."


def test_the_readme_layout_names_every_area_and_foundation_module():
    areas, foundation = layers()
    text = layout()
    for name in areas + foundation:
        if (ROOT / "fitr" / name).is_dir():
            assert re.search(rf"^  {name}/ ", text, re.MULTILINE), f"README.md's Layout has no line for {name}/"
        else:
            assert f"{name}.py" in text, f"README.md's Layout does not name {name}.py"
