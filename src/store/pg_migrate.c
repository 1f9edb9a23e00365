/* pg_migrate.c — `qingdan migrate --from FILE --to postgres://…` (store/pg.h pg_migrate): a
 * county's SQLite database moved into PostgreSQL in one transaction, verified before it commits.
 *
 * The SQLite side is opened through store_open, like every command that opens a database: its
 * migrations apply first (an old county database is upgraded by the same code a server would
 * run, with the key the upgrade of schema 4 needs), so this file knows one SQLite schema only —
 * the current one — and is never out of step with the store's own migrations.  Then one read
 * transaction on that connection is the snapshot everything is copied and compared from.
 *
 * Each table goes with one COPY … FROM STDIN in text format (PQputCopyData: tab-separated, \N
 * for NULL, backslash escapes; bytea as \\x hex), in an order that satisfies the foreign keys.
 * The column lists are SQLite's own (PRAGMA table_info: test_pg_schema.py keeps PostgreSQL's
 * the same); which columns are bytea is asked of PostgreSQL.  What is not copied: meta (each
 * backend's own rows: schema_version, backend; SQLite's fts_problem_upto; org_version counts by
 * PostgreSQL's triggers) and the FTS5 tables (PostgreSQL's text search is GIN on the columns).
 *
 * Verified before COMMIT: the log read back from PostgreSQL (a binary cursor) gives, payload by
 * payload unpacked, the hash chain again — every stored hash, prev_hash empty or the previous
 * hash, no gap, the head equal to SQLite's — and every table has as many rows as in SQLite. */
#include "base/buf.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/payload.h"
#include "store/pg.h"
#include "store/pg_conn.h"
#include "store/schema.h"
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The tables in the order their foreign keys need; any other SQLite table is refused. */
static const char *const order[] = {"unit",        "user",     "user_grant", "category", "calendar_day",
				    "setting",     "visit",    "task",       "problem",  "problem_pii",
				    "phone_index", "credential", "session",  "login_throttle", "audit", "event", "chain_sig", NULL};

#define COPY_CHUNK (1u << 20) /* bytes of COPY data handed to libpq at a time */
#define VERIFY_FETCH 5000     /* events read back per FETCH (spelled in its SQL too) */

struct mig {
	const struct pg_migrate_opts *o;
	struct store *s;
	PGconn *c;
	char target[512]; /* the target named without its password */
	int64_t rows[sizeof order / sizeof order[0]];
	double secs[sizeof order / sizeof order[0]]; /* each table's COPY */
	int64_t total;
};

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The server's last message on c (trailing newline cut), into err, naming what failed. */
static int pg_err(struct mig *m, const char *what, struct qd_err *err)
{
	struct buf b;
	buf_init(&b);
	pg_message(m->c, &b);
	qd_fail(err, QD_EINTERNAL, "to", "迁移到 %s 时%s失败：%s", "migrating into %s: %s failed: %s", m->target, what,
		b.p, m->target, what, b.p);
	buf_free(&b);
	return -1;
}

static int pg_run(struct mig *m, const char *sql, const char *what, struct qd_err *err)
{
	return pg_exec(m->c, sql) ? pg_err(m, what, err) : 0;
}

/* The one integer a query answers, or -1 with err set. */
static int64_t pg_int(struct mig *m, const char *sql, struct qd_err *err)
{
	char *v = pg_value(m->c, sql); /* "" for NULL: not an integer */
	int64_t n = -1;
	if (v && *v)
		n = strtoll(v, NULL, 10);
	else
		pg_err(m, "查询 (query)", err);
	free(v);
	return n;
}

/* uri without the password of its user part, for messages: postgres://u:pw@h/d → postgres://u@h/d. */
static void target_name(const char *uri, char *out, size_t n)
{
	const char *s = strstr(uri, "://");
	const char *at = s ? strchr(s + 3, '@') : NULL;
	const char *slash = s ? strchr(s + 3, '/') : NULL;
	const char *colon = s ? strchr(s + 3, ':') : NULL;
	if (at && (!slash || at < slash) && colon && colon < at)
		snprintf(out, n, "%.*s%s", (int)(colon - uri), uri, at);
	else if (strstr(uri, "password="))
		snprintf(out, n, "the PostgreSQL database of the connection string");
	else
		snprintf(out, n, "%s", uri);
}

