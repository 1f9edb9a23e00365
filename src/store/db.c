/* db.c — SQLite helpers for the store: statement reuse, binding, rows as JSON. */
#include "store/db.h"
#include "base/log.h"
#include <stdint.h>
#include <string.h>

/* Our statements carry a marker comment at the front of their SQL text: the connection also
 * holds statements SQLite's FTS5 prepared for itself, which only it may finalize. */
#define MARK "/*qd*/"
#define MARKLEN 6

static int ours(sqlite3_stmt *st)
{
	const char *sql = sqlite3_sql(st);
	return sql && strncmp(sql, MARK, MARKLEN) == 0;
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
		if (!sqlite3_stmt_busy(st) && ours(st) && strcmp(sqlite3_sql(st) + MARKLEN, sql) == 0)
			return st;
	size_t n = strlen(sql);
	char *text = sqlite3_malloc64(n + MARKLEN + 1);
	if (!text)
		return NULL;
	memcpy(text, MARK, MARKLEN);
	memcpy(text + MARKLEN, sql, n);
	text[MARKLEN + n] = 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	sqlite3_free(text);
	if (rc != SQLITE_OK) {
		log_error("sql prepare failed: %s: %s", sqlite3_errmsg(db), sql);
		return NULL;
	}
	return st;
}

int db_done(sqlite3_stmt *st)
{
	if (!st)
		return 0;
	int rc = sqlite3_reset(st);
	if (rc != SQLITE_OK)
		log_error("sql step failed: %s: %s", sqlite3_errmsg(sqlite3_db_handle(st)), sqlite3_sql(st));
	sqlite3_clear_bindings(st);
	return rc == SQLITE_OK ? 0 : -1;
}

void db_finalize_all(sqlite3 *db)
{
	sqlite3_stmt *st = sqlite3_next_stmt(db, NULL);
	while (st) {
		sqlite3_stmt *next = sqlite3_next_stmt(db, st);
		if (ours(st))
			sqlite3_finalize(st);
		st = next;
	}
}

int db_fail(sqlite3 *db, struct qd_err *err)
{
	return qd_fail(err, QD_EINTERNAL, NULL, "数据库错误：%s", "database error: %s", sqlite3_errmsg(db),
		       sqlite3_errmsg(db));
}

int db_exec(sqlite3 *db, const char *sql, struct qd_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		qd_fail(err, QD_EINTERNAL, NULL, "数据库错误：%s", "database error: %s", msg ? msg : "?",
			msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void db_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

void db_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void db_bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT); break;
	case JSON_INTEGER: sqlite3_bind_int64(st, i, json_integer_value(v)); break;
	case JSON_REAL: sqlite3_bind_double(st, i, json_real_value(v)); break;
	case JSON_TRUE: sqlite3_bind_int(st, i, 1); break;
	case JSON_FALSE: sqlite3_bind_int(st, i, 0); break;
	default: sqlite3_bind_null(st, i);
	}
}

json_t *db_col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
	case SQLITE_TEXT: return json_stringn((const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
	default: return json_null();
	}
}

void db_col_write(struct buf *b, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: buf_int(b, (long long)sqlite3_column_int64(st, i)); break;
	case SQLITE_FLOAT: buf_printf(b, "%.17g", sqlite3_column_double(st, i)); break;
	case SQLITE_TEXT: buf_json_str(b, (const char *)sqlite3_column_text(st, i)); break;
	default: buf_puts(b, "null");
	}
}

json_t *db_row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++)
		json_object_set_new(o, sqlite3_column_name(st, i), db_col_json(st, i));
	return o;
}

int64_t db_int(sqlite3 *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	int np = sqlite3_bind_parameter_count(st);
	if (np >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (np >= 2)
		sqlite3_bind_int64(st, 2, b);
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	db_done(st);
	return v;
}

json_t *db_get_row(sqlite3 *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *o = sqlite3_step(st) == SQLITE_ROW ? db_row_json(st) : NULL;
	db_done(st);
	return o;
}

json_t *db_get_rows(sqlite3 *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return NULL;
	if (sqlite3_bind_parameter_count(st) >= 1)
		db_bind_int(st, 1, id);
	json_t *arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
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
				if (strcmp(sqlite3_column_name(d->st, c), col) == 0) {
					idx = c;
					break;
				}
			d->cache[i].key = col;
			d->cache[i].idx = idx;
			return idx;
		}
	}
	for (int c = 0; c < d->ncol; c++) /* the cache is full: by name */
		if (strcmp(sqlite3_column_name(d->st, c), col) == 0)
			return c;
	return -1;
}

static enum row_type r_type(void *impl, int i)
{
	struct db_rowimpl *d = impl;
	switch (sqlite3_column_type(d->st, i)) {
	case SQLITE_INTEGER: return ROW_INT;
	case SQLITE_FLOAT: return ROW_REAL;
	case SQLITE_TEXT: return ROW_TEXT;
	default: return ROW_NULL;
	}
}

static int64_t r_int(void *impl, int i)
{
	return sqlite3_column_int64(((struct db_rowimpl *)impl)->st, i);
}

static double r_real(void *impl, int i)
{
	return sqlite3_column_double(((struct db_rowimpl *)impl)->st, i);
}

static const char *r_text(void *impl, int i)
{
	return (const char *)sqlite3_column_text(((struct db_rowimpl *)impl)->st, i);
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

void db_row_init(struct row *r, struct db_rowimpl *impl, sqlite3_stmt *st)
{
	memset(impl, 0, sizeof *impl);
	impl->st = st;
	impl->ncol = sqlite3_column_count(st);
	r->ops = &stmt_ops;
	r->impl = impl;
}
