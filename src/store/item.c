/* item.c (store) — the generic store side of the machine type (store/item.h): row ⇄ struct by
 * the descriptor's columns, one act for every kind, and the history of an item from the log. */
#include "store/item.h"
#include "base/date.h"
#include "base/mem.h"
#include "core/mask.h"
#include "core/names.h"
#include "store/db.h"
#include "store/payload.h"
#include "store/internal.h"
#include "store/schema.h"
#include "store/org.h"
#include "store/text.h"
#include "store/tx.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(void *item, const struct machine_col *c, const void *v, size_t n)
{
	memcpy((char *)item + c->off, v, n);
}

void store_item_from_row(const struct machine *m, const struct row *row, void *item)
{
	memset(item, 0, m->size);
	for (int i = 0; i < m->ncols; i++) {
		const struct machine_col *c = &m->cols[i];
		switch (c->type) {
		case MC_ID: {
			int64_t v = row_int(row, c->name, 0);
			put(item, c, &v, sizeof v);
			break;
		}
		case MC_INT: {
			int v = (int)row_int(row, c->name, c->dflt);
			put(item, c, &v, sizeof v);
			break;
		}
		case MC_DATE: {
			int32_t d;
			const char *s = row_text(row, c->name);
			if (!s || date_parse(s, &d))
				d = 0;
			put(item, c, &d, sizeof d);
			break;
		}
		case MC_ENUM:
		case MC_STATE: {
			const char *s = row_text(row, c->name);
			int v = c->type == MC_STATE ? machine_state_parse(m, s) : names_find(c->names, -1, s);
			if (v < 0)
				v = c->dflt;
			put(item, c, &v, sizeof v);
			break;
		}
		}
	}
}

/* The columns of item: those an action may write, or all. */
static json_t *item_row(const struct machine *m, const void *item, int all)
{
	json_t *r = json_object();
	for (int i = 0; i < m->ncols; i++) {
		const struct machine_col *c = &m->cols[i];
		if (!all && !(c->flags & MC_WRITTEN))
			continue;
		const char *p = (const char *)item + c->off;
		json_t *v;
		switch (c->type) {
		case MC_ID: {
			int64_t x;
			memcpy(&x, p, sizeof x);
			v = x ? json_integer(x) : json_null();
			break;
		}
		case MC_DATE: {
			int32_t d;
			char s[11];
			memcpy(&d, p, sizeof d);
			v = d ? json_string(date_format(d, s)) : json_null();
			break;
		}
		case MC_INT:
		case MC_ENUM:
		case MC_STATE:
		default: {
			int x;
			memcpy(&x, p, sizeof x);
			const char *name = c->type == MC_ENUM ? names_at(c->names, x) : NULL;
			v = c->type == MC_INT	  ? json_integer(x)
			    : c->type == MC_STATE ? json_string(machine_state_name(m, x))
						  : json_string(name ? name : "");
			break;
		}
		}
		json_object_set_new(r, c->name, v);
	}
	return r;
}

json_t *store_item_row(const struct machine *m, const void *item)
{
	return item_row(m, item, 0);
}

json_t *store_item_row_diff(const struct machine *m, const void *before, const void *after)
{
	json_t *was = item_row(m, before, 0), *now = item_row(m, after, 0);
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(now, tmp, key, v)
		if (strcmp(key, "id") != 0 && json_equal(v, json_object_get(was, key)))
			json_object_del(now, key);
	json_decref(was);
	return now;
}

int store_kind_register(const struct store_kind *k, struct qd_err *err)
{
	if (k->schema && schema_register(k->schema, k->ddl))
		return qd_fail(err, QD_EINTERNAL, "kind", "登记的事项种类过多", "too many item kinds registered (%s)",
			       k->table);
	return 0;
}

