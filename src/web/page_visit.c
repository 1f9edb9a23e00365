/* page_visit.c — GET /visits/new and POST /visits: a grid worker or village cadre records a
 * household visit and the problems raised on it, each optionally solved on the spot (即知即办),
 * on a phone and with JavaScript off: the form posts once.  More problems come by the "add
 * another problem" submit button, which shows the form again with one more block and writes
 * nothing (the script may add the block in place).
 *
 * The write is the API's: the visit (SW_VISIT_CREATE, as api_visit_create fills it) carrying the
 * problems' intakes, each made by api_problem_intake — the one function POST /api/v1/problems
 * uses, so the rules are the same — written in one command, all or nothing (store/write.h).
 *
 * The form's fields are flat (no JavaScript to build nested JSON): the visit's as the API names
 * them (unit_id, visited_on, household, note), each problem's as p<k>_<name> for block k, so an
 * error names the block's field and the summary links to it (#f-p2_phone).  What was typed is
 * kept in the form when it is refused (it is the same user's); never in a URL or a log. */
#include "base/date.h"
#include "base/mem.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/task.h"
#include "core/unit.h"
#include "store/org.h"
#include "store/write.h"
#include "web/api.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/page_work.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* VISIT_PROBLEMS (web/page_work.h): the blocks one form holds; one more is refused by name. */

/* The reader's submitted text for a field: the form as typed (r->form), else the validated body. */
static const char *val(struct req *r, const char *name, char *tmp, size_t n)
{
	json_t *v = json_object_get(r->form, name);
	if (!v)
		v = json_object_get(r->json, name);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	if (json_is_true(v))
		return "1";
	return NULL;
}

static int checked(struct req *r, const char *name)
{
	char tmp[24];
	const char *s = val(r, name, tmp, sizeof tmp);
	return s && *s && strcmp(s, "0") != 0 && strcmp(s, "false") != 0;
}

/* How many problem blocks the form shows (n, 1 … VISIT_PROBLEMS). */
static int blocks(struct req *r)
{
	char tmp[24];
	const char *s = val(r, "n", tmp, sizeof tmp);
	int n = s ? atoi(s) : 1;
	return n < 1 ? 1 : n > VISIT_PROBLEMS ? VISIT_PROBLEMS : n;
}

/* The message and aria-describedby of a field the error names ("" when it names another). */
static void field_error(struct page *p, const struct qd_err *err, const char *name)
{
	if (err && err->code && !strcmp(err->field, name))
		html_printf(&p->b, "<p class=\"field-error\" id=\"f-%a-error\">%h</p>", name,
		            page_err_text(p->r, err));
}

/* The id of what describes a field (its error, else its hint) into out, "" when nothing does. */
static const char *described(const struct qd_err *err, const char *name, int hint, char *out, size_t n)
{
	if (err && err->code && !strcmp(err->field, name))
		snprintf(out, n, "f-%s-error", name);
	else if (hint)
		snprintf(out, n, "f-%s-hint", name);
	else
		out[0] = 0;
	return out;
}

static void text_input(struct page *p, const struct qd_err *err, const char *name, const char *label,
                       const char *hint, const char *type, int maxlen, int textarea, int pii)
{
	struct req *r = p->r;
	char tmp[24], d[64];
	const char *v = val(r, name, tmp, sizeof tmp);
	html_printf(&p->b, "<div class=\"field%a\"><label for=\"f-%a\">%h</label>", pii ? " field-pii" : "",
	            name, label);
	if (hint)
		html_printf(&p->b, "<p class=\"hint\" id=\"f-%a-hint\">%h</p>", name, hint);
	field_error(p, err, name);
	described(err, name, hint != NULL, d, sizeof d);
	if (textarea)
		html_printf(&p->b, "<textarea id=\"f-%a\" name=\"%a\" rows=\"4\" maxlength=\"%d\"", name,
		            name, maxlen);
	else
		html_printf(&p->b, "<input type=\"%a\" id=\"f-%a\" name=\"%a\" maxlength=\"%d\" value=\"%a\"",
		            type, name, name, maxlen, v ? v : "");
	if (*d)
		html_printf(&p->b, " aria-describedby=\"%a\"", d);
	if (pii)
		html_printf(&p->b, " autocomplete=\"off\"");
	if (textarea)
		html_printf(&p->b, ">%h</textarea></div>", v ? v : "");
	else
		html_printf(&p->b, "></div>");
}

