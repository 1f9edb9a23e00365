/* db.h — the store's SQL connection and statements, for src/store/ only: cached prepared
 * statements, binding, stepping, columns, rows as JSON.
 *
 * The query files (org.c, problem.c, task.c, visit.c, session.c, item.c, text.c, event.c,
 * filter.c, cache.c) speak SQL only through these names, never sqlite3_* — so that the second
 * backend (PostgreSQL over libpq, issue 8) is a second implementation of this header, not a
 * second copy of every query.  Today db_conn and db_stmt are SQLite's own types and the small
 * functions below are inline (no cost); what is SQLite's alone (connections, WAL, FTS5, backup,
 * check's ATTACH) stays in store.c, search.c, check.c, upgrade.c, remask.c and payload.c. */
#ifndef QD_DB_H
#define QD_DB_H
#include "base/buf.h"
#include "base/err.h"
#include "base/row.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef sqlite3 db_conn;
typedef sqlite3_stmt db_stmt;

/* db_step's answers: a row is ready, or the statement is done (anything else is an error). */
#define DB_ROW SQLITE_ROW
#define DB_DONE SQLITE_DONE

static inline int db_step(db_stmt *st)
{
	return sqlite3_step(st);
}
static inline int64_t db_col_int64(db_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}
static inline int db_col_int(db_stmt *st, int i)
{
	return sqlite3_column_int(st, i);
}
/* Text of column i (NULL for NULL), valid until the next step. */
static inline const char *db_col_text(db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}
static inline int db_col_null(db_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}
/* Bytes of a BLOB column (*n of them), valid until the next step. */
static inline const void *db_col_blob(db_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(st, i);
	*n = (size_t)sqlite3_column_bytes(st, i);
	return p;
}
static inline void db_bind_blob(db_stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(st, i, p ? p : "", n, SQLITE_TRANSIENT);
}
/* Rows the last INSERT/UPDATE/DELETE on db changed. */
static inline int64_t db_changes(db_conn *db)
{
	return sqlite3_changes64(db);
}
/* Whether db is inside a transaction. */
static inline int db_in_tx(db_conn *db)
{
	return !sqlite3_get_autocommit(db);
}
static inline const char *db_errmsg(db_conn *db)
{
	return sqlite3_errmsg(db);
}
static inline int db_param_count(db_stmt *st)
{
	return sqlite3_bind_parameter_count(st);
}
/* Step st back to its start, its bindings kept. */
static inline void db_reset(db_stmt *st)
{
	sqlite3_reset(st);
}

/* A prepared statement for sql on db, reused across calls: the connection's statements are
 * searched for an idle one with the same text, else a persistent one is prepared.  Finish with
 * db_done().  Returns NULL (and logs) only on a SQL error, i.e. a bug. */
db_stmt *db_prepare(db_conn *db, const char *sql);
/* Reset and clear bindings so the statement can be found again.  0, or -1 (logged with the
 * statement's SQL) when its last step failed — a read loop `while (db_step(st) == DB_ROW)`
 * ends on an error as on the last row, so a caller that answers with what it read checks this
 * and fails rather than answer a short result. */
int db_done(db_stmt *st);
/* Finalize every statement of db (before it is closed). */
void db_finalize_all(db_conn *db);
/* Execute SQL without results; 0 or -1 with err (QD_EINTERNAL, the database's message). */
int db_exec(db_conn *db, const char *sql, struct qd_err *err);
int db_fail(db_conn *db, struct qd_err *err);

void db_bind_text(db_stmt *st, int i, const char *s); /* NULL binds NULL */
void db_bind_int(db_stmt *st, int i, int64_t v);
void db_bind_id(db_stmt *st, int i, int64_t v);      /* 0 binds NULL */
/* Bind a JSON scalar (string, integer, real, true/false → 1/0, null). */
void db_bind_json(db_stmt *st, int i, json_t *v);

/* The current row as a JSON object {column: value} (caller owns). */
json_t *db_row_json(db_stmt *st);
/* The one row of sql (one integer parameter, e.g. an id) as a JSON object, or NULL. */
json_t *db_get_row(db_conn *db, const char *sql, int64_t id);
/* Every row of sql (its one parameter, if it has one, bound to id) as a new array of JSON objects,
 * or NULL when the query fails (logged by db_done): never a short list. */
json_t *db_get_rows(db_conn *db, const char *sql, int64_t id);
/* Text column as a JSON string or null. */
json_t *db_col_json(db_stmt *st, int i);
/* Append column i of the current row as a JSON value (number, string or null). */
void db_col_write(struct buf *b, db_stmt *st, int i);
/* Single integer from a query with up to two int params (-1 on error or no row). */
int64_t db_int(db_conn *db, const char *sql, int64_t a, int64_t b);

/* The current row of a statement as a struct row (base/row.h); impl lives as long as r.  The
 * column lookups are cached by the name's pointer, so one impl serves every row of st. */
#define DB_ROW_CACHE 128
struct db_rowimpl {
	db_stmt *st;
	int ncol;
	struct {
		const char *key;
		int idx;
	} cache[DB_ROW_CACHE];
};
void db_row_init(struct row *r, struct db_rowimpl *impl, db_stmt *st);
/* The operations of such a row, for a row that extends one (store/task.c: a list row with
 * looked-up names after the statement's columns). */
const struct row_ops *db_row_ops(void);

#endif