int store_item_create(struct store_tx *tx, const struct store_kind *k, const struct actor *a, void *item,
		      json_t *cols, json_t *extra, unsigned right, int64_t *id, struct qd_err *err)
{
	json_t *more = extra;
	const struct machine *m = k->m;
	const char *pa = k->path_any ? json_string_value(json_object_get(cols, k->path_any)) : NULL;
	const char *ph = k->path_handling ? json_string_value(json_object_get(cols, k->path_handling)) : NULL;
	struct machine_actor ma = store_item_actor(a, pa ? pa : ph ? ph : "", ph ? ph : "");
	if (!(ma.rights_any & right)) {
		json_decref(cols);
		json_decref(more);
		return qd_fail(err, QD_EPERM, "unit_id", "您无权在该单位登记%s", "you may not create a %s there", m->zh,
			       m->kind);
	}
	int64_t nid = store_next_id(tx, k->table);
	if (nid < 1) {
		json_decref(cols);
		json_decref(more);
		return qd_fail(err, QD_EINTERNAL, "id", "无法分配编号", "no id for a new %s", m->kind);
	}
	const struct machine_col *idc = NULL;
	for (int i = 0; i < m->ncols; i++)
		if (strcmp(m->cols[i].name, "id") == 0)
			idc = &m->cols[i];
	if (idc)
		put(item, idc, &nid, sizeof nid);
	json_t *row = item_row(m, item, 1);
	json_object_update(row, cols);
	json_decref(cols);
	json_object_set_new(row, "id", json_integer(nid));
	json_object_set_new(row, "updated_at", json_integer(store_tx_now(tx)));
	json_t *ev = json_pack("{ss}", "to", machine_state_name(m, machine_state(m, item)));
	if (more) {
		json_object_update(ev, more);
		json_decref(more);
	}
	char kind[MACHINE_EVENT_KIND_MAX];
	int kn = snprintf(kind, sizeof kind, "%s.create", m->kind);
	assert(kn > 0 && (size_t)kn < sizeof kind);
	if (store_emit_row(tx, a->user_id, kind, k->table, nid, row, ev, err))
		return -1;
	*id = nid;
	return 0;
}

json_t *store_item_get(struct store_rd *rd, const struct store_kind *k, int64_t id)
{
	db_conn *db = rd->db;
	char sql[128];
	int n = snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" WHERE id=?", k->table); /* sql-ident: the kind's table */
	assert(n > 0 && (size_t)n < sizeof sql); /* a table name is a short identifier of the descriptor */
	return db_get_row(db, sql, id);
}

int store_item_read(struct store_rd *rd, const struct store_kind *k, int64_t id, void *item, char *path_any,
		    char *path_handling, struct qd_err *err)
{
	json_t *row = store_item_get(rd, k, id);
	if (!row)
		return qd_fail(err, QD_ENOTFOUND, "id", "%s不存在", "no such %s", k->m->zh, k->m->kind);
	struct row r;
	struct row_jsonimpl ri;
	row_from_json(&r, &ri, row);
	store_item_from_row(k->m, &r, item);
	const char *pa = k->path_any ? json_string_value(json_object_get(row, k->path_any)) : NULL;
	const char *ph = k->path_handling ? json_string_value(json_object_get(row, k->path_handling)) : NULL;
	snprintf(path_any, 128, "%s", pa ? pa : "");
	snprintf(path_handling, 128, "%s", ph ? ph : "");
	json_decref(row);
	return 0;
}

struct machine_actor store_item_actor(const struct actor *a, const char *path_any, const char *path_handling)
{
	unsigned handling = *path_handling ? grants_rights_on(a->grants, a->ngrants, path_handling) : 0;
	unsigned any = *path_any ? grants_rights_on(a->grants, a->ngrants, path_any) : 0;
	struct machine_actor ma = {a->user_id, any | handling, handling};
	return ma;
}

/* The event's own fields: action, from, to, then the body — free text sealed (left out when
 * empty), every other field as given. */
static json_t *event_extra(struct store_tx *tx, const struct machine *m, int action, int from, int to,
			   const json_t *body)
{
	json_t *extra = json_pack("{ss ss ss}", "action", machine_action_name(m, action), "from",
				  machine_state_name(m, from), "to", machine_state_name(m, to));
	const struct param *spec = machine_action_body(m, action);
	for (int i = 0; spec[i].name; i++) {
		json_t *v = body ? json_object_get(body, spec[i].name) : NULL;
		if (!v || json_is_null(v))
			continue;
		if (spec[i].type == P_TEXT || spec[i].type == P_STR) {
			const char *s = json_string_value(v);
			if (s && *s)
				json_object_set_new(extra, spec[i].name, text_seal(tx, s));
		} else {
			json_object_set(extra, spec[i].name, v);
		}
	}
	return extra;
}