static void checkbox(struct page *p, const struct qd_err *err, const char *name, const char *label)
{
	char d[64];
	html_printf(&p->b, "<div class=\"field field-check\">");
	field_error(p, err, name);
	html_printf(&p->b, "<input type=\"checkbox\" id=\"f-%a\" name=\"%a\" value=\"1\"", name, name);
	if (checked(p->r, name))
		html_printf(&p->b, " checked");
	if (*described(err, name, 0, d, sizeof d))
		html_printf(&p->b, " aria-describedby=\"%a\"", d);
	html_printf(&p->b, "><label for=\"f-%a\">%h</label></div>", name, label);
}

/* The villages, communities and groups the reader may log visits for. */
static void unit_select(struct page *p, struct store_rd *rd, const struct qd_err *err)
{
	struct req *r = p->r;
	char tmp[24];
	const char *cur = val(r, "unit_id", tmp, sizeof tmp);
	json_t *units = store_unit_list(rd);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-unit_id\">%h</label>", tr(r, "visit.unit"));
	field_error(p, err, "unit_id");
	char d[64];
	html_printf(&p->b, "<select id=\"f-unit_id\" name=\"unit_id\"");
	if (*described(err, "unit_id", 0, d, sizeof d))
		html_printf(&p->b, " aria-describedby=\"%a\"", d);
	html_printf(&p->b, "><option value=\"\">%h</option>", tr(r, "visit.unit_choose"));
	struct viewer v = req_viewer(r);
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		int k = unit_kind_parse(json_string_value(json_object_get(u, "kind")));
		if (k != UNIT_VILLAGE && k != UNIT_COMMUNITY && k != UNIT_GROUP)
			continue;
		if (!(req_rights_on(r, json_string_value(json_object_get(u, "path"))) & RIGHT_VISIT))
			continue;
		json_t *o = present_json(&present_unit, &v, u);
		if (!o)
			continue;
		long long id = (long long)json_integer_value(json_object_get(o, "id"));
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", id);
		html_printf(&p->b, "<option value=\"%lld\"", id);
		if (cur && !strcmp(cur, ids))
			html_printf(&p->b, " selected");
		html_printf(&p->b, ">%h%h</option>", k == UNIT_GROUP ? "— " : "",
		            json_string_value(json_object_get(o, "name")));
		json_decref(o);
	}
	html_printf(&p->b, "</select></div>");
	json_decref(units);
}

static void category_select(struct page *p, json_t *cats, const struct qd_err *err, const char *name)
{
	struct req *r = p->r;
	char tmp[24];
	const char *cur = val(r, name, tmp, sizeof tmp);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-%a\">%h</label>", name,
	            tr(r, "visit.category"));
	field_error(p, err, name);
	char d[64];
	html_printf(&p->b, "<select id=\"f-%a\" name=\"%a\"", name, name);
	if (*described(err, name, 0, d, sizeof d))
		html_printf(&p->b, " aria-describedby=\"%a\"", d);
	html_printf(&p->b, "><option value=\"\">%h</option>", tr(r, "visit.category_later"));
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		long long id = (long long)json_integer_value(json_object_get(c, "id"));
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", id);
		html_printf(&p->b, "<option value=\"%lld\"", id);
		if (cur && !strcmp(cur, ids))
			html_printf(&p->b, " selected");
		html_printf(&p->b, ">%h%h</option>",
		            json_integer_value(json_object_get(c, "parent_id")) ? "— " : "",
		            json_string_value(json_object_get(c, "name")));
	}
	html_printf(&p->b, "</select></div>");
}

/* Block k of the form: one problem raised on the visit. */
static void problem_block(struct page *p, json_t *cats, const struct qd_err *err, int k)
{
	struct req *r = p->r;
	char n[32];
	html_printf(&p->b, "<fieldset class=\"problem-block\" id=\"problem-%d\"><legend>%h %d</legend>", k,
	            tr(r, "visit.problem"), k);
#define F(x) (snprintf(n, sizeof n, "p%d_%s", k, x), n)
	text_input(p, err, F("description"), tr(r, "visit.description"), tr(r, "visit.description_hint"),
	           "text", 2000, 1, 0);
	category_select(p, cats, err, F("category_id"));
	checkbox(p, err, F("immediate"), tr(r, "visit.immediate"));
	text_input(p, err, F("measures"), tr(r, "visit.measures"), tr(r, "visit.measures_hint"), "text", 1000,
	           1, 0);
	html_printf(&p->b, "<fieldset class=\"pii\"><legend>%h</legend><p class=\"hint\">%h</p>",
	            tr(r, "visit.pii"), tr(r, "visit.pii_hint"));
	text_input(p, err, F("name"), tr(r, "visit.reporter_name"), NULL, "text", 50, 0, 1);
	text_input(p, err, F("phone"), tr(r, "visit.reporter_phone"), NULL, "tel", 32, 0, 1);
	checkbox(p, err, F("anonymous"), tr(r, "visit.anonymous"));
	checkbox(p, err, F("no_disclose"), tr(r, "visit.no_disclose"));
#undef F
	html_printf(&p->b, "</fieldset></fieldset>");
}

