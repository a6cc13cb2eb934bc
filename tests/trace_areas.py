"""The route one "Done as prescribed" takes through fitr's areas: the client taps it on a
session's page, and every call into fitr's code made inside the route (sys.settrace) is
mapped to its area (fitr.<area>.<module>; a foundation module such as fitr.web counts as
"foundation"). Printed: the areas in call order (a run of calls in one area is one visit),
how many areas, and how many times the route comes back to an area it had already left.

    .venv/bin/python tests/trace_areas.py [--modules]

--modules prints the modules in call order as well (a run of calls in one module is one step).
"""

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import time_machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("SECRET_KEY", "trace")

import factories  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.extensions import db  # noqa: E402

NOW = datetime.fromisoformat("2026-11-10T10:00:00+00:00")
AREAS = {p.name for p in (ROOT / "fitr").iterdir() if (p / "__init__.py").exists()}


def area_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or parts[-1] in AREAS else "foundation"


def steps(names):
    """Runs of the same name collapsed: ['a', 'a', 'b', 'a'] -> ['a', 'b', 'a']."""
    return [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]


def returns(route):
    """How many steps go back to a name already left earlier in the route."""
    return sum(1 for i, name in enumerate(route) if name in route[:i])


def trace_view(app, view_name, request):
    """The fitr modules called, in order, while the view `view_name` runs `request()`."""
    view = app.view_functions[view_name]
    code = getattr(view, "__wrapped__", view).__code__
    called, inside = [], []

    def tracer(frame, event, arg):
        if event != "call":
            return None
        if frame.f_code is code:
            inside.append(frame)
            return leave
        module = frame.f_globals.get("__name__", "")
        caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
        if inside and module.startswith("fitr."):
            called.append((module, caller.startswith("fitr.")))
        return None

    def leave(frame, event, arg):
        if event == "return" and inside and frame is inside[-1]:
            inside.pop()
        return leave

    sys.settrace(tracer)
    try:
        response = request()
    finally:
        sys.settrace(None)
    return response, [("fitr.training.sessions", True), *called]


def main():
    with tempfile.TemporaryDirectory() as folder, time_machine.travel(NOW, tick=True):
        app = create_app({
            "TESTING": True, "SECRET_KEY": "trace", "WTF_CSRF_ENABLED": False, "MAIL_SERVER": "",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/trace.sqlite3", "BASE_URL": "",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "HUEY_SQLITE_PATH": f"{folder}/huey.sqlite3",
            "WORKER_IN_PROCESS": False, "STRIPE_SECRET_KEY": "",
        })  # fmt: skip
        with app.app_context():
            db.create_all()
        coach = factories.make_user(app, "Casey Coach", "casey@example.com")
        other = factories.make_user(app, "Olive Other", "olive@example.com")
        today = NOW.date()
        gym = factories.gym(app, coach, other, today)
        # An earlier log, so this one sets a new Personal Record the coach is told about.
        earlier = factories.plan(app, gym.ada_sub, today.replace(day=today.day - 2))
        factories.log(app, gym.ada, earlier, [("Back Squat", 5, 90)], today=today)
        session_id = factories.plan(app, gym.ada_sub, today, exercises=[("Back Squat", 3, 5, 100), ("Plank", 2, None, None)])
        client = app.test_client()
        client.post("/login", data={"email": "ada@example.com", "password": factories.PASSWORD})
        page = client.get(f"/my/sessions/{session_id}").get_data(as_text=True)
        quick = factories.element(page, "form", **{"class": "quick-log"})
        data = {e["name"]: e["value"] for e in factories.elements(quick.html, "input", type="hidden")}
        response, modules = trace_view(
            app, "training.session", lambda: client.post(f"/my/sessions/{session_id}", data={**data, "as_prescribed": "1"})
        )
        assert response.status_code == 302, response.status_code
        assert "New record: " in client.get(response.location).get_data(as_text=True)
    for title, kept in (
        ("every call into fitr", [m for m, _ in modules]),
        ("calls made by fitr's own code (not SQLAlchemy's flush listeners)", [m for m, direct in modules if direct]),
    ):
        route = steps([area_of(m) for m in kept if area_of(m) != "foundation"])
        print(f"{title}, the foundation left out:")
        print(f"  {' -> '.join(route)}")
        print(f"  {len(set(route))} areas, {len(route)} steps, {returns(route)} returns to an area already left")
    if "--modules" in sys.argv:
        path = steps([m for m, _ in modules])
        print(f"modules in call order ({len(path)} steps, {returns(path)} returns to a module already left):")
        print("  " + "\n  ".join(path))


if __name__ == "__main__":
    main()
