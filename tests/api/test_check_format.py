"""test_check_format.py — scripts/check-format, the format-string checker every build runs: small C
files in a temporary directory, each with the mistake the checker exists for (or a trap for a
keyword grep), and the file:line the checker must name; then the real src/, which must pass.
No server: this runs in about a second."""
import os, resource, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
import qd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CHECK = os.path.join(ROOT, "scripts", "check-format")


def check(files):
    """Run the checker over a new directory holding files {name: text}; (exit code, output)."""
    d = tempfile.mkdtemp(prefix="qd-check-format-")
    for name, text in files.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)
    p = subprocess.run([sys.executable, CHECK, d], capture_output=True, text=True, timeout=60)
    out = p.stdout.replace(d + os.sep, "")
    for name in files:
        os.unlink(os.path.join(d, name))
    os.rmdir(d)
    return p.returncode, out


def refused(name, files, where, *words):
    """The checker exits 1 and names where ("file.c:LINE:") with every one of words."""
    rc, out = check(files)
    lines = [l for l in out.splitlines() if l.startswith(where)]
    qd.ok(rc == 1 and lines and all(any(w in l for l in lines) for w in words), name,
          f"exit {rc}, wanted {where} with {words}:\n{out}")
    return out


def accepted(name, files):
    rc, out = check(files)
    qd.ok(rc == 0 and out == "", name, f"exit {rc}:\n{out}")


HEAD = '#include "web/html.h"\n#include "store/db.h"\n'  # line 1-2; code starts on line 3

# 1. The bare %s the keyword grep let through: the tag on one line of the literal, %s on the next;
#    and a % and its s in two pieces of one concatenated literal.
refused("html_printf: %s on the line after the tag (one literal over two lines) is refused",
        {"a.c": HEAD + 'void f(struct buf *b, const char *name)\n{\n'
                       '\thtml_printf(b, "<p class=\\"who\\">"\n'
                       '\t\t       "%s</p>", name);\n}\n'},
        "a.c:6:", '"%s"', "web/html.h", "%h")
refused("html_printf: a % and its s split over two pieces of one literal is refused",
        {"a.c": HEAD + 'void f(struct buf *b, const char *name)\n{\n'
                       '\thtml_printf(b, "<p>%"\n'
                       '\t\t       "s</p>", name);\n}\n'},
        "a.c:5:", '"%s"')
refused("html_printf: a %s hidden in a #define piece of the format is refused at the call",
        {"a.c": HEAD + '#define OPEN "<li>%"\nvoid f(struct buf *b, const char *x)\n{\n'
                       '\thtml_printf(b, OPEN "s</li>", x);\n}\n'},
        "a.c:6:", '"%s"')

# 2. Conversions html.h does not list.
out = refused("html_printf: %x and %s are refused, each on its own line",
              {"a.c": HEAD + 'void f(struct buf *b, int n, const char *s)\n{\n'
                             '\thtml_printf(b, "<p>%x</p>", n);\n'
                             '\thtml_printf(b, "<p>%s</p>", s);\n}\n'},
              "a.c:5:", '"%x"')
qd.ok("a.c:6:" in out and '"%s"' in out, "html_printf: the %s on the next line is named too", out)
refused("html_printf: a lone % at the end of the format is refused",
        {"a.c": HEAD + 'void f(struct buf *b)\n{\n\thtml_printf(b, "100%");\n}\n'}, "a.c:5:", "conversion")

# 3. Argument count.
refused("html_printf: two conversions and one argument is refused",
        {"a.c": HEAD + 'void f(struct buf *b, const char *s)\n{\n'
                       '\thtml_printf(b, "<p>%h: %d</p>",\n\t\t    s);\n}\n'},
        "a.c:5:", "2 conversion(s)", "1 argument(s)")
refused("html_printf: an argument more than the conversions is refused",
        {"a.c": HEAD + 'void f(struct buf *b, const char *s)\n{\n\thtml_printf(b, "<p>%h</p>", s, s);\n}\n'},
        "a.c:5:", "1 conversion(s)", "2 argument(s)")
