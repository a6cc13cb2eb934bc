"""constraints.txt pins every package fitr and its tests install (transitive ones too), so a fresh
`make run` next month gets what the tests passed with: it agrees with pyproject.toml's pins, and
it is what is installed here. `make lock` rewrites it."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PINNED = {"fitr", "pip", "setuptools", "wheel"}  # fitr itself, and the venv's own tools


def canonical(name):
    """A package's name as pip compares them (PEP 503): Flask_SQLAlchemy is flask-sqlalchemy."""
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints():
    """{name: version} from constraints.txt."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonical(name)] = version.strip()
    return pins


def pyproject_pins():
    """{name: version} of every requirement in pyproject.toml, runtime and dev (extras dropped)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    pins = {}
    for requirement in requirements:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^;\s]+)", requirement.strip())
        assert found, f"pyproject.toml pins every package with ==: {requirement}"
        pins[canonical(found.group(1))] = found.group(3)
    return pins


def test_constraints_pin_every_package_at_pyproject_s_version():
    pinned = constraints()
    differ = {name: (version, pinned.get(name)) for name, version in pyproject_pins().items() if pinned.get(name) != version}
    assert differ == {}, f"pyproject.toml's pin vs constraints.txt's; run make lock: {differ}"


def test_the_installed_packages_are_the_constraints():
    installed = {
        canonical(d.metadata["Name"]): d.version
        for d in importlib.metadata.distributions()
        if canonical(d.metadata["Name"]) not in NOT_PINNED
    }
    pinned = constraints()
    assert installed == pinned, (
        f"installed but not pinned, or at another version: {dict(installed.items() - pinned.items())}; "
        f"pinned but not installed as pinned: {dict(pinned.items() - installed.items())} "
        "(make lock rewrites constraints.txt; make test installs it)"
    )
