/* write.c — the store's write commands (see write.h): each kind of struct store_write run on the
 * writer inside its transaction, with the scope checks it needs made here, through core/scope.h,
 * against the items as they are now.  The writes themselves are the store functions of org.c,
 * problem.c, task.c, visit.c, session.c and text.c; this file only checks and calls them. */
#include "store/write.h"
#include "base/mem.h"
#include "core/problem.h"
#include "core/scope.h"
#include "core/unit.h"
#include "store/org.h"
#include "store/session.h"
#include "core/backoff.h"
#include "store/text.h"
#include "store/visit.h"
#include "store/tx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_write *store_write_new(enum store_write_kind kind, int64_t actor, const struct grant *g, int ng)
{
	struct store_write *w = xcalloc(1, sizeof *w);
	w->kind = kind;
	w->actor = actor;
	if (g && ng > 0) {
		w->grants = xmalloc((size_t)ng * sizeof *g);
		memcpy(w->grants, g, (size_t)ng * sizeof *g);
		w->ngrants = ng;
	}
	w->u.user.role = -1;
	if (kind == SW_TASK_CREATE)
		task_input_init(&w->u.task.in);
	if (kind == SW_TASK_ACT)
		task_input_init(&w->u.act.in);
	return w;
}

void store_write_free(struct store_write *w)
{
	if (!w)
		return;
	json_decref(w->out);
	if (w->kind == SW_PROBLEM_INTAKE)
		store_problem_prep_free(w->u.intake.prep);
	if (w->kind == SW_VISIT_CREATE) {
		for (int i = 0; i < w->u.visit.nintakes; i++)
			store_write_free(w->u.visit.intakes[i]);
		free(w->u.visit.intakes);
	}
	free(w->grants);
	free(w);
}

static struct scope who(const struct store_write *w)
{
	struct scope s = {w->actor, w->grants, w->ngrants};
	return s;
}

/* The right must hold over the unit the change is made under (field names the unit). */
static int right_over(struct store_tx *tx, const struct store_write *w, int64_t unit_id, unsigned right,
		      const char *field, const char *zh, const char *en, struct qd_err *err)
{
	if (w->console) /* the store function still checks that the unit exists */
		return 0;
	struct unit u;
	if (store_unit_get(store_tx_rd(tx), unit_id, &u, err)) {
		snprintf(err->field, sizeof err->field, "%s", field);
		return -1;
	}
	struct scope s = who(w);
	if (scope_rights_on(&s, u.path) & right)
		return 0;
	return qd_fail(err, QD_EPERM, field, "%s", "%s", zh, en);
}

static int admin_over(struct store_tx *tx, const struct store_write *w, int64_t unit_id, const char *field,
		      struct qd_err *err)
{
	return right_over(tx, w, unit_id, RIGHT_ADMIN, field, "您无权管理该单位", "you may not administer this unit", err);
}

/* County-wide settings (categories, calendar, limits) need the admin right over a root unit. */
static int county_admin(const struct store_write *w, struct qd_err *err)
{
	struct scope s = who(w);
	if (w->console || scope_county_admin(&s))
		return 0;
	return qd_fail(err, QD_EPERM, "", "只有全县（市）系统管理员可以修改全局设置",
		       "only an administrator of the whole county may change global settings");
}

/* The user a grant or password write names: by id, or by username (the CLI). */
static int64_t user_named(struct store_tx *tx, int64_t id, const char *username, struct qd_err *err)
{
	if (!id && username)
		id = store_user_by_name(store_tx_rd(tx), username);
	if (id <= 0)
		qd_fail(err, QD_ENOTFOUND, "username", "用户不存在", "no such user");
	return id;
}

