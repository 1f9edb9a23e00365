/* db_pg.h — store-internal: the PostgreSQL backend of db.h over libpq (db_pg.c) — opening a
 * connection, what db.c hands to it, and what the writer needs to know of a connection that was
 * lost.  Not for use outside src/store/. */
#ifndef QD_STORE_DB_PG_H
#define QD_STORE_DB_PG_H
#include "store/db.h"
#include <libpq-fe.h>

/* Open a connection to uri (a postgres:// URI or key=value string, several hosts allowed):
 * target_session_attrs=read-write unless uri says otherwise (every reader reads the primary:
 * what was acknowledged is read back at once), short TCP keepalives so a dead primary is noticed
 * in seconds, client encoding UTF8.  0, or -1 with err naming the server's message. */
int db_pg_open(const char *uri, db_conn **out, struct qd_err *err);

/* Whether the connection was lost (a statement failed and libpq reports it bad). */
int db_pg_broken(db_conn *db);
/* Connect again (the same URI: with several hosts, whichever is now the primary); the
 * statements are prepared again on their next use.  0, or -1 (still lost). */
int db_pg_reconnect(db_conn *db);
/* The libpq connection (for LISTEN and COPY). */
PGconn *db_pg_conn(db_conn *db);
/* The SQLSTATE of the last failed statement on db ("" when none). */
const char *db_pg_sqlstate(db_conn *db);

/* For db.c. */
int db_pg_stmt_init(db_stmt *st);
void db_pg_stmt_free(db_stmt *st);
int db_pg_done(db_stmt *st);
void db_pg_close(db_conn *db);
int db_pg_fail(db_conn *db, struct qd_err *err);
int db_pg_exec(db_conn *db, const char *sql, struct qd_err *err);
enum row_type db_pg_type(db_stmt *st, int i);
int db_pg_col_count(db_stmt *st);
const char *db_pg_col_name(db_stmt *st, int i);

#endif
