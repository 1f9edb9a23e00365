/* check.c — `qingdan check`: SQLite integrity, FTS consistency, the hash chain, and a full
 * replay of the event log into a fresh database compared table by table with the projections.
 * Also the online backup, and the log listing (`qingdan log`: the stored payloads are deflated
 * since schema 7, so the sqlite3 shell no longer shows them; qd_payload() does, in this
 * program's connections). */
#include "store/check.h"
#include "store/check_auth.h"
#include "base/buf.h"
#include "base/mem.h"
#include <stdlib.h>
#include "store/db.h"
#include "store/db_pg.h"
#include "store/pg.h"
#include "store/internal.h"
#include "store/payload.h"
#include "store/schema.h"
#include "store/search.h"
#include <string.h>
#include <unistd.h>

static int verify_chain(db_conn *db, db_conn *replay, const unsigned char *key, struct check_report *r,
			struct qd_err *err)
{
	db_stmt *st = db_prepare(db, "SELECT seq, at, actor, kind, entity, entity_id, payload, prev_hash, hash "
				     "FROM event ORDER BY seq");
	if (!st)
		return db_fail(db, err);
	unsigned char prev[32] = {0}, h[32];
	int64_t expect = 1;
	r->chain_ok = 1;
	r->replay_ok = 1;
	if (db_exec(replay, "BEGIN", err)) {
		db_done(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		int64_t seq = db_col_int64(st, 0);
		struct qd_err e2;
		char *payload = payload_column(st, 6, &e2); /* either stored form (store/payload.h) */
		if (!payload) { /* a corrupt compressed payload: the chain cannot be verified past it */
			r->chain_ok = 0;
			r->chain_break_at = seq;
			snprintf(r->chain_why, sizeof r->chain_why, "%s", e2.en);
			break;
		}
		event_hash(prev, seq, db_col_int64(st, 1), db_col_int64(st, 2),
			   db_col_text(st, 3), db_col_text(st, 4),
			   db_col_int64(st, 5), payload, h);
		/* prev_hash: the previous hash again (before schema 6), or empty (store/event.c) */
		size_t pn = 0, hn = 0;
		const void *ph = db_col_blob(st, 7, &pn);
		if (seq != expect || (pn != 0 && pn != 32) || (pn == 32 && memcmp(ph, prev, 32) != 0)) {
			pn = 33; /* below: a mismatch whatever the hash */
		}
		const void *hh = db_col_blob(st, 8, &hn);
		if (pn == 33 || hn != 32 || memcmp(hh, h, 32) != 0) {
			r->chain_ok = 0;
			r->chain_break_at = seq;
			snprintf(r->chain_why, sizeof r->chain_why, "%s", seq != expect ? "a gap in the sequence" : "the hash differs");
			free(payload);
			break;
		}
		json_t *p = json_loads(payload, 0, NULL);
		free(payload);
		int creates = event_creates(db_col_text(st, 3));
		if (p && pn == 0) /* the schema 6 form leaves out the stamps equal to its at */
			event_stamps_fill(p, db_col_int64(st, 1), creates);
		if (!p || projection_apply(replay, key, p, creates, &e2)) {
			r->replay_ok = 0;
			snprintf(r->mismatch_table, sizeof r->mismatch_table, "event %lld", (long long)seq);
		}
		json_decref(p);
		memcpy(prev, h, 32);
		expect++;
		r->events++;
	}
	db_done(st);
	return db_exec(replay, "COMMIT", err);
}

/* Rows of t that differ between the projections and the replay (both ways); without_text:
 * comparing every column but the masked free text. */
static int64_t table_diff(db_conn *db, const struct schema_table *t, int without_text)
{
	struct buf cols, sql;
	buf_init(&cols);
	buf_init(&sql);
	for (int c = 0; t->cols[c]; c++)
		if (!(without_text && schema_is_text(t, t->cols[c])))
			/* sql-ident: the schema table's column names */
			buf_printf(&cols, "%s%s", cols.len ? "," : "", t->cols[c]);
	buf_printf(&sql, "SELECT (SELECT count(*) FROM (SELECT %s FROM main.\"%s\" EXCEPT SELECT %s FROM r.\"%s\")) + " /* sql-ident */
			 "(SELECT count(*) FROM (SELECT %s FROM r.\"%s\" EXCEPT SELECT %s FROM main.\"%s\"))", /* sql-ident */
		   cols.p, t->name, cols.p, t->name, cols.p, t->name, cols.p, t->name);
	int64_t diff = db_int(db, sql.p, 0, 0);
	buf_free(&cols);
	buf_free(&sql);
	return diff;
}

/* Compare every table of the projections with the replay through diff (the rows of t that
 * differ, or -1), filling r: the first table that differs, how many rows, and whether only the
 * masked free text does (remask fixes that). */
typedef int64_t (*table_diff_fn)(void *ctx, const struct schema_table *t, int without_text);

static void compare(struct check_report *r, table_diff_fn diff_of, void *ctx)
{
	int n;
	const struct schema_table *t = schema_tables(&n);
	r->texts_only = 1;
	for (int i = 0; i < n; i++) {
		int64_t diff = diff_of(ctx, &t[i], 0);
		if (diff != 0) {
			r->replay_ok = 0;
			r->mismatched_rows += diff < 0 ? 1 : diff;
			snprintf(r->mismatch_table, sizeof r->mismatch_table, "%s", t[i].name);
			if (diff_of(ctx, &t[i], 1) != 0)
				r->texts_only = 0;
		}
	}
	if (r->replay_ok)
		r->texts_only = 0;
}

static int64_t lite_diff(void *db, const struct schema_table *t, int without_text)
{
	return table_diff(db, t, without_text);
}

/* What check found, for the operator: the chain, then the projections against the replay. */
static void report_chain(FILE *out, const struct check_report *r)
{
	if (!out)
		return;
	fprintf(out, "hash chain: %s (%lld events)\n", r->chain_ok ? "ok" : "BROKEN", (long long)r->events);
	if (!r->chain_ok)
		fprintf(out, "  broken at event %lld: %s\n", (long long)r->chain_break_at, r->chain_why);
}

static void report_projections(FILE *out, const struct check_report *r)
{
	if (!out)
		return;
	if (!r->chain_ok) {
		fprintf(out, "projections equal replay: not compared (the chain is broken)\n");
		return;
	}
	fprintf(out, "projections equal replay: %s%s%s\n", r->replay_ok ? "ok" : "NO (", r->replay_ok ? "" : r->mismatch_table,
		r->replay_ok ? "" : ")");
	if (!r->replay_ok && r->texts_only)
		fprintf(out, "  only masked free text differs: the masking rules changed since it was written; run qingdan remask\n");
}

/* Remove the temporary replay database and its WAL and shared-memory files. */
static void replay_unlink(const char *rpath)
{
	unlink(rpath);
	struct buf side;
	buf_init(&side);
	buf_printf(&side, "%s-wal", rpath); /* fmt: a file name for unlink() */
	unlink(side.p);
	buf_reset(&side);
	buf_printf(&side, "%s-shm", rpath); /* fmt: a file name for unlink() */
	unlink(side.p);
	buf_free(&side);
}

/* --- PostgreSQL: the same checks but SQLite's own (integrity_check, FTS5) ----------------------
 * One REPEATABLE READ snapshot: the chain read and verified, replayed into a temporary SQLite
 * database (the projections' meaning is one, store/event.c), chain_head compared with the last
 * event, then every table compared with the replay row by row in key order, value by value
 * (db_col_json: the same JSON for the same value whichever backend holds it). */

static int64_t pg_table_diff(db_conn *pg, db_conn *replay, const struct schema_table *t, int without_text)
{
	struct buf sql;
	buf_init(&sql);
	buf_puts(&sql, "SELECT ");
	int nc = 0;
	for (int c = 0; t->cols[c]; c++)
		if (!(without_text && schema_is_text(t, t->cols[c])))
			/* sql-ident: the schema table's column names */
			buf_printf(&sql, "%s%s", nc++ ? "," : "", t->cols[c]);
	buf_printf(&sql, " FROM \"%s\" ORDER BY %s", t->name, t->key); /* sql-ident: schema names */
	db_stmt *a = db_prepare(pg, sql.p), *b = db_prepare(replay, sql.p);
	buf_free(&sql);
	int64_t diff = a && b ? 0 : -1;
	while (diff >= 0) {
		int ra = db_step(a) == DB_ROW, rb = db_step(b) == DB_ROW;
		if (!ra && !rb)
			break;
		if (ra != rb) {
			diff++;
			break;
		}
		for (int c = 0; c < nc; c++) {
			json_t *ja = db_col_json(a, c), *jb = db_col_json(b, c);
			int eq = json_equal(ja, jb);
			json_decref(ja);
			json_decref(jb);
			if (!eq) {
				diff++;
				break;
			}
		}
	}
	if (db_done(a) | db_done(b))
		diff = -1;
	return diff;
}

static int64_t pg_diff(void *both, const struct schema_table *t, int without_text)
{
	db_conn **c = both;
	return pg_table_diff(c[0], c[1], t, without_text);
}

static int store_check_pg(const char *uri, const char *key_path, struct check_report *r, FILE *out, struct qd_err *err)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	db_conn *db = NULL, *replay = NULL;
	char rpath[64];
	snprintf(rpath, sizeof rpath, "/tmp/qingdan-check-%d.db", (int)getpid());
	unlink(rpath);
	int rc = -1;
	if (pg_key_named(key_path, err) || store_key_read(key_path, key, err) || db_pg_open(uri, &db, err) ||
	    db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err))
		goto out;
	r->integrity_ok = r->fts_ok = 1; /* SQLite's own checks: PostgreSQL checksums its pages itself */
	if (out)
		fprintf(out, "integrity_check: not applicable (PostgreSQL)\nfull-text indexes: not applicable (PostgreSQL's trigram indexes)\n");
	if (store_connect(rpath, 0, 1, &replay, err) || db_exec(replay, "PRAGMA synchronous=OFF", err) ||
	    store_migrate(replay, key, 0, err) || verify_chain(db, replay, key, r, err))
		goto out;
	/* the head every writer takes its turn from is the last event's */
	db_stmt *st = db_prepare(db, "SELECT h.seq, h.hash, e.hash FROM chain_head h LEFT JOIN event e ON e.seq = h.seq");
	if (st && db_step(st) == DB_ROW && r->chain_ok) {
		size_t n1 = 0, n2 = 0;
		const void *h1 = db_col_blob(st, 1, &n1), *h2 = db_col_blob(st, 2, &n2);
		if (db_col_int64(st, 0) != r->events || (r->events && (n1 != 32 || n2 != 32 || memcmp(h1, h2, 32) != 0))) {
			r->chain_ok = 0;
			r->chain_break_at = db_col_int64(st, 0);
			snprintf(r->chain_why, sizeof r->chain_why, "chain_head is not the last event");
		}
	}
	db_done(st);
	report_chain(out, r);
	check_auth(db, r, out);
	if (r->chain_ok && r->replay_ok) {
		db_conn *both[2] = {db, replay};
		compare(r, pg_diff, both);
	}
	report_projections(out, r);
	rc = r->chain_ok && r->replay_ok && r->auth_ok ? 0 : -1;
	if (rc)
		qd_fail(err, QD_EINTERNAL, NULL, "数据库检查未通过", "database check failed");
