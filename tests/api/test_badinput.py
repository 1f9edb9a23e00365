"""Bad input (SPEC §10): every invalid request is answered 4xx with a JSON error
{code, field, message_zh, message_en} naming the field, never 5xx, and changes nothing.

Each case below sends one bad request and expects (status, field).  All fixtures are chosen from
the demo data before the first bad request; after the last one the row counts of the database
(events, problems, tasks, visits, users, units) must be exactly what they were."""
import json
import re
import sqlite3
import urllib.parse
import qd

srv = qd.Server.demo()

# Every response of this file, to check that none is a 5xx.
ALL = []
_request = qd.Session.request


def _recording(self, method, path, *a, **kw):
    r = _request(self, method, path, *a, **kw)
    ALL.append((method, path[:80], r[0]))
    return r


qd.Session.request = _recording

disp, grid, admin, handler = srv.login("dispatch"), srv.login("grid"), srv.login("admin"), srv.login("handler")
sec = srv.login("security")  # grants are the security administrator's
anon = srv.session()

# --- fixtures from the demo data (read only) ----------------------------------------------------
st, units = disp.get("/api/v1/units")
by_name = {}
for u in units["items"]:
    by_name.setdefault(u["name"], u)
XHK = by_name["新河口村"]
GROUP = [u for u in units["items"] if u["parent_id"] == XHK["id"]][0]
ZLZ = by_name["周老嘴镇"]
st, users = admin.get("/api/v1/users")
UID = {u["username"]: u["id"] for u in users["items"]}


NOPE = 99999999  # no such unit / user / problem / task / visit / category


def must(resp, want, what):
    if resp[0] != want:
        raise RuntimeError(f"fixture {what}: {resp}")
    return resp[1]


def fixture_problem():
    return must(grid.post("/api/v1/problems", {"unit_id": GROUP["id"], "description": "坏输入测试：村道坑洼"}), 201, "problem")["id"]


def fixture_task(state):
    """A task of 周老嘴镇 (handler) in the given state, made through the API before the snapshot."""
    body = {"problem_ids": [fixture_problem()], "title": "坏输入测试任务", "urgency": "complex"}
    if state != "pending":
        body.update(unit_id=ZLZ["id"], handler_id=UID["handler"], leader_id=UID["leader"])
    tid = must(disp.post("/api/v1/tasks", body), 201, "task")["id"]
    if state in ("in_progress", "completed", "satisfied", "signed_off"):
        must(handler.post(f"/api/v1/tasks/{tid}/accept", {}), 200, "accept")
    if state in ("completed", "satisfied", "signed_off"):
        must(handler.post(f"/api/v1/tasks/{tid}/complete", {"outcome": "resolved", "note": "已修"}), 200, "complete")
    if state in ("satisfied", "signed_off"):
        # the village cadre records the verdict: the dispatcher who signs off must not have (issue 9)
        must(grid.post(f"/api/v1/tasks/{tid}/follow_up", {"solved": True, "satisfaction": "satisfied"}), 200, "follow_up")
    if state == "signed_off":
        must(disp.post(f"/api/v1/tasks/{tid}/sign_off", {}), 200, "sign_off")
    return tid


NEW_P = fixture_problem()
PENDING = fixture_task("pending")
ASSIGNED_H = fixture_task("assigned")
INPROG_H = fixture_task("in_progress")
COMPLETED = fixture_task("completed")
SATISFIED = fixture_task("satisfied")
SIGNED = {"id": fixture_task("signed_off")}
SIGNED_P = disp.get(f"/api/v1/tasks/{SIGNED['id']}")[1]["problems"][0]["id"]  # a problem that is no longer new


def valid_id_no():
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    body = "42108719800101123"  # 监利 area code, 1980-01-01
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


GOOD_ID = valid_id_no()
BAD_ID = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")

TABLES = ("event", "problem", "task", "visit", "user", "unit")


def counts():
    con = srv.connect()
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


BEFORE = counts()

# --- the cases ----------------------------------------------------------------------------------
CJK = re.compile(r"[\u3400-\u9fff]")
EN_ZH = []  # (case, message_en) where the English message holds Chinese


def bad(name, sess, method, path, status, field, body=None, raw=None, headers=None):
    if body is None and raw is None and method == "POST":
        body = {}
    st, b, _ = sess.request(method, path, body=body, raw=raw, headers=headers)
    label = re.sub(r"/(-?\d+)(?=/|$)", "/{id}", path.split("?")[0])
    problems = []
    if st != status:
        problems.append(f"status {st}, expected {status}")
    if not isinstance(b, dict):
        problems.append("the answer is not a JSON object")
        b = {}
    else:
        if set(b) != {"code", "field", "message_zh", "message_en"}:
            problems.append(f"error keys {sorted(b)}")
        if isinstance(field, (set, frozenset)):
            if b.get("field") not in field:
                problems.append(f"field {b.get('field')!r}, expected one of {sorted(field)}")
        elif b.get("field") != field:
            problems.append(f"field {b.get('field')!r}, expected {field!r}")
        zh, en = b.get("message_zh") or "", b.get("message_en") or ""
        if not zh.strip() or not en.strip():
            problems.append("an empty message")
        if not CJK.search(zh):
            problems.append(f"message_zh has no Chinese: {zh!r}")
        plain = re.sub(r"'[^']*'|\"[^\"]*\"", "", en)  # quoted input aside
        for unit_name in by_name:  # and the names of units (data, not translation)
            plain = plain.replace(unit_name, "")
        if CJK.search(plain):
            EN_ZH.append((f"{method} {label}: {name}", en))
    fname = field if isinstance(field, str) else "|".join(sorted(field))
    qd.ok(not problems, f"{method} {label}: {name} → {status} {fname}",
          "; ".join(problems) + "\n" + json.dumps(b, ensure_ascii=False)[:400])


