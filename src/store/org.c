/* org.c — units, users, grants, categories, calendar and settings in the store (among them the
 * hand-off units a dispatcher may assign to outside their subtree, issue 9). */
#include "store/org.h"
#include "base/date.h"
#include "base/log.h"
#include "base/mem.h"
#include "core/param.h"
#include "core/scope.h"
#include "core/unit.h"
#include "store/cache.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/vocab.h"
#include "store/tx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_unit_get(struct store_rd *rd, int64_t id, struct unit *u, struct qd_err *err)
{
	int writer = rd->s && rd == &rd->s->wrd; /* (a stack handle has no store) */
	if (writer && rd->memo_ok && rd->memo.id == id) {
		*u = rd->memo;
		return 0;
	}
	int cached = cache_fresh(rd);
	if (cached && cache_unit_get(rd, id, u))
		return 0;
	db_conn *db = rd->db;
	db_stmt *st = db_prepare(db, "SELECT id, coalesce(parent_id,0), name, kind, path FROM unit WHERE id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		u->id = db_col_int64(st, 0);
		u->parent_id = db_col_int64(st, 1);
		snprintf(u->name, sizeof u->name, "%s", db_col_text(st, 2));
		snprintf(u->kind, sizeof u->kind, "%s", db_col_text(st, 3));
		snprintf(u->path, sizeof u->path, "%s", db_col_text(st, 4));
	}
	db_done(st);
	if (rc != DB_ROW)
		return qd_fail(err, QD_ENOTFOUND, "unit_id", "单位不存在", "no such unit");
	if (cached)
		cache_unit_put(rd, u);
	if (writer) {
		rd->memo = *u;
		rd->memo_ok = 1;
	}
	return 0;
}

int store_unit_create(struct store_tx *tx, int64_t actor, int64_t parent_id, const char *name,
		      const char *kind, const char *peer_group, int64_t *id, struct qd_err *err)
{
	/* The route checks its body; a unit made from the console (init --root, the demo) is held to
	 * the same rule for its name here, with the one checker. */
	static const struct param name_spec[] = {{"name", P_STR, 1, 0, 64, NULL, NULL, "name"},
						 {NULL, 0, 0, 0, 0, NULL, NULL, NULL}};
	json_t *given = json_object();
	json_object_set_new(given, "name", name ? json_string(name) : json_null());
	int bad = params_check_json(given, name_spec, "", err);
	json_decref(given);
	if (bad)
		return -1;
	if (unit_kind_parse(kind) < 0)
		return qd_fail(err, QD_EINVAL, "kind", "单位类型无效", "unit kind is invalid");
	char path[128] = "/";
	if (parent_id) {
		struct unit p;
		if (store_unit_get(store_tx_rd(tx), parent_id, &p, err)) {
			snprintf(err->field, sizeof err->field, "parent_id");
			return -1;
		}
		snprintf(path, sizeof path, "%s", p.path);
		if (strlen(path) > 100)
			return qd_fail(err, QD_EINVAL, "parent_id", "单位层级过深", "unit tree too deep");
	}
	int64_t nid = store_next_id(tx, "unit");
	size_t l = strlen(path);
	snprintf(path + l, sizeof path - l, "%lld/", (long long)nid);
	json_t *row = json_pack("{sI ss ss ss ss sI}", "id", (json_int_t)nid, "name", name, "kind", kind,
				"peer_group", peer_group ? peer_group : "", "path", path, "created_at",
				(json_int_t)store_tx_now(tx));
	json_object_set_new(row, "parent_id", parent_id ? json_integer(parent_id) : json_null());
	if (store_emit_row(tx, actor, "unit.create", "unit", nid, row, NULL, err))
		return -1;
	*id = nid;
	return 0;
}

int store_user_create(struct store_tx *tx, int64_t actor, const char *username,
		      const char *display_name, int64_t unit_id, const char *pw_hash, int64_t *id,
		      struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	struct unit u;
	if (store_unit_get(store_tx_rd(tx), unit_id, &u, err))
		return -1;
	if (store_user_by_name(store_tx_rd(tx), username) > 0)
		return qd_fail(err, QD_ECONFLICT, "username", "用户名已存在", "username is taken");
	int64_t nid = store_next_id(tx, "user");
	json_t *row = json_pack("{sI ss ss sI si sI}", "id", (json_int_t)nid, "username", username,
				"display_name", display_name, "unit_id", (json_int_t)unit_id, "active", 1,
				"created_at", (json_int_t)store_tx_now(tx));
	if (store_emit_row(tx, actor, "user.create", "user", nid, row, NULL, err))
		return -1;
	db_stmt *st = db_prepare(db, "INSERT INTO credential(user_id, pw_hash) VALUES(?,?)");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, nid);
	db_bind_text(st, 2, pw_hash);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return db_fail(db, err);
	*id = nid;
	return 0;
}

