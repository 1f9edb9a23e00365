"""The dispatcher's triage pages (issue 10 point 3), over plain HTTP on the demo, read with
html.parser: the queue lists the new problems in the dispatcher's scope and none outside it; two
problems of one village with similar text show each other as likely duplicates, while a similar one
in another village or 100 days old does not; marking a duplicate from the page merges it (the API
shows it); a task made from two problems through the steps (details → people → check your answers
→ confirm) has the deadline the check page showed; a unit outside the dispatcher's reach is refused
naming unit_id; a user without the triage right gets a 403 page.

Forms are posted as a browser posts them (application/x-www-form-urlencoded, with the csrf field of
the page they come from): that needs part input's form parsing and CSRF check in the dispatcher."""
import datetime, html.parser, http.client, re, urllib.parse
import qd

TODAY = datetime.date.today()
OLD_DAY = (TODAY - datetime.timedelta(days=100)).isoformat()

# the old problem first: the server's clock 100 days back, then the real clock again
srv = qd.Server.demo(today=OLD_DAY)
admin, disp = srv.login("admin"), srv.login("dispatch")
st, units = admin.get("/api/v1/units")
items = units["items"]
by_name = {u["name"]: u for u in items}
town_a = by_name["周老嘴镇"]
town_b = by_name["上车湾镇"]
village_1 = by_name["新河口村"]
village_2 = by_name["老屋村"]
village_b = by_name["天星村"]

TEXT = "村部门口到小学这一段路没有路灯，晚上学生放学和老人散步都看不清路。"
RETOLD = "小学到村部那段路没有路灯，晚上太黑看不清路，学生放学不安全。"


def problem(sess, unit, desc):
    st, p = sess.post("/api/v1/problems", {"unit_id": unit["id"], "description": desc})
    assert st == 201, (st, p)
    return p["id"]


old = problem(disp, village_1, TEXT)
srv.restart()
admin, disp, sec = srv.login("admin"), srv.login("dispatch"), srv.login("security")
a1 = problem(disp, village_1, TEXT)
a2 = problem(disp, village_1, RETOLD)
other_village = problem(disp, village_2, TEXT)
outside = problem(disp, village_b, TEXT)

# a township dispatcher over 周老嘴镇
st, u = admin.post("/api/v1/users", {"username": "triage_a", "display_name": "周研判", "unit_id": town_a["id"],
                                      "password": qd.PASSWORD})
qd.ok(st == 201, "the administrator adds a township dispatcher", (st, u))
st, g = sec.post(f"/api/v1/users/{u['id']}/grants", {"role": "dispatcher", "unit_id": town_a["id"]})
qd.ok(st in (200, 201), "…with the dispatcher role over 周老嘴镇", (st, g))
tdisp = srv.login("triage_a")


# --- reading pages ----------------------------------------------------------------------------------

class Page(html.parser.HTMLParser):
    """The elements of a page as (tag, attrs, enclosing row id), the text of each element by id, and
    the forms with their fields."""

    def __init__(self, text):
        super().__init__()
        self.elems, self.text_of, self.forms = [], {}, []
        self.row, self._open = None, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.row = a.get("id")
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method"), "fields": [], "buttons": []})
        if tag == "input" and self.forms:
            self.forms[-1]["fields"].append(a)
        if tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(a)
        if tag == "select" and self.forms:
            self.forms[-1]["fields"].append(dict(a, type="select", options=[]))
        if tag == "option" and self.forms and self.forms[-1]["fields"]:
            self.forms[-1]["fields"][-1].setdefault("options", []).append(a.get("value"))
        self.elems.append((tag, a, self.row))
        if a.get("id"):
            self._open.append([a["id"], tag, ""])

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None
        if self._open and self._open[-1][1] == tag:
            i, _, t = self._open.pop()
            self.text_of[i] = t

    def handle_data(self, data):
        for o in self._open:
            o[2] += data

    def links_in_row(self, row):
        return [a["href"] for tag, a, r in self.elems if tag == "a" and r == row and "href" in a]

    def form(self, action):
        return [f for f in self.forms if f["action"] == action]

    def field(self, form, name):
        return [f for f in form["fields"] if f.get("name") == name]