/* The unit path of user uid's own unit into path[128]; 0, or -1 (no such user: 404 naming field). */
static int user_unit_path(struct store_tx *tx, int64_t uid, char *path, const char *field, struct qd_err *err)
{
	json_t *u = store_user_get(store_tx_rd(tx), uid);
	int64_t unit_id = json_integer_value(json_object_get(u, "unit_id"));
	json_decref(u);
	struct unit un;
	if (!unit_id || store_unit_get(store_tx_rd(tx), unit_id, &un, err))
		return qd_fail(err, QD_ENOTFOUND, field, "用户不存在", "no such user");
	snprintf(path, 128, "%s", un.path);
	return 0;
}

/* The grant rules (core/scope.h scope_grant_check) against the users and units as they are now. */
static int grant_allowed(struct store_tx *tx, const struct store_write *w, int64_t uid, struct qd_err *err)
{
	if (w->console)
		return 0;
	char upath[128];
	struct unit u;
	if (user_unit_path(tx, uid, upath, "user_id", err))
		return -1;
	if (store_unit_get(store_tx_rd(tx), w->u.grant.unit_id, &u, err)) {
		snprintf(err->field, sizeof err->field, "unit_id");
		return -1;
	}
	struct scope s = who(w);
	switch (scope_grant_check(&s, uid, upath, w->u.grant.role, u.path)) {
	case GRANT_OK:
		return 0;
	case GRANT_SELF:
		return qd_fail(err, QD_EPERM, "id", "不能修改自己的授权", "no one may change their own grants");
	case GRANT_UNIT_OUTSIDE:
		return qd_fail(err, QD_EPERM, "unit_id", "该单位不在您的授权管理范围内",
			       "this unit is outside the subtree where you may grant");
	case GRANT_USER_OUTSIDE:
		return qd_fail(err, QD_EPERM, "id", "该用户不在您的授权管理范围内",
			       "this user belongs to a unit outside the subtree where you may grant");
	case GRANT_PEER:
		return qd_fail(err, QD_EPERM, "role", "安全管理员只能授予您管辖范围以内的下级单位",
			       "a security administrator may be appointed only on a unit strictly inside your subtree");
	}
	return qd_fail(err, QD_EPERM, "id", "无权授权", "you may not grant");
}

static int grant_write(struct store_tx *tx, struct store_write *w, int revoke, struct qd_err *err)
{
	int64_t uid = user_named(tx, w->u.grant.user_id, w->u.grant.username, err);
	if (uid <= 0 || grant_allowed(tx, w, uid, err))
		return -1;
	w->id = uid;
	if (revoke)
		return store_grant_revoke(tx, w->actor, uid, w->u.grant.role, w->u.grant.unit_id, err);
	return store_grant_add(tx, w->actor, uid, w->u.grant.role, w->u.grant.unit_id, err);
}

/* Unlock: the grant right over the user's own unit, never oneself. */
static int unlock_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	int64_t uid = w->u.grant.user_id;
	char upath[128];
	if (user_unit_path(tx, uid, upath, "id", err))
		return -1;
	struct scope s = who(w);
	if (!w->console && uid == w->actor)
		return qd_fail(err, QD_EPERM, "id", "不能为自己解锁", "no one may unlock themselves");
	if (!w->console && !scope_user_managed(&s, RIGHT_GRANT, upath))
		return qd_fail(err, QD_EPERM, "id", "该用户不在您的管理范围内", "this user is outside your subtree");
	w->id = uid;
	return store_credential_clear(tx, uid, err);
}

/* The host restores an administrator: a new password, every lock cleared, the role granted again
 * when it was lost, and an event by the system (actor 0) saying so. */
