"""test_page_problems.py — the problem list as a browser without JavaScript gets it
(web/page_problems.c): /problems agrees with GET /api/v1/problems for the same query (filters,
sort, paging, total), an empty field of its filter form is no filter, a linked problem shows its
task's state, the sort orders are the API's too, a refused query shows the form again naming the
field, the reporter's phone is offered and looked up only with the personal-data right (and the
lookup is audited as the API's is), a township user sees only their subtree, and /problems.csv
opens in Python's csv module: BOM, headings in the reader's language, cells starting with = + - @
neutralised, the rows the API's.  Plain HTTP (qd.py) and html.parser."""
import csv, http.client, io, os, sys, time, urllib.parse
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
import qd


class Page(HTMLParser):
    """What a test reads off the page: the problem ids of table.list's rows in order, the caption,
    the error summary's links, the ids, the names of the GET form's fields, and the text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.rows, self.summary, self.ids, self.fields, self.text = [], [], set(), set(), []
        self.caption, self._cap, self._table, self._summary, self._form = "", False, False, 0, False
        self.feed(html)
        self.text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        cls = (a.get("class") or "").split()
        if tag == "table" and "list" in cls:
            self._table = True
        if tag == "caption":
            self._cap = True
        if tag == "a" and self._table and a.get("href", "").startswith("/problems/"):
            self.rows.append(int(a["href"].split("/")[2]))
        if tag == "div" and "error-summary" in cls:
            self._summary = 1
        elif tag == "div" and self._summary:
            self._summary += 1
        if tag == "a" and self._summary:
            self.summary.append(a.get("href"))
        if tag == "form" and a.get("action") == "/problems":
            self._form = True
        if tag in ("input", "select") and self._form and a.get("name"):
            self.fields.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = False
        if tag == "caption":
            self._cap = False
        if tag == "form":
            self._form = False
        if tag == "div" and self._summary:
            self._summary -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._cap:
            self.caption += data


def raw(sess, path, cookies=""):
    """(status, headers, body bytes) of a GET with the session's cookie (and more cookies)."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    jar = [f"qd_session={sess.cookie}"] if sess and sess.cookie else []
    if cookies:
        jar.append(cookies)
    c.request("GET", path, headers={"Cookie": "; ".join(jar)} if jar else {})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def page(sess, path, **kw):
    st, h, data = raw(sess, path, **kw)
    return st, h, Page(data.decode("utf-8"))


def api(sess, query):
    st, body = sess.get("/api/v1/problems?" + query)
    assert st == 200, (query, st, body)
    return [p["id"] for p in body["items"]], body


def csv_rows(data):
    return [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) if r]


srv = qd.Server.demo()
disp = srv.login("dispatch")   # the whole county, with the personal-data right
handler = srv.login("handler")  # one township (周老嘴镇), no personal-data right
st, units = disp.get("/api/v1/units")
path_of = {u["id"]: u["path"] for u in units["items"]}
st, hme = handler.get("/api/v1/me")
township = hme["unit_id"]
a_village = next(u["id"] for u in units["items"] if u["kind"] == "village" and u["path"].startswith(path_of[township]))
other = next(u["id"] for u in units["items"] if u["kind"] == "township" and u["id"] != township)

# --- the list agrees with the API ------------------------------------------------------------------

for q in ["", "state=new", "state=assigned", "sort=oldest", "sort=state", "limit=7&offset=7",
          "sort=state&limit=5&offset=10", "category_id=1", f"unit_id={township}", f"unit_id={a_village}&sort=oldest",
          "q=" + urllib.parse.quote("道路")]:
    ids, body = api(disp, (q + "&" if q else "") + "count=1")
    st, h, p = page(disp, "/problems" + ("?" + q if q else ""))
    qd.ok(st == 200 and h.get("content-type", "").startswith("text/html"), f"/problems?{q}: a page", st)
    qd.ok(p.rows == ids, f"/problems?{q}: the rows are the API's, in its order", f"page {p.rows[:12]}\napi  {ids[:12]}")
    qd.ok(f"（{body['total']}）" in p.caption or (not ids and "没有符合条件的问题" in p.text),
          f"/problems?{q}: the caption counts the API's total {body['total']}", p.caption)

