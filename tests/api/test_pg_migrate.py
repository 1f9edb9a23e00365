"""`qingdan migrate --from FILE --to postgres://…` (issue 8 §6): a county's SQLite database moved into
PostgreSQL, verified on arrival, never into a database that holds anything.

Runs against the throwaway cluster tests/run starts (QD_TEST_PG); each check makes its own database.
What an operator would notice: a row, a session or a payload lost or changed on the way; a chain
head that is not SQLite's; a second run that doubles or mixes data; a tampered source accepted;
an unusable target (C ctype) filled; the key file silently left behind or put in the database."""
import os
import shutil
import sqlite3
import tempfile
import qd

PG = qd.Pg("qd_migrate")
uri_for, psql, new_db = PG.uri, PG.psql, PG.new_db

TABLES = ["unit", "user", "user_grant", "category", "calendar_day", "setting", "visit", "task", "problem",
          "problem_pii", "phone_index", "credential", "session", "event"]
BYTEA = {("event", "payload"), ("event", "prev_hash"), ("event", "hash"), ("session", "token_hash")}


def migrate(src, db, *extra):
    return qd.run("migrate", "--from", src, "--to", uri_for(db), *extra, timeout=600)


def pg_tables(db):
    return set(psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", db).split())


def pg_counts(db):
    return {t: int(psql(f'SELECT count(*) FROM "{t}"', db)) for t in TABLES}  # sql-ident: fixed list


def lite_counts(path):
    con = sqlite3.connect(path)
    c = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES if t != "phone_index"}  # sql-ident
    # SQLite's phone index is kept in batches after commit; PostgreSQL gets it complete
    c["phone_index"] = con.execute("SELECT count(*) FROM (SELECT phone_hash, problem_id FROM phone_index UNION "
                                   "SELECT phone_hash, problem_id FROM problem_pii WHERE phone_hash IS NOT NULL)").fetchone()[0]
    con.close()
    return c


def copy_sqlite(src, dst):
    """A consistent copy of a SQLite database (and its key) that sqlite3 can then change."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close()
    b.close()
    shutil.copy(src + ".key", dst + ".key")


def log_payloads(path):
    """seq → payload JSON text, as `qingdan log` (the project's own unpacker) reads the file."""
    r = qd.run("log", "--db", path)
    import json
    out = {}
    for line in r.stdout.splitlines():
        o = json.loads(line)
        out[o["seq"]] = json.dumps(o.get("payload"), sort_keys=True, ensure_ascii=False)
    return out, r


def payloads_through_log(src, db, seqs):
    """The payloads PostgreSQL holds for seqs, put back into a copy of src and read by `qingdan log`:
    do the bytes on PostgreSQL unpack to the same text?"""
    rows = psql(f"SELECT seq, encode(payload, 'hex') FROM event WHERE seq IN ({','.join(map(str, seqs))})", db)
    got = dict((int(a), bytes.fromhex(b)) for a, b in (l.split("|") for l in rows.splitlines()))
    d = tempfile.mkdtemp(prefix="qd-test-")
    cp = os.path.join(d, "back.db")
    copy_sqlite(src, cp)
    con = sqlite3.connect(cp)
    for s, p in got.items():
        con.execute("UPDATE event SET payload = ? WHERE seq = ?", (p, s))
    con.commit()
    con.close()
    texts, _ = log_payloads(cp)
    shutil.rmtree(d, True)
    return {s: texts.get(s) for s in got}


def contents_equal(path, db, t):
    """Every row of t, column by column, on both (bytea as hex)."""
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]  # sql-ident: fixed list
    lsel = ", ".join(f'lower(hex("{c}"))' if (t, c) in BYTEA else f'"{c}"' for c in cols)  # sql-ident
    lite = [tuple("" if v is None else str(v) for v in row)
            for row in con.execute(f'SELECT {lsel} FROM "{t}" ORDER BY 1')]  # sql-ident
    con.close()
    psel = ", ".join(f"encode(\"{c}\", 'hex')" if (t, c) in BYTEA else f'"{c}"' for c in cols)  # sql-ident
    out = psql(f'SELECT {psel} FROM "{t}" ORDER BY 1', db, sep="\x1f")  # sql-ident
    pg = [tuple(line.split("\x1f")) for line in out.split("\n")] if out else []
    return lite == pg, (lite[:2], pg[:2])


# --- a demo county, with sessions, into a fresh database -----------------------------------------
srv = qd.Server.demo()
for who in ("dispatch", "handler", "admin"):
    srv.login(who)
srv.stop()
src = srv.db
good = new_db()
r = migrate(src, good)
qd.ok(r.returncode == 0 and "copied" in r.stdout and "verified on arrival" in r.stdout,
      "qingdan migrate moves the demo database into an empty PostgreSQL database", r.stdout + r.stderr)
