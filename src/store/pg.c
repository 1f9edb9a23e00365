/* pg.c — the PostgreSQL backend over libpq (store/pg.h): connecting, refusing unsafe servers,
 * migrating.  libpq is PostgreSQL's own client library (Debian's libpq-dev); nothing here speaks
 * the protocol by hand. */
#include "store/pg.h"
#include "base/buf.h"
#include "store/pg_conn.h"
#include "store/schema_pg.h"
#include <stdlib.h>
#include <string.h>

/* The advisory lock migrations hold (any constant of our own: "qd" + 1). */
#define PG_MIGRATE_LOCK 0x71640001

int pg_is_uri(const char *db)
{
	return db && (!strncmp(db, "postgres://", 11) || !strncmp(db, "postgresql://", 13) ||
		      (strchr(db, '=') && strstr(db, "host=")));
}

int pg_key_named(const char *key_path, struct qd_err *err)
{
	if (key_path)
		return 0;
	return qd_fail(err, QD_EINVAL, "key", "PostgreSQL 数据库需要用 --key 指明个人信息密钥文件",
		       "a PostgreSQL database needs --key naming its personal-data key file");
}

char *pg_uri_shown(const char *db)
{
	struct buf b;
	buf_init(&b);
	const char *scheme = strstr(db, "://");
	if (pg_is_uri(db) && scheme) {
		const char *auth = scheme + 3, *at = strchr(auth, '@'), *colon = strchr(auth, ':');
		const char *path = strpbrk(auth, "/?");
		if (at && colon && colon < at && (!path || at < path)) { /* user:password@ */
			/* fmt: the URI for a terminal message, its password left out */
			buf_put(&b, db, (size_t)(colon + 1 - db));
			buf_puts(&b, "…");
			buf_puts(&b, at); /* fmt: the URI for a terminal message, its password left out */
			return buf_take(&b);
		}
	} else if (pg_is_uri(db)) { /* key=value: password=… up to the next space (or 'quoted') */
		for (const char *p = db; *p;) {
			if (!strncmp(p, "password=", 9) && (p == db || p[-1] == ' ')) {
				buf_puts(&b, "password=…");
				p += 9;
				if (*p == '\'') {
					for (p++; *p && *p != '\''; p++)
						if (*p == '\\' && p[1])
							p++;
					if (*p)
						p++;
				} else {
					while (*p && *p != ' ')
						p++;
				}
				continue;
			}
			buf_putc(&b, *p++);
		}
		return buf_take(&b);
	}
	buf_puts(&b, db); /* fmt: the URI for a terminal message */
	return buf_take(&b);
}

/* The server's message of the last failure on c, into err, naming what failed. */
static int pg_fail(struct qd_err *err, PGconn *c, const char *what)
{
	struct buf m;
	buf_init(&m);
	pg_message(c, &m);
	qd_fail(err, QD_EINTERNAL, "db", "PostgreSQL %s失败：%s", "PostgreSQL %s failed: %s", what, m.p, what, m.p);
	buf_free(&m);
	return -1;
}

/* Run sql; 0, or -1 with err set. */
static int exec_ok(PGconn *c, const char *sql, struct qd_err *err, const char *what)
{
	return pg_exec(c, sql) ? pg_fail(err, c, what) : 0;
}

/* The one value of a one-row query, copied (free), or NULL with err set. */
static char *value_of(PGconn *c, const char *sql, struct qd_err *err)
{
	char *v = pg_value(c, sql);
	if (!v)
		pg_fail(err, c, "查询");
	return v;
}

/* Whether a one-row query's value is want: 1 or 0, -1 with err set. */
static int value_is(PGconn *c, const char *sql, const char *want, struct qd_err *err)
{
	int r = pg_value_is(c, sql, want);
	if (r < 0)
		pg_fail(err, c, "查询");
	return r;
}

/* Refuse settings under which a commit qingdan acknowledges could be lost. */
static int check_durability(PGconn *c, struct qd_err *err)
{
	static const struct {
		const char *name, *bad;
	} rules[] = {{"fsync", "off"}, {"full_page_writes", "off"}, {"synchronous_commit", "off"}};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		struct buf q;
		buf_init(&q);
		buf_printf(&q, "SELECT current_setting('%s')", rules[i].name); /* sql-ident: fixed names */
		int bad = value_is(c, q.p, rules[i].bad, err);
		buf_free(&q);
		if (bad < 0)
			return -1;
		if (bad)
			return qd_fail(err, QD_EINVAL, rules[i].name,
				       "PostgreSQL 的 %s 为 %s：已确认的写入可能在断电或崩溃后丢失，qingdan 拒绝使用（请设为 on）",
				       "PostgreSQL has %s = %s: an acknowledged write could be lost in a crash; qingdan "
				       "refuses to run on it (set it to on)",
				       rules[i].name, rules[i].bad, rules[i].name, rules[i].bad);
	}
	return 0;
}

