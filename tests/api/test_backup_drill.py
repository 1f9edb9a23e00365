"""Backup and restore drills (docs/operations.md §8): each step here is the command that section gives,
in the same order, run against a database a qingdan server is writing to.  A restored database must
pass `qingdan check` with the key, hold every write acknowledged before the backup started, and serve.

On SQLite (tests/run's first pass), §8.1:
  a demo database served and written to (intake over the API from 4 clients) while `qingdan backup`
  copies it; the key copied beside it; the copy passes `qingdan check`, holds every problem whose
  201 came before the backup started, and serves (a demo user logs in and reads the newest one).
On PostgreSQL (QD_TEST_BACKEND=pg, the second pass; the cluster of QD_TEST_PG, started by tests/run):
  §8.2, logical: `pg_dump --format=custom` while the server writes, `pg_restore` into a new database
    made as §8.2 makes it; `qingdan check --db NEW --key K` passes; every acknowledged write is there;
    a server on the restored database serves.
  §8.3, point in time: `pg_receivewal` into a WAL archive (its own replication slot), a
    `pg_basebackup`, writes, the target time noted, more writes, then the base backup restored to a
    new data directory on another port with restore_command and recovery_target_time: the restored
    database holds every write acknowledged before the target and none after, and passes check.

Bounded: every command has a timeout; the servers, pg_receivewal and the restored PostgreSQL are
stopped at exit (the slot dropped)."""
import atexit
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time

import qd

GROUP_NAME_KIND = "group"


def sh(args, timeout=120, **kw):
    print("# $ " + " ".join(_redact(a) for a in args), flush=True)
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def _redact(a):
    """A URI's password is not printed."""
    import re
    return re.sub(r"(postgres(?:ql)?://[^:/@]+:)[^@]+@", r"\1…@", str(a))


class Writers:
    """N clients posting problems until stopped; acked: [(id, monotonic time of the 201)]."""

    def __init__(self, srv, n=4):
        self.srv = srv
        self.token = srv.login("dispatch").cookie
        s = qd.Session(srv, token=self.token)
        self.groups = [u["id"] for u in s.get("/api/v1/units")[1]["items"] if u["kind"] == GROUP_NAME_KIND][:8]
        self.acked, self.errors = [], []
        self.lock = threading.Lock()
        self.stop_ev = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(n)]
        for t in self.threads:
            t.start()

    def run(self, n):
        s = qd.Session(self.srv, token=self.token)
        i = 0
        while not self.stop_ev.is_set():
            i += 1
            try:
                st, b = s.post("/api/v1/problems", {"unit_id": self.groups[i % len(self.groups)],
                                                    "description": f"备份演练写入 {n}-{i}：村口路灯不亮",
                                                    "reporter": {"name": "李四", "phone": "13900001234"}}, timeout=10)
            except Exception as ex:  # noqa: BLE001 — reported, not raised in a thread
                self.errors.append(repr(ex))
                time.sleep(0.05)
                continue
            if st == 201:
                with self.lock:
                    self.acked.append((b["id"], time.monotonic()))
            else:
                self.errors.append((st, b))

    def stop(self):
        self.stop_ev.set()
        for t in self.threads:
            t.join(15)

    def before(self, t):
        with self.lock:
            return [i for i, at in self.acked if at < t]

    def after(self, t):
        with self.lock:
            return [i for i, at in self.acked if at > t]

    def wait_for(self, n, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.acked) >= n:
                    return True
            time.sleep(0.02)
        return False


def serves(srv_db, key, pid, **kw):
    """A server on a restored database: a demo user logs in and reads problem pid."""
    try:
        s = qd.Server(srv_db, key=key, **kw)
    except RuntimeError as ex:
        return False, str(ex)
    try:
        sess = s.login("dispatch")
        st, b = sess.get(f"/api/v1/problems/{pid}")
        return st == 200 and b.get("id") == pid, (st, b)
    except Exception as ex:  # noqa: BLE001
        return False, repr(ex)
    finally:
        s.stop()


def check_passes(db, key, what):
    r = qd.run("check", "--db", db, "--key", key, timeout=300)
    qd.ok(r.returncode == 0 and "check passed" in r.stdout, f"{what} passes qingdan check with the key", r.stdout + r.stderr)


