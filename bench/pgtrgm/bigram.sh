#!/bin/bash
# bench/pgtrgm: a GIN over the 1- and 2-character substrings, for queries shorter than 3 characters (docs/postgres.md).
set -e
d=$(mktemp -d /tmp/pgt.XXXXXX)
trap '"$(dirname "$0")/../../scripts/pg-local" stop "$d" 2>/dev/null' EXIT
uri=$("$(dirname "$0")/../../scripts/pg-local" start "$d" 2>/dev/null)
q() { psql "$uri" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -c "create table t(id int primary key, title text not null)" -c "\copy t from '/tmp/pgtrgm-titles.tsv'"
q <<'SQL'
-- every 1- and 2-character substring of a text: a GIN over it serves queries of 1-2 characters
CREATE FUNCTION qd_grams12(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (SELECT substr(t, i, 1) g FROM generate_series(1, char_length(t)) i
   UNION ALL SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) i) s $$;
SQL
q -c "\timing on" -c "create index t_g12 on t using gin (qd_grams12(title))" | sed 's/^/create bigram index: /'
q -c "vacuum analyze t" -c "select 'bigram index size: '||pg_size_pretty(pg_relation_size('t_g12'))"
for s in 河口 福田 渡 嘴; do
  n=$(q -c "select count(*) from t where qd_grams12(title) @> array['$s'] and strpos(title, '$s') > 0")
  truth=$(q -c "select count(*) from t where strpos(title, '$s') > 0")
  echo "--- '$s': rows $n (strpos scan: $truth)"
  q -c "explain (analyze, costs off, timing off) select count(*) from t where qd_grams12(title) @> array['$s'] and strpos(title, '$s') > 0" | grep -E 'Scan on|Execution' | sed 's/^ */    /'
  q -c "\timing on" -c "select count(*) from t where strpos(title, '$s') > 0" -c "select count(*) from t where strpos(title, '$s') > 0" | grep Time | tail -1 | sed 's/^/    strpos seq scan: /'
done