/* A value in COPY's text format: backslash, tab, newline and carriage return escaped.  A NUL
 * cannot be in PostgreSQL text: -1. */
static int copy_text(struct buf *b, const unsigned char *p, int n)
{
	int run = 0; /* start of the bytes not yet written, none of which needs escaping */
	for (int i = 0; i < n; i++) {
		const char *esc;
		switch (p[i]) {
		case 0: return -1;
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		buf_put(b, p + run, (size_t)(i - run)); /* fmt: COPY text between the escapes made here */
		buf_put(b, esc, 2);
		run = i + 1;
	}
	buf_put(b, p + run, (size_t)(n - run)); /* fmt: COPY text between the escapes made here */
	return 0;
}

/* bytea in COPY's text format: \x and hex digits, the backslash itself escaped. */
static void copy_bytea(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_grow(b, 3 + 2 * n);
	buf_put(b, "\\\\x", 3);
	for (size_t i = 0; i < n; i++) {
		b->p[b->len++] = hex[p[i] >> 4];
		b->p[b->len++] = hex[p[i] & 15];
	}
	b->p[b->len] = 0;
}

/* The names of t's columns on SQLite (ncol of them) and whether each is bytea on PostgreSQL. */
struct cols {
	char **name;
	int *bytea;
	int n;
};

static void cols_free(struct cols *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->name[i]);
	free(c->name);
	free(c->bytea);
	memset(c, 0, sizeof *c);
}

static int cols_load(struct mig *m, const char *t, struct cols *c, struct qd_err *err)
{
	memset(c, 0, sizeof *c);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db_lite(m->s->wdb), "SELECT name FROM pragma_table_info(?) ORDER BY cid", -1, &st, NULL) != SQLITE_OK)
		return db_fail(m->s->wdb, err);
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		c->name = xrealloc(c->name, (size_t)(c->n + 1) * sizeof *c->name);
		c->bytea = xrealloc(c->bytea, (size_t)(c->n + 1) * sizeof *c->bytea);
		c->name[c->n] = xstrdup((const char *)sqlite3_column_text(st, 0));
		c->bytea[c->n++] = 0;
	}
	sqlite3_finalize(st);
	const char *params[1] = {t};
	PGresult *r = PQexecParams(m->c, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
				   "current_schema() AND table_name = $1 AND data_type = 'bytea'",
				   1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		cols_free(c);
		return pg_err(m, "读取列 (reading columns)", err);
	}
	for (int i = 0; i < PQntuples(r); i++)
		for (int k = 0; k < c->n; k++)
			if (!strcmp(c->name[k], PQgetvalue(r, i, 0)))
				c->bytea[k] = 1;
	PQclear(r);
	return 0;
}

/* The SELECT that reads t on SQLite, in key order.  phone_index is SQLite's index kept in
 * batches after commit (search.c), so it may trail problem_pii: PostgreSQL gets it complete. */
static void select_sql(struct buf *q, const char *t, const struct cols *c)
{
	buf_puts(q, "SELECT ");
	for (int i = 0; i < c->n; i++)
		buf_printf(q, "%s\"%s\"", i ? ", " : "", c->name[i]); /* sql-ident: SQLite's own column names */
	if (!strcmp(t, "phone_index"))
		buf_puts(q, " FROM (SELECT phone_hash, problem_id FROM phone_index UNION SELECT phone_hash, problem_id "
			    "FROM problem_pii WHERE phone_hash IS NOT NULL) ORDER BY 1, 2");
	else
		buf_printf(q, " FROM \"%s\" ORDER BY 1", t); /* sql-ident: a table name of the fixed list */
}

