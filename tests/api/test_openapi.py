"""docs/openapi.yaml describes exactly the served route table (GET /api/v1/routes): every route
has its path and method in the document, and the document has no route the server does not serve,
with the same right (x-qingdan-rights) the dispatcher enforces."""
import os, re
import qd

doc = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml"), encoding="utf-8").read()
documented = {}
path = None
method = None
for line in doc.splitlines():
    m = re.match(r"^  (/api/v1/\S*):\s*$", line)
    if m:
        path = m.group(1)
        continue
    if re.match(r"^\S", line):
        path = None
    m = re.match(r"^    (get|post|put|patch|delete):\s*$", line)
    if path and m:
        method = m.group(1).upper()
        documented[(method, path)] = set()
        continue
    m = re.match(r"^      x-qingdan-rights: \[(.*)\]\s*$", line)
    if path and method and m:
        documented[(method, path)] = {r.strip() for r in m.group(1).split(",") if r.strip()}

srv = qd.Server.demo()
st, body = srv.session().get("/api/v1/routes")
qd.ok(st == 401, "the route table needs a login", st)
st, body = srv.login("analyst").get("/api/v1/routes")
# the path parameters are named as the router names them ({id}, {action})
served = {(x["method"], x["path"].replace("{word}", "{action}")): set(x["rights"]) for x in body["items"]}
qd.ok(len(served) > 20, f"the server serves {len(served)} routes", (st, body))
missing = sorted(set(served) - set(documented))
extra = sorted(set(documented) - set(served))
qd.ok(not missing, "every served route is documented", missing)
qd.ok(not extra, "the document has no route the server does not serve", extra)
wrong = sorted((k, served[k], documented[k]) for k in set(served) & set(documented) if served[k] != documented[k])
qd.ok(not wrong, "each route's rights are documented as the dispatcher enforces them", wrong)
qd.done()