def with_(base, **kw):
    d = json.loads(json.dumps(base))
    for k, v in kw.items():
        if v is DEL:
            d.pop(k, None)
        else:
            d[k] = v
    return d


DEL = object()

# ---- POST /api/v1/problems ----
P = "/api/v1/problems"
PB = {"unit_id": GROUP["id"], "description": "一组村道坑洼，雨天积水",
      "reporter": {"name": "张三", "phone": "13800001234", "address": "新河口村一组"}}
bad("malformed JSON", disp, "POST", P, 400, "body", raw='{"unit_id": %d, "description": "坑洼",' % GROUP["id"])
bad("truncated JSON", disp, "POST", P, 400, "body", raw='{"unit_id": ')
bad("trailing garbage after the object", disp, "POST", P, 400, "body", raw=json.dumps(PB, ensure_ascii=False) + " x")
bad("a JSON array instead of an object", disp, "POST", P, 400, "body", raw=json.dumps([PB], ensure_ascii=False))
bad("a JSON string instead of an object", disp, "POST", P, 400, "body", raw='"一组村道坑洼"')
bad("a JSON number instead of an object", disp, "POST", P, 400, "body", raw="42")
bad("JSON null instead of an object", disp, "POST", P, 400, "body", raw="null")
bad("an empty body: the first required field", disp, "POST", P, 400, "unit_id", raw="")
bad("an empty object: the first required field", disp, "POST", P, 400, "unit_id", body={})
bad("unit_id missing", disp, "POST", P, 400, "unit_id", body=with_(PB, unit_id=DEL))
bad("description missing", disp, "POST", P, 400, "description", body=with_(PB, description=DEL))
bad("unit_id null", disp, "POST", P, 400, "unit_id", body=with_(PB, unit_id=None))
bad("a string for an id (unit_id)", disp, "POST", P, 400, "unit_id", body=with_(PB, unit_id=str(GROUP["id"])))
bad("a float for an id (unit_id 78.0)", disp, "POST", P, 400, "unit_id", raw=json.dumps(with_(PB, unit_id=float(GROUP["id"])), ensure_ascii=False))
bad("a number for a string (description)", disp, "POST", P, 400, "description", body=with_(PB, description=12345))
bad("an object for a bool (anonymous)", disp, "POST", P, 400, "anonymous", body=with_(PB, anonymous={}))
bad("a string for a bool (no_disclose \"true\")", disp, "POST", P, 400, "no_disclose", body=with_(PB, no_disclose="true"))
bad("a number for a bool (anonymous 1)", disp, "POST", P, 400, "anonymous", body=with_(PB, anonymous=1))
bad("a string for an object (reporter)", disp, "POST", P, 400, "reporter", body=with_(PB, reporter="张三 13800001234"))
bad("an array for an object (reporter)", disp, "POST", P, 400, "reporter", body=with_(PB, reporter=["张三"]))
bad("an unknown field", disp, "POST", P, 400, "colour", body=with_(PB, colour="red"))
bad("an unknown nested field reporter.foo", disp, "POST", P, 400, "reporter.foo", body=with_(PB, reporter={"name": "张三", "foo": 1}))
bad("a number for a nested string (reporter.name)", disp, "POST", P, 400, "reporter.name", body=with_(PB, reporter={"name": 5}))
bad("description of 2001 characters", disp, "POST", P, 400, "description", body=with_(PB, description="坑" * 2001))
bad("description empty", disp, "POST", P, 400, "description", body=with_(PB, description=""))
bad("measures of 1001 characters", disp, "POST", P, 400, "measures", body=with_(PB, tier="immediate", measures="修" * 1001))
bad("reporter.name of 51 characters", disp, "POST", P, 400, "reporter.name", body=with_(PB, reporter={"name": "张" * 51}))
bad("reporter.address of 201 characters", disp, "POST", P, 400, "reporter.address", body=with_(PB, reporter={"address": "号" * 201}))
bad("reporter.phone of 33 characters", disp, "POST", P, 400, "reporter.phone", body=with_(PB, reporter={"phone": "1" * 33}))
bad("reporter.id_no of 19 characters", disp, "POST", P, 400, "reporter.id_no", body=with_(PB, reporter={"id_no": GOOD_ID + "1"}))
bad("invalid UTF-8 bytes in the body", disp, "POST", P, 400, "body",
    raw=b'{"unit_id": %d, "description": "\xe5\x9d\x91\xff\xfe"}' % GROUP["id"])
bad("an overlong UTF-8 encoding in the body", disp, "POST", P, 400, "body",
    raw=b'{"unit_id": %d, "description": "\xc0\xaf"}' % GROUP["id"])
