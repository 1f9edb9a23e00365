"""Logins that cannot be used against the guards (issue 9 point 3): a back-off per submitted name
(existing or not) instead of a lock-out, the same answer and about the same time for an unknown
name and a wrong password, 429 at once under a flood while other routes answer, the idle and
absolute limits of a session, the Secure flag, the bound of the back-off table."""
import statistics
import threading
import time

import qd

srv = qd.Server.demo(args=["--session-idle", "3", "--session-max", "8", "--secure-cookie"])
anon = srv.session()


def login(name, pw="wrong-password"):
    t = time.monotonic()
    st, b, h = anon.request("POST", "/api/v1/login", {"username": name, "password": pw})
    return st, b, h, time.monotonic() - t


# back-off per name, the same for an unknown and a known name
for name in ("analyst", "nosuchuser"):
    for i in range(4):
        st, b, h, _ = login(name)
    st, b, h, _ = login(name, qd.PASSWORD)
    qd.ok(st == 429 and b["code"] == "locked" and h.get("retry-after") == "1",
          f"{name}: after 4 failures 429 with Retry-After: 1", (st, b, h))
    time.sleep(1.1)
    st, b, h, _ = login(name)
    st, b, h, _ = login(name)
    qd.ok(st == 429 and h.get("retry-after") == "2", f"{name}: one more failure doubles the wait", (st, b, h))
# a flood against the administrator's name counts only what the back-off lets through
for i in range(30):
    login("admin")
time.sleep(0.5)
st, b, h, _ = login("admin", qd.PASSWORD)
wait = int(h.get("retry-after", "0"))
qd.ok(st == 429 and 1 <= wait <= 4, f"30 attempts in a row earn the administrator's name a wait of {wait} s, not a lock", (st, h))
time.sleep(wait + 0.2)
st, b, h, _ = login("admin", qd.PASSWORD)
qd.ok(st == 200, "after that wait the administrator logs in", (st, b))

# the session: Secure cookie, idle and absolute limits
st, b, h = anon.request("POST", "/api/v1/login", {"username": "grid", "password": qd.PASSWORD})
qd.ok("Secure" in h.get("set-cookie", "") and "Max-Age=8" in h.get("set-cookie", ""),
      "--secure-cookie: the cookie is Secure; Max-Age is the absolute limit", h.get("set-cookie"))
s = qd.Session(srv, cookie=b["token"], csrf=b["csrf"])
st, _ = s.get("/api/v1/me")
qd.ok(st == 200, "a new session works", st)
time.sleep(4)
st, b2 = s.get("/api/v1/me")
qd.ok(st == 401, "a session unused longer than the idle limit ends", (st, b2))
st, b, h = anon.request("POST", "/api/v1/login", {"username": "grid", "password": qd.PASSWORD})
s = qd.Session(srv, cookie=b["token"], csrf=b["csrf"])
ok = True
for i in range(5):  # used every 1.5 s: never idle
    time.sleep(1.5)
    ok = ok and s.get("/api/v1/me")[0] == 200
qd.ok(ok, "a session in use stays (idle limit 3 s, used every 1.5 s)")
time.sleep(1.5)
st, _ = s.get("/api/v1/me")
qd.ok(st == 401, "but ends at the absolute limit (8 s)", st)

# per address: made-up names from one address soon wait too, whatever the name
n = 0
while n < 30:
    st, b, h, _ = login(f"spray{n}")
    n += 1
    if st == 429:
        break
st, b, h, _ = login("yet-another-name", qd.PASSWORD)
qd.ok(st == 429 and n <= 20, f"after {n} more failures from one address a fresh name waits as well (per address)", (st, b))

# the same answer and about the same time, and the bound of the table: a second server
srv.stop()
srv = qd.Server.demo(args=["--login-rows", "10"])
anon = srv.session()


def login(name, pw="wrong-password"):
    t = time.monotonic()
    st, b, h = anon.request("POST", "/api/v1/login", {"username": name, "password": pw})
    return st, b, h, time.monotonic() - t


# the same answer and about the same time: unknown name vs wrong password (one attempt each in
# turn, on names that never reach their back-off)
known, unknown = [], []
for i in range(9):  # each known name 3 times: within its free failures
    st1, b1, _, t1 = login(("leader", "grid", "analyst")[i % 3])
    st2, b2, _, t2 = login(f"nobody{i}")
    known.append(t1)
    unknown.append(t2)
    if i == 0:
        qd.ok(st1 == st2 == 401 and b1 == b2, "an unknown name and a wrong password get the same answer", (b1, b2))
mk, mu = statistics.median(known), statistics.median(unknown)
qd.ok(abs(mk - mu) <= 0.2 * max(mk, mu), f"and about the same time (medians {mk * 1000:.0f} ms and {mu * 1000:.0f} ms)",
      (known, unknown))
for n in ("grid", "leader", "analyst"):
    login(n, qd.PASSWORD)  # clears their counters

con = srv.connect()
n = con.execute("SELECT count(*) FROM login_throttle").fetchone()[0]
con.close()
qd.ok(n <= 10, f"18 failed logins under made-up and real names leave {n} rows in the back-off table (bound 10)", n)

# a flood of concurrent logins: 429 quickly, and other routes keep answering
stop = time.monotonic() + 4
codes = []
reader = srv.login("leader")


def flood():
    c = srv.session()
    i = 0
    while time.monotonic() < stop:
        st, _, _ = c.request("POST", "/api/v1/login", {"username": f"f{threading.get_ident()}x{i}", "password": "x" * 10})
        codes.append(st)
        i += 1


ths = [threading.Thread(target=flood) for _ in range(32)]
for t in ths:
    t.start()
time.sleep(1)
worst = 0
for i in range(20):
    t = time.monotonic()
    st, _ = reader.get("/api/v1/tasks")
    worst = max(worst, time.monotonic() - t)
    st2, _, _ = anon.request("GET", "/healthz")
for t in ths:
    t.join()
qd.ok(codes.count(429) > 0, f"a flood of logins gets 429 ({codes.count(429)} of {len(codes)})", set(codes))
qd.ok(worst < 2.0 and st == 200 and st2 == 200, f"GET /tasks and /healthz still answer during it (slowest {worst * 1000:.0f} ms)")
qd.done()
