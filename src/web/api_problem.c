/* api_problem.c — the problem list over HTTP: intake, read, the audited personal-data read,
 * merge, decline, lists. */
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/problem.h"
#include "core/task.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/task.h"
#include "web/api.h"
#include "web/viewer.h"
#include "web/server.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct intake_w {
	struct problem_new p;
	json_t *body; /* owns the strings p points into */
	struct grant *g; /* the caller's grants (owned) */
	int ng;
	int64_t actor;
	int immediate;
	int64_t id, task_id;
	char code[16];
	int own; /* resident: any unit allowed */
};

static void intake_free(void *p)
{
	struct intake_w *w = p;
	json_decref(w->body);
	free(w->g);
	free(w);
}

static int intake_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct intake_w *w = arg;
	if (!w->own) {
		struct unit u;
		if (store_unit_get(store_tx_db(tx), w->p.unit_id, &u, err))
			return -1;
		if (!(grants_rights_on(w->g, w->ng, u.path) & RIGHT_PROBLEM_CREATE))
			return qd_fail(err, QD_EPERM, "unit_id", "您无权登记该单位的问题",
				       "you may not log problems for this unit");
	}
	if (store_problem_create(tx, w->actor, &w->p, &w->id, w->code, err))
		return -1;
	if (w->immediate) {
		const char *measures = json_string_value(json_object_get(w->body, "measures"));
		/* The title is the description's first 60 characters — cut after masking, so a cut
		 * never leaves part of a number in clear (store/text.h). */
		struct task_new tn = {.title = w->p.description, .title_cut = 60, .measures = measures,
				      .tier = TIER_IMMEDIATE, .urgency = URG_NORMAL, .category_id = w->p.category_id,
				      .problem_ids = &w->id, .nproblems = 1};
		struct actor a = {w->actor, w->g, w->ng};
		if (store_task_create(tx, &a, &tn, &w->task_id, err))
			return -1;
	}
	return 0;
}

static void intake_finish(struct req *r)
{
	struct intake_w *w = r->warg;
	json_t *o = json_pack("{sI ss ss}", "id", (json_int_t)w->id, "code", w->code, "state",
			      problem_state_name(w->immediate ? PS_ASSIGNED : PS_NEW));
	json_object_set_new(o, "task_id", w->task_id ? json_integer(w->task_id) : json_null());
	req_json(r, 201, o);
}

void api_problem_create(struct req *r)
{
	json_t *rep = json_object_get(r->json, "reporter");
	const char *phone = json_string_value(json_object_get(rep, "phone"));
	const char *idno = json_string_value(json_object_get(rep, "id_no"));
	if (phone && *phone && !problem_phone_valid(phone)) {
		req_fail(r, QD_EINVAL, "reporter.phone", "联系电话格式不正确", "reporter.phone is not a valid phone number");
		return;
	}
	if (idno && *idno && !problem_idno_valid(idno)) {
		req_fail(r, QD_EINVAL, "reporter.id_no", "身份证号码不正确（18位，校验位错误）",
			 "reporter.id_no is not a valid 18-character ID number");
		return;
	}
	const char *tier = req_str(r, "tier");
	int immediate = tier_parse(tier) == TIER_IMMEDIATE;
	const char *measures = req_str(r, "measures");
	if (immediate && (!measures || !*measures)) {
		req_fail(r, QD_EINVAL, "measures", "即知即办须填写办理措施", "measures is required for an immediate (solved on the spot) problem");
		return;
	}
	struct intake_w *w = xcalloc(1, sizeof *w);
	w->body = json_incref(r->json);
	w->actor = r->user_id;
	w->g = req_grants_copy(r);
	w->ng = r->ngrants;
	w->own = !(r->rights & RIGHT_READ) && (r->rights & RIGHT_OWN);
	w->immediate = immediate;
	w->p.unit_id = req_int(r, "unit_id", 0);
	w->p.category_id = req_int(r, "category_id", 0);
	w->p.source = req_str(r, "source") ? req_str(r, "source") : problem_source_name(w->own ? PSRC_WEB : PSRC_VISIT);
	w->p.description = req_str(r, "description");
	w->p.visit_id = req_int(r, "visit_id", 0);
	w->p.anonymous = req_bool(r, "anonymous", 0);
	w->p.no_disclose = req_bool(r, "no_disclose", 0);
#define REP(k) (json_string_value(json_object_get(rep, k)) && *json_string_value(json_object_get(rep, k)) ? json_string_value(json_object_get(rep, k)) : NULL)
	w->p.name = REP("name");
	w->p.phone = REP("phone");
	w->p.id_no = REP("id_no");
	w->p.address = REP("address");
#undef REP
	if (immediate && w->own) {
		intake_free(w);
		req_fail(r, QD_EPERM, "tier", "群众提交的问题不能直接标为即知即办", "residents cannot mark a problem as solved on the spot");
		return;
	}
	req_write(r, intake_cmd, w, intake_free, intake_finish);
}

