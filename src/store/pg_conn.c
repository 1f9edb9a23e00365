/* pg_conn.c — the libpq steps the store's PostgreSQL files share (store/pg_conn.h). */
#include "store/pg_conn.h"
#include <stdlib.h>
#include <string.h>

int pg_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	PQclear(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
}

char *pg_value(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) >= 1)
		v = strdup(PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

int pg_value_is(PGconn *c, const char *sql, const char *want)
{
	char *v = pg_value(c, sql);
	if (!v)
		return -1;
	int eq = !strcmp(v, want);
	free(v);
	return eq;
}

void pg_text(struct buf *out, const char *text)
{
	size_t start = out->len;
	buf_puts(out, text); /* fmt: libpq's message into a message buffer; whoever shows it escapes it */
	while (out->len > start && (out->p[out->len - 1] == '\n' || out->p[out->len - 1] == ' '))
		out->p[--out->len] = 0;
}

void pg_message(PGconn *c, struct buf *out)
{
	pg_text(out, c ? PQerrorMessage(c) : "out of memory");
}