bad("a lone surrogate escape", disp, "POST", P, 400, "body", raw='{"unit_id": %d, "description": "a\\ud800b"}' % GROUP["id"])
bad("a control character in a one-line field (reporter.name)", disp, "POST", P, 400, "reporter.name",
    body=with_(PB, reporter={"name": "张\u0001三"}))
bad("a newline in a one-line field (reporter.address)", disp, "POST", P, 400, "reporter.address",
    body=with_(PB, reporter={"address": "新河口村\n一组"}))
bad("DEL (0x7f) in a one-line field (reporter.name)", disp, "POST", P, 400, "reporter.name", body=with_(PB, reporter={"name": "张\u007f三"}))
bad("a control character in multi-line text (description, BEL)", disp, "POST", P, 400, "description",
    body=with_(PB, description="坑洼\u0007积水"))
bad("a NUL escape \\u0000 in description", disp, "POST", P, 400, "body",
    raw='{"unit_id": %d, "description": "坑洼\\u0000积水"}' % GROUP["id"])
bad("a raw NUL byte in description", disp, "POST", P, 400, "body",
    raw=b'{"unit_id": %d, "description": "a\x00b"}' % GROUP["id"])
bad("a huge integer (beyond 64 bits)", disp, "POST", P, 400, "body",
    raw='{"unit_id": 123456789012345678901234567890, "description": "坑洼"}')
bad("a huge float for an id", disp, "POST", P, 400, "unit_id", raw='{"unit_id": 1e300, "description": "坑洼"}')
bad("an id out of range (1e400)", disp, "POST", P, 400, frozenset({"body", "unit_id"}), raw='{"unit_id": 1e400, "description": "坑洼"}')
bad("the largest 64-bit id: no such unit", disp, "POST", P, 404, "unit_id", body=with_(PB, unit_id=2 ** 63 - 1))
bad("a negative id (unit_id -5)", disp, "POST", P, 400, "unit_id", body=with_(PB, unit_id=-5))
bad("id 0 (unit_id)", disp, "POST", P, 400, "unit_id", body=with_(PB, unit_id=0))
bad("a negative id (category_id)", disp, "POST", P, 400, "category_id", body=with_(PB, category_id=-1))
bad("an enum value not in the list (source)", disp, "POST", P, 400, "source", body=with_(PB, source="fax"))
bad("an enum value in the wrong case (source)", disp, "POST", P, 400, "source", body=with_(PB, source="Visit"))
bad("tier other than immediate", disp, "POST", P, 400, "tier", body=with_(PB, tier="scheduled"))
bad("tier immediate without measures", disp, "POST", P, 400, "measures", body=with_(PB, tier="immediate"))
bad("duplicate JSON keys", disp, "POST", P, 400, "body",
    raw='{"unit_id": %d, "unit_id": %d, "description": "坑洼"}' % (GROUP["id"], GROUP["id"]))
bad("reporter.phone \"12345\"", disp, "POST", P, 400, "reporter.phone", body=with_(PB, reporter={"phone": "12345"}))
bad("reporter.phone with letters", disp, "POST", P, 400, "reporter.phone", body=with_(PB, reporter={"phone": "1380000abcd"}))
bad("reporter.phone of 10 digits", disp, "POST", P, 400, "reporter.phone", body=with_(PB, reporter={"phone": "1380000123"}))
bad("reporter.id_no with a wrong check digit", disp, "POST", P, 400, "reporter.id_no", body=with_(PB, reporter={"id_no": BAD_ID}))
bad("reporter.id_no of 17 characters", disp, "POST", P, 400, "reporter.id_no", body=with_(PB, reporter={"id_no": GOOD_ID[:17]}))
bad("reporter.id_no with a letter inside", disp, "POST", P, 400, "reporter.id_no",
    body=with_(PB, reporter={"id_no": GOOD_ID[:5] + "A" + GOOD_ID[6:]}))
bad("a unit that does not exist", disp, "POST", P, 404, "unit_id", body=with_(PB, unit_id=NOPE))
bad("a category that does not exist", disp, "POST", P, 404, "category_id", body=with_(PB, category_id=NOPE))
bad("a visit that does not exist", disp, "POST", P, 404, "visit_id", body=with_(PB, visit_id=NOPE))
bad("a body over 64 KiB", disp, "POST", P, 413, "body", raw=json.dumps(with_(PB, description="a" * 70000)))
bad("Content-Type text/plain", disp, "POST", P, 400, "Content-Type", raw=json.dumps(PB), headers={"Content-Type": "text/plain"})
bad("Content-Type form-urlencoded", disp, "POST", P, 400, "Content-Type", raw="unit_id=78&description=x",
    headers={"Content-Type": "application/x-www-form-urlencoded"})
bad("an unknown query parameter on a POST", disp, "POST", P + "?draft=1", 400, "draft", body=PB)
bad("the grid worker: a unit that does not exist", grid, "POST", P, 404, "unit_id", body=with_(PB, unit_id=NOPE))

