/* db_pg.c — the PostgreSQL backend of db.h over libpq (store/db_pg.h).
 *
 * A statement is prepared on the server (PQprepare, named per connection) the first time it runs
 * on a connection, from the store's SQL with its parameters and the few spellings that differ
 * rewritten (sql_params.c); parameters go as text (bytea as binary), results come back as text
 * and are read as SQLite's column types would be (db.c's col_type): integers and booleans as
 * integers, numeric as an integer when it has no fraction, bytea as a BLOB.  A connection that
 * is lost is noticed by the statement that failed on it (db_pg_broken) and connected again by
 * its owner (db_pg_reconnect), after which every statement is prepared again. */
#include "store/db_pg.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/pg_conn.h"
#include "store/sql_params.h"
#include <stdlib.h>
#include <string.h>

struct db_pg {
	PGconn *c;
	char *uri;
	int64_t changes;   /* rows the last statement changed */
	int gen;           /* connections made: a statement prepared in an older one is prepared again */
	int names;         /* statement names given */
	char state[6];     /* SQLSTATE of the last failure */
	struct buf msg;    /* the server's message of the last failure */
};

struct db_pgst {
	char name[16];
	char *sql;         /* PostgreSQL's spelling */
	int nparams;
	int gen;           /* the connection it was prepared on (0: not yet) */
	int ncols;         /* its result's columns, once described (-1: not yet) */
	PGresult *desc;    /* that description (the columns' names before a step), or NULL */
	char **val;        /* nparams each: owned copies, NULL for NULL */
	int *len, *fmt;
	PGresult *res;
	int row, nrows, failed;
	unsigned char **blob; /* decoded bytea of the current row, per column (PQfreemem) */
	size_t *bloblen;
};

/* OIDs of the built-in types (pg_type.h; stable across versions). */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

static void note_failure(struct db_pg *p, const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(p->state, sizeof p->state, "%s", st ? st : "");
	p->msg.len = 0;
	if (p->msg.p)
		p->msg.p[0] = 0;
	const char *m = r ? PQresultErrorMessage(r) : NULL;
	pg_text(&p->msg, m && *m ? m : PQerrorMessage(p->c));
}

static PGconn *connect_uri(const char *uri)
{
	/* Ours first: a keyword the URI itself names wins (it is expanded after them). */
	const char *const keys[] = {"target_session_attrs", "connect_timeout", "keepalives_idle", "keepalives_interval",
				    "keepalives_count", "tcp_user_timeout", "application_name", "client_encoding",
				    "dbname", NULL};
	const char *const vals[] = {"read-write", "5", "5", "2", "3", "10000", "qingdan", "UTF8", uri, NULL};
	return PQconnectdbParams(keys, vals, 1);
}

int db_pg_open(const char *uri, db_conn **out, struct qd_err *err)
{
	PGconn *c = connect_uri(uri);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		struct buf m;
		buf_init(&m);
		pg_message(c, &m);
		qd_fail(err, QD_EBUSY, "db", "无法连接 PostgreSQL：%s", "cannot connect to PostgreSQL: %s", m.p, m.p);
		buf_free(&m);
		PQfinish(c);
		return -1;
	}
	db_conn *db = xcalloc(1, sizeof *db);
	db->pg = xcalloc(1, sizeof *db->pg);
	db->pg->c = c;
	db->pg->uri = xstrdup(uri);
	db->pg->gen = 1;
	buf_init(&db->pg->msg);
	*out = db;
	return 0;
}

int db_pg_broken(db_conn *db)
{
	return db->pg && PQstatus(db->pg->c) != CONNECTION_OK;
}

int db_pg_reconnect(db_conn *db)
{
	struct db_pg *p = db->pg;
	PGconn *c = connect_uri(p->uri);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return -1;
	}
	PQfinish(p->c);
	p->c = c;
	p->gen++;
	for (int i = 0; i < db->nst; i++) /* results of the old connection are of no use */
		if (db->st[i]->pg && db->st[i]->pg->res) {
			PQclear(db->st[i]->pg->res);
			db->st[i]->pg->res = NULL;
		}
	return 0;
}

PGconn *db_pg_conn(db_conn *db)
{
	return db->pg->c;
}

const char *db_pg_sqlstate(db_conn *db)
{
	return db->pg ? db->pg->state : "";
}

void db_pg_close(db_conn *db)
{
	PQfinish(db->pg->c);
	free(db->pg->uri);
	buf_free(&db->pg->msg);
	free(db->pg);
}

