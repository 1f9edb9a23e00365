/* db.c — the store's SQL connections and statements (db.h): statement reuse, binding, rows as
 * JSON, over either backend.  What only SQLite does is here; what only PostgreSQL does is in
 * db_pg.c, and each function below that must differ asks which backend its connection is. */
#include "store/db.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/db_pg.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our statements carry a marker comment at the front of their SQL text: a SQLite connection
 * also holds statements SQLite's FTS5 prepared for itself, which only it may finalize. */
#define MARK "/*qd*/"
#define MARKLEN 6

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

db_conn *db_wrap_lite(sqlite3 *lite)
{
	if (!lite)
		return NULL;
	db_conn *db = xcalloc(1, sizeof *db);
	db->lite = lite;
	return db;
}

static db_stmt *stmt_new(db_conn *db, const char *sql, uint64_t h)
{
	db_stmt *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->hash = h;
	st->sql = xstrdup(sql);
	if (db->lite) {
		size_t n = strlen(sql);
		char *text = xmalloc(n + MARKLEN + 1);
		snprintf(text, n + MARKLEN + 1, "%s%s", MARK, sql);
		/* sql: db_prepare's statement, checked at its callers */
		int rc = sqlite3_prepare_v3(db->lite, text, -1, SQLITE_PREPARE_PERSISTENT, &st->lite, NULL);
		free(text);
		if (rc != SQLITE_OK) {
			log_error("sql prepare failed: %s: %s", sqlite3_errmsg(db->lite), sql);
			free(st->sql);
			free(st);
			return NULL;
		}
	} else if (db_pg_stmt_init(st)) {
		free(st->sql);
		free(st);
		return NULL;
	}
	if (db->nst == db->capst) {
		db->capst = db->capst ? db->capst * 2 : 32;
		db->st = xrealloc(db->st, (size_t)db->capst * sizeof(db_stmt *));
	}
	db->st[db->nst++] = st;
	return st;
}

db_stmt *db_prepare(db_conn *db, const char *sql)
{
	uint64_t h = sql_hash(sql);
	for (int i = 0; i < db->nst; i++) {
		db_stmt *st = db->st[i];
		if (!st->busy && st->hash == h && strcmp(st->sql, sql) == 0) {
			st->busy = 1;
			return st;
		}
	}
	db_stmt *st = stmt_new(db, sql, h);
	if (st)
		st->busy = 1;
	return st;
}

int db_done(db_stmt *st)
{
	if (!st)
		return 0;
	st->busy = 0;
	if (!st->lite)
		return db_pg_done(st);
	int rc = sqlite3_reset(st->lite);
	if (rc != SQLITE_OK)
		log_error("sql step failed: %s: %s", sqlite3_errmsg(st->db->lite), st->sql);
	sqlite3_clear_bindings(st->lite);
	return rc == SQLITE_OK ? 0 : -1;
}

void db_finalize_all(db_conn *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->nst; i++) {
		db_stmt *st = db->st[i];
		if (st->lite)
			sqlite3_finalize(st->lite);
		else
			db_pg_stmt_free(st);
		free(st->sql);
		free(st);
	}
	free(db->st);
	db->st = NULL;
	db->nst = db->capst = 0;
}

void db_close(db_conn *db)
{
	if (!db)
		return;
	db_finalize_all(db);
	if (db->lite)
		sqlite3_close_v2(db->lite);
	else
		db_pg_close(db);
	free(db);
}

int db_fail(db_conn *db, struct qd_err *err)
{
	if (db->pg)
		return db_pg_fail(db, err);
	return qd_fail(err, QD_EINTERNAL, NULL, "数据库错误：%s", "database error: %s", sqlite3_errmsg(db->lite),
		       sqlite3_errmsg(db->lite));
}