static int restore_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	if (!w->console)
		return qd_fail(err, QD_EPERM, "", "只能在主机上恢复管理员", "an administrator is restored only on the host");
	int64_t uid = user_named(tx, 0, w->u.restore.username, err);
	if (uid <= 0)
		return -1;
	w->id = uid;
	int64_t unit_id = w->u.restore.unit_id;
	if (!unit_id) {
		json_t *u = store_user_get(store_tx_rd(tx), uid);
		unit_id = json_integer_value(json_object_get(u, "unit_id"));
		json_decref(u);
	}
	struct grant *g = NULL;
	int ng = store_user_grants(store_tx_rd(tx), uid, &g);
	int held = w->u.restore.role < 0; /* no role named: nothing to grant again */
	for (int i = 0; i < ng; i++)
		if ((int)g[i].role == w->u.restore.role && g[i].unit_id == unit_id)
			held = 1;
	free(g);
	if (ng < 0)
		return qd_fail(err, QD_EINTERNAL, "", "无法读取用户授权", "cannot read the user's grants");
	if (store_password_set(tx, uid, w->u.restore.pw_hash, err) || store_credential_clear(tx, uid, err))
		return -1;
	if (!held && store_grant_add(tx, 0, uid, (enum role)w->u.restore.role, unit_id, err))
		return -1;
	w->u.restore.regranted = !held;
	const char *rn = w->u.restore.role < 0 ? "" : role_name((enum role)w->u.restore.role);
	json_t *p = json_pack("{ss ss sI sb}", "username", w->u.restore.username, "role", rn ? rn : "",
			      "unit_id", (json_int_t)unit_id, "regranted", !held);
	int64_t seq = store_emit(tx, 0, "user.restore", "user", uid, p, err);
	json_decref(p);
	return seq < 0 ? -1 : 0;
}

static int limits_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	if (county_admin(w, err))
		return -1;
	struct urgency_limit l[URG__COUNT];
	store_limits_load(store_tx_rd(tx), l);
	enum urgency u = w->u.limit.urgency;
	if ((unsigned)u >= URG__COUNT)
		return qd_fail(err, QD_EINVAL, "urgency", "紧急程度无效", "unknown urgency");
	l[u].respond = w->u.limit.respond;
	l[u].complete = w->u.limit.complete;
	l[u].max_extensions = w->u.limit.max_extensions;
	if (l[u].respond > l[u].complete)
		return qd_fail(err, QD_EINVAL, "respond", "响应时限不能长于办结时限",
			       "the response limit cannot exceed the completion limit");
	return store_limits_set(tx, w->actor, l, err);
}

static int intake_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	struct scope s = who(w);
	/* A resident submits for the village, community or group where the problem is (any of the
	 * county's); staff only where they may log problems. */
	if (!w->console && scope_own_only(&s)) {
		struct unit u;
		if (store_unit_get(store_tx_rd(tx), w->u.intake.p.unit_id, &u, err)) {
			snprintf(err->field, sizeof err->field, "unit_id");
			return -1;
		}
		if (!scope_resident_files_for(unit_kind_parse(u.kind)))
			return qd_fail(err, QD_EINVAL, "unit_id", "请选择问题所在的村（社区）或村民小组，而不是%s",
				       "choose the village, community or group where the problem is, not a %s",
				       unit_kind_label_zh((enum unit_kind)unit_kind_parse(u.kind)), u.kind);
	} else if (right_over(tx, w, w->u.intake.p.unit_id, RIGHT_PROBLEM_CREATE, "unit_id", "您无权登记该单位的问题",
			      "you may not log problems for this unit", err)) {
		return -1;
	}
	if (!store_problem_prep_fits(w->u.intake.prep, tx)) /* not prepared (the CLI), or for another time */
		store_write_prepare(store_tx_store(tx), w, store_tx_now(tx));
	if (store_problem_create_prepared(tx, &w->u.intake.p, w->u.intake.prep, &w->id, w->code, err))
		return -1;
	if (!w->u.intake.immediate)
		return 0;
	/* The title is the description's first 60 characters — cut after masking, so a cut never
	 * leaves part of a number in clear (store/text.h). */
	struct task_new tn = {.title = w->u.intake.p.description, .title_cut = 60, .measures = w->u.intake.measures,
			      .tier = TIER_IMMEDIATE, .urgency = URG_NORMAL, .category_id = w->u.intake.p.category_id,
			      .problem_ids = &w->id, .nproblems = 1};
	struct actor a = {w->actor, w->grants, w->ngrants};
	return store_task_create(tx, &a, &tn, &w->task_id, err);
}

