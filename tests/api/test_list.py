"""The task list read path (issue 7): a list item carries the list fields only, the whole task
is GET /tasks/{id}; what a server caches of sessions, grants and names (store/cache.c) follows
every change at once — a logout, a revoked or added grant (over the API or by the CLI, another
process), a renamed unit; the township-sized list (two indexes, migration 5) gives the same
tasks in the same order as the general query."""
import os, sqlite3
import qd

LIST_FIELDS = {"id", "title", "state", "state_zh", "tier", "urgency", "unit_id", "unit_name", "origin_unit_id",
               "origin_unit_name", "handler_id", "handler_name", "leader_id", "leader_name", "deadline", "overdue",
               "actions", "problem_count"}

srv = qd.Server.demo()
disp = srv.login("dispatch")
admin = srv.login("admin")
sec = srv.login("security")  # grants are the security administrator's

# --- the list item and the whole task ---------------------------------------------------------
st, lst = disp.get("/api/v1/tasks?limit=200")
items = lst["items"] if st == 200 else []
qd.ok(items and all(set(t) == LIST_FIELDS for t in items), "a list item carries exactly the list fields",
      [sorted(set(t) ^ LIST_FIELDS) for t in items[:3]])
assigned = [t for t in items if t["unit_id"]]
t0 = assigned[0] if assigned else {}
st, full = disp.get(f"/api/v1/tasks/{t0.get('id')}")
qd.ok(st == 200 and {"measures", "assigned_on", "respond_by", "created_at", "problems", "category_name"} <= set(full),
      "GET /tasks/{id} still has the whole task", sorted(full) if st == 200 else full)
same = st == 200 and all(full[k] == t0[k] for k in LIST_FIELDS - {"problem_count"})
qd.ok(same and t0["problem_count"] == len(full["problems"]) and t0["problem_count"] >= 1,
      "the list item says what the whole task says, and counts its problems",
      {k: (t0.get(k), full.get(k)) for k in LIST_FIELDS if st == 200 and t0.get(k) != full.get(k, len(full.get("problems", [])))})
qd.ok(all(t["unit_name"] and t["handler_name"] and t["origin_unit_name"] for t in assigned),
      "an assigned task in the list names its units and handler", assigned[:1])

# --- actions and overdue in the list are the whole task's, for every task and several callers -----
# (a list row reads only the machine's MC_DERIVES columns: core/machine.h)
mismatch, seen = [], 0
for who in ["dispatch", "supervisor", "leader", "handler", "analyst"]:
    try:
        c = srv.login(who)
    except Exception:
        continue
    st, b = c.get("/api/v1/tasks?limit=200")
    for t in (b.get("items", []) if st == 200 else [])[:60]:
        st, one = c.get(f"/api/v1/tasks/{t['id']}")
        seen += 1
        if st != 200 or one["actions"] != t["actions"] or one["overdue"] != t["overdue"] or one["state_zh"] != t["state_zh"]:
            mismatch.append((who, t["id"], t["actions"], one.get("actions"), t["overdue"], one.get("overdue")))
qd.ok(seen >= 100 and not mismatch, f"every listed task's actions and overdue are the whole task's ({seen} compared)",
      mismatch[:3])

# --- the township-sized list: the same tasks in the same order as the general query ------------
db = srv.connect()
towns = [r[0] for r in db.execute("SELECT id FROM unit WHERE kind IN ('township', 'department') ORDER BY id")]
key = "ORDER BY t.deadline, t.unit_path, t.origin_path, t.id"
def page_ids(query, step):
    """The ids of every page of a list, `step` at a time (None when a page is not 200)."""
    got, off = [], 0
    while True:
        st, b = disp.get(f"{query}&limit={step}&offset={off}")
        if st != 200:
            return None
        got += [t["id"] for t in b["items"]]
        if not b["has_more"]:
            return got
        off += step


bad = []
for town in towns:
    path = db.execute("SELECT path FROM unit WHERE id=?", (town,)).fetchone()[0]
    for state in ["in_progress", "completed", "assigned", "signed_off"]:
        want = [r[0] for r in db.execute(
            f"SELECT t.id FROM task t WHERE t.state=? AND ((t.unit_path >= ? AND t.unit_path < ?) OR "
            f"(t.origin_path >= ? AND t.origin_path < ?)) {key}", (state, path, path[:-1] + "0", path, path[:-1] + "0"))]
        got = page_ids(f"/api/v1/tasks?unit_id={town}&state={state}", 7)
        if got != want:
            bad.append((town, state, got, want))
