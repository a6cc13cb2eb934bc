"""Where fitr's source writes a subscription's status or its dates, read with `ast` (no import,
no database): tests/test_lifecycle.py checks that only fitr/lifecycle does.

A write is: an assignment (plain, augmented, annotated, or one part of a tuple) or a
setattr() of one of LIFE_FIELDS on an object that is a subscription; a Subscription(...)
made (it is born pending); an update(Subscription) whose .values() sets one of LIFE_FIELDS (or
passes them unseen, as **fields or a dict that is not written out).

An object is a subscription when its name says so (`subscription`, `new_subscription`,
`invite.subscription`, `sub`), or when the function it is in bound that name from an
expression naming Subscription (`db.session.get(Subscription, id)`, a select of it, a loop
over one). `start_date`, `started_at` and `ends_on` are no other table's columns, so a write
of those on any object counts (but `self.x` and a form field's `.data` do not). `status` and
`ended_at` are also other tables' (a program's status, a log's, a login's end): those count
only on an object known to be a subscription."""

import ast
import re
from pathlib import Path

LIFE_FIELDS = {"status", "start_date", "started_at", "ended_at", "ends_on"}
SHARED = {"status", "ended_at"}  # columns other tables have too
SUBSCRIPTION_NAME = re.compile(r"subscription|^sub$")


def name_of(node):
    """The name an expression is known by: `x` for x, `subscription` for invite.subscription."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def mentions_subscription(node):
    return any(isinstance(n, ast.Name) and n.id == "Subscription" for n in ast.walk(node))


def bound_to_subscriptions(function):
    """The names a function (with the functions inside it) binds from an expression that names
    Subscription, and those of its parameters annotated with it."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and mentions_subscription(node.value):
            names |= {t.id for target in node.targets for t in ast.walk(target) if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.For, ast.comprehension)) and mentions_subscription(node.iter):
            names |= {t.id for t in ast.walk(node.target) if isinstance(t, ast.Name)}
        elif isinstance(node, ast.arg) and node.annotation is not None and mentions_subscription(node.annotation):
            names.add(node.arg)
    return names


def is_subscription(obj, known):
    name = name_of(obj)
    return bool(SUBSCRIPTION_NAME.search(name)) or (isinstance(obj, ast.Name) and obj.id in known)


def writes_field(obj, field, known):
    if field not in LIFE_FIELDS or (isinstance(obj, ast.Name) and obj.id == "self"):
        return False
    return field not in SHARED or is_subscription(obj, known)


def targets(node):
    """The targets an assignment writes, tuples opened."""
    found = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in found:
        yield from ast.walk(target) if isinstance(target, (ast.Tuple, ast.List)) else [target]


def updated_table(node, statements):
    """The table of the update() a chain of calls (`update(T).where(...)`) hangs on, or of one a
    name in `statements` ({name: [values]}) was bound to; else None."""
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call) and name_of(node.func) == "update" and node.args:
            return name_of(node.args[0])
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Name) and node.id in statements:
        bound = statements.pop(node.id)  # popped: `q = q.where(...)` ends
        return next(filter(None, (updated_table(value, statements) for value in bound)), None)
    return None


def sets_life_fields(values_call):
    for keyword in values_call.keywords:
        if keyword.arg is None or keyword.arg in LIFE_FIELDS:
            return True
    for arg in values_call.args:
        if not isinstance(arg, ast.Dict):
            return True
        if any(not isinstance(k, ast.Constant) or k.value in LIFE_FIELDS for k in arg.keys):
            return True
    return False


def writes_in(source, filename="<source>"):
    """[(line, what)] of every write of a subscription's status or dates in `source`."""
    tree = ast.parse(source, filename)
    found = []
    known_in = {}  # node: the names its enclosing functions bound to subscriptions
    for scope in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        names = bound_to_subscriptions(scope)
        for node in ast.walk(scope):
            known_in[id(node)] = known_in.get(id(node), set()) | names
    statements = {}  # every name, with each value it is bound to in the module
    for assign in (n for n in ast.walk(tree) if isinstance(n, ast.Assign)):
        for target in (t for t in assign.targets if isinstance(t, ast.Name)):
            statements.setdefault(target.id, []).append(assign.value)
    for node in ast.walk(tree):
        known = known_in.get(id(node), set())
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in targets(node):
                if isinstance(target, ast.Attribute) and writes_field(target.value, target.attr, known):
                    found.append((node.lineno, f"{ast.unparse(target)} ="))
        elif isinstance(node, ast.Call):
            func = name_of(node.func)
            if func == "setattr" and len(node.args) >= 2:
                obj, field = node.args[:2]
                if isinstance(field, ast.Constant):
                    written = writes_field(obj, str(field.value), known)
                else:  # a name not written out: any field of a subscription
                    written = is_subscription(obj, known)
                if written:
                    found.append((node.lineno, ast.unparse(node)[:80]))
            elif func == "Subscription" and isinstance(node.func, ast.Name):
                found.append((node.lineno, "Subscription(...)"))
            elif func == "values" and updated_table(node.func, dict(statements)) == "Subscription" and sets_life_fields(node):
                found.append((node.lineno, "update(Subscription).values(...)"))
    return found


def writes_outside(package, allowed):
    """{path: [(line, what)]} for every module of `package` (a folder) outside `allowed` (a
    sub-folder) that writes a subscription's status or dates."""
    package, allowed = Path(package), Path(allowed)
    result = {}
    for path in sorted(package.rglob("*.py")):
        if allowed in path.parents:
            continue
        found = writes_in(path.read_text(), str(path))
        if found:
            result[str(path)] = found
    return result
