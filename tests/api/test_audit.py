"""The audit log (等保2.0 安全审计): a failed login, a refused request, a personal-data read, a
grant and a state change each leave a row with time, user, client address, route and outcome;
the audit administrator filters it and exports it as CSV; their reads are audited too; and a flood
of 2,000 failed logins is recorded (or counted as dropped) while every write beside it succeeds —
the intake rate alone and during the flood is printed as a figure, not asserted (the flood's
clients share the machine's cores)."""
import csv, http.client, io, threading, time
import qd

srv = qd.Server.demo()
admin, sec, aud, disp = srv.login("admin"), srv.login("security"), srv.login("auditor"), srv.login("dispatch")
st, units = admin.get("/api/v1/units")
U = {u["name"]: u for u in units["items"]}
XHK, ZLZ = U["新河口村"], U["周老嘴镇"]
t0 = time.time()


def rows(q=""):
    st, b = aud.get("/api/v1/audit?limit=10000" + q)
    assert st == 200, (st, b)
    return b["items"]


def wait_for(pred, q=""):
    """The audit writer flushes every 100 ms: poll for a row a little while."""
    for _ in range(50):
        found = [r for r in rows(q) if pred(r)]
        if found:
            return found
        time.sleep(0.1)
    return []


# one of each
srv.session().post("/api/v1/login", {"username": "dispatch", "password": "wrong-password-1"})
srv.session().post("/api/v1/login", {"username": "no-such-user", "password": "wrong-password-1"})
st, _ = admin.post("/api/v1/users/1/grants", {"role": "pii", "unit_id": ZLZ["id"]})
assert st == 403
st, p = disp.post("/api/v1/problems", {"unit_id": XHK["id"], "description": "路灯坏了，晚上出行不便"})
assert st == 201, (st, p)
st, _ = disp.get(f"/api/v1/problems/{p['id']}/pii")
assert st == 200
st, nu = admin.post("/api/v1/users", {"username": "aud_t1", "display_name": "测试员", "unit_id": ZLZ["id"], "password": qd.PASSWORD})
st, _ = sec.post(f"/api/v1/users/{nu['id']}/grants", {"role": "analyst", "unit_id": ZLZ["id"]})
assert st == 200
st, me_disp = disp.get("/api/v1/me")
st, me_admin = admin.get("/api/v1/me")
st, me_sec = sec.get("/api/v1/me")


