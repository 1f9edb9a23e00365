"""Scope of intake and assignment (issue 9 point 8), over HTTP on the demo: a resident files
problems only for a village, community or group (400 naming unit_id for a township, department or
the county); a dispatcher assigns — a task created with a unit, or the assign action — within
their own area and to the hand-off units, by default the departments and companies directly under
the county, which the county administrator may set (GET/POST /api/v1/settings/handoff); never to
another township (403 naming unit_id)."""
import qd

srv = qd.Server.demo()
admin, disp, resident = srv.login("admin"), srv.login("dispatch"), srv.login("resident")
sec = srv.login("security")  # the security administrator grants (issue 9: duties kept apart)
leader = srv.login("leader")

st, units = admin.get("/api/v1/units")
items = units["items"]
by_name = {u["name"]: u for u in items}
by_id = {u["id"]: u for u in items}
county = [u for u in items if not u["parent_id"]][0]
town_a = by_name["周老嘴镇"]
town_b = [u for u in items if u["kind"] == "township" and u["id"] != town_a["id"]][0]
village_a = [u for u in items if u["parent_id"] == town_a["id"] and u["kind"] in ("village", "community")][0]
group_a = [u for u in items if u["parent_id"] == village_a["id"]][0]
village_b = [u for u in items if u["parent_id"] == town_b["id"] and u["kind"] in ("village", "community")][0]
depts = [u for u in items if u["kind"] in ("department", "company") and u["parent_id"] == county["id"]]
st, users = admin.get("/api/v1/users")
uname = {u["username"]: u for u in users["items"]}
handler_of = lambda unit: uname["handler"] if unit["id"] == town_a["id"] else uname[f"h{unit['id']}"]
depts = [d for d in depts if f"h{d['id']}" in uname]
qd.ok(len(depts) >= 2, "the demo has county departments with handlers", [d["name"] for d in depts])
dept1, dept2 = depts[0], depts[1]
me_leader = leader.get("/api/v1/me")[1]

# --- a resident files where people live -----------------------------------------------------------
for unit, what in [(town_a, "a township"), (county, "the county"), (dept1, "a county department")]:
    st, b = resident.post("/api/v1/problems", {"unit_id": unit["id"], "description": "反映的问题：路面坑洼"})
    qd.ok(st == 400 and b["field"] == "unit_id" and "村" in b["message_zh"],
          f"a resident cannot file for {what} (400 naming unit_id)", (st, b))
for unit, what in [(group_a, "a villagers' group"), (village_a, "a village"), (village_b, "a village of another township")]:
    st, b = resident.post("/api/v1/problems", {"unit_id": unit["id"], "description": "反映的问题：路灯不亮"})
    qd.ok(st == 201, f"a resident files for {what}", (st, b))
st, b = disp.post("/api/v1/problems", {"unit_id": town_a["id"], "description": "乡镇层面登记的问题"})
qd.ok(st == 201, "staff still log problems for a township they cover", (st, b))

# --- a township dispatcher ------------------------------------------------------------------------
st, u = admin.post("/api/v1/users", {"username": "disp_a", "display_name": "周调度", "unit_id": town_a["id"],
                                      "password": "qingdan-demo"})
qd.ok(st == 201, "the administrator adds a township dispatcher", (st, u))
st, g = sec.post(f"/api/v1/users/{u['id']}/grants", {"role": "dispatcher", "unit_id": town_a["id"]})
qd.ok(st in (200, 201), "…granted the dispatcher role over township A by the security administrator", (st, g))
disp_a = srv.login("disp_a")


def problem(desc="村道破损需要修补"):
    st, p = disp_a.post("/api/v1/problems", {"unit_id": group_a["id"], "description": desc})
    assert st == 201, (st, p)
    return p["id"]


def create(unit, sess=None):
    return (sess or disp_a).post("/api/v1/tasks", {"problem_ids": [problem()], "title": "修补村道", "unit_id": unit["id"],
                                                   "handler_id": handler_of(unit)["id"], "leader_id": me_leader["id"]})


