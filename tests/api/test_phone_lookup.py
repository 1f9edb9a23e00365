"""The exact lookup by the reporter's phone (GET /api/v1/problems?reporter_phone=…): only with the
personal-data right, through a keyed hash (any way of writing the number finds it), audited with a
pii.lookup event; text search, by contrast, finds nothing by a phone number."""
import sqlite3, urllib.parse
import qd

srv = qd.Server.demo()
grid, disp, analyst = srv.login("grid"), srv.login("dispatch"), srv.login("analyst")
st, units = grid.get("/api/v1/units")
group = next(u for u in units["items"] if u["name"] == "一组" and "新河口村" in
             next(p["name"] for p in units["items"] if p["id"] == u["parent_id"]))


def events(kind):
    c = srv.connect()
    try:
        return c.execute("SELECT count(*) FROM event WHERE kind=?", (kind,)).fetchone()[0]
    finally:
        c.close()


ids = []
for phone in ("13912340001", "139 1234 0001", "13912340002"):
    st, b = grid.post("/api/v1/problems", {"unit_id": group["id"], "description": f"查电话测试：路灯不亮，电话{phone}",
                                           "reporter": {"name": "王五", "phone": phone}})
    qd.ok(st == 201, f"a problem reported from {phone}", (st, b))
    ids.append(b["id"])


def look(sess, phone):
    return sess.request("GET", "/api/v1/problems?limit=200&reporter_phone=" + urllib.parse.quote(phone))


n0 = events("pii.lookup")
st, b, _ = look(disp, "+86 139-1234-0001")
got = {i["id"] for i in (b or {}).get("items", [])}
qd.ok(st == 200 and got == set(ids[:2]), "the personal-data right finds both problems from that phone, however written",
      (st, got, ids))
qd.ok(events("pii.lookup") == n0 + 1, "the lookup is audited (one pii.lookup event)")
st, b, _ = look(analyst, "13912340001")
qd.ok(st == 403 and b["field"] == "reporter_phone" and events("pii.lookup") == n0 + 1,
      "without the right: 403 naming reporter_phone, nothing audited", (st, b))
st, b, _ = look(disp, "1391234")
qd.ok(st == 400 and b["field"] == "reporter_phone", "a number that is no phone: 400 naming reporter_phone", (st, b))
for who, sess in (("dispatch", disp), ("analyst", analyst)):
    st, b = sess.get("/api/v1/problems?q=" + urllib.parse.quote("13912340001"))
    qd.ok(st == 200 and not b["items"], f"text search by the number finds nothing ({who})", b)
qd.done()