# ---- POST /api/v1/tasks ----
T = "/api/v1/tasks"
TB = {"problem_ids": [NEW_P], "title": "一组村道修补", "urgency": "normal"}
ASSIGN = {"unit_id": ZLZ["id"], "handler_id": UID["handler"], "leader_id": UID["leader"]}
bad("malformed JSON", disp, "POST", T, 400, "body", raw='{"problem_ids": [%d], "title": "修"' % NEW_P)
bad("a JSON array instead of an object", disp, "POST", T, 400, "body", raw=json.dumps([TB]))
bad("problem_ids missing", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=DEL))
bad("problem_ids a string", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=str(NEW_P)))
bad("problem_ids a number", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=NEW_P))
bad("problem_ids empty", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=[]))
bad("problem_ids with a duplicate", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=[NEW_P, NEW_P]))
bad("problem_ids with 0", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=[0]))
bad("problem_ids with a negative id", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=[-NEW_P]))
bad("problem_ids with a float", disp, "POST", T, 400, "problem_ids", raw='{"problem_ids": [%d.5], "title": "修"}' % NEW_P)
bad("problem_ids with a string id", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=[str(NEW_P)]))
bad("problem_ids with 101 ids", disp, "POST", T, 400, "problem_ids", body=with_(TB, problem_ids=list(range(1, 102))))
bad("a problem that does not exist", disp, "POST", T, 404, "problem_ids", body=with_(TB, problem_ids=[NOPE]))
bad("a problem that is no longer new", disp, "POST", T, 409, "problem_ids", body=with_(TB, problem_ids=[SIGNED_P]))
bad("title missing", disp, "POST", T, 400, "title", body=with_(TB, title=DEL))
bad("title empty", disp, "POST", T, 400, "title", body=with_(TB, title=""))
bad("title of 101 characters", disp, "POST", T, 400, "title", body=with_(TB, title="修" * 101))
bad("a newline in the title (one line)", disp, "POST", T, 400, "title", body=with_(TB, title="一组\n村道"))
bad("a tab in the title (one line)", disp, "POST", T, 400, "title", body=with_(TB, title="一组\t村道"))
bad("a number for the title", disp, "POST", T, 400, "title", body=with_(TB, title=101))
bad("measures of 1001 characters", disp, "POST", T, 400, "measures", body=with_(TB, measures="修" * 1001))
bad("tier immediate (not for a task)", disp, "POST", T, 400, "tier", body=with_(TB, tier="immediate"))
bad("urgency not in the list", disp, "POST", T, 400, "urgency", body=with_(TB, urgency="asap"))
bad("urgency not a string", disp, "POST", T, 400, "urgency", body=with_(TB, urgency=1))
bad("an unknown field", disp, "POST", T, 400, "deadline", body=with_(TB, deadline="2026-12-31"))
bad("a category that does not exist", disp, "POST", T, 404, "category_id", body=with_(TB, category_id=NOPE))
bad("assign now: a unit that does not exist", disp, "POST", T, 404, "unit_id", body=with_(TB, **with_(ASSIGN, unit_id=NOPE)))
bad("assign now: a handler that does not exist", disp, "POST", T, 404, "handler_id", body=with_(TB, **with_(ASSIGN, handler_id=NOPE)))
bad("assign now: a leader that does not exist", disp, "POST", T, 404, "leader_id", body=with_(TB, **with_(ASSIGN, leader_id=NOPE)))
bad("assign now: a handler of another unit", disp, "POST", T, 400, "handler_id",
    body=with_(TB, **with_(ASSIGN, handler_id=UID[f"h{by_name['白螺镇']['id']}"])))
bad("assign now: a leader without the leader role", disp, "POST", T, 400, "leader_id", body=with_(TB, **with_(ASSIGN, leader_id=UID["grid"])))
bad("assign now: the leader missing", disp, "POST", T, 400, "leader_id", body=with_(TB, **with_(ASSIGN, leader_id=DEL)))
bad("assign now: a string for handler_id", disp, "POST", T, 400, "handler_id", body=with_(TB, **with_(ASSIGN, handler_id="handler")))

