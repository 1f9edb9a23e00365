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
	struct viewer v = req_viewer(r);
	json_t *a = present_json_list(p, &v, rows);
	json_decref(rows);
	req_json(r, 200, json_pack("{so}", "items", a));
}

/* A write whose argument is the request's JSON body plus ids resolved at dispatch. */
struct org_w {
	int64_t actor;
	json_t *body;
	int64_t id;      /* path id or result */
	char pw_hash[256];
	struct grant *g; /* the caller's grants (owned) */
	int ng;
	int revoke; /* grant_cmd: take the grant away */
};

static void org_w_free(void *p)
{
	struct org_w *w = p;
	json_decref(w->body);
	free(w->g);
	free(w);
}

static struct org_w *org_w_new(struct req *r)
{
	struct org_w *w = xcalloc(1, sizeof *w);
	w->actor = r->user_id;
	w->body = json_incref(r->json);
	w->id = r->path_id;
	w->g = req_grants_copy(r);
	w->ng = r->ngrants;
	return w;
}

static const char *bs(json_t *b, const char *k)
{
	return json_string_value(json_object_get(b, k));
}

static int64_t bi(json_t *b, const char *k)
{
	return json_integer_value(json_object_get(b, k));
}

/* The admin right must cover the unit the change is made under. */
static int admin_over(struct org_w *w, sqlite3 *db, int64_t unit_id, const char *field, struct qd_err *err)
{
	struct unit u;
	if (store_unit_get(db, unit_id, &u, err)) {
		snprintf(err->field, sizeof err->field, "%s", field);
		return -1;
	}
	if (!(grants_rights_on(w->g, w->ng, u.path) & RIGHT_ADMIN))
		return qd_fail(err, QD_EPERM, field, "您无权管理该单位", "you may not administer this unit");
	return 0;
}

/* County-wide settings (categories, calendar, limits) need the admin right over a root unit. */
static int admin_global(struct org_w *w, struct qd_err *err)
{
	for (int i = 0; i < w->ng; i++) {
		const char *p = w->g[i].path;
		if ((role_rights(w->g[i].role) & RIGHT_ADMIN) && p[0] == '/' && strchr(p + 1, '/') == p + strlen(p) - 1)
			return 0;
	}
	return qd_fail(err, QD_EPERM, "", "只有全县（市）系统管理员可以修改全局设置",
		       "only an administrator of the whole county may change global settings");
}

static void created_finish(struct req *r)
{
	struct org_w *w = r->warg;
	api_created(r, r->route->pattern + 8, w->id);
}

static int unit_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct org_w *w = arg;
	int64_t parent = bi(w->body, "parent_id");
	if (admin_over(w, store_tx_db(tx), parent, "parent_id", err))
		return -1;
	return store_unit_create(tx, w->actor, parent, bs(w->body, "name"), bs(w->body, "kind"),
				 bs(w->body, "peer_group"), &w->id, err);
}

void api_units(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		items(r, &present_unit, store_unit_list(db));
}

void api_unit_create(struct req *r)
{
	req_write(r, unit_cmd, org_w_new(r), org_w_free, created_finish);
}

void api_categories(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		items(r, &present_category, store_category_list(db));
}

static int category_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct org_w *w = arg;
	if (admin_global(w, err))
		return -1;
	return store_category_create(tx, w->actor, bi(w->body, "parent_id"), bs(w->body, "name"), &w->id, err);
}

void api_category_create(struct req *r)
{
	req_write(r, category_cmd, org_w_new(r), org_w_free, created_finish);
}

void api_users(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		items(r, &present_user, store_user_list(db));
}

static int user_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct org_w *w = arg;
	if (admin_over(w, store_tx_db(tx), bi(w->body, "unit_id"), "unit_id", err))
		return -1;
	return store_user_create(tx, w->actor, bs(w->body, "username"), bs(w->body, "display_name"),
				 bi(w->body, "unit_id"), w->pw_hash, &w->id, err);
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
	struct org_w *w = org_w_new(r);
	if (auth_hash_password(req_str(r, "password"), w->pw_hash, sizeof w->pw_hash)) {
		org_w_free(w);
		req_fail(r, QD_EINTERNAL, "password", "无法计算密码摘要", "cannot hash the password");
		return;
	}
	req_write(r, user_cmd, w, org_w_free, created_finish);
}

static int grant_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct org_w *w = arg;
	if (admin_over(w, store_tx_db(tx), bi(w->body, "unit_id"), "unit_id", err))
		return -1;
	int role = role_parse(bs(w->body, "role"));
	if (w->revoke)
		return store_grant_revoke(tx, w->actor, w->id, (enum role)role, bi(w->body, "unit_id"), err);
	return store_grant_add(tx, w->actor, w->id, (enum role)role, bi(w->body, "unit_id"), err);
}

static void grant_finish(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		req_present(r, 200, &present_user, store_user_get(db, r->path_id));
}

void api_user_grant(struct req *r)
{
	req_write(r, grant_cmd, org_w_new(r), org_w_free, grant_finish);
}

void api_user_revoke(struct req *r)
{
	struct org_w *w = org_w_new(r);
	w->revoke = 1;
	req_write(r, grant_cmd, w, org_w_free, grant_finish);
}

void api_calendar(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (!db)
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
	json_t *rows = store_calendar_list(db, year);
	json_t *days = present_json_list(&present_calendar_day, &v, rows);
	json_decref(rows);
	req_json(r, 200, json_pack("{si so}", "year", year, "days", days));
}

static int calendar_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct org_w *w = arg;
	if (admin_global(w, err))
		return -1;
	int32_t d;
	date_parse(bs(w->body, "date"), &d);
	int kind = cal_kind_parse(bs(w->body, "kind"));
	return store_calendar_set(tx, w->actor, d, kind, bs(w->body, "name"), err);
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
	req_write(r, calendar_cmd, org_w_new(r), org_w_free, calendar_finish);
}

static json_t *limits_json(sqlite3 *db)
{
	struct urgency_limit l[URG__COUNT];
	store_limits_load(db, l);
	json_t *o = json_object();
	for (int u = 0; u < URG__COUNT; u++)
		json_object_set_new(o, urgency_name((enum urgency)u),
				    json_pack("{si si si}", "respond", l[u].respond, "complete", l[u].complete,
					      "max_extensions", l[u].max_extensions));
	return o;
}

void api_limits(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		req_json(r, 200, limits_json(db));
}

static int limits_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct org_w *w = arg;
	if (admin_global(w, err))
		return -1;
	struct urgency_limit l[URG__COUNT];
	store_limits_load(store_tx_db(tx), l);
	int u = urgency_parse(bs(w->body, "urgency"));
	l[u].respond = (int)bi(w->body, "respond");
	l[u].complete = (int)bi(w->body, "complete");
	l[u].max_extensions = (int)bi(w->body, "max_extensions");
	if (l[u].respond > l[u].complete)
		return qd_fail(err, QD_EINVAL, "respond", "响应时限不能长于办结时限",
			       "the response limit cannot exceed the completion limit");
	return store_limits_set(tx, w->actor, l, err);
}

static void limits_finish(struct req *r)
{
	api_limits(r);
}

void api_limits_set(struct req *r)
{
	req_write(r, limits_cmd, org_w_new(r), org_w_free, limits_finish);
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
		for (unsigned bit = 1; bit <= RIGHT_OWN; bit <<= 1)
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
