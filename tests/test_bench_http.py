"""`make bench` through a real server keeps working (here at 3 and 8 clients, a few requests,
no in-process part): each page and action is timed through gunicorn beside its bare route, and
docs/benchmarks.md gets the machine, the date and a table per size. Times are for a quiet
machine, so they are not asserted; query counts are, and they do not grow with the clients."""

import re
import tempfile
import time
from pathlib import Path

import pytest
from bench_calendar import timed
from bench_http import NOW, bench_clock, in_process, main, measured, over_http, prepare

PAGES = ["Home", "Calendar page (coach, month)", "Switch client (calendar fragment)", "Calendar fragment unchanged (304)",
         "Client switcher search", "Programs", "Clients", "Program page", "Client's Today", "Save a session (6 rows)",
         "Log a session", "Done as prescribed (24 sets)"]  # fmt: skip
TARGETS = ["Home within 8 × the bare route", "Clients within 8 × the bare route", "Program page within 8 × the bare route",
           "Switch client (calendar fragment) within 3 × the bare route",
           "Calendar fragment unchanged (304) within 1.5 × the bare route", "Client switcher search under 5 ms"]  # fmt: skip


@pytest.mark.own_servers
def test_make_bench_times_every_page_through_gunicorn_beside_its_floor(tmp_path):
    out = tmp_path / "benchmarks.md"
    assert main(["--clients", "3,8", "--requests", "3", "--in-process-runs", "0", "--out", str(out)]) == 0
    document = out.read_text()
    assert "**Machine:**" in document and "cores" in document and "gunicorn, 2 sync workers" in document
    assert re.search(r"on \d{4}-\d{2}-\d{2} at \d{2}:\d{2}", document)
    assert f"**Clock:** {NOW:%A %-d %B %Y, %H:%M} UTC" in document
    sizes = document.split("### ")[1:]
    assert [size.splitlines()[0] for size in sizes] == ["3 clients", "8 clients"]
    queries = []
    for size in sizes:
        rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in size.splitlines() if line.startswith("| ")}
        assert set(PAGES) <= set(rows)
        for page in PAGES:
            _, median, p95, bare, bare_p95, ratio, count, size_bytes = rows[page]
            assert median.endswith(" ms") and bare.endswith(" ms") and float(ratio) > 0
            assert int(size_bytes.rstrip(" |").replace(",", "")) > (0 if page != "Calendar fragment unchanged (304)" else -1)
        queries.append({page: int(rows[page][6]) for page in PAGES})
    assert queries[0] == queries[1]
    # The targets, judged on the largest size (without the in-process part: "not run" there)
    targets = document.split("## Targets at 8 clients")[1].split("## Results")[0]
    rows = [line.split(" | ") for line in targets.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row[0].lstrip("| ") for row in rows] == TARGETS
    assert all(row[2] == "not run" and row[3].rstrip(" |") in ("yes", "NO") for row in rows)
    assert all(re.fullmatch(r"\d+\.\d × \(\d+\.\d ms\)", row[1]) for row in rows[:5])


@pytest.mark.own_servers
def test_each_page_and_its_bare_route_take_turns_over_one_visitors_connection():
    """Real, bare, real, bare...: a busier moment of the machine weighs on both, and both go
    over the same client's connection (its cookies, its keep-alive), so the ratio compares
    like with like."""
    since = time.time()
    with bench_clock(since):
        workdir = tempfile.mkdtemp(prefix="fitr-bench-test-")
        url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        ids = prepare(url, 3)
        counts, bodies = in_process(url, ids)
        only = ["Home", "Calendar fragment unchanged (304)"]
        results, people = over_http(url, ids, bodies, 4, workdir, since, only)
    assert set(results) == set(only)
    home = [path for _, path in people["coach"].sent if path in ("/home", "/_bench/bare/Home")]
    assert home == ["/home", "/_bench/bare/Home"] * 9  # 5 to warm up, then the 4 timed
    switch = next(path for name, _, _, path, _ in measured(ids) if name == "Calendar fragment unchanged (304)")
    fragment = [path for _, path in people["coach"].sent if path in (switch, "/_bench/bare/Calendar%20fragment%20unchanged%20%28304%29")]
    assert fragment[0] == switch  # the browser's copy first (its ETag), then the 304s beside their floor
    assert fragment[1:] == [switch, "/_bench/bare/Calendar%20fragment%20unchanged%20%28304%29"] * 9


def test_in_process_timings_take_turns_with_the_bare_route():
    calls = []
    (median, _), (floor_median, _) = timed(3, lambda: calls.append("real"), lambda: calls.append("bare"))
    assert calls == ["real", "bare"] * 3 and median >= 0 and floor_median >= 0
