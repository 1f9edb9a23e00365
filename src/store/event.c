/* event.c — the event log: appending hash-chained events and applying them to the projection
 * tables (the same apply is used by `check` to replay the log into a fresh database). */
#include "base/buf.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/schema.h"
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

/* Apply one row to a projection table: UPDATE the columns it names when the row exists, else
 * INSERT it.  (Not INSERT … ON CONFLICT: SQLite checks NOT NULL before the conflict, so a
 * partial row would fail.)  SQL text is built only from the schema's column names; values are
 * bound. */
static int upsert(sqlite3 *db, const struct schema_table *t, json_t *row, struct qd_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(row, key, v) {
		int known = 0;
		for (int i = 0; t->cols[i]; i++)
			if (strcmp(t->cols[i], key) == 0)
				known = 1;
		if (!known)
			return qd_fail(err, QD_EINTERNAL, key, "事件列名无效", "unknown column %s.%s in event", t->name, key);
	}
	json_t *keyv = json_object_get(row, t->key);
	if (!keyv)
		return qd_fail(err, QD_EINTERNAL, t->key, "事件缺少主键", "event row for %s has no %s", t->name, t->key);
	json_t *vals[64];
	int n = 0;
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, "UPDATE %s SET ", t->name); /* sql-ident */
	for (int i = 0; t->cols[i] && n < 63; i++) {
		if (strcmp(t->cols[i], t->key) == 0 || !(v = json_object_get(row, t->cols[i])))
			continue;
		buf_printf(&sql, "%s%s=?", n ? "," : "", t->cols[i]);
		vals[n++] = v;
	}
	int changed = 0;
	if (n) {
		buf_printf(&sql, " WHERE %s=?", t->key); /* sql-ident */
		sqlite3_stmt *st = db_prepare(db, sql.p);
		if (!st) {
			buf_free(&sql);
			return db_fail(db, err);
		}
		for (int i = 0; i < n; i++)
			db_bind_json(st, i + 1, vals[i]);
		db_bind_json(st, n + 1, keyv);
		int rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE) {
			buf_free(&sql);
			return db_fail(db, err);
		}
		changed = sqlite3_changes(db);
	}
	if (changed) {
		buf_free(&sql);
		return 0;
	}
	buf_reset(&sql);
	buf_printf(&sql, "INSERT OR IGNORE INTO %s(", t->name); /* sql-ident */
	n = 0;
	for (int i = 0; t->cols[i] && n < 64; i++) {
		if (!(v = json_object_get(row, t->cols[i])))
			continue;
		buf_printf(&sql, "%s%s", n ? "," : "", t->cols[i]);
		vals[n++] = v;
	}
	buf_puts(&sql, ") VALUES(");
	for (int i = 0; i < n; i++)
		buf_puts(&sql, i ? ",?" : "?");
	buf_puts(&sql, ")");
	sqlite3_stmt *st = db_prepare(db, sql.p);
	buf_free(&sql);
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

int projection_apply(sqlite3 *db, json_t *payload, struct qd_err *err)
{
	json_t *rows = json_object_get(payload, "rows");
	if (!rows)
		return 0;
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
				if (upsert(db, &tables[i], row, err))
					return -1;
		} else if (upsert(db, &tables[i], r, err)) {
			return -1;
		}
	}
	return 0;
}

int64_t store_emit(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
		   int64_t entity_id, json_t *payload, struct qd_err *err)
{
	struct store *s = tx->s;
	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return qd_fail(err, QD_EINTERNAL, NULL, "事件无法序列化", "event cannot be serialised");
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
	if (projection_apply(s->wdb, payload, err))
		return -1;
	s->last_seq = seq;
	memcpy(s->last_hash, hash, 32);
	return seq;
}
