"""The PostgreSQL backend's first part (issue 8): `qingdan schema --db postgres://…` checks the server
and creates the schema — the same tables and columns as SQLite's, text search that finds Chinese.

Runs against the throwaway cluster tests/run starts (QD_TEST_PG); each check makes its own database.
What a user (an operator) would notice: a server that could lose acknowledged writes accepted, a
database where Chinese search matches everything or nothing, a schema that differs from SQLite's
in a column, a half-made schema after a refusal, two servers starting at once migrating twice."""
import os
import re
import sqlite3
import tempfile
import threading
import qd

PG = qd.Pg("qd_schema")
uri_for, psql, new_db = PG.uri, PG.psql, PG.new_db


def schema(db):
    return qd.run("schema", "--db", uri_for(db))


def tables(db):
    return set(psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", db).split())


# --- a good database: the schema, once, idempotent ------------------------------------------------
good = new_db()
r = schema(good)
qd.ok(r.returncode == 0 and "schema version 4" in r.stdout, "qingdan schema creates the schema (version 4)",
      r.stdout + r.stderr)
r2 = schema(good)
qd.ok(r2.returncode == 0 and "schema version 4" in r2.stdout, "a second run finds it current and changes nothing",
      r2.stdout + r2.stderr)
qd.ok(psql("SELECT value FROM meta WHERE key = 'backend'", good) == "postgres",
      "meta records the backend, so a program can refuse the wrong one")

# --- the same tables and columns as SQLite's -----------------------------------------------------
d = tempfile.mkdtemp(prefix="qd-test-")
lite = os.path.join(d, "t.db")
r = qd.run("init", "--db", lite)
qd.ok(r.returncode == 0, "a SQLite database to compare with (qingdan init)", r.stderr)
con = sqlite3.connect(lite)
lite_tables = [t for (t,) in con.execute(
    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' "
    "AND name NOT LIKE '%fts_%' ORDER BY name")]
TYPES = {"INTEGER": "bigint", "TEXT": "text", "BLOB": "bytea"}
diffs = []
for t in lite_tables:
    lcols = [(name, TYPES.get(typ.upper(), typ), bool(notnull), dflt)
             for _, name, typ, notnull, dflt, pk in con.execute(f"PRAGMA table_info({t})")]  # sql-ident: from sqlite_master
    rows = psql("SELECT column_name, data_type, is_nullable, coalesce(column_default, '') FROM information_schema.columns "
                f"WHERE table_schema = 'public' AND table_name = '{t}' ORDER BY ordinal_position", good)
    pcols = []
    for line in rows.splitlines():
        name, typ, nullable, dflt = line.split("|")
        pcols.append((name, typ, nullable == "NO", dflt))
    if not pcols:
        diffs.append(f"{t}: missing on PostgreSQL")
        continue
    if [c[0] for c in lcols] != [c[0] for c in pcols]:
        diffs.append(f"{t}: columns {[c[0] for c in lcols]} vs {[c[0] for c in pcols]}")
        continue
    for lc, pc in zip(lcols, pcols):
        name = lc[0]
        # event.payload is declared TEXT on SQLite and holds the packed BLOB since schema 7: bytea here
        want_type = "bytea" if (t, name) == ("event", "payload") else lc[1]
        if pc[1] != want_type:
            diffs.append(f"{t}.{name}: type {lc[1]} vs {pc[1]}")
        # a primary key is NOT NULL on PostgreSQL whatever it says on SQLite
        if lc[2] != pc[2] and not (pc[2] and any(name == c for c in ("id", "seq", "key", "date", "token_hash",
                                                                           "user_id", "problem_id", "phone_hash"))):
            diffs.append(f"{t}.{name}: NOT NULL {lc[2]} vs {pc[2]}")
        ld = (lc[3] or "").strip("'")
        pd = re.sub(r"::[a-z ]+$", "", pc[3]).strip("'")
        if ld != pd:
            diffs.append(f"{t}.{name}: DEFAULT {lc[3]!r} vs {pc[3]!r}")
con.close()
qd.ok(len(lite_tables) >= 15 and not diffs,
      f"every one of SQLite's {len(lite_tables)} tables has the same columns, types, NOT NULL and defaults on PostgreSQL",
      diffs[:20])
extra = tables(good) - set(lite_tables)
qd.ok(extra == {"chain_head"}, "PostgreSQL adds only chain_head (the shared head of the chain for several servers)",
      sorted(extra))

# --- Chinese text search: the index finds substrings, exactly ------------------------------------
psql("INSERT INTO unit VALUES (1, NULL, '监利市', 'county', '', '/1/', 0);"
     "INSERT INTO problem(id, code, unit_id, unit_path, source, description, state, created_by, created_at, updated_at) "
     "SELECT i, 'C' || i, 1, '/1/', 'visit', "
     "(ARRAY['新河口村','白螺镇','网市镇','周老嘴镇','黄歇口镇'])[1 + i % 5] || (i % 10) || '组' || "
     "(ARRAY['道路硬化','路灯不亮','饮水不安全','河口排涝','厕所改造'])[1 + (i / 5) % 5], "
     "'new', 1, 0, 0 FROM generate_series(1, 20000) i; ANALYZE problem;", good)


def count(where):
    return int(psql(f"SELECT count(*) FROM problem WHERE {where}", good))


def plan(where):
    return psql(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM problem WHERE {where}", good)


for q in ("新河口村", "河口村5组", "河口", "口", "镇7组路灯"):
    like = count(f"description LIKE '%{q}%'")
    truth = count(f"strpos(description, '{q}') > 0")
    qd.ok(like == truth and truth > 0, f"LIKE '%{q}%' finds exactly what a scan finds ({truth} rows)", (like, truth))
p = plan("description LIKE '%新河口村%'")
removed = re.search(r"Rows Removed by Index Recheck: (\d+)", p)
qd.ok("problem_text" in p and (not removed or int(removed.group(1)) == 0),
      "three or more Chinese characters are answered by the trigram index, no row rechecked away", p)

# --- refusals: named, and nothing made ------------------------------------------------------------
c_db = new_db("TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
r = schema(c_db)
qd.ok(r.returncode != 0 and "lc_ctype" in r.stderr and "Chinese" in r.stderr,
      "a database with LC_CTYPE C is refused, naming lc_ctype (Chinese search would match every row)", r.stderr)
qd.ok(not tables(c_db), "and nothing is created in it", tables(c_db))
ascii_db = new_db("TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C'")
r = schema(ascii_db)
qd.ok(r.returncode != 0 and "encoding" in r.stderr and "UTF8" in r.stderr, "a SQL_ASCII database is refused, naming the encoding",
      r.stderr)
qd.ok(not tables(ascii_db), "and nothing is created in it", tables(ascii_db))

sc = new_db()
psql(f"ALTER DATABASE {sc} SET synchronous_commit = off")
r = schema(sc)
qd.ok(r.returncode != 0 and "synchronous_commit" in r.stderr and "off" in r.stderr,
      "synchronous_commit = off is refused, naming the setting", r.stderr)
qd.ok(not tables(sc), "and nothing is created", tables(sc))
for setting in ("fsync", "full_page_writes"):
    fresh = new_db()
    psql(f"ALTER SYSTEM SET {setting} = off")
    psql("SELECT pg_reload_conf()")
    try:
        import time
        for _ in range(50):  # the reload reaches new backends within moments
            if psql(f"SHOW {setting}", fresh) == "off":
                break
            time.sleep(0.1)
        r = schema(fresh)
    finally:
        psql(f"ALTER SYSTEM RESET {setting}")
        psql("SELECT pg_reload_conf()")
    qd.ok(r.returncode != 0 and setting in r.stderr and "lost" in r.stderr,
          f"{setting} = off is refused, naming it (an acknowledged write could be lost)", r.stderr)
    qd.ok(not tables(fresh), f"and nothing is created ({setting})", tables(fresh))

bad = qd.run("schema", "--db", uri_for("no_such_database_here"))
qd.ok(bad.returncode != 0 and "no_such_database_here" in bad.stderr and "PostgreSQL" in bad.stderr,
      "a database that does not exist: the server's own message", bad.stderr)

# --- two servers starting at once migrate once ----------------------------------------------------
both = new_db()
results = []
ts = [threading.Thread(target=lambda: results.append(schema(both))) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
qd.ok(len(results) == 3 and all(x.returncode == 0 and "schema version 4" in x.stdout for x in results),
      "three `qingdan schema` at once on an empty database all end at version 4",
      [(x.returncode, x.stdout, x.stderr) for x in results])
qd.ok(psql("SELECT count(*) FROM chain_head", both) == "1", "one schema, one chain head")

# --- what PostgreSQL takes: serve and demo need the key named; backup refuses it (pg_dump does that) ---
for cmd in (["serve"], ["demo"]):
    r = qd.run(*cmd, "--db", uri_for(good))
    qd.ok(r.returncode != 0 and "--key" in r.stderr, f"qingdan {cmd[0]} on PostgreSQL without --key is refused, naming it",
          (r.returncode, r.stderr))
for cmd in (["backup", "--to", "/tmp/never"],):
    r = qd.run(*cmd, "--db", uri_for(good))
    qd.ok(r.returncode == 2 and "PostgreSQL" in r.stderr, f"qingdan {cmd[0]} refuses a postgres:// database, saying why",
          (r.returncode, r.stderr))
r = qd.run("schema", "--db", lite)
qd.ok(r.returncode == 2 and "postgres://" in r.stderr, "qingdan schema refuses a SQLite file, saying why", r.stderr)
qd.done()