# ---- POST /api/v1/tasks/{id}/{action} ----
A = "/api/v1/tasks/{}/{}"
bad("accept a signed-off task", handler, "POST", A.format(SIGNED["id"], "accept"), 409, "action", body={})
bad("accept a signed-off task (dispatcher)", disp, "POST", A.format(SIGNED["id"], "accept"), 409, "action", body={})
bad("complete a signed-off task", disp, "POST", A.format(SIGNED["id"], "complete"), 409, "action", body={"outcome": "resolved", "note": "x"})
bad("sign off a signed-off task", disp, "POST", A.format(SIGNED["id"], "sign_off"), 409, "action", body={})
bad("assign an assigned task", disp, "POST", A.format(ASSIGNED_H, "assign"), 409, "action", body=ASSIGN)
bad("sign off a completed task without a verdict", disp, "POST", A.format(COMPLETED, "sign_off"), 409, "action", body={})
bad("reopen after a satisfied verdict", disp, "POST", A.format(SATISFIED, "reopen"), 409, "action", body={"reason": "再办"})
bad("an unknown action word", disp, "POST", A.format(SIGNED["id"], "frobnicate"), 400, "action", body={})
bad("an unknown action word (handler)", handler, "POST", A.format(ASSIGNED_H, "approve"), 400, "action", body={})
bad("an action word in capitals (no such route)", handler, "POST", A.format(ASSIGNED_H, "Accept"), 404, "path", body={})
bad("a negative task id (no such route)", handler, "POST", A.format(-ASSIGNED_H, "accept"), 404, "path", body={})
bad("a task id of 0 (no such route)", handler, "POST", A.format(0, "accept"), 404, "path", body={})
bad("a task id that is not a number (no such route)", handler, "POST", A.format("abc", "accept"), 404, "path", body={})
bad("a task that does not exist", handler, "POST", A.format(NOPE, "accept"), 404, "id", body={})
bad("a task id beyond 64 bits (no such route)", handler, "POST", A.format("9" * 25, "accept"), 404, "path", body={})
bad("days on accept (a field accept does not take)", handler, "POST", A.format(ASSIGNED_H, "accept"), 400, "days", body={"days": 3})
bad("outcome on return", handler, "POST", A.format(ASSIGNED_H, "return"), 400, "outcome", body={"reason": "不属于", "outcome": "resolved"})
bad("satisfaction on sign_off", disp, "POST", A.format(COMPLETED, "sign_off"), 400, "satisfaction", body={"satisfaction": "satisfied"})
bad("an unknown field on accept", handler, "POST", A.format(ASSIGNED_H, "accept"), 400, "foo", body={"foo": 1})
bad("malformed JSON on accept", handler, "POST", A.format(ASSIGNED_H, "accept"), 400, "body", raw="{")
bad("a JSON array on accept", handler, "POST", A.format(ASSIGNED_H, "accept"), 400, "body", raw="[]")
bad("return without a reason", handler, "POST", A.format(ASSIGNED_H, "return"), 400, "reason", body={})
bad("return with an empty reason", handler, "POST", A.format(ASSIGNED_H, "return"), 400, "reason", body={"reason": ""})
bad("reason of 501 characters", handler, "POST", A.format(ASSIGNED_H, "return"), 400, "reason", body={"reason": "因" * 501})
bad("progress without a note", handler, "POST", A.format(INPROG_H, "progress"), 400, "note", body={"progress": 10})
bad("note of 1001 characters", handler, "POST", A.format(INPROG_H, "progress"), 400, "note", body={"note": "进" * 1001})
bad("progress 101", handler, "POST", A.format(INPROG_H, "progress"), 400, "progress", body={"note": "进展", "progress": 101})
bad("progress -1", handler, "POST", A.format(INPROG_H, "progress"), 400, "progress", body={"note": "进展", "progress": -1})
bad("progress a string", handler, "POST", A.format(INPROG_H, "progress"), 400, "progress", body={"note": "进展", "progress": "50"})
bad("progress a float", handler, "POST", A.format(INPROG_H, "progress"), 400, "progress", raw='{"note": "进展", "progress": 50.5}')
bad("progress -2^63", handler, "POST", A.format(INPROG_H, "progress"), 400, "progress", raw='{"note": "进展", "progress": %d}' % -(2 ** 63))
bad("progress 2^63 (beyond 64 bits)", handler, "POST", A.format(INPROG_H, "progress"), 400, "body", raw='{"note": "进展", "progress": %d}' % 2 ** 63)
bad("request_extension with days 0", handler, "POST", A.format(INPROG_H, "request_extension"), 400, "days", body={"reason": "汛期", "days": 0})
bad("request_extension with days 61", handler, "POST", A.format(INPROG_H, "request_extension"), 400, "days", body={"reason": "汛期", "days": 61})
bad("request_extension with days 10^10", handler, "POST", A.format(INPROG_H, "request_extension"), 400, "days", body={"reason": "汛期", "days": 10 ** 10})
bad("request_extension with days a float", handler, "POST", A.format(INPROG_H, "request_extension"), 400, "days", raw='{"reason": "汛期", "days": 2.0}')
bad("request_extension without days", handler, "POST", A.format(INPROG_H, "request_extension"), 400, "days", body={"reason": "汛期"})
bad("complete without an outcome", handler, "POST", A.format(INPROG_H, "complete"), 400, "outcome", body={"note": "已修"})
bad("complete with an outcome not in the list", handler, "POST", A.format(INPROG_H, "complete"), 400, "outcome", body={"outcome": "done", "note": "已修"})
bad("complete without a note", handler, "POST", A.format(INPROG_H, "complete"), 400, "note", body={"outcome": "resolved"})
bad("follow_up with a verdict not in the list", disp, "POST", A.format(COMPLETED, "follow_up"), 400, "satisfaction",
    body={"solved": True, "satisfaction": "happy"})
bad("follow_up with solved a string", disp, "POST", A.format(COMPLETED, "follow_up"), 400, "solved",
    body={"solved": "yes", "satisfaction": "satisfied"})
bad("follow_up with solved an object", disp, "POST", A.format(COMPLETED, "follow_up"), 400, "solved",
    body={"solved": {}, "satisfaction": "satisfied"})