static int64_t sqlite_count(struct mig *m, const char *t, const struct cols *c)
{
	struct buf q, in;
	buf_init(&q);
	buf_init(&in);
	select_sql(&in, t, c);
	buf_printf(&q, "SELECT count(*) FROM (%s)", in.p); /* sql-ident: built by select_sql */
	int64_t n = db_int(m->s->wdb, q.p, 0, 0);
	buf_free(&q);
	buf_free(&in);
	return n;
}

static int put(struct mig *m, struct buf *b, struct qd_err *err)
{
	if (b->len && PQputCopyData(m->c, b->p, (int)b->len) != 1)
		return pg_err(m, "COPY", err);
	buf_reset(b);
	return 0;
}

/* t's secondary indexes (not those of a primary key or a UNIQUE constraint) and its foreign keys,
 * dropped before its COPY and made again after it, inside the transaction: one index build from
 * the finished table, and one join to check a foreign key, are several times faster than index
 * maintenance and a key lookup row by row (the GIN trigram indexes and task's five foreign keys
 * above all).  The statements are the server's own (pg_get_indexdef, pg_get_constraintdef), so
 * nothing of schema_pg.c is spelled twice.  NULL with err set on failure; else a result (PQclear)
 * whose rows are (drop statement, make statement). */
static PGresult *indexes_drop(struct mig *m, const char *t, struct qd_err *err)
{
	const char *params[1] = {t};
	PGresult *r = PQexecParams(m->c, "SELECT 'DROP INDEX ' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid) "
				   "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "
				   "quote_ident($1)::regclass AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint "
				   "k WHERE k.conindid = i.indexrelid) "
				   "UNION ALL SELECT 'ALTER TABLE ' || quote_ident($1) || ' DROP CONSTRAINT ' || quote_ident(conname), "
				   "'ALTER TABLE ' || quote_ident($1) || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' || "
				   "pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = quote_ident($1)::regclass AND "
				   "contype = 'f' ORDER BY 1",
				   1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		pg_err(m, "读取索引 (reading indexes)", err);
		return NULL;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		/* sql: a statement PostgreSQL wrote (pg_get_indexdef) */
		if (pg_run(m, PQgetvalue(r, i, 0), "DROP", err)) {
			PQclear(r);
			return NULL;
		}
	}
	return r;
}

static int indexes_make(struct mig *m, PGresult *defs, struct qd_err *err)
{
	for (int i = 0; i < PQntuples(defs); i++)
		/* sql: statements PostgreSQL wrote (pg_get_indexdef, pg_get_constraintdef) */
		if (pg_run(m, PQgetvalue(defs, i, 1), "CREATE INDEX / ADD CONSTRAINT", err))
			return -1;
	return 0;
}

