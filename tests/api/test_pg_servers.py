"""test_pg_servers.py — two `qingdan serve` on one PostgreSQL database (issue 8): intake and actions
at once on both keep one valid hash chain (`qingdan check` passes), every acknowledged write is in
the database, ids never collide, and what one server changes in what readers cache — a logout, a
grant — is seen by the other on its next request."""
import json, os, tempfile, threading, time
import qd

pg = qd.Pg("qd_servers")
d = tempfile.mkdtemp(prefix="qd-servers-")
key = os.path.join(d, "demo.key")
uri = pg.uri(pg.new_db())
r = qd.run("demo", "--db", uri, "--key", key, "--quiet")
qd.ok(r.returncode == 0, "a demo database on PostgreSQL", r.stderr)
a = qd.Server(uri, key=key)
b = qd.Server(uri, key=key)
qd.ok(a.port != b.port, f"two servers on one database (ports {a.port}, {b.port})")

# --- intake on both at once ------------------------------------------------------------------------
N = 60  # per thread; 4 threads on each server
acked, errors = [], []
lock = threading.Lock()


me = a.login("grid").get("/api/v1/me")[1]
UNIT = me["grants"][0]["unit_id"]


def intake(srv, tag):
    s = srv.login("grid")
    for i in range(N):
        st, body = s.post("/api/v1/problems", {"unit_id": UNIT, "source": "visit",
                                                "description": f"双服务器并发受理 {tag} 第{i}件：路灯不亮"})
        with lock:
            (acked if st == 201 else errors).append((tag, i, st, body if st != 201 else body["id"]))


threads = [threading.Thread(target=intake, args=(srv, f"{name}{k}")) for name, srv in (("A", a), ("B", b)) for k in range(4)]
t0 = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
dt = time.time() - t0
qd.ok(not errors and len(acked) == 8 * N, f"{len(acked)} problems acknowledged by the two servers in {dt:.1f} s, none refused",
      errors[:5])
ids = [x[3] for x in acked]
qd.ok(len(set(ids)) == len(ids), "no two acknowledged problems got one id")
con = a.connect()
got = {r[0] for r in con.execute("SELECT id FROM problem WHERE description LIKE '双服务器并发受理%'")}
qd.ok(set(ids) <= got, "every acknowledged problem is in the database", sorted(set(ids) - got)[:5])

# --- actions on both at once: tasks from the new problems, created on one server, acted on the other
disp_a, disp_b = a.login("dispatch"), b.login("dispatch")
made, bad = [], []


def triage(sess, pids):
    for pid in pids:
        st, body = sess.post("/api/v1/tasks", {"problem_ids": [pid], "title": f"并发派单 {pid}"})
        with lock:
            (made if st == 201 else bad).append((pid, st, body))


ts = [threading.Thread(target=triage, args=(disp_a, ids[:40])), threading.Thread(target=triage, args=(disp_b, ids[40:80]))]
for t in ts:
    t.start()
for t in ts:
    t.join()
qd.ok(len(made) == 80 and not bad, f"{len(made)} tasks created at once through both servers", bad[:3])
tids = [m[2]["id"] for m in made]
qd.ok(len(set(tids)) == len(tids), "no two tasks got one id")
st, body = disp_b.get(f"/api/v1/tasks/{tids[0]}")
qd.ok(st == 200 and body.get("id") == tids[0], "a task created through one server is read through the other", (st, body))

# --- what readers cache, changed on one server, seen on the other --------------------------------
s = a.login("handler")
st, _ = qd.Session(b, cookie=s.cookie, csrf=s.csrf).get("/api/v1/me")
qd.ok(st == 200, "a session made on server A is valid on server B", st)
st, _ = s.post("/api/v1/logout")
st2, _ = qd.Session(b, cookie=s.cookie, csrf=s.csrf).get("/api/v1/me")
qd.ok(st2 == 401, "a logout on server A is seen by server B at once", st2)
g = a.login("grid")
st, tok = g.post("/api/v1/tokens", {"label": "两台服务器", "days": 1})
bearer = qd.Session(b, token=tok["token"]) if st == 201 else None
qd.ok(st == 201 and bearer.get("/api/v1/me")[0] == 200, "a token made on server A works on server B", (st, tok))
st, _ = qd.Session(b, cookie=g.cookie, csrf=g.csrf).post(f"/api/v1/tokens/{tok['id']}/revoke")
qd.ok(st == 200 and qd.Session(a, token=tok["token"]).get("/api/v1/me")[0] == 401,
      "revoked on server B, it is refused on server A at once", st)

# --- one chain --------------------------------------------------------------------------------------
a.stop()
b.stop()
r = qd.run("check", "--db", uri, "--key", key)
qd.ok(r.returncode == 0 and "check passed" in r.stdout, "qingdan check passes: one valid chain, projections equal the replay",
      r.stdout + r.stderr)
n = int(pg.psql("SELECT count(*) FROM event", uri.rsplit("/", 1)[1]))
qd.ok(n > 2000, f"the log holds {n} events")
qd.done()
