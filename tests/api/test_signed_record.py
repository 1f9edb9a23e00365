"""test_signed_record.py — the signed record (issue 9 §7), on both backends.

A server signs its chain heads every second into a heads file and to a webhook (a tiny receiver
here on 127.0.0.1 that refuses its first posts, so the server must retry); `check --heads` passes
on the untouched database, and every tampering within the signed part is found: a payload byte,
an event deleted, one inserted, two reordered (each with or without every later hash recomputed),
an event rewritten with every later hash recomputed, and a truncation with the projections undone
(a copy of the database taken earlier, while later heads were signed).  On SQLite 1,000 random
tamperings, each on a fresh copy of the database file, and 50 untouched copies; on PostgreSQL a
sample of 24 (4 of each kind, each in its own CREATE DATABASE … TEMPLATE copy) and 5 untouched
copies — and two servers on one database: only one signs, and when it stops the other takes
over.  Forged heads (another key, a changed line) and malformed lines are reported."""
import hashlib, http.server, json, os, random, shutil, sqlite3, tempfile, threading, time
from concurrent.futures import ThreadPoolExecutor
import qd

PG = qd.BACKEND == "pg"
rng = random.Random(int(os.environ.get("QD_SEED", "9")))
d = tempfile.mkdtemp(prefix="qd-signed-")