/* A visit, then the problems raised on it (their intakes, each refused or written as SW_PROBLEM_INTAKE
 * alone would be): a refusal fails the whole command, so nothing of it is written. */
static int visit_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	w->u.visit.failed = -1;
	if (right_over(tx, w, w->u.visit.unit_id, RIGHT_VISIT, "unit_id", "您无权登记该单位的走访",
		       "you may not log visits for this unit", err) ||
	    store_visit_create(tx, w->actor, w->u.visit.unit_id, w->u.visit.visited_on, w->u.visit.household,
			       w->u.visit.note, &w->id, err))
		return -1;
	for (int i = 0; i < w->u.visit.nintakes; i++) {
		struct store_write *p = w->u.visit.intakes[i];
		p->u.intake.p.visit_id = w->id;
		/* prepared before the visit had its id: prepared again here, with it */
		store_problem_prep_free(p->u.intake.prep);
		p->u.intake.prep = NULL;
		if (intake_write(tx, p, err)) {
			w->u.visit.failed = i;
			return -1;
		}
	}
	return 0;
}

/* The problem id if the writer may see it, else an error naming field. */
static int problem_seen(struct store_tx *tx, const struct store_write *w, int64_t id, const char *field,
			const char *zh, const char *en, char *unit_path, struct qd_err *err)
{
	json_t *p = store_problem_get(store_tx_rd(tx), id);
	struct scope s = who(w);
	const char *path = json_string_value(json_object_get(p, "unit_path"));
	int seen = p && (w->console || scope_sees_problem(&s, path, json_integer_value(json_object_get(p, "created_by"))));
	if (seen && unit_path)
		snprintf(unit_path, 128, "%s", path ? path : "");
	json_decref(p);
	return seen ? 0 : qd_fail(err, QD_ENOTFOUND, field, "%s", "%s", zh, en);
}

static int triage_write(struct store_tx *tx, struct store_write *w, enum problem_action action, struct qd_err *err)
{
	char path[128];
	struct scope s = who(w);
	if (problem_seen(tx, w, w->u.triage.id, "id", "问题不存在", "no such problem", path, err))
		return -1;
	if (!w->console && !(scope_rights_on(&s, path) & RIGHT_TRIAGE))
		return qd_fail(err, QD_EPERM, "id", "您无权研判该问题", "you may not triage this problem");
	if (action == PA_DECLINE)
		return store_problem_decline(tx, w->actor, w->u.triage.id, w->u.triage.reason ? w->u.triage.reason : "", err);
	if (action == PA_CLASSIFY)
		return store_problem_classify(tx, w->actor, w->u.triage.id, w->u.triage.category_id, err);
	/* the duplicate's original must be visible to the caller too */
	if (problem_seen(tx, w, w->u.triage.into, "into", "目标问题不存在", "no such problem to merge into", NULL, err))
		return -1;
	return store_problem_merge(tx, w->actor, w->u.triage.id, w->u.triage.into, err);
}

/* A lookup by the reporter's phone: the personal-data right somewhere (the list it answers is
 * confined to where it holds), audited by a pii.lookup event before the answer. */
static int lookup_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	struct scope s = who(w);
	if (!w->console && !(scope_rights_any(&s) & RIGHT_PII))
		return qd_fail(err, QD_EPERM, "reporter_phone", "按联系电话查找需要个人信息查阅权限",
			       "looking up by phone needs the personal-data right");
	json_t *p = json_pack("{s[s] ss}", "fields", "phone", "phone_hash", w->u.lookup.phone_hash);
	int64_t seq = store_emit(tx, w->actor, "pii.lookup", "problem", 0, p, err);
	json_decref(p);
	return seq < 0 ? -1 : 0;
}

/* The audited read: the personal-data right over the item as it is now, then the read and its
 * pii.read event. */