# the filter form sent with every field left blank (JavaScript off): no filter, not a refusal
st, h, p = page(disp, "/problems?q=&state=&unit_id=&category_id=&reporter_phone=&sort=&limit=")
ids, _ = api(disp, "count=1")
qd.ok(st == 200 and p.rows == ids, "the form's blank fields are no filter (the default list)", (st, p.rows[:5], ids[:5]))
st, body = disp.get("/api/v1/problems?state=")
qd.ok(st == 400 and body.get("field") == "state", "the API still refuses an empty state", (st, body))
st, h, p = page(disp, "/tasks?q=&state=&tier=&due_before=")
qd.ok(st == 200, "the task list's blank form fields are no filter either", st)

# the form: text, state, unit, category — and the reporter's phone for the personal-data right only
st, h, p = page(disp, "/problems")
qd.ok({"q", "state", "unit_id", "category_id", "reporter_phone"} <= p.fields,
      "the filter form offers the API's filters", p.fields)
st, h, ph = page(handler, "/problems")
qd.ok("reporter_phone" not in ph.fields and {"q", "state", "unit_id", "category_id"} <= ph.fields,
      "without the personal-data right the phone is not offered", ph.fields)
for f in ("q", "state", "unit_id", "category_id"):
    qd.ok(f"f-{f}" in p.ids, f"the {f} control has its id (labelled for it)")

# sort links and pager links keep the filter
html = raw(disp, "/problems?state=assigned&limit=5")[2].decode()
qd.ok('href="/problems?state=assigned&amp;limit=5&amp;sort=oldest"' in html, "a sort link keeps the filter", html[:300])
qd.ok('rel="next" href="/problems?state=assigned&amp;limit=5&amp;offset=5"' in html, "the next page keeps the filter")
qd.ok('href="/problems.csv?state=assigned&amp;limit=5"' in html, "the CSV link exports the same view")
st, h, p2 = page(disp, "/problems?state=assigned&limit=5&offset=5")
ids, _ = api(disp, "state=assigned&limit=5&offset=5")
qd.ok(p2.rows == ids and len(ids) == 5, "the second page is the API's second page", (p2.rows, ids))

# a linked problem shows its task's state (the presenter's task_state, the task's own)
ids, body = api(disp, "state=assigned&limit=20")
linked = [x for x in body["items"] if x["task_id"]]
st, t = disp.get(f"/api/v1/tasks/{linked[0]['task_id']}")
qd.ok(linked and linked[0]["task_state"] == t["state"], "the API gives a linked problem its task's state",
      (linked[0].get("task_state"), t.get("state")))
new_ids, nb = api(disp, "state=new&limit=5")
qd.ok(all(x["task_state"] is None for x in nb["items"]), "a problem without a task has no task state")
html = raw(disp, "/problems?state=assigned&limit=20")[2].decode()
qd.ok(f'data-state="{t["state"]}"' in html, "the row shows the task's state", t["state"])

# --- the sort orders, on the API too ---------------------------------------------------------------

ids, body = api(disp, "sort=oldest&limit=50")
qd.ok(ids == sorted(ids), "sort=oldest: the oldest recorded first", ids[:10])
ids, body = api(disp, "limit=50")
qd.ok(ids == sorted(ids, reverse=True), "the default: the newest recorded first", ids[:10])
ids, body = api(disp, "sort=state&limit=200&count=1")
rank = {"new": 0, "assigned": 1, "merged": 2, "declined": 3}
keys = [(rank[x["state"]], -x["id"]) for x in body["items"]]
qd.ok(keys == sorted(keys), "sort=state: new, assigned, merged, declined, the newest first in each", keys[:8])
st, body = disp.get("/api/v1/problems?sort=deadline")
qd.ok(st == 400 and body.get("field") == "sort", "a task's order is no problem order: 400 naming sort", (st, body))

# --- bad input: the form again, naming the field; nothing read ------------------------------------

