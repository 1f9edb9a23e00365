"""The task actions' bodies come from the task machine (src/core/task.c): GET /api/v1/routes serves
each action's body spec, written here literally (names, types, required, bounds, enums); the
dispatcher refuses a field an action does not take and an unknown action; a required text field
given blank counts as missing (it was accepted before the machine checked the spec)."""
import qd

srv = qd.Server.demo()
disp, handler = srv.login("dispatch"), srv.login("handler")

NOTE = {"name": "note", "type": "text", "required": False, "max": 1000}
NOTE_REQ = dict(NOTE, required=True)
REASON = {"name": "reason", "type": "text", "required": False, "max": 500}
REASON_REQ = dict(REASON, required=True)
URG = {"name": "urgency", "type": "enum", "required": False, "enum": ["urgent", "normal", "complex"]}
ID = lambda n: {"name": n, "type": "id", "required": True}
WANT = {
    "assign": [ID("unit_id"), ID("handler_id"), ID("leader_id"), URG, NOTE],
    "accept": [NOTE],
    "return": [REASON_REQ],
    "progress": [NOTE_REQ, {"name": "progress", "type": "integer", "required": False, "min": 0, "max": 100}],
    "request_extension": [REASON_REQ, {"name": "days", "type": "integer", "required": True, "min": 1, "max": 60}],
    "approve_extension": [NOTE],
    "deny_extension": [REASON_REQ],
    "complete": [{"name": "outcome", "type": "enum", "required": True, "enum": ["resolved", "explained"]}, NOTE_REQ],
    "follow_up": [{"name": "solved", "type": "boolean", "required": False},
                  {"name": "satisfaction", "type": "enum", "required": True,
                   "enum": ["satisfied", "basic", "unsatisfied", "unreachable"]},
                  {"name": "channel", "type": "enum", "required": False, "enum": ["online", "phone", "in_person"]}, NOTE],
    "sign_off": [{"name": "exception", "type": "boolean", "required": False}, REASON, NOTE],
    "reopen": [REASON_REQ, URG],
}

st, routes = disp.get("/api/v1/routes")
route = [r for r in routes["items"] if r["path"] == "/api/v1/tasks/{id}/{action}" and r["method"] == "POST"]
qd.ok(st == 200 and len(route) == 1, "the action route is served", (st, route))
served = {a["name"]: a["body"] for a in route[0].get("actions", [])}
qd.ok(sorted(served) == sorted(WANT), "every action of the task machine is served with its body", sorted(served))
for name, want in WANT.items():
    got = served.get(name)
    qd.ok(got == want, f"{name}: the served body spec is the action's", {"got": got, "want": want})

# a task to act on
st, units = disp.get("/api/v1/units")
village = [u for u in units["items"] if u["name"] == "新河口村"][0]
st, p = disp.post("/api/v1/problems", {"unit_id": village["id"], "description": "村口路灯不亮"})
st, t = disp.post("/api/v1/tasks", {"problem_ids": [p["id"]], "title": "修路灯"})
qd.ok(st == 201 and t["state"] == "pending", "a pending task", (st, t))
tid = t["id"]

st, b = disp.post(f"/api/v1/tasks/{tid}/fly", {})
qd.ok(st == 400 and b["field"] == "action", "an unknown action is refused naming 'action'", (st, b))
st, b = disp.post(f"/api/v1/tasks/{tid}/assign", {"days": 3})
qd.ok(st == 400 and b["field"] == "days" and "assign" in b["message_en"] and "交办" in b["message_zh"],
      "a field the action does not take is refused naming it and the action", (st, b))
st, b = disp.post(f"/api/v1/tasks/{tid}/assign", {"unit_id": "x"})
qd.ok(st == 400 and b["field"] == "unit_id", "a field of the wrong type is refused naming it", (st, b))
st, b = handler.post(f"/api/v1/tasks/{tid}/accept", {"note": "好"})
qd.ok(st == 409 and b["field"] == "action", "state before the body: accept on a pending task is a conflict", (st, b))
st, b = handler.post(f"/api/v1/tasks/{tid}/assign", {})
qd.ok(st == 403 and b["field"] == "action", "rights before required fields: the handler may not assign", (st, b))

st, me_h = handler.get("/api/v1/me")
st, me_l = srv.login("leader").get("/api/v1/me")
town = [u for u in units["items"] if u["name"] == "周老嘴镇"][0]
st, t = disp.post(f"/api/v1/tasks/{tid}/assign", {"unit_id": town["id"], "handler_id": me_h["id"], "leader_id": me_l["id"]})
qd.ok(st == 200 and t["state"] == "assigned", "assigned", (st, t))
st, t = handler.post(f"/api/v1/tasks/{tid}/accept")
qd.ok(st == 200 and t["state"] == "in_progress", "accepted without a body", (st, t))
st, b = handler.post(f"/api/v1/tasks/{tid}/progress", {"note": "   ", "progress": 20})
qd.ok(st == 400 and b["field"] == "note", "a blank note counts as no note", (st, b))
st, t = handler.get(f"/api/v1/tasks/{tid}")
qd.ok(t["progress"] == 0, "and changes nothing", t["progress"])
st, b = handler.post(f"/api/v1/tasks/{tid}/progress", {"note": "已报修", "progress": 101})
qd.ok(st == 400 and b["field"] == "progress", "progress above 100 is refused naming it", (st, b))
st, t = handler.post(f"/api/v1/tasks/{tid}/progress", {"note": "已报修", "progress": 40})
qd.ok(st == 200 and t["progress"] == 40, "progress reported", (st, t))
st, h = handler.get(f"/api/v1/tasks/{tid}/history")
last = h["events"][-1]
qd.ok(last["kind"] == "task.progress" and last["from"] == "in_progress" and last["to"] == "in_progress"
      and last["note"] == "已报修", "the event records the action, from/to and the note", last)
qd.done()
