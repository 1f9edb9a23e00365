"""Upgrading a database made by an earlier main (schema 3, commit 8511563): the fixture in
tests/fixtures/v3 holds residents' personal data planted in every free-text field, in plaintext in
the event log and unmasked in the projections.  Opening it with this program runs migration 4:
the free text in the record is sealed, the chain recomputed (a record.reseal event keeps the old
head), the projections masked.  After it: nothing planted is left verbatim in the log or in the
projections, `qingdan check` passes, search finds nothing by a planted number, the personal-data
route still gives the originals, and `qingdan remask` changes nothing (already current).
"""
import atexit, json, os, re, shutil, sqlite3, tempfile
import qd

FIX = qd.V3
planted = json.load(open(os.path.join(FIX, "planted.json"), encoding="utf-8"))
PASSWORD = planted["password"]

d = tempfile.mkdtemp(prefix="qd-upgrade-")
atexit.register(shutil.rmtree, d, True)
db = qd.v3_database(os.path.join(d, "v3.db"))

# Free text planted through the API (the reporter's own fields were sealed already; the user
# display names and token labels are not residents' free text).
TEXT_TABLES = {"problem": ("description", "decline_reason"), "task": ("title", "measures"),
               "visit": ("note", "household")}
items = [p for p in planted["planted"] if not p["sealed_today"] and p["event"]
         and (not p["projection"] or p["projection"]["table"] in TEXT_TABLES)]
qd.ok(len(items) > 80, f"the fixture plants {len(items)} data in free text")


