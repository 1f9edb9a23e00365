/* db.h — small helpers over a SQLite connection, for src/store/ only: cached prepared
 * statements, binding, rows as JSON. */
#ifndef QD_DB_H
#define QD_DB_H
#include "base/buf.h"
#include "base/err.h"
#include "base/row.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

/* A prepared statement for sql on db, reused across calls: the connection's statements are
 * searched for an idle one with the same text, else a persistent one is prepared.  Finish with
 * db_done().  Returns NULL (and logs) only on a SQL error, i.e. a bug. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);
/* Reset and clear bindings so the statement can be found again.  0, or -1 (logged with the
 * statement's SQL) when its last step failed — a read loop `while (sqlite3_step(st) == SQLITE_ROW)`
 * ends on an error as on the last row, so a caller that answers with what it read checks this
 * and fails rather than answer a short result. */
int db_done(sqlite3_stmt *st);
/* Finalize every statement of db (before sqlite3_close). */
void db_finalize_all(sqlite3 *db);
/* Execute SQL without results; 0 or -1 with err (QD_EINTERNAL, message from SQLite). */
int db_exec(sqlite3 *db, const char *sql, struct qd_err *err);
int db_fail(sqlite3 *db, struct qd_err *err);

void db_bind_text(sqlite3_stmt *st, int i, const char *s); /* NULL binds NULL */
void db_bind_int(sqlite3_stmt *st, int i, int64_t v);
void db_bind_id(sqlite3_stmt *st, int i, int64_t v);      /* 0 binds NULL */
/* Bind a JSON scalar (string, integer, real, true/false → 1/0, null). */
void db_bind_json(sqlite3_stmt *st, int i, json_t *v);

/* The current row as a JSON object {column: value} (caller owns). */
json_t *db_row_json(sqlite3_stmt *st);
/* The one row of sql (one integer parameter, e.g. an id) as a JSON object, or NULL. */
json_t *db_get_row(sqlite3 *db, const char *sql, int64_t id);
/* Every row of sql (its one parameter, if it has one, bound to id) as a new array of JSON objects,
 * or NULL when the query fails (logged by db_done): never a short list. */
json_t *db_get_rows(sqlite3 *db, const char *sql, int64_t id);
/* Text column as a JSON string or null. */
json_t *db_col_json(sqlite3_stmt *st, int i);
/* Append column i of the current row as a JSON value (number, string or null). */
void db_col_write(struct buf *b, sqlite3_stmt *st, int i);
/* Single integer from a query with up to two int params (-1 on error or no row). */
int64_t db_int(sqlite3 *db, const char *sql, int64_t a, int64_t b);

/* The current row of a statement as a struct row (base/row.h); impl lives as long as r.  The
 * column lookups are cached by the name's pointer, so one impl serves every row of st. */
#define DB_ROW_CACHE 128
struct db_rowimpl {
	sqlite3_stmt *st;
	int ncol;
	struct {
		const char *key;
		int idx;
	} cache[DB_ROW_CACHE];
};
void db_row_init(struct row *r, struct db_rowimpl *impl, sqlite3_stmt *st);
/* The operations of such a row, for a row that extends one (store/task.c: a list row with
 * looked-up names after the statement's columns). */
const struct row_ops *db_row_ops(void);

#endif