refused("html_printf: a format that is not a literal is refused",
        {"a.c": HEAD + 'void f(struct buf *b)\n{\n\tconst char *fmt = pick();\n\t\thtml_printf(b, fmt);\n}\n'},
        "a.c:6:", "not a string literal")
accepted("html_printf: every conversion html.h lists, %% and a ?: of two formats pass",
         {"a.c": HEAD + 'void f(struct buf *b, long long id, const char *q, int n, size_t z, long l, int on)\n{\n'
                        '\thtml_printf(b, "<a href=\\"/tasks/%lld?q=%u\\" title=\\"%a\\">%h</a> %d%% %zu %ld "\n'
                        '\t\t       "<script type=\\"application/json\\">%j</script>", id, q, q, q, n, z, l, q);\n'
                        '\thtml_printf(b, on ? "<b>%h</b>" : "<i>%h</i>", q);\n}\n'})

# 4. A wrapper of html_vprintf is checked at its callers.
refused("a function passing its format on to html_vprintf is checked like html_printf at its callers",
        {"a.c": HEAD + '#include <stdarg.h>\n'
                       'static void row(struct buf *b, const char *fmt, ...)\n{\n\tva_list ap;\n'
                       '\tva_start(ap, fmt);\n\thtml_vprintf(b, fmt, ap);\n\tva_end(ap);\n}\n'
                       'void f(struct buf *b, const char *s)\n{\n\trow(b, "<td>%s</td>", s);\n}\n'},
        "a.c:13:", '"%s"')

# 5. Raw writes.
refused("buf_puts(b, user_text) is refused",
        {"a.c": HEAD + 'void f(struct buf *b, const char *user_text)\n{\n\tbuf_puts(b, "<p>");\n'
                       '\tbuf_puts(b, user_text);\n}\n'},
        "a.c:6:", "buf_puts", "user_text", "fmt:")
refused("buf_put(b, p, n) of text is refused",
        {"a.c": HEAD + 'void f(struct buf *b, const char *p, size_t n)\n{\n\tbuf_put(b, p, n);\n}\n'},
        "a.c:5:", "buf_put", "raw")
accepted("buf_puts(b, user_text) with /* fmt: <reason> */ on its line, or on the line above, passes",
         {"a.c": HEAD + 'void f(struct buf *b, const char *user_text, const char *sig)\n{\n'
                        '\tbuf_puts(b, user_text); /* fmt: a JSON text jansson wrote */\n'
                        '\t/* fmt: hex digits of a signature */\n\tbuf_puts(b, sig);\n}\n'})
refused("an annotation without a reason (/* fmt: */) does not count",
        {"a.c": HEAD + 'void f(struct buf *b, const char *t)\n{\n\tbuf_puts(b, t); /* fmt: */\n}\n'},
        "a.c:5:", "buf_puts")
refused("an annotation on the line above a call covers that call only, not the next",
        {"a.c": HEAD + 'void f(struct buf *b, const char *s, const char *t)\n{\n'
                       '\t/* fmt: hex digits */\n\tbuf_puts(b, s);\n\tbuf_puts(b, t);\n}\n'},
        "a.c:7:", "buf_puts", " t ")
refused("buf_printf: %s of a non-literal into a buffer is refused without an annotation",
        {"a.c": HEAD + 'void f(struct buf *b, const char *name)\n{\n\tbuf_printf(b, "<b>%s</b>", name);\n}\n'},
        "a.c:5:", "buf_printf", "%s", "name")
accepted("buf_printf: %s of literals (a ?: of two) and numbers pass",
         {"a.c": HEAD + 'void f(struct buf *b, int n, int i)\n{\n'
                        '\tbuf_printf(b, "%s%d %x", i ? "," : "", n, n);\n'
                        '\tconst char *sep = n ? ";" : "";\n\tbuf_printf(b, "%s", sep);\n}\n'})

# 6. SQL.
refused("buf_printf: SQL text formatted with %s is refused (bind with ?)",
        {"a.c": HEAD + 'void f(struct buf *q, const char *name)\n{\n'
                       '\tbuf_printf(q, "SELECT id FROM problem "\n\t\t      "WHERE name = \'%s\'", name);\n}\n'},
        "a.c:6:", "SQL", "sql-ident")
