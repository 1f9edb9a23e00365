#!/usr/bin/env python3
"""startup.py — start-up time of `qingdan serve`: from the exec to the first 200 on /healthz.

    startup.py QINGDAN DB [RUNS]    prints one line per run and "startup_ms_median N"

Each run picks a free 127.0.0.1 port, starts the server, polls GET /healthz (connection
refused is retried at once), then stops the server with SIGTERM and waits for it."""
import http.client, os, signal, socket, statistics, subprocess, sys, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def once(qd, db):
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen([qd, "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < 20:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                pass
            if p.poll() is not None:
                raise RuntimeError("server exited with %d" % p.returncode)
            time.sleep(0.0005)
        raise RuntimeError("no /healthz answer in 20 s")
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def main():
    qd, db = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    ms = []
    for i in range(runs):
        ms.append(once(qd, db))
        print(f"startup run {i + 1}: {ms[-1]:.1f} ms", flush=True)
    print(f"startup_ms_median {statistics.median(ms):.1f}")


if __name__ == "__main__":
    main()
