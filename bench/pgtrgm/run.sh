#!/bin/bash
# bench/pgtrgm: Chinese substring search on pg_trgm under one locale (docs/postgres.md); python3 gen.py first.
# usage: run.sh LABEL [initdb locale options...]
set -e
label=$1; shift
d=$(mktemp -d /tmp/pgt.XXXXXX)
trap '"$(dirname "$0")/../../scripts/pg-local" stop "$d" 2>/dev/null' EXIT
uri=$("$(dirname "$0")/../../scripts/pg-local" start "$d" "$@" 2>/dev/null)
q() { psql "$uri" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
echo "===== $label: initdb $*"
q -c "select 'datcollate='||datcollate||' datctype='||datctype||' provider='||datlocprovider::text||' icu='||coalesce(daticulocale,'-') from pg_database where datname=current_database()"
q -c "create extension pg_trgm" -c "create table t(id int primary key, title text not null)"
q -c "\copy t from '/tmp/pgtrgm-titles.tsv'"
q -c "\timing on" -c "create index t_trgm on t using gin (title gin_trgm_ops)" | sed 's/^/create index: /'
q -c "vacuum analyze t"
q -c "select 'index size: '||pg_size_pretty(pg_relation_size('t_trgm'))"
q -c "select 'show_trgm(新河口村道路硬化) = '||show_trgm('新河口村道路硬化')::text"
q -c "select 'show_trgm(河口) = '||show_trgm('河口')::text"
for pat in '%河口%' '%河口村%' '%新河口村三组%'; do
  for op in ILIKE LIKE; do
    q -c "select 1 from t where title $op '$pat' limit 1" >/dev/null  # warm
    plan=$(q -c "explain (analyze, costs off, timing off) select count(*) from t where title $op '$pat'")
    n=$(q -c "select count(*) from t where title $op '$pat'")
    truth=$(q -c "set enable_bitmapscan=off; set enable_indexscan=off; select count(*) from t where strpos(title, replace('$pat','%','')) > 0" | tail -1)
    echo "--- title $op '$pat': rows $n (strpos scan: $truth)"
    echo "$plan" | grep -E 'Scan|Rows Removed|Index Recheck|Heap Blocks|Execution' | sed 's/^ */    /'
  done
done
q -c "\timing on" -c "set enable_bitmapscan=off" -c "select count(*) from t where strpos(title, '河口') > 0" -c "select count(*) from t where strpos(title, '河口') > 0" | grep -i time | tail -1 | sed 's/^/strpos seq scan, 2 chars: /'
q -c "\timing on" -c "select count(*) from t where title ILIKE '%河口村%'" -c "select count(*) from t where title ILIKE '%河口村%'" | grep -i time | tail -1 | sed 's/^/ILIKE %河口村% (planner choice): /'
q -c "\timing on" -c "select count(*) from t where title ILIKE '%河口%'" -c "select count(*) from t where title ILIKE '%河口%'" | grep -i time | tail -1 | sed 's/^/ILIKE %河口% (planner choice): /'
q -c "\timing on" -c "select id from t where title ILIKE '%河口%' order by id desc limit 20" -c "select id from t where title ILIKE '%河口%' order by id desc limit 20" | grep -i time | tail -1 | sed 's/^/ILIKE %河口% page of 20 by id desc: /'
