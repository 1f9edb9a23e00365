"""Classify, and a duplicate's follow-up (issue 10 point 3, SPEC §3), over HTTP on the demo.

Classify: the dispatcher sets or changes a new problem's category without making a task (API and
the triage page's form); it is an event of the problem's timeline with who and when; a category
that does not exist, none at all, a problem no longer new, a user without the triage right are
refused naming the field, nothing changed.

A duplicate is linked to its master item, never silently closed: along a chain (a duplicate of a
duplicate) GET /problems/{id} names the master the chain ends at, its task and that task's state
(the problem's public status) as the task goes complete → follow_up → sign_off; the task names
its duplicates; its follow-up form lists every resident to ask — its problems' and its
duplicates' — masked as the presenters mask them, never the names given.  The verdict stays one
per task (the design's: core/task.c), so the list says whom to ask, not a verdict each."""
import http.client, re, urllib.parse
import qd

srv = qd.Server.demo()
disp, grid, handler, leader = srv.login("dispatch"), srv.login("grid"), srv.login("handler"), srv.login("leader")
resident = srv.login("resident")

st, units = disp.get("/api/v1/units")
by_name = {}
for u in units["items"]:
    by_name.setdefault(u["name"], u)
xhk = by_name["新河口村"]
group = [u for u in units["items"] if u["parent_id"] == xhk["id"]][0]
zlz = by_name["周老嘴镇"]
me = {name: s.get("/api/v1/me")[1] for name, s in [("handler", handler), ("leader", leader), ("disp", disp)]}
st, cats = disp.get("/api/v1/categories")
cat_a, cat_b = cats["items"][0], cats["items"][1]


