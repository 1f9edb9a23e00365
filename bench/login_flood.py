#!/usr/bin/python3
"""bench/login_flood.py — GET /api/v1/tasks p99 with no load, then under two floods of 64 threads
logging in with made-up names (issue 9; 4 processes of 16 threads, apart from the measuring client), each beside the quiet value measured in the same run:
  one:  every login from 127.0.0.1 — after the address's free failures its back-off answers 429
        from a read (web/auth.c);
  many: every login from another client address (X-Forwarded-For through a trusted proxy,
        127.0.0.1): no back-off ever applies, so only the password-hashing limit (half the cores'
        slots, 20 ms wait, else 429) stands between the flood and the CPU.
Prints key value lines (bench/run records them) and a summary; asserts nothing.
Usage: bench/login_flood.py [SECONDS]"""
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "api"))
import qd  # noqa: E402

SECS = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000 if xs else float("nan")


def measure(sess, secs):
    out, stop = [], time.monotonic() + secs
    while time.monotonic() < stop:
        t = time.monotonic()
        st, _ = sess.get("/api/v1/tasks?limit=20")
        out.append(time.monotonic() - t)
        time.sleep(0.005)
    return out


def flood_proc(port, many, secs, k0, out):
    """One flooding process (16 threads): the flood's clients apart from the measuring one, so
    they do not share its interpreter lock."""
    import http.client
    import json
    codes, stop_at, lock = {}, time.monotonic() + secs, threading.Lock()

    def run(k):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.monotonic() < stop_at:
            h = {"Content-Type": "application/json"}
            if many:
                h["X-Forwarded-For"] = f"10.{k}.{random.randrange(256)}.{random.randrange(1, 255)}"
            body = json.dumps({"username": f"u{k}x{i}", "password": "wrong-password"})
            try:
                c.request("POST", "/api/v1/login", body, h)
                r = c.getresponse()
                r.read()
                st = r.status
            except Exception:
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                st = 0
            with lock:
                codes[st] = codes.get(st, 0) + 1
            i += 1

    ths = [threading.Thread(target=run, args=(k0 + j,)) for j in range(16)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    out.put(codes)


def flood(srv, reader, many):
    import multiprocessing as mp
    q = mp.Queue()
    ps = [mp.Process(target=flood_proc, args=(srv.port, many, SECS + 1, 16 * i, q)) for i in range(4)]
    for p in ps:
        p.start()
    time.sleep(1)
    loud = measure(reader, SECS)
    codes = {}
    for _ in ps:
        for st, n in q.get().items():
            codes[st] = codes.get(st, 0) + n
    for p in ps:
        p.join()
    return loud, codes


srv = qd.Server.demo(args=("--trusted-proxy", "127.0.0.1"), log=os.environ.get("QD_BENCH_LOG"))
reader = srv.login("leader")
quiet = measure(reader, SECS)
print(f"quiet_requests {len(quiet)}\nquiet_p50_ms {pct(quiet, .5):.3f}\nquiet_p99_ms {pct(quiet, .99):.3f}")
for name, many in (("one", False), ("many", True)):
    loud, codes = flood(srv, reader, many)
    print(f"{name}_requests {len(loud)}\n{name}_p50_ms {pct(loud, .5):.3f}\n{name}_p99_ms {pct(loud, .99):.3f}")
    for st, n in sorted(codes.items()):
        print(f"{name}_logins_{st} {n}")
    print(f"# GET /api/v1/tasks p99: quiet {pct(quiet, .99):.1f} ms, under a 64-thread login flood from "
          f"{'many addresses' if many else 'one address'} {pct(loud, .99):.1f} ms; logins answered {codes}")
srv.stop()
