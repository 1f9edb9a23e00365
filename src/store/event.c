/* event.c — the event log: appending hash-chained events and applying them to the projection
 * tables (the same apply is used by `check` to replay the log into a fresh database).
 *
 * What an event row holds (schema 6): hash = SHA-256(previous hash ‖ canonical event); the
 * prev_hash column is empty (it is the previous row's hash; events before schema 6 hold it
 * again).  An action's row carries what it changed (store/item.h); a create's rows leave out the
 * columns INSERT would give the same value (create_trim), and every row leaves out the time
 * stamps equal to the event's at (event_stamps_fill restores them before applying).  Replay is
 * otherwise unchanged: a create INSERTs the columns its row names, anything else UPDATEs them.
 * Since schema 7 the payload is stored deflated (store/payload.h); the hash is over the text. */
#include "base/buf.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/payload.h"
#include "store/schema.h"
#include "store/text.h"
#include "store/tx.h"
#include "core/mask.h"
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void event_hash(const unsigned char prev[32], int64_t seq, int64_t at, int64_t actor,
		const char *kind, const char *entity, int64_t entity_id, const char *payload,
		unsigned char out[32])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, 32);
	char head[256];
	int n = snprintf(head, sizeof head, "%lld\n%lld\n%lld\n%s\n%s\n%lld\n", (long long)seq,
			 (long long)at, (long long)actor, kind, entity, (long long)entity_id);
	assert(n > 0 && (size_t)n < sizeof head); /* kind and entity are short names from the code */
	crypto_hash_sha256_update(&h, (const unsigned char *)head, (unsigned long long)n);
	crypto_hash_sha256_update(&h, (const unsigned char *)payload, strlen(payload));
	crypto_hash_sha256_final(&h, out);
}

int store_chain_load(struct store *s, struct qd_err *err)
{
	/* PostgreSQL keeps the head in chain_head, moved by each batch (store.c) */
	db_stmt *st = db_prepare(s->wdb, s->pg ? "SELECT seq, hash FROM chain_head WHERE one = 1"
					       : "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1");
	if (!st)
		return db_fail(s->wdb, err);
	s->last_seq = 0;
	memset(s->last_hash, 0, 32);
	if (db_step(st) == DB_ROW) {
		s->last_seq = db_col_int64(st, 0);
		size_t hn = 0;
		const void *h = db_col_blob(st, 1, &hn);
		if (hn == 32)
			memcpy(s->last_hash, h, 32);
	}
	if (db_done(st))
		return db_fail(s->wdb, err);
	if (!s->pg)
		s->data_version = db_int(s->wdb, "PRAGMA data_version", 0, 0);
	return 0;
}

/* The SQL of an upsert depends only on (table, columns present, insert or update): it is built
 * once per shape for the process, then found again by db_prepare.  Since rows carry what an
 * action changed (store/item.h) there are a few dozen shapes; past the table's slots a shape goes
 * on an overflow list that grows (never a refusal). */
#define SQL_CACHE 256
struct sql_shape {
	const struct schema_table *t;
	uint64_t mask;
	int update;
	char *sql;
	struct sql_shape *next; /* the overflow list */
};
static pthread_mutex_t sql_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sql_shape sql_cache[SQL_CACHE];
static struct sql_shape *sql_more;

static char *row_sql_build(const struct schema_table *t, uint64_t mask, int update)
{
	struct buf b;
	buf_init(&b);
	int n = 0;
	if (update) {
		buf_printf(&b, "UPDATE \"%s\" SET ", t->name); /* sql-ident */
		for (int c = 0; t->cols[c]; c++)
			if ((mask >> c & 1) && strcmp(t->cols[c], t->key) != 0)
				/* sql-ident: the schema table's column names */
				buf_printf(&b, "%s%s=?", n++ ? "," : "", t->cols[c]);
		buf_printf(&b, " WHERE %s=?", t->key); /* sql-ident */
	} else {
		buf_printf(&b, "INSERT INTO \"%s\"(", t->name); /* sql-ident */
		for (int c = 0; t->cols[c]; c++)
			if (mask >> c & 1)
				/* sql-ident: the schema table's column names */
				buf_printf(&b, "%s%s", n++ ? "," : "", t->cols[c]);
		buf_puts(&b, ") VALUES(");
		for (int c = 0; c < n; c++)
			buf_puts(&b, c ? ",?" : "?");
		buf_puts(&b, ")");
	}
	return buf_take(&b);
}