def fetch(sess, method, path, form=None):
    """(status, headers, text) of a page; form: (name, value) pairs posted urlencoded."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    h = {"Cookie": f"qd_session={sess.cookie}"}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        h["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    text = r.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, hdrs, text


def post_page(sess, page, action, fields):
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    return fetch(sess, "POST", action, [("csrf", csrf)] + list(fields.items()))


def problem(sess, desc, **more):
    st, p = sess.post("/api/v1/problems", dict({"unit_id": group["id"], "description": desc}, **more))
    assert st == 201, (st, p)
    return p["id"]


def get(pid, sess=disp):
    return sess.get(f"/api/v1/problems/{pid}")[1]


# --- classify: the API -----------------------------------------------------------------------------
p0 = problem(grid, "村口垃圾池满了好几天没人清运")
st, p = disp.post(f"/api/v1/problems/{p0}/classify", {"category_id": cat_a["id"]})
qd.ok(st == 200 and p["category_id"] == cat_a["id"] and p["category_name"] == cat_a["name"] and p["state"] == "new",
      "classify sets the category of a new problem, which stays new", (st, p))
st, p = disp.post(f"/api/v1/problems/{p0}/classify", {"category_id": cat_b["id"]})
qd.ok(st == 200 and p["category_id"] == cat_b["id"], "…and changes it", (st, p))
for why, body, status, field in [("no such category", {"category_id": 999999}, 404, "category_id"),
                                 ("no category", {}, 400, "category_id"),
                                 ("a category that is not an id", {"category_id": "x"}, 400, "category_id")]:
    st, b = disp.post(f"/api/v1/problems/{p0}/classify", body)
    qd.ok(st == status and b.get("field") == field and get(p0)["category_id"] == cat_b["id"],
          f"{why}: {status} naming {field}, the category unchanged", (st, b))
st, b = grid.post(f"/api/v1/problems/{p0}/classify", {"category_id": cat_a["id"]})
qd.ok(st == 403 and get(p0)["category_id"] == cat_b["id"], "a grid worker (no triage right) may not classify", (st, b))
st, b = disp.post("/api/v1/problems/99999999/classify", {"category_id": cat_a["id"]})
qd.ok(st == 404 and b.get("field") == "id", "classifying no problem: 404 naming id", (st, b))

# --- classify: the triage page, and the timeline ------------------------------------------------------
st, _, page = fetch(disp, "GET", f"/triage/{p0}")
qd.ok(st == 200 and f'action="/triage/{p0}/classify"' in page and 'id="f-category_id"' in page
      and 'label for="f-category_id"' in page, "the triage page has a labelled classify form", st)
qd.ok(re.search(rf'<option value="{cat_b["id"]}" selected>', page), "…with the current category chosen")
st, hdrs, text = post_page(disp, page, f"/triage/{p0}/classify", {"category_id": ""})
qd.ok(st == 400 and "error-summary" in text and 'href="#f-category_id"' in text and 'id="f-category_id-error"' in text
      and get(p0)["category_id"] == cat_b["id"],
      "classifying without a category: the page again, the summary linking the field, nothing changed", (st, text[:300]))
st, hdrs, text = post_page(disp, page, f"/triage/{p0}/classify", {"category_id": str(cat_a["id"])})
qd.ok(st == 303 and hdrs.get("location", "").startswith(f"/triage/{p0}") and get(p0)["category_id"] == cat_a["id"],
      "classifying from the page answers 303 back to the triage page; the API shows the category", (st, hdrs.get("location")))
st, _, page = fetch(disp, "GET", f"/problems/{p0}")
events = re.findall(r'<li data-kind="problem\.classify"><time>[^<]+</time> <span class="who">([^<]*)</span> ([^<]*)', page)
qd.ok(len(events) == 3 and all(w == me["disp"]["display_name"] and t.strip() == "研判分类" for w, t in events),
      "the problem's timeline lists each classify with who did it", events)
st, t = disp.post("/api/v1/tasks", {"problem_ids": [p0], "title": "清运垃圾池"})
st, b = disp.post(f"/api/v1/problems/{p0}/classify", {"category_id": cat_b["id"]})
qd.ok(st == 409 and b.get("field") == "id" and get(p0)["category_id"] == cat_a["id"],
      "a problem made into a task is no longer classified by triage (409 naming id)", (st, b))

# --- a duplicate of a duplicate: the master, its task, the task's status --------------------------------
master = problem(grid, "三组到五组的机耕路被雨水冲坏了，车开不过去", reporter={"name": "张建国", "phone": "13812345678"})
dup1 = problem(grid, "机耕路冲坏了，三组五组之间过不了车", reporter={"name": "欧阳明", "phone": "13912345678"})
dup2 = problem(resident, "我们组那条机耕路坏了好久了")
st, _ = disp.post(f"/api/v1/problems/{dup2}/merge", {"into": dup1})
st2, _ = disp.post(f"/api/v1/problems/{dup1}/merge", {"into": master})
qd.ok(st == 200 and st2 == 200, "a duplicate merged into a problem later merged itself: a chain", (st, st2))
p = get(dup2)
qd.ok(p["state"] == "merged" and p["merged_into"] == dup1 and p["master_id"] == master and p["master_task_id"] is None
      and p["task_state"] is None, "before a task: the chain's end is the master, no task yet", p)
st, t = disp.post("/api/v1/tasks", {"problem_ids": [master], "title": "修复三组至五组机耕路", "unit_id": zlz["id"],
                                     "handler_id": me["handler"]["id"], "leader_id": me["leader"]["id"]})
qd.ok(st == 201, "the master is made into a task", (st, t))
tid = t["id"]
qd.ok(sorted(x["id"] for x in t["duplicates"]) == sorted([dup1, dup2]) and [x["id"] for x in t["problems"]] == [master],
      "the task names its problems and the duplicates merged into them, down the chain", t.get("duplicates"))


def status_of(pid, sess=disp):
    p = get(pid, sess)
    return p.get("master_id"), p.get("master_task_id"), p.get("task_state")


for action, body in [("accept", {}), ("complete", {"outcome": "resolved", "note": "已铺石修复"})]:
    st, _ = handler.post(f"/api/v1/tasks/{tid}/{action}", body)
    assert st == 200, (action, st)
qd.ok(status_of(dup2) == (master, tid, "completed") and status_of(dup1) == (master, tid, "completed"),
      "completed: each duplicate shows the master, its task and the task's state", (status_of(dup2), status_of(dup1)))
qd.ok(get(master)["task_state"] == "completed" and get(master)["master_id"] is None,
      "the master itself: its own task's state, no master", get(master))
qd.ok(status_of(dup2, resident) == (master, tid, "completed"),
      "the resident of the duplicate sees its public status, the task's", status_of(dup2, resident))

# the follow-up form: every resident to ask, masked
st, _, page = fetch(disp, "GET", f"/tasks/{tid}")
form = re.search(r'<form method="post" action="/tasks/%d/follow_up".*?</form>' % tid, page, re.S)
qd.ok(st == 200 and form, "the dispatcher is offered the follow-up form", st)
contacts = re.search(r'<div class="contacts" id="contacts">.*?</div>', form.group(0), re.S).group(0) if form else ""
qd.ok(all(f'href="/problems/{x}"' in contacts for x in (master, dup1, dup2)),
      "the follow-up form lists the task's problem and both duplicates", contacts[:600])
qd.ok("张**" in contacts and "欧阳*" in contacts, "…their residents masked as the presenter masks them", contacts[:600])
qd.ok("张建国" not in page and "欧阳明" not in page and "13812345678" not in page and "1391234" not in page,
      "no name or phone as given anywhere on the task page")
qd.ok(re.search(r"#%d</a> <strong class=\"reporter\">[^<]+</strong>.*重复于 #%d" % (dup2, dup1), contacts, re.S),
      "a duplicate says which problem it duplicates", contacts[:600])
st, _, page = fetch(disp, "GET", f"/problems/{dup2}")
qd.ok(st == 200 and f'href="/problems/{master}"' in page and 'id="master"' in page,
      "the duplicate's page names its master item", st)
qd.ok(f'href="/tasks/{tid}"' in page and 'data-state="completed"' in page,
      "…and the master's task with its status", re.findall(r'data-state="[^"]*"', page))

st, t = disp.post(f"/api/v1/tasks/{tid}/follow_up", {"satisfaction": "satisfied", "solved": True, "channel": "phone",
                                                       "note": "三位群众均电话回访，满意"})
qd.ok(st == 200 and t["satisfaction"] == "satisfied", "the follow-up records the task's verdict (one per task)", (st, t))
st, t = leader.post(f"/api/v1/tasks/{tid}/sign_off", {})
if st != 200:
    st, t = srv.login("supervisor").post(f"/api/v1/tasks/{tid}/sign_off", {})
qd.ok(st == 200 and t["state"] == "signed_off", "the task is signed off", (st, t))
qd.ok(status_of(dup2) == (master, tid, "signed_off") and status_of(dup2, resident) == (master, tid, "signed_off"),
      "signed off: the duplicate's status is the task's, for staff and its resident", status_of(dup2))
st, _, page = fetch(disp, "GET", f"/problems/{dup1}")
qd.ok('data-state="signed_off"' in page, "the duplicate's page shows the master's task signed off")
qd.ok(get(dup2)["state"] == "merged", "the duplicate keeps its link (state merged), never closed on its own")

qd.check_db(srv)
srv.stop()
qd.done()