def q(sql, *args):
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def logged():
    """seq -> the payload's canonical text, read through `qingdan log` (since schema 7 the log
    stores payloads deflated; before the upgrade the sqlite3 rows are the text itself)."""
    if q("SELECT value FROM meta WHERE key='schema_version'")[0][0] == "3":
        return {r[0]: r[1] for r in q("SELECT seq, payload FROM event")}
    r = qd.run("log", "--db", db)
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.splitlines():
        e = json.loads(line)
        out[e["seq"]] = json.dumps(e["payload"], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return out


def verbatim():
    """Planted strings found as they were written: in the event that carried them; numbers and
    addresses in any text column (names are checked per item below: a name is masked where it
    belongs to the item's own residents, SPEC §4)."""
    payload = logged()
    cols = []
    for t, cs in TEXT_TABLES.items():
        for c in cs:
            cols += [r[0] for r in q(f"SELECT {c} FROM {t} WHERE {c} IS NOT NULL")]
    text = "\n".join(cols)
    in_log = [p for p in items if p["string"] in payload.get(p["event"]["seq"], "")]
    in_rows = [p for p in items if p["kind"] != "name" and p["string"] in text]
    return in_log, in_rows


old_head = q("SELECT lower(hex(hash)), seq FROM event ORDER BY seq DESC LIMIT 1")[0]
log0, rows0 = verbatim()
qd.ok(q("SELECT value FROM meta WHERE key='schema_version'")[0][0] == "3" and len(log0) == len(items) and rows0,
      f"before: schema 3, every planted datum verbatim in the log ({len(log0)}) and {len(rows0)} in the projections")

# --- the upgrade: any command that opens the store migrates (here: serve) -----------------------
srv = qd.Server(db)
srv.stop()
qd.ok(q("SELECT value FROM meta WHERE key='schema_version'")[0][0] == "10",
      "after: schema 10 (4 seals the record, 5 caches and township indexes, 6 is the smaller event format, "
      "7 stores payloads deflated, 8 text indexes without positions and payloads in zstd, 9 the verdict's recorder and channel, the signed chain heads, the audit log, 10 the duplicates' index)")
log1, rows1 = verbatim()
qd.ok(not log1, "no planted datum is left verbatim in the event log",
      [f"{p['n']} {p['kind']} {p['string']}" for p in log1[:20]])
qd.ok(not rows1, "no planted datum is left verbatim in the projections",
      [f"{p['n']} {p['kind']} {p['string']}" for p in rows1[:20]])
plain = [seq for seq, t in logged().items()
         if any(f'"{k}":"' in t for k in ("description", "note", "title", "reason"))]
qd.ok(not plain, "every free-text value in the log is sealed", plain[:10])
reseal = [(seq, logged()[seq]) for (seq,) in q("SELECT seq FROM event WHERE kind='record.reseal'")]
rp = json.loads(reseal[0][1]) if reseal else {}
qd.ok(len(reseal) == 1 and rp.get("old_head") == old_head[0] and rp.get("old_seq") == old_head[1]
      and reseal[0][0] == old_head[1] + 1,
      "a record.reseal event closes the new chain and names the old head", (reseal, old_head))

r = qd.run("check", "--db", db)
qd.ok(r.returncode == 0 and "check passed" in r.stdout, "qingdan check passes after the upgrade", r.stdout + r.stderr)

# the immediate task's title: the masked description cut, not a cut through a phone number
imm = planted["immediate"]
title = q("SELECT title FROM task WHERE id=?", imm["task"])[0][0]
qd.ok(not re.findall(r"\d{4,}", title) and title[:5] == imm["title"][:5],
      "the immediate task's title is the masked description cut (no digits of the cut phone)", title)

# --- served after the upgrade --------------------------------------------------------------------
srv.start()
an = srv.login("analyst", PASSWORD)
found = []
numbers = sorted({p["string"] for p in items if p["kind"] in ("phone", "id_no", "bank_card", "landline")})
for s in numbers:
    for route in ("problems", "tasks"):
        qs = s[:50]
        st, b, _ = an.request("GET", f"/api/v1/{route}?q=" + __import__("urllib.parse").parse.quote(qs))
        if st == 200 and b["items"]:
            found.append((route, s))
qd.ok(numbers and not found, f"search finds nothing by any of {len(numbers)} planted numbers", found[:10])

# the originals stay readable with the right, and the read is audited
pu = srv.login("piiread", PASSWORD)
# the residents' own names are masked in their own items' text
reporter = {}
for pid_ in planted["problems"].values():
    st, b = pu.get(f"/api/v1/problems/{pid_}/pii")
    if st == 200 and b.get("name"):
        reporter[pid_] = b["name"]
named = []
for pid_, name in reporter.items():
    for c in ("description", "decline_reason"):
        v = q(f"SELECT {c} FROM problem WHERE id=?", pid_)[0][0] or ""
        if name in v:
            named.append(("problem", pid_, c, name))
    for tid, title_, measures in q("SELECT t.id, t.title, t.measures FROM task t JOIN problem p ON p.task_id=t.id "
                                   "WHERE p.id=?", pid_):
        if name in title_ + measures:
            named.append(("task", tid, name))
qd.ok(len(reporter) >= 5 and not named, f"the reporters' own names ({len(reporter)}) are masked in their items' text", named)
desc_items = [p for p in items if p["projection"] and p["projection"]["table"] == "problem"
              and p["projection"]["column"] == "description"]
pid = desc_items[0]["projection"]["id"]
before = q("SELECT count(*) FROM event WHERE kind='pii.read'")[0][0]
st, b = pu.get(f"/api/v1/problems/{pid}/pii")
after = q("SELECT count(*) FROM event WHERE kind='pii.read'")[0][0]
qd.ok(st == 200 and all(p["string"] in (b.get("description") or "") for p in desc_items if p["projection"]["id"] == pid)
      and after == before + 1, "the personal-data route gives the original description, audited", (st, b))

# new events on the old log (schema 6's format: an action's row is what it changed, prev_hash not
# stored again) beside the old ones (every column, prev_hash stored): check replays both
old_full = q("SELECT count(*) FROM event WHERE length(prev_hash)=32")[0][0]
reseal_seq = reseal[0][0] if reseal else 0
qd.ok(q("SELECT count(*) FROM event WHERE typeof(payload)='text'")[0][0] == reseal_seq
      and q("SELECT count(*) FROM event WHERE seq > ? AND typeof(payload)<>'blob'", reseal_seq)[0][0] == 0,
      "the upgraded log's events stay text (nothing converted), the ones written since are blobs")
ha = srv.login("handler", PASSWORD)
T5 = planted["tasks"]["T5 assigned"]
st, hist0 = ha.get(f"/api/v1/tasks/{T5}/history")
qd.ok(st == 200 and len(hist0["events"]) >= 2, "an old task's history reads", (st, hist0))
st, b = ha.post(f"/api/v1/tasks/{T5}/accept", {"note": "已签收"})
qd.ok(st == 200 and b.get("state") == "in_progress", "a task of the old log is accepted after the upgrade", (st, b))
gr = srv.login("grid", PASSWORD)
st, b = gr.post("/api/v1/problems", {"unit_id": planted["units"]["groupA"], "description": "升级后登记的问题",
                                     "reporter": {"name": "赵六", "phone": "13700001111"}})
qd.ok(st == 201, "a problem is taken in after the upgrade", (st, b))
acc = q("SELECT seq, typeof(payload), hex(substr(payload, 1, 1)) FROM event WHERE kind='task.accept' ORDER BY seq DESC LIMIT 1")[0]
qd.ok(acc[1] == "blob" and acc[2] == "02", "the new event is stored compressed (a blob, format 2: zstd)", acc)
row = json.loads(logged()[acc[0]])["rows"]["task"]
qd.ok(sorted(row) == ["id", "responded_on", "state"], "the new accept event carries what it changed", row)
qd.ok(q("SELECT t.updated_at = e.at FROM task t JOIN event e ON e.kind='task.accept' AND e.entity_id=t.id "
        "WHERE t.id=? ORDER BY e.seq DESC LIMIT 1", T5)[0][0] == 1, "its updated_at is the event's time")
qd.ok(q("SELECT count(*) FROM event WHERE length(prev_hash)=32")[0][0] == old_full and
      q("SELECT count(*) FROM event WHERE length(prev_hash)=0")[0][0] >= 2,
      "old events keep their stored prev_hash, new ones store none")
st, hist1 = ha.get(f"/api/v1/tasks/{T5}/history")
items0, items1 = hist0["events"], hist1["events"]
qd.ok(st == 200 and items1[:len(items0)] == items0 and len(items1) == len(items0) + 1
      and items1[-1].get("kind") == "task.accept" and items1[-1].get("note") == "已签收",
      "its history reads the same, old text events and the new deflated one", (items0[-1:], items1[-2:]))
srv.stop()
r = qd.run("check", "--db", db)
qd.ok(r.returncode == 0 and "check passed" in r.stdout, "check passes on the old log with new events", r.stdout + r.stderr)

r = qd.run("remask", "--db", db)
qd.ok(r.returncode == 0 and " 0 rows changed" in r.stdout, "remask right after the upgrade changes nothing", r.stdout + r.stderr)
r = qd.run("check", "--db", db)
qd.ok(r.returncode == 0, "check still passes", r.stdout)

shutil.rmtree(d, True)
qd.done()
