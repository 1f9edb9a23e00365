"""Text search of problems and tasks (?q=) as a dispatcher uses it (the real binary, loopback).

The trigram indexes keep no positions since schema 8 (store/schema.c migration 8): search asks
them with LIKE and FTS5 checks each candidate against the text.  What a user would notice if that
went wrong: a row found because its words appear apart ("河口村…口村道" for "河口村道"), a
search with % or _ behaving as a wildcard, a two-character search finding nothing, a task found
by its title but not by its measures, a problem found before it is indexed but not after."""
import sqlite3
import time
import urllib.parse
import qd

srv = qd.Server.demo()
disp, grid, handler, leader = srv.login("dispatch"), srv.login("grid"), srv.login("handler"), srv.login("leader")
st, units = disp.get("/api/v1/units")
by_name = {u["name"]: u for u in units["items"]}
village, town = by_name["新河口村"], by_name["周老嘴镇"]
me_handler, me_leader = handler.get("/api/v1/me")[1], leader.get("/api/v1/me")[1]

TEXTS = {
    "whole": "甲岭寨组道路硬化工程未完工，群众出行不便",
    "apart": "甲岭寨的水井坏了，另外寨组道路要修",  # 甲岭寨 and 寨组道 both, never 甲岭寨组道
    "pct": "乙塘湾供水达标率100%以上仍有异味",
    "pct_near": "乙塘湾供水达标率1000以上仍有异味",  # what '%100_%' would also match
    "us": "丙桥头网格a_b码牌缺失",
    "us_near": "丙桥头网格axb码牌缺失",
    "case": "丁家湾ROAD路牌褪色",
    "bs": "辛庄村编号A\\9门牌缺失",  # a backslash, LIKE's escape character here
}
pids = {}
for k, text in TEXTS.items():
    st, p = grid.post("/api/v1/problems", {"unit_id": village["id"], "description": text,
                                            "reporter": {"name": "欧阳娜娜", "phone": "13800001234"}})
    qd.ok(st == 201, f"intake of the planted problem '{k}'", (st, p))
    pids[k] = p["id"]

# tasks: found by title or by measures
st, t1 = disp.post("/api/v1/tasks", {"problem_ids": [pids["whole"]], "title": "戊家岭组道路硬化",
                                      "urgency": "normal", "unit_id": town["id"],
                                      "handler_id": me_handler["id"], "leader_id": me_leader["id"]})
qd.ok(st == 201, "a task titled 戊家岭组道路硬化", (st, t1))
st, t2 = disp.post("/api/v1/tasks", {"problem_ids": [pids["apart"]], "title": "水井维修",
                                      "measures": "己字号施工队进场，三天内完成",
                                      "urgency": "normal", "unit_id": town["id"],
                                      "handler_id": me_handler["id"], "leader_id": me_leader["id"]})
qd.ok(st == 201, "a task whose measures say 己字号施工队", (st, t2))
st, t3 = disp.post("/api/v1/tasks", {"problem_ids": [pids["pct"]], "title": "庚水厂达标率100%复核",
                                      "urgency": "normal", "unit_id": town["id"],
                                      "handler_id": me_handler["id"], "leader_id": me_leader["id"]})
st, t4 = disp.post("/api/v1/tasks", {"problem_ids": [pids["pct_near"]], "title": "庚水厂达标率1000复核",
                                      "urgency": "normal", "unit_id": town["id"],
                                      "handler_id": me_handler["id"], "leader_id": me_leader["id"]})
qd.ok(t3.get("id") and t4.get("id"), "two tasks whose titles differ by % against 0", (t3, t4))


def found(route, q):
    st, b = disp.get(f"/api/v1/{route}?limit=200&q=" + urllib.parse.quote(q, safe=""))
    assert st == 200, (route, q, st, b)
    return {x["id"] for x in b["items"]}


def problem_checks(when):
    mine = set(pids.values())
    cases = [
        ("甲岭寨组道", {"whole"}, "five characters whose trigrams both occur apart in another problem"),
        ("寨组道路", {"whole", "apart"}, "four characters in two problems"),
        ("甲岭寨", {"whole", "apart"}, "exactly three characters"),
        ("岭寨", {"whole", "apart"}, "two characters (no trigram: a scan)"),
        ("率100%以上", {"pct"}, "a search holding % finds the % and not any character"),
        ("网格a_b", {"us"}, "a search holding _ finds the _ and not any character"),
        ("家湾road", {"case"}, "ASCII letters in another case"),
        ("编号A\\9门", {"bs"}, "a search holding a backslash"),
        ("A\\9", {"bs"}, "a backslash between two characters (a scan)"),
        ("甲岭寨组道路硬化工程未完工，群众出行不便", {"whole"}, "the whole description"),
        ("癸癸癸", set(), "three characters no problem holds"),
    ]
    for q, want, what in cases:
        got = found("problems", q) & mine
        qd.ok(got == {pids[k] for k in want}, f"problems, {when}: {what} ({q})",
              sorted(k for k, v in pids.items() if v in got))


problem_checks("as soon as they are written")

# SQLite: the indexer takes them into problem_fts after commit; wait until it has, then search
# again.  (PostgreSQL's trigram index follows every write: there is no "once indexed".)
if srv.pg:
    qd.skip("the indexer takes the new problems into the text index", "SQLite's batched FTS5 index only")
else:
    con = srv.connect(write=True)
    deadline = time.time() + 20
    upto = 0
    while time.time() < deadline:
        upto = int(con.execute("SELECT value FROM meta WHERE key='fts_problem_upto'").fetchone()[0])
        if upto >= max(pids.values()):
            break
        time.sleep(0.1)
    con.close()
    qd.ok(upto >= max(pids.values()), "the indexer takes the new problems into the text index", upto)
    problem_checks("once indexed")

tids = {"t1": t1["id"], "t2": t2["id"], "t3": t3["id"], "t4": t4["id"]}
mine = set(tids.values())
for q, want, what in [
    ("戊家岭组道", {"t1"}, "by title (five characters)"),
    ("己字号施工队", {"t2"}, "by measures"),
    ("达标率100%", {"t3"}, "a % in the search is a %"),
    ("达标率100", {"t3", "t4"}, "the common part finds both"),
    ("戊家", {"t1"}, "two characters of a title"),
    ("己字", {"t2"}, "two characters of the measures"),
]:
    got = found("tasks", q) & mine
    qd.ok(got == {tids[k] for k in want}, f"tasks: {what} ({q})", sorted(k for k, v in tids.items() if v in got))

# a title edited through the API would be re-indexed by the update trigger: the schema keeps it
if srv.pg:
    con = srv.connect()
    idx = {r[0] for r in con.execute("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")}
    con.close()
    qd.ok({"problem_text", "task_text"} <= idx, "the trigram indexes are in place (PostgreSQL)", sorted(idx))
else:
    con = srv.connect(write=True)
    trg = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE '%fts%'")}
    ddl = " ".join(r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE name IN ('task_fts','problem_fts')"))
    con.close()
    qd.ok({"task_fts_ins", "task_fts_upd", "problem_fts_upd"} <= trg, "the text index triggers are in place", sorted(trg))
    qd.ok(ddl.count("detail='none'") == 2 and ddl.count("columnsize=0") == 2,
          "both text indexes keep no positions and no row sizes (schema 8)", ddl)

ran, r = qd.check_db(srv)
if not ran:
    qd.skip("qingdan check (incl. the FTS integrity check) passes", r)
else:
    qd.ok(r.returncode == 0 and "check passed" in r.stdout, "qingdan check (incl. the FTS integrity check) passes",
          r.stdout + r.stderr)
qd.done()