static int grant_set(struct store_tx *tx, int64_t actor, int64_t user_id, enum role role,
		     int64_t unit_id, int active, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	struct unit u;
	if (store_unit_get(store_tx_rd(tx), unit_id, &u, err))
		return -1;
	if (!store_user_active(db, user_id) && active)
		return qd_fail(err, QD_ENOTFOUND, "user_id", "用户不存在", "no such user");
	if (!role_name(role) || role == ROLE__COUNT)
		return qd_fail(err, QD_EINVAL, "role", "角色无效", "role is invalid");
	db_stmt *st = db_prepare(db, "SELECT id FROM user_grant WHERE user_id=? AND role=? AND unit_id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, role_name(role));
	db_bind_int(st, 3, unit_id);
	int64_t id = 0;
	if (db_step(st) == DB_ROW)
		id = db_col_int64(st, 0);
	db_done(st);
	if (!id) {
		if (!active)
			return qd_fail(err, QD_ENOTFOUND, "role", "该用户没有此授权", "the user has no such grant");
		id = store_next_id(tx, "user_grant");
	}
	json_t *row = json_pack("{sI sI ss sI si}", "id", (json_int_t)id, "user_id", (json_int_t)user_id,
				"role", role_name(role), "unit_id", (json_int_t)unit_id, "active", active);
	return store_emit_row(tx, actor, active ? "user.grant" : "user.revoke", "user_grant", id, row, NULL, err);
}

int store_grant_add(struct store_tx *tx, int64_t actor, int64_t user_id, enum role role,
		    int64_t unit_id, struct qd_err *err)
{
	return grant_set(tx, actor, user_id, role, unit_id, 1, err);
}

int store_grant_revoke(struct store_tx *tx, int64_t actor, int64_t user_id, enum role role,
		       int64_t unit_id, struct qd_err *err)
{
	return grant_set(tx, actor, user_id, role, unit_id, 0, err);
}

int store_category_exists(db_conn *db, int64_t id)
{
	return db_int(db, "SELECT count(*) FROM category WHERE id=?", id, 0) == 1;
}

int store_category_create(struct store_tx *tx, int64_t actor, int64_t parent_id, const char *name,
			  int64_t *id, struct qd_err *err)
{
	if (parent_id && !store_category_exists(store_tx_db(tx), parent_id))
		return qd_fail(err, QD_ENOTFOUND, "parent_id", "上级类别不存在", "no such parent category");
	int64_t nid = store_next_id(tx, "category");
	json_t *row = json_pack("{sI ss sI}", "id", (json_int_t)nid, "name", name, "created_at",
				(json_int_t)store_tx_now(tx));
	json_object_set_new(row, "parent_id", parent_id ? json_integer(parent_id) : json_null());
	if (store_emit_row(tx, actor, "category.create", "category", nid, row, NULL, err))
		return -1;
	*id = nid;
	return 0;
}

static void rules_load(struct store_tx *tx)
{
	struct store *s = store_tx_store(tx);
	if (s->rules_valid)
		return;
	calendar_free(s->cal);
	s->cal = store_calendar_load(store_tx_rd(tx));
	store_limits_load(store_tx_rd(tx), s->limits);
	s->rules_valid = 1;
}

const struct calendar *store_tx_calendar(struct store_tx *tx)
{
	rules_load(tx);
	return store_tx_store(tx)->cal;
}

void store_tx_limits(struct store_tx *tx, struct urgency_limit out[URG__COUNT])
{
	rules_load(tx);
	memcpy(out, store_tx_store(tx)->limits, sizeof store_tx_store(tx)->limits);
}

int store_calendar_set(struct store_tx *tx, int64_t actor, int32_t date, int kind,
		       const char *name, struct qd_err *err)
{
	store_tx_store(tx)->rules_valid = 0;
	if (!cal_kind_name((enum cal_kind)kind))
		return qd_fail(err, QD_EINVAL, "kind", "日期类型无效（0普通、1节假日、2调休上班）",
			       "kind must be 0 (ordinary), 1 (holiday) or 2 (worked weekend day)");
	char d[11];
	date_format(date, d);
	json_t *row = json_pack("{ss si ss}", "date", d, "kind", kind, "name", name ? name : "");
	return store_emit_row(tx, actor, "calendar.set", "calendar_day", date, row, NULL, err);
}

int store_limits_set(struct store_tx *tx, int64_t actor, const struct urgency_limit l[URG__COUNT],
		     struct qd_err *err)
{
	store_tx_store(tx)->rules_valid = 0;
	json_t *v = json_object();
	for (int u = 0; u < URG__COUNT; u++)
		json_object_set_new(v, urgency_name((enum urgency)u),
				    json_pack("{si si si}", "respond", l[u].respond, "complete", l[u].complete,
					      "max_extensions", l[u].max_extensions));
	char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	json_t *row = json_pack("{ss ss}", "key", "urgency_limits", "value", text);
	free(text);
	return store_emit_row(tx, actor, "setting.set", "setting", 0, row, NULL, err);
}

int store_org_seed(struct store_tx *tx, struct qd_err *err)
{
	store_tx_store(tx)->rules_valid = 0;
	/* The shipped calendar in one event, so init stays one small log entry. */
	size_t n;
	const struct cal_day *days = calendar_shipped(&n);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char d[11];
		json_array_append_new(arr, json_pack("{ss si ss}", "date", date_format(days[i].date, d), "kind",
						     (int)days[i].kind, "name", days[i].name));
	}
	json_t *p = json_object();
	json_t *rows = json_object();
	json_object_set_new(rows, "calendar_day", arr);
	json_object_set_new(p, "rows", rows);
	int64_t seq = store_emit(tx, 0, "calendar.seed", "calendar_day", 0, p, err);
	json_decref(p);
	if (seq < 0)
		return -1;
	struct urgency_limit l[URG__COUNT];
	task_default_limits(l);
	return store_limits_set(tx, 0, l, err);
}