/* Refuse a database whose text search could not work: not UTF8, or a character type under
 * which pg_trgm takes no Chinese character as part of a word (docs/postgres.md).  Inside the
 * migrating transaction: it creates pg_trgm to ask it. */
static int check_text(PGconn *c, struct qd_err *err)
{
	int utf8 = value_is(c, "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()",
			    "UTF8", err);
	if (utf8 < 0)
		return -1;
	if (!utf8)
		return qd_fail(err, QD_EINVAL, "encoding", "PostgreSQL 数据库的编码不是 UTF8",
			       "the PostgreSQL database's encoding is not UTF8");
	char *ctype = value_of(c, "SELECT datctype FROM pg_database WHERE datname = current_database()", err);
	if (!ctype)
		return -1;
	/* asked of pg_trgm itself (the caller's transaction made the extension, and takes it back
	 * on a refusal): does it find trigrams in Chinese? */
	char *n = exec_ok(c, "CREATE EXTENSION IF NOT EXISTS pg_trgm", err, "创建扩展 pg_trgm")
			  ? NULL
			  : value_of(c, "SELECT coalesce(array_length(show_trgm('河口村'), 1), 0)", err);
	int ok = n && atoi(n) > 0;
	if (n && !ok)
		qd_fail(err, QD_EINVAL, "lc_ctype",
			"PostgreSQL 数据库的 LC_CTYPE 为 %s：在此字符类型下 pg_trgm 不把汉字当作文字，中文检索会失效（请用 C.UTF-8 等 UTF-8 字符类型建库）",
			"the PostgreSQL database's LC_CTYPE is %s: under it pg_trgm takes no Chinese character as text "
			"and Chinese search cannot work (create the database with a UTF-8 LC_CTYPE such as C.UTF-8)",
			ctype, ctype);
	free(n);
	free(ctype);
	return ok ? 0 : -1;
}

/* The schema version recorded in meta, 0 when there is no meta table yet, -1 on error. */
static int current_version(PGconn *c, struct qd_err *err)
{
	int has = value_is(c, "SELECT to_regclass('meta') IS NOT NULL", "t", err);
	if (has <= 0)
		return has;
	char *v = value_of(c, "SELECT coalesce((SELECT value FROM meta WHERE key = 'schema_version'), '0')", err);
	if (!v)
		return -1;
	int n = atoi(v);
	free(v);
	return n;
}

int pg_schema_apply(const char *uri, int *version, struct qd_err *err)
{
	PGconn *c = PQconnectdb(uri);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		pg_fail(err, c, "连接");
		PQfinish(c);
		return -1;
	}
	int rc = -1;
	if (exec_ok(c, "SET client_min_messages = warning", err, "设置") || check_durability(c, err))
		goto out;
	for (;;) {
		if (exec_ok(c, "BEGIN", err, "开始事务"))
			goto out;
		char lock[80];
		snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", PG_MIGRATE_LOCK);
		int v = exec_ok(c, lock, err, "加锁") || check_text(c, err) ? -1 : current_version(c, err);
		if (v < 0)
			goto out;
		if (v > schema_pg_count()) {
			qd_fail(err, QD_EINVAL, "db", "数据库的结构版本 %d 比本程序（%d）新，请升级 qingdan",
				"the database's schema version %d is newer than this program's (%d): upgrade qingdan", v,
				schema_pg_count(), v, schema_pg_count());
			goto out;
		}
		if (v == schema_pg_count()) {
			*version = v;
			rc = exec_ok(c, "COMMIT", err, "提交");
			goto out;
		}
		struct buf m;
		buf_init(&m);
		buf_puts(&m, schema_pg_migration(v + 1));
		buf_printf(&m, "INSERT INTO meta(key, value) VALUES ('schema_version', '%d'), ('backend', 'postgres') "
			       "ON CONFLICT (key) DO UPDATE SET value = excluded.value;\n",
			   v + 1);
		int bad = exec_ok(c, m.p, err, "结构迁移") || exec_ok(c, "COMMIT", err, "提交");
		buf_free(&m);
		if (bad)
			goto out;
	}
out:
	if (rc && PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK")); /* a failed migration leaves nothing */
	PQfinish(c);
	return rc;
}