def csv_get(path):
    """The raw text of a CSV answer (the harness parses JSON), with its status and content type."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    c.request("GET", path, headers={"Cookie": f"qd_session={aud.cookie}"})
    r = c.getresponse()
    text = r.read().decode()
    c.close()
    return r.status, text, r.getheader("Content-Type", "")


def has_time(r):
    return isinstance(r.get("at"), str) and r["at"].endswith("+08:00") and abs(time.time() - t0) < 600


fail = wait_for(lambda r: r["kind"] == "login" and r["outcome"] == "failed" and r["username"] == "dispatch")
qd.ok(fail and has_time(fail[0]) and fail[0]["client"] == "127.0.0.1" and fail[0]["status"] == 401 and fail[0]["user_id"] is None,
      "a failed login: the name submitted, the time, the address, failed/401", fail[:1])
qd.ok(wait_for(lambda r: r["kind"] == "login" and r["username"] == "no-such-user"),
      "a failed login under a name that does not exist keeps that name")
ok_login = wait_for(lambda r: r["kind"] == "login" and r["outcome"] == "ok" and r["user_id"] == me_disp["id"])
qd.ok(ok_login and ok_login[0]["username"] == "dispatch", "a successful login: the user's id and name", ok_login[:1])
den = wait_for(lambda r: r["kind"] == "denied" and r["user_id"] == me_admin["id"] and r["route"] == "/api/v1/users/1/grants")
qd.ok(den and den[0]["outcome"] == "denied" and den[0]["status"] == 403 and den[0]["username"] == "admin" and den[0]["method"] == "POST",
      "a 403: who, what route, denied", den[:1])
pii = wait_for(lambda r: r["kind"] == "pii" and r["entity_id"] == p["id"])
qd.ok(pii and pii[0]["user_id"] == me_disp["id"] and pii[0]["outcome"] == "ok" and pii[0]["client"] == "127.0.0.1",
      "a personal-data read: who read which problem", pii[:1])
gr = wait_for(lambda r: r["kind"] == "grant" and r["entity_id"] == nu["id"])
qd.ok(gr and gr[0]["user_id"] == me_sec["id"] and gr[0]["route"].endswith("/grants") and gr[0]["outcome"] == "ok",
      "a grant: who granted to whom", gr[:1])
wr = wait_for(lambda r: r["kind"] == "write" and r["route"] == "/api/v1/problems" and r["entity_id"] == p["id"])
qd.ok(wr and wr[0]["status"] == 201 and wr[0]["user_id"] == me_disp["id"], "a state change: the new problem's id", wr[:1])
st, b = srv.session().get("/api/v1/tasks")
qd.ok(st == 401 and wait_for(lambda r: r["kind"] == "denied" and r["status"] == 401 and r["route"] == "/api/v1/tasks"),
      "a 401 without login is recorded")
qd.ok(not wait_for(lambda r: r["kind"] == "write" and r["method"] == "GET"), "plain reads are not recorded as writes")

# the audit administrator's own reads are audited
st, me_aud = aud.get("/api/v1/me")
qd.ok(wait_for(lambda r: r["kind"] == "audit" and r["user_id"] == me_aud["id"]), "reading the audit log is itself audited")

# filters
all_rows = rows()
f = rows("&kind=login&outcome=failed")
qd.ok(f and all(r["kind"] == "login" and r["outcome"] == "failed" for r in f), "kind and outcome filter", len(f))
f = rows(f"&user_id={me_sec['id']}")
qd.ok(f and all(r["user_id"] == me_sec["id"] for r in f), "user_id filters", len(f))
f = rows("&username=no-such-user")
qd.ok(len(f) == 1 and f[0]["kind"] == "login", "username filters (also the name of a failed login)", f)
f = rows("&client=127.0.0.2")
qd.ok(f == [], "client filters", len(f))
today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
qd.ok(len(rows(f"&from={today}&to={today}")) >= len(all_rows) - 2 and rows("&to=2001-01-01") == [],
      "from/to filter by China day")
logins = rows("&kind=login")  # no login happens meanwhile: a stable set to page through
st, b = aud.get("/api/v1/audit?kind=login&limit=2&offset=1&count=1")
qd.ok(st == 200 and [r["id"] for r in b["items"]] == [r["id"] for r in logins[1:3]] and b["count"] == len(logins),
      "paging with limit/offset and a count", (st, b.get("count"), len(logins)))
st, b = aud.get("/api/v1/audit?kind=bogus")
qd.ok(st == 400 and b.get("field") == "kind", "a bad filter is refused naming the field", (st, b))

# CSV export
st, raw, ctype = csv_get("/api/v1/audit?format=csv&kind=login")
parsed = list(csv.DictReader(io.StringIO(raw)))
qd.ok(st == 200 and "text/csv" in ctype and parsed and parsed[0].keys() >= {"at", "username", "client", "kind", "outcome", "status"}
      and all(r["kind"] == "login" for r in parsed), "the CSV export parses, with the same columns", (st, ctype, raw[:300]))
# a name that would be a spreadsheet formula goes out defused
srv.session().post("/api/v1/login", {"username": "=cmd|' /C calc'!A0", "password": "wrong-password-1"})
wait_for(lambda r: (r["username"] or "").startswith("=cmd"))
st, raw, _ = csv_get("/api/v1/audit?format=csv&kind=login")
cells = [r["username"] for r in csv.DictReader(io.StringIO(raw))]
qd.ok("'=cmd|' /C calc'!A0" in cells, "a formula-like cell is exported with a leading apostrophe", cells[:5])
r = qd.run("audit", *srv.db_args(), "--kind", "login", "--csv")
qd.ok(r.returncode == 0 and r.stdout.startswith("id,at,") and "no-such-user" in r.stdout, "qingdan audit --csv on the host", r.stdout[:200] + r.stderr)

# --- a flood of failed logins does not slow the writes ----------------------------------------
N, T = 200, 4


SESSIONS = [srv.login("dispatch") for _ in range(T)]  # before the flood: its address is then backed off


def intake(n, out, s):
    for i in range(n):
        st, b = s.post("/api/v1/problems", {"unit_id": XHK["id"], "description": f"审计压力测试问题{i}"})
        out.append(st)


def rate():
    out = []
    ths = [threading.Thread(target=intake, args=(N // T, out, SESSIONS[i])) for i in range(T)]
    t = time.time()
    [th.start() for th in ths]
    [th.join() for th in ths]
    dt = time.time() - t
    assert all(s == 201 for s in out), out[:5]
    return len(out) / dt


FLOOD = 2000
flood_done = []


def flood(k, n):
    s = srv.session()
    for i in range(n):  # failed logins with names nobody has: 401, then 429 once the address backs off
        st, _, _ = s.request("POST", "/api/v1/login", {"username": f"flood{k}x{i}", "password": "wrong-password-1"})
        flood_done.append(st)



base = rate()
ths = [threading.Thread(target=flood, args=(k, FLOOD // 4)) for k in range(4)]
t = time.time()
[th.start() for th in ths]
during = rate()
[th.join() for th in ths]
flood_s = time.time() - t
qd.ok(len(flood_done) == FLOOD and all(s in (401, 429) for s in flood_done),
      f"{FLOOD} failed logins refused (401, or 429 once backed off: {flood_done.count(429)}) in {flood_s:.1f} s")
# (how fast intake goes during the flood is a figure, not a test — the flood's own clients share the
# machine's cores: it is printed here; rate() asserted that every intake during the flood succeeded)
print(f"# intake {base:.0f}/s alone, {during:.0f}/s during the failed-login flood")
time.sleep(0.5)
c = srv.connect()
denied = c.execute("SELECT count(*) FROM audit WHERE kind='login' AND username LIKE 'flood%x%' AND status IN (401, 429)").fetchall()[0][0]
drops = c.execute("SELECT detail FROM audit WHERE kind='dropped'").fetchall()
dropped = sum(int(d[0].split()[0]) for d in drops)
c.close()
c2 = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
c2.request("GET", "/metrics")
metrics = c2.getresponse().read().decode()
c2.close()
m_dropped = [int(l.split()[-1]) for l in metrics.splitlines() if l.startswith("qingdan_audit_dropped_total ")]
qd.ok(m_dropped == [dropped], "/metrics counts the dropped entries as the log's summary rows do", (m_dropped, dropped))
qd.ok(denied + dropped >= FLOOD, f"every failed login is in the log ({denied}) or counted as dropped ({dropped})", (denied, dropped))
# failed logins (argon2 each: a smaller burst, same path)
for i in range(50):
    srv.session().post("/api/v1/login", {"username": "flood", "password": "wrong-password-1"})
time.sleep(0.5)
qd.ok(len(rows("&username=flood")) == 50, "50 failed logins in a row are all recorded")
srv.stop()
r = qd.run("check", *srv.db_args())
qd.ok(r.returncode == 0, "check passes: the audit log is not part of the replayed record", r.stdout[-300:] + r.stderr)
qd.done()