int64_t store_unit_roots(struct store_rd *rd)
{
	int cached = cache_fresh(rd);
	int64_t n = cached ? cache_roots_get(rd) : -1;
	if (n >= 0)
		return n;
	n = db_int(rd->db, "SELECT count(*) FROM unit WHERE parent_id IS NULL", 0, 0);
	if (cached && n >= 0)
		cache_roots_put(rd, n);
	return n;
}

json_t *store_unit_list(struct store_rd *rd)
{
	db_conn *db = rd->db;
	return db_get_rows(db, "SELECT id, parent_id, name, kind, peer_group, path FROM unit ORDER BY path", 0);
}

json_t *store_category_list(struct store_rd *rd)
{
	db_conn *db = rd->db;
	return db_get_rows(db, "SELECT id, parent_id, name FROM category ORDER BY coalesce(parent_id, id), id", 0);
}

/* staff: the user holds some role but resident (a resident's name is personal data) */
#define USER_COLS                                                                                  \
	"SELECT u.id, u.username, u.display_name, u.unit_id, n.name AS unit_name, u.active, "       \
	"CASE WHEN EXISTS(SELECT 1 FROM user_grant g WHERE g.user_id=u.id AND g.active=1 "               \
	"AND g.role<>" SQL_ROLE_RESIDENT ") THEN 1 ELSE 0 END "                                          \
	"AS staff FROM \"user\" u JOIN unit n ON n.id=u.unit_id"

/* the loop's rc when a grant cannot be read (not a step result: those are positive) */
#define GRANT_UNREADABLE (-2)

/* Add the user's active grants to u (a row of USER_COLS); 0, or -1 when they cannot be read —
 * never a user shown without the grants they hold. */
static int with_grants(db_conn *db, json_t *u)
{
	json_t *g = db_get_rows(db, "SELECT g.role, g.unit_id, n.name AS unit_name FROM user_grant g "
				    "JOIN unit n ON n.id=g.unit_id WHERE g.user_id=? AND g.active=1 ORDER BY g.id",
				json_integer_value(json_object_get(u, "id")));
	if (!g)
		return -1;
	json_object_set_new(u, "grants", g);
	return 0;
}

json_t *store_user_list(struct store_rd *rd)
{
	json_t *users = db_get_rows(rd->db, USER_COLS " ORDER BY u.id", 0);
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u) {
		if (with_grants(rd->db, u)) {
			json_decref(users);
			return NULL;
		}
	}
	return users;
}

