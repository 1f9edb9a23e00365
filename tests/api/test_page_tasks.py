"""test_page_tasks.py — the task pages as a browser without JavaScript gets them (web/page_task.c):
the list /tasks agrees with GET /api/v1/tasks for the same query (filters, sort, paging, total),
the task page offers exactly the actions the API allows, an action's form POST moves the task
(303 back to the task, the API shows the new state), a refused one shows the form again naming
the field and changes nothing, a task outside the reader's scope is the API's 404 as a page, and /tasks.csv
opens in Python's csv module: BOM, headings in the reader's language, formula cells neutralised,
personal data masked exactly as the page shows it.  Plain HTTP (qd.py) and html.parser."""
import csv, http.client, io, json, os, sys, urllib.parse
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
import qd


class Page(HTMLParser):
    """What a test reads off a page: the task rows of table.list (ids in order), the caption, the
    forms (action → {field names}, hidden csrf), the error summary's links, ids, and the text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.rows, self.forms, self.summary, self.ids, self.text = [], {}, [], set(), []
        self.caption, self._in_caption, self._in_table, self._form, self._in_summary = "", False, False, None, 0
        self.csrf = None
        self.feed(html)
        self.text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        cls = a.get("class") or ""
        if tag == "table" and "list" in cls.split():
            self._in_table = True
        if tag == "caption":
            self._in_caption = True
        if tag == "a" and self._in_table and a.get("href", "").startswith("/tasks/"):
            self.rows.append(int(a["href"].split("/")[2]))
        if tag == "div" and "error-summary" in cls.split():
            self._in_summary = 1
        elif tag == "div" and self._in_summary:
            self._in_summary += 1
        if tag == "a" and self._in_summary:
            self.summary.append(a.get("href"))
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = a.get("action")
            self.forms[self._form] = set()
        if tag in ("input", "textarea", "select") and self._form and a.get("name"):
            self.forms[self._form].add(a["name"])
            if a["name"] == "csrf":
                self.csrf = a.get("value")

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        if tag == "caption":
            self._in_caption = False
        if tag == "form":
            self._form = None
        if tag == "div" and self._in_summary:
            self._in_summary -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._in_caption:
            self.caption += data


def raw(sess, method, path, body=None, ctype=None, cookies=""):
    """(status, headers, body bytes) with the session's cookie (and more cookies)."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    h = {}
    jar = [f"qd_session={sess.cookie}"] if sess and sess.cookie else []
    if cookies:
        jar.append(cookies)
    if jar:
        h["Cookie"] = "; ".join(jar)
    if ctype:
        h["Content-Type"] = ctype
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def page(sess, path, **kw):
    st, h, data = raw(sess, "GET", path, **kw)
    return st, h, Page(data.decode("utf-8"))


def form_post(sess, path, fields):
    return raw(sess, "POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")


def api_ids(sess, query):
    st, body = sess.get("/api/v1/tasks?" + query)
    assert st == 200, (st, body)
    return [t["id"] for t in body["items"]], body


srv = qd.Server.demo()
disp = srv.login("dispatch")
handler = srv.login("handler")
st, me = handler.get("/api/v1/me")
handler_id = me["id"]

# --- the list agrees with the API ------------------------------------------------------------------

for q in ["", "state=in_progress", "overdue=1", "tier=scheduled", "sort=updated", "sort=state",
          "limit=7&offset=7", "sort=state&limit=5&offset=10", "q=%E8%B7%AF", f"handler_id={handler_id}",
          "due_before=2026-11-30&sort=deadline"]:
    ids, body = api_ids(disp, (q + "&" if q else "") + "count=1")
    st, h, p = page(disp, "/tasks" + ("?" + q if q else ""))
    qd.ok(st == 200 and h.get("content-type", "").startswith("text/html"), f"/tasks?{q}: a page", st)
    qd.ok(p.rows == ids, f"/tasks?{q}: the rows are the API's, in its order",
          f"page {p.rows[:12]}\napi  {ids[:12]}")
    qd.ok(f"（{body['total']}）" in p.caption, f"/tasks?{q}: the caption counts the API's total {body['total']}",
          p.caption)

# sort links and paging links keep the filter
st, h, p = page(disp, "/tasks?state=in_progress&limit=5")
html = raw(disp, "GET", "/tasks?state=in_progress&limit=5")[2].decode()
qd.ok('href="/tasks?state=in_progress&amp;limit=5&amp;sort=updated"' in html, "a sort link keeps the filter", html[:400])
qd.ok('rel="next" href="/tasks?state=in_progress&amp;limit=5&amp;offset=5"' in html, "the next page keeps the filter")
st, h, p2 = page(disp, "/tasks?state=in_progress&limit=5&offset=5")
ids, _ = api_ids(disp, "state=in_progress&limit=5&offset=5")
qd.ok(p2.rows == ids and not set(p2.rows) & set(p.rows), "the second page is the API's second page", (p2.rows, ids))