int store_item_act(struct store_tx *tx, const struct store_kind *k, const struct actor *a, int64_t id, int action,
		   const json_t *body, struct qd_err *err)
{
	const struct machine *m = k->m;
	char path_any[128] = "", path_handling[128] = "";
	void *item = xmalloc(m->size), *before = xmalloc(m->size);
	json_t *row = json_object();
	int rc = -1;
	if (store_item_read(store_tx_rd(tx), k, id, item, path_any, path_handling, err))
		goto out;
	struct machine_actor ma = store_item_actor(a, k->path_any ? path_any : path_handling, path_handling);
	/* Refuse on state, rights and guards before the kind's hook looks at the body's references. */
	if (machine_may(m, item, action, &ma, body, err))
		goto out;
	if (k->before_act && k->before_act(tx, k, item, action, body, row, err))
		goto out;
	struct urgency_limit lim[URG__COUNT];
	store_tx_limits(tx, lim);
	struct machine_ctx c = {store_tx_calendar(tx), lim, store_tx_today(tx), NULL};
	int from = machine_state(m, item);
	memcpy(before, item, m->size);
	if (machine_act(m, item, action, body, &ma, &c, err))
		goto out;
	/* The row carries what the action changed (store/item.h): the machine's columns that differ
	 * from the row before, and whatever the kind's hook set. */
	json_t *cols = store_item_row_diff(m, before, item);
	json_object_update(cols, row);
	json_object_set_new(cols, "updated_at", json_integer(store_tx_now(tx)));
	json_t *extra = event_extra(tx, m, action, from, machine_state(m, item), body);
	if (k->event_more)
		k->event_more(k, item, action, extra);
	char kind[MACHINE_EVENT_KIND_MAX];
	int kn = snprintf(kind, sizeof kind, "%s.%s", m->kind, machine_action_name(m, action));
	assert(kn > 0 && (size_t)kn < sizeof kind); /* machine_check holds every kind to it */
	rc = store_emit_row(tx, a->user_id, kind, k->table, id, cols, extra, err);
out:
	json_decref(row);
	free(before);
	free(item);
	return rc;
}

/* 1 when spec's field name is free text in some action of m (none without a machine). */
static int is_text_field(const struct machine *m, const char *name)
{
	for (int a = 0; m && a < m->nactions; a++) {
		const struct param *p = param_find(m->actions[a].body, name);
		if (p && (p->type == P_TEXT || p->type == P_STR))
			return 1;
	}
	return 0;
}

json_t *store_item_history(struct store_rd *rd, const struct store_kind *k, int64_t id)
{
	db_conn *db = rd->db;
	struct store *s = rd->s;
	json_t *arr = json_array();
	json_t *names = NULL;
	/* staff: whether the actor holds any role but resident (a resident's name is personal data) */
	db_stmt *st = db_prepare(db, "SELECT e.seq, e.at, e.actor, u.display_name, e.kind, e.payload, "
					  "CASE WHEN EXISTS(SELECT 1 FROM user_grant g WHERE g.user_id=e.actor AND g.active=1 "
					  "AND g.role<>'resident') THEN 1 ELSE 0 END FROM event e "
					  "LEFT JOIN \"user\" u ON u.id=e.actor WHERE e.entity=? AND e.entity_id=? "
					  "ORDER BY e.seq");
	if (!st) {
		json_decref(arr);
		return NULL;
	}
	db_bind_text(st, 1, k->table);
	db_bind_int(st, 2, id);
	while (db_step(st) == DB_ROW) {
		json_t *p = payload_json(st, 5, NULL);
		if (!p)
			p = json_object();
		json_object_del(p, "rows");
		json_object_del(p, "names");
		/* The body's free text is sealed in the record: here it takes its masked form. */
		const char *key;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(p, tmp, key, v) {
			if (!is_text_field(k->m, key) || !text_is(v))
				continue;
			if (!names)
				names = k->names ? k->names(rd, store_key(s), id) : json_array();
			char *masked = text_project(store_key(s), NULL, v, 0, names);
			json_object_set_new(p, key, masked ? json_string(masked) : json_null());
			free(masked);
		}
		json_object_set_new(p, "seq", json_integer(db_col_int64(st, 0)));
		json_object_set_new(p, "at", json_integer(db_col_int64(st, 1)));
		json_object_set_new(p, "actor_id", json_integer(db_col_int64(st, 2)));
		const char *who = db_col_text(st, 3);
		if (who && !db_col_int(st, 6)) { /* a resident acting online: masked like a reporter */
			char *mk = mask_apply(MASK_NAME, who, MASK_PUBLIC);
			json_object_set_new(p, "actor_name", json_string(mk ? mk : ""));
			free(mk);
		} else {
			json_object_set_new(p, "actor_name", db_col_json(st, 3));
		}
		json_object_set_new(p, "kind", db_col_json(st, 4));
		json_array_append(arr, p);
		json_decref(p);
	}
	json_decref(names);
	if (db_done(st)) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}
