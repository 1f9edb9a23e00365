"""test_pg_parity.py — one database on both backends gives the same answers (issue 8: "both give the
presenter the same columns and types"): the demo is built on SQLite, moved into PostgreSQL with
`qingdan migrate`, and a server on each, their clocks frozen at one instant, is asked every GET route
of docs/openapi.yaml — every list with its filters, searches and pages, every item and its history,
as every role of the demo.  Every answer must be identical: status, every field, its type (an integer
is not a string, false is not 0, null is not absent) and the order of every list.  Only each login's
token differs (random), and the CSRF token derived from it."""
import json, os, shutil, tempfile, urllib.parse
import yaml
import qd

CLOCK = "2026-12-01T10:00:00"
d = tempfile.mkdtemp(prefix="qd-parity-")
lite = os.path.join(d, "demo.db")
r = qd.run("demo", "--db", lite, "--quiet", "--today", CLOCK[:10])
qd.ok(r.returncode == 0, "the demo on SQLite", r.stderr)
pg = qd.Pg("qd_parity")
uri = pg.uri(pg.new_db())
r = qd.run("migrate", "--from", lite, "--to", uri)
qd.ok(r.returncode == 0, "moved into PostgreSQL by qingdan migrate", r.stdout + r.stderr)
a = qd.Server(lite, clock=CLOCK)
b = qd.Server(uri, key=lite + ".key", clock=CLOCK)

ROLES = ["admin", "dispatch", "grid", "handler", "unithead", "leader", "supervisor", "analyst", "resident"]
doc = yaml.safe_load(open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml"), encoding="utf-8"))
gets = [p for p, v in doc["paths"].items() if "get" in v]
LIST_QUERIES = {
    "/api/v1/tasks": ["", "?limit=200", "?limit=50&offset=50", "?state=assigned", "?state=completed&limit=5",
                      "?overdue=1", "?q=路灯", "?q=路", "?q=村民", "?tier=immediate", "?count=1", "?limit=1&offset=9999"],
    "/api/v1/problems": ["", "?limit=200", "?state=new", "?state=assigned&offset=10", "?q=路灯", "?q=水", "?count=1",
                         "?q=%25", "?q=ROAD"],
    "/api/v1/visits": ["", "?limit=200", "?offset=3"],
}

compared, diffs = 0, []


def first_diff(x, y, path="$"):
    if type(x) != type(y):
        return f"{path}: {type(x).__name__} {x!r:.80} vs {type(y).__name__} {y!r:.80}"
    if isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                return f"{path}.{k}: only on {'SQLite' if k in x else 'PostgreSQL'}"
            dd = first_diff(x[k], y[k], f"{path}.{k}")
            if dd:
                return dd
        return None
    if isinstance(x, list):
        if len(x) != len(y):
            return f"{path}: {len(x)} items vs {len(y)}"
        for i, (p, q) in enumerate(zip(x, y)):
            dd = first_diff(p, q, f"{path}[{i}]")
            if dd:
                return dd
        return None
    return None if x == y else f"{path}: {x!r:.80} vs {y!r:.80}"


def own_csrf(s, answer):
    """The answer as a list, with the CSRF token of s's session (GET /me: derived from its random
    token) replaced — only where it is that session's own, so a wrong one still differs."""
    st, body = answer
    if isinstance(body, dict) and body.get("csrf") and body.get("csrf") == s.csrf:
        body = dict(body, csrf="<the session's csrf>")
    return [st, body]


def both(sa, sb, path):
    global compared
    path = urllib.parse.quote(path, safe="/?=&%")
    ra, rb = sa.get(path), sb.get(path)
    compared += 1
    dd = first_diff(own_csrf(sa, ra), own_csrf(sb, rb))
    if dd:
        diffs.append(f"{path}: {dd}")
    return ra


for who in ROLES:
    sa, sb = a.login(who), b.login(who)
    ids = {}
    for p in gets:
        if "{id}" in p:
            continue
        for q in LIST_QUERIES.get(p, [""]):
            st, body = both(sa, sb, p + q)
            if st == 200 and isinstance(body, dict) and isinstance(body.get("items"), list):
                ids.setdefault(p, set()).update(i["id"] for i in body["items"] if isinstance(i, dict) and "id" in i)
    for p in gets:
        if "{id}" not in p:
            continue
        base = p.split("/{id}")[0]
        for i in sorted(ids.get(base, ()))[:60] + [999999]:
            both(sa, sb, p.replace("{id}", str(i)))

qd.ok(compared > 1500, f"{compared} answers compared (every GET route, every role)", compared)
qd.ok(not diffs, f"SQLite and PostgreSQL give identical answers ({len(diffs)} differ)", "\n".join(diffs[:20]))
a.stop()
b.stop()
r = qd.run("check", "--db", uri, "--key", lite + ".key")
qd.ok(r.returncode == 0, "qingdan check passes on the PostgreSQL copy after the reads", r.stdout + r.stderr)
la, lb = qd.run("log", "--db", lite), qd.run("log", "--db", uri)


def same_record(text):
    """The log without what two servers' logins make differ: each login's session reference (a
    hash of a random token, issue 9) and so every hash of the chain after it."""
    out = []
    for line in text.splitlines():
        e = json.loads(line)
        e.pop("hash", None)
        if e.get("kind", "").startswith("auth.") and isinstance(e.get("payload"), dict):
            e["payload"].pop("session", None)
        out.append(json.dumps(e, sort_keys=True, ensure_ascii=False))
    return out


ra, rb = (same_record(la.stdout), same_record(lb.stdout)) if la.returncode == 0 and lb.returncode == 0 else ([], [1])
qd.ok(ra == rb and len(ra) > 1000,
      f"qingdan log prints the same record from both ({len(ra)} events; the logins' session references and so the hashes aside)",
      (la.returncode, lb.returncode, la.stderr, lb.stderr, [x for x in zip(ra, rb) if x[0] != x[1]][:2]))
pg.psql("UPDATE problem SET description = 'x' WHERE id = 5", uri.rsplit("/", 1)[1])
r = qd.run("remask", "--db", uri, "--key", lite + ".key")
r2 = qd.run("check", "--db", uri, "--key", lite + ".key")
qd.ok(r.returncode == 0 and "1 rows changed" in r.stdout and r2.returncode == 0,
      "qingdan remask on PostgreSQL rebuilds a damaged masked text from the record; check passes again",
      r.stdout + r.stderr + r2.stdout)
shutil.rmtree(d, True)
qd.done()