static int pii_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	const char *e = w->u.pii.entity;
	struct store_rd *rd = store_tx_rd(tx);
	json_t *item = !strcmp(e, "problem") ? store_problem_get(rd, w->u.pii.id)
		       : !strcmp(e, "task")  ? store_task_get(rd, w->u.pii.id)
		       : !strcmp(e, "visit") ? store_visit_get(rd, w->u.pii.id)
					     : NULL;
	struct scope s = who(w);
	unsigned rights = scope_rights_item(&s, json_string_value(json_object_get(item, "origin_path")),
					    json_string_value(json_object_get(item, "unit_path")));
	int found = item != NULL;
	json_decref(item);
	if (!found)
		return qd_fail(err, QD_ENOTFOUND, "id", "记录不存在", "no such item");
	if (!w->console && !(rights & RIGHT_PII))
		return qd_fail(err, QD_EPERM, "id", "您没有查阅其个人信息与原始记录的权限",
			       "you may not read this item's personal data and original text");
	json_decref(w->out);
	w->out = NULL;
	return store_pii_read(tx, w->actor, e, w->u.pii.id, &w->out, err);
}

/* An assignment's unit: inside a subtree where the actor holds the triage right, or one of the
 * hand-off units (store_handoff_units) — never another township.  A unit that does not exist is
 * left to the assignment's own check (404 naming unit_id). */
static int assign_scope(struct store_tx *tx, const struct store_write *w, int64_t unit_id, struct qd_err *err)
{
	struct unit u;
	struct qd_err ignored;
	if (w->console || unit_id <= 0 || store_unit_get(store_tx_rd(tx), unit_id, &u, &ignored))
		return 0;
	struct scope s = who(w);
	if (scope_may_assign(&s, u.path, NULL, 0)) /* their own subtree: no need to read the setting */
		return 0;
	int configured;
	json_t *units = store_handoff_units(store_tx_rd(tx), &configured);
	if (!units)
		return qd_fail(err, QD_EINTERNAL, "unit_id", "无法读取可交办单位", "cannot read the hand-off units");
	size_t n = json_array_size(units);
	const char **paths = xcalloc(n ? n : 1, sizeof *paths);
	for (size_t i = 0; i < n; i++)
		paths[i] = json_string_value(json_object_get(json_array_get(units, i), "path"));
	int ok = scope_may_assign(&s, u.path, paths, (int)n);
	free(paths);
	json_decref(units);
	if (ok)
		return 0;
	return qd_fail(err, QD_EPERM, "unit_id", "只能交办给本辖区内的单位或可交办的县直部门、企业（%s 不在其中）",
		       "a task goes to a unit of your own area or a hand-off department or company (%s is neither)",
		       u.name, u.name);
}

static int task_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	struct actor a = {w->actor, w->grants, w->ngrants};
	w->u.task.tn.problem_ids = w->u.task.problem_ids;
	if (store_task_create(tx, &a, &w->u.task.tn, &w->id, err))
		return -1;
	if (w->u.task.assign)
		return assign_scope(tx, w, w->u.task.in.unit_id, err) ||
		       store_task_act(tx, &a, w->id, TA_ASSIGN, &w->u.task.in, err) ? -1 : 0;
	return 0;
}

/* The event that names a new session (by session_ref, never the token): what `qingdan check`
 * looks for behind every session row (store/check.c). */
static int session_event(struct store_tx *tx, int64_t uid, const char *kind, const unsigned char hash[32],
			 struct qd_err *err)
{
	char ref[65];
	session_ref(hash, ref);
	json_t *p = json_pack("{ss}", "session", ref);
	int64_t seq = store_emit(tx, uid, kind, "user", uid, p, err);
	json_decref(p);
	return seq < 0 ? -1 : 0;
}