/* The whole form, from what was submitted (or empty), with err's summary; answers status. */
static void form(struct req *r, const struct qd_err *err, int nblocks, unsigned status)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *cats = store_category_list(rd);
	if (!cats) {
		req_db_error(r);
		return;
	}
	struct page p;
	page_begin(&p, r, tr(r, "visit.title"));
	page_error_summary(&p, err);
	html_printf(&p.b,
	            "<h1>%h</h1><form method=\"post\" action=\"/visits\" class=\"visit-form\" novalidate>",
	            tr(r, "visit.title"));
	page_csrf(&p);
	html_printf(&p.b, "<input type=\"hidden\" name=\"n\" value=\"%d\">", nblocks);
	html_printf(&p.b, "<fieldset class=\"visit\"><legend>%h</legend>", tr(r, "visit.visit"));
	unit_select(&p, rd, err);
	char today[11];
	char tmp[24];
	if (!val(r, "visited_on", tmp, sizeof tmp)) {
		date_format(date_china_day(r->now), today);
		if (!r->form)
			r->form = json_object();
		json_object_set_new(r->form, "visited_on", json_string(today));
	}
	text_input(&p, err, "visited_on", tr(r, "visit.date"), NULL, "date", 10, 0, 0);
	text_input(&p, err, "household", tr(r, "visit.household"), tr(r, "visit.household_hint"), "text", 50,
	           0, 0);
	text_input(&p, err, "note", tr(r, "visit.note"), NULL, "text", 2000, 1, 0);
	html_printf(&p.b, "</fieldset>");
	for (int k = 1; k <= nblocks; k++)
		problem_block(&p, cats, err, k);
	json_decref(cats);
	field_error(&p, err, "more");
	html_printf(&p.b,
	            "<div class=\"actions\"><button type=\"submit\" class=\"btn\" name=\"more\" value=\"1\" "
	            "id=\"f-more\">%h</button>"
	            "<button type=\"submit\" class=\"btn btn-primary\">%h</button></div></form>",
	            tr(r, "visit.add_problem"), tr(r, "visit.submit"));
	page_end(&p, status);
}

void page_visit_new(struct req *r)
{
	form(r, NULL, 1, 200);
}

void page_visit_invalid(struct req *r, const struct qd_err *err)
{
	form(r, err, blocks(r), (unsigned)(err->code == QD_EPERM ? 403 : 400));
}

/* --- the write ----------------------------------------------------------------------------- */

/* The form block each intake of the write came from (the write's intakes skip empty blocks). */
struct visit_ctx {
	int block[VISIT_PROBLEMS];
};

static void done(struct req *r)
{
	struct store_write *w = r->warg;
	r->answer_hook = NULL;
	struct buf loc; /* a Location (not HTML): the ids only */
	buf_init(&loc);
	buf_printf(&loc, "/work?visit=%lld", (long long)w->id);
	for (int i = 0; i < w->u.visit.nintakes; i++)
		if (i)
			buf_printf(&loc, ",%lld", (long long)w->u.visit.intakes[i]->id);
		else
			buf_printf(&loc, "&p=%lld", (long long)w->u.visit.intakes[i]->id);
	req_redirect(r, loc.p);
	buf_free(&loc);
}

/* The form field of block k that an intake's error names (the API's names: reporter.phone …). */
static void block_field(struct qd_err *err, int k)
{
	static const struct {
		const char *api, *form;
	} names[] = {{"reporter.phone", "phone"},    {"reporter.name", "name"},
	             {"tier", "immediate"},          {"measures", "measures"},
	             {"description", "description"}, {"category_id", "category_id"},
	             {"anonymous", "anonymous"},     {"no_disclose", "no_disclose"}};
	const char *f = "description";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(err->field, names[i].api))
			f = names[i].form;
	if (!strcmp(err->field, "unit_id") || !strcmp(err->field, "visit_id")) {
		snprintf(err->field, sizeof err->field, "unit_id"); /* the visit's unit is the problems' */
		return;
	}
	snprintf(err->field, sizeof err->field, "p%d_%s", k, f);
}

