/* upgrade.c — the parts of schema migrations that SQL cannot do (they need the personal-data
 * key).  Migration 4: the record seals the free text people typed.
 *
 * Before schema 4 the event log held descriptions, titles, measures, notes, reasons, visit notes
 * and household labels in plaintext, and the projections held them unmasked.  Migration 4
 * rewrites each such event so that the text is sealed (store/text.h), adds the names of the
 * item's residents (for masking them inside the text), re-derives the title of an immediate
 * task (it was the description cut before masking) as "the masked description, cut", and then
 * — because payloads changed — recomputes the hash chain from the first event.  The old head is
 * not lost: a `record.reseal` event at the end carries the old head's seq and hash, so anyone who
 * kept the old head can see which chain this one replaced.  Finally the projections are
 * remasked (remask.c), so `check` passes afterwards. */
#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "store/db.h"
#include "store/payload.h"
#include "store/internal.h"
#include "store/problem.h"
#include "store/remask.h"
#include "store/schema.h"
#include "store/text.h"
#include <stdio.h>
#include <string.h>

/* Seal the plaintext free-text values of one payload; 1 when something changed.  last_desc is
 * the description of the latest problem.create (an immediate task's title was cut from it). */
static int seal_payload(const unsigned char *key, json_t *p, const char *kind, const char *last_desc)
{
	int changed = 0;
	json_t *rows = json_object_get(p, "rows");
	int n;
	const struct schema_table *t = schema_tables(&n);
	for (int i = 0; i < n && rows; i++) {
		json_t *r = json_object_get(rows, t[i].name);
		const char *cols[8];
		int nc = r ? schema_text_cols(&t[i], cols, 8) : 0;
		json_t *list = json_is_array(r) ? r : NULL;
		size_t cnt = nc == 0 ? 0 : list ? json_array_size(list) : 1;
		for (size_t k = 0; k < cnt; k++) {
			json_t *row = list ? json_array_get(list, k) : r;
			for (int c = 0; c < nc; c++) {
				const char *col = cols[c];
				json_t *v = json_object_get(row, col);
				if (!json_is_string(v) || !*json_string_value(v))
					continue;
				const char *s = json_string_value(v);
				json_t *sealed;
				const char *tier = json_string_value(json_object_get(row, "tier"));
				if (!strcmp(kind, "task.create") && !strcmp(col, "title") && tier &&
				    tier_parse(tier) == TIER_IMMEDIATE && last_desc &&
				    utf8_prefix(last_desc, 60) == strlen(s) && !strncmp(last_desc, s, strlen(s))) {
					sealed = text_seal_key(key, last_desc);
					json_object_set_new(sealed, "cut", json_integer(60));
				} else {
					sealed = text_seal_key(key, s);
				}
				json_object_set_new(row, col, sealed);
				changed = 1;
			}
		}
	}
	static const char *const extras[] = {"note", "reason", NULL};
	for (int e = 0; extras[e]; e++) {
		json_t *v = json_object_get(p, extras[e]);
		if (json_is_string(v) && *json_string_value(v)) {
			json_object_set_new(p, extras[e], text_seal_key(key, json_string_value(v)));
			changed = 1;
		}
	}
	return changed;
}

static void put_names(db_conn *db, const unsigned char *key, json_t *p, const char *kind, int64_t id)
{
	if (!strcmp(kind, "problem.decline"))
		text_put_names_key(key, p, store_problem_names(db, key, &id, 1));
	else if (!strcmp(kind, "task.create"))
		text_put_names_key(key, p, store_task_names(db, key, id));
}