# a handler's "mine" view: only their tasks; overdue marked in text, not colour alone
st, h, p = page(handler, f"/tasks?handler_id={handler_id}")
ids, body = api_ids(handler, f"handler_id={handler_id}&count=1")
qd.ok(p.rows == ids and all(t["handler_name"] == me["display_name"] for t in body["items"]),
      "the handler's own view lists exactly their tasks", (p.rows, ids))
over = [t for t in body["items"] if t["overdue"] and t["state"] in ("assigned", "in_progress", "extension_requested")]
qd.ok(not over or "已超期" in p.text, "an overdue task is marked 已超期 in text", len(over))

# a filter the dispatcher refuses: the list page again with the summary naming the field (the
# dispatcher calls the route's invalid renderer once part input is in: its login answer has "csrf")
INPUT = bool(getattr(disp, "csrf", None))
st, h, p = page(disp, "/tasks?state=bogus")
qd.ok(st == 400, "a bad filter: 400", st)
if INPUT:
    qd.ok("#f-state" in p.summary and "f-state" in p.ids, "a bad filter: the summary links to the field", p.summary)
else:
    qd.skip("a bad filter: the summary links to the field", "the dispatcher's invalid renderer call is part input's")
st, h, p = page(disp, "/tasks?unit_id=999999")
qd.ok(st == 404, "an unknown unit: a 404 page", st)

# not logged in: to the login page
st, h, _ = raw(None, "GET", "/tasks")
qd.ok(st == 303 and h.get("location", "").startswith("/login"), "/tasks without a login: 303 to /login", (st, h))

# --- the task page offers exactly the API's actions -------------------------------------------------

ids, body = api_ids(handler, "limit=200")
checked = 0
for t in body["items"][:25]:
    st, task = handler.get(f"/api/v1/tasks/{t['id']}")
    st2, h, p = page(handler, f"/tasks/{t['id']}")
    offered = sorted(f.rsplit("/", 1)[1] for f in p.forms if f.startswith(f"/tasks/{t['id']}/"))
    if offered != sorted(task["actions"]):
        qd.ok(False, f"task {t['id']}: the page offers the API's actions", (offered, task["actions"]))
        break
    checked += 1
qd.ok(checked == min(25, len(body["items"])) and checked > 5, f"{checked} task pages offer exactly the API's actions")

st, task = handler.get(f"/api/v1/tasks/{ids[0]}")
st, h, p = page(handler, f"/tasks/{ids[0]}")
qd.ok(task["title"] in p.text and all(f"/problems/{pr['id']}" in raw(handler, "GET", f"/tasks/{ids[0]}")[2].decode()
                                      for pr in task["problems"]), "the task page shows the title and links its problems")
st, hist = handler.get(f"/api/v1/tasks/{ids[0]}/history")
qd.ok(len(hist["events"]) >= 1 and
      all((e.get("actor_name") or "系统") in p.text for e in hist["events"]), "the timeline names who acted in every event",
      hist["events"][:3])

# outside the scope: refused as the API refuses it (404: its existence is not told); no such task: 404
st, all_tasks = disp.get("/api/v1/tasks?limit=200")
mine = set(ids)
outside = next(t["id"] for t in all_tasks["items"] if t["id"] not in mine)
st, h, p = page(handler, f"/tasks/{outside}")
st_api, _ = handler.get(f"/api/v1/tasks/{outside}")
qd.ok(st == st_api == 404 and h.get("content-type", "").startswith("text/html"),
      "a task outside the handler's scope: the 404 page, as the API answers (its existence not told)", (st, st_api))
st, h, p = page(handler, "/tasks/99999999")
qd.ok(st == 404, "no such task: a 404 page", st)

# --- actions from their forms ---------------------------------------------------------------------

assigned = [t for t in body["items"] if t["state"] == "assigned" and "accept" in t["actions"]]
form_ok = True
if not assigned:
    qd.skip("accept from its form", "no assigned task in the demo")