static int login_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	int64_t uid = w->u.login.user_id;
	if (!w->u.login.ok || !uid)
		return store_login_fail(tx, w->u.login.name_key, BACKOFF_FREE_NAME, w->u.login.max_rows, err) ||
			       store_login_fail(tx, w->u.login.addr_key, BACKOFF_FREE_ADDR, w->u.login.max_rows, err)
			   ? -1
			   : 0;
	if (w->u.login.totp_step && store_totp_used(tx, uid, w->u.login.totp_step, err))
		return -1;
	if (store_login_clear(tx, w->u.login.name_key, err))
		return -1;
	struct session_new n = {.user_id = uid, .kind = "session", .scope = "write", .label = "",
				.expires_at = store_tx_now(tx) + w->u.login.session_ms};
	memcpy(n.hash, w->u.login.hash, 32);
	int64_t id = 0;
	/* the event first: on PostgreSQL it takes chain_head, which orders the session ids */
	if (session_event(tx, uid, "auth.login", n.hash, err))
		return -1;
	return store_session_create(tx, &n, &id, err);
}

static int token_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	struct session_new n = {.user_id = w->actor, .kind = "token", .scope = w->u.session.scope,
				.label = w->u.session.label,
				.expires_at = store_tx_now(tx) + w->u.session.days * 86400000LL};
	memcpy(n.hash, w->u.session.hash, 32);
	if (session_event(tx, w->actor, "auth.token", n.hash, err))
		return -1;
	return store_session_create(tx, &n, &w->id, err);
}

static int token_revoke_write(struct store_tx *tx, struct store_write *w, struct qd_err *err)
{
	int any = 0;
	if (w->u.session.any) { /* another user's token: only a security administrator over its owner */
		char path[128];
		if (store_token_owner_path(tx, w->u.session.id, path, sizeof path, err))
			return -1;
		any = (grants_rights_on(w->grants, w->ngrants, path) & RIGHT_GRANT) != 0;
	}
	if (store_token_revoke(tx, w->u.session.id, any ? 0 : w->actor, err))
		return -1;
	json_t *p = json_pack("{sI}", "token_id", (json_int_t)w->u.session.id);
	int64_t seq = store_emit(tx, w->actor, "auth.token_revoke", "user", w->actor, p, err);
	json_decref(p);
	return seq < 0 ? -1 : 0;
}