static const char *row_sql_locked(const struct schema_table *t, uint64_t mask, int update)
{
	unsigned h = (unsigned)((uintptr_t)t >> 4 ^ mask * 0x9E3779B97F4A7C15ull >> 40 ^ (unsigned)update) % SQL_CACHE;
	for (unsigned k = 0; k < SQL_CACHE; k++) {
		struct sql_shape *e = &sql_cache[(h + k) % SQL_CACHE];
		if (e->sql && e->t == t && e->mask == mask && e->update == update)
			return e->sql;
		if (!e->sql) {
			*e = (struct sql_shape){t, mask, update, row_sql_build(t, mask, update), NULL};
			return e->sql;
		}
	}
	for (struct sql_shape *e = sql_more; e; e = e->next)
		if (e->t == t && e->mask == mask && e->update == update)
			return e->sql;
	struct sql_shape *e = xmalloc(sizeof *e);
	*e = (struct sql_shape){t, mask, update, row_sql_build(t, mask, update), sql_more};
	sql_more = e;
	return e->sql;
}

static const char *row_sql(const struct schema_table *t, uint64_t mask, int update)
{
	pthread_mutex_lock(&sql_cache_mu);
	const char *sql = row_sql_locked(t, mask, update);
	pthread_mutex_unlock(&sql_cache_mu);
	return sql; /* entries are never freed or moved */
}

/* Apply one row to a projection table: UPDATE the columns it names when the row exists, else
 * INSERT it (directly when the event creates it).  Not INSERT … ON CONFLICT: SQLite checks
 * NOT NULL before the conflict, so a partial row would fail.  SQL text comes only from the
 * schema's column names; values are bound. */
/* What applying one payload needs besides the database: the key, the payload, and the names
 * of its residents (opened on first need). */
struct apply_ctx {
	const unsigned char *key;
	const struct store_tx *tx; /* the live command (its own seals need no opening), or NULL */
	json_t *payload;
	json_t *names;
	json_t *row_now;  /* the row being applied */
	int texts_only;   /* remask: update the free-text columns of existing rows, nothing else */
};

static int upsert_values(db_conn *db, const struct schema_table *t, json_t *row, json_t **vals, int n,
			 uint64_t mask, int ncols, int keycol, int insert, struct qd_err *err);

/* The projected value of column col of row: free text becomes its masked form (a new
 * reference in *owned), anything else is the row's own value. */
static json_t *col_value(struct apply_ctx *ax, const struct schema_table *t, const char *col, json_t *v,
			 json_t **owned)
{
	int kind = schema_is_text(t, col), label = kind == 2;
	if (!kind || !text_is(v) || (json_is_string(v) && !*json_string_value(v)))
		return v;
	if (!ax->names)
		ax->names = text_names(ax->key, ax->tx, ax->payload);
	json_t *names = ax->names;
	json_t *extra = NULL;
	if (!label && t->label) { /* the household of the same row names its resident */
		char *h = text_original(ax->key, ax->tx, json_object_get(ax->row_now, t->label));
		char *hn = h ? mask_label_name(h) : NULL;
		if (hn) {
			extra = json_copy(names);
			json_array_append_new(extra, json_string(hn));
			names = extra;
		}
		plain_free(hn);
		plain_free(h);
	}
	char *m = text_project(ax->key, ax->tx, v, label, names);
	json_decref(extra);
	*owned = m ? json_string(m) : json_null();
	plain_free(m);
	return *owned;
}

