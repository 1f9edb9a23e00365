/* pg_conn.h — store-internal: the few libpq steps every PostgreSQL file of the store takes
 * (pg.c, pg_migrate.c, and the backend to come): a statement run for success, one value read,
 * the server's message of the last failure.  Not for use outside src/store/. */
#ifndef QD_STORE_PG_CONN_H
#define QD_STORE_PG_CONN_H
#include "base/buf.h"
#include <libpq-fe.h>

/* Run sql on c: 0 when it succeeded (a command, or rows), -1 otherwise (pg_message says why). */
int pg_exec(PGconn *c, const char *sql);
/* The one value of a one-row query, copied (free; "" for NULL), or NULL when it failed or did
 * not answer exactly one row. */
char *pg_value(PGconn *c, const char *sql);
/* Whether that value equals want: 1 or 0, -1 when the query failed. */
int pg_value_is(PGconn *c, const char *sql, const char *want);
/* Append the server's message of the last failure on c (NULL: out of memory), without its
 * trailing newline. */
void pg_message(PGconn *c, struct buf *out);
/* Append text (a libpq message) without its trailing newline and spaces. */
void pg_text(struct buf *out, const char *text);

#endif