static int write_exec(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct store_write *w = arg;
	if (w->actor_grants) {
		free(w->grants);
		w->ngrants = store_user_grants(store_tx_rd(tx), w->actor, &w->grants);
		if (w->ngrants < 0) {
			w->ngrants = 0;
			return qd_fail(err, QD_EINTERNAL, "", "无法读取用户授权", "cannot read the user's grants");
		}
	}
	switch (w->kind) {
	case SW_ORG_SEED:
		return store_org_seed(tx, err);
	case SW_UNIT_CREATE:
		if (admin_over(tx, w, w->u.unit.parent_id, "parent_id", err))
			return -1;
		return store_unit_create(tx, w->actor, w->u.unit.parent_id, w->u.unit.name, w->u.unit.kind,
					 w->u.unit.peer_group, &w->id, err);
	case SW_CATEGORY_CREATE:
		if (county_admin(w, err))
			return -1;
		return store_category_create(tx, w->actor, w->u.category.parent_id, w->u.category.name, &w->id, err);
	case SW_USER_CREATE:
		if (admin_over(tx, w, w->u.user.unit_id, "unit_id", err) ||
		    store_user_create(tx, w->actor, w->u.user.username, w->u.user.display_name, w->u.user.unit_id,
				      w->u.user.pw_hash, &w->id, err))
			return -1;
		if (w->u.user.role < 0)
			return 0;
		if (w->u.user.role >= ROLE__COUNT)
			return qd_fail(err, QD_EINVAL, "role", "角色无效", "unknown role");
		return store_grant_add(tx, w->actor, w->id, (enum role)w->u.user.role, w->u.user.unit_id, err);
	case SW_GRANT_ADD:
		return grant_write(tx, w, 0, err);
	case SW_GRANT_REVOKE:
		return grant_write(tx, w, 1, err);
	case SW_PASSWORD_SET:
		if ((w->id = user_named(tx, 0, w->u.password.username, err)) <= 0)
			return -1;
		if (!w->console && w->id != w->actor)
			return qd_fail(err, QD_EPERM, "username", "只能修改自己的密码", "you may change only your own password");
		return store_password_set(tx, w->id, w->u.password.pw_hash, err);
	case SW_CALENDAR_SET:
		if (county_admin(w, err))
			return -1;
		return store_calendar_set(tx, w->actor, w->u.day.date, w->u.day.kind, w->u.day.name, err);
	case SW_LIMITS_SET:
		return limits_write(tx, w, err);
	case SW_HANDOFF_SET:
		if (county_admin(w, err))
			return -1;
		return store_handoff_set(tx, w->actor, w->u.handoff.unit_ids, w->u.handoff.n, err);
	case SW_VISIT_CREATE:
		return visit_write(tx, w, err);
	case SW_PROBLEM_INTAKE:
		return intake_write(tx, w, err);
	case SW_PROBLEM_MERGE:
		return triage_write(tx, w, PA_MERGE, err);
	case SW_PROBLEM_DECLINE:
		return triage_write(tx, w, PA_DECLINE, err);
	case SW_PROBLEM_CLASSIFY:
		return triage_write(tx, w, PA_CLASSIFY, err);
	case SW_PHONE_LOOKUP:
		return lookup_write(tx, w, err);
	case SW_PII_READ:
		return pii_write(tx, w, err);
	case SW_TASK_CREATE:
		return task_write(tx, w, err);
	case SW_TASK_ACT: {
		struct actor a = {w->actor, w->grants, w->ngrants};
		if (w->u.act.action == TA_ASSIGN &&
		    assign_scope(tx, w, w->u.act.body ? param_int(w->u.act.body, "unit_id", 0) : w->u.act.in.unit_id, err))
			return -1;
		if (w->u.act.body)
			return store_item_act(tx, &task_kind, &a, w->u.act.id, (int)w->u.act.action, w->u.act.body, err);
		return store_task_act(tx, &a, w->u.act.id, w->u.act.action, &w->u.act.in, err);
	}
	case SW_LOGIN:
		return login_write(tx, w, err);
	case SW_LOGOUT:
		return store_session_revoke(tx, w->u.session.hash, err);
	case SW_TOTP_ENROL:
		return store_totp_enrol(tx, w->actor, w->u.totp.secret, err);
	case SW_TOTP_CONFIRM:
		return store_totp_confirm(tx, w->actor, w->u.totp.sealed, w->u.totp.step, err);
	case SW_USER_UNLOCK:
		return unlock_write(tx, w, err);
	case SW_USER_RESTORE:
		return restore_write(tx, w, err);
	case SW_TOKEN_CREATE:
		return token_write(tx, w, err);
	case SW_TOKEN_REVOKE:
		return token_revoke_write(tx, w, err);
	case SW_SESSION_TOUCH:
		return store_session_touch(tx, w->u.session.hash, err);
	}
	return qd_fail(err, QD_EINTERNAL, "", "未知的写操作", "unknown write");
}

void store_write_prepare(struct store *s, struct store_write *w, int64_t now)
{
	if (w->kind != SW_PROBLEM_INTAKE)
		return;
	store_problem_prep_free(w->u.intake.prep);
	w->u.intake.prep = store_problem_prepare(s, w->actor, &w->u.intake.p, now);
}

void store_write_cmd(struct store_cmd *cmd, struct store_write *w)
{
	cmd->fn = write_exec;
	cmd->arg = w;
}

int store_tx_write(struct store_tx *tx, int64_t now, struct store_write *w, struct qd_err *err)
{
	return store_tx_run(tx, now, write_exec, w, err);
}

int store_write_run(struct store *s, int64_t now, struct store_write *w, struct qd_err *err)
{
	return store_run(s, now, write_exec, w, err);
}
