/* event.c — the event log: appending hash-chained events and applying them to the projection
 * tables (the same apply is used by `check` to replay the log into a fresh database). */
#include "base/buf.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/schema.h"
#include "store/text.h"
#include "store/tx.h"
#include "core/mask.h"
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
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
	sqlite3_stmt *st = db_prepare(s->wdb, "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1");
	if (!st)
		return db_fail(s->wdb, err);
	s->last_seq = 0;
	memset(s->last_hash, 0, 32);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->last_seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(s->last_hash, sqlite3_column_blob(st, 1), 32);
	}
	db_done(st);
	s->data_version = db_int(s->wdb, "PRAGMA data_version", 0, 0);
	return 0;
}

/* The SQL of an upsert depends only on (table, columns present, insert or update): it is built
 * once per shape for the process (a handful of shapes), then found again by db_prepare. */
#define SQL_CACHE 64
static pthread_mutex_t sql_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	const struct schema_table *t;
	uint64_t mask;
	int update;
	char *sql;
} sql_cache[SQL_CACHE];

static const char *row_sql_locked(const struct schema_table *t, uint64_t mask, int update)
{
	unsigned h = (unsigned)((uintptr_t)t >> 4 ^ mask * 0x9E3779B97F4A7C15ull >> 40 ^ (unsigned)update) % SQL_CACHE;
	for (unsigned k = 0; k < SQL_CACHE; k++) {
		unsigned i = (h + k) % SQL_CACHE;
		if (sql_cache[i].sql && sql_cache[i].t == t && sql_cache[i].mask == mask && sql_cache[i].update == update)
			return sql_cache[i].sql;
		if (!sql_cache[i].sql) {
			struct buf b;
			buf_init(&b);
			int n = 0;
			if (update) {
				buf_printf(&b, "UPDATE %s SET ", t->name); /* sql-ident */
				for (int c = 0; t->cols[c]; c++)
					if ((mask >> c & 1) && strcmp(t->cols[c], t->key) != 0)
						buf_printf(&b, "%s%s=?", n++ ? "," : "", t->cols[c]);
				buf_printf(&b, " WHERE %s=?", t->key); /* sql-ident */
			} else {
				buf_printf(&b, "INSERT INTO %s(", t->name); /* sql-ident */
				for (int c = 0; t->cols[c]; c++)
					if (mask >> c & 1)
						buf_printf(&b, "%s%s", n++ ? "," : "", t->cols[c]);
				buf_puts(&b, ") VALUES(");
				for (int c = 0; c < n; c++)
					buf_puts(&b, c ? ",?" : "?");
				buf_puts(&b, ")");
			}
			sql_cache[i].t = t;
			sql_cache[i].mask = mask;
			sql_cache[i].update = update;
			sql_cache[i].sql = buf_take(&b);
			return sql_cache[i].sql;
		}
	}
	return NULL; /* more shapes than slots: a bug in the schema, not in input */
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

static int upsert_values(sqlite3 *db, const struct schema_table *t, json_t *row, json_t **vals, int n,
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

static int upsert(struct apply_ctx *ax, sqlite3 *db, const struct schema_table *t, json_t *row, int insert,
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
static int upsert_values(sqlite3 *db, const struct schema_table *t, json_t *row, json_t **vals, int n, uint64_t mask,
			 int ncols, int keycol, int insert, struct qd_err *err)
{
	json_t *keyv = keycol >= 0 ? json_object_get(row, t->key) : NULL;
	if (!keyv)
		return qd_fail(err, QD_EINTERNAL, t->key, "事件缺少主键", "event row for %s has no %s", t->name, t->key);
	if (insert != 1 && (mask & ~(1ull << keycol))) {
		const char *sql = row_sql(t, mask, 1);
		sqlite3_stmt *st = sql ? db_prepare(db, sql) : NULL;
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
		int rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err);
		if (sqlite3_changes(db) || insert < 0)
			return 0;
	}
	const char *sql = row_sql(t, mask, 0);
	sqlite3_stmt *st = sql ? db_prepare(db, sql) : NULL;
	if (!st)
		return db_fail(db, err);
	for (int i = 0; i < n; i++)
		db_bind_json(st, i + 1, vals[i]);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err);
	return 0;
}

int event_creates(const char *kind)
{
	size_t n = strlen(kind);
	return n > 7 && strcmp(kind + n - 7, ".create") == 0;
}

static int apply(sqlite3 *db, const unsigned char *key, const struct store_tx *tx, json_t *payload, int insert,
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

int projection_apply(sqlite3 *db, const unsigned char *key, json_t *payload, int insert, struct qd_err *err)
{
	return apply(db, key, NULL, payload, insert, 0, err);
}

int projection_apply_tx(struct store_tx *tx, json_t *payload, int insert, struct qd_err *err)
{
	return apply(tx->s->wdb, tx->s->key, tx, payload, insert, 0, err);
}

int projection_apply_texts(sqlite3 *db, const unsigned char *key, json_t *payload, struct qd_err *err)
{
	return apply(db, key, NULL, payload, 0, 1, err);
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

int64_t store_emit(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
		   int64_t entity_id, json_t *payload, struct qd_err *err)
{
	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return qd_fail(err, QD_EINTERNAL, NULL, "事件无法序列化", "event cannot be serialised");
	return store_emit_text(tx, actor, kind, entity, entity_id, payload, text, err);
}

int64_t store_emit_text(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
			int64_t entity_id, json_t *payload, char *text, struct qd_err *err)
{
	struct store *s = tx->s;
	/* An event is appended in the transaction that applies it, after the chain head it links to. */
	assert(!sqlite3_get_autocommit(store_tx_db(tx)) && s->last_seq >= 0);
	int64_t seq = s->last_seq + 1;
	int64_t now = store_tx_now(tx);
	unsigned char hash[32];
	event_hash(s->last_hash, seq, now, actor, kind, entity, entity_id, text, hash);
	sqlite3_stmt *st = db_prepare(s->wdb, "INSERT INTO event(seq, at, actor, kind, entity, entity_id, "
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
	sqlite3_bind_text(st, 7, text, -1, free);
	sqlite3_bind_blob(st, 8, s->last_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 9, hash, 32, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(s->wdb, err);
	rc = projection_apply_tx(tx, payload, event_creates(kind), err);
	tx_forget(tx);
	if (rc)
		return -1;
	s->last_seq = seq;
	memcpy(s->last_hash, hash, 32);
	return seq;
}
