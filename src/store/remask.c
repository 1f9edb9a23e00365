/* remask.c — `qingdan remask`: rebuild the masked free text of the projections from the sealed
 * originals in the event log, under the masking rules of this program.  It changes no event.
 * Every event with free text is re-projected in order (only its text columns, onto rows that
 * exist), so the result equals what a full replay would give; `check` compares exactly that. */
#include "store/remask.h"
#include "base/buf.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/db_pg.h"
#include "store/pg.h"
#include "store/payload.h"
#include "store/internal.h"
#include "store/schema.h"
#include "store/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of t that hold free text, as "a,b" (empty when none). */
static void text_cols(const struct schema_table *t, struct buf *b)
{
	const char *cols[8];
	int n = schema_text_cols(t, cols, 8);
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "," : "", cols[i]); /* sql-ident: schema column names */
}

static int snapshot(db_conn *db, int drop, int64_t *changed, struct qd_err *err)
{
	int n;
	const struct schema_table *t = schema_tables(&n);
	/* the schemas a table and a temporary table are named in */
	const char *main_ = db_is_pg(db) ? "" : "main.", *temp = db_is_pg(db) ? "pg_temp." : "temp.";
	for (int i = 0; i < n; i++) {
		struct buf cols, sql;
		buf_init(&cols);
		buf_init(&sql);
		text_cols(&t[i], &cols);
		int rc = 0;
		if (cols.len && !drop) {
			buf_printf(&sql, "DROP TABLE IF EXISTS %sremask_%s; CREATE TEMP TABLE remask_%s AS SELECT %s,%s FROM %s\"%s\"", /* sql-ident */
				   temp, t[i].name, t[i].name, t[i].key, cols.p, main_, t[i].name);
			rc = db_exec(db, sql.p, err);
		} else if (cols.len) {
			/* rows whose text differs from the snapshot */
			buf_printf(&sql, "SELECT count(*) FROM (SELECT %s,%s FROM %s\"%s\" EXCEPT SELECT %s,%s FROM %sremask_%s) d", /* sql-ident */
				   t[i].key, cols.p, main_, t[i].name, t[i].key, cols.p, temp, t[i].name);
			int64_t d = db_int(db, sql.p, 0, 0);
			if (d < 0)
				rc = db_fail(db, err);
			else
				*changed += d;
			buf_reset(&sql);
			buf_printf(&sql, "DROP TABLE %sremask_%s", temp, t[i].name); /* sql-ident */
			if (!rc)
				rc = db_exec(db, sql.p, err);
		}
		buf_free(&cols);
		buf_free(&sql);
		if (rc)
			return -1;
	}
	return 0;
}

int store_remask_db(db_conn *db, const unsigned char *key, int64_t *events, int64_t *changed, struct qd_err *err)
{
	*events = 0;
	*changed = 0;
	/* The text index follows every update of an indexed description (its trigger): rows not
	 * yet indexed must be indexed first, or the trigger would delete what was never there. */
	if ((!db_is_pg(db) && search_index_all_in_tx(db, err)) || snapshot(db, 0, changed, err))
		return -1;
	db_stmt *st = db_prepare(db, "SELECT seq, payload FROM event WHERE seq > ? ORDER BY seq LIMIT 2000");
	if (!st)
		return db_fail(db, err);
	int64_t after = 0;
	int rc = 0;
	for (;;) {
		/* In slices: the projections change while the log is read. */
		json_t *slice = json_array();
		int scanned = 0;
		db_bind_int(st, 1, after);
		while (db_step(st) == DB_ROW) {
			scanned++;
			after = db_col_int64(st, 0);
			char *p = payload_column(st, 1, err);
			if (!p) {
				rc = -1;
				break;
			}
			json_t *j = strstr(p, "\"rows\"") ? json_loads(p, 0, NULL) : NULL;
			free(p);
			if (j)
				json_array_append_new(slice, j);
		}
		db_reset(st);
		if (rc) {
			json_decref(slice);
			break;
		}
		size_t i;
		json_t *j;
		json_array_foreach(slice, i, j) {
			if (projection_apply_texts(db, key, j, err)) {
				rc = -1;
				break;
			}
			(*events)++;
		}
		json_decref(slice);
		if (rc || scanned < 2000)
			break;
	}
	db_done(st);
	if (rc)
		return -1;
	return snapshot(db, 1, changed, err);
}

int store_remask(const char *path, const char *key_path, int64_t now, int64_t *events, int64_t *changed,
		 struct qd_err *err)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	char kp[4200];
	snprintf(kp, sizeof kp, "%s.key", path);
	db_conn *db = NULL;
	int rc = -1, version = 0, pg = pg_is_uri(path);
	if ((pg && pg_key_named(key_path, err)) || store_key_read(key_path ? key_path : kp, key, err))
		goto out;
	if (pg ? pg_schema_apply(path, &version, err) || db_pg_open(path, &db, err)
	       : store_connect(path, 0, 0, &db, err) || store_migrate(db, key, now, err))
		goto out;
	/* no writer meanwhile: SQLite's write lock, PostgreSQL's chain head (every server's batch takes it) */
	if (db_exec(db, pg ? "BEGIN; SELECT 1 FROM chain_head WHERE one = 1 FOR UPDATE" : "BEGIN IMMEDIATE", err))
		goto out;
	if (store_remask_db(db, key, events, changed, err) || db_exec(db, "COMMIT", err)) {
		db_exec(db, "ROLLBACK", NULL);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(key, sizeof key);
	db_close(db);
	return rc;
}
