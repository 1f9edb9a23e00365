"""qd.py — harness for API tests: build a demo database in a temporary directory, run the real
`qingdan serve` on an ephemeral 127.0.0.1 port, talk JSON over HTTP, and report TAP.

Every server started here listens on 127.0.0.1 only, is killed when the test ends (atexit), and
every request has a timeout.  Usage:

    import qd
    srv = qd.Server.demo()              # or qd.Server.fresh(); today="2022-07-04" serves with the
                                        # clock shifted to that day (`qingdan serve --today`),
                                        # clock="2022-07-04T09:30:00" with it frozen there (--clock)
    s = srv.login("dispatch")           # a Session with the cookie
    st, body = s.get("/api/v1/tasks")
    qd.ok(st == 200, "dispatcher lists tasks")
    qd.done()
"""
import atexit, http.client, json, os, shutil, signal, subprocess, sys, tempfile, time

# The backend the servers run on: "sqlite" (a file in a temporary directory) or "pg" (a new database
# in the cluster of QD_TEST_PG; tests/run runs the API suite on both).
BACKEND = os.environ.get("QD_TEST_BACKEND", "sqlite")
BIN = os.environ.get("QD_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "qingdan")
PASSWORD = "qingdan-demo"
_count = 0
_failed = 0
_servers = []
_demo_cache = {}


def ok(cond, name, detail=None):
    """One TAP line; detail is printed (as a comment) only on failure."""
    global _count, _failed
    _count += 1
    if cond:
        print(f"ok {_count} - {name}", flush=True)
    else:
        _failed += 1
        print(f"not ok {_count} - {name}", flush=True)
        if detail is not None:
            for line in str(detail).splitlines()[:40]:
                print(f"#   {line}", flush=True)


def done():
    """Stop every server gracefully (so sanitizer reports surface), print the plan, exit."""
    for s in _servers:
        s.stop()
    print(f"1..{_count}", flush=True)
    sys.exit(1 if _failed else 0)


V3 = os.path.join(os.path.dirname(__file__), "..", "fixtures", "v3")


def v3_database(path):
    """Write the schema-3 fixture (tests/fixtures/v3: a database made by commit 8511563, with its
    key) to path and path + ".key"; returns path."""
    import sqlite3
    con = sqlite3.connect(path)
    con.executescript(open(os.path.join(V3, "v3.sql"), encoding="utf-8").read())
    con.close()
    with open(path + ".key", "wb") as f:
        f.write(bytes.fromhex(open(os.path.join(V3, "v3.key.hex")).read().strip()))
    os.chmod(path + ".key", 0o600)
    return path


def run(*args, env=None, timeout=120):
    """Run the qingdan binary; returns CompletedProcess (text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, env=e)


class Session:
    """cookie: the qd_session cookie to send; csrf: its CSRF token (the login answer's "csrf"),
    sent as X-CSRF-Token on every request but GET, as a browser's script would; token: a bearer
    token (needs no CSRF token)."""

    def __init__(self, server, cookie=None, token=None, csrf=None):
        self.server, self.cookie, self.token, self.csrf = server, cookie, token, csrf

    def request(self, method, path, body=None, raw=None, headers=None, timeout=30):
        """Returns (status, parsed JSON or None, response headers dict)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        h = {}
        if self.cookie:
            h["Cookie"] = f"qd_session={self.cookie}"
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if self.cookie and self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        data = None
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
            h["Content-Type"] = "application/json"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        text = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        conn.close()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return resp.status, parsed, hdrs

    def get(self, path, **kw):
        st, body, _ = self.request("GET", path, **kw)
        return st, body

    def post(self, path, body=None, **kw):
        st, b, _ = self.request("POST", path, body=body if body is not None else {}, **kw)
        return st, b


class Server:
    def __init__(self, db, extra_env=None, args=(), today=None, key=None, clock=None, log=None):
        """today ("YYYY-MM-DD"): the server's clock is shifted so that today is that day; clock
        ("YYYY-MM-DDTHH:MM:SS", China time): frozen at that instant.  db is a SQLite file or a
        postgres:// URI; key its personal-data key file (default: db + ".key").  log: the
        server's stderr (default db + ".serve.log", or a temporary file for a postgres:// URI)."""
        self.db = db
        self.key = key
        self.env = dict(os.environ)
        if extra_env:
            self.env.update(extra_env)
        self.args = list(args)
        self.today = today
        self.clock = clock
        self.log_path = log
        self.proc = None
        self.port = None
        self.start()
        _servers.append(self)

    @property
    def pg(self):
        return self.db.startswith("postgres")

    def connect(self, write=False):
        """A DB-API connection to this server's database, for a test that looks beneath the API:
        sqlite3 (read-only unless write) or psycopg2 (Debian's python3-psycopg2), whose
        execute() takes SQLite's ? parameters either way."""
        if not self.pg:
            import sqlite3
            return sqlite3.connect(self.db, timeout=10) if write else sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        return _PgConn(self.db)

    def db_args(self):
        """--db and --key for a qingdan command on this server's database."""
        return ["--db", self.db] + (["--key", self.key] if self.key else [])

    @classmethod
    def demo(cls, **kw):
        """A server on a private copy of a demo database (built once per test file)."""
        if BACKEND == "pg":
            pg = _pg()
            if "demo" not in _demo_cache:
                base = tempfile.mkdtemp(prefix="qd-demo-")
                atexit.register(shutil.rmtree, base, True)
                tpl = pg.new_db()
                r = run("demo", "--db", pg.uri(tpl), "--key", os.path.join(base, "demo.key"), "--quiet",
                        env=kw.get("extra_env"))
                if r.returncode != 0:
                    raise RuntimeError("demo failed: " + r.stderr)
                _demo_cache["demo"] = (tpl, os.path.join(base, "demo.key"))
            tpl, key = _demo_cache["demo"]
            return cls(pg.uri(pg.new_db(f"TEMPLATE {tpl}")), key=key, **kw)
        d = tempfile.mkdtemp(prefix="qd-test-")
        atexit.register(shutil.rmtree, d, True)
        if "demo" not in _demo_cache:
            base = tempfile.mkdtemp(prefix="qd-demo-")
            atexit.register(shutil.rmtree, base, True)
            r = run("demo", "--db", os.path.join(base, "demo.db"), "--quiet", env=kw.get("extra_env"))
            if r.returncode != 0:
                raise RuntimeError("demo failed: " + r.stderr)
            _demo_cache["demo"] = base
        for f in os.listdir(_demo_cache["demo"]):
            shutil.copy(os.path.join(_demo_cache["demo"], f), d)
        return cls(os.path.join(d, "demo.db"), **kw)

    @classmethod
    def fresh(cls, **kw):
        d = tempfile.mkdtemp(prefix="qd-test-")
        atexit.register(shutil.rmtree, d, True)
        if BACKEND == "pg":
            pg = _pg()
            uri, key = pg.uri(pg.new_db()), os.path.join(d, "t.key")
            r = run("init", "--db", uri, "--key", key)
            if r.returncode != 0:
                raise RuntimeError("init failed: " + r.stderr)
            return cls(uri, key=key, **kw)
        db = os.path.join(d, "t.db")
        r = run("init", "--db", db)
        if r.returncode != 0:
            raise RuntimeError("init failed: " + r.stderr)
        return cls(db, **kw)

    def start(self):
        if self.log_path:
            self.log = self.log_path
        elif self.pg:
            if not hasattr(self, "log"):
                fd, self.log = tempfile.mkstemp(prefix="qd-serve-", suffix=".log")
                os.close(fd)
                atexit.register(os.unlink, self.log)
        else:
            self.log = self.db + ".serve.log"
        today = ["--today", self.today] if self.today else []
        today += ["--clock", self.clock] if self.clock else []
        self.proc = subprocess.Popen([BIN, "serve", *self.db_args(), "--listen", "127.0.0.1:0", *today, *self.args],
                                     stdout=subprocess.PIPE, stderr=open(self.log, "a"), text=True, env=self.env)
        deadline = time.time() + 20
        line = ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if "http://127.0.0.1:" in line:
                self.port = int(line.rsplit(":", 1)[1])
                return
            if self.proc.poll() is not None:
                break
        raise RuntimeError("server did not start: " + line)

    def stop(self, sig=signal.SIGTERM):
        """Stop the server; after a graceful stop, a sanitizer report in its log fails the test."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        self.check_log()

    def check_log(self):
        try:
            text = open(self.log, errors="replace").read()
        except OSError:
            return
        lines = text.splitlines()
        at = [i for i, l in enumerate(lines) if "ERROR: AddressSanitizer" in l or "ERROR: LeakSanitizer" in l
              or "runtime error:" in l]
        if at:
            report = "\n".join(lines[at[0]:at[0] + 40])
            ok(False, "the server's log has no sanitizer report", report)
        open(self.log, "w").close()

    def restart(self, today=None, clock=None):
        """Stop the server and start it again on the same database, standing on today or frozen at
        clock (neither: the real clock).  Sessions made before may have expired on the new clock:
        log in again."""
        self.stop()
        self.today, self.clock = today, clock
        self.start()

    def session(self):
        return Session(self)

    def login(self, username, password=PASSWORD):
        st, body, hdrs = Session(self).request("POST", "/api/v1/login", {"username": username, "password": password})
        if st != 200:
            raise RuntimeError(f"login {username}: {st} {body}")
        return Session(self, cookie=body["token"], csrf=body["csrf"])


def _cleanup():
    for s in _servers:
        try:
            s.stop(signal.SIGKILL)
        except Exception:
            pass


atexit.register(_cleanup)


# --- PostgreSQL: the throwaway cluster tests/run starts (QD_TEST_PG) ---------------------------------
class Pg:
    """The cluster of QD_TEST_PG; a test that needs it fails (never skips) when it is missing.

        pg = qd.Pg("qd_schema")          # databases made by this test are named qd_schema_<pid>_<n>
        db = pg.new_db()                 # UTF8, C.UTF-8 (or opts="…" for CREATE DATABASE)
        pg.psql("SELECT 1", db)          # unaligned, no header; raises on error unless check=False
        pg.uri(db)                       # postgres://…/db for --db / --to
    """

    def __init__(self, prefix):
        self.base = os.environ.get("QD_TEST_PG")
        self.prefix = prefix
        self.n = 0
        if not self.base:
            ok(False, "a PostgreSQL cluster for the tests (tests/run starts one with scripts/pg-local)")
            done()

    def uri(self, db):
        import urllib.parse
        u = urllib.parse.urlsplit(self.base)
        return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + db, u.query, u.fragment))

    def psql(self, sql, db="postgres", check=True, sep="|", timeout=120):
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", sep, "-v", "ON_ERROR_STOP=1", "-d", self.uri(db),
                            "-c", sql], capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {r.stderr}")
        return r.stdout.strip()

    def new_db(self, opts="TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"):
        self.n += 1
        name = f"{self.prefix}_{os.getpid()}_{self.n}"
        self.psql(f"CREATE DATABASE {name} {opts}")
        atexit.register(self.psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)
        return name


_pg_cluster = None


class _PgConn:
    """psycopg2 with sqlite3's conveniences: execute() on the connection, ? parameters."""

    def __init__(self, uri):
        import psycopg2
        self.c = psycopg2.connect(uri)
        self.c.autocommit = True

    def execute(self, sql, params=()):
        cur = self.c.cursor()
        cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        return cur

    def commit(self):
        pass

    def close(self):
        self.c.close()


def check_db(srv):
    """Run `qingdan check` on srv's database, either backend: (True, CompletedProcess).  (The
    pair lets a caller report a check that cannot run as skipped, never as passed.)"""
    return True, run("check", *srv.db_args())


def skip(name, why):
    """One TAP line counted as skipped (tests/run), never as passed."""
    global _count
    _count += 1
    print(f"ok {_count} - {name} # SKIP {why}", flush=True)


def _pg():
    """The Pg of this test file's databases (BACKEND "pg")."""
    global _pg_cluster
    if _pg_cluster is None:
        _pg_cluster = Pg("qd_api")
    return _pg_cluster