bad("follow_up without solved", disp, "POST", A.format(COMPLETED, "follow_up"), 400, "solved", body={"satisfaction": "satisfied"})
bad("follow_up without a verdict", disp, "POST", A.format(COMPLETED, "follow_up"), 400, "satisfaction", body={"solved": True})
bad("sign_off with exception a string", disp, "POST", A.format(COMPLETED, "sign_off"), 400, "exception", body={"exception": "true"})
bad("assign: a unit that does not exist", disp, "POST", A.format(PENDING, "assign"), 404, "unit_id", body=with_(ASSIGN, unit_id=NOPE))
bad("assign: a handler that does not exist", disp, "POST", A.format(PENDING, "assign"), 404, "handler_id", body=with_(ASSIGN, handler_id=NOPE))
bad("assign: a leader that does not exist", disp, "POST", A.format(PENDING, "assign"), 404, "leader_id", body=with_(ASSIGN, leader_id=NOPE))
bad("assign: a handler of another unit", disp, "POST", A.format(PENDING, "assign"), 400, "handler_id",
    body=with_(ASSIGN, handler_id=UID[f"h{by_name['白螺镇']['id']}"]))
bad("assign: a leader without the leader role", disp, "POST", A.format(PENDING, "assign"), 400, "leader_id", body=with_(ASSIGN, leader_id=UID["analyst"]))
bad("assign: the handler missing", disp, "POST", A.format(PENDING, "assign"), 400, "handler_id", body=with_(ASSIGN, handler_id=DEL))
bad("assign: a negative unit_id", disp, "POST", A.format(PENDING, "assign"), 400, "unit_id", body=with_(ASSIGN, unit_id=-1))
bad("assign: urgency not in the list", disp, "POST", A.format(PENDING, "assign"), 400, "urgency", body=with_(ASSIGN, urgency="now"))

# ---- POST /api/v1/problems/{id}/merge and decline ----
bad("merging a problem into itself", disp, "POST", f"/api/v1/problems/{NEW_P}/merge", 400, "into", body={"into": NEW_P})
bad("merging into a problem that does not exist", disp, "POST", f"/api/v1/problems/{NEW_P}/merge", 404, "into", body={"into": NOPE})
bad("merging into a string id", disp, "POST", f"/api/v1/problems/{NEW_P}/merge", 400, "into", body={"into": str(NEW_P)})
bad("merging without into", disp, "POST", f"/api/v1/problems/{NEW_P}/merge", 400, "into", body={})
bad("merging a problem that does not exist", disp, "POST", f"/api/v1/problems/{NOPE}/merge", 404, "id", body={"into": NEW_P})
bad("merging a problem that is no longer new", disp, "POST", f"/api/v1/problems/{SIGNED_P}/merge", 409, "id", body={"into": NEW_P})
bad("declining without a reason", disp, "POST", f"/api/v1/problems/{NEW_P}/decline", 400, "reason", body={})
bad("declining with an empty reason", disp, "POST", f"/api/v1/problems/{NEW_P}/decline", 400, "reason", body={"reason": ""})
bad("declining with a reason of 501 characters", disp, "POST", f"/api/v1/problems/{NEW_P}/decline", 400, "reason", body={"reason": "因" * 501})

# ---- POST /api/v1/visits ----
V = "/api/v1/visits"
VB = {"unit_id": GROUP["id"], "visited_on": "2025-06-03", "household": "张*家", "note": "了解用水情况"}
bad("an impossible date (2023-02-30)", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on="2023-02-30"))
bad("29 February of a common year", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on="2023-02-29"))
bad("month 13", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on="2023-13-01"))
bad("a date without leading zeros", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on="2023-2-3"))
bad("a date with a time", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on="2023-02-03T08:00:00"))
bad("a date as a number", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on=20230203))
bad("a date in Chinese", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on="2023年2月3日"))
bad("visited_on missing", grid, "POST", V, 400, "visited_on", body=with_(VB, visited_on=DEL))
bad("household of 51 characters", grid, "POST", V, 400, "household", body=with_(VB, household="家" * 51))
bad("a tab in household (one line)", grid, "POST", V, 400, "household", body=with_(VB, household="张*\t家"))
bad("note of 2001 characters", grid, "POST", V, 400, "note", body=with_(VB, note="访" * 2001))
bad("a unit that does not exist", grid, "POST", V, 404, "unit_id", body=with_(VB, unit_id=NOPE))
bad("a string for unit_id", grid, "POST", V, 400, "unit_id", body=with_(VB, unit_id="一组"))
bad("an unknown field", grid, "POST", V, 400, "problems", body=with_(VB, problems=[]))

# ---- POST /api/v1/login ----
L = "/api/v1/login"
bad("malformed JSON", anon, "POST", L, 400, "body", raw='{"username": "grid", ')
bad("a JSON array", anon, "POST", L, 400, "body", raw='["grid", "qingdan-demo"]')
bad("a number for the username", anon, "POST", L, 400, "username", body={"username": 5, "password": "qingdan-demo"})
bad("username missing", anon, "POST", L, 400, "username", body={"password": "qingdan-demo"})
bad("password missing", anon, "POST", L, 400, "password", body={"username": "grid"})
bad("an empty username", anon, "POST", L, 400, "username", body={"username": "", "password": "qingdan-demo"})
bad("username of 33 characters", anon, "POST", L, 400, "username", body={"username": "g" * 33, "password": "qingdan-demo"})
bad("password of 257 characters", anon, "POST", L, 400, "password", body={"username": "grid", "password": "p" * 257})
bad("a control character in the username", anon, "POST", L, 400, "username", body={"username": "gr\u0001id", "password": "qingdan-demo"})
bad("a NUL escape in the password", anon, "POST", L, 400, "body", raw='{"username": "grid", "password": "qingdan-demo\\u0000x"}')
bad("an unknown field", anon, "POST", L, 400, "remember", body={"username": "grid", "password": "qingdan-demo", "remember": True})
bad("Content-Type text/plain", anon, "POST", L, 400, "Content-Type", raw='{"username": "grid", "password": "qingdan-demo"}',
    headers={"Content-Type": "text/plain"})