/* The problem if the caller may see it (read right over its unit, or they submitted it). */
static json_t *visible(struct req *r, sqlite3 *db, int64_t id)
{
	json_t *p = store_problem_get(db, id);
	if (!p)
		return NULL;
	const char *path = json_string_value(json_object_get(p, "unit_path"));
	int own = (r->rights & RIGHT_OWN) && json_integer_value(json_object_get(p, "created_by")) == r->user_id;
	if ((req_rights_on(r, path) & RIGHT_READ) || own)
		return p;
	json_decref(p);
	return NULL;
}

void api_problem_get(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *p = visible(r, db, r->path_id);
	if (!p) {
		req_fail(r, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		return;
	}
	req_present(r, 200, &present_problem, p);
}

void api_problem_pii(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *p = visible(r, db, r->path_id);
	if (!p) {
		req_fail(r, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		return;
	}
	api_pii(r, "problem", r->path_id, NULL, json_string_value(json_object_get(p, "unit_path")), &present_problem_pii);
	json_decref(p);
}

struct triage_w {
	int64_t actor, id, into;
	char reason[2048];
	int merge;
};

static int triage_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct triage_w *w = arg;
	return w->merge ? store_problem_merge(tx, w->actor, w->id, w->into, err)
			: store_problem_decline(tx, w->actor, w->id, w->reason, err);
}

static void triage_finish(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		req_present(r, 200, &present_problem, store_problem_get(db, r->path_id));
}

static void triage(struct req *r, int merge)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *p = visible(r, db, r->path_id);
	if (!p) {
		req_fail(r, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		return;
	}
	unsigned rights = req_rights_on(r, json_string_value(json_object_get(p, "unit_path")));
	json_decref(p);
	if (!(rights & RIGHT_TRIAGE)) {
		req_fail(r, QD_EPERM, "id", "您无权研判该问题", "you may not triage this problem");
		return;
	}
	if (merge) { /* the duplicate's original must be visible to the caller too */
		json_t *into = visible(r, db, req_int(r, "into", 0));
		if (!into) {
			req_fail(r, QD_ENOTFOUND, "into", "目标问题不存在", "no such problem to merge into");
			return;
		}
		json_decref(into);
	}
	struct triage_w *w = xcalloc(1, sizeof *w);
	w->actor = r->user_id;
	w->id = r->path_id;
	w->merge = merge;
	w->into = req_int(r, "into", 0);
	snprintf(w->reason, sizeof w->reason, "%s", req_str(r, "reason") ? req_str(r, "reason") : "");
	req_write(r, triage_cmd, w, free, triage_finish);
}

void api_problem_merge(struct req *r)
{
	triage(r, 1);
}

void api_problem_decline(struct req *r)
{
	triage(r, 0);
}

static void list_answer(struct req *r, struct list_filter *f)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	int more = 0;
	int64_t total = -1;
	struct viewer v = req_viewer(r);
	json_t *rows = store_problem_list(db, f, &more, &total);
	if (!rows || (f->count && total < 0)) {
		json_decref(rows);
		req_fail(r, QD_EINTERNAL, "", "数据库错误", "database error");
		return;
	}
	json_t *items = present_json_list(&present_problem, &v, rows);
	json_decref(rows);
	json_t *o = json_pack("{so sb si si}", "items", items, "has_more", more, "limit", f->limit, "offset", f->offset);
	if (f->count)
		json_object_set_new(o, "total", json_integer(total));
	req_json(r, 200, o);
}

/* A lookup by the reporter's phone: the personal-data right, confined to where it holds, and
 * audited like a read of the personal data (a pii.lookup event before the answer). */
struct lookup_w {
	int64_t actor;
	char hash[33];
};

static int lookup_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct lookup_w *w = arg;
	json_t *p = json_pack("{s[s] ss}", "fields", "phone", "phone_hash", w->hash);
	int64_t seq = store_emit(tx, w->actor, "pii.lookup", "problem", 0, p, err);
	json_decref(p);
	return seq < 0 ? -1 : 0;
}

static void lookup_finish(struct req *r)
{
	struct lookup_w *w = r->warg;
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_PII, up))
		return;
	f.phone_hash = w->hash;
	list_answer(r, &f);
}

void api_problems(struct req *r)
{
	const char *phone = req_query(r, "reporter_phone");
	if (phone) {
		if (!(r->rights & RIGHT_PII)) {
			req_fail(r, QD_EPERM, "reporter_phone", "按联系电话查找需要个人信息查阅权限",
				 "looking up by phone needs the personal-data right");
			return;
		}
		struct lookup_w *w = xcalloc(1, sizeof *w);
		w->actor = r->user_id;
		if (store_phone_hash(server_store(r->srv), phone, w->hash)) {
			free(w);
			req_fail(r, QD_EINVAL, "reporter_phone", "联系电话格式不正确", "reporter_phone is not a valid phone number");
			return;
		}
		req_write(r, lookup_cmd, w, free, lookup_finish);
		return;
	}
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_READ, up))
		return;
	list_answer(r, &f);
}