qd.ok(all(f"  {t} " in r.stdout for t in TABLES) and " rows/s)" in r.stdout and " s in all" in r.stdout,
      "it prints the rows of every table and the time taken", r.stdout)
key = os.path.realpath(src + ".key")
qd.ok(key in r.stdout and "--key" in r.stdout and "not in the database" in r.stdout,
      "it says the key file is not in the database, where it is, and that the deployment needs it (--key)", r.stdout)
want, got = lite_counts(src), pg_counts(good)
qd.ok(want == got and got["event"] > 1000 and got["session"] == 3 and got["problem"] > 100,
      f"every table has as many rows on PostgreSQL as in SQLite ({got['event']} events, {got['task']} tasks)",
      (want, got))
bad = [t for t in TABLES if t not in ("event", "phone_index") and not contents_equal(src, good, t)[0]]
qd.ok(not bad, "and the same rows, column for column (session tokens' hashes as bytea)",
      [(t, contents_equal(src, good, t)[1]) for t in bad])
con = sqlite3.connect(src)
last_seq, last_hash = con.execute("SELECT seq, lower(hex(hash)) FROM event ORDER BY seq DESC LIMIT 1").fetchone()
ev_hashes = con.execute("SELECT seq, lower(hex(hash)), lower(hex(prev_hash)), lower(hex(payload)), typeof(payload) "
                        "FROM event ORDER BY seq").fetchall()
con.close()
qd.ok(psql("SELECT seq || ' ' || encode(hash, 'hex') FROM chain_head", good) == f"{last_seq} {last_hash}",
      "chain_head holds SQLite's last seq and hash", (psql("SELECT * FROM chain_head", good), last_seq, last_hash))
pg_ev = [tuple(l.split("|")) for l in psql(
    "SELECT seq, encode(hash, 'hex'), encode(prev_hash, 'hex'), encode(payload, 'hex') FROM event ORDER BY seq", good).splitlines()]
qd.ok([(str(a), b, c) for a, b, c, _, _ in ev_hashes] == [x[:3] for x in pg_ev],
      "every event keeps its hash and prev_hash", (ev_hashes[:1], pg_ev[:1]))
qd.ok(all(t == "blob" for *_, t in ev_hashes) and [d for *_, d, _ in ev_hashes] == [x[3] for x in pg_ev],
      "packed payloads arrive byte for byte")