/* The write's refusal (r->cmd.err, or the queue's): the form again, naming the field. */
static void refused(struct req *r, unsigned status, json_t *out, const struct qd_err *e)
{
	json_decref(out);
	struct qd_err err = *e;
	struct store_write *w = r->warg;
	struct visit_ctx *c = r->fctx;
	if (w && c && w->u.visit.failed >= 0 && w->u.visit.failed < w->u.visit.nintakes)
		block_field(&err, c->block[w->u.visit.failed]);
	form(r, &err, blocks(r), status);
}

static const char *body_str(struct req *r, const char *name)
{
	const char *s = req_str(r, name);
	return s && *s ? s : NULL;
}

void page_visit_create(struct req *r)
{
	struct qd_err err;
	qd_err_clear(&err);
	int n = blocks(r);
	if (req_str(r, "more")) { /* "add another problem": the form again with one more block */
		if (n >= VISIT_PROBLEMS) {
			qd_fail(
			    &err, QD_EINVAL, "more", "一次走访最多登记%d个问题，请先提交，再登记其余问题",
			    "one visit form holds at most %d problems: submit these, then record the others",
			    VISIT_PROBLEMS, VISIT_PROBLEMS);
			form(r, &err, n, 400);
			return;
		}
		form(r, NULL, n + 1, 200);
		return;
	}
	int64_t unit = req_int(r, "unit_id", 0);
	if (unit <= 0) {
		qd_fail(&err, QD_EINVAL, "unit_id", "请选择走访的村（社区）或村民小组",
		        "choose the village, community or group visited");
		form(r, &err, n, 400);
		return;
	}
	if (!body_str(r, "visited_on")) {
		qd_fail(&err, QD_EINVAL, "visited_on", "请填写走访日期", "give the date of the visit");
		form(r, &err, n, 400);
		return;
	}
	struct visit_ctx *c = xcalloc(1, sizeof *c);
	free(r->fctx);
	r->fctx = c;
	/* each problem's body as POST /api/v1/problems takes it, kept with the request (the write
	 * borrows its strings) */
	json_t *bodies = json_array();
	json_object_set_new(r->json, "problems", bodies);
	struct store_write *w = req_write_new(r, SW_VISIT_CREATE);
	w->u.visit.unit_id = unit;
	w->u.visit.visited_on = req_str(r, "visited_on");
	w->u.visit.household = body_str(r, "household");
	w->u.visit.note = body_str(r, "note");
	w->u.visit.intakes = xcalloc(VISIT_PROBLEMS, sizeof(struct store_write *)); /* an array of pointers */
	for (int k = 1; k <= n; k++) {
		char f[32];
#define F(x) (snprintf(f, sizeof f, "p%d_%s", k, x), f)
		const char *desc = body_str(r, F("description"));
		const char *measures = body_str(r, F("measures"));
		const char *name = body_str(r, F("name"));
		const char *phone = body_str(r, F("phone"));
		int immediate = req_bool(r, F("immediate"), 0);
		int64_t cat = req_int(r, F("category_id"), 0);
		if (!desc && !measures && !name && !phone && !immediate && !cat)
			continue; /* an empty block: nothing raised there */
		if (!desc) {
			qd_fail(&err, QD_EINVAL, F("description"), "请填写问题%d的描述",
			        "describe problem %d", k, k);
			break;
		}
		json_t *b = json_pack("{sI ss ss sb sb}", "unit_id", (json_int_t)unit, "source",
		                      problem_source_name(PSRC_VISIT), "description", desc, "anonymous",
		                      req_bool(r, F("anonymous"), 0), "no_disclose",
		                      req_bool(r, F("no_disclose"), 0));
		if (cat)
			json_object_set_new(b, "category_id", json_integer(cat));
		if (immediate)
			json_object_set_new(b, "tier", json_string(tier_names[TIER_IMMEDIATE]));
		if (measures)
			json_object_set_new(b, "measures", json_string(measures));
		if (name || phone) {
			json_t *rep = json_object();
			if (name)
				json_object_set_new(rep, "name", json_string(name));
			if (phone)
				json_object_set_new(rep, "phone", json_string(phone));
			json_object_set_new(b, "reporter", rep);
		}
#undef F
		json_array_append_new(bodies, b);
		struct store_write *pw = api_problem_intake(r, b, &err);
		if (!pw) {
			block_field(&err, k);
			break;
		}
		c->block[w->u.visit.nintakes] = k;
		w->u.visit.intakes[w->u.visit.nintakes++] = pw;
	}
	if (err.code) {
		store_write_free(w);
		form(r, &err, n, (unsigned)(err.code == QD_EPERM ? 403 : 400));
		return;
	}
	r->answer_hook = refused; /* a refused write answers as the form again */
	req_write(r, w, done);
}