qd.ok(towns and not bad, f"a township's list by state, page by page, is exactly its tasks in deadline order ({len(towns)} units)",
      bad[:2])

# the county-wide list (no subtree: the (state, deadline) index), page by page, ties in deadline
# broken by the paths and the id
bad = []
for state in ["in_progress", "signed_off"]:
    want = [r[0] for r in db.execute(f"SELECT t.id FROM task t WHERE t.state=? {key}", (state,))]
    got = page_ids(f"/api/v1/tasks?state={state}", 9)
    ties = len(want) - len({r[0] for r in db.execute("SELECT deadline FROM task WHERE state=?", (state,))})
    if got != want or ties < 1:
        bad.append((state, ties, got[:12] if got else got, want[:12]))
qd.ok(not bad, "the county list by state, page by page, is every task in (deadline, paths, id) order, ties included", bad[:1])

# --- what the server caches follows every change ------------------------------------------------
users = admin.get("/api/v1/users")[1]["items"]
grid = [u for u in users if u["username"] == "grid"][0]
units = admin.get("/api/v1/units")[1]["items"]
root = [u for u in units if u["parent_id"] is None][0]

# logout: the old token answers 401 on the very next request
s = srv.login("analyst")
st, _ = s.get("/api/v1/tasks?limit=1")
qd.ok(st == 200, "a logged-in analyst reads the list")
st, _ = s.post("/api/v1/logout", {})
qd.ok(st == 200, "the analyst logs out")
st, b = s.get("/api/v1/tasks?limit=1")
qd.ok(st == 401, "after logout the same session answers 401 at once", (st, b))

# a grant added over the API widens the list at once; revoked, it narrows at once
g = srv.login("grid")
before = g.get("/api/v1/tasks?limit=200")
st, b = sec.post(f"/api/v1/users/{grid['id']}/grants", {"role": "analyst", "unit_id": root["id"]})
qd.ok(st in (200, 201), "the administrator grants the grid worker county-wide reading", (st, b))
wide = g.get("/api/v1/tasks?limit=200")
qd.ok(wide[0] == 200 and len(wide[1]["items"]) > len(before[1].get("items", [])),
      "the grid worker's list widens on the next request", (before[0], len(before[1].get("items", [])), len(wide[1]["items"])))
st, b = sec.post(f"/api/v1/users/{grid['id']}/revoke", {"role": "analyst", "unit_id": root["id"]})
qd.ok(st == 200, "the administrator revokes it", (st, b))
after = g.get("/api/v1/tasks?limit=200")
qd.ok(after[0] == before[0] and [t["id"] for t in after[1].get("items", [])] == [t["id"] for t in before[1].get("items", [])],
      "the grid worker's list narrows back on the next request", (after[0], len(after[1].get("items", []))))

# a grant written by the CLI (another process, the same database) is seen at once
r = qd.run("user", "grant", *srv.db_args(), "--username", "grid", "--unit", str(root["id"]), "--role", "analyst")
qd.ok(r.returncode == 0, "qingdan user grant adds a grant while the server runs", r.stdout + r.stderr)
cli = g.get("/api/v1/tasks?limit=200")
qd.ok(cli[0] == 200 and len(cli[1]["items"]) == len(wide[1]["items"]),
      "the list follows the grant the CLI wrote, on the next request", (cli[0], len(cli[1].get("items", []))))

# a renamed unit: the names in the list are not stale (written directly, as another process would)
first = assigned[0]
w = srv.connect(write=True)
w.execute("UPDATE unit SET name = name || '（新）' WHERE id = ?", (first["unit_id"],))
w.commit()
w.close()
st, b = disp.get("/api/v1/tasks?limit=200")
renamed = [t for t in b.get("items", []) if t["id"] == first["id"]]
qd.ok(renamed and renamed[0]["unit_name"] == first["unit_name"] + "（新）",
      "a unit renamed by another process is named anew in the next list", renamed[:1])
# a handler renamed by another process: named anew in the next list
hid = first["handler_id"]
w = srv.connect(write=True)
w.execute("UPDATE \"user\" SET display_name = display_name || '（改）' WHERE id = ?", (hid,))
w.commit()
w.close()
st, b = disp.get("/api/v1/tasks?limit=200")
theirs = [t for t in b.get("items", []) if t["handler_id"] == hid]
qd.ok(theirs and all(t["handler_name"].endswith("（改）") for t in theirs),
      "a handler renamed by another process is named anew in the next list", theirs[:1])

db.close()
srv.stop()
qd.done()