# --- a webhook receiver on another "host" (127.0.0.1, its own port) --------------------------------
FAIL_FIRST = 2
calls, got = [], []
rlock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with rlock:
            calls.append(body)
            refuse = len(calls) <= FAIL_FIRST
            if not refuse:
                got.append((self.headers.get("Content-Type"), body.decode()))
        self.send_response(503 if refuse else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
HOOK = f"http://127.0.0.1:{httpd.server_address[1]}/heads"
HEADS = os.path.join(d, "heads.jsonl")


def heads_lines(path=HEADS):
    try:
        return [l for l in open(path).read().splitlines() if l]
    except FileNotFoundError:
        return []


def max_seq(srv):
    con = srv.connect()
    v = con.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()[0]
    con.close()
    return v


def wait_signed(srv, path=HEADS, timeout=15):
    """Wait until the last head in path is at the log's last seq."""
    want = max_seq(srv)
    end = time.time() + timeout
    while time.time() < end:
        ls = heads_lines(path)
        if ls and json.loads(ls[-1])["seq"] >= want:
            return True
        time.sleep(0.1)
    return False


pg = qd._pg() if PG else None
SIGN_ARGS = ["--sign-every", "1", "--heads-file", HEADS, "--heads-webhook", HOOK]
# A small county made from nothing (a county, a township, a village; an administrator and a grid
# cadre): a log of about a hundred events keeps a thousand checks quick.
if PG:
    DB, KEY = pg.uri(pg.new_db()), os.path.join(d, "t.key")
else:
    DB, KEY = os.path.join(d, "t.db"), None
kargs = ["--key", KEY] if KEY else []
r = qd.run("init", "--db", DB, *kargs, "--root", "监利市")
m = __import__("re").search(r"root unit (\d+)", r.stdout)
assert r.returncode == 0 and m, r.stderr
ROOT = int(m.group(1))
sk = (KEY if KEY else DB) + ".sign"  # DB.sign, or KEY.sign beside a --key file (PostgreSQL)
qd.ok(os.path.exists(sk) and f"signing key {sk}" in r.stdout, "init creates the signing key beside the personal-data key",
      r.stdout)
qd.ok(os.stat(sk).st_mode & 0o777 == 0o600 and os.path.exists(sk + ".pub") and len(open(sk + ".pub").read().strip()) == 64,
      "the signing key is 0600, its public key one hex line in .pub")
PW = "signed-record-1"
r = qd.run("user", "add", "--db", DB, *kargs, "--username", "admin", "--name", "系统管理员", "--unit", str(ROOT), "--role", "admin",
           env={"QD_PASSWORD": PW})
assert r.returncode == 0, r.stderr
srv = qd.Server(DB, key=KEY, args=SIGN_ARGS)
qd.ok(wait_signed(srv), "a server signs its chain head within a second or two of starting (the heads file)")
adm = srv.login("admin", PW)
st, tw = adm.post("/api/v1/units", {"parent_id": ROOT, "name": "周老嘴镇", "kind": "township"})
st2, vi = adm.post("/api/v1/units", {"parent_id": tw["id"], "name": "新沟村", "kind": "village"})
assert st == 201 and st2 == 201, (tw, vi)
UNIT = vi["id"]
r = qd.run("user", "add", "--db", DB, *kargs, "--username", "grid", "--name", "网格员", "--unit", str(UNIT), "--role", "grid",
           env={"QD_PASSWORD": PW})
assert r.returncode == 0, r.stderr
grid = srv.login("grid", PW)


def pg_name(uri):
    """The database name of a postgres:// URI (or a bare name)."""
    return uri.rsplit("/", 1)[-1].split("?")[0]


# Rounds of writes, each signed; a copy of the database after each but the last: a log truncated
# there, with the projections as they were (the truncation an attacker with a backup can make).
snapshots = []
for rnd in range(4):
    for i in range(15):
        st, _ = grid.post("/api/v1/problems", {"unit_id": UNIT, "source": "visit", "description": f"签名记录 第{rnd}轮 第{i}件：路灯不亮"})
        assert st == 201, st
    qd.ok(wait_signed(srv), f"round {rnd}: the head after fifteen intakes is signed within the interval")
    if rnd < 3:
        if PG:
            srv.stop()
            snapshots.append(pg.new_db(f"TEMPLATE {pg_name(srv.db)}"))
            srv.start()
        else:
            snap = os.path.join(d, f"snap{rnd}.db")
            r = qd.run("backup", "--db", srv.db, "--to", snap)
            assert r.returncode == 0, r.stderr
            shutil.copy(srv.db + ".key", snap + ".key")
            snapshots.append(snap)
        grid = srv.login("grid", PW)
srv.stop()  # the last head is signed at the stop, after the writer drained

lines = heads_lines()
heads = [json.loads(l) for l in lines]
last = max_seq(srv)
qd.ok(len(heads) >= 4 and all(set(h) == {"v", "seq", "hash", "at", "key", "sig"} for h in heads)
      and all(a["seq"] < b["seq"] for a, b in zip(heads, heads[1:])),
      f"the heads file holds {len(heads)} signed heads, one JSON line each, seq increasing", lines[:2])
qd.ok(heads[-1]["seq"] == last, f"the last signed head is the log's last event ({last}) after a graceful stop",
      heads[-1])
end = time.time() + 10
while time.time() < end and len(got) < len(lines):
    time.sleep(0.2)
qd.ok([b for _, b in got] == lines and all(t == "application/json" for t, _ in got),
      f"the webhook received every head as JSON, in order ({len(got)} of {len(lines)})",
      {"got": [b for _, b in got][:3], "file": lines[:3]})
qd.ok(len(calls) > len(got) >= 1, f"the webhook's first {FAIL_FIRST} refusals were retried ({len(calls)} posts for {len(got)} heads)")
con = srv.connect()
rows = con.execute("SELECT seq, hash, key_id FROM chain_sig ORDER BY seq").fetchall()
con.close()
qd.ok([(r[0], bytes(r[1]).hex(), r[2]) for r in rows] == [(h["seq"], h["hash"], h["key"]) for h in heads],
      "the table chain_sig holds the same signed heads as the file")

r = qd.run("check", *srv.db_args(), "--heads", HEADS)
qd.ok(r.returncode == 0 and "signed heads: ok" in r.stdout and f"last signed seq {last} of {last}" in r.stdout,
      "check --heads passes on the untouched database", r.stdout + r.stderr)

# --- forged heads and malformed lines ------------------------------------------------------------
other = os.path.join(d, "other.db")
r = qd.run("init", "--db", other)
assert r.returncode == 0, r.stderr
r = qd.run("check", *srv.db_args(), "--heads", HEADS, "--sign-pub", other + ".sign.pub")
qd.ok(r.returncode != 0 and r.stdout.count("FORGED") == len(heads),
      "heads checked against another key's public key: every one reported FORGED", r.stdout[-600:])
h0 = dict(heads[0])
h0["hash"] = ("0" if h0["hash"][0] != "0" else "1") + h0["hash"][1:]
forged = os.path.join(d, "forged.jsonl")
open(forged, "w").write("\n".join(lines + [json.dumps(h0, separators=(",", ":"))]) + "\n")
r = qd.run("check", *srv.db_args(), "--heads", forged)
qd.ok(r.returncode != 0 and "FORGED head at seq %d" % h0["seq"] in r.stdout,
      "a head whose hash was changed after signing is reported FORGED", r.stdout[-400:])
bad_lines = {
    "not JSON": "seq=3",
    "an array": "[1,2]",
    "a member missing": json.dumps({k: v for k, v in heads[0].items() if k != "sig"}),
    "an unknown member": json.dumps(dict(heads[0], extra=1)),
    "uppercase hex": json.dumps(dict(heads[0], hash=heads[0]["hash"].upper())),
    "a short signature": json.dumps(dict(heads[0], sig=heads[0]["sig"][:-2])),
    "seq 0": json.dumps(dict(heads[0], seq=0)),
    "seq as a string": json.dumps(dict(heads[0], seq=str(heads[0]["seq"]))),
    "version 2": json.dumps(dict(heads[0], v=2)),
    "a duplicate member": lines[0][:-1] + ',"seq":1}',
    "a 5000-byte line": '{"v":1,"pad":"' + "x" * 5000 + '"}',
}
for what, line in bad_lines.items():
    p = os.path.join(d, "bad.jsonl")
    open(p, "w").write(lines[0] + "\n" + line + "\n")
    r = qd.run("check", *srv.db_args(), "--heads", p)
    qd.ok(r.returncode == 1 and "line 2: not a signed head" in r.stdout and "malformed" in r.stdout
          and "Traceback" not in r.stderr, f"a heads line with {what} is reported malformed, check fails", r.stdout[-300:])
open(os.path.join(d, "empty.jsonl"), "w").close()
r = qd.run("check", *srv.db_args(), "--heads", os.path.join(d, "empty.jsonl"))
qd.ok(r.returncode == 1 and "holds no signed head" in r.stderr, "an empty heads file does not pass", r.stderr)
open(os.path.join(d, "bad.pub"), "w").write("not a key\n")
r = qd.run("check", *srv.db_args(), "--heads", HEADS, "--sign-pub", os.path.join(d, "bad.pub"))
qd.ok(r.returncode == 1 and "line 1" in r.stderr, "a malformed public key file is refused, naming the line", r.stderr)
for args, what in ((["--sign-every", "0"], "--sign-every 0"), (["--sign-every", "61"], "--sign-every 61"),
                   (["--sign-every", "1x"], "--sign-every 1x"), (["--heads-webhook", "ftp://x/"], "an ftp webhook"),
                   (["--sign-key", os.path.join(d, "missing.sign")], "a missing --sign-key")):
    r = qd.run("serve", *srv.db_args(), "--listen", "127.0.0.1:0", *args, timeout=20)
    qd.ok(r.returncode != 0 and "qingdan serve:" in r.stderr, f"serve refuses {what}", r.stderr[-300:])

# --- tampering -----------------------------------------------------------------------------------
LOG_TEXT = qd.run("log", "--db", srv.db).stdout
log = [json.loads(l) for l in LOG_TEXT.splitlines()]
con = srv.connect()
orig = [list(row) for row in con.execute("SELECT seq, at, actor, kind, entity, entity_id, payload FROM event ORDER BY seq")]
con.close()
assert len(log) == len(orig), (len(log), len(orig))
for ev, lg in zip(orig, log):
    ev.append(json.dumps(lg["payload"], ensure_ascii=False, separators=(",", ":")))  # the hashed text
    ev[6] = bytes(ev[6]) if isinstance(ev[6], memoryview) else ev[6]
S = heads[-1]["seq"]
assert len(orig) == S


def chain(events):
    """(seq, at, actor, kind, entity, entity_id, payload, hash) with seq renumbered from 1 and every
    hash recomputed as store/event.c does."""
    out, prev = [], b"\0" * 32
    for i, e in enumerate(events, 1):
        h = hashlib.sha256(prev + f"{i}\n{e[1]}\n{e[2]}\n{e[3]}\n{e[4]}\n{e[5]}\n".encode() + e[7].encode()).digest()
        out.append((i, e[1], e[2], e[3], e[4], e[5], e[6], h))
        prev = h
    return out


good = chain(orig)


def tamper(kind):
    """A tampered log: (rows from index m on, m) — rows as chain() gives them."""
    k = rng.randrange(1, S)  # an index within the signed part (0-based, the event seq k+1)
    recompute = rng.random() < 0.5
    ev = [list(e) for e in orig]
    if kind == "payload byte":
        p = bytearray(ev[k][6])
        p[rng.randrange(len(p))] ^= rng.randrange(1, 256)
        rows = [good[k][:6] + (bytes(p), good[k][7])] + good[k + 1:]
        return rows, k
    if kind == "delete":
        del ev[k]
        rows = chain(ev) if recompute else good[:k] + good[k + 1:]
    elif kind == "insert":
        copy = list(ev[rng.randrange(len(ev))])
        copy[2] = copy[2] + 1
        ev.insert(k, copy)
        rows = chain(ev)
        if not recompute:  # the stored hashes kept: the inserted one a copy of its neighbour's
            rows = good[:k] + [rows[k][:7] + (good[k][7],)] + [r[:7] + (good[i][7],) for i, r in enumerate(rows[k + 1:], k)]
    elif kind == "reorder":
        j = rng.randrange(0, S)
        while j == k or ev[j][7] == ev[k][7]:
            j = rng.randrange(0, S)
        k, j = min(k, j), max(k, j)
        ev[k], ev[j] = ev[j], ev[k]
        rows = chain(ev)
        if not recompute:
            rows = [r[:7] + (good[i][7],) for i, r in enumerate(rows)]
    elif kind == "rewrite":  # the actor of one event changed, every later hash recomputed
        ev[k][2] = ev[k][2] + 1 if ev[k][2] < 5 else ev[k][2] - 1
        rows = chain(ev)
    return rows[k:], k


def apply_lite(path, rows, m):
    c = sqlite3.connect(path)
    c.execute("DELETE FROM event WHERE seq > ?", (m,))
    c.executemany("INSERT INTO event(seq, at, actor, kind, entity, entity_id, payload, prev_hash, hash) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, x'', ?)", rows)
    c.commit()
    c.close()


def apply_pg(uri, rows, m):
    c = qd._PgConn(uri)
    c.execute("DELETE FROM event WHERE seq > ?", (m,))
    for r in rows:
        c.execute("INSERT INTO event(seq, at, actor, kind, entity, entity_id, payload, prev_hash, hash) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ''::bytea, ?)", r[:6] + (bytes(r[6]), r[7]))
    top = c.execute("SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1").fetchone()
    c.execute("UPDATE chain_head SET seq = ?, hash = ? WHERE one = 1", (top[0], bytes(top[1])))  # as a careful forger would
    c.close()


KINDS = ["payload byte", "delete", "insert", "reorder", "rewrite", "truncation"]
# 1,000 on SQLite in make test; the sanitizer pass (QD_SANITIZED, make test-asan: each check ~4× slower)
# runs 200 of the same kinds — it looks for memory errors, the count is the plain pass's to prove
SANITIZED = os.environ.get("QD_SANITIZED") == "1"
N = (200 if SANITIZED else 1000) if not PG else 24
UNTOUCHED = (10 if SANITIZED else 50) if not PG else 5
work = [KINDS[i % len(KINDS)] for i in range(N)] + ["untouched"] * UNTOUCHED
rng.shuffle(work)
plans = []
for kind in work:
    if kind in ("untouched", "truncation"):
        plans.append((kind, None, rng.choice(snapshots) if kind == "truncation" else None))
    else:
        rows, k = tamper(kind)
        plans.append((kind, (rows, k), None))


def run_one(i):
    kind, change, snap = plans[i]
    if PG:
        src = pg_name(snap) if snap else pg_name(srv.db)
        uri = pg.uri(pg.new_db(f"TEMPLATE {src}"))
        if change:
            apply_pg(uri, *change)
        r = qd.run("check", "--db", uri, "--key", srv.key, "--heads", HEADS)
        plain = qd.run("check", "--db", uri, "--key", srv.key) if kind == "rewrite" else None
        same = r.returncode == 0 and kind == "payload byte" and qd.run("log", "--db", uri).stdout == LOG_TEXT
        pg.psql(f"DROP DATABASE {pg_name(uri)} WITH (FORCE)")
    else:
        w = os.path.join(d, f"w{i}")
        os.mkdir(w)
        path = os.path.join(w, "c.db")
        shutil.copy(snap or srv.db, path)
        shutil.copy(srv.db + ".key", path + ".key")
        if change:
            apply_lite(path, *change)
        r = qd.run("check", "--db", path, "--heads", HEADS, "--sign-pub", srv.db + ".sign.pub")
        plain = qd.run("check", "--db", path) if kind == "rewrite" and i < 200 else None
        same = r.returncode == 0 and kind == "payload byte" and qd.run("log", "--db", path).stdout == LOG_TEXT
        shutil.rmtree(w)
    # A flipped byte of a compressed payload can decode to the very same text (an unused header
    # bit, an unused table entry: about 1 flip in 1,000): the record — the text the chain and the
    # heads sign — is unchanged, so it is no tampering; the log read back shows it is the same.
    if same:
        kind = "payload byte, same text"
    return kind, r.returncode, r.stdout, plain.returncode if plain else None


t0 = time.time()
with ThreadPoolExecutor(max_workers=1 if PG else 2) as ex:  # PostgreSQL copies one template at a time
    results = list(ex.map(run_one, range(len(plans))))
dt = time.time() - t0
missed = [(k, out[-300:]) for k, rc, out, _ in results if k in KINDS and rc == 0]
noop = sum(1 for x in results if x[0] == "payload byte, same text")
false_pos = [(out[-300:]) for k, rc, out, _ in results if k == "untouched" and rc != 0]
by_kind = {k: sum(1 for x in results if x[0] == k) for k in KINDS}
where = "SQLite, each on a fresh copy of the file" if not PG else "PostgreSQL, each in a CREATE DATABASE … TEMPLATE copy"
qd.ok(not missed, f"{N} random tamperings within the signed part all detected ({where}; {by_kind}; {dt:.0f} s with the "
      f"untouched copies; {noop} flipped payload bytes decoded to the same text, the log read back unchanged)", missed[:3])
qd.ok(not false_pos, f"0 false positives on {UNTOUCHED} untouched copies", false_pos[:2])
trunc = [out for k, rc, out, _ in results if k == "truncation"]
qd.ok(trunc and all("TRUNCATED" in o for o in trunc), "a truncation with the projections undone is reported TRUNCATED",
      trunc[:1])
rew = [(out, plain) for k, rc, out, plain in results if k == "rewrite" and plain is not None]
qd.ok(rew and all("REWRITTEN" in o for o, _ in rew) and any(p == 0 for _, p in rew),
      f"a rewrite with every later hash recomputed is reported REWRITTEN; {sum(p == 0 for _, p in rew)} of {len(rew)} "
      "of them pass the plain check (hash chain and replay): only the signed heads find those", [o[-300:] for o, _ in rew[:1]])

# --- two servers on PostgreSQL: one signs; when it stops, the other takes over ---------------------
if PG:
    fa, fb = os.path.join(d, "a.jsonl"), os.path.join(d, "b.jsonl")
    a = qd.Server(srv.db, key=srv.key, args=["--sign-every", "1", "--heads-file", fa])
    b = qd.Server(srv.db, key=srv.key, args=["--sign-every", "1", "--heads-file", fb])
    sa = a.login("grid", PW)
    for i in range(3):
        sa.post("/api/v1/problems", {"unit_id": UNIT, "source": "visit", "description": f"两台服务器 第{i}件"})
        time.sleep(1.2)
    time.sleep(1.5)
    na, nb = len(heads_lines(fa)), len(heads_lines(fb))
    qd.ok((na > 0) != (nb > 0), f"two servers on one database: exactly one signs (heads: {na} and {nb})")
    leader, follower, ff = (a, b, fb) if na else (b, a, fa)
    leader.stop()
    sf = follower.login("grid", PW)
    sf.post("/api/v1/problems", {"unit_id": UNIT, "source": "visit", "description": "接管后的一件"})
    qd.ok(wait_signed(follower, ff, timeout=10), "when the signing server stops, the other takes over and signs the head")
    follower.stop()
    both = os.path.join(d, "both.jsonl")
    open(both, "w").write("\n".join(heads_lines(fa) + heads_lines(fb)) + "\n")
    r = qd.run("check", *srv.db_args(), "--heads", both)
    qd.ok(r.returncode == 0 and "signed heads: ok" in r.stdout, "check --heads passes on both servers' heads", r.stdout[-400:])

qd.done()
