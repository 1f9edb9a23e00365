"""The three administrators' pages (issue 10; src/web/page_admin*.c), over plain HTTP as a browser
without JavaScript uses them: GET a page, read its form (html.parser), POST the form urlencoded
with its CSRF field, follow the 303.

  - each demo administrator (admin, security, auditor) sees their own pages and gets the 403
    page at the other two's; /admin lists only their own part;
  - a unit, a user, a category, a holiday (and the next day, from the form the page fills in),
    the time limits and the hand-off units added from the pages show through the API;
  - a refused form comes back with the error summary linking to the field (#f-<name>), the
    field's error beside it, what was typed (never the password), and nothing changed;
  - the security administrator grants and revokes from the page; an administrator granting
    himself the personal-data right gets the form error naming the user and nothing changes;
  - a token revoked from the page is refused at once; unlocking from the page lets a user
    locked out by wrong passwords log in again;
  - the audit page's rows are GET /api/v1/audit's for the same filter, and its CSV link exports
    that filter.
Every message key the pages name (src/web/page_admin*.c) is in both catalogs."""
import glob, html.parser, http.client, os, re, urllib.parse
import qd

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


class Doc(html.parser.HTMLParser):
    """What a test reads of a page: forms (action, method, fields as a browser would send them),
    the error summary's links, the field errors, the banner, table rows, ids, the h1."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms, self.summary, self.field_errors, self.ids = [], [], [], set()
        self.banner, self.h1, self.rows, self.links = "", "", [], []
        self._form = self._select = self._row = None
        self._in = []  # open elements we collect text of: (tag, kind)
        self._cell = None
        self._summary = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        cls = (a.get("class") or "").split()
        if tag == "div" and "error-summary" in cls:
            self._summary = 1
        if tag == "a":
            self.links.append(a.get("href", ""))
            if self._summary:
                self.summary.append(a.get("href", ""))
        if tag == "p" and "field-error" in cls:
            self.field_errors.append(a.get("id", ""))
        if tag == "div" and "notice" in cls:
            self._in.append("banner")
        if tag == "h1":
            self._in.append("h1")
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": [],
                          "values": {}}
            self.forms.append(self._form)
        if tag == "input" and self._form is not None:
            t = a.get("type", "text")
            if t == "checkbox" and "checked" not in a:
                pass
            elif a.get("name"):
                self._form["fields"].append((a["name"], a.get("value", "")))
                self._form["values"].setdefault(a["name"], a.get("value", ""))
        if tag == "select" and self._form is not None:
            self._select = {"name": a.get("name"), "first": None, "chosen": None}
        if tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"] = a.get("value", "")
        if tag == "tr":
            self._row = {"id": a.get("data-id"), "cells": []}
        if tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            v = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            self._form["fields"].append((self._select["name"], v or ""))
            self._form["values"][self._select["name"]] = v or ""
            self._select = None
        if tag == "form":
            self._form = None
        if tag == "div" and self._summary:
            self._summary = 0
        if tag == "div" and self._in and self._in[-1] == "banner":
            self._in.pop()
        if tag == "h1" and self._in and self._in[-1] == "h1":
            self._in.pop()
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row["cells"].append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if "banner" in self._in:
            self.banner += data
        if "h1" in self._in:
            self.h1 += data
        if self._cell is not None:
            self._cell.append(data)

    def form(self, action):
        for f in self.forms:
            if f["action"] == action:
                return f
        raise KeyError(f"no form posting to {action}: {[f['action'] for f in self.forms]}")


def fetch(sess, method, path, body=None, cookie=""):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    h = {"Cookie": "; ".join(x for x in (f"qd_session={sess.cookie}" if sess.cookie else "", cookie) if x)}
    if body is not None:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    text = r.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, text


def page(sess, path):
    """GET a page: (status, Doc, headers)."""
    st, h, text = fetch(sess, "GET", path)
    return st, Doc(text), h


def submit(sess, form, **change):
    """POST a form as the browser would, with some fields changed (None: left out); returns
    (status, location, Doc)."""
    fields = [(k, v) for k, v in form["fields"] if k not in change]
    for k, v in change.items():
        if v is None:
            continue
        for one in (v if isinstance(v, list) else [v]):
            fields.append((k, str(one)))
    st, h, text = fetch(sess, "POST", form["action"], urllib.parse.urlencode(fields))
    return st, h.get("location"), Doc(text)


def refused(doc, field):
    """The form came back with the error summary linking to the field and its error beside it."""
    return f"#f-{field}" in doc.summary and f"f-{field}-error" in doc.field_errors


srv = qd.Server.demo()
admin, sec, aud = srv.login("admin"), srv.login("security"), srv.login("auditor")
st, units = admin.get("/api/v1/units")
U = {u["name"]: u for u in units["items"]}
root = [u for u in units["items"] if u["parent_id"] is None][0]
ZLZ = U["周老嘴镇"]

# --- each administrator: their pages, the 403 page at the others' -----------------------------------
SYSTEM = ["/admin/units", "/admin/users", "/admin/categories", "/admin/calendar", "/admin/limits", "/admin/handoff"]
SECURITY = ["/admin/grants", f"/admin/grants/{admin.get('/api/v1/me')[1]['id']}", "/admin/tokens"]
AUDIT = ["/admin/audit"]
for who, sess, mine in (("admin", admin, SYSTEM), ("security", sec, SECURITY), ("auditor", aud, AUDIT)):
    bad = []
    for p in SYSTEM + SECURITY + AUDIT:
        st, doc, h = page(sess, p)
        want = 200 if p in mine else 403
        html_ok = h.get("content-type", "").startswith("text/html")
        if st != want or not html_ok or (want == 200 and not doc.h1.strip()):
            bad.append((p, st, h.get("content-type")))
    qd.ok(not bad, f"{who} sees their {len(mine)} pages and gets the 403 page at the other {len(SYSTEM + SECURITY + AUDIT) - len(mine)}", bad)
    st, doc, _ = page(sess, "/admin")
    listed = {l for l in doc.links if l.startswith("/admin/")}
    qd.ok(st == 200 and listed == {p for p in mine if p.count("/") == 2},
          f"{who}'s /admin lists their own part only", (st, sorted(listed)))
st, doc, _ = page(srv.login("dispatch"), "/admin")
qd.ok(st == 403, "a dispatcher gets the 403 page at /admin", st)
st, h, _ = fetch(srv.session(), "GET", "/admin/units")
qd.ok(st == 303 and "/login" in h.get("location", ""), "not logged in: /admin/units sends to the login", (st, h.get("location")))

# the reader's language: English by its cookie, the vocabulary's words too
st, h, text = fetch(admin, "GET", "/admin/units", cookie="qd_lang=en")
doc = Doc(text)
qd.ok(st == 200 and doc.h1.strip() == "Units" and "Add a unit" in text and "（Township）" in text,
      "in English: the page's words and the kinds of unit", (st, doc.h1))
st, h, text = fetch(admin, "GET", "/admin/units")
qd.ok("添加单位" in text and Doc(text).h1.strip() == "单位", "in Chinese by default", Doc(text).h1)

# --- units --------------------------------------------------------------------------------------------
st, h, text = fetch(admin, "GET", "/admin/units")
doc = Doc(text)
qd.ok(st == 200 and root["name"] in text and ZLZ["name"] in text and "f-parent_id" in doc.ids,
      "the units page shows the tree and the form", st)
form = doc.form("/admin/units")
qd.ok("csrf" in form["values"] and form["values"]["csrf"], "the form carries a CSRF token")
st, loc, _ = submit(admin, form, parent_id=ZLZ["id"], name="页面村", kind="village")
qd.ok(st == 303 and loc == "/admin/units?done=unit", "adding a unit: 303 back to the units page", (st, loc))
st, after = admin.get("/api/v1/units")
new = [u for u in after["items"] if u["name"] == "页面村"]
qd.ok(len(new) == 1 and new[0]["parent_id"] == ZLZ["id"] and new[0]["kind"] == "village",
      "the unit added from the page shows through the API, under its parent", new)
st, doc, _ = page(admin, loc)
qd.ok(st == 200 and doc.banner.strip() and "页面村" in fetch(admin, "GET", "/admin/units")[2],
      "the units page shows the banner and the new unit", doc.banner)
n_units = len(after["items"])
st, loc, doc = submit(admin, form, parent_id=ZLZ["id"], name="", kind="township", peer_group="测试组")
qd.ok(st == 400 and refused(doc, "name"), "a unit without a name: 400, the summary links to the name field", (st, doc.summary, doc.field_errors))
f2 = doc.form("/admin/units")
qd.ok(f2["values"].get("kind") == "township" and f2["values"].get("peer_group") == "测试组",
      "the refused form keeps what was typed", f2["values"])
qd.ok(len(admin.get("/api/v1/units")[1]["items"]) == n_units, "and no unit was added")
st, loc, doc = submit(admin, form, parent_id=ZLZ["id"], name="x", kind="planet")
qd.ok(st == 400 and refused(doc, "kind"), "an unknown kind of unit: the summary links to the kind", (st, doc.summary))
st, loc, doc = submit(admin, form, csrf=None, parent_id=ZLZ["id"], name="无令牌村", kind="village")
qd.ok(st in (400, 403) and not [u for u in admin.get("/api/v1/units")[1]["items"] if u["name"] == "无令牌村"],
      "the form without its CSRF token is refused and adds nothing", st)

# --- users ---------------------------------------------------------------------------------------------
st, doc, _ = page(admin, "/admin/users")
form = doc.form("/admin/users")
st, loc, _ = submit(admin, form, username="page_user", display_name="页面用户", unit_id=ZLZ["id"], password=qd.PASSWORD)
qd.ok(st == 303 and loc == "/admin/users?done=user", "adding a user: 303", (st, loc))
st, users = admin.get("/api/v1/users")
pu = [u for u in users["items"] if u["username"] == "page_user"]
qd.ok(len(pu) == 1 and pu[0]["unit_id"] == ZLZ["id"],
      "the user added from the page shows through the API", pu)
qd.ok(srv.login("page_user").cookie, "and logs in with the password given")
st, loc, doc = submit(admin, form, username="page_user2", display_name="某某", unit_id=ZLZ["id"], password="short")
pw = doc.form("/admin/users")["values"].get("password")
qd.ok(st == 400 and refused(doc, "password") and pw == "" and "short" not in fetch(admin, "GET", "/admin/users")[2],
      "a short password: the summary links to it, and the password is not shown again", (st, doc.summary, pw))
st, loc, doc = submit(admin, form, username="Page User", display_name="某某", unit_id=ZLZ["id"], password=qd.PASSWORD)
qd.ok(st == 400 and refused(doc, "username") and doc.form("/admin/users")["values"].get("username") == "Page User",
      "a bad login name: refused naming it, what was typed kept", (st, doc.summary))
qd.ok(not [u for u in admin.get("/api/v1/users")[1]["items"] if u["username"] in ("page_user2", "Page User")],
      "and neither user was added")

# --- categories -------------------------------------------------------------------------------------------
st, doc, _ = page(admin, "/admin/categories")
form = doc.form("/admin/categories")
st, loc, _ = submit(admin, form, name="页面类别")
st2, cats = admin.get("/api/v1/categories")
top = [c for c in cats["items"] if c["name"] == "页面类别"]
qd.ok(st == 303 and len(top) == 1 and top[0]["parent_id"] is None, "a top-level category from the page", (st, top))
st, loc, _ = submit(admin, form, parent_id=top[0]["id"], name="页面子类")
sub = [c for c in admin.get("/api/v1/categories")[1]["items"] if c["name"] == "页面子类"]
qd.ok(st == 303 and sub and sub[0]["parent_id"] == top[0]["id"], "and one under it", (st, sub))

# --- the calendar: a holiday block entered day after day ----------------------------------------------------
st, doc, _ = page(admin, "/admin/calendar?year=2031")
form = doc.form("/admin/calendar?year=2031")
st, loc, _ = submit(admin, form, date="2031-10-01", kind="holiday", name="国庆节")
q = urllib.parse.parse_qs(urllib.parse.urlparse(loc or "").query)
qd.ok(st == 303 and q.get("date") == ["2031-10-02"] and q.get("kind") == ["holiday"] and q.get("name") == ["国庆节"],
      "after a holiday the page comes back with the next day, the kind and the name filled in", (st, loc))
for day in range(2, 8):  # the rest of the week: the form as the page fills it, sent unchanged
    st, doc, _ = page(admin, loc)
    f = doc.form("/admin/calendar?year=2031")
    ok_fill = f["values"].get("date") == f"2031-10-{day:02d}" and f["values"].get("name") == "国庆节"
    st, loc, _ = submit(admin, f)
    if not ok_fill or st != 303:
        break
st, cal = admin.get("/api/v1/calendar?year=2031")
days = {d["date"]: (d["kind"], d["name"]) for d in cal["days"]}
qd.ok(all(days.get(f"2031-10-{d:02d}") == ("holiday", "国庆节") for d in range(1, 8)),
      "seven holidays entered with the form as the page filled it show through the API", days)
st, doc, _ = page(admin, "/admin/calendar?year=2031")
qd.ok(sum(1 for r in doc.rows if r["cells"] and r["cells"][0].startswith("2031-10-")) == 7,
      "the calendar page lists the seven days", [r["cells"] for r in doc.rows][:10])
f = doc.form("/admin/calendar?year=2031")
st, loc, _ = submit(admin, f, date="2031-10-11", kind="workday", name=None)
qd.ok(st == 303 and admin.get("/api/v1/calendar?year=2031")[1] and
      {d["date"]: d["kind"] for d in admin.get("/api/v1/calendar?year=2031")[1]["days"]}.get("2031-10-11") == "workday",
      "a worked Saturday from the page", (st, loc))
clear = [fm for fm in doc.forms if fm["values"].get("date") == "2031-10-07" and fm["values"].get("kind") == "ordinary"]
st, loc, _ = submit(admin, clear[0]) if clear else (0, None, None)
kinds = {d["date"]: d["kind"] for d in admin.get("/api/v1/calendar?year=2031")[1]["days"]}
qd.ok(st == 303 and kinds.get("2031-10-07", "ordinary") == "ordinary" and "date=" not in (loc or ""),
      "a day's own button makes it an ordinary day again", (st, loc, kinds.get("2031-10-07")))
st, loc, doc = submit(admin, f, date="2031-02-30", kind="holiday", name="x")
qd.ok(st == 400 and refused(doc, "date"), "a day that does not exist: refused naming the date", (st, doc.summary))
st, doc, _ = page(admin, "/admin/calendar?year=1999")
qd.ok(st == 400, "a year out of range is refused", st)

# --- time limits and hand-off units ------------------------------------------------------------------------------
st, doc, _ = page(admin, "/admin/limits?urgency=urgent")
form = doc.form("/admin/limits")
cur = admin.get("/api/v1/settings/limits")[1]["urgent"]
qd.ok(form["values"].get("urgency") == "urgent" and form["values"].get("respond") == str(cur["respond"]),
      "the limits form is filled with the urgency's current limits", (form["values"], cur))
st, loc, _ = submit(admin, form, respond=2, complete=9, max_extensions=1)
qd.ok(st == 303 and admin.get("/api/v1/settings/limits")[1]["urgent"] == {"respond": 2, "complete": 9, "max_extensions": 1},
      "limits changed from the page show through the API", (st, loc))
st, loc, doc = submit(admin, form, complete=0)
qd.ok(st == 400 and refused(doc, "complete") and admin.get("/api/v1/settings/limits")[1]["urgent"]["complete"] == 9,
      "a completion limit of 0 days: refused naming it, nothing changed", (st, doc.summary))

st, doc, _ = page(admin, "/admin/handoff")
form = doc.form("/admin/handoff")
before = sorted(u["id"] for u in admin.get("/api/v1/settings/handoff")[1]["units"])
ticked = sorted(int(v) for k, v in form["fields"] if k == "unit_ids")
qd.ok(ticked == before, "the hand-off form has the current units ticked", (ticked, before))
offered = {int(i.rsplit("-", 1)[1]) for i in doc.ids if i.startswith("f-unit_ids-")}
qd.ok(offered and ZLZ["id"] not in offered and set(before) <= offered,
      "the hand-off form offers the county's departments and companies, no township", sorted(offered))
st, loc, doc = submit(admin, form, unit_ids=before[:2] + [ZLZ["id"]])
qd.ok(st == 400 and refused(doc, "unit_ids") and not admin.get("/api/v1/settings/handoff")[1]["configured"],
      "a township as a hand-off unit: refused naming the field, nothing set", (st, doc.summary))
pick = sorted(before[:3])
st, loc, doc = submit(admin, form, unit_ids=pick)
ho = admin.get("/api/v1/settings/handoff")[1]
qd.ok(st == 303 and ho["configured"] and sorted(u["id"] for u in ho["units"]) == pick,
      "hand-off units set from the page show through the API", (st, doc.summary, ho))

# --- the security administrator: grants ------------------------------------------------------------------------------
uid = pu[0]["id"]
st, doc, _ = page(sec, f"/admin/grants/{uid}")
form = doc.form(f"/admin/grants/{uid}")
st, loc, _ = submit(sec, form, role="handler", unit_id=ZLZ["id"])
g = [x for x in sec.get("/api/v1/users")[1]["items"] if x["id"] == uid][0]["grants"]
qd.ok(st == 303 and loc == f"/admin/grants/{uid}?done=grant" and {"role": "handler", "unit_id": ZLZ["id"]} in
      [{"role": x["role"], "unit_id": x["unit_id"]} for x in g], "a grant from the page shows through the API", (st, loc, g))
st, doc, _ = page(sec, loc)
revoke = [f for f in doc.forms if f["action"] == f"/admin/grants/{uid}/revoke" and f["values"].get("role") == "handler"]
st, loc, _ = submit(sec, revoke[0]) if revoke else (0, None, None)
g = [x for x in sec.get("/api/v1/users")[1]["items"] if x["id"] == uid][0]["grants"]
qd.ok(st == 303 and not [x for x in g if x["role"] == "handler"], "and its revoke button revokes it", (st, g))

st, me = sec.get("/api/v1/me")
mine = sorted((x["role"], x["unit_id"]) for x in me.get("grants", []))
st, doc, _ = page(sec, f"/admin/grants/{me['id']}")
st, loc, doc = submit(sec, doc.form(f"/admin/grants/{me['id']}"), role="pii", unit_id=root["id"])
st2, me2 = sec.get("/api/v1/me")
qd.ok(st == 403 and refused(doc, "id") and "f-id" in doc.ids, "granting himself the personal-data right: the form again, "
      "the summary linking to the user", (st, doc.summary, doc.field_errors))
qd.ok(sorted((x["role"], x["unit_id"]) for x in me2.get("grants", [])) == mine and "pii" not in me2.get("rights", []),
      "and his grants are unchanged", (mine, me2.get("grants")))
t2 = admin.post("/api/v1/users", {"username": "page_peer", "display_name": "某某", "unit_id": root["id"], "password": qd.PASSWORD})[1]["id"]
st, doc, _ = page(sec, f"/admin/grants/{t2}")
st, loc, doc = submit(sec, doc.form(f"/admin/grants/{t2}"), role="security_admin", unit_id=root["id"])
qd.ok(st == 403 and refused(doc, "role"), "appointing a peer security administrator: refused naming the role", (st, doc.summary))
st, doc, _ = page(admin, f"/admin/grants/{t2}")
qd.ok(st == 403, "the system administrator gets the 403 page at a user's grants", st)

# unlocking from the page
for i in range(6):
    srv.session().post("/api/v1/login", {"username": "page_user", "password": "wrong-password"})
st, b, _ = srv.session().request("POST", "/api/v1/login", {"username": "page_user", "password": qd.PASSWORD})
qd.ok(st != 200, "after repeated wrong passwords the user must wait", st)
st, doc, _ = page(sec, f"/admin/grants/{uid}")
st, loc, _ = submit(sec, doc.form(f"/admin/users/{uid}/unlock"))
st2, b, _ = srv.session().request("POST", "/api/v1/login", {"username": "page_user", "password": qd.PASSWORD})
qd.ok(st == 303 and loc == f"/admin/grants/{uid}?done=unlock" and st2 == 200,
      "unlocked from the page, the user logs in at once", (st, loc, st2))

# --- tokens: revoked from the page, refused at once -----------------------------------------------------------------
holder = srv.login("page_user")
st, tok = holder.post("/api/v1/tokens", {"label": "页面测试", "days": 30})
bearer = qd.Session(srv, token=tok["token"])
qd.ok(bearer.get("/api/v1/me")[0] == 200, "a new token works")
st, doc, _ = page(sec, "/admin/tokens")
row = [r for r in doc.rows if any("页面测试" in c for c in r["cells"])]
qd.ok(st == 200 and row and any("page_user" in c for c in row[0]["cells"]),
      "the tokens page lists the token with its owner", [r["cells"] for r in doc.rows])
form = doc.form(f"/admin/tokens/{tok['id']}/revoke")
st, loc, _ = submit(sec, form)
qd.ok(st == 303 and loc == "/admin/tokens?done=token", "revoked from the page: 303", (st, loc))
qd.ok(bearer.get("/api/v1/me")[0] == 401, "and the token is refused at once")
st, doc, _ = page(sec, "/admin/tokens?done=token")
qd.ok(doc.banner.strip() and not [f for f in doc.forms if f["action"] == f"/admin/tokens/{tok['id']}/revoke"],
      "the page says so and offers no second revoke", doc.banner)

# --- the audit page: the API's rows for the same filter ---------------------------------------------------------------
for i in range(3):
    srv.session().post("/api/v1/login", {"username": "page_nobody", "password": "wrong-password"})
sec.post(f"/api/v1/users/{uid}/unlock")  # (the audit log is written behind the answers: one more write to wait on)


def audit_ids(query):
    st, b = aud.get("/api/v1/audit?" + query)
    return st, [e["id"] for e in b.get("items", [])]


filt = "kind=login&outcome=failed&username=page_nobody"
for _ in range(50):  # entries are queued: wait until the three are in
    st, api_ids = audit_ids(filt)
    if len(api_ids) >= 3:
        break
    import time; time.sleep(0.1)
st, doc, _ = page(aud, "/admin/audit?" + filt)
page_ids = [int(r["id"]) for r in doc.rows if r["id"]]
qd.ok(st == 200 and len(api_ids) == 3 and page_ids == api_ids, "the audit page's rows are GET /api/v1/audit's for the same filter",
      (api_ids, page_ids))
qd.ok(all("page_nobody" in r["cells"][1] for r in doc.rows if r["id"]), "each row shows the name submitted")
csv = [l for l in doc.links if l.startswith("/api/v1/audit?")]
cq = urllib.parse.parse_qs(urllib.parse.urlparse(csv[0]).query) if csv else {}
qd.ok(cq.get("format") == ["csv"] and cq.get("kind") == ["login"] and cq.get("outcome") == ["failed"] and
      cq.get("username") == ["page_nobody"], "the CSV link carries the same filter", csv)
st, h, text = fetch(aud, "GET", csv[0]) if csv else (0, {}, "")
qd.ok(st == 200 and h.get("content-type", "").startswith("text/csv") and text.count("page_nobody") == 3,
      "and exports those rows", (st, text[:300]))
st, doc, _ = page(aud, "/admin/audit?limit=2")
st2, b = aud.get("/api/v1/audit?limit=2&offset=2")
nxt = [l for l in doc.links if "offset=2" in l]
st3, doc2, _ = page(aud, nxt[0].replace("&amp;", "&")) if nxt else (0, None, None)
qd.ok(nxt and st3 == 200 and len([r for r in doc2.rows if r["id"]]) == 2, "paging: the next page's link shows the next rows", nxt)
st, doc, _ = page(aud, "/admin/audit?from=2031-13-01")
qd.ok(st == 400 and refused(doc, "from") and doc.form("/admin/audit")["values"].get("from") == "2031-13-01",
      "a bad date in the filter: the filter form again, naming it", (st, doc.summary))

# a grant made through the page is recorded as a grant, by the security administrator
st, b = aud.get(f"/api/v1/audit?kind=grant&user_id={me['id']}&limit=200")
routes = [e["route"] for e in b.get("items", [])]
qd.ok(f"/admin/grants/{uid}" in routes and f"/admin/users/{uid}/unlock" in routes,
      "grants and unlocks made on the pages are in the audit log as grants", routes[:10])

# --- the catalogs have every key the pages name ----------------------------------------------------------------------------
keys = set()
for f in glob.glob(os.path.join(ROOT, "src", "web", "page_admin*.c")):
    keys |= set(re.findall(r'"(admin\.[a-z_]+\.[a-z_.]+)"', open(f, encoding="utf-8").read()))
keys |= {f"admin.done.{d}" for d in ("unit", "user", "category", "day", "limits", "handoff", "grant", "revoke", "unlock", "token")}
keys |= {f"admin.weekday.{d}" for d in range(1, 8)}
missing = []
for lang in ("zh_CN", "en"):
    have = set(re.findall(r"^([a-z0-9_.]+)\s*=", open(os.path.join(ROOT, "i18n", lang, "admin.txt"), encoding="utf-8").read(), re.M))
    missing += [(lang, k) for k in sorted(keys - have)]
qd.ok(len(keys) > 100 and not missing, f"both catalogs have the {len(keys)} keys the administrators' pages name", missing)

qd.done()