/* Copy table t (the i-th of order): SQLite rows → COPY t FROM STDIN.  *n rows. */
static int copy_table(struct mig *m, const char *t, int64_t *n, struct qd_err *err)
{
	struct cols c;
	if (cols_load(m, t, &c, err))
		return -1;
	int payload = -1;
	for (int i = 0; i < c.n; i++)
		if (!strcmp(t, "event") && !strcmp(c.name[i], "payload"))
			payload = i;
	struct buf q, b;
	buf_init(&q);
	buf_init(&b);
	int rc = -1;
	sqlite3_stmt *st = NULL;
	select_sql(&q, t, &c);
	if (sqlite3_prepare_v2(db_lite(m->s->wdb), q.p, -1, &st, NULL) != SQLITE_OK) {
		db_fail(m->s->wdb, err);
		goto out;
	}
	buf_reset(&q);
	buf_printf(&q, "COPY \"%s\" (", t); /* sql-ident: a table name of the fixed list */
	for (int i = 0; i < c.n; i++)
		buf_printf(&q, "%s\"%s\"", i ? ", " : "", c.name[i]); /* sql-ident: SQLite's own column names */
	buf_puts(&q, ") FROM STDIN");
	PGresult *r = PQexec(m->c, q.p);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		PQclear(r);
		pg_err(m, t, err);
		goto out;
	}
	PQclear(r);
	*n = 0;
	int step, bad = 0;
	while (!bad && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < c.n; i++) {
			if (i)
				buf_putc(&b, '\t');
			int type = sqlite3_column_type(st, i);
			if (type == SQLITE_NULL) {
				buf_put(&b, "\\N", 2);
			} else if (i == payload && type == SQLITE_TEXT) {
				/* a payload of before schema 7, stored as its text: packed, as PostgreSQL holds all */
				size_t len = 0;
				unsigned char *p = payload_pack((const char *)sqlite3_column_text(st, i),
								(size_t)sqlite3_column_bytes(st, i), &len);
				if (!p) {
					qd_fail(err, QD_EINTERNAL, "from", "事件 %lld 的内容无法压缩",
						"event %lld: its payload cannot be packed", (long long)sqlite3_column_int64(st, 0),
						(long long)sqlite3_column_int64(st, 0));
					bad = 1;
					break;
				}
				copy_bytea(&b, p, len);
				free(p);
			} else if (c.bytea[i]) {
				const void *p = sqlite3_column_blob(st, i);
				copy_bytea(&b, p, (size_t)sqlite3_column_bytes(st, i));
			} else if (type == SQLITE_INTEGER) {
				buf_int(&b, sqlite3_column_int64(st, i));
			} else if (type == SQLITE_FLOAT) {
				buf_printf(&b, "%.17g", sqlite3_column_double(st, i));
			} else {
				const unsigned char *p = sqlite3_column_text(st, i);
				if (copy_text(&b, p, sqlite3_column_bytes(st, i))) {
					qd_fail(err, QD_EINVAL, "from", "表 %s 第 %lld 行的 %s 含 NUL 字符，PostgreSQL 文本不能容纳",
						"table %s, row %lld: %s holds a NUL character, which PostgreSQL text cannot",
						t, (long long)*n + 1, c.name[i], t, (long long)*n + 1, c.name[i]);
					bad = 1;
					break;
				}
			}
		}
		buf_putc(&b, '\n');
		++*n;
		if (!bad && b.len >= COPY_CHUNK && put(m, &b, err))
			bad = 1;
	}
	if (!bad && step != SQLITE_DONE) {
		db_fail(m->s->wdb, err);
		bad = 1;
	}
	if (!bad && put(m, &b, err))
		bad = 1;
	if (PQputCopyEnd(m->c, bad ? "qingdan migrate stopped" : NULL) != 1 && !bad) {
		pg_err(m, t, err);
		bad = 1;
	}
	while ((r = PQgetResult(m->c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !bad) {
			pg_err(m, t, err);
			bad = 1;
		}
		PQclear(r);
	}
	rc = bad ? -1 : 0;
out:
	sqlite3_finalize(st);
	buf_free(&q);
	buf_free(&b);
	cols_free(&c);
	return rc;
}

static int64_t be64(const char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | (unsigned char)p[i];
	return (int64_t)v;
}

