/* api_problem.c — the problem list over HTTP: intake, read, the audited personal-data read,
 * merge, decline, classify, lists. */
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/param.h"
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

static void intake_finish(struct req *r)
{
	struct store_write *w = r->warg;
	json_t *o = json_pack("{sI ss ss}", "id", (json_int_t)w->id, "code", w->code, "state",
			      problem_state_name(w->u.intake.immediate ? PS_ASSIGNED : PS_NEW));
	json_object_set_new(o, "task_id", w->task_id ? json_integer(w->task_id) : json_null());
	req_json(r, 201, o);
}

struct store_write *api_problem_intake(struct req *r, json_t *body, struct qd_err *err)
{
	json_t *rep = json_object_get(body, "reporter");
	const char *phone = json_string_value(json_object_get(rep, "phone"));
	const char *idno = json_string_value(json_object_get(rep, "id_no"));
	if (phone && *phone && !problem_phone_valid(phone)) {
		qd_fail(err, QD_EINVAL, "reporter.phone", "联系电话格式不正确", "reporter.phone is not a valid phone number");
		return NULL;
	}
	if (idno && *idno && !problem_idno_valid(idno)) {
		qd_fail(err, QD_EINVAL, "reporter.id_no", "身份证号码不正确（18位，校验位错误）",
			"reporter.id_no is not a valid 18-character ID number");
		return NULL;
	}
	const char *tier = param_str(body, "tier");
	int immediate = tier && tier_parse(tier) == TIER_IMMEDIATE;
	const char *measures = param_str(body, "measures");
	if (immediate && (!measures || !*measures)) {
		qd_fail(err, QD_EINVAL, "measures", "即知即办须填写办理措施",
			"measures is required for an immediate (solved on the spot) problem");
		return NULL;
	}
	struct scope sc = req_scope(r);
	int own = scope_own_only(&sc);
	if (immediate && own) {
		qd_fail(err, QD_EPERM, "tier", "群众提交的问题不能直接标为即知即办",
			"residents cannot mark a problem as solved on the spot");
		return NULL;
	}
	struct store_write *w = req_write_new(r, SW_PROBLEM_INTAKE);
	struct problem_new *p = &w->u.intake.p;
	w->u.intake.immediate = immediate;
	w->u.intake.measures = measures;
	p->unit_id = param_int(body, "unit_id", 0);
	p->category_id = param_int(body, "category_id", 0);
	p->source = param_str(body, "source") ? param_str(body, "source")
					      : problem_source_name(own ? PSRC_WEB : PSRC_VISIT);
	p->description = param_str(body, "description");
	p->visit_id = param_int(body, "visit_id", 0);
	p->anonymous = param_bool(body, "anonymous", 0);
	p->no_disclose = param_bool(body, "no_disclose", 0);
#define REP(k) (json_string_value(json_object_get(rep, k)) && *json_string_value(json_object_get(rep, k)) ? json_string_value(json_object_get(rep, k)) : NULL)
	p->name = REP("name");
	p->phone = REP("phone");
	p->id_no = REP("id_no");
	p->address = REP("address");
#undef REP
	store_write_prepare(server_store(r->srv), w, r->now); /* sealing, masking, hashing: here, not on the writer */
	return w;
}

void api_problem_create(struct req *r)
{
	struct qd_err err;
	struct store_write *w = api_problem_intake(r, r->json, &err);
	if (!w) {
		req_error(r, &err);
		return;
	}
	req_write(r, w, intake_finish);
}

/* The problem if the caller may see it (read right over its unit, or they submitted it); with
 * linked, as store_problem_get_linked reads it (where its merge chain ends, its task's state). */
static json_t *visible(struct req *r, struct store_rd *rd, int64_t id, int linked)
{
	json_t *p = linked ? store_problem_get_linked(rd, id) : store_problem_get(rd, id);
	if (!p)
		return NULL;
	struct scope sc = req_scope(r);
	if (scope_sees_problem(&sc, json_string_value(json_object_get(p, "unit_path")),
			       json_integer_value(json_object_get(p, "created_by"))))
		return p;
	json_decref(p);
	return NULL;
}