int db_pg_stmt_init(db_stmt *st)
{
	struct db_pgst *q = xcalloc(1, sizeof *q);
	struct buf b;
	buf_init(&b);
	if (sql_params_pg(st->sql, &b, &q->nparams)) {
		log_error("sql cannot be spelled for PostgreSQL: %s", st->sql);
		buf_free(&b);
		free(q);
		return -1;
	}
	q->sql = buf_take(&b);
	snprintf(q->name, sizeof q->name, "q%d", ++st->db->pg->names);
	q->ncols = -1;
	if (q->nparams) {
		q->val = xcalloc((size_t)q->nparams, sizeof *q->val);
		q->len = xcalloc((size_t)q->nparams, sizeof *q->len);
		q->fmt = xcalloc((size_t)q->nparams, sizeof *q->fmt);
	}
	st->pg = q;
	return 0;
}

static void blobs_free(struct db_pgst *q)
{
	if (!q->blob)
		return;
	int n = q->res ? PQnfields(q->res) : 0;
	for (int i = 0; i < n; i++)
		if (q->blob[i]) {
			PQfreemem(q->blob[i]);
			q->blob[i] = NULL;
		}
}

static void result_free(struct db_pgst *q)
{
	blobs_free(q);
	free(q->blob);
	free(q->bloblen);
	q->blob = NULL;
	q->bloblen = NULL;
	PQclear(q->res);
	q->res = NULL;
	q->row = q->nrows = 0;
}

void db_pg_stmt_free(db_stmt *st)
{
	struct db_pgst *q = st->pg;
	if (!q)
		return;
	result_free(q);
	PQclear(q->desc);
	for (int i = 0; i < q->nparams; i++)
		free(q->val[i]);
	free(q->val);
	free(q->len);
	free(q->fmt);
	free(q->sql);
	free(q);
	st->pg = NULL;
}

void db_pg_bind(db_stmt *st, int i, const char *v, size_t n, int binary)
{
	struct db_pgst *q = st->pg;
	if (i < 1 || i > q->nparams)
		return; /* as SQLite: a parameter the statement does not have is not bound */
	free(q->val[i - 1]);
	q->val[i - 1] = NULL;
	q->len[i - 1] = 0;
	q->fmt[i - 1] = binary;
	if (!v)
		return;
	q->val[i - 1] = xmalloc(n + 1);
	memcpy(q->val[i - 1], v, n);
	q->val[i - 1][n] = 0;
	q->len[i - 1] = (int)n;
}

static int fail(db_stmt *st, PGresult *r)
{
	struct db_pg *p = st->db->pg;
	note_failure(p, r);
	log_error("sql failed: %s: %s", p->msg.p ? p->msg.p : "?", st->sql);
	st->pg->failed = 1;
	PQclear(r);
	return SQLITE_ERROR;
}

/* Prepare st on its connection if it is not yet (0, or -1 with the failure noted). */
static int prepare(db_stmt *st)
{
	struct db_pgst *q = st->pg;
	struct db_pg *p = st->db->pg;
	if (q->gen == p->gen)
		return 0;
	/* sql: db_prepare's statement, checked at its callers */
	PGresult *r = PQprepare(p->c, q->name, q->sql, q->nparams, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(st, r);
		return -1;
	}
	PQclear(r);
	q->gen = p->gen;
	return 0;
}

int db_pg_step(db_stmt *st)
{
	struct db_pgst *q = st->pg;
	struct db_pg *p = st->db->pg;
	if (q->failed)
		return SQLITE_ERROR;
	if (q->res) {
		blobs_free(q);
		if (q->row < q->nrows)
			q->row++;
		return q->row < q->nrows ? DB_ROW : DB_DONE;
	}
	if (prepare(st))
		return SQLITE_ERROR;
	PGresult *r = PQexecPrepared(p->c, q->name, q->nparams, (const char *const *)q->val, q->len, q->fmt, 0);
	ExecStatusType rs = PQresultStatus(r);
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK)
		return fail(st, r);
	q->res = r;
	q->row = 0;
	q->nrows = PQntuples(r);
	const char *ct = PQcmdTuples(r);
	p->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
	return q->nrows > 0 ? DB_ROW : DB_DONE;
}

void db_pg_reset(db_stmt *st)
{
	result_free(st->pg);
	st->pg->failed = 0;
}

int db_pg_done(db_stmt *st)
{
	struct db_pgst *q = st->pg;
	int rc = q->failed ? -1 : 0;
	result_free(q);
	q->failed = 0;
	for (int i = 0; i < q->nparams; i++) {
		free(q->val[i]);
		q->val[i] = NULL;
		q->len[i] = q->fmt[i] = 0;
	}
	return rc;
}

