"""The command line: help, init, backup while serving under writes, check, errors."""
import atexit, os, shutil, sqlite3, tempfile, threading
import qd

for cmd in ["init", "serve", "demo", "user", "check", "backup"]:
    r = qd.run(cmd, "--help")
    qd.ok(r.returncode == 0 and "Usage: qingdan " + cmd in r.stdout, f"qingdan {cmd} --help", r.stdout + r.stderr)
r = qd.run()
qd.ok(r.returncode == 2 and "init" in r.stdout and "serve" in r.stdout, "qingdan with no command prints usage", r.stdout)
r = qd.run("frobnicate")
qd.ok(r.returncode == 2 and "unknown command" in r.stderr, "an unknown command is refused", r.stderr)
r = qd.run("check")
qd.ok(r.returncode == 2 and "--db" in r.stderr, "a missing --db is named", r.stderr)
r = qd.run("serve", "--db", "/nonexistent/x.db", "--listen", "127.0.0.1:0")
qd.ok(r.returncode == 1 and "does not exist" in r.stderr, "serving a missing database fails clearly", r.stderr)

d = tempfile.mkdtemp(prefix="qd-cli-")
atexit.register(shutil.rmtree, d, True)
db = os.path.join(d, "new.db")
r = qd.run("init", "--db", db)
qd.ok(r.returncode == 0 and os.path.exists(db + ".key"), "init creates the database and its key file", r.stdout + r.stderr)
qd.ok(oct(os.stat(db + ".key").st_mode & 0o777) == "0o600", "the key file is private (0600)")
r = qd.run("init", "--db", db)
qd.ok(r.returncode == 1 and "already exists" in r.stderr, "init refuses to overwrite", r.stderr)
r = qd.run("check", "--db", db)
qd.ok(r.returncode == 0 and "check passed" in r.stdout, "a new database checks clean", r.stdout)

# a county starts from nothing: init names the root unit, the console adds the first
# administrator, who then builds the tree over the API
first = os.path.join(d, "first.db")
r = qd.run("init", "--db", first, "--root", "监利市")
m = __import__("re").search(r"root unit (\d+): 监利市 \(county\)", r.stdout)
qd.ok(r.returncode == 0 and m, "init --root creates the county and says its id", r.stdout + r.stderr)
root = int(m.group(1)) if m else 0
r = qd.run("user", "add", "--db", first, "--username", "admin", "--name", "系统管理员", "--unit", str(root),
           "--role", "admin", env={"QD_PASSWORD": "first-admin-pass"})
qd.ok(r.returncode == 0, "the first administrator is added on the root unit", r.stdout + r.stderr)
fs = qd.Server(first)
try:
    a = fs.login("admin", "first-admin-pass")
    st, b = a.post("/api/v1/units", {"parent_id": root, "name": "周老嘴镇", "kind": "township"})
    qd.ok(st == 201, "the first administrator adds a township under the county", (st, b))
    st, b = a.get("/api/v1/units")
    names = [u["name"] for u in b.get("items", [])] if st == 200 else []
    qd.ok(names == ["监利市", "周老嘴镇"], "the unit tree is the county and its township", (st, names))
finally:
    fs.stop()
for bad, field in [(["--root", "  "], "name"), (["--root", "监利市", "--kind", "nation"], "kind"),
                   (["--root", "县" * 65], "name")]:
    p = os.path.join(d, "bad.db")
    r = qd.run("init", "--db", p, *bad)
    left = [f for f in os.listdir(d) if f.startswith("bad.db")]
    qd.ok(r.returncode == 1 and f"{field}:" in r.stderr and not left,
          f"init {' '.join(bad)[:30]} is refused naming {field} and leaves nothing", (r.returncode, r.stderr, left))
r = qd.run("init", "--db", os.path.join(d, "k.db"), "--kind", "county")
qd.ok(r.returncode == 2 and "--root" in r.stderr, "--kind without --root is refused", r.stderr)

# online backup while the server takes writes
srv = qd.Server.demo()
token = srv.login("dispatch").cookie
s = qd.Session(srv, token=token)
group = [u["id"] for u in s.get("/api/v1/units")[1]["items"] if u["kind"] == "group"][0]
stop = threading.Event()


def load():
    t = qd.Session(srv, token=token)
    while not stop.is_set():
        t.post("/api/v1/problems", {"unit_id": group, "description": "备份期间写入的问题"})


threads = [threading.Thread(target=load) for _ in range(4)]
for t in threads:
    t.start()
copy = os.path.join(d, "copy.db")
r = qd.run("backup", "--db", srv.db, "--to", copy)
stop.set()
for t in threads:
    t.join(10)
qd.ok(r.returncode == 0 and os.path.exists(copy), "backup while serving under writes", r.stdout + r.stderr)
os.link(srv.db + ".key", copy + ".key")
r = qd.run("check", "--db", copy)
qd.ok(r.returncode == 0 and "check passed" in r.stdout, "the backup passes check", r.stdout)
con = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
n = con.execute("SELECT count(*) FROM problem").fetchone()[0]
con.close()
qd.ok(n >= 320, f"the backup holds the demo's problems ({n})")
r = qd.run("backup", "--db", srv.db, "--to", copy)
qd.ok(r.returncode == 1 and "already exists" in r.stderr, "backup refuses to overwrite", r.stderr)

# a copied database is useless without its key: personal data cannot be read
os.unlink(copy + ".key")
r = qd.run("serve", "--db", copy, "--listen", "127.0.0.1:0", timeout=10)
qd.ok(r.returncode == 1 and "key" in r.stderr, "no key file, no server", r.stderr)
# ... and with another key it is refused too: a server would seal new data nobody could read with the old
wrong = copy + ".wrong.key"
with open(wrong, "wb") as f:
    f.write(os.urandom(32))
os.chmod(wrong, 0o600)
for cmd in (["serve", "", "--listen", "127.0.0.1:0"], ["user", "passwd", "--username", "grid", "--password", "whatever-long-1"]):
    r = qd.run(*[c for c in cmd[:2] if c], "--db", copy, "--key", wrong, *cmd[2:], timeout=10)
    qd.ok(r.returncode != 0 and "does not open" in r.stderr, f"qingdan {' '.join(cmd[:2])} refuses a key that does not open the sealed data",
          (r.returncode, r.stderr[-300:]))
qd.done()
