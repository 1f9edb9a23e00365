"""The API's types are the ones docs/openapi.yaml documents, so a client can rely on them.

The real binary over the demo county: as several roles and anonymously, every GET route of the
served route table (GET /api/v1/routes; {id} filled from the lists' results, items picked to
cover many states), and the answers of the writes made to set the walk up, are each checked
field by field against the route's documented response schema (the YAML parsed, $ref and allOf
followed): the type (null only where the schema says it may be), the format (date YYYY-MM-DD,
date-time RFC 3339 with +08:00), enum and const, pattern, minimum/maximum, the required fields,
and no field the schema does not document (every object is treated as closed).  No "" is
written anywhere as a value: an absent value is null.  The document itself: every property of a
response schema states its type, and nullability is said the OpenAPI 3.1 way (a "null" type),
never with 3.0's `nullable`."""
import datetime, os, re
import yaml
import qd

DOC = yaml.safe_load(open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml"), encoding="utf-8"))
SCHEMAS = DOC["components"]["schemas"]
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+08:00$")


def resolve(s):
    while "$ref" in s:
        ref = s["$ref"]
        assert ref.startswith("#/components/schemas/"), ref
        s = dict(SCHEMAS[ref.rsplit("/", 1)[1]], **{k: v for k, v in s.items() if k != "$ref"})
    return s


def flat(s):
    """The schema with $ref followed and allOf merged (properties and required united)."""
    s = resolve(s)
    if "allOf" not in s:
        return s
    out = {k: v for k, v in s.items() if k != "allOf"}
    props, req = dict(out.get("properties", {})), list(out.get("required", []))
    for part in s["allOf"]:
        p = flat(part)
        props.update(p.get("properties", {}))
        req += p.get("required", [])
        for k in ("type",):
            out.setdefault(k, p.get(k))
    out["properties"], out["required"] = props, req
    return out


def types_of(s):
    t = s.get("type")
    return [t] if isinstance(t, str) else list(t or [])


def type_ok(v, t):
    return {"null": v is None, "boolean": isinstance(v, bool), "string": isinstance(v, str),
            "integer": isinstance(v, int) and not isinstance(v, bool),
            "number": isinstance(v, (int, float)) and not isinstance(v, bool),
            "array": isinstance(v, list), "object": isinstance(v, dict)}[t]


def real_date(v):
    try:
        datetime.date.fromisoformat(v[:10])
        return True
    except ValueError:
        return False


SEEN = set()  # (schema title, field) seen with a value other than null


def check(v, s, where, errs, title="?"):
    if "$ref" in s:
        title = s["$ref"].rsplit("/", 1)[1]
    s = flat(s)
    ts = types_of(s)
    if not ts and "const" not in s and "enum" not in s:
        errs.append(f"{where}: the schema states no type")
    if ts and not any(type_ok(v, t) for t in ts):
        errs.append(f"{where}: {v!r} is not {' or '.join(ts)}")
        return
    if v is None:
        return
    if "const" in s and v != s["const"]:
        errs.append(f"{where}: {v!r} is not the constant {s['const']!r}")
    if "enum" in s and v not in s["enum"]:
        errs.append(f"{where}: {v!r} is not one of {s['enum']}")
    if isinstance(v, str):
        fmt = s.get("format")
        if fmt == "date" and not (DATE.match(v) and real_date(v)):
            errs.append(f"{where}: {v!r} is not a date YYYY-MM-DD")
        if fmt == "date-time" and not (DATE_TIME.match(v) and real_date(v)):
            errs.append(f"{where}: {v!r} is not an RFC 3339 time in +08:00")
        if "pattern" in s and not re.search(s["pattern"], v):
            errs.append(f"{where}: {v!r} does not match {s['pattern']}")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < s["minimum"]:
            errs.append(f"{where}: {v} < minimum {s['minimum']}")
        if "maximum" in s and v > s["maximum"]:
            errs.append(f"{where}: {v} > maximum {s['maximum']}")
    if isinstance(v, list):
        for i, x in enumerate(v):
            check(x, s.get("items", {}), f"{where}[{i}]", errs, title)
    if isinstance(v, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                errs.append(f"{where}: the required field {k} is missing")
        for k, x in v.items():
            if k not in props:
                errs.append(f"{where}.{k}: a field the schema does not document ({x!r})")
                continue
            if x is not None:
                SEEN.add((title, k))
            check(x, props[k], f"{where}.{k}", errs, title)


def empty_strings(v, where, out):
    if v == "":
        out.append(where)
    elif isinstance(v, dict):
        for k, x in v.items():
            empty_strings(x, f"{where}.{k}", out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            empty_strings(x, f"{where}[{i}]", out)


def response_schema(method, path, status):
    op = DOC["paths"].get(path, {}).get(method.lower())
    if not op:
        return None
    r = op["responses"].get(str(status))
    if r and "$ref" in r:
        r = DOC["components"]["responses"][r["$ref"].rsplit("/", 1)[1]]
    return (r or {}).get("content", {}).get("application/json", {}).get("schema")


FAILS = []   # (who, method, path, problems)
CHECKED = [0]


def verify(who, method, path, st, body):
    """Check one answer against the document; path is the route's pattern."""
    CHECKED[0] += 1
    errs = []
    s = response_schema(method, path, st)
    if s is None:
        errs.append(f"status {st} has no documented JSON schema")
    elif st < 400:
        check(body, s, "$", errs, f"{method} {path}")
        e = []
        empty_strings(body, "$", e)
        errs += [f'{w}: "" written where null means absent' for w in e]
    else:
        check(body, s, "$", errs, "Error")
    if errs:
        FAILS.append((who, method, path, errs))
    return body


# --- the document itself ------------------------------------------------------------------------

qd.ok(str(DOC["openapi"]).startswith("3.1"), "the document is OpenAPI 3.1 (nullability is a \"null\" type)", DOC["openapi"])
untyped, nullable_kw = [], []


def doc_walk(s, where):
    if isinstance(s, dict):
        if "nullable" in s:
            nullable_kw.append(where)
        for k, p in (s.get("properties") or {}).items():
            if isinstance(p, dict) and not ({"type", "$ref", "const", "enum", "allOf", "oneOf", "anyOf"} & set(p)):
                untyped.append(f"{where}.{k}")
        for k, x in s.items():
            doc_walk(x, f"{where}.{k}")
    elif isinstance(s, list):
        for i, x in enumerate(s):
            doc_walk(x, f"{where}[{i}]")


doc_walk(SCHEMAS, "schemas")
for p, ops in DOC["paths"].items():
    for m, op in ops.items():
        for st, r in (op.get("responses") or {}).items():
            doc_walk(r, f"{m.upper()} {p} {st}")
qd.ok(not untyped, "every property of every schema states its type", untyped)
bad_examples = []
for p, ops in DOC["paths"].items():
    for m, op in ops.items():
        for st, r in (op.get("responses") or {}).items():
            c = r.get("content", {}).get("application/json", {}) if isinstance(r, dict) else {}
            exs = ([c["example"]] if "example" in c else []) + [e["value"] for e in c.get("examples", {}).values() if "value" in e]
            for ex in exs:
                errs = []
                check(ex, c["schema"], f"{m.upper()} {p} {st} example", errs)
                bad_examples += errs
qd.ok(not bad_examples, "the document's answer examples have the documented types", bad_examples)
SEEN.clear()
qd.ok(not nullable_kw, "no 3.0-style `nullable` (3.1 says null with a type)", nullable_kw)

# --- set up: items of every kind the walk should meet -------------------------------------------

srv = qd.Server.demo()
ROLES = ["admin", "dispatch", "grid", "handler", "unithead", "leader", "supervisor", "analyst", "resident"]
S = {}
for u in ROLES:
    st, body, _ = srv.session().request("POST", "/api/v1/login", {"username": u, "password": qd.PASSWORD})
    verify(u, "POST", "/api/v1/login", st, body)
    S[u] = qd.Session(srv, cookie=body["token"], csrf=body["csrf"])
S["anonymous"] = srv.session()
disp, grid, admin = S["dispatch"], S["grid"], S["admin"]


def write(who, method, pattern, path, body, want):
    st, b = S[who].post(path, body) if method == "POST" else S[who].get(path)
    verify(who, method, pattern, st, b)
    qd.ok(st == want, f"{who}: {method} {path} answers {want}", (st, b))
    return b if st == want else {}


units = disp.get("/api/v1/units")[1]["items"]
xhk = [u for u in units if u["name"] == "新河口村"][0]
group = [u for u in units if u["parent_id"] == xhk["id"]][0]
visit = write("grid", "POST", "/api/v1/visits", "/api/v1/visits",
              {"unit_id": group["id"], "visited_on": "2026-11-30", "household": "王*家", "note": "入户了解饮水情况"}, 201)
write("grid", "POST", "/api/v1/visits", "/api/v1/visits", {"unit_id": group["id"], "visited_on": "2026-11-29"}, 201)
p1 = write("grid", "POST", "/api/v1/problems", "/api/v1/problems",
           {"unit_id": group["id"], "description": "自来水管破裂，整组停水", "visit_id": visit.get("id"),
            "reporter": {"name": "张三", "phone": "13800001234", "address": "新河口村一组3号"}}, 201)
write("grid", "POST", "/api/v1/problems", "/api/v1/problems",
      {"unit_id": group["id"], "description": "路灯不亮", "anonymous": True, "no_disclose": True}, 201)
p3 = write("grid", "POST", "/api/v1/problems", "/api/v1/problems",
           {"unit_id": group["id"], "description": "自来水管破裂，停水两天"}, 201)
p4 = write("grid", "POST", "/api/v1/problems", "/api/v1/problems", {"unit_id": group["id"], "description": "邻居家狗太吵"}, 201)
write("grid", "POST", "/api/v1/problems", "/api/v1/problems",
      {"unit_id": group["id"], "description": "路面坑洼已当场填平", "tier": "immediate", "measures": "当场填平"}, 201)
write("resident", "POST", "/api/v1/problems", "/api/v1/problems", {"unit_id": group["id"], "description": "门前排水沟堵了"}, 201)
if p1 and p3:
    write("dispatch", "POST", "/api/v1/problems/{id}/merge", f"/api/v1/problems/{p3['id']}/merge", {"into": p1["id"]}, 200)
if p4:
    write("dispatch", "POST", "/api/v1/problems/{id}/decline", f"/api/v1/problems/{p4['id']}/decline",
          {"reason": "属于邻里纠纷，已引导调解"}, 200)
write("dispatch", "POST", "/api/v1/tasks", "/api/v1/tasks", {"problem_ids": [p1.get("id")], "title": "修复一组水管"}, 201)
write("admin", "POST", "/api/v1/tokens", "/api/v1/tokens", {"label": "报表"}, 201)
write("admin", "POST", "/api/v1/tokens", "/api/v1/tokens", {}, 201)
write("admin", "POST", "/api/v1/calendar", "/api/v1/calendar", {"date": "2026-12-26", "kind": "workday", "name": "调休"}, 200)
write("admin", "POST", "/api/v1/calendar", "/api/v1/calendar", {"date": "2026-12-27", "kind": "holiday"}, 200)
write("admin", "POST", "/api/v1/calendar", "/api/v1/calendar", {"date": "2026-12-27", "kind": "ordinary"}, 200)
write("admin", "GET", "/api/v1/settings/limits", "/api/v1/settings/limits", None, 200)

# a task through follow-up with "not solved" and a reopen, so solved false and reopen show
# the list carries list fields only: the whole task is GET /tasks/{id}
def task_details(items):
    return [disp.get(f"/api/v1/tasks/{t['id']}")[1] for t in items]


tasks = task_details(disp.get("/api/v1/tasks?limit=200&state=completed")[1]["items"])
done_by_other = [t for t in tasks if "follow_up" in t["actions"] and t["solved"] in (None, -1)]
if done_by_other:
    tid = done_by_other[0]["id"]
    write("dispatch", "POST", "/api/v1/tasks/{id}/{action}", f"/api/v1/tasks/{tid}/follow_up",
          {"solved": False, "satisfaction": "unsatisfied", "note": "群众反映未解决"}, 200)

# --- the walk -----------------------------------------------------------------------------------

st, rt = S["analyst"].get("/api/v1/routes")
GETS = [x["path"] for x in rt["items"] if x["method"] == "GET" and x["path"].startswith("/api/")]  # the API's (pages are HTML)
qd.ok(len(GETS) >= 15, f"the route table serves {len(GETS)} GET routes", GETS)
LIST_OF = {"/api/v1/visits/": "/api/v1/visits", "/api/v1/problems/": "/api/v1/problems", "/api/v1/tasks/": "/api/v1/tasks"}
PICK = {  # which fields make items differ for the walk (one item per combination, up to 14)
    "/api/v1/tasks": ("state", "solved", "satisfaction", "outcome", "exception", "followed_up", "tier"),
    "/api/v1/problems": ("state", "anonymous", "no_disclose", "source", "visit_id"),
    "/api/v1/visits": ("household", "note"),
}


DETAIL = {t["id"]: t for t in task_details(disp.get("/api/v1/tasks?limit=200")[1]["items"])}


def pick(items, keys, n=14):
    out, seen = [], set()
    for it in items:
        if "problem_count" in it:  # a task list item: pick by the whole task's fields
            it = DETAIL.get(it["id"], it)
        k = tuple(it.get(x) is None if x in ("visit_id", "household", "note") else str(it.get(x)) for x in keys)
        if k not in seen:
            seen.add(k)
            out.append(it["id"])
    return out[:n]


for who in ROLES + ["anonymous"]:
    sess = S[who]
    ids = {}
    for path in [p for p in GETS if "{" not in p]:
        for q in ([""] if path not in PICK else ["", "?limit=200", "?limit=200&count=true&offset=1"]) + \
                (["?year=2027"] if path == "/api/v1/calendar" else []):
            st, body = sess.get(path + q)
            verify(who, "GET", path, st, body)
            if path in PICK and st == 200 and q:
                ids.setdefault(path, pick(body["items"], PICK[path]))
    for path in [p for p in GETS if "{id}" in p]:
        lst = [v for k, v in LIST_OF.items() if path.startswith(k)][0]
        targets = ids.get(lst) or pick(disp.get(lst + "?limit=200")[1]["items"], PICK[lst], 3)
        if path.endswith("/pii"):
            targets = targets[:3]  # each read is audited (a write): a few suffice
        for i in targets:
            st, body = sess.get(path.replace("{id}", str(i)))
            verify(who, "GET", path, st, body)

qd.ok(CHECKED[0] > 300, f"{CHECKED[0]} answers checked against the document", CHECKED[0])
for who, m, p, errs in FAILS[:25]:
    qd.ok(False, f"{who}: {m} {p} answers as documented", "\n".join(errs[:12]) + (f"\n… {len(errs) - 12} more" if len(errs) > 12 else ""))
qd.ok(not FAILS, f"every answer has the documented types ({len(FAILS)} answers do not)",
      "\n".join(sorted({f"{m} {p}" for _, m, p, _ in FAILS})))

# the walk met every kind of value with a value (not only nulls): it could have failed
must_see = [("TaskListItem", "deadline"), ("TaskListItem", "problem_count"), ("TaskListItem", "handler_name"), ("TaskDetail", "deadline"), ("TaskDetail", "assigned_on"), ("TaskDetail", "completed_on"), ("TaskDetail", "solved"), ("TaskDetail", "created_at"),
            ("TaskDetail", "followed_up"), ("TaskDetail", "outcome"), ("TaskDetail", "satisfaction"), ("Problem", "created_at"),
            ("Problem", "anonymous"), ("Problem", "merged_into"), ("Problem", "decline_reason"), ("Problem", "visit_id"),
            ("Visit", "visited_on"), ("Visit", "created_at"), ("Visit", "household"), ("TaskEvent", "at"),
            ("TaskEvent", "solved"), ("Unit", "peer_group"), ("User", "active"), ("CalendarDay", "name")]
missed = [f"{t}.{f}" for t, f in must_see if (t, f) not in SEEN]
qd.ok(not missed, "the walk saw every kind of value (date, time, boolean, tri-state, enum, id) with a value", missed)

# the tri-state and the absent values, as a client reads them
ts = task_details(disp.get("/api/v1/tasks?limit=200")[1]["items"])
qd.ok(any(t["solved"] is None for t in ts) and any(t["solved"] is True for t in ts) and any(t["solved"] is False for t in ts),
      "solved is null (not asked), true or false", sorted({str(t["solved"]) for t in ts}))
pend = [t for t in ts if t["state"] == "pending"]
qd.ok(pend and all(t["deadline"] is None and t["outcome"] is None and t["satisfaction"] is None for t in pend),
      "a pending task has no deadline, outcome or verdict: null", pend[:1])
qd.done()