int db_pg_param_count(db_stmt *st)
{
	return st->pg->nparams;
}

static int has_row(const struct db_pgst *q, int i)
{
	return q->res && q->row < q->nrows && i >= 0 && i < PQnfields(q->res);
}

int db_pg_null(db_stmt *st, int i)
{
	struct db_pgst *q = st->pg;
	return !has_row(q, i) || PQgetisnull(q->res, q->row, i);
}

const char *db_pg_text(db_stmt *st, int i)
{
	struct db_pgst *q = st->pg;
	if (db_pg_null(st, i))
		return NULL;
	const char *v = PQgetvalue(q->res, q->row, i);
	if (PQftype(q->res, i) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

int64_t db_pg_int64(db_stmt *st, int i)
{
	const char *v = db_pg_text(st, i);
	if (!v)
		return 0;
	if (PQftype(st->pg->res, i) == OID_FLOAT4 || PQftype(st->pg->res, i) == OID_FLOAT8)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

const void *db_pg_blob(db_stmt *st, int i, size_t *n)
{
	struct db_pgst *q = st->pg;
	*n = 0;
	if (db_pg_null(st, i))
		return NULL;
	if (PQftype(q->res, i) != OID_BYTEA) {
		*n = (size_t)PQgetlength(q->res, q->row, i);
		return PQgetvalue(q->res, q->row, i);
	}
	int nf = PQnfields(q->res);
	if (!q->blob) {
		q->blob = xcalloc((size_t)nf, sizeof *q->blob);
		q->bloblen = xcalloc((size_t)nf, sizeof *q->bloblen);
	}
	if (!q->blob[i])
		q->blob[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(q->res, q->row, i), &q->bloblen[i]);
	*n = q->blob[i] ? q->bloblen[i] : 0;
	return q->blob[i];
}

enum row_type db_pg_type(db_stmt *st, int i)
{
	struct db_pgst *q = st->pg;
	if (db_pg_null(st, i))
		return ROW_NULL;
	switch (PQftype(q->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID: return ROW_INT;
	case OID_FLOAT4:
	case OID_FLOAT8: return ROW_REAL;
	case OID_NUMERIC: return strpbrk(PQgetvalue(q->res, q->row, i), ".eEN") ? ROW_REAL : ROW_INT;
	case OID_BYTEA: return ROW_NULL;
	default: return ROW_TEXT;
	}
}

int db_pg_col_count(db_stmt *st)
{
	struct db_pgst *q = st->pg;
	if (q->res)
		return PQnfields(q->res);
	if (q->ncols < 0 && !q->failed && prepare(st) == 0) { /* SQLite knows its columns before a step */
		PGresult *r = PQdescribePrepared(st->db->pg->c, q->name);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			q->ncols = PQnfields(r);
			q->desc = r;
		} else {
			PQclear(r);
		}
	}
	return q->ncols > 0 ? q->ncols : 0;
}

const char *db_pg_col_name(db_stmt *st, int i)
{
	struct db_pgst *q = st->pg;
	const PGresult *r = q->res ? q->res : q->desc;
	if (!r && db_pg_col_count(st) > 0)
		r = q->desc;
	return r && i >= 0 && i < PQnfields(r) ? PQfname(r, i) : "";
}

int64_t db_pg_changes(db_conn *db)
{
	return db->pg->changes;
}

int db_pg_in_tx(db_conn *db)
{
	PGTransactionStatusType t = PQtransactionStatus(db->pg->c);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

const char *db_pg_errmsg(db_conn *db)
{
	return db->pg->msg.p && *db->pg->msg.p ? db->pg->msg.p : PQerrorMessage(db->pg->c);
}

int db_pg_fail(db_conn *db, struct qd_err *err)
{
	const char *m = db_pg_errmsg(db);
	if (db_pg_broken(db))
		return qd_fail(err, QD_EBUSY, NULL, "数据库连接中断，请稍后重试：%s",
			       "the database connection was lost, retry later: %s", m, m);
	return qd_fail(err, QD_EINTERNAL, NULL, "数据库错误：%s", "database error: %s", m, m);
}

int db_pg_exec(db_conn *db, const char *sql, struct qd_err *err)
{
	PGresult *r = PQexec(db->pg->c, sql);
	ExecStatusType rs = PQresultStatus(r);
	if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	note_failure(db->pg, r);
	PQclear(r);
	if (err)
		db_pg_fail(db, err);
	return -1;
}