static int upsert(struct apply_ctx *ax, db_conn *db, const struct schema_table *t, json_t *row, int insert,
		  struct qd_err *err)
{
	json_t *vals[64], *owned[64] = {0}, *v;
	uint64_t mask = 0;
	int n = 0, ncols = 0, keycol = -1, rc = -1;
	ax->row_now = row;
	for (int c = 0; c < 64 && t->cols[c]; c++, ncols++) {
		if (strcmp(t->cols[c], t->key) == 0)
			keycol = c;
		if ((v = json_object_get(row, t->cols[c]))) {
			if (ax->texts_only && !schema_is_text(t, t->cols[c]) && strcmp(t->cols[c], t->key) != 0)
				continue;
			mask |= 1ull << c;
			vals[n] = col_value(ax, t, t->cols[c], v, &owned[n]);
			n++;
		}
	}
	assert(ncols < 64 || !t->cols[64]); /* a projection table fits the 64-bit column mask */
	if (ax->texts_only) {
		rc = keycol >= 0 && (mask & ~(1ull << keycol))
			     ? upsert_values(db, t, row, vals, n, mask, ncols, keycol, -1, err)
			     : 0;
		goto out;
	}
	if ((size_t)n != json_object_size(row)) {
		qd_fail(err, QD_EINTERNAL, t->name, "事件列名无效", "unknown column in a %s event row", t->name);
		goto out;
	}
	rc = upsert_values(db, t, row, vals, n, mask, ncols, keycol, insert, err);
out:
	for (int i = 0; i < n; i++)
		json_decref(owned[i]);
	return rc;
}

/* Write the values of one row (vals[0..n) for the columns in mask): UPDATE, then INSERT when no
 * row was there; insert = 1 inserts at once, insert = -1 only updates. */
static int upsert_values(db_conn *db, const struct schema_table *t, json_t *row, json_t **vals, int n, uint64_t mask,
			 int ncols, int keycol, int insert, struct qd_err *err)
{
	json_t *keyv = keycol >= 0 ? json_object_get(row, t->key) : NULL;
	if (!keyv)
		return qd_fail(err, QD_EINTERNAL, t->key, "事件缺少主键", "event row for %s has no %s", t->name, t->key);
	if (insert != 1 && (mask & ~(1ull << keycol))) {
		const char *sql = row_sql(t, mask, 1);
		db_stmt *st = sql ? db_prepare(db, sql) : NULL;
		if (!st)
			return db_fail(db, err);
		int b = 1;
		for (int i = 0, c = 0; c < ncols; c++) {
			if (!(mask >> c & 1))
				continue;
			if (c != keycol)
				db_bind_json(st, b++, vals[i]);
			i++;
		}
		db_bind_json(st, b, keyv);
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return db_fail(db, err);
		if (db_changes(db) || insert < 0)
			return 0;
	}
	const char *sql = row_sql(t, mask, 0);
	db_stmt *st = sql ? db_prepare(db, sql) : NULL;
	if (!st)
		return db_fail(db, err);
	for (int i = 0; i < n; i++)
		db_bind_json(st, i + 1, vals[i]);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return db_fail(db, err);
	return 0;
}

int event_creates(const char *kind)
{
	size_t n = strlen(kind);
	return n > 7 && strcmp(kind + n - 7, ".create") == 0;
}

static int apply(db_conn *db, const unsigned char *key, const struct store_tx *tx, json_t *payload, int insert,
		 int texts_only, struct qd_err *err)
{
	json_t *rows = json_object_get(payload, "rows");
	if (!rows)
		return 0;
	struct apply_ctx ax = {key, tx, payload, NULL, NULL, texts_only};
	int rc = 0;
	/* Apply in schema order so parents (unit, user, task) precede children (problem, pii). */
	int nt;
	const struct schema_table *tables = schema_tables(&nt);
	for (int i = 0; i < nt; i++) {
		json_t *r = json_object_get(rows, tables[i].name);
		if (!r)
			continue;
		if (json_is_array(r)) {
			size_t k;
			json_t *row;
			json_array_foreach(r, k, row)
				if ((rc = upsert(&ax, db, &tables[i], row, insert, err)))
					goto out;
		} else if ((rc = upsert(&ax, db, &tables[i], r, insert, err))) {
			goto out;
		}
	}
out:
	json_decref(ax.names);
	return rc;
}

int projection_apply(db_conn *db, const unsigned char *key, json_t *payload, int insert, struct qd_err *err)
{
	return apply(db, key, NULL, payload, insert, 0, err);
}

int projection_apply_tx(struct store_tx *tx, json_t *payload, int insert, struct qd_err *err)
{
	return apply(tx->s->wdb, tx->s->key, tx, payload, insert, 0, err);
}

int projection_apply_texts(db_conn *db, const unsigned char *key, json_t *payload, struct qd_err *err)
{
	return apply(db, key, NULL, payload, 0, 1, err);
}

