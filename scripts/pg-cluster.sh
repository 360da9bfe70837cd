#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite, from the machine's PostgreSQL 15 binaries.
#   scripts/pg-cluster.sh start DIR PORT   -> prints a DATABASE_URL
#   scripts/pg-cluster.sh stop DIR
# PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail
action=$1 dir=$2 port=${3:-54329}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL server binaries were not found (looked in /usr/lib/postgresql/*/bin)." >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w \
      -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres goldthread
    encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir")
    echo "postgres://postgres@${encoded}:${port}/goldthread"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$dir.initdb.log"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
