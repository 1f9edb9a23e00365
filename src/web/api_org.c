/* api_org.c — units, categories, users and grants, the working-day calendar, urgency limits,
 * and the route table itself (for clients and the authorization tests). */
#include "base/date.h"
#include "base/mem.h"
#include "store/org.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/router.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_created(struct req *r, const char *kind, int64_t id)
{
	req_json(r, 201, json_pack("{ss sI}", "kind", kind, "id", (json_int_t)id));
}

/* {"items": [...]} of rows presented by p (rows taken). */
static void items(struct req *r, const struct presenter *p, json_t *rows)
{
	if (!rows) {
		req_db_error(r);
		return;
	}
	struct viewer v = req_viewer(r);
	json_t *a = present_json_list(p, &v, rows);
	json_decref(rows);
	req_json(r, 200, json_pack("{so}", "items", a));
}

static const char *bs(json_t *b, const char *k)
{
	return json_string_value(json_object_get(b, k));
}

static int64_t bi(json_t *b, const char *k)
{
	return json_integer_value(json_object_get(b, k));
}

static void created_finish(struct req *r)
{
	struct store_write *w = r->warg;
	api_created(r, r->route->pattern + 8, w->id);
}

void api_units(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (rd)
		items(r, &present_unit, store_unit_list(rd));
}

void api_unit_create(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_UNIT_CREATE);
	w->u.unit.parent_id = bi(r->json, "parent_id");
	w->u.unit.name = bs(r->json, "name");
	w->u.unit.kind = bs(r->json, "kind");
	w->u.unit.peer_group = bs(r->json, "peer_group");
	req_write(r, w, created_finish);
}

void api_categories(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (rd)
		items(r, &present_category, store_category_list(rd));
}

void api_category_create(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_CATEGORY_CREATE);
	w->u.category.parent_id = bi(r->json, "parent_id");
	w->u.category.name = bs(r->json, "name");
	req_write(r, w, created_finish);
}

void api_users(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (rd)
		items(r, &present_user, store_user_list(rd));
}

void api_user_create(struct req *r)
{
	struct qd_err err;
	const char *u = req_str(r, "username");
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-')) {
			req_fail(r, QD_EINVAL, "username", "用户名只能包含小写字母、数字和 _ . -",
				 "username may hold only lowercase letters, digits and _ . -");
			return;
		}
	if (auth_password_ok(req_str(r, "password"), "password", &err)) {
		req_error(r, &err);
		return;
	}
	struct store_write *w = req_write_new(r, SW_USER_CREATE);
	if (auth_hash_password(req_str(r, "password"), w->u.user.pw_hash, sizeof w->u.user.pw_hash)) {
		store_write_free(w);
		req_fail(r, QD_EINTERNAL, "password", "无法计算密码摘要", "cannot hash the password");
		return;
	}
	w->u.user.username = u;
	w->u.user.display_name = bs(r->json, "display_name");
	w->u.user.unit_id = bi(r->json, "unit_id");
	req_write(r, w, created_finish);
}

static void grant_finish(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (rd)
		req_present(r, 200, &present_user, store_user_get(rd, r->path_id));
}

static void grant(struct req *r, enum store_write_kind kind)
{
	struct store_write *w = req_write_new(r, kind);
	w->u.grant.user_id = r->path_id;
	w->u.grant.role = (enum role)role_parse(bs(r->json, "role"));
	w->u.grant.unit_id = bi(r->json, "unit_id");
	req_write(r, w, grant_finish);
}

void api_user_grant(struct req *r)
{
	grant(r, SW_GRANT_ADD);
}

void api_user_revoke(struct req *r)
{
	grant(r, SW_GRANT_REVOKE);
}

static void unlock_finish(struct req *r)
{
	req_json(r, 200, json_pack("{sb sI}", "unlocked", 1, "id", (json_int_t)r->path_id));
}

void api_user_unlock(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_USER_UNLOCK);
	w->u.grant.user_id = r->path_id;
	req_write(r, w, unlock_finish);
}

void api_calendar(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	const char *y = req_query(r, "year");
	int year;
	if (y) {
		year = atoi(y);
	} else {
		int m, d;
		date_to_ymd(date_china_day(r->now), &year, &m, &d);
	}
	struct viewer v = req_viewer(r);
	json_t *rows = store_calendar_list(rd, year);
	if (!rows) {
		req_db_error(r);
		return;
	}
	json_t *days = present_json_list(&present_calendar_day, &v, rows);
	json_decref(rows);
	req_json(r, 200, json_pack("{si so}", "year", year, "days", days));
}