/* What a create event leaves out (schema 6): a column whose value is what INSERT gives it
 * anyway — NULL for a nullable column without a DEFAULT, or the column's DEFAULT when that is an
 * integer or '' — so replay (an INSERT of the columns the row names) restores it exactly.  The
 * defaults are read from the database's own table (PRAGMA table_info), once per table; the key
 * and free-text columns are always written (store_originals reads the text from the record).
 * A DEFAULT is thereby part of the record: schema.c never changes one. */
enum { D_KEEP, D_NULL, D_INT, D_EMPTY };
#define DFLT_TABLES 32
static struct {
	const struct schema_table *t;
	unsigned char kind[64];
	json_int_t val[64];
} dflt[DFLT_TABLES];
static pthread_mutex_t dflt_mu = PTHREAD_MUTEX_INITIALIZER;

/* A column's default as PostgreSQL's information_schema spells it ("0", "''::text",
 * "'-1'::integer"), as SQLite's PRAGMA table_info would: the cast dropped, an integer unquoted. */
static const char *pg_default(const char *d, char *buf, size_t n)
{
	if (!d)
		return NULL;
	snprintf(buf, n, "%s", d);
	char *cast = strstr(buf, "::");
	if (cast)
		*cast = 0;
	size_t l = strlen(buf);
	if (l > 2 && buf[0] == '\'' && buf[l - 1] == '\'') {
		char *end = NULL;
		buf[l - 1] = 0;
		strtoll(buf + 1, &end, 10);
		if (end && !*end && buf[1])
			return buf + 1;
		buf[l - 1] = '\'';
	}
	return buf;
}

static void defaults_load(db_conn *db, const struct schema_table *t, unsigned char *kind, json_int_t *val)
{
	char sql[256];
	int pg = db_is_pg(db);
	int n = pg ? snprintf(sql, sizeof sql, "SELECT 0, column_name, '', CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END, "
				       "column_default FROM information_schema.columns WHERE table_schema = current_schema() "
				       "AND table_name = '%s'", t->name) /* sql-ident: a schema table */
		   : snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", t->name); /* sql-ident: a schema table */
	assert(n > 0 && (size_t)n < sizeof sql);
	db_stmt *st = db_prepare(db, sql);
	if (!st)
		return; /* leaves every column D_KEEP: nothing is left out */
	while (db_step(st) == DB_ROW) {
		const char *name = db_col_text(st, 1);
		int c = 0;
		while (t->cols[c] && strcmp(t->cols[c], name) != 0)
			c++;
		if (!t->cols[c] || c >= 64 || strcmp(name, t->key) == 0 || schema_is_text(t, name))
			continue;
		char dbuf[128];
		const char *d = pg ? pg_default(db_col_text(st, 4), dbuf, sizeof dbuf) : db_col_text(st, 4);
		char *end = NULL;
		long long iv = d ? strtoll(d, &end, 10) : 0;
		if (!d)
			kind[c] = db_col_int(st, 3) ? D_KEEP : D_NULL;
		else if (!strcmp(d, "''"))
			kind[c] = D_EMPTY;
		else if (*d && end && !*end)
			kind[c] = D_INT, val[c] = iv;
	}
	db_done(st);
}

static void row_trim(db_conn *db, const struct schema_table *t, json_t *row)
{
	pthread_mutex_lock(&dflt_mu);
	int i = 0;
	while (i < DFLT_TABLES && dflt[i].t && dflt[i].t != t)
		i++;
	if (i < DFLT_TABLES && !dflt[i].t && !db) { /* not loaded, and no database to load from */
		pthread_mutex_unlock(&dflt_mu);
		return; /* the row is kept whole (bigger, never wrong) */
	}
	if (i < DFLT_TABLES && !dflt[i].t) {
		memset(dflt[i].kind, D_KEEP, sizeof dflt[i].kind);
		defaults_load(db, t, dflt[i].kind, dflt[i].val);
		dflt[i].t = t;
	}
	pthread_mutex_unlock(&dflt_mu);
	if (i == DFLT_TABLES || !json_is_object(row))
		return; /* more tables than slots: the row is kept whole (bigger, never wrong) */
	for (int c = 0; c < 64 && t->cols[c]; c++) {
		json_t *v = json_object_get(row, t->cols[c]);
		int k = dflt[i].kind[c];
		if (v && ((k == D_NULL && json_is_null(v)) ||
			  (k == D_INT && json_is_integer(v) && json_integer_value(v) == dflt[i].val[c]) ||
			  (k == D_EMPTY && json_is_string(v) && !*json_string_value(v))))
			json_object_del(row, t->cols[c]);
	}
}