static void hex32(const unsigned char *h, char out[65])
{
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The log as PostgreSQL now holds it: every payload unpacked, the chain recomputed and compared
 * with the stored hashes and with SQLite's head. */
static int verify_chain(struct mig *m, int64_t *events, struct qd_err *err)
{
	if (pg_run(m, "DECLARE qd_migrate_verify BINARY NO SCROLL CURSOR FOR SELECT seq, at, actor, kind, entity, "
		      "entity_id, payload, prev_hash, hash FROM event ORDER BY seq",
		   "读回事件 (reading the log back)", err))
		return -1;
	unsigned char prev[32] = {0}, h[32];
	int64_t expect = 1;
	for (;;) {
		PGresult *r = PQexec(m->c, "FETCH FORWARD 5000 FROM qd_migrate_verify");
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			PQclear(r);
			return pg_err(m, "读回事件 (reading the log back)", err);
		}
		int rows = PQntuples(r);
		for (int i = 0; i < rows; i++) {
			int64_t seq = be64(PQgetvalue(r, i, 0));
			const char *why = NULL;
			struct qd_err e2;
			char *text = NULL;
			if (seq != expect)
				why = "a gap in the sequence";
			else if (!(text = payload_unpack(PQgetvalue(r, i, 6), (size_t)PQgetlength(r, i, 6), &e2)))
				why = "its payload does not unpack";
			if (!why) {
				event_hash(prev, seq, be64(PQgetvalue(r, i, 1)), be64(PQgetvalue(r, i, 2)), PQgetvalue(r, i, 3),
					   PQgetvalue(r, i, 4), be64(PQgetvalue(r, i, 5)), text, h);
				int pn = PQgetlength(r, i, 7);
				if ((pn != 0 && pn != 32) || (pn == 32 && memcmp(PQgetvalue(r, i, 7), prev, 32) != 0))
					why = "prev_hash is not the previous event's hash";
				else if (PQgetlength(r, i, 8) != 32 || memcmp(PQgetvalue(r, i, 8), h, 32) != 0)
					why = "the hash differs from the one recomputed over its payload";
			}
			free(text);
			if (why) {
				PQclear(r);
				return qd_fail(err, QD_EINTERNAL, "from", "到达后校验失败：事件 seq %lld（%s）",
					       "verification on arrival failed at event seq %lld: %s", (long long)expect, why,
					       (long long)expect, why);
			}
			memcpy(prev, h, 32);
			expect++;
		}
		PQclear(r);
		if (rows < VERIFY_FETCH)
			break;
	}
	*events = expect - 1;
	if (pg_run(m, "CLOSE qd_migrate_verify", "读回事件 (reading the log back)", err))
		return -1;
	if (*events != m->s->last_seq || (*events && memcmp(prev, m->s->last_hash, 32) != 0))
		return qd_fail(err, QD_EINTERNAL, "from", "到达后校验失败：链头（seq %lld）与 SQLite 的（seq %lld）不同",
			       "verification on arrival failed: the chain's head (seq %lld) is not SQLite's (seq %lld)",
			       (long long)*events, (long long)m->s->last_seq, (long long)*events, (long long)m->s->last_seq);
	/* and chain_head, which the writers of every server will lock and extend */
	PGresult *r = PQexecParams(m->c, "SELECT seq, hash FROM chain_head WHERE one = 1", 0, NULL, NULL, NULL, NULL, 1);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && be64(PQgetvalue(r, 0, 0)) == *events &&
		 PQgetlength(r, 0, 1) == (*events ? 32 : 0) && (!*events || !memcmp(PQgetvalue(r, 0, 1), prev, 32));
	PQclear(r);
	if (!ok)
		return qd_fail(err, QD_EINTERNAL, "to", "到达后校验失败：chain_head 与链头不同",
			       "verification on arrival failed: chain_head is not the chain's head");
	return 0;
}