json_t *store_user_get(struct store_rd *rd, int64_t id)
{
	json_t *u = db_get_row(rd->db, USER_COLS " WHERE u.id=?", id);
	if (u && with_grants(rd->db, u)) {
		json_decref(u);
		return NULL;
	}
	return u;
}

int64_t store_user_by_name(struct store_rd *rd, const char *username)
{
	db_conn *db = rd->db;
	db_stmt *st = db_prepare(db, "SELECT id FROM \"user\" WHERE username=?");
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int64_t id = 0;
	if (db_step(st) == DB_ROW)
		id = db_col_int64(st, 0);
	db_done(st);
	return id;
}

int store_user_active(db_conn *db, int64_t id)
{
	return db_int(db, "SELECT active FROM \"user\" WHERE id=?", id, 0) == 1;
}

int store_user_grants(struct store_rd *rd, int64_t user_id, struct grant **out)
{
	db_conn *db = rd->db;
	*out = NULL;
	int cached = cache_fresh(rd), nc;
	if (cached && cache_grants_get(rd, user_id, out, &nc))
		return nc;
	db_stmt *st = db_prepare(db, "SELECT g.role, g.unit_id, n.path FROM user_grant g JOIN unit n "
					  "ON n.id=g.unit_id WHERE g.user_id=? AND g.active=1 ORDER BY g.id");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	struct grant *g = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *role = db_col_text(st, 0);
		const char *path = db_col_text(st, 2);
		int r = role_parse(role);
		/* A role this build does not know, or a path longer than a grant holds (unit paths
		 * are capped at creation, store_unit_create), is a broken record: fail, never guess. */
		if (r < 0 || !path || strlen(path) >= sizeof g->path) {
			log_error("store_user_grants: user %lld has a grant that cannot be read (role %s, path %s)",
				  (long long)user_id, role ? role : "NULL", path ? path : "NULL");
			rc = GRANT_UNREADABLE;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			g = xrealloc(g, (size_t)cap * sizeof *g);
		}
		g[n].role = (enum role)r;
		g[n].unit_id = db_col_int64(st, 1);
		memcpy(g[n].path, path, strlen(path) + 1);
		n++;
	}
	db_done(st);
	if (rc != DB_DONE) {
		if (rc != GRANT_UNREADABLE)
			log_error("store_user_grants: %s", db_errmsg(db));
		free(g);
		return -1;
	}
	if (cached)
		cache_grants_put(rd, user_id, g, n);
	*out = g;
	return n;
}

json_t *store_calendar_list(struct store_rd *rd, int year)
{
	db_conn *db = rd->db;
	char lo[16], hi[16];
	snprintf(lo, sizeof lo, "%04d-01-01", year % 10000);
	snprintf(hi, sizeof hi, "%04d-12-31", year % 10000);
	json_t *arr = json_array();
	db_stmt *st = db_prepare(db, "SELECT date, kind, name FROM calendar_day WHERE date BETWEEN ? AND ? "
					  "AND kind<>" SQL_CAL_ORDINARY " ORDER BY date");
	if (!st) {
		json_decref(arr);
		return NULL;
	}
	db_bind_text(st, 1, lo);
	db_bind_text(st, 2, hi);
	while (db_step(st) == DB_ROW) {
		int k = db_col_int(st, 1);
		json_array_append_new(arr, json_pack("{ss ss ss}", "date", db_col_text(st, 0), "kind",
						     cal_kind_name((enum cal_kind)k), "name",
						     db_col_text(st, 2)));
	}
	if (db_done(st)) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

struct calendar *store_calendar_load(struct store_rd *rd)
{
	db_conn *db = rd->db;
	size_t cap = 256, n = 0;
	struct cal_day *days = xmalloc(cap * sizeof *days);
	db_stmt *st = db_prepare(db, "SELECT date, kind, name FROM calendar_day WHERE kind<>" SQL_CAL_ORDINARY " ORDER BY date");
	while (st && db_step(st) == DB_ROW) {
		int32_t d;
		if (date_parse(db_col_text(st, 0), &d))
			continue;
		if (n == cap)
			days = xrealloc(days, (cap *= 2) * sizeof *days);
		days[n].date = d;
		days[n].kind = (enum cal_kind)db_col_int(st, 1);
		days[n].name = xstrdup(db_col_text(st, 2));
		n++;
	}
	db_done(st);
	struct calendar *c = calendar_new(days, n);
	for (size_t i = 0; i < n; i++)
		free((char *)days[i].name);
	free(days);
	return c;
}

void store_limits_load(struct store_rd *rd, struct urgency_limit out[URG__COUNT])
{
	db_conn *db = rd->db;
	task_default_limits(out);
	db_stmt *st = db_prepare(db, "SELECT value FROM setting WHERE key='urgency_limits'");
	if (!st)
		return;
	if (db_step(st) == DB_ROW) {
		json_t *v = json_loads(db_col_text(st, 0), 0, NULL);
		for (int u = 0; v && u < URG__COUNT; u++) {
			json_t *o = json_object_get(v, urgency_name((enum urgency)u));
			if (!o)
				continue;
			out[u].respond = (int)json_integer_value(json_object_get(o, "respond"));
			out[u].complete = (int)json_integer_value(json_object_get(o, "complete"));
			out[u].max_extensions = (int)json_integer_value(json_object_get(o, "max_extensions"));
		}
		json_decref(v);
	}
	db_done(st);
}

/* --- hand-off units (issue 9): setting handoff_units, a JSON array of unit ids ---------------- */

#define HANDOFF_KEY "handoff_units"

static int ids_hold(const json_t *ids, int64_t id)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
		if (json_integer_value(v) == id)
			return 1;
	return 0;
}

