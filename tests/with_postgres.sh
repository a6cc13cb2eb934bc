#!/usr/bin/env bash
# Run a command (the test suite) against a throwaway PostgreSQL server on loopback.
# Starts Debian's PostgreSQL in a temporary directory, exports TEST_DATABASE_URL, and
# removes the server afterwards. Says clearly, and succeeds, when no server can be started.
set -uo pipefail

skip() {
  echo
  echo "==================================================================="
  echo "SKIPPED the PostgreSQL run: $1"
  echo "The suite ran on SQLite only."
  echo "==================================================================="
  exit 0
}

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  exec "$@"
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || skip "PostgreSQL is not installed (apt-get install postgresql)."

dir=$(mktemp -d /tmp/fitr-pg.XXXXXX)
as_db_user=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || skip "running as root and there is no 'postgres' user to run the server."
  chown postgres "$dir"
  as_db_user=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${as_db_user[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_db_user[@]}" "$pgbin/initdb" -D "$dir/data" -U fitr -A trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; skip "initdb failed."; }
"${as_db_user[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null 2>&1 || { cat "$dir/server.log"; skip "the server did not start."; }
"${as_db_user[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U fitr fitr_test || skip "createdb failed."

echo "tests: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export TEST_DATABASE_URL="postgresql+psycopg://fitr@127.0.0.1:$port/fitr_test"
"$@"