out:
	sodium_memzero(key, sizeof key);
	db_close(replay);
	db_close(db);
	replay_unlink(rpath);
	return rc;
}

int store_check(const char *path, const char *key_path, struct check_report *r, FILE *out, struct qd_err *err)
{
	memset(r, 0, sizeof *r);
	if (pg_is_uri(path))
		return store_check_pg(path, key_path, r, out, err);
	unsigned char key[crypto_secretbox_KEYBYTES];
	char kp[4200];
	snprintf(kp, sizeof kp, "%s.key", path);
	db_conn *db = NULL, *replay = NULL;
	char rpath[4200];
	snprintf(rpath, sizeof rpath, "%s.check-%d", path, (int)getpid());
	unlink(rpath);
	int rc = -1;
	if (access(path, R_OK) != 0) {
		qd_fail(err, QD_ENOTFOUND, "db", "数据库 %s 不存在", "database %s does not exist", path, path);
		goto out;
	}
	if (store_key_read(key_path ? key_path : kp, key, err) || store_connect(path, 0, 0, &db, err))
		goto out;
	char *ic = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db_lite(db), "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ic = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	r->integrity_ok = ic && strcmp(ic, "ok") == 0;
	if (out)
		fprintf(out, "integrity_check: %s\n", ic ? ic : "?");
	free(ic);
	/* The search index trails intake by a batch: bring it up to date first. */
	while (search_catch_up(db, 50000, NULL) > 0)
		;
	r->fts_ok = db_exec(db, "INSERT INTO problem_fts(problem_fts) VALUES('integrity-check');"
				"INSERT INTO task_fts(task_fts) VALUES('integrity-check');", NULL) == 0 &&
		    db_int(db, "SELECT (SELECT count(*) FROM (SELECT phone_hash, problem_id FROM problem_pii WHERE phone_hash "
			       "IS NOT NULL EXCEPT SELECT phone_hash, problem_id FROM phone_index)) + (SELECT count(*) FROM "
			       "(SELECT phone_hash, problem_id FROM phone_index EXCEPT SELECT phone_hash, problem_id FROM "
			       "problem_pii))", 0, 0) == 0;
	if (out)
		fprintf(out, "full-text indexes: %s\n", r->fts_ok ? "ok" : "INCONSISTENT");
	if (store_connect(rpath, 0, 1, &replay, err) || db_exec(replay, "PRAGMA synchronous=OFF", err) ||
	    store_migrate(replay, key, 0, err)) /* a fresh database: no migration writes an event */
		goto out;
	if (db_exec(db, "BEGIN", err)) /* one snapshot for chain and comparison */
		goto out;
	if (verify_chain(db, replay, key, r, err))
		goto out;
	report_chain(out, r);
	check_auth(db, r, out); /* in the same snapshot as the chain */
	if (r->chain_ok && out)
		fprintf(out, "replay: applied %lld events\n", (long long)r->events);
	char attach[4300];
	struct buf q;
	buf_init(&q);
	buf_puts(&q, "ATTACH DATABASE ? AS r");
	st = NULL;
	snprintf(attach, sizeof attach, "%s", rpath);
	db_close(replay);
	replay = NULL;
	db_exec(db, "COMMIT", NULL);
	if (sqlite3_prepare_v2(db_lite(db), q.p, -1, &st, NULL) != SQLITE_OK) {
		buf_free(&q);
		db_fail(db, err);
		goto out;
	}
	buf_free(&q);
	sqlite3_bind_text(st, 1, attach, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (r->chain_ok && r->replay_ok)
		compare(r, lite_diff, db); /* a partial replay (broken chain) says nothing about projections */
	report_projections(out, r);
	db_exec(db, "DETACH DATABASE r", NULL);
	rc = (r->integrity_ok && r->fts_ok && r->chain_ok && r->replay_ok && r->auth_ok) ? 0 : -1;
	if (rc)
		qd_fail(err, QD_EINTERNAL, NULL, "数据库检查未通过", "database check failed");
out:
	sodium_memzero(key, sizeof key);
	db_close(replay);
	db_close(db);
	replay_unlink(rpath);
	return rc;
}

int store_backup(const char *path, const char *to, struct qd_err *err)
{
	db_conn *src = NULL, *dst = NULL;
	sqlite3 *dl = NULL;
	int rc = -1;
	if (access(path, R_OK) != 0) {
		qd_fail(err, QD_ENOTFOUND, "db", "数据库 %s 不存在", "database %s does not exist", path, path);
		return -1;
	}
	if (access(to, F_OK) == 0) {
		qd_fail(err, QD_ECONFLICT, "to", "目标文件 %s 已存在", "target %s already exists", to, to);
		return -1;
	}
	if (store_connect(path, 1, 0, &src, err))
		goto out;
	int orc = sqlite3_open_v2(to, &dl, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	dst = db_wrap_lite(dl);
	if (orc != SQLITE_OK) {
		qd_fail(err, QD_EINTERNAL, "to", "无法创建 %s", "cannot create %s", to, to);
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dl, "main", db_lite(src), "main");
	if (!b) {
		db_fail(dst, err);
		goto out;
	}
	int step;
	while ((step = sqlite3_backup_step(b, 1024)) == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED)
		if (step != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		db_fail(dst, err);
		goto out;
	}
	rc = db_exec(dst, "PRAGMA journal_mode=WAL", err);
out:
	db_close(src);
	if (dst)
		db_close(dst);
	else
		sqlite3_close_v2(dl);
	return rc;
}

int store_log(const char *path, FILE *out, struct qd_err *err)
{
	int pg = pg_is_uri(path);
	if (!pg && access(path, R_OK) != 0)
		return qd_fail(err, QD_ENOTFOUND, "db", "数据库 %s 不存在", "database %s does not exist", path, path);
	db_conn *db = NULL;
	if (pg ? db_pg_open(path, &db, err) : store_connect(path, 1, 0, &db, err))
		return -1;
	db_stmt *st = db_prepare(db, pg ? "SELECT seq, at, actor, kind, entity, entity_id, payload, encode(hash, 'hex') FROM event "
					  "ORDER BY seq"
					: "SELECT seq, at, actor, kind, entity, entity_id, payload, lower(hex(hash)) FROM event "
					  "ORDER BY seq");
	if (!st) {
		db_fail(db, err);
		db_close(db);
		return -1;
	}
	int64_t bad = 0, first_bad = 0;
	struct qd_err e;
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack("{sI sI sI ss ss sI ss}", "seq", (json_int_t)db_col_int64(st, 0), "at",
				      (json_int_t)db_col_int64(st, 1), "actor", (json_int_t)db_col_int64(st, 2),
				      "kind", db_col_text(st, 3), "entity",
				      db_col_text(st, 4), "entity_id",
				      (json_int_t)db_col_int64(st, 5), "hash", db_col_text(st, 7));
		json_t *p = payload_json(st, 6, &e);
		if (p) {
			json_object_set_new(o, "payload", p);
		} else {
			json_object_set_new(o, "error", json_string(e.en));
			if (!bad++)
				first_bad = db_col_int64(st, 0);
		}
		char *line = json_dumps(o, JSON_COMPACT);
		fprintf(out, "%s\n", line);
		free(line);
		json_decref(o);
	}
	db_done(st);
	db_close(db);
	if (bad)
		return qd_fail(err, QD_EINTERNAL, "payload", "%lld 个事件无法读取（第一个：%lld）",
			       "%lld events cannot be read (the first: %lld)", (long long)bad, (long long)first_bad,
			       (long long)bad, (long long)first_bad);
	return 0;
}