/* The rows of a create event, trimmed (above). */
static void create_trim(db_conn *db, json_t *payload)
{
	json_t *rows = json_object_get(payload, "rows");
	const char *name;
	json_t *r;
	json_object_foreach(rows, name, r) {
		const struct schema_table *t = schema_table(name);
		if (!t)
			continue; /* applying it fails loudly */
		if (json_is_array(r)) {
			size_t k;
			json_t *row;
			json_array_foreach(r, k, row)
				row_trim(db, t, row);
		} else {
			row_trim(db, t, r);
		}
	}
}

/* The time stamps of a row, when they are the event's own time (schema 6): updated_at of every
 * row and created_at of a created row equal the event's `at` (every command stamps what it
 * writes with its now), so the record leaves them out and event_stamps_fill puts them back
 * before the rows are applied — by the writer and by check's replay alike. */
static int has_col(const struct schema_table *t, const char *col)
{
	for (int c = 0; t->cols[c]; c++)
		if (!strcmp(t->cols[c], col))
			return 1;
	return 0;
}

static void stamps(json_t *payload, int64_t at, int creates, int fill)
{
	static const char *const cols[2] = {"updated_at", "created_at"};
	json_t *rows = json_object_get(payload, "rows");
	const char *name;
	json_t *r;
	json_object_foreach(rows, name, r) {
		const struct schema_table *t = schema_table(name);
		size_t n = json_is_array(r) ? json_array_size(r) : 1;
		for (size_t k = 0; t && k < n; k++) {
			json_t *row = json_is_array(r) ? json_array_get(r, k) : r;
			for (int c = 0; c < 1 + !!creates && json_is_object(row); c++) {
				if (!has_col(t, cols[c]))
					continue;
				json_t *v = json_object_get(row, cols[c]);
				if (fill && !v)
					json_object_set_new(row, cols[c], json_integer(at));
				else if (!fill && json_is_integer(v) && json_integer_value(v) == at)
					json_object_del(row, cols[c]);
			}
		}
	}
}

void event_stamps_fill(json_t *payload, int64_t at, int creates)
{
	stamps(payload, at, creates, 1);
}

int store_emit_row(struct store_tx *tx, int64_t actor, const char *kind, const char *table, int64_t id,
		   json_t *row, json_t *extra, struct qd_err *err)
{
	json_t *p = extra ? extra : json_object();
	json_t *rows = json_object();
	json_object_set_new(rows, table, row);
	json_object_set_new(p, "rows", rows);
	int64_t seq = store_emit(tx, actor, kind, table, id, p, err);
	json_decref(p);
	return seq < 0 ? -1 : 0;
}

/* --- payloads serialised before the writer ------------------------------------------------------
 * A hole is a string value no input can spell: \x01, this process's random nonce, ':', the slot.
 * json_dumps writes it as "\u0001<nonce>:<slot>" wherever it stands; the template remembers where,
 * and the writer puts the slot's value there.  Since the rest of the text is what json_dumps made
 * of the very same payload, the filled text is exactly json_dumps of the payload with the values
 * in place (tests/unit/test_store.c compares them). */
static char tpl_nonce[17];
static pthread_once_t tpl_once = PTHREAD_ONCE_INIT;

static void tpl_init(void)
{
	unsigned char r[8];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(tpl_nonce, sizeof tpl_nonce, r, sizeof r);
}

json_t *payload_hole(int slot)
{
	assert(slot >= 0 && slot < 10);
	pthread_once(&tpl_once, tpl_init);
	char v[32];
	snprintf(v, sizeof v, "\x01%s:%d", tpl_nonce, slot);
	return json_string(v);
}

void payload_tpl_free(struct payload_tpl *t)
{
	if (t) {
		free(t->text);
		free(t);
	}
}