def fetch(sess, method, path, form=None):
    """(status, headers, text) of a page; form: a list of (name, value) posted urlencoded."""
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


def csrf_of(page):
    for f in page.forms:
        for x in f["fields"]:
            if x.get("name") == "csrf":
                return x.get("value", "")
    return ""


def post_form(sess, page, action, fields):
    """Post fields (name → value or list of values) to action with the page's csrf token."""
    form = [("csrf", csrf_of(page))]
    for k, v in fields.items():
        for x in (v if isinstance(v, list) else [v]):
            form.append((k, str(x)))
    return fetch(sess, "POST", action, form)


def ids_in_queue(page):
    return {int(a["id"][2:]) for tag, a, r in page.elems if tag == "tr" and a.get("id", "").startswith("p-")}


# --- the queue --------------------------------------------------------------------------------------

st, hdrs, text = fetch(tdisp, "GET", "/triage?limit=200")
qd.ok(st == 200 and hdrs.get("content-type", "").startswith("text/html"), "GET /triage answers a page", (st, hdrs))
q = Page(text)
queued = ids_in_queue(q)
qd.ok({a1, a2, other_village, old} <= queued, "the township dispatcher's queue lists the new problems of the township",
      (sorted(queued), a1, a2, other_village, old))
qd.ok(outside not in queued, "…and not one of another township", (outside, sorted(queued)))
units_seen = set()
for pid in queued:
    st, p = disp.get(f"/api/v1/problems/{pid}")
    units_seen.add(p["unit_id"])
    if p["state"] != "new":
        qd.ok(False, "only new problems are queued", p)
town_units = {u["id"] for u in items if u["path"].startswith(town_a["path"])}
qd.ok(units_seen <= town_units, "every problem in the queue lies in 周老嘴镇", sorted(units_seen - town_units))
st, p = disp.get("/api/v1/problems?state=new&limit=200&count=true")
mine = [x["id"] for x in p["items"] if x["unit_id"] in town_units]
qd.ok(queued == set(mine), "…and every new problem of 周老嘴镇 is in it", (sorted(queued ^ set(mine))))
order = [int(a["id"][2:]) for tag, a, r in q.elems if tag == "tr" and a.get("id", "").startswith("p-")]
qd.ok(order.index(old) < order.index(a1), "oldest first (the 100-day-old problem before today's)", order)
qd.ok(q.text_of.get("queue-total", "").strip() == str(len(mine)), "the page says how many are waiting",
      (q.text_of.get("queue-total"), len(mine)))
qd.ok(len(q.form("/triage/task")) == 1 and q.field(q.form("/triage/task")[0], "problem_ids"),
      "the queue is a form of checkboxes to make a task of many")

# --- likely duplicates --------------------------------------------------------------------------------

row1, row2 = q.links_in_row(f"p-{a1}"), q.links_in_row(f"p-{a2}")
qd.ok(f"/problems/{a2}" in row1, "a problem shows a similar one of the same village as a likely duplicate", row1)
qd.ok(f"/problems/{a1}" in row2, "…and the other way round", row2)
qd.ok(f"/problems/{other_village}" not in row1, "the same text in another village is no likely duplicate", row1)
qd.ok(f"/problems/{old}" not in row1, "nor the same text 100 days old", row1)
badges = [a.get("class") for tag, a, r in q.elems if tag == "span" and r == f"p-{a1}" and "state" in a.get("class", "")]
qd.ok("state state-new" in badges, "each duplicate with its state", badges)
unrelated = [pid for pid in queued if pid not in (a1, a2, other_village, old)]
noisy = [pid for pid in unrelated if any(l.startswith("/problems/") for l in q.links_in_row(f"p-{pid}"))]
qd.ok(not noisy, "the demo's own new problems have no likely duplicates among different matters", noisy)