refused("snprintf: SQL text formatted with %s is refused too",
        {"a.c": HEAD + 'void f(char *sql, size_t n, const char *t)\n{\n'
                       '\tsnprintf(sql, n, "DELETE FROM %s", t);\n}\n'},
        "a.c:5:", "SQL")
accepted("SQL text with %s of a schema identifier marked /* sql-ident: … */ passes",
         {"a.c": HEAD + 'void f(struct buf *q, const char *t)\n{\n'
                        '\tbuf_printf(q, "SELECT count(*) FROM \\"%s\\"", t); /* sql-ident: a schema table */\n}\n'})
refused("db_prepare of a buffer that took user text raw is refused at the prepare",
        {"a.c": HEAD + 'db_stmt *f(db_conn *db, const char *name)\n{\n\tstruct buf q;\n\tbuf_init(&q);\n'
                       '\tbuf_puts(&q, "SELECT id FROM problem WHERE name = \'");\n'
                       '\tbuf_puts(&q, name); /* fmt: looks harmless */\n\tbuf_puts(&q, "\'");\n'
                       '\treturn db_prepare(db, q.p);\n}\n'},
        "a.c:10:", "db_prepare", "sql-ident")
refused("db_prepare of text from an unknown function is refused",
        {"a.c": HEAD + 'db_stmt *f(db_conn *db, const char *x)\n{\n\treturn db_prepare(db, make_sql(x));\n}\n'},
        "a.c:5:", "make_sql", "SQL_BUILDERS")
refused("a function handing its parameter to db_exec is checked at its callers",
        {"a.c": HEAD + 'static int run(db_conn *db, const char *sql)\n{\n\treturn db_exec(db, sql, NULL);\n}\n'
                       'int f(db_conn *db, const char *input)\n{\n\trun(db, "BEGIN");\n\treturn run(db, input);\n}\n'},
        "a.c:10:", "run", "input")
refused("sqlite3_mprintf is refused",
        {"a.c": HEAD + 'char *f(const char *t)\n{\n\treturn sqlite3_mprintf("SELECT * FROM %q", t);\n}\n'},
        "a.c:5:", "sqlite3_mprintf")
accepted("literal statements, ?: of literals and #define pieces pass",
         {"a.c": HEAD + '#define COLS "SELECT id, name "\n'
                        'int f(db_conn *db, int pg)\n{\n\tdb_stmt *st = db_prepare(db, COLS "FROM unit "\n'
                        '\t\t\t\t\t     "WHERE id = ?");\n'
                        '\tdb_exec(db, pg ? "BEGIN" : "BEGIN IMMEDIATE", NULL);\n\treturn st != 0;\n}\n'})

# 7. Text that only looks like a call.
accepted("html_printf( inside comments and string literals does not confuse it",
         {"a.c": HEAD + '/* html_printf(b, "<p>%s</p>", x) is how it was done */\n'
                        '// html_printf(b, "%x");\n'
                        'static const char *doc = "call html_printf(b, \\"%s\\", x) and buf_puts(b, x)";\n'
                        'static const char c = \'"\';\n'
                        'void f(struct buf *b)\n{\n\tbuf_puts(b, "/* not a comment: html_printf(b, \\"%s\\") */");\n'
                        '\thtml_printf(b, "<p>%h</p>", doc); /* html_printf(b, "%s"); */\n\t(void)c;\n}\n'})

# 8. The real src/: clean, and fast (CPU time of the child, which the machine's load barely moves).
before = resource.getrusage(resource.RUSAGE_CHILDREN)
p = subprocess.run([sys.executable, CHECK], capture_output=True, text=True, timeout=60, cwd=ROOT)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
qd.ok(p.returncode == 0 and p.stdout == "", "the real src/ passes the checker", p.stdout + p.stderr)
qd.ok(cpu < 1.0, f"the checker takes well under a second over src/ ({cpu:.2f} s of CPU)")
qd.done()
