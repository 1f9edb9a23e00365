"""The store interface keeps SQL below it (docs/architecture.md, "The store interface"), checked
over the source text, no server needed:

- no file outside src/store includes sqlite3.h or names a sqlite3 type or function;
- the store headers that files outside src/store include (and what those headers include, all the
  way down) include no sqlite3.h and declare no SQL-shaped helper (where_*, db_*, statements);
  the store's private headers (db.h, filter.h, internal.h …) are included only from src/store;
- the web layer runs no callback on the writer thread: no function in src/web takes the writer's
  transaction (struct store_tx), i.e. none is of the store_cmd_fn type, nor touches it; neither
  src/web nor src/cli reaches for the writer's connection or read handle (store_tx_db,
  store_tx_rd), nor calls a store function that takes the writer's transaction (store_unit_create,
  store_task_act …): they submit struct store_write (the demo's steps: store_tx_write);
- src/core is pure: it includes no store, web or present header;
- the store's query files speak SQL through store/db.h only (no sqlite3_* name), so that the
  PostgreSQL backend is a second implementation of db.h, not a copy of every query (issue 8);
  SQLite's own PRAGMA in event.c's column defaults is the one named exception.

Each check names the files and lines that break it."""
import os
import re
import qd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SRC = os.path.join(ROOT, "src")

INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^>"]+)[>"]', re.M)
SQLITE_NAME = re.compile(r"\bsqlite3\w*")
SQL_HELPER = re.compile(r"\b(where_\w+|db_\w+|sqlite3_stmt|struct\s+where)\b")
# A function definition or declaration with a struct store_tx * parameter (the store_cmd_fn shape).
TX_PARAM = re.compile(r"\w+\s*\([^;{)]*struct\s+store_tx\s*\*", re.S)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def sources():
    for layer in sorted(os.listdir(SRC)):
        d = os.path.join(SRC, layer)
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                yield layer, f"{layer}/{name}"


def read(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return f.read()


def hits(rel, pattern):
    """'file:line: text' for every line of rel (comments and strings blanked) matching pattern."""
    out = []
    for i, line in enumerate(strip_comments(read(rel)).splitlines(), 1):
        if pattern.search(line):
            out.append(f"{rel}:{i}: {line.strip()}")
    return out


def project_includes(rel):
    return [inc for inc in INCLUDE.findall(read(rel)) if os.path.exists(os.path.join(SRC, inc))]


def closure(rel):
    """Every project header rel includes, directly or through other headers."""
    seen, todo = set(), project_includes(rel)
    while todo:
        h = todo.pop()
        if h in seen:
            continue
        seen.add(h)
        todo.extend(project_includes(h))
    return seen


above = [rel for layer, rel in sources() if layer != "store"]

bad = [h for rel in above for h in hits(rel, SQLITE_NAME)]
qd.ok(not bad, "no file outside src/store names sqlite3 (type, function or header)", "\n".join(bad))

reached = sorted({h for rel in above for h in closure(rel) if h.startswith("store/")})
qd.ok(len(reached) > 3, "the check sees the store headers used above the store", reached)
bad = [f"{h}: includes sqlite3.h" for h in reached if "sqlite3.h" in INCLUDE.findall(read(h))]
bad += [x for h in reached for x in hits(h, SQL_HELPER)]
bad += [x for h in reached for x in hits(h, SQLITE_NAME)]
qd.ok(not bad, "store headers reached from above the store hold no sqlite3 and no SQL helper", "\n".join(bad))

PRIVATE = ("store/db.h", "store/filter.h", "store/internal.h", "store/where.h", "store/search.h",
           "store/upgrade.h", "store/schema.h", "store/tx.h")
bad = [f"{rel} reaches {h}" for rel in above for h in sorted(closure(rel)) if h in PRIVATE]
qd.ok(not bad, "the store's private headers are included only inside src/store", "\n".join(bad))

web = [rel for layer, rel in sources() if layer == "web"]
bad = [h for rel in web for h in hits(rel, TX_PARAM)]
qd.ok(not bad, "src/web defines no command of the store_cmd_fn type (nothing takes struct store_tx *)",
      "\n".join(bad))
bad = [h for rel in web for h in hits(rel, re.compile(r"\bstore_tx\w*|\bstore_run\b|\bstore_cmd_fn\b"))]
qd.ok(not bad, "src/web never touches the writer's transaction", "\n".join(bad))

cli = [rel for layer, rel in sources() if layer == "cli"]
bad = [h for rel in cli + web for h in hits(rel, re.compile(r"\bstore_tx_(db|rd)\b"))]
qd.ok(not bad, "src/web and src/cli never take the writer's connection or read handle", "\n".join(bad))

# The store functions that take the writer's transaction are what the write commands are made
# of, declared in the private store/tx.h: no header reached from above declares one but
# store_tx_write (a step of the CLI's one bulk command, the demo), and nothing above calls one.
DECL = re.compile(r"\b(store_\w+|text_\w+)\s*\(([^;{)]*)\)\s*;", re.S)


def tx_decls(h):
    return {name for name, params in DECL.findall(strip_comments(read(h)))
            if re.search(r"struct\s+store_tx\s*\*", params)}


bad = sorted(f"{h}: {n}" for h in reached for n in tx_decls(h) if n != "store_tx_write")
qd.ok(not bad, "no store header reached from above declares a function taking the writer's transaction "
      "(they live in the private store/tx.h)", "\n".join(bad))
tx_fns = set()
for h in ["store/tx.h", "store/text.h"] + reached:
    tx_fns |= tx_decls(h)
tx_fns.discard("store_tx_write")
qd.ok(len(tx_fns) > 10, f"the check sees the store's transaction functions ({len(tx_fns)})", sorted(tx_fns))
call = re.compile(r"\b(" + "|".join(sorted(tx_fns)) + r")\s*\(")
bad = [h for rel in cli + web for h in hits(rel, call)]
qd.ok(not bad, "src/web and src/cli call no store function that takes the writer's transaction "
      "(they submit struct store_write)", "\n".join(bad))

QUERY_FILES = ["store/org.c", "store/problem.c", "store/task.c", "store/visit.c", "store/session.c", "store/item.c",
               "store/text.c", "store/event.c", "store/filter.c", "store/cache.c", "store/write.c",
               "store/filter.h", "store/internal.h"]
EXCEPT = re.compile(r"sqlite3_prepare_v2\(db, sql, -1, &st, NULL\)|sqlite3_finalize\(st\);|SQLITE_OK")
bad = [h for rel in QUERY_FILES for h in hits(rel, SQLITE_NAME)
       if not (h.startswith("store/event.c") and EXCEPT.search(h))]
qd.ok(not bad, f"the store's {len(QUERY_FILES)} query files name no sqlite3_* (they use store/db.h)", "\n".join(bad))

core = [rel for layer, rel in sources() if layer == "core"]
bad = [f"{rel} reaches {h}" for rel in core for h in sorted(closure(rel))
       if not h.startswith(("core/", "base/"))]
qd.ok(not bad, "src/core includes only core and base headers", "\n".join(bad))

qd.done()
