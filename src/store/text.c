/* text.c (store) — free text in the record (sealed originals) and the projections (masked);
 * the contract is in store/text.h. */
#include "store/text.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/mask.h"
#include "store/db.h"
#include "store/payload.h"
#include "store/internal.h"
#include "store/schema.h"
#include "store/problem.h"
#include "store/tx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *text_seal_key(const unsigned char *key, const char *plain)
{
	if (!plain || !*plain)
		return json_string("");
	char *s = seal_with(key, plain);
	json_t *o = json_pack("{ss}", "sealed", s);
	free(s);
	return o;
}

json_t *text_seal(struct store_tx *tx, const char *plain)
{
	json_t *o = text_seal_key(tx->s->key, plain);
	if (json_is_object(o))
		tx_remember(tx, json_string_value(json_object_get(o, "sealed")), plain, NULL);
	return o;
}

json_t *text_seal_cut(struct store_tx *tx, const char *plain, int max_chars)
{
	json_t *o = text_seal(tx, plain);
	if (json_is_object(o))
		json_object_set_new(o, "cut", json_integer(max_chars));
	return o;
}

/* payload["names"] = names sealed by seal (one of the two text_seal forms). */
static void put_names(json_t *payload, json_t *names, json_t *(*seal)(const void *, const char *), const void *by)
{
	if (json_array_size(names) > 0) {
		char *t = json_dumps(names, JSON_COMPACT);
		json_object_set_new(payload, "names", seal(by, t));
		plain_free(t);
	}
	json_decref(names);
}

static json_t *seal_tx(const void *tx, const char *plain)
{
	return text_seal((struct store_tx *)tx, plain);
}

static json_t *seal_key(const void *key, const char *plain)
{
	return text_seal_key(key, plain);
}

void text_put_names(struct store_tx *tx, json_t *payload, json_t *names)
{
	put_names(payload, names, seal_tx, tx);
}

void text_put_names_key(const unsigned char *key, json_t *payload, json_t *names)
{
	put_names(payload, names, seal_key, key);
}

int text_is(json_t *v)
{
	return json_is_string(v) || (json_is_object(v) && json_is_string(json_object_get(v, "sealed")));
}

/* sealed opened: from the live command's own seals, else with the key. */
static char *open_text(const unsigned char *key, const struct store_tx *tx, const char *sealed)
{
	const char *p = tx_recall(tx, sealed);
	return p ? xstrdup(p) : unseal_with(key, sealed);
}

char *text_original(const unsigned char *key, const struct store_tx *tx, json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_object(v))
		return open_text(key, tx, json_string_value(json_object_get(v, "sealed")));
	return NULL;
}

static void add_name(json_t *a, const char *name)
{
	if (!name || !*name)
		return;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return;
	json_array_append_new(a, json_string(name));
}

json_t *text_names(const unsigned char *key, const struct store_tx *tx, json_t *payload)
{
	json_t *a = json_array();
	char *t = text_original(key, tx, json_object_get(payload, "names"));
	if (t) {
		json_t *l = json_loads(t, 0, NULL);
		size_t i;
		json_t *v;
		json_array_foreach(l, i, v)
			add_name(a, json_string_value(v));
		json_decref(l);
		plain_free(t);
	}
	json_t *pii = json_object_get(json_object_get(payload, "rows"), "problem_pii");
	if (json_is_object(pii)) {
		char *n = open_text(key, tx, json_string_value(json_object_get(pii, "name")));
		add_name(a, n);
		plain_free(n);
	}
	return a;
}

