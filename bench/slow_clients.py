#!/usr/bin/env python3
"""slow_clients.py — GET /api/v1/tasks latency (p50, p99, max) with 300 slow clients beside it,
against its quiet value in the same run (issue 9, point 5).  A demo database, one `qingdan serve`
on 127.0.0.1 (default limits: --head-timeout 10, --max-per-ip 256); the slow clients connect from
127.0.0.1 and send a byte every 4 s, so they are cut at their 10 s head deadline and reconnect
at once (the load holds for the whole measurement); the measured client is one keep-alive
connection from 127.0.0.2 asking for a 20-task page as the dispatcher.  Prints `key value` lines.

Each phase runs SECS seconds (default 25: longer than the head deadline, so the slow clients are
reaped and reconnect during it).

Usage: BUILD=build bench/slow_clients.py [SECS]"""
import http.client, json, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time

BIN = os.environ.get("QD_BIN") or os.path.join(os.environ.get("BUILD", "build"), "qingdan")
SECS = float(sys.argv[1]) if len(sys.argv) > 1 else 25
tmp = tempfile.mkdtemp(prefix="qd-bench-slow-")
db = os.path.join(tmp, "demo.db")
subprocess.run([BIN, "demo", "--db", db, "--quiet"], check=True, capture_output=True)
srv = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
try:
    line = srv.stdout.readline()
    port = int(line.rsplit(":", 1)[1])

    def client():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=("127.0.0.2", 0))
        return c

    c = client()
    c.request("POST", "/api/v1/login", json.dumps({"username": "dispatch", "password": "qingdan-demo"}),
              {"Content-Type": "application/json"})
    token = json.loads(c.getresponse().read())["token"]
    hdr = {"Authorization": "Bearer " + token}

    def measure(secs):
        lat = []
        end = time.time() + secs
        while time.time() < end:
            t = time.perf_counter()
            c.request("GET", "/api/v1/tasks?limit=20", headers=hdr)
            r = c.getresponse()
            r.read()
            lat.append((time.perf_counter() - t) * 1000)
            if r.status != 200:
                raise SystemExit(f"status {r.status}")
        lat.sort()
        return lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1], lat[-1], len(lat)

    measure(1)  # warm
    quiet = measure(SECS)
    stop = threading.Event()
    held = []
    lock = threading.Lock()

    def slow_pool():
        socks = []
        while not stop.is_set():
            while len(socks) < 300 and not stop.is_set():
                try:
                    s = socket.socket()
                    s.bind(("127.0.0.1", 0))
                    s.settimeout(2)
                    s.connect(("127.0.0.1", port))
                    s.sendall(b"G")
                    socks.append(s)
                except OSError:
                    break
            with lock:
                held.append(len(socks))
            for s in list(socks):
                try:
                    s.sendall(b"E")
                except OSError:
                    socks.remove(s)
                    s.close()
            stop.wait(4)
        for s in socks:
            s.close()

    th = threading.Thread(target=slow_pool)
    th.start()
    time.sleep(3)
    loaded = measure(SECS)
    stop.set()
    th.join()
    print(f"quiet_requests {quiet[3]}\nslow300_requests {loaded[3]}")
    print(f"quiet_p50_ms {quiet[0]:.3f}\nquiet_p99_ms {quiet[1]:.3f}\nquiet_max_ms {quiet[2]:.3f}")
    print(f"slow300_p50_ms {loaded[0]:.3f}\nslow300_p99_ms {loaded[1]:.3f}\nslow300_max_ms {loaded[2]:.3f}")
    print(f"slow_connections_open_max {max(held) if held else 0}")
    c2 = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c2.request("GET", "/metrics")
    for l in c2.getresponse().read().decode().splitlines():
        if l.startswith("qingdan_http_reaped_total ") or l.startswith("qingdan_http_refused_connections_total "):
            print(l.replace("qingdan_http_", ""))
finally:
    srv.send_signal(signal.SIGTERM)
    srv.wait(30)
    shutil.rmtree(tmp, True)