struct payload_tpl *payload_tpl_new(json_t *payload, int holes)
{
	pthread_once(&tpl_once, tpl_init);
	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text || holes > PAYLOAD_TPL_HOLES) {
		free(text);
		return NULL;
	}
	char mark[32];
	int ml = snprintf(mark, sizeof mark, "\"\\u0001%s:", tpl_nonce);
	struct payload_tpl *t = xcalloc(1, sizeof *t);
	t->text = text;
	for (const char *p = text; (p = strstr(p, mark));) {
		const char *d = p + ml;
		if (t->n == holes || d[0] < '0' || d[0] > '9' || d[1] != '"') { /* not what was asked for */
			payload_tpl_free(t);
			return NULL;
		}
		t->hole[t->n].at = (size_t)(p - text);
		t->hole[t->n].len = (size_t)(d + 2 - p);
		t->hole[t->n].slot = d[0] - '0';
		t->n++;
		p = d + 2;
	}
	if (t->n != holes) {
		payload_tpl_free(t);
		return NULL;
	}
	return t;
}

char *payload_tpl_fill(const struct payload_tpl *t, const char *const *vals)
{
	size_t n = strlen(t->text), from = 0;
	for (int i = 0; i < t->n; i++)
		n = n - t->hole[i].len + strlen(vals[t->hole[i].slot]);
	char *out = xmalloc(n + 1), *o = out;
	for (int i = 0; i < t->n; i++) {
		memcpy(o, t->text + from, t->hole[i].at - from);
		o += t->hole[i].at - from;
		size_t vl = strlen(vals[t->hole[i].slot]);
		memcpy(o, vals[t->hole[i].slot], vl);
		o += vl;
		from = t->hole[i].at + t->hole[i].len;
	}
	memcpy(o, t->text + from, strlen(t->text + from) + 1);
	assert((size_t)(o - out) + strlen(o) == n);
	return out;
}

void event_payload_trim(db_conn *db, json_t *payload, int creates, int64_t at)
{
	if (creates)
		create_trim(db, payload);
	stamps(payload, at, creates, 0);
}

void event_defaults_load(db_conn *db)
{
	int n;
	const struct schema_table *t = schema_tables(&n);
	for (int i = 0; i < n; i++)
		row_trim(db, &t[i], NULL); /* loads the table's defaults; trims nothing */
}

int64_t store_emit(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
		   int64_t entity_id, json_t *payload, struct qd_err *err)
{
	int creates = event_creates(kind);
	int64_t now = store_tx_now(tx);
	event_payload_trim(tx->s->wdb, payload, creates, now);
	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	event_stamps_fill(payload, now, creates); /* the rows as they are applied */
	if (!text)
		return qd_fail(err, QD_EINTERNAL, NULL, "事件无法序列化", "event cannot be serialised");
	return store_emit_text(tx, actor, kind, entity, entity_id, payload, text, err);
}

int64_t store_emit_text(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
			int64_t entity_id, json_t *payload, char *text, struct qd_err *err)
{
	struct store *s = tx->s;
	s->wrd.memo_ok = 0; /* what the command read may change now (store_rd.memo) */
	/* An event is appended in the transaction that applies it, after the chain head it links to. */
	assert(!!db_in_tx(store_tx_db(tx)) && s->last_seq >= 0);
	int64_t now = store_tx_now(tx);
	int64_t seq = s->last_seq + 1;
	unsigned char hash[32];
	event_hash(s->last_hash, seq, now, actor, kind, entity, entity_id, text, hash);
	db_stmt *st = db_prepare(s->wdb, "INSERT INTO event(seq, at, actor, kind, entity, entity_id, "
					      "payload, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?)");
	if (!st) {
		free(text);
		return db_fail(s->wdb, err);
	}
	db_bind_int(st, 1, seq);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, actor);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, entity);
	db_bind_int(st, 6, entity_id);
	if (payload_bind(st, 7, text, err)) { /* stored deflated (schema 7, store/payload.h) */
		db_done(st);
		return -1;
	}
	/* prev_hash is the previous event's hash: since schema 6 it is not stored again (an empty
	 * blob, 32 bytes less per event); check recomputes the chain from the hashes. */
	db_bind_blob(st, 8, NULL, 0); /* stored empty: the previous event's hash */
	db_bind_blob(st, 9, hash, 32);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return db_fail(s->wdb, err);
	rc = projection_apply_tx(tx, payload, event_creates(kind), err);
	tx_forget(tx);
	if (rc)
		return -1;
	s->last_seq = seq;
	memcpy(s->last_hash, hash, 32);
	return seq;
}