char *text_project(const unsigned char *key, const struct store_tx *tx, json_t *v, int label, json_t *names)
{
	const char *pre = !label && json_is_object(v) ? tx_recall_masked(tx, json_string_value(json_object_get(v, "sealed"))) : NULL;
	if (pre) { /* masked before the writer, with this event's names (store_problem_prepare) */
		char *m = xstrdup(pre);
		json_t *cut = json_object_get(v, "cut");
		if (json_is_integer(cut) && json_integer_value(cut) > 0)
			m[utf8_prefix(m, (size_t)json_integer_value(cut))] = 0;
		return m;
	}
	char *plain = text_original(key, tx, v);
	if (!plain) {
		if (json_is_object(v)) /* sealed but cannot be opened (wrong key, damage): show nothing */
			return xstrdup("【无法解密】");
		return NULL;
	}
	size_t n = json_array_size(names);
	const char **list = xcalloc(n + 2, sizeof *list);
	for (size_t i = 0; i < n; i++)
		list[i] = json_string_value(json_array_get(names, i));
	char *hn = label ? mask_label_name(plain) : NULL;
	if (hn)
		list[n++] = hn;
	struct mask_names mn = {list, n};
	char *m = label ? mask_label(plain, &mn) : mask_text(plain, &mn);
	plain_free(plain);
	plain_free(hn);
	free(list);
	json_t *cut = json_is_object(v) ? json_object_get(v, "cut") : NULL;
	if (json_is_integer(cut) && json_integer_value(cut) > 0)
		m[utf8_prefix(m, (size_t)json_integer_value(cut))] = 0;
	return m;
}

const unsigned char *store_key(struct store *s)
{
	return s->key;
}

/* Read every event of (entity, id), oldest first, keeping the latest original of each free-text
 * column of the entity's table and the originals of each event's note and reason. */
json_t *store_originals(struct store_tx *tx, const char *entity, int64_t id)
{
	db_conn *db = store_tx_db(tx);
	const unsigned char *key = tx->s->key;
	json_t *o = json_object(), *events = json_array();
	const struct schema_table *t = schema_table(entity);
	db_stmt *st = db_prepare(db, "SELECT seq, kind, payload FROM event WHERE entity=? AND entity_id=? ORDER BY seq");
	if (!st)
		return o;
	db_bind_text(st, 1, entity);
	db_bind_int(st, 2, id);
	while (db_step(st) == DB_ROW) {
		json_t *p = payload_json(st, 2, NULL);
		if (!p)
			continue;
		json_t *row = t ? json_object_get(json_object_get(p, "rows"), t->name) : NULL;
		const char *cols[8];
		int nc = t && json_is_object(row) ? schema_text_cols(t, cols, 8) : 0;
		for (int c = 0; c < nc; c++) {
			json_t *v = json_object_get(row, cols[c]);
			char *plain = v ? text_original(key, NULL, v) : NULL;
			json_t *cut = json_is_object(v) ? json_object_get(v, "cut") : NULL;
			if (plain && json_integer_value(cut) > 0) /* what the item showed: its first characters */
				plain[utf8_prefix(plain, (size_t)json_integer_value(cut))] = 0;
			if (plain)
				json_object_set_new(o, cols[c], json_string(plain));
			plain_free(plain);
		}
		json_t *e = NULL;
		static const char *const extras[] = {"note", "reason", NULL};
		for (int k = 0; extras[k]; k++) {
			char *plain = text_original(key, NULL, json_object_get(p, extras[k]));
			if (plain && *plain) {
				if (!e)
					e = json_pack("{sI ss}", "seq", (json_int_t)db_col_int64(st, 0), "kind",
						      db_col_text(st, 1));
				json_object_set_new(e, extras[k], json_string(plain));
			}
			plain_free(plain);
		}
		if (e)
			json_array_append_new(events, e);
		json_decref(p);
	}
	db_done(st);
	json_object_set_new(o, "events", events);
	return o;
}

int store_pii_read(struct store_tx *tx, int64_t actor, const char *entity, int64_t id, json_t **out,
		   struct qd_err *err)
{
	json_t *o = store_originals(tx, entity, id);
	if (!strcmp(entity, "problem")) { /* the reporter's own fields, and every text field named */
		json_object_del(o, "events");
		store_problem_reporter(tx, id, o);
		if (!json_object_get(o, "decline_reason"))
			json_object_set_new(o, "decline_reason", json_null());
	} else if (!strcmp(entity, "visit")) {
		json_object_del(o, "events");
	}
	json_t *fields = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
		json_array_append_new(fields, json_string(k));
	char idkey[40];
	snprintf(idkey, sizeof idkey, "%s_id", entity);
	json_t *p = json_pack("{sI so}", idkey, (json_int_t)id, "fields", fields);
	int64_t seq = store_emit(tx, actor, "pii.read", entity, id, p, err);
	json_decref(p);
	if (seq < 0) {
		json_decref(o);
		return -1;
	}
	*out = o;
	return 0;
}