def assign(tid, unit, sess=None):
    return (sess or disp_a).post(f"/api/v1/tasks/{tid}/assign", {"unit_id": unit["id"], "handler_id": handler_of(unit)["id"],
                                                                 "leader_id": me_leader["id"]})


st, t = create(town_a)
qd.ok(st == 201 and t["state"] == "assigned" and t["unit_id"] == town_a["id"], "A's dispatcher assigns within township A", (st, t))
st, b = create(town_b)
qd.ok(st == 403 and b["field"] == "unit_id" and town_b["name"] in b["message_zh"],
      "A's dispatcher cannot create a task assigned to township B (403 naming unit_id)", (st, b))
st, pending = disp_a.post("/api/v1/tasks", {"problem_ids": [problem()], "title": "待交办"})
qd.ok(st == 201 and pending["state"] == "pending", "a pending task of township A", (st, pending))
st, b = assign(pending["id"], town_b)
qd.ok(st == 403 and b["field"] == "unit_id", "nor assign it to township B", (st, b))
qd.ok(disp_a.get(f"/api/v1/tasks/{pending['id']}")[1]["state"] == "pending", "the refused assignment changed nothing")
st, b = disp_a.post(f"/api/v1/tasks/{pending['id']}/assign", {"unit_id": village_b["id"], "handler_id": handler_of(town_b)["id"],
                                                              "leader_id": me_leader["id"]})
qd.ok(st == 403 and b["field"] == "unit_id", "nor to a village of township B", (st, b))

# default hand-off units: departments and companies directly under the county
st, h = disp_a.get("/api/v1/settings/handoff")
ids = [x["id"] for x in h["units"]]
qd.ok(st == 200 and h["configured"] is False and dept1["id"] in ids and dept2["id"] in ids
      and all(by_id[i]["kind"] in ("department", "company") and by_id[i]["parent_id"] == county["id"] for i in ids),
      "by default the hand-off units are the county's departments and companies", (st, h))
st, t = assign(pending["id"], dept1)
qd.ok(st == 200 and t["state"] == "assigned" and t["unit_id"] == dept1["id"], "A's dispatcher hands a task to a county department", (st, t))

# the administrator sets them
st, b = disp.post("/api/v1/settings/handoff", {"unit_ids": [dept1["id"]]})
qd.ok(st == 403, "only the administrator sets the hand-off units", (st, b))
st, b = admin.post("/api/v1/settings/handoff", {"unit_ids": [dept1["id"], town_b["id"]]})
qd.ok(st == 400 and b["field"] == "unit_ids", "a township cannot be a hand-off unit (400 naming unit_ids)", (st, b))
st, b = admin.post("/api/v1/settings/handoff", {"unit_ids": [999999]})
qd.ok(st == 404 and b["field"] == "unit_ids", "an unknown unit is 404 naming unit_ids", (st, b))
st, b = admin.post("/api/v1/settings/handoff", {"unit_ids": []})
qd.ok(st == 400 and b["field"] == "unit_ids", "an empty list is refused", (st, b))
st, h = admin.post("/api/v1/settings/handoff", {"unit_ids": [dept1["id"]]})
qd.ok(st == 200 and h["configured"] is True and [x["id"] for x in h["units"]] == [dept1["id"]],
      "the administrator sets the hand-off units", (st, h))
st, b = create(dept2)
qd.ok(st == 403 and b["field"] == "unit_id", "a department not allowed by the setting is refused (403)", (st, b))
st, t = create(dept1)
qd.ok(st == 201 and t["unit_id"] == dept1["id"], "the department the setting allows is accepted", (st, t))
st, t = create(dept2, sess=disp)
qd.ok(st == 201 and t["unit_id"] == dept2["id"], "the county dispatcher assigns anywhere in the county", (st, t))
st, t = create(town_b, sess=disp)
qd.ok(st == 201 and t["unit_id"] == town_b["id"], "…township B too", (st, t))

srv.stop()
ran, r = qd.check_db(srv)
if not ran:
    qd.skip("qingdan check passes", r)
else:
    qd.ok(r.returncode == 0 and "check passed" in r.stdout, "qingdan check replays the setting", r.stdout + r.stderr)
qd.done()