/* Any SQLite table outside order, meta and the FTS5 tables: it would not be copied. */
static int unknown_table(struct mig *m, struct qd_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db_lite(m->s->wdb), "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
				   "ESCAPE '\\' AND name <> 'meta' AND name NOT LIKE 'problem\\_fts%' ESCAPE '\\' AND "
				   "name NOT LIKE 'task\\_fts%' ESCAPE '\\' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(m->s->wdb, err);
	int rc = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int known = 0;
		for (int i = 0; order[i]; i++)
			known |= !strcmp(order[i], t);
		if (!known)
			rc = qd_fail(err, QD_EINVAL, "from", "SQLite 数据库有 qingdan migrate 不认识的表 %s",
				     "the SQLite database has a table qingdan migrate does not know: %s", t, t);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The target must hold no row in any table migrate fills; locks chain_head (FOR UPDATE) first, so
 * a second migrate into the same database waits for this one and then finds it full. */
static int target_empty(struct mig *m, struct qd_err *err)
{
	if (pg_int(m, "SELECT count(*) FROM (SELECT 1 FROM chain_head FOR UPDATE) h", err) < 0)
		return -1;
	for (int k = -1; k < 0 || order[k]; k++) {
		const char *t = k < 0 ? "event" : order[k]; /* the record first: the likeliest to be named */
		struct buf q;
		buf_init(&q);
		buf_printf(&q, "SELECT count(*) FROM (SELECT 1 FROM \"%s\" LIMIT 1) x", t); /* sql-ident: fixed list */
		int64_t n = pg_int(m, q.p, err);
		buf_free(&q);
		if (n < 0)
			return -1;
		if (n > 0)
			return qd_fail(err, QD_ECONFLICT, "to", "目标数据库 %s 不是空的（表 %s 有数据）：qingdan migrate 只迁入空库",
				       "the target %s is not empty (table %s has rows): qingdan migrate moves a database "
				       "only into an empty one",
				       m->target, t, m->target, t);
	}
	return 0;
}

int pg_migrate(const struct pg_migrate_opts *o, struct qd_err *err)
{
	double t0 = mono();
	const char *from = o->from;
	if (!strncmp(from, "sqlite://", 9))
		from += 9;
	struct mig m = {.o = o};
	target_name(o->to, m.target, sizeof m.target);
	if (!pg_is_uri(o->to))
		return qd_fail(err, QD_EINVAL, "to", "--to 须为 postgres:// 地址", "--to must be a postgres:// URI");
	if (pg_is_uri(from))
		return qd_fail(err, QD_EINVAL, "from", "--from 须为 SQLite 数据库文件", "--from must be a SQLite database file");
	if (access(from, F_OK) != 0)
		return qd_fail(err, QD_ENOTFOUND, "from", "源数据库 %s 不存在", "the source database %s does not exist", from, from);
	char kp[4200], *abs;
	snprintf(kp, sizeof kp, "%s%s", o->key_path ? o->key_path : from, o->key_path ? "" : ".key");
	if ((abs = realpath(kp, NULL))) { /* named in full: the report tells where it is */
		snprintf(kp, sizeof kp, "%s", abs);
		free(abs);
	}
	struct store_opts so = {.path = from, .key_path = o->key_path, .now = o->now};
	if (store_open(&m.s, &so, err))
		return -1;
	int rc = -1, sqlite_tx = 0;
	int64_t sv = db_int(m.s->wdb, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", 0, 0);
	if (sv != schema_count()) { /* store_open migrated it: anything else is a bug */
		qd_fail(err, QD_EINTERNAL, "from", "源数据库的结构版本 %lld 不是 %d", "the source's schema version %lld is not %d",
			(long long)sv, schema_count(), (long long)sv, schema_count());
		goto out;
	}
	if (unknown_table(&m, err)) /* (the key was checked by store_open: store_key_opens) */
		goto out;
	int pgv = 0;
	if (pg_schema_apply(o->to, &pgv, err)) /* the schema when it has none; refuses an unsafe server */
		goto out;
	m.c = PQconnectdb(o->to);
	if (!m.c || PQstatus(m.c) != CONNECTION_OK) {
		pg_err(&m, "连接 (connecting)", err);
		goto out;
	}
	if (pg_run(&m, "SET client_min_messages = warning", "设置 (SET)", err) ||
	    pg_run(&m, "BEGIN", "BEGIN", err) || target_empty(&m, err))
		goto out;
	if (db_exec(m.s->wdb, "BEGIN", err)) /* one snapshot of SQLite for the copy and the counts */
		goto out;
	sqlite_tx = 1;
	if (o->out)
		fprintf(o->out, "migrating %s (SQLite schema %lld) into %s (PostgreSQL schema %d)\n", from, (long long)sv,
			m.target, pgv);
	double t1 = mono();
	if (pg_run(&m, "SET LOCAL maintenance_work_mem = '256MB'", "设置 (SET)", err)) /* for the index builds */
		goto out;
	for (int i = 0; order[i]; i++) {
		double ts = mono();
		PGresult *defs = indexes_drop(&m, order[i], err);
		if (!defs)
			goto out;
		int bad = copy_table(&m, order[i], &m.rows[i], err) || indexes_make(&m, defs, err);
		PQclear(defs);
		if (bad)
			goto out;
		m.secs[i] = mono() - ts;
		m.total += m.rows[i];
	}
	/* the audit log's rows came with their ids: its identity goes on after them */
	if (pg_run(&m, "SELECT setval(pg_get_serial_sequence('audit', 'id'), coalesce(max(id), 0) + 1, false) FROM audit",
		   "audit (setval)", err))
		goto out;
	{
		const char *vals[2];
		char seq[32];
		snprintf(seq, sizeof seq, "%lld", (long long)m.s->last_seq);
		vals[0] = seq;
		vals[1] = (const char *)m.s->last_hash;
		int lens[2] = {0, m.s->last_seq ? 32 : 0}, fmts[2] = {0, 1};
		PGresult *r = PQexecParams(m.c, "UPDATE chain_head SET seq = $1, hash = $2 WHERE one = 1", 2, NULL, vals, lens,
					   fmts, 0);
		int bad = PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdTuples(r), "1") != 0;
		PQclear(r);
		if (bad) {
			pg_err(&m, "chain_head", err);
			goto out;
		}
	}
	double t2 = mono();
	int64_t events = 0;
	if (verify_chain(&m, &events, err))
		goto out;
	for (int i = 0; order[i]; i++) {
		struct cols c;
		if (cols_load(&m, order[i], &c, err))
			goto out;
		int64_t lite = sqlite_count(&m, order[i], &c);
		cols_free(&c);
		struct buf q;
		buf_init(&q);
		buf_printf(&q, "SELECT count(*) FROM \"%s\"", order[i]); /* sql-ident: fixed list */
		int64_t pg = pg_int(&m, q.p, err);
		buf_free(&q);
		if (pg < 0)
			goto out;
		if (pg != lite || pg != m.rows[i]) {
			qd_fail(err, QD_EINTERNAL, "to", "到达后校验失败：表 %s 在 PostgreSQL 有 %lld 行，SQLite 有 %lld 行",
				"verification on arrival failed: table %s has %lld rows on PostgreSQL, %lld on SQLite", order[i],
				(long long)pg, (long long)lite, order[i], (long long)pg, (long long)lite);
			goto out;
		}
	}
	double t3 = mono();
	if (pg_run(&m, "COMMIT", "COMMIT", err))
		goto out;
	double t4 = mono();
	rc = 0;
	if (o->out) {
		for (int i = 0; order[i]; i++)
			fprintf(o->out, "  %-13s %10lld rows  %6.2f s\n", order[i], (long long)m.rows[i], m.secs[i]);
		char head[65] = "";
		if (m.s->last_seq)
			hex32(m.s->last_hash, head);
		fprintf(o->out, "copied %lld rows in %.2f s (%.0f rows/s)\n", (long long)m.total, t2 - t1,
			t2 > t1 ? (double)m.total / (t2 - t1) : 0.0);
		fprintf(o->out, "verified on arrival in %.2f s: the hash chain of %lld events (head seq %lld %s) and the row "
				"count of every table\n",
			t3 - t2, (long long)events, (long long)m.s->last_seq, head);
		fprintf(o->out, "committed in %.2f s; %.2f s in all\n", t4 - t3, t4 - t0);
		fprintf(o->out, "the personal-data key is not in the database: it stays in %s — keep it apart, and give it "
				"to the PostgreSQL deployment (qingdan … --db postgres://… --key %s)\n",
			kp, kp);
	}
out:
	if (rc && m.c && PQtransactionStatus(m.c) != PQTRANS_IDLE)
		PQclear(PQexec(m.c, "ROLLBACK")); /* nothing of a refused migration stays */
	if (sqlite_tx)
		db_exec(m.s->wdb, "COMMIT", NULL);
	PQfinish(m.c);
	store_close(m.s);
	return rc;
}