st, h, p = page(disp, "/problems?state=bogus")
qd.ok(st == 400 and "#f-state" in p.summary and "f-state" in p.ids and "q" in p.fields,
      "a bad state: 400, the form again, the summary links to the field", (st, p.summary))
st, h, p = page(disp, "/problems?unit_id=999999")
qd.ok(st == 404 and "#f-unit_id" in p.summary and not p.rows, "an unknown unit: 404, the summary names the unit",
      (st, p.summary))
st, h, p = page(disp, "/problems?limit=0")
qd.ok(st == 400 and "#f-limit" in p.summary, "limit 0: 400 naming limit", (st, p.summary))
st, h, p = page(disp, "/problems?nope=1")
qd.ok(st == 400 and "nope" in p.text, "an unknown parameter: 400 naming it", st)
st, h, p = page(disp, "/problems?reporter_phone=12")
qd.ok(st == 400 and "#f-reporter_phone" in p.summary, "a phone that is not one: 400 naming reporter_phone", (st, p.summary))

# --- rights ---------------------------------------------------------------------------------------

st, h, _ = raw(None, "/problems")
qd.ok(st == 303 and h.get("location", "").startswith("/login"), "/problems without a login: 303 to /login", (st, h))
st, h, _ = raw(None, "/problems.csv")
qd.ok(st == 303 and h.get("location", "").startswith("/login"), "/problems.csv without a login: 303 to /login", st)
auditor = srv.login("auditor")
for path in ("/problems", "/problems.csv"):
    st, h, _ = raw(auditor, path)
    qd.ok(st == 403 and h.get("content-type", "").startswith("text/html"), f"{path} as the audit administrator: the 403 page", st)


def pii_lookups(at_least=0):
    """The audit log's pii entries (its writer is asynchronous: waits up to 5 s for at_least)."""
    for _ in range(50):
        st, body = auditor.get("/api/v1/audit?kind=pii&count=1&limit=1")
        assert st == 200, body
        if body["count"] >= at_least:
            break
        time.sleep(0.1)
    return body["count"]


# the reporter's phone without the right: refused naming the field, not looked up, not audited
st, h, p = page(handler, "/problems?reporter_phone=13800138000")
qd.ok(st == 403 and "#f-reporter_phone" in p.summary and not p.rows,
      "the phone without the personal-data right: 403 naming reporter_phone", (st, p.summary))
st, h, data = raw(handler, "/problems.csv?reporter_phone=13800138000")
qd.ok(st == 403 and not h.get("content-type", "").startswith("text/csv"), "…and no CSV of it", st)

# with it: the API's rows, audited as the API's lookup is (a pii entry in the audit log)
grid = srv.login("grid")
st, gme = grid.get("/api/v1/me")
phone = "13907161234"
st, mine = grid.post("/api/v1/problems", {"unit_id": gme["unit_id"], "description": "按电话查找的测试问题",
                                          "reporter": {"name": "赵六", "phone": phone}})
qd.ok(st == 201, "a problem with a reporter's phone", (st, mine))
before = pii_lookups()
st, h, p = page(disp, "/problems?reporter_phone=" + phone)
ids, _ = api(disp, "reporter_phone=" + phone)
qd.ok(st == 200 and p.rows == ids and mine["id"] in ids, "the phone lookup lists the API's rows", (st, p.rows, ids))
qd.ok(phone not in p.text.replace(f'value="{phone}"', ""), "no phone in the rows (the form keeps what was typed)")
after = pii_lookups(before + 2)
qd.ok(after == before + 2, "the page's lookup is audited like the API's (one entry each)", (before, after))
st, h, data = raw(disp, "/problems.csv?reporter_phone=" + phone)
rows = csv_rows(data)
qd.ok(st == 200 and [int(r[0]) for r in rows[1:]] == ids, "the phone lookup exports as CSV", (st, rows[:3]))
qd.ok(pii_lookups(after + 1) == after + 1, "…and the export's lookup is audited too")

# --- scope: a township user sees their subtree only -----------------------------------------------

