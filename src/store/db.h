/* db.h — the store's SQL connection and statements, for src/store/ only: cached prepared
 * statements, binding, stepping, columns, rows as JSON — over either backend.
 *
 * The query files (org.c, problem.c, task.c, visit.c, session.c, item.c, text.c, event.c,
 * filter.c, cache.c) speak SQL only through these names, never sqlite3_* or PQ*: a db_conn is a
 * SQLite connection (db.c) or a PostgreSQL one over libpq (db_pg.c), chosen when it is opened,
 * and every function below works on both.  The SQL they pass is written once, in the common
 * dialect (SQLite's ? parameters, rewritten for PostgreSQL by sql_params.c); where the two must
 * differ a query asks db_is_pg().  What is SQLite's alone (WAL, FTS5, backup, check's ATTACH)
 * stays in store.c, search.c, check.c, upgrade.c, remask.c and payload.c, which reach the SQLite
 * handle with db_lite(). */
#ifndef QD_DB_H
#define QD_DB_H
#include "base/buf.h"
#include "base/err.h"
#include "base/row.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct db_pg;   /* db_pg.c: a libpq connection and what the store keeps with it */
struct db_pgst; /* db_pg.c: a statement's parameters and result */

/* A connection: exactly one of lite and pg is set.  The statements prepared on it (db_prepare)
 * are its own: an array that grows (never a refusal), each found again by its SQL text. */
typedef struct db_conn {
	sqlite3 *lite;
	struct db_pg *pg;
	struct db_stmt **st;
	int nst, capst;
} db_conn;

typedef struct db_stmt {
	db_conn *db;
	sqlite3_stmt *lite; /* SQLite: the prepared statement */
	struct db_pgst *pg; /* PostgreSQL */
	char *sql;          /* as given to db_prepare */
	uint64_t hash;      /* of sql */
	int busy;           /* handed out by db_prepare, not yet db_done */
} db_stmt;

/* db_step's answers: a row is ready, or the statement is done (anything else is an error). */
#define DB_ROW SQLITE_ROW
#define DB_DONE SQLITE_DONE

/* The PostgreSQL side of the functions below (db_pg.c). */
int db_pg_step(db_stmt *st);
int64_t db_pg_int64(db_stmt *st, int i);
const char *db_pg_text(db_stmt *st, int i);
int db_pg_null(db_stmt *st, int i);
const void *db_pg_blob(db_stmt *st, int i, size_t *n);
void db_pg_bind(db_stmt *st, int i, const char *v, size_t n, int binary);
int64_t db_pg_changes(db_conn *db);
int db_pg_in_tx(db_conn *db);
const char *db_pg_errmsg(db_conn *db);
int db_pg_param_count(db_stmt *st);
void db_pg_reset(db_stmt *st);

static inline int db_is_pg(const db_conn *db)
{
	return db->pg != NULL;
}
/* The SQLite handle of a SQLite connection (NULL for PostgreSQL): for SQLite's own files. */
static inline sqlite3 *db_lite(db_conn *db)
{
	return db->lite;
}
static inline int db_step(db_stmt *st)
{
	return st->lite ? sqlite3_step(st->lite) : db_pg_step(st);
}
static inline int64_t db_col_int64(db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_int64(st->lite, i) : db_pg_int64(st, i);
}
static inline int db_col_int(db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_int(st->lite, i) : (int)db_pg_int64(st, i);
}
/* Text of column i (NULL for NULL), valid until the next step. */
static inline const char *db_col_text(db_stmt *st, int i)
{
	return st->lite ? (const char *)sqlite3_column_text(st->lite, i) : db_pg_text(st, i);
}
static inline int db_col_null(db_stmt *st, int i)
{
	return st->lite ? sqlite3_column_type(st->lite, i) == SQLITE_NULL : db_pg_null(st, i);
}
/* Bytes of a BLOB column (*n of them), valid until the next step. */
static inline const void *db_col_blob(db_stmt *st, int i, size_t *n)
{
	if (!st->lite)
		return db_pg_blob(st, i, n);
	const void *p = sqlite3_column_blob(st->lite, i);
	*n = (size_t)sqlite3_column_bytes(st->lite, i);
	return p;
}
static inline void db_bind_blob(db_stmt *st, int i, const void *p, size_t n)
{
	if (st->lite)
		sqlite3_bind_blob64(st->lite, i, p ? p : "", n, SQLITE_TRANSIENT);
	else
		db_pg_bind(st, i, p ? p : "", n, 1);
}
/* Rows the last INSERT/UPDATE/DELETE on db changed. */
static inline int64_t db_changes(db_conn *db)
{
	return db->lite ? sqlite3_changes64(db->lite) : db_pg_changes(db);
}
/* Whether db is inside a transaction. */
static inline int db_in_tx(db_conn *db)
{
	return db->lite ? !sqlite3_get_autocommit(db->lite) : db_pg_in_tx(db);
}
static inline const char *db_errmsg(db_conn *db)
{
	return db->lite ? sqlite3_errmsg(db->lite) : db_pg_errmsg(db);
}
static inline int db_param_count(db_stmt *st)
{
	return st->lite ? sqlite3_bind_parameter_count(st->lite) : db_pg_param_count(st);
}
/* Step st back to its start, its bindings kept. */
static inline void db_reset(db_stmt *st)
{
	if (st->lite)
		sqlite3_reset(st->lite);
	else
		db_pg_reset(st);
}

/* A SQLite connection as a db_conn (the caller's handle is now the db_conn's: db_close closes
 * it), or NULL when lite is NULL. */
db_conn *db_wrap_lite(sqlite3 *lite);
/* Finalize every statement and close the connection (either backend); NULL is fine. */
void db_close(db_conn *db);

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
/* Columns of st's result and the name of column i. */
int db_col_count(db_stmt *st);
const char *db_col_name(db_stmt *st, int i);
/* The operations of such a row, for a row that extends one (store/task.c: a list row with
 * looked-up names after the statement's columns). */
const struct row_ops *db_row_ops(void);

#endif