json_t *store_handoff_units(struct store_rd *rd, int *configured)
{
	db_conn *db = rd->db;
	json_t *ids = NULL;
	*configured = 0;
	db_stmt *st = db_prepare(db, "SELECT value FROM setting WHERE key='" HANDOFF_KEY "'");
	if (!st)
		return NULL;
	if (db_step(st) == DB_ROW) {
		ids = json_loads(db_col_text(st, 0), 0, NULL);
		*configured = 1;
	}
	if (db_done(st) || (*configured && !json_is_array(ids))) {
		json_decref(ids);
		return NULL;
	}
	st = db_prepare(db, "SELECT id, name, kind, path FROM unit ORDER BY id");
	if (!st) {
		json_decref(ids);
		return NULL;
	}
	json_t *out = json_array();
	while (db_step(st) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		const char *kind = db_col_text(st, 2), *path = db_col_text(st, 3);
		if (*configured ? !ids_hold(ids, id) : !scope_handoff_default(unit_kind_parse(kind), path))
			continue;
		json_array_append_new(out, json_pack("{sI ss ss ss}", "id", (json_int_t)id, "name", db_col_text(st, 1),
						     "kind", kind, "path", path));
	}
	json_decref(ids);
	if (db_done(st)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int store_handoff_set(struct store_tx *tx, int64_t actor, const int64_t *ids, int n, struct qd_err *err)
{
	struct store_rd *rd = store_tx_rd(tx);
	json_t *v = json_array();
	for (int i = 0; i < n; i++) {
		struct unit u = {0};
		for (int j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				json_decref(v);
				return qd_fail(err, QD_EINVAL, "unit_ids", "单位重复", "a unit is listed twice");
			}
		if (store_unit_get(rd, ids[i], &u, err)) {
			json_decref(v);
			snprintf(err->field, sizeof err->field, "unit_ids");
			return -1;
		}
		if (!scope_handoff_kind(unit_kind_parse(u.kind))) {
			json_decref(v);
			return qd_fail(err, QD_EINVAL, "unit_ids", "只能设定县直部门或企业为可交办单位（%s 不是）",
				       "only departments and companies may be hand-off units (%s is not)", u.name, u.name);
		}
		/* never a unit inside a township: its ancestors (the path's segments) are no township */
		for (const char *p = u.path + 1; *p;) {
			int64_t anc = strtoll(p, NULL, 10);
			struct unit a;
			if (anc && anc != u.id && store_unit_get(rd, anc, &a, err) == 0 &&
			    unit_kind_parse(a.kind) == UNIT_TOWNSHIP) {
				json_decref(v);
				return qd_fail(err, QD_EINVAL, "unit_ids", "乡镇内的单位不能设为可交办单位（%s）",
					       "a unit inside a township cannot be a hand-off unit (%s)", u.name, u.name);
			}
			const char *sl = strchr(p, '/');
			if (!sl)
				break;
			p = sl + 1;
		}
		json_array_append_new(v, json_integer(ids[i]));
	}
	char *text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	json_t *row = json_pack("{ss ss}", "key", HANDOFF_KEY, "value", text);
	free(text);
	return store_emit_row(tx, actor, "setting.set", "setting", 0, row, NULL, err);
}