# ---- POST /api/v1/users (admin) ----
N = "/api/v1/users"
NB = {"username": "new_clerk", "display_name": "新文员", "unit_id": ZLZ["id"], "password": "long-enough-1"}
bad("a username with capitals and a space", admin, "POST", N, 400, "username", body=with_(NB, username="New Clerk"))
bad("a username in Chinese", admin, "POST", N, 400, "username", body=with_(NB, username="文员"))
bad("an empty username", admin, "POST", N, 400, "username", body=with_(NB, username=""))
bad("username of 33 characters", admin, "POST", N, 400, "username", body=with_(NB, username="u" * 33))
bad("a username that is taken", admin, "POST", N, 409, "username", body=with_(NB, username="grid"))
bad("a password under 8 characters", admin, "POST", N, 400, "password", body=with_(NB, password="short"))
bad("display_name of 33 characters", admin, "POST", N, 400, "display_name", body=with_(NB, display_name="名" * 33))
bad("display_name empty", admin, "POST", N, 400, "display_name", body=with_(NB, display_name=""))
bad("a newline in display_name", admin, "POST", N, 400, "display_name", body=with_(NB, display_name="新\n文员"))
bad("a unit that does not exist", admin, "POST", N, 404, "unit_id", body=with_(NB, unit_id=NOPE))
bad("a string for unit_id", admin, "POST", N, 400, "unit_id", body=with_(NB, unit_id=str(ZLZ["id"])))
bad("an unknown field (role)", admin, "POST", N, 400, "role", body=with_(NB, role="admin"))
bad("password missing", admin, "POST", N, 400, "password", body=with_(NB, password=DEL))

# ---- POST /api/v1/calendar (admin) ----
C = "/api/v1/calendar"
CB = {"date": "2026-10-08", "kind": "holiday", "name": "国庆节"}
bad("an impossible date (2023-02-30)", admin, "POST", C, 400, "date", body=with_(CB, date="2023-02-30"))
bad("a date as a number", admin, "POST", C, 400, "date", body=with_(CB, date=20261008))
bad("date missing", admin, "POST", C, 400, "date", body=with_(CB, date=DEL))
bad("a kind not in the list", admin, "POST", C, 400, "kind", body=with_(CB, kind="festival"))
bad("kind as a number", admin, "POST", C, 400, "kind", body=with_(CB, kind=1))
bad("kind missing", admin, "POST", C, 400, "kind", body=with_(CB, kind=DEL))
bad("name of 33 characters", admin, "POST", C, 400, "name", body=with_(CB, name="节" * 33))
bad("a newline in name", admin, "POST", C, 400, "name", body=with_(CB, name="国庆\n节"))
bad("an unknown field", admin, "POST", C, 400, "year", body=with_(CB, year=2026))

# ---- other admin writes ----
bad("limits: respond longer than complete", admin, "POST", "/api/v1/settings/limits", 400, "respond",
    body={"urgency": "urgent", "respond": 5, "complete": 3, "max_extensions": 0})
bad("limits: complete 0", admin, "POST", "/api/v1/settings/limits", 400, "complete",
    body={"urgency": "urgent", "respond": 0, "complete": 0, "max_extensions": 0})
bad("units: a parent that does not exist", admin, "POST", "/api/v1/units", 404, "parent_id", body={"parent_id": NOPE, "name": "十组", "kind": "group"})
bad("units: a kind not in the list", admin, "POST", "/api/v1/units", 400, "kind", body={"parent_id": XHK["id"], "name": "十组", "kind": "city"})
bad("grants: a role not in the list", sec, "POST", f"/api/v1/users/{UID['grid']}/grants", 400, "role", body={"role": "emperor", "unit_id": XHK["id"]})
bad("revoke: a grant the user does not hold", sec, "POST", f"/api/v1/users/{UID['grid']}/revoke", 404, "role", body={"role": "admin", "unit_id": XHK["id"]})
bad("tokens: days 0", disp, "POST", "/api/v1/tokens", 400, "days", body={"days": 0})
bad("tokens: days 367", disp, "POST", "/api/v1/tokens", 400, "days", body={"days": 367})