# ---------------------------------------------------------------------------------------------------
def drill_sqlite():
    """§8.1: qingdan backup while serving; the key kept apart and put beside the copy to restore."""
    t_start = time.monotonic()
    srv = qd.Server.demo()
    backup_dir = tempfile.mkdtemp(prefix="qd-backup-")
    atexit.register(shutil.rmtree, backup_dir, True)
    w = Writers(srv)
    qd.ok(w.wait_for(200), "the server acknowledges writes from 4 clients before the backup")
    copy = os.path.join(backup_dir, "county-backup.db")
    t0 = time.monotonic()
    r = sh([qd.BIN, "backup", "--db", srv.db, "--to", copy])
    t1 = time.monotonic()
    qd.ok(w.wait_for(len(w.acked) + 100), "writes go on after the backup")
    w.stop()
    qd.ok(r.returncode == 0 and os.path.exists(copy), f"qingdan backup while the server writes ({t1 - t0:.2f} s)", r.stdout + r.stderr)
    before, during = w.before(t0), [i for i, at in w.acked if t0 <= at <= t1]
    print(f"# {len(before)} writes acknowledged before the backup started, {len(during)} while it ran, "
          f"{len(w.after(t1))} after", flush=True)
    qd.ok(not w.errors, "every write was answered 201", w.errors[:5])

    # the key is not in the backup: it is copied on its own (and kept apart from the database's copies)
    r2 = sh(["install", "-m", "600", srv.db + ".key", copy + ".key"])
    qd.ok(r2.returncode == 0, "the key file copied beside the backup, mode 0600", r2.stderr)
    check_passes(copy, copy + ".key", "the backup")
    con = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    have = {row[0] for row in con.execute("SELECT id FROM problem")}
    con.close()
    missing = sorted(set(before) - have)
    qd.ok(before and not missing, f"the backup holds all {len(before)} problems acknowledged before it started", missing[:10])

    # restore: the copy is the database (the server stopped; here a new server on the copy)
    restored = os.path.join(backup_dir, "county.db")
    shutil.copy(copy, restored)
    shutil.copy(copy + ".key", restored + ".key")
    good, detail = serves(restored, restored + ".key", max(before))
    qd.ok(good, "a server on the restored copy serves: a demo user logs in and reads the newest problem acknowledged before the backup",
          detail)
    srv.stop()
    print(f"# SQLite drill: {time.monotonic() - t_start:.1f} s", flush=True)


# ---------------------------------------------------------------------------------------------------
AS_PG = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # pg-local's cluster runs as postgres under root


def pg_dir(prefix):
    """An empty directory the cluster's user owns (mode 0700), under /tmp."""
    d = tempfile.mkdtemp(prefix=prefix)
    if AS_PG:
        shutil.chown(d, "postgres", "postgres")
    atexit.register(shutil.rmtree, d, True)
    return d


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def with_port(uri, port, db=None):
    import urllib.parse
    u = urllib.parse.urlsplit(uri)
    host = u.netloc.rsplit("@", 1)
    netloc = (host[0] + "@" if len(host) == 2 else "") + f"127.0.0.1:{port}"
    return urllib.parse.urlunsplit((u.scheme, netloc, "/" + db if db else u.path, u.query, u.fragment))


def problem_ids(pg, db):
    out = pg.psql("SELECT id FROM problem", db)
    return {int(x) for x in out.split()} if out else set()