ids, body = api(handler, "count=1&limit=200")
st, h, p = page(handler, "/problems?limit=200")
qd.ok(p.rows == ids and f"（{body['total']}）" in p.caption, "the township user's list is the API's", (len(p.rows), len(ids)))
qd.ok(ids and all(path_of[x["unit_id"]].startswith(path_of[township]) for x in body["items"]),
      "every row lies in the township's subtree", [x["unit_id"] for x in body["items"][:5]])
_, dbody = api(disp, "count=1&limit=1")
qd.ok(body["total"] < dbody["total"], "…fewer than the county's", (body["total"], dbody["total"]))
st, h, p = page(handler, f"/problems?unit_id={other}")
qd.ok(st == 200 and not p.rows, "another township's filter finds nothing for them", (st, p.rows[:5]))
st, h, data = raw(handler, "/problems.csv?limit=200")
qd.ok([int(r[0]) for r in csv_rows(data)[1:]] == ids, "their CSV holds the same rows")
opts = raw(handler, "/problems")[2].decode()
opts = opts[opts.index('id="f-unit_id"'):]
opts = opts[:opts.index("</select>")]
qd.ok(f'<option value="{other}"' not in opts and f'<option value="{township}"' in opts,
      "the unit choice offers only units they read", other)

# --- the CSV --------------------------------------------------------------------------------------

made = {}
for c in "=+-@":
    st, pr = grid.post("/api/v1/problems", {"unit_id": gme["unit_id"], "description": f"{c}1+1 公式单元格测试{c}"})
    made[c] = pr["id"]
st, h, data = raw(disp, "/problems.csv?q=" + urllib.parse.quote("公式单元格测试"))
qd.ok(st == 200 and h.get("content-type", "").startswith("text/csv"), "/problems.csv is CSV", (st, h.get("content-type")))
qd.ok(data.startswith(b"\xef\xbb\xbf"), "the CSV starts with the UTF-8 BOM (Excel)", data[:8])
qd.ok(b"\r\n" in data and data.replace(b"\r\n", b"").count(b"\n") == 0, "lines end with CRLF")
rows = csv_rows(data)
qd.ok(rows and rows[0][:3] == ["编号", "问题编码", "状态"], "the headings are the catalog's Chinese", rows[:1])
desc = rows[0].index("问题描述")
for c, pid in made.items():
    row = next((r for r in rows[1:] if r[0] == str(pid)), None)
    qd.ok(row is not None and row[desc] == f"'{c}1+1 公式单元格测试{c}", f"a cell starting with {c} is neutralised", row)
ids, body = api(disp, "state=assigned&limit=200&count=1")
st, h, data = raw(disp, "/problems.csv?state=assigned")
rows = csv_rows(data)
qd.ok([int(r[0]) for r in rows[1:len(ids) + 1]] == ids and len(rows) - 1 == body["total"],
      f"the CSV of a view holds all its {body['total']} problems in the list's order", (len(rows) - 1, body["total"]))
by_id = {x["id"]: x for x in body["items"]}
row = rows[1]
qd.ok(row[rows[0].index("问题描述")] == by_id[int(row[0])]["description"], "the description as the API masks it", row)
qd.ok(row[rows[0].index("状态")] == "已交办", "the state named from the catalog", row)
st, h, data = raw(disp, "/problems.csv?state=assigned&limit=3", cookies="qd_lang=en")
rows = csv_rows(data)
qd.ok(rows[0][:3] == ["No.", "Code", "State"] and len(rows) == 4 and rows[1][2] == "Assigned",
      "in English, and a page of it when limit is given", rows[:2])
st, h, data = raw(disp, "/problems.csv?sort=nope")
qd.ok(st == 400 and h.get("content-type", "").startswith("text/html"), "a bad CSV query: the form page naming the field", st)

# --- print: the list prints as a table without the form, sort links and pager ----------------------

css = raw(None, "/static/app.css")[2].decode()
printed = css[css.index("@media print"):]
qd.ok(all(s in printed for s in (".sort", ".pager", "form", "table.list")), "the print style hides the controls, keeps the table")

qd.done()