# ---- GET list query strings ----
q = urllib.parse.quote
for path, query, status, field, name in [
    ("/api/v1/problems", "foo=1", 400, "foo", "an unknown query parameter"),
    ("/api/v1/problems", "limit=1&limit=2", 400, "limit", "a duplicated query parameter"),
    ("/api/v1/problems", "state=new&state=new", 400, "state", "a duplicated query parameter (same value)"),
    ("/api/v1/problems", "limit=0", 400, "limit", "limit 0"),
    ("/api/v1/problems", "limit=201", 400, "limit", "limit 201"),
    ("/api/v1/problems", "limit=abc", 400, "limit", "limit not a number"),
    ("/api/v1/problems", "limit=1.5", 400, "limit", "limit a float"),
    ("/api/v1/problems", "limit=", 400, "limit", "limit empty"),
    ("/api/v1/problems", "limit=99999999999999999999", 400, "limit", "limit beyond 64 bits"),
    ("/api/v1/problems", "offset=-1", 400, "offset", "a negative offset"),
    ("/api/v1/problems", "offset=1000000001", 400, "offset", "offset too large"),
    ("/api/v1/problems", "count=maybe", 400, "count", "count not a bool"),
    ("/api/v1/problems", "state=open", 400, "state", "a state not in the list"),
    ("/api/v1/problems", "unit_id=-3", 400, "unit_id", "a negative unit_id"),
    ("/api/v1/problems", "unit_id=abc", 400, "unit_id", "unit_id not a number"),
    ("/api/v1/problems", f"unit_id={NOPE}", 404, "unit_id", "a unit that does not exist"),
    ("/api/v1/problems", "category_id=0", 400, "category_id", "category_id 0"),
    ("/api/v1/problems", "q=" + q("坑" * 51), 400, "q", "q of 51 characters"),
    ("/api/v1/problems", "q=%FF%FE", 400, "q", "invalid UTF-8 in a query value"),
    ("/api/v1/problems", "q=" + q("坑") + "%E5%9D", 400, "q", "truncated UTF-8 in a query value"),
    ("/api/v1/problems", "q=a%01b", 400, "q", "a control character in a query value"),
    ("/api/v1/problems", "q=a%0Ab", 400, "q", "a newline in a query value"),
    ("/api/v1/problems", "q=a%00b", 400, "q", "a NUL byte in a query value"),
    ("/api/v1/problems", "state=%FF", 400, "state", "invalid UTF-8 in an enum query value"),
    ("/api/v1/problems", "%FF=1", 400, "query", "invalid UTF-8 in a query parameter name"),
    ("/api/v1/problems", "=li%00mit", 400, "query", "a parameter without a name whose value holds a NUL"),
    ("/api/v1/tasks", "due_before=2023-02-30", 400, "due_before", "an impossible date"),
    ("/api/v1/tasks", "due_before=tomorrow", 400, "due_before", "a date that is a word"),
    ("/api/v1/tasks", "overdue=yes", 400, "overdue", "overdue not a bool"),
    ("/api/v1/tasks", "tier=urgent", 400, "tier", "a tier not in the list"),
    ("/api/v1/tasks", "state=done", 400, "state", "a state not in the list"),
    ("/api/v1/tasks", "handler_id=0", 400, "handler_id", "handler_id 0"),
    ("/api/v1/tasks", "handler_id=-2", 400, "handler_id", "a negative handler_id"),
    ("/api/v1/tasks", "limit=10&offset=0&limit=20", 400, "limit", "a duplicated query parameter"),
    ("/api/v1/tasks", "order=deadline", 400, "order", "an unknown query parameter"),
    ("/api/v1/tasks", f"unit_id={NOPE}", 404, "unit_id", "a unit that does not exist"),
    ("/api/v1/visits", "unit_id=abc", 400, "unit_id", "unit_id not a number"),
    ("/api/v1/visits", "state=new", 400, "state", "a parameter visits do not take"),
    ("/api/v1/visits", f"unit_id={NOPE}", 404, "unit_id", "a unit that does not exist"),
    ("/api/v1/calendar", "year=1999", 400, "year", "year out of range"),
    ("/api/v1/calendar", "year=abc", 400, "year", "year not a number"),
    ("/api/v1/me", "x=1", 400, "x", "a query parameter on a route without any"),
    ("/api/v1/tasks/%d" % INPROG_H, "verbose=1", 400, "verbose", "a query parameter on one task"),
]:
    bad(name, disp, "GET", f"{path}?{query}", status, field)
bad("a body on a GET", disp, "GET", "/api/v1/tasks", 400, "body", raw='{"state": "pending"}')
bad("a problem that does not exist", disp, "GET", f"/api/v1/problems/{NOPE}", 404, "id")
bad("a task that does not exist", disp, "GET", f"/api/v1/tasks/{NOPE}/history", 404, "id")
bad("no such endpoint", disp, "GET", "/api/v1/nothing", 404, "path")

# ------------------------------------------------------------------------------------------------
for n, m in EN_ZH:
    print(f"# message_en in Chinese: {n}: {m}")
AFTER = counts()
qd.ok(AFTER == BEFORE, "the database is unchanged by all the bad requests (events, problems, tasks, visits, users, units)",
      f"before {BEFORE}\nafter  {AFTER}")
qd.ok(not EN_ZH, "every message_en is English (no Chinese characters)",
      f"{len(EN_ZH)} of the error answers above (listed as comments)")
fives = [x for x in ALL if x[2] >= 500]
qd.ok(not fives, f"no response of this file is a 5xx ({len(ALL)} responses)", fives[:10])
st, _ = anon.get("/healthz")
qd.ok(st == 200, "the server is still alive (GET /healthz 200)", st)
qd.done()