int db_exec(db_conn *db, const char *sql, struct qd_err *err)
{
	if (db->pg)
		return db_pg_exec(db, sql, err);
	char *msg = NULL;
	if (sqlite3_exec(db->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
		qd_fail(err, QD_EINTERNAL, NULL, "数据库错误：%s", "database error: %s", msg ? msg : "?",
			msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

void db_bind_text(db_stmt *st, int i, const char *s)
{
	if (!st->lite)
		db_pg_bind(st, i, s, s ? strlen(s) : 0, 0);
	else if (s)
		sqlite3_bind_text(st->lite, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->lite, i);
}

void db_bind_int(db_stmt *st, int i, int64_t v)
{
	if (st->lite) {
		sqlite3_bind_int64(st->lite, i, v);
		return;
	}
	char t[24];
	int n = snprintf(t, sizeof t, "%lld", (long long)v);
	db_pg_bind(st, i, t, (size_t)n, 0);
}

void db_bind_id(db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_text(st, i, NULL);
}

void db_bind_json(db_stmt *st, int i, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (st->lite)
			sqlite3_bind_text(st->lite, i, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
		else
			db_pg_bind(st, i, json_string_value(v), json_string_length(v), 0);
		break;
	case JSON_INTEGER: db_bind_int(st, i, json_integer_value(v)); break;
	case JSON_REAL:
		if (st->lite) {
			sqlite3_bind_double(st->lite, i, json_real_value(v));
		} else {
			char t[32];
			int n = snprintf(t, sizeof t, "%.17g", json_real_value(v));
			db_pg_bind(st, i, t, (size_t)n, 0);
		}
		break;
	case JSON_TRUE: db_bind_int(st, i, 1); break;
	case JSON_FALSE: db_bind_int(st, i, 0); break;
	default: db_bind_text(st, i, NULL);
	}
}

/* The type of column i in the current row, as SQLite reports it (PostgreSQL's from the
 * column's type: integers and booleans are integers, numeric is an integer when it has no
 * fraction, as sum() of integers is in SQLite; bytea is neither, as a BLOB is not). */
static enum row_type col_type(db_stmt *st, int i)
{
	if (!st->lite)
		return db_pg_type(st, i);
	switch (sqlite3_column_type(st->lite, i)) {
	case SQLITE_INTEGER: return ROW_INT;
	case SQLITE_FLOAT: return ROW_REAL;
	case SQLITE_TEXT: return ROW_TEXT;
	default: return ROW_NULL;
	}
}

static double col_real(db_stmt *st, int i)
{
	if (st->lite)
		return sqlite3_column_double(st->lite, i);
	const char *t = db_pg_text(st, i);
	return t ? strtod(t, NULL) : 0;
}

int db_col_count(db_stmt *st)
{
	return st->lite ? sqlite3_column_count(st->lite) : db_pg_col_count(st);
}

const char *db_col_name(db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_name(st->lite, i) : db_pg_col_name(st, i);
}

json_t *db_col_json(db_stmt *st, int i)
{
	switch (col_type(st, i)) {
	case ROW_INT: return json_integer(db_col_int64(st, i));
	case ROW_REAL: return json_real(col_real(st, i));
	case ROW_TEXT:
		if (st->lite)
			return json_stringn((const char *)sqlite3_column_text(st->lite, i),
					    (size_t)sqlite3_column_bytes(st->lite, i));
		return json_string(db_pg_text(st, i));
	default: return json_null();
	}
}

void db_col_write(struct buf *b, db_stmt *st, int i)
{
	switch (col_type(st, i)) {
	case ROW_INT: buf_int(b, (long long)db_col_int64(st, i)); break;
	case ROW_REAL: buf_printf(b, "%.17g", col_real(st, i)); break;
	case ROW_TEXT: buf_json_str(b, db_col_text(st, i)); break;
	default: buf_puts(b, "null");
	}
}

json_t *db_row_json(db_stmt *st)
{
	json_t *o = json_object();
	int n = db_col_count(st);
	for (int i = 0; i < n; i++)
		json_object_set_new(o, db_col_name(st, i), db_col_json(st, i));
	return o;
}

int64_t db_int(db_conn *db, const char *sql, int64_t a, int64_t b)
{
	db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	int np = db_param_count(st);
	if (np >= 1)
		db_bind_int(st, 1, a);
	if (np >= 2)
		db_bind_int(st, 2, b);
	int64_t v = -1;
	if (db_step(st) == DB_ROW)
		v = db_col_int64(st, 0);
	db_done(st);
	return v;
}

json_t *db_get_row(db_conn *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *o = db_step(st) == DB_ROW ? db_row_json(st) : NULL;
	db_done(st);
	return o;
}

json_t *db_get_rows(db_conn *db, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(db, sql);
	if (!st)
		return NULL;
	if (db_param_count(st) >= 1)
		db_bind_int(st, 1, id);
	json_t *arr = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(arr, db_row_json(st));
	if (db_done(st)) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* --- a result row as a struct row (base/row.h) ---------------------------------------------- */

static int r_find(void *impl, const char *col)
{
	struct db_rowimpl *d = impl;
	unsigned h = (unsigned)((uintptr_t)col >> 3) & (DB_ROW_CACHE - 1);
	for (unsigned k = 0; k < DB_ROW_CACHE; k++) {
		unsigned i = (h + k) & (DB_ROW_CACHE - 1);
		if (d->cache[i].key == col)
			return d->cache[i].idx;
		if (!d->cache[i].key) {
			int idx = -1;
			for (int c = 0; c < d->ncol; c++)
				if (strcmp(db_col_name(d->st, c), col) == 0) {
					idx = c;
					break;
				}
			d->cache[i].key = col;
			d->cache[i].idx = idx;
			return idx;
		}
	}
	for (int c = 0; c < d->ncol; c++) /* the cache is full: by name */
		if (strcmp(db_col_name(d->st, c), col) == 0)
			return c;
	return -1;
}

static enum row_type r_type(void *impl, int i)
{
	return col_type(((struct db_rowimpl *)impl)->st, i);
}

static int64_t r_int(void *impl, int i)
{
	return db_col_int64(((struct db_rowimpl *)impl)->st, i);
}

static double r_real(void *impl, int i)
{
	return col_real(((struct db_rowimpl *)impl)->st, i);
}

static const char *r_text(void *impl, int i)
{
	return db_col_text(((struct db_rowimpl *)impl)->st, i);
}

static json_t *r_json(void *impl, int i)
{
	(void)impl;
	(void)i;
	return NULL;
}

static const struct row_ops stmt_ops = {r_find, r_type, r_int, r_real, r_text, r_json};

const struct row_ops *db_row_ops(void)
{
	return &stmt_ops;
}

void db_row_init(struct row *r, struct db_rowimpl *impl, db_stmt *st)
{
	memset(impl, 0, sizeof *impl);
	impl->st = st;
	impl->ncol = db_col_count(st);
	r->ops = &stmt_ops;
	r->impl = impl;
}