def drill_pg_dump(pg):
    """§8.2: pg_dump --format=custom while the server writes, pg_restore into a new database, check."""
    t_start = time.monotonic()
    srv = qd.Server.demo()
    db = srv.db.rsplit("/", 1)[1].split("?")[0]
    backup_dir = tempfile.mkdtemp(prefix="qd-backup-")
    atexit.register(shutil.rmtree, backup_dir, True)
    w = Writers(srv)
    qd.ok(w.wait_for(100), "the server acknowledges writes from 4 clients before the dump")
    dump = os.path.join(backup_dir, "qingdan.dump")
    t0 = time.monotonic()
    r = sh(["pg_dump", "--format=custom", f"--file={dump}", srv.db])
    t1 = time.monotonic()
    qd.ok(w.wait_for(len(w.acked) + 50), "writes go on after the dump")
    w.stop()
    qd.ok(r.returncode == 0 and os.path.getsize(dump) > 0, f"pg_dump --format=custom while the server writes ({t1 - t0:.2f} s, "
          f"{os.path.getsize(dump) if os.path.exists(dump) else 0} bytes)", r.stderr)
    before = w.before(t0)
    print(f"# {len(before)} writes acknowledged before pg_dump started, {len(w.acked) - len(before)} during or after", flush=True)
    qd.ok(not w.errors, "every write was answered 201", w.errors[:5])

    # restore into a new database, made UTF8 / C.UTF-8 as qingdan needs (operations.md §8.2)
    new = pg.new_db("TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    new_uri = pg.uri(new)
    r = sh(["pg_restore", "--exit-on-error", "--no-owner", f"--dbname={new_uri}", dump])
    qd.ok(r.returncode == 0, "pg_restore into the new database", r.stderr)
    check_passes(new_uri, srv.key, "the restored database")
    have = problem_ids(pg, new)
    missing = sorted(set(before) - have)
    qd.ok(before and not missing, f"the restored database holds all {len(before)} problems acknowledged before pg_dump started",
          missing[:10])
    n_src, n_new = pg.psql("SELECT count(*) FROM event", db), pg.psql("SELECT count(*) FROM event", new)
    qd.ok(int(n_new) <= int(n_src), f"the restored event log ({n_new}) is a prefix of the source's ({n_src} now)")
    good, detail = serves(new_uri, srv.key, max(before))
    qd.ok(good, "a server on the restored database serves: a demo user logs in and reads the newest problem acknowledged before the dump",
          detail)
    srv.stop()
    print(f"# PostgreSQL dump drill: {time.monotonic() - t_start:.1f} s", flush=True)


def drill_pg_pitr(pg):
    """§8.3: WAL archive (pg_receivewal) + pg_basebackup, restored to a time on another port."""
    t_start = time.monotonic()
    srv = qd.Server.demo()
    db = srv.db.rsplit("/", 1)[1].split("?")[0]
    slot = f"qd_drill_{os.getpid()}"
    wal = pg_dir("qd-wal-")
    base = pg_dir("qd-base-")
    os.rmdir(base)  # pg_basebackup makes it
    sock = pg_dir("qd-restore-sock-")

    # 1. the WAL archive: a slot, then pg_receivewal running all the time
    r = sh(AS_PG + ["pg_receivewal", "--create-slot", f"--slot={slot}", f"--dbname={pg.base}"])
    qd.ok(r.returncode == 0, f"pg_receivewal --create-slot --slot={slot}", r.stderr)
    atexit.register(pg.psql, f"SELECT pg_drop_replication_slot('{slot}') FROM pg_replication_slots WHERE slot_name = '{slot}'",
                    check=False)
    print("# $ " + " ".join(AS_PG + ["pg_receivewal", f"--directory={wal}", f"--slot={slot}", "--dbname=…"]), flush=True)
    # started as the cluster's user directly (not through runuser), so that the pid signalled below is its own
    as_user = {"user": "postgres", "group": "postgres", "extra_groups": []} if AS_PG else {}
    recv = subprocess.Popen(["pg_receivewal", f"--directory={wal}", f"--slot={slot}", f"--dbname={pg.base}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **as_user)

    def stop_recv():
        if recv.poll() is None:
            recv.send_signal(signal.SIGINT)
            try:
                recv.wait(10)
            except subprocess.TimeoutExpired:
                recv.kill()
                recv.wait(5)
    atexit.register(stop_recv)

    # 2. the base backup, while the server writes
    w = Writers(srv)
    qd.ok(w.wait_for(100), "the server acknowledges writes before the base backup")
    t0 = time.monotonic()
    r = sh(AS_PG + ["pg_basebackup", f"--pgdata={base}", "--wal-method=stream", "--checkpoint=fast", f"--dbname={pg.base}"],
           timeout=300)
    qd.ok(r.returncode == 0, f"pg_basebackup --wal-method=stream while the server writes ({time.monotonic() - t0:.1f} s)", r.stderr)
    if r.returncode != 0:
        w.stop()
        return
    qd.ok(w.wait_for(len(w.acked) + 100), "writes go on after the base backup")
    # 3. the point to return to: writes stop, the time is noted (the database's clock), writes resume
    w.stop()
    kept = [i for i, _ in w.acked]
    target = pg.psql("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS.US TZH:TZM')")
    time.sleep(0.2)
    w2 = Writers(srv)
    qd.ok(w2.wait_for(100), "more writes after the target time")
    w2.stop()
    lost = [i for i, _ in w2.acked]
    qd.ok(not w.errors and not w2.errors, "every write was answered 201", (w.errors + w2.errors)[:5])
    # the archive must reach past the target: the current segment is closed and received
    seg = pg.psql("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not os.path.exists(os.path.join(wal, seg)):
        time.sleep(0.1)
    qd.ok(os.path.exists(os.path.join(wal, seg)), f"pg_receivewal has the closed segment {seg}",
          os.listdir(wal) if os.path.isdir(wal) else wal)
    stop_recv()

    # 4. restore: recovery.signal, restore_command and the target in postgresql.auto.conf, another port
    port = free_port()
    conf = (f"restore_command = 'cp {wal}/%f %p'\n"
            f"recovery_target_time = '{target}'\n"
            "recovery_target_action = 'promote'\n"
            "synchronous_standby_names = ''\n"
            f"port = {port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{sock}'\n")
    r = sh(AS_PG + ["sh", "-c", f"touch {base}/recovery.signal && cat >> {base}/postgresql.auto.conf"], input=conf)
    qd.ok(r.returncode == 0, "recovery.signal and the recovery settings written", r.stderr)
    log = os.path.join(sock, "restore.log")
    pgbin = "/usr/lib/postgresql/15/bin"
    r = sh(AS_PG + [f"{pgbin}/pg_ctl", f"--pgdata={base}", f"--log={log}", "--wait", "--timeout=120", "start"], timeout=180)
    atexit.register(lambda: subprocess.run(AS_PG + [f"{pgbin}/pg_ctl", f"--pgdata={base}", "--mode=fast", "--wait", "stop"],
                                           capture_output=True, timeout=60))
    started = r.returncode == 0
    if started:  # promoted once the target is reached
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            q = subprocess.run(["psql", "-X", "-A", "-t", "-d", with_port(pg.base, port), "-c", "SELECT pg_is_in_recovery()"],
                               capture_output=True, text=True, timeout=30)
            if q.stdout.strip() == "f":
                break
            time.sleep(0.2)
    tail = open(log).read()[-2000:] if os.path.exists(log) else ""
    qd.ok(started and "recovery stopping before commit" in tail,
          f"the base backup, started on port {port}, replays the archive to the target and stops there", r.stderr + tail)
    if not started:
        return
    restored = with_port(pg.base, port, db)
    check_passes(restored, srv.key, "the database restored to the target time")
    out = subprocess.run(["psql", "-X", "-A", "-t", "-d", restored, "-c", "SELECT id FROM problem"], capture_output=True,
                         text=True, timeout=60).stdout
    have = {int(x) for x in out.split()}
    missing = sorted(set(kept) - have)
    present_after = sorted(set(lost) & have)
    qd.ok(kept and not missing, f"it holds all {len(kept)} problems acknowledged before the target", missing[:10])
    qd.ok(lost and not present_after, f"and none of the {len(lost)} acknowledged after it", present_after[:10])
    good, detail = serves(restored, srv.key, max(kept))
    qd.ok(good, "a server on the restored database serves", detail)
    srv.stop()
    print(f"# PostgreSQL point-in-time drill: {time.monotonic() - t_start:.1f} s", flush=True)


def main():
    if qd.BACKEND == "pg":
        pg = qd.Pg("qd_backup")
        drill_pg_dump(pg)
        drill_pg_pitr(pg)
    else:
        drill_sqlite()


try:
    main()
except Exception as ex:  # a failure without an assertion (timeout, a missing tool) is a failure, named
    import traceback
    traceback.print_exc()
    qd.ok(False, f"the backup drills ran to their end ({type(ex).__name__}: {ex})")
qd.done()