/* problem.create: the keyed hash of the reporter's phone (schema 4), in the event and its row. */
static int put_phone_hash(db_conn *db, const unsigned char *key, json_t *p, struct qd_err *err)
{
	json_t *pii = json_object_get(json_object_get(p, "rows"), "problem_pii");
	if (!json_is_object(pii) || json_object_get(pii, "phone_hash"))
		return 0;
	char *phone = unseal_with(key, json_string_value(json_object_get(pii, "phone")));
	char hex[33];
	int ok = phone && phone_hash_with(key, phone, hex) == 0;
	plain_free(phone);
	if (!ok)
		return 0;
	json_object_set_new(pii, "phone_hash", json_string(hex));
	db_stmt *st = db_prepare(db, "UPDATE problem_pii SET phone_hash=? WHERE problem_id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_text(st, 1, hex);
	db_bind_int(st, 2, json_integer_value(json_object_get(pii, "problem_id")));
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 1 : db_fail(db, err);
}

struct ev {
	int64_t seq, at, actor, entity_id;
	char *kind, *entity, *payload;
};

int upgrade_seal_record(db_conn *db, const unsigned char *key, int64_t now, struct qd_err *err)
{
	int64_t total = db_int(db, "SELECT count(*) FROM event", 0, 0);
	if (total <= 0)
		return 0;
	if (!key)
		return qd_fail(err, QD_EINTERNAL, "key", "升级数据库需要个人信息密钥文件",
			       "upgrading the database needs the personal-data key file");
	if (now <= 0)
		return qd_fail(err, QD_EINTERNAL, NULL, "内部错误：升级没有时间", "internal error: an upgrade without its time");
	db_stmt *sel = NULL, *upd = NULL;
	if (!(sel = db_prepare(db, "SELECT seq, at, actor, kind, entity, entity_id, payload FROM event "
				   "WHERE seq > ? ORDER BY seq LIMIT 1000")) ||
	    !(upd = db_prepare(db, "UPDATE event SET payload=?, prev_hash=?, hash=? WHERE seq=?"))) {
		db_done(sel);
		return db_fail(db, err);
	}
	unsigned char prev[32] = {0}, h[32];
	int64_t after = 0, old_seq = 0, resealed = 0;
	char old_hex[65] = "";
	db_stmt *head = db_prepare(db, "SELECT lower(hex(hash)) FROM event ORDER BY seq DESC LIMIT 1");
	if (head && db_step(head) == DB_ROW)
		snprintf(old_hex, sizeof old_hex, "%s", db_col_text(head, 0));
	db_done(head);
	char *last_desc = NULL;
	int rc = 0;
	struct ev *evs = xcalloc(1000, sizeof *evs);
	for (;;) {
		int n = 0;
		db_bind_int(sel, 1, after);
		while (db_step(sel) == DB_ROW) {
			struct ev *e = &evs[n++];
			e->seq = db_col_int64(sel, 0);
			e->at = db_col_int64(sel, 1);
			e->actor = db_col_int64(sel, 2);
			e->kind = xstrdup(db_col_text(sel, 3));
			e->entity = xstrdup(db_col_text(sel, 4));
			e->entity_id = db_col_int64(sel, 5);
			e->payload = payload_column(sel, 6, NULL); /* before schema 7: always TEXT */
			if (!e->payload)
				e->payload = xstrdup("");
		}
		db_reset(sel);
		for (int i = 0; i < n && !rc; i++) {
			struct ev *e = &evs[i];
			json_t *p = json_loads(e->payload, 0, NULL);
			if (!p) {
				rc = qd_fail(err, QD_EINTERNAL, "event", "事件 %lld 无法解析", "event %lld cannot be parsed",
					     (long long)e->seq, (long long)e->seq);
				break;
			}
			if (!strcmp(e->kind, "problem.create")) {
				const char *d = json_string_value(
					json_object_get(json_object_get(json_object_get(p, "rows"), "problem"), "description"));
				free(last_desc);
				last_desc = d ? xstrdup(d) : NULL;
			}
			int hashed = !strcmp(e->kind, "problem.create") ? put_phone_hash(db, key, p, err) : 0;
			if (hashed < 0) {
				json_decref(p);
				rc = -1;
				break;
			}
			if (seal_payload(key, p, e->kind, last_desc) | hashed) {
				put_names(db, key, p, e->kind, e->entity_id);
				char *text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
				free(e->payload);
				e->payload = text;
				resealed++;
			}
			json_decref(p);
			event_hash(prev, e->seq, e->at, e->actor, e->kind, e->entity, e->entity_id, e->payload, h);
			db_bind_text(upd, 1, e->payload);
			db_bind_blob(upd, 2, prev, 32);
			db_bind_blob(upd, 3, h, 32);
			db_bind_int(upd, 4, e->seq);
			int st = db_step(upd);
			db_reset(upd);
			if (st != DB_DONE)
				rc = db_fail(db, err);
			memcpy(prev, h, 32);
			after = e->seq;
		}
		for (int i = 0; i < n; i++) {
			free(evs[i].kind);
			free(evs[i].entity);
			plain_free(evs[i].payload);
		}
		if (rc || n < 1000)
			break;
	}
	free(evs);
	free(last_desc);
	db_done(sel);
	db_done(upd);
	if (rc)
		return -1;
	old_seq = after;
	json_t *p = json_pack("{sI ss sI si}", "old_seq", (json_int_t)old_seq, "old_head", old_hex, "resealed",
			      (json_int_t)resealed, "schema", 4);
	char *text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(p);
	int64_t seq = old_seq + 1, at = now; /* the caller's time (store_opts.now) */
	event_hash(prev, seq, at, 0, "record.reseal", "record", 0, text, h);
	db_stmt *st = db_prepare(db, "INSERT INTO event(seq, at, actor, kind, entity, entity_id, payload, prev_hash, hash) "
			    "VALUES(?,?,0,'record.reseal','record',0,?,?,?)");
	if (!st) {
		free(text);
		return db_fail(db, err);
	}
	db_bind_int(st, 1, seq);
	db_bind_int(st, 2, at);
	db_bind_text(st, 3, text);
	db_bind_blob(st, 4, prev, 32);
	db_bind_blob(st, 5, h, 32);
	int ok = db_step(st) == DB_DONE;
	db_done(st);
	free(text);
	if (!ok)
		return db_fail(db, err);
	/* the phone index of the problems already indexed for search (the rest follow in batches) */
	if (db_exec(db, "INSERT OR IGNORE INTO phone_index(phone_hash, problem_id) SELECT phone_hash, problem_id "
			"FROM problem_pii WHERE phone_hash IS NOT NULL AND problem_id <= "
			"(SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto')", err))
		return -1;
	int64_t events, changed;
	return store_remask_db(db, key, &events, &changed, err);
}

int upgrade_step(db_conn *db, int n, const unsigned char *key, int64_t now, struct qd_err *err)
{
	return n == 4 ? upgrade_seal_record(db, key, now, err) : 0;
}
