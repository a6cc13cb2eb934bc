"""`make bench` through a real server keeps working (here at 3 and 8 clients, a few requests,
no in-process part): each page and action is timed through gunicorn beside its bare route, and
docs/benchmarks.md gets the machine, the date and a table per size. Times are for a quiet
machine, so they are not asserted; query counts are, and they do not grow with the clients."""

import re

import pytest
from bench_http import main

PAGES = ["Calendar page (coach, month)", "Switch client (calendar fragment)", "Client switcher search", "Programs", "Clients", "Program page",
         "Client's Today", "Save a session (6 rows)", "Log a session"]  # fmt: skip


@pytest.mark.own_servers
def test_make_bench_times_every_page_through_gunicorn_beside_its_floor(tmp_path):
    out = tmp_path / "benchmarks.md"
    assert main(["--clients", "3,8", "--requests", "3", "--in-process-runs", "0", "--out", str(out)]) == 0
    document = out.read_text()
    assert "**Machine:**" in document and "cores" in document and "gunicorn, 2 sync workers" in document
    assert re.search(r"on \d{4}-\d{2}-\d{2} at \d{2}:\d{2}", document)
    sizes = document.split("### ")[1:]
    assert [size.splitlines()[0] for size in sizes] == ["3 clients", "8 clients"]
    queries = []
    for size in sizes:
        rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in size.splitlines() if line.startswith("| ")}
        assert set(PAGES) <= set(rows)
        for page in PAGES:
            _, median, p95, bare, bare_p95, ratio, count, size_bytes = rows[page]
            assert median.endswith(" ms") and bare.endswith(" ms") and float(ratio) > 0
            assert int(size_bytes.rstrip(" |").replace(",", "")) > 0
        queries.append({page: int(rows[page][6]) for page in PAGES})
    assert queries[0] == queries[1]
    # The targets, judged on the largest size (without the in-process part: "not run" there)
    targets = document.split("## Targets at 8 clients")[1].split("## Results")[0]
    rows = [line.split(" | ") for line in targets.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row[0].lstrip("| ") for row in rows] == ["Program page under 15 ms", "Clients under 15 ms",
                                                      "Client switcher search under 5 ms", "Calendar fragment within 5 × the bare route"]  # fmt: skip
    assert all(row[2] == "not run" and row[3].rstrip(" |") in ("yes", "NO") for row in rows)