# --- one problem: mark as a duplicate --------------------------------------------------------------

st, _, text = fetch(tdisp, "GET", f"/triage/{a2}")
pg = Page(text)
merges = pg.form(f"/triage/{a2}/merge")
qd.ok(st == 200 and any(x.get("value") == str(a1) for f in merges for x in pg.field(f, "into")),
      "the problem's page offers to mark it a duplicate of its likely duplicate", (st, merges))
st, hdrs, text = post_form(tdisp, pg, f"/triage/{a2}/merge", {"into": a1})
qd.ok(st == 303 and hdrs.get("location", "").endswith(f"/problems/{a2}"), "marking it a duplicate answers 303 to the problem",
      (st, hdrs.get("location"), text[:300]))
st, p = disp.get(f"/api/v1/problems/{a2}")
qd.ok(p["state"] == "merged" and p["merged_into"] == a1, "the API shows it merged into the master", p)
st, hdrs, text = post_form(tdisp, pg, f"/triage/{a2}/merge", {"into": a1})
qd.ok(st == 409 and "error-summary" in text, "marking it again is refused on the page, with the error summary",
      (st, text[:400]))

st, _, text = fetch(tdisp, "GET", f"/triage/{a1}")
pg = Page(text)
st, hdrs, text = post_form(tdisp, pg, f"/triage/{a1}/merge", {"into": "abc"})
qd.ok(st == 400 and 'href="#f-into"' in text, "a master that is no number: the form again, its error linking to the field",
      (st, text[:400]))
st, hdrs, text = post_form(tdisp, pg, f"/triage/{a1}/decline", {"reason": ""})
qd.ok(st == 400 and 'href="#f-reason"' in text, "declining without a reason is refused naming reason", (st, text[:400]))
st, p = disp.get(f"/api/v1/problems/{a1}")
qd.ok(p["state"] == "new", "…and changes nothing", p)

# --- make a task from two problems, through the steps -----------------------------------------------

st, _, text = fetch(tdisp, "GET", "/triage?limit=200")
q = Page(text)
st, _, text = post_form(tdisp, q, "/triage/task", {"problem_ids": [a1, other_village], "go": "details"})
d = Page(text)
form = d.form("/triage/task")
units_offered = set()
if form:
    for f in d.field(form[0], "unit_id"):
        units_offered |= {int(v) for v in f.get("options", []) if v}
qd.ok(st == 200 and units_offered, "step 1 asks the title, measures, unit, tier and urgency", (st, text[:400]))
qd.ok(town_a["id"] in units_offered and town_b["id"] not in units_offered and village_b["id"] not in units_offered,
      "…offering only the units the dispatcher may assign to", sorted(units_offered))
hidden_ids = sorted(int(x["value"]) for x in d.field(form[0], "problem_ids")) if form else []
qd.ok(hidden_ids == sorted([a1, other_village]), "…keeping the problems in hidden fields", hidden_ids)

answers = {"problem_ids": [a1, other_village], "title": "新河口村、老屋村路灯安装", "measures": "排查线路，安装路灯",
           "unit_id": town_a["id"], "tier": "scheduled", "urgency": "urgent"}
st, _, text = post_form(tdisp, d, "/triage/task", dict(answers, go="people"))
pp = Page(text)
form = pp.form("/triage/task")
handlers = [v for f in pp.field(form[0], "handler_id") for v in f.get("options", []) if v] if form else []
leaders = [v for f in pp.field(form[0], "leader_id") for v in f.get("options", []) if v] if form else []
st_users, users = admin.get("/api/v1/users")
uname = {x["username"]: x for x in users["items"]}
qd.ok(st == 200 and str(uname["handler"]["id"]) in handlers and leaders,
      "step 2 offers the unit's handlers and the leaders in charge", (st, handlers, leaders, text[:300]))