texts, lr = log_payloads(src)
seqs = sorted({1, 2, last_seq // 3, last_seq // 2, last_seq - 1, last_seq} | set(range(7, last_seq, max(1, last_seq // 25))))
back = payloads_through_log(src, good, seqs)
qd.ok(lr.returncode == 0 and len(back) == len(seqs) and all(back[s] == texts[s] and texts[s] for s in seqs),
      f"a sample of {len(seqs)} payloads read from PostgreSQL unpacks to the text `qingdan log` shows for SQLite",
      [(s, texts.get(s), back.get(s)) for s in seqs if back.get(s) != texts.get(s)][:3])
qd.ok(psql("SELECT key FROM meta ORDER BY key", good).split() == ["backend", "org_version", "schema_version"] and
      psql("SELECT value FROM meta WHERE key = 'backend'", good) == "postgres",
      "meta keeps PostgreSQL's own rows only (no fts_problem_upto, no SQLite schema_version)",
      psql("SELECT * FROM meta", good))

plain = new_db()
qd.run("schema", "--db", uri_for(plain))
DEFS = ("SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' UNION ALL "
        "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
        "ORDER BY 1")
qd.ok(psql(DEFS, good) == psql(DEFS, plain) and psql(DEFS, good).count("\n") > 30,
      "the indexes and constraints migrate set aside during COPY are all back, as `qingdan schema` makes them",
      set(psql(DEFS, good).splitlines()) ^ set(psql(DEFS, plain).splitlines()))

# --- a second migrate into the same target is refused and changes nothing ------------------------
r2 = migrate(src, good)
qd.ok(r2.returncode == 1 and "not empty" in r2.stderr and good in r2.stderr and "event" in r2.stderr,
      "a second migrate into the same database is refused, naming the target and the table", r2.stderr)
qd.ok(pg_counts(good) == got and psql("SELECT encode(hash, 'hex') FROM chain_head", good) == last_hash,
      "and changes nothing")
part = new_db()
qd.ok(migrate(src, part).returncode == 0, "(another fresh target)")
psql("DELETE FROM event", part)
r3 = migrate(src, part)
qd.ok(r3.returncode == 1 and "not empty" in r3.stderr and "unit" in r3.stderr,
      "a target whose log is empty but whose projections are not is refused too", r3.stderr)

# --- sqlite://FILE, and a source that is missing -------------------------------------------------
fresh = new_db()
r = migrate("sqlite://" + src, fresh)
qd.ok(r.returncode == 0 and pg_counts(fresh) == got, "--from sqlite://FILE is taken as FILE", r.stderr)
missing = new_db()
r = migrate(os.path.join(os.path.dirname(src), "no-such.db"), missing)
qd.ok(r.returncode == 1 and "no-such.db" in r.stderr and "does not exist" in r.stderr,
      "a missing source fails clearly, naming it", r.stderr)
qd.ok(not pg_tables(missing), "and the target is not touched", pg_tables(missing))
r = qd.run("migrate", "--from", src)
qd.ok(r.returncode == 2 and "--to" in r.stderr, "--to is required", r.stderr)
r = qd.run("migrate", "--from", src, "--to", src)
qd.ok(r.returncode == 1 and "postgres://" in r.stderr, "--to must be a PostgreSQL URI", r.stderr)
wk = os.path.join(os.path.dirname(src), "wrong.key")
with open(wk, "wb") as f:
    f.write(os.urandom(32))
wrong = new_db()
r = migrate(src, wrong, "--key", wk)
qd.ok(r.returncode == 1 and "wrong.key" in r.stderr and "does not open" in r.stderr,
      "a key that does not open the sealed personal data is refused before anything is copied", r.stderr)

# --- a target PostgreSQL's text search could not work on -----------------------------------------
c_db = new_db("TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
r = migrate(src, c_db)
qd.ok(r.returncode == 1 and "lc_ctype" in r.stderr.lower() and "Chinese" in r.stderr,
      "a target with LC_CTYPE C is refused (pg_schema_apply), naming lc_ctype", r.stderr)
qd.ok(not pg_tables(c_db), "and nothing is made in it", pg_tables(c_db))

# --- a tampered source is refused on arrival and leaves the target empty --------------------------
d = tempfile.mkdtemp(prefix="qd-test-")
tam = os.path.join(d, "tampered.db")
copy_sqlite(src, tam)
victim = last_seq // 2
con = sqlite3.connect(tam)
(p,) = con.execute("SELECT payload FROM event WHERE seq = ?", (victim,)).fetchone()
b = bytearray(p)
b[len(b) // 2] ^= 0x01
con.execute("UPDATE event SET payload = ? WHERE seq = ?", (bytes(b), victim))
con.commit()
con.close()
target = new_db()
r = migrate(tam, target)
qd.ok(r.returncode == 1 and f"seq {victim}:" in r.stderr and "verification on arrival failed" in r.stderr,
      f"a source with one event's payload bytes changed is refused on arrival, naming seq {victim}", r.stderr)
qd.ok(all(v == 0 for v in pg_counts(target).values()) and psql("SELECT seq FROM chain_head", target) == "0",
      "and the target is left empty (its schema only)", pg_counts(target))
con = sqlite3.connect(tam)
con.execute("UPDATE event SET payload = ? WHERE seq = ?", (p, victim))
con.execute("UPDATE event SET at = at + 1 WHERE seq = ?", (victim + 1,))
con.commit()
con.close()
r = migrate(tam, target)
qd.ok(r.returncode == 1 and f"seq {victim + 1}:" in r.stderr and "hash differs" in r.stderr,
      "an event whose time was changed is refused: its hash differs", r.stderr)
con = sqlite3.connect(tam)
con.execute("UPDATE event SET at = at - 1 WHERE seq = ?", (victim + 1,))
con.commit()
con.close()
r = migrate(tam, target)
qd.ok(r.returncode == 0 and pg_counts(target) == got, "put back, the same copy migrates into that target", r.stderr)

# --- an old database (schema 3, payloads stored as TEXT) is upgraded first, then packed -----------
v3 = qd.v3_database(os.path.join(d, "v3.db"))
old = new_db()
r = migrate(v3, old)
qd.ok(r.returncode == 0 and "SQLite schema 10" in r.stdout, "a schema-3 database is migrated to schema 10 first, then moved",
      r.stdout + r.stderr)
con = sqlite3.connect(v3)
kinds = dict(con.execute("SELECT typeof(payload), count(*) FROM event GROUP BY 1").fetchall())
con.close()
qd.ok(kinds.get("text", 0) > 0, "(its old events are TEXT in SQLite)", kinds)
qd.ok(psql("SELECT count(*) FROM event WHERE get_byte(payload, 0) NOT IN (1, 2)", old) == "0",
      "on PostgreSQL every payload is in the packed form", psql("SELECT encode(substr(payload, 1, 8), 'escape') FROM event LIMIT 3", old))
texts, _ = log_payloads(v3)
back = payloads_through_log(v3, old, sorted(texts))
qd.ok(back and all(back[s] == texts[s] for s in back), f"all {len(back)} of them unpack to the text of SQLite's rows",
      [(s, texts.get(s), back.get(s)) for s in back if back.get(s) != texts.get(s)][:3])
qd.ok(lite_counts(v3) == pg_counts(old), "and every table's rows arrived", (lite_counts(v3), pg_counts(old)))
shutil.rmtree(d, True)
qd.done()
