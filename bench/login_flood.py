#!/usr/bin/python3
"""bench/login_flood.py — GET /api/v1/tasks p99 with no load, then under a flood of 64 threads
logging in with made-up names (issue 9): the hashing limit (web/auth.c) should keep the list's
p99 near its quiet value.  Prints a figure; asserts nothing.  Usage: bench/login_flood.py [SECONDS]"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "api"))
import qd  # noqa: E402

SECS = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))] * 1000 if xs else float("nan")


def measure(sess, secs):
    out, stop = [], time.monotonic() + secs
    while time.monotonic() < stop:
        t = time.monotonic()
        st, _ = sess.get("/api/v1/tasks?limit=20")
        out.append(time.monotonic() - t)
        time.sleep(0.005)
    return out


srv = qd.Server.demo()
reader = srv.login("leader")
quiet = measure(reader, SECS)
codes, stop_at = {}, [0.0]
lock = threading.Lock()


def flood(k):
    s = srv.session()
    i = 0
    while time.monotonic() < stop_at[0]:
        # made-up names, all from 127.0.0.1: after the address's 20 free failures most are answered by
        # its back-off (a read), the first ones by the hashing limit (web/auth.c)
        st, _, _ = s.request("POST", "/api/v1/login", {"username": f"u{k}x{i}", "password": "wrong-password"})
        with lock:
            codes[st] = codes.get(st, 0) + 1
        i += 1


stop_at[0] = time.monotonic() + SECS + 1
ths = [threading.Thread(target=flood, args=(k,)) for k in range(64)]
for t in ths:
    t.start()
time.sleep(1)
loud = measure(reader, SECS)
for t in ths:
    t.join()
print(f"GET /api/v1/tasks p99: quiet {p99(quiet):.1f} ms ({len(quiet)} requests), "
      f"under a 64-thread login flood {p99(loud):.1f} ms ({len(loud)} requests); logins answered {codes}")
srv.stop()