kept = {x["name"]: x.get("value") for x in form[0]["fields"] if x.get("type") == "hidden"} if form else {}
qd.ok(kept.get("title") == answers["title"] and kept.get("unit_id") == str(town_a["id"]),
      "…keeping step 1's answers in hidden fields", kept)

answers.update(handler_id=uname["handler"]["id"], leader_id=uname["leader"]["id"])
st, _, text = post_form(tdisp, pp, "/triage/task", dict(answers, go="check"))
ck = Page(text)
deadline = [a.get("datetime") for tag, a, r in ck.elems if tag == "time" and a.get("id") == "deadline"]
changes = [b.get("value") for f in ck.form("/triage/task") for b in f["buttons"] if b.get("name") == "go"]
qd.ok(st == 200 and deadline and re.match(r"\d{4}-\d\d-\d\d$", deadline[0] or ""),
      "the check-your-answers page shows the deadline", (st, deadline, text[:400]))
qd.ok(ck.text_of.get("deadline-days", "").strip() == "3", "…in working days (urgent: 3)", ck.text_of.get("deadline-days"))
qd.ok("details" in changes and "people" in changes and "confirm" in changes,
      "…each answer with a change button back to its step, and confirm", changes)

st, _, text = post_form(tdisp, ck, "/triage/task", dict(answers, go="details"))
back = Page(text)
title_in = [x.get("value") for f in back.form("/triage/task") for x in back.field(f, "title")]
qd.ok(st == 200 and title_in == [answers["title"]], "change goes back to step 1 with the answers filled in", title_in)

st, hdrs, text = post_form(tdisp, ck, "/triage/task", dict(answers, go="confirm"))
loc = hdrs.get("location", "")
m = re.search(r"/tasks/(\d+)$", loc)
qd.ok(st == 303 and m, "confirm makes the task: 303 to its page", (st, loc, text[:400]))
if m:
    st, t = disp.get(f"/api/v1/tasks/{m.group(1)}")
    qd.ok(t["deadline"] == deadline[0], "the created task's deadline is the one the check page showed",
          (t["deadline"], deadline))
    qd.ok(sorted(p["id"] for p in t["problems"]) == sorted([a1, other_village]) and t["state"] == "assigned"
          and t["unit_id"] == town_a["id"] and t["handler_id"] == uname["handler"]["id"]
          and t["leader_id"] == uname["leader"]["id"] and t["urgency"] == "urgent",
          "…gathering both problems, assigned as answered", t)

# --- refused ------------------------------------------------------------------------------------------

fresh = problem(disp, village_1, "村委会门前的排水沟堵了，下雨就漫到路上。")
st, _, text = fetch(tdisp, "GET", "/triage?limit=200")
q = Page(text)
st, _, text = post_form(tdisp, q, "/triage/task", {"problem_ids": [fresh], "title": "排水沟清淤", "unit_id": town_b["id"],
                                                 "go": "people"})
qd.ok(st == 403 and 'href="#f-unit_id"' in text and "上车湾镇" in text,
      "a unit outside the dispatcher's reach is refused naming unit_id", (st, text[:500]))
st, p = disp.get(f"/api/v1/problems/{fresh}")
qd.ok(p["state"] == "new", "…and nothing is made", p)
st, _, text = post_form(tdisp, q, "/triage/task", {"problem_ids": [outside], "go": "details"})
qd.ok(st == 404, "a problem of another township cannot be gathered (404)", (st, text[:300]))

handler = srv.login("handler")
st, hdrs, text = fetch(handler, "GET", "/triage")
qd.ok(st == 403 and hdrs.get("content-type", "").startswith("text/html"), "without the triage right: a 403 page",
      (st, hdrs.get("content-type"), text[:200]))
st, hdrs, text = fetch(handler, "GET", f"/triage/{fresh}")
qd.ok(st == 403, "…for one problem too", (st, text[:200]))

qd.done()
