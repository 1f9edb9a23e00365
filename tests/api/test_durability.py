"""Durability: kill -9 the server during a concurrent write load, restart; every acknowledged
problem is there and `qingdan check` passes.  QD_KILL_CYCLES cycles (3 in make test, 20 in the
slow tier)."""
import os, random, signal, sqlite3, threading, time
import qd

CYCLES = int(os.environ.get("QD_KILL_CYCLES", "3"))
WRITERS = 16
srv = qd.Server.demo()
token = srv.login("dispatch").cookie
st, units = qd.Session(srv, token=token).get("/api/v1/units")
groups = [u["id"] for u in units["items"] if u["kind"] == "group"][:20]

acked = []          # ids answered 201
lock = threading.Lock()
errors = []


def writer(stop, n):
    s = qd.Session(srv, token=token)
    i = 0
    while not stop.is_set():
        i += 1
        try:
            st, b, _ = s.request("POST", "/api/v1/problems",
                                 {"unit_id": random.choice(groups), "description": f"压力测试问题 {n}-{i}：村道路灯不亮",
                                  "reporter": {"name": "张三", "phone": "13800001234"}}, timeout=5)
        except Exception:
            return  # the server died mid-request: not acknowledged
        if st == 201:
            with lock:
                acked.append(b["id"])
        elif st != 503:
            errors.append((st, b))


for cycle in range(1, CYCLES + 1):
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(stop, n), daemon=True) for n in range(WRITERS)]
    before = len(acked)
    for t in threads:
        t.start()
    time.sleep(0.4 + random.random() * 0.8)
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(10)
    stop.set()
    for t in threads:
        t.join(10)
    got = len(acked) - before
    r = qd.run("check", "--db", srv.db)
    qd.ok(r.returncode == 0, f"cycle {cycle}: qingdan check passes after kill -9", r.stdout + r.stderr)
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True)
    have = {row[0] for row in con.execute("SELECT id FROM problem")}
    con.close()
    missing = [i for i in acked if i not in have]
    qd.ok(got > 0 and not missing, f"cycle {cycle}: all {len(acked)} acknowledged problems survived ({got} this cycle)",
          f"missing {missing[:10]}")
    srv.start()
    token = srv.login("dispatch").cookie

qd.ok(not errors, "no answer other than 201 or 503 under load", errors[:5])
st, b = qd.Session(srv, token=token).get(f"/api/v1/problems/{acked[-1]}")
qd.ok(st == 200, "after restart the last acknowledged problem is served", (st, b))
qd.done()
