#!/bin/bash
# bench/pg-migrate.sh: the time of `qingdan migrate` (docs/postgres.md §8) on a database of N tasks
# made by bench/gen, into a throwaway scripts/pg-local cluster.  From the repository root, after
# `make all` and `make -f bench/Makefile BUILD=build build/bench/gen`:
#   bench/pg-migrate.sh [N=100000] [existing SQLite file with its .key, instead of generating]
set -e
n=${1:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d /tmp/qd-pgmig.XXXXXX)
pg=$(mktemp -d /tmp/qd-pgmig-pg.XXXXXX) # its own: the server's user must be able to enter it
trap '"$root/scripts/pg-local" stop "$pg" 2>/dev/null || true; rmdir "$pg" 2>/dev/null; rm -rf "$d"' EXIT
if [ -n "${2:-}" ]; then
  cp "$2" "$d/src.db"; cp "$2.key" "$d/src.db.key"
else
  "$root/build/bench/gen" --db "$d/src.db" --tasks "$n" | tail -1
fi
uri=$("$root/scripts/pg-local" start "$pg" 2>/dev/null)
psql "$uri" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE qd_bench TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "migrate process: %e s wall, %U s user, %S s sys, %M KB resident" \
  "$root/build/qingdan" migrate --from "$d/src.db" --to "${uri%/postgres}/qd_bench"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
psql "${uri%/postgres}/qd_bench" -X -At -c "SELECT 'on PostgreSQL: ' || pg_size_pretty(pg_database_size(current_database()))"