void api_problem_get(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *p = visible(r, rd, r->path_id, 1);
	if (!p) {
		req_fail(r, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		return;
	}
	req_present(r, 200, &present_problem_detail, p);
}

void api_problem_pii(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *p = visible(r, rd, r->path_id, 0);
	if (!p) {
		req_fail(r, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		return;
	}
	api_pii(r, "problem", r->path_id, NULL, json_string_value(json_object_get(p, "unit_path")), &present_problem_pii);
	json_decref(p);
}

static void triage_finish(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (rd)
		req_present(r, 200, &present_problem_detail, store_problem_get_linked(rd, r->path_id));
}

/* Merge, decline or classify: whether the caller may see the problem (and the original it
 * duplicates) and holds the triage right over it is decided on the writer (store/write.c). */
static void triage(struct req *r, enum store_write_kind kind)
{
	struct store_write *w = req_write_new(r, kind);
	w->u.triage.id = r->path_id;
	w->u.triage.into = req_int(r, "into", 0);
	w->u.triage.reason = req_str(r, "reason");
	w->u.triage.category_id = req_int(r, "category_id", 0);
	req_write(r, w, triage_finish);
}

void api_problem_merge(struct req *r)
{
	triage(r, SW_PROBLEM_MERGE);
}

void api_problem_decline(struct req *r)
{
	triage(r, SW_PROBLEM_DECLINE);
}

void api_problem_classify(struct req *r)
{
	triage(r, SW_PROBLEM_CLASSIFY);
}

static void list_answer(struct req *r, struct list_filter *f)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	int more = 0;
	int64_t total = -1;
	struct viewer v = req_viewer(r);
	json_t *rows = store_problem_list(rd, f, &more, &total);
	if (!rows || (f->count && total < 0)) {
		json_decref(rows);
		req_db_error(r);
		return;
	}
	json_t *items = present_json_list(&present_problem, &v, rows);
	json_decref(rows);
	json_t *o = json_pack("{so sb si si}", "items", items, "has_more", more, "limit", f->limit, "offset", f->offset);
	if (f->count)
		json_object_set_new(o, "total", json_integer(total));
	req_json(r, 200, o);
}

/* What the lookup's finish answers with (r->fctx, freed with the request). */
struct lookup_ctx {
	api_problem_answer *answer;
};

/* A lookup by the reporter's phone: the personal-data right, confined to where it holds, and
 * audited like a read of the personal data (SW_PHONE_LOOKUP: a pii.lookup event before the
 * answer). */
static void lookup_finish(struct req *r)
{
	struct store_write *w = r->warg;
	struct lookup_ctx *c = r->fctx;
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_PII, up))
		return;
	f.phone_hash = w->u.lookup.phone_hash;
	c->answer(r, &f);
}

void api_problem_list(struct req *r, api_problem_answer *answer)
{
	const char *phone = req_query(r, "reporter_phone");
	if (phone) {
		if (!(r->rights & RIGHT_PII)) {
			req_fail(r, QD_EPERM, "reporter_phone", "按联系电话查找需要个人信息查阅权限",
				 "looking up by phone needs the personal-data right");
			return;
		}
		struct store_write *w = req_write_new(r, SW_PHONE_LOOKUP);
		if (store_phone_hash(server_store(r->srv), phone, w->u.lookup.phone_hash)) {
			store_write_free(w);
			req_fail(r, QD_EINVAL, "reporter_phone", "联系电话格式不正确", "reporter_phone is not a valid phone number");
			return;
		}
		struct lookup_ctx *c = xcalloc(1, sizeof *c);
		c->answer = answer;
		free(r->fctx);
		r->fctx = c;
		req_write(r, w, lookup_finish);
		return;
	}
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_READ, up))
		return;
	answer(r, &f);
}

void api_problems(struct req *r)
{
	api_problem_list(r, list_answer);
}
