#!/usr/bin/env bash
# Runs the whole suite on SQLite, then again on a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOLDTHREAD_MODE=test DJANGO_ALLOW_ASYNC_UNSAFE=true
py=.venv/bin/python

echo "== Lint (ruff)"
.venv/bin/ruff check .

echo "== Test suite on SQLite"
unset DATABASE_URL
$py -m pytest "$@"

echo "== Test suite on PostgreSQL"
pgdir=$(mktemp -d /tmp/goldthread-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
port=$((54000 + RANDOM % 900))
DATABASE_URL=$(scripts/pg-cluster.sh start "$pgdir" "$port")
export DATABASE_URL
$py -m pytest "$@"