/* The day as set, through the calendar-day presenter (a day without a name: name null). */
static void calendar_finish(struct req *r)
{
	json_t *row = json_deep_copy(r->json);
	if (!json_object_get(row, "name"))
		json_object_set_new(row, "name", json_null());
	struct viewer v = req_viewer(r);
	json_t *day = present_json(&present_calendar_day, &v, row);
	json_decref(row);
	req_json(r, 200, json_pack("{so}", "day", day ? day : json_null()));
}

void api_calendar_set(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_CALENDAR_SET);
	date_parse(bs(r->json, "date"), &w->u.day.date);
	w->u.day.kind = cal_kind_parse(bs(r->json, "kind"));
	w->u.day.name = bs(r->json, "name");
	req_write(r, w, calendar_finish);
}

static json_t *limits_json(struct store_rd *rd)
{
	struct urgency_limit l[URG__COUNT];
	store_limits_load(rd, l);
	json_t *o = json_object();
	for (int u = 0; u < URG__COUNT; u++)
		json_object_set_new(o, urgency_name((enum urgency)u),
				    json_pack("{si si si}", "respond", l[u].respond, "complete", l[u].complete,
					      "max_extensions", l[u].max_extensions));
	return o;
}

void api_limits(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (rd)
		req_json(r, 200, limits_json(rd));
}

static void limits_finish(struct req *r)
{
	api_limits(r);
}

void api_limits_set(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_LIMITS_SET);
	w->u.limit.urgency = (enum urgency)urgency_parse(bs(r->json, "urgency"));
	w->u.limit.respond = (int)bi(r->json, "respond");
	w->u.limit.complete = (int)bi(r->json, "complete");
	w->u.limit.max_extensions = (int)bi(r->json, "max_extensions");
	req_write(r, w, limits_finish);
}

/* The hand-off units (issue 9): whether an administrator set them, and the units. */
void api_handoff(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	int configured = 0;
	json_t *units = store_handoff_units(rd, &configured);
	if (!units) {
		req_db_error(r);
		return;
	}
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
		json_object_del(u, "path");
	req_json(r, 200, json_pack("{sb so}", "configured", configured, "units", units));
}

static void handoff_finish(struct req *r)
{
	api_handoff(r);
}

void api_handoff_set(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_HANDOFF_SET);
	json_t *ids = json_object_get(r->json, "unit_ids");
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
		if (w->u.handoff.n < WRITE_MAX_HANDOFF) /* the route's bound is the same */
			w->u.handoff.unit_ids[w->u.handoff.n++] = json_integer_value(v);
	req_write(r, w, handoff_finish);
}

static json_t *params_json(const struct param *p)
{
	json_t *a = json_array();
	static const char *const types[] = {"string", "text", "integer", "id", "boolean", "enum", "date", "ids", "object"};
	for (int i = 0; p && p[i].name; i++) {
		json_t *o = json_pack("{ss ss sb}", "name", p[i].name, "type", types[p[i].type], "required", p[i].required);
		if (p[i].type == P_ENUM) {
			json_t *e = json_array();
			for (int k = 0; p[i].enums[k]; k++)
				json_array_append_new(e, json_string(p[i].enums[k]));
			json_object_set_new(o, "enum", e);
		}
		if (p[i].type == P_STR || p[i].type == P_TEXT || p[i].type == P_IDS)
			json_object_set_new(o, "max", json_integer(p[i].max));
		if (p[i].type == P_INT) {
			json_object_set_new(o, "min", json_integer(p[i].min));
			json_object_set_new(o, "max", json_integer(p[i].max));
		}
		if (p[i].type == P_OBJ)
			json_object_set_new(o, "fields", params_json(p[i].sub));
		json_array_append_new(a, o);
	}
	return a;
}

void api_routes(struct req *r)
{
	int n;
	const struct route *t = routes_table(&n);
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		json_t *rights = json_array();
		for (unsigned bit = 1; bit <= RIGHT__LAST; bit <<= 1)
			if (t[i].rights & bit)
				json_array_append_new(rights, json_string(right_name(bit)));
		json_array_append_new(a, json_pack("{ss ss ss so so so ss}", "method", t[i].method, "path", t[i].pattern,
						   "auth", t[i].auth == AUTH_PUBLIC ? "public" : "login", "rights", rights,
						   "query", params_json(t[i].query), "body", params_json(t[i].body),
						   "help", t[i].help));
		const struct machine *m = routes_machine(&t[i]);
		if (m) { /* each action's body, from the machine */
			json_t *acts = json_array();
			for (int k = 0; k < m->nactions; k++)
				json_array_append_new(acts, json_pack("{ss ss so}", "name", machine_action_name(m, k), "zh",
								      machine_action_zh(m, k), "body",
								      params_json(machine_action_body(m, k))));
			json_object_set_new(json_array_get(a, json_array_size(a) - 1), "actions", acts);
		}
	}
	req_json(r, 200, json_pack("{so}", "items", a));
}