else:
    tid = assigned[0]["id"]
    st, h, p = page(handler, f"/tasks/{tid}")
    qd.ok(p.csrf and len(p.csrf) == 32, "the action forms carry a CSRF token", p.csrf)
    # a refused action: return without its reason → the form again naming the field, nothing changed
    st, h, data = form_post(handler, f"/tasks/{tid}/return", {"csrf": p.csrf or "", "reason": ""})
    if st == 400 and b"Content-Type" in data:
        form_ok = False  # the dispatcher does not take form bodies yet (part input)
    if not form_ok:
        qd.skip("form posts", "form bodies of page routes are parsed by part input (not merged)")
    else:
        rp = Page(data.decode())
        qd.ok(st == 400 and "#f-reason" in rp.summary and "f-reason" in rp.ids,
              "return without a reason: 400, the summary links to the reason field", (st, rp.summary, data[:300]))
        st2, t2 = handler.get(f"/api/v1/tasks/{tid}")
        qd.ok(t2["state"] == "assigned", "the refused return changed nothing", t2["state"])
        # the note submitted is kept when shown again
        st, h, data = form_post(handler, f"/tasks/{tid}/request_extension", {"csrf": p.csrf, "reason": "材料未到齐", "days": "99"})
        qd.ok(st == 400 and "材料未到齐" in data.decode() or st == 409, "a refused form keeps what was typed", (st, data[:300]))
        # without the token: refused
        st, h, data = form_post(handler, f"/tasks/{tid}/accept", {"note": "x"})
        qd.ok(st in (400, 403), "accept without the CSRF token is refused", st)
        st2, t2 = handler.get(f"/api/v1/tasks/{tid}")
        qd.ok(t2["state"] == "assigned", "…and changes nothing", t2["state"])
        # accept with the token: 303 back to the task with the banner; the API shows in_progress
        st, h, data = form_post(handler, f"/tasks/{tid}/accept", {"csrf": p.csrf, "note": "已签收"})
        qd.ok(st == 303 and h.get("location") == f"/tasks/{tid}?done=accept", "accept: 303 to the task", (st, h.get("location")))
        st2, t2 = handler.get(f"/api/v1/tasks/{tid}")
        qd.ok(t2["state"] == "in_progress", "the API shows the task in progress", t2["state"])
        st, h, p = page(handler, f"/tasks/{tid}?done=accept")
        qd.ok("已完成" in p.text and "签收" in p.text, "the task page shows the success banner", p.text[:300])
        offered = sorted(f.rsplit("/", 1)[1] for f in p.forms if f.startswith(f"/tasks/{tid}/"))
        qd.ok(offered == sorted(t2["actions"]), "after accepting, the page offers the API's new actions", (offered, t2["actions"]))
        # the other handler's scope: the action route refuses as a page
        st, h, data = form_post(handler, f"/tasks/{outside}/accept", {"csrf": p.csrf})
        qd.ok(st in (403, 404) and h.get("content-type", "").startswith("text/html"), "an action outside the scope: refused as a page", st)

# --- the CSV --------------------------------------------------------------------------------------

# a problem (the grid worker's) and a task whose title starts with a formula and holds a phone
# number (masked when written)
grid = srv.login("grid")
st, gme = grid.get("/api/v1/me")
st, prob = grid.post("/api/v1/problems", {"unit_id": gme["unit_id"], "description": "测试：公式单元格"})
qd.ok(st == 201, "a problem for the CSV task", (st, prob))
title = "=1+1 请回电 13812345678"
st, task = disp.post("/api/v1/tasks", {"problem_ids": [prob["id"]], "title": title})
qd.ok(st == 201 and task["title"] != title, "a task titled with a formula and a phone (stored masked)", (st, task.get("title")))
st, h, data = raw(disp, "GET", "/tasks.csv?q=" + urllib.parse.quote("请回电"))
qd.ok(st == 200 and h.get("content-type", "").startswith("text/csv"), "/tasks.csv is CSV", (st, h.get("content-type")))
qd.ok(data.startswith(b"\xef\xbb\xbf"), "the CSV starts with the UTF-8 BOM (Excel)", data[:8])
qd.ok(b"\r\n" in data and data.replace(b"\r\n", b"").count(b"\n") <= 1, "lines end with CRLF", data[:200])
rows = [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) if r]
qd.ok(rows and rows[0][:3] == ["编号", "标题", "状态"], "the headings are the catalog's Chinese", rows[:1])
row = next((r for r in rows[1:] if r[0] == str(task["id"])), None)
qd.ok(row is not None and row[1] == "'" + task["title"], "the formula title is neutralised with an apostrophe", row)
qd.ok(row is not None and "13812345678" not in data.decode() and task["title"] in row[1],
      "the phone stays masked exactly as the API and page show it", (row, task["title"]))
st, h, p = page(disp, "/tasks/" + str(task["id"]))
qd.ok(task["title"] in p.text and "13812345678" not in p.text, "the page shows the same masked title", task["title"])
qd.ok(row is not None and row[2] == "待交办", "the state is named from the catalog", row)
# the whole list view, rows as the API's
st, h, data = raw(disp, "GET", "/tasks.csv?state=in_progress")
rows = [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) if r]
ids, body = api_ids(disp, "state=in_progress&count=1&limit=200")
qd.ok([int(r[0]) for r in rows[1:]] == ids, f"the CSV of a view holds its {len(ids)} tasks in the list's order",
      (len(rows) - 1, len(ids)))
# in English when the reader switched
st, h, data = raw(disp, "GET", "/tasks.csv?state=in_progress", cookies="qd_lang=en")
rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
qd.ok(len(rows) > 1 and rows[0][1] == "Title" and rows[1][2] not in ("", "办理中"),
      "with the English switch, English headings and state names", rows[:2])
# a refused filter: no CSV
st, h, data = raw(disp, "GET", "/tasks.csv?sort=nope")
qd.ok(st == 400 and not data.startswith(b"\xef\xbb\xbf"), "a bad filter gets no CSV", st)

qd.done()
