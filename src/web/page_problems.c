/* page_problems.c — the problem list for a browser: GET /problems (search by text, the filters of
 * GET /api/v1/problems — unit, state, category, and for a holder of the personal-data right the
 * reporter's phone —, the sort orders of core/problem.h, pages) and GET /problems.csv (the same
 * list view through the one exporter, web/export_csv.h).
 *
 * Nothing here decides who sees what: the filter is the API's (api_problem_list: the caller's
 * scope, the audited phone lookup on the writer), the rows are the store's one problem query
 * (store_problem_list, whose page-and-count query the triage queue shares) written through the
 * problem presenter.  A linked problem shows its task's state (the presenter's task_state).  Not
 * here: the one problem's page (page_problem.c), the parts every list page shares
 * (page_list.c), the layout (page.c). */
#include "web/page_problems.h"
#include "base/utf8.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/unit.h"
#include "present/present.h"
#include "store/org.h"
#include "store/problem.h"
#include "web/api.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/page_list.h"
#include "web/viewer.h"
#include <stdio.h>
#include <string.h>

/* A list row's description: its first DESC_CHARS characters (the page of the problem has it all). */
#define DESC_CHARS 60

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long jint(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* --- the filter form -------------------------------------------------------------------------- */

/* The field's error message and the id naming it, when err is about name. */
static int field_err(struct page *p, const struct qd_err *err, const char *name)
{
	if (!err || !err->code || strcmp(err->field, name) != 0)
		return 0;
	html_printf(&p->b, "<p class=\"field-error\" id=\"f-%a-error\">%h</p>", name, page_err_text(p->r, err));
	return 1;
}

static void described(struct page *p, const char *name, int has_err, int has_hint)
{
	if (has_err)
		html_printf(&p->b, " aria-describedby=\"f-%a-error\"", name);
	else if (has_hint)
		html_printf(&p->b, " aria-describedby=\"f-%a-hint\"", name);
}

/* The units the reader may read, as a <select>: the county, townships, villages, communities and
 * departments (a group only when it is the chosen one: a county has thousands), indented by depth. */
static void unit_select(struct page *p, struct store_rd *rd, const struct qd_err *err)
{
	struct req *r = p->r;
	const char *cur = req_query(r, "unit_id");
	json_t *units = rd ? store_unit_list(rd) : NULL;
	struct viewer v = req_viewer(r);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-unit_id\">%h</label>", tr(r, "problems.filter.unit"));
	int e = field_err(p, err, "unit_id");
	html_printf(&p->b, "<select id=\"f-unit_id\" name=\"unit_id\"");
	described(p, "unit_id", e, 0);
	html_printf(&p->b, "><option value=\"\">%h</option>", tr(r, "problems.filter.all"));
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		const char *path = jstr(u, "path");
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", jint(u, "id"));
		int chosen = cur && !strcmp(cur, ids);
		if (!(req_rights_on(r, path) & RIGHT_READ))
			continue;
		if (!chosen && unit_kind_parse(jstr(u, "kind")) == UNIT_GROUP)
			continue;
		json_t *o = present_json(&present_unit, &v, u);
		if (!o)
			continue;
		int depth = 0;
		for (const char *s = path ? path : ""; *s; s++)
			depth += *s == '/';
		html_printf(&p->b, "<option value=\"%lld\"", jint(o, "id"));
		if (chosen)
			html_printf(&p->b, " selected");
		html_printf(&p->b, ">");
		for (int d = 2; d < depth; d++)
			html_printf(&p->b, "— ");
		html_printf(&p->b, "%h</option>", jstr(o, "name"));
		json_decref(o);
	}
	html_printf(&p->b, "</select></div>");
	json_decref(units);
}

static void category_select(struct page *p, struct store_rd *rd, const struct qd_err *err)
{
	struct req *r = p->r;
	const char *cur = req_query(r, "category_id");
	json_t *cats = rd ? store_category_list(rd) : NULL;
	struct viewer v = req_viewer(r);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-category_id\">%h</label>",
	            tr(r, "problems.col.category"));
	int e = field_err(p, err, "category_id");
	html_printf(&p->b, "<select id=\"f-category_id\" name=\"category_id\"");
	described(p, "category_id", e, 0);
	html_printf(&p->b, "><option value=\"\">%h</option>", tr(r, "problems.filter.all"));
	json_t *shown = cats ? present_json_list(&present_category, &v, cats) : NULL;
	size_t i;
	json_t *c;
	json_array_foreach(shown, i, c)
	{
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", jint(c, "id"));
		html_printf(&p->b, "<option value=\"%lld\"", jint(c, "id"));
		if (cur && !strcmp(cur, ids))
			html_printf(&p->b, " selected");
		html_printf(&p->b, ">%h%h</option>", jint(c, "parent_id") ? "— " : "", jstr(c, "name"));
	}
	html_printf(&p->b, "</select></div>");
	json_decref(shown);
	json_decref(cats);
}

static void filter_form(struct page *p, struct store_rd *rd, const struct qd_err *err)
{
	struct req *r = p->r;
	html_printf(&p->b,
	            "<form method=\"get\" action=\"/problems\" class=\"filters\" role=\"search\"><fieldset>"
	            "<legend>%h</legend>",
	            tr(r, "problems.filter.legend"));
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-q\">%h</label>", tr(r, "problems.filter.q"));
	int e = field_err(p, err, "q");
	html_printf(&p->b, "<input type=\"search\" id=\"f-q\" name=\"q\" maxlength=\"50\" value=\"%a\"",
	            req_query(r, "q"));
	described(p, "q", e, 0);
	html_printf(&p->b, "></div><div class=\"field\"><label for=\"f-state\">%h</label>",
	            tr(r, "problems.col.state"));
	field_err(p, err, "state");
	list_select_vocab(p, "state", "state", problem_states, req_query(r, "state"),
	                  tr(r, "problems.filter.all"));
	html_printf(&p->b, "</div>");
	unit_select(p, rd, err);
	category_select(p, rd, err);
	/* the lookup by the reporter's phone: offered to the personal-data right only, as the API
	 * allows it; each lookup is audited (the hint says so) */
	if ((r->rights & RIGHT_PII) || (err && err->code && !strcmp(err->field, "reporter_phone"))) {
		html_printf(&p->b, "<div class=\"field\"><label for=\"f-reporter_phone\">%h</label>",
		            tr(r, "problems.filter.phone"));
		html_printf(&p->b, "<p class=\"hint\" id=\"f-reporter_phone-hint\">%h</p>",
		            tr(r, "problems.filter.phone_hint"));
		e = field_err(p, err, "reporter_phone");
		html_printf(&p->b,
		            "<input type=\"tel\" id=\"f-reporter_phone\" name=\"reporter_phone\" maxlength=\"32\" "
		            "autocomplete=\"off\" value=\"%a\"",
		            req_query(r, "reporter_phone"));
		described(p, "reporter_phone", e, 1);
		html_printf(&p->b, "></div>");
	}
	/* the order and the page size stay as they were */
	static const char *const kept[] = {"sort", "limit", NULL};
	const char *v;
	for (int i = 0; kept[i]; i++)
		if ((v = req_query(r, kept[i])))
			html_printf(&p->b, "<input type=\"hidden\" name=\"%a\" value=\"%a\">", kept[i], v);
	html_printf(&p->b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></fieldset></form>",
	            tr(r, "problems.filter.apply"));
}

/* --- the list --------------------------------------------------------------------------------- */

/* The state a reader goes by: a linked problem's is its task's ("已交办 · 办理中"). */
static void state_cell(struct page *p, const json_t *x)
{
	struct req *r = p->r;
	const char *st = jstr(x, "state"), *ts = jstr(x, "task_state");
	html_printf(&p->b, "<span class=\"state\" data-state=\"%a\">%h</span>", st ? st : "",
	            st ? tr_code(r, "state", st) : "");
	if (ts)
		html_printf(&p->b, " · <span class=\"state task-state\" data-state=\"%a\">%h %h</span>", ts,
		            tr(r, "problems.task_state"), tr_code(r, "state", ts));
}

static void desc_cell(struct page *p, const char *d)
{
	if (!d)
		return;
	size_t n = utf8_prefix(d, DESC_CHARS);
	html_text_n(&p->b, d, n);
	if (d[n])
		html_printf(&p->b, "…");
}

static void list_table(struct page *p, const json_t *items, long long total)
{
	struct req *r = p->r;
	char n[24];
	html_printf(&p->b, "<table class=\"list problems\"><caption>%h（%h）</caption><thead><tr>",
	            tr(r, "problems.list.caption"), page_count_text(n, total, PAGE_COUNT_CAP));
	static const char *const cols[] = {"problems.col.code",     "problems.col.state",
	                                   "problems.col.unit",     "problems.col.category",
	                                   "problems.col.date",     "problems.col.description",
	                                   NULL};
	for (int i = 0; cols[i]; i++)
		html_printf(&p->b, "<th scope=\"col\">%h</th>", tr(r, cols[i]));
	html_printf(&p->b, "</tr></thead><tbody>");
	size_t i;
	const json_t *x;
	json_array_foreach(items, i, x)
	{
		char id[24];
		snprintf(id, sizeof id, "#%lld", jint(x, "id"));
		const char *at = jstr(x, "created_at");
		char day[11] = "";
		if (at)
			snprintf(day, sizeof day, "%.10s", at);
		html_printf(&p->b, "<tr><td data-label=\"%a\"><a href=\"/problems/%lld\">%h</a></td>",
		            tr(r, "problems.col.code"), jint(x, "id"), jstr(x, "code") ? jstr(x, "code") : id);
		html_printf(&p->b, "<td data-label=\"%a\">", tr(r, "problems.col.state"));
		state_cell(p, x);
		html_printf(&p->b, "</td><td data-label=\"%a\">%h</td>", tr(r, "problems.col.unit"),
		            jstr(x, "unit_name"));
		html_printf(&p->b, "<td data-label=\"%a\">%h</td>", tr(r, "problems.col.category"),
		            jstr(x, "category_name") ? jstr(x, "category_name") : tr(r, "problems.unclassified"));
		html_printf(&p->b, "<td data-label=\"%a\"><time datetime=\"%a\">%h</time></td>",
		            tr(r, "problems.col.date"), at ? at : "", day);
		html_printf(&p->b, "<td data-label=\"%a\" class=\"desc\">", tr(r, "problems.col.description"));
		desc_cell(p, jstr(x, "description"));
		html_printf(&p->b, "</td></tr>");
	}
	html_printf(&p->b, "</tbody></table>");
}

/* One page of problems for f, presented for the reader (GET /api/v1/problems' items). */
static json_t *read_problems(struct req *r, struct store_rd *rd, const struct list_filter *f, int *more,
                             int64_t *total)
{
	json_t *rows = store_problem_list(rd, f, more, total);
	if (!rows || (f->count && *total < 0)) {
		json_decref(rows);
		return NULL;
	}
	struct viewer v = req_viewer(r);
	json_t *items = present_json_list(&present_problem, &v, rows);
	json_decref(rows);
	return items;
}

/* The page: the form (with err's summary when err is set, answered with status), else the list
 * of f. */
static void render(struct req *r, const struct list_filter *f, const struct qd_err *err, unsigned status)
{
	struct store_rd *rd = req_rd(r);
	json_t *items = NULL;
	int more = 0;
	int64_t total = -1;
	if (!err && rd && !(items = read_problems(r, rd, f, &more, &total))) {
		req_db_error(r); /* the answer hook, if still set, shows it as the form's error */
		return;
	}
	r->answer_hook = NULL;
	struct page p;
	page_begin(&p, r, tr(r, "problems.title"));
	html_printf(&p.b, "<h1>%h</h1>", tr(r, "problems.title"));
	page_error_summary(&p, err);
	filter_form(&p, rd, err);
	if (!items) {
		page_end(&p, status);
		return;
	}
	list_sort_links(&p, "/problems", problem_sort_names, "problems.sort");
	if (json_array_size(items))
		list_table(&p, items, (long long)total);
	else
		html_printf(&p.b, "<p class=\"empty\">%h</p>", tr(r, "problems.list.empty"));
	list_pager(&p, "/problems", f->offset, f->limit, json_array_size(items), more, (long long)total, f->count_cap);
	html_printf(&p.b, "<p class=\"export\"><a class=\"btn\" href=\"/problems.csv");
	list_keep_query(&p.b, r, NULL, NULL, NULL);
	html_printf(&p.b, "\" download>%h</a></p>", tr(r, "problems.export_csv"));
	json_decref(items);
	page_end(&p, 200);
}

/* The API's refusal of the query (through the answer hook): the form again, the field named. */
static void refused(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	json_decref(out);
	struct qd_err e;
	if (!err) /* an answer that is not an error cannot come here: the list is read by the page */
		err = (qd_fail(&e, QD_EINTERNAL, "", "内部错误", "internal error"), &e);
	render(r, NULL, err, status ? status : http_status(err->code));
}

static void list_answer(struct req *r, struct list_filter *f)
{
	f->count = 1;
	f->count_cap = PAGE_COUNT_CAP;
	render(r, f, NULL, 200);
}

void page_problems(struct req *r)
{
	r->answer_hook = refused;
	api_problem_list(r, list_answer);
}

void page_problems_invalid(struct req *r, const struct qd_err *err)
{
	render(r, NULL, err, http_status(err->code));
}

/* --- the list as CSV -------------------------------------------------------------------------- */

static const char *csv_state(const void *ctx, const json_t *row, const json_t *v)
{
	(void)row;
	const char *s = json_string_value(v);
	return s && *s ? tr_code((struct req *)ctx, "state", s) : "";
}

static const char *csv_source(const void *ctx, const json_t *row, const json_t *v)
{
	(void)row;
	const char *s = json_string_value(v);
	return s && *s ? tr_code((struct req *)ctx, "source", s) : "";
}

static void csv_answer(struct req *r, struct list_filter *f)
{
	json_t *all = list_export_rows(r, f, read_problems, "问题", "problems");
	if (!all)
		return;
	r->answer_hook = NULL;
	const struct export_col cols[] = {
	    {"id", tr(r, "problems.col.id"), NULL},
	    {"code", tr(r, "problems.col.code"), NULL},
	    {"state", tr(r, "problems.col.state"), csv_state},
	    {"task_state", tr(r, "problems.col.task_state"), csv_state},
	    {"task_id", tr(r, "problems.col.task"), NULL},
	    {"unit_name", tr(r, "problems.col.unit"), NULL},
	    {"category_name", tr(r, "problems.col.category"), NULL},
	    {"source", tr(r, "problems.col.source"), csv_source},
	    {"created_at", tr(r, "problems.col.created_at"), NULL},
	    {"reporter_name", tr(r, "problems.col.reporter"), NULL},
	    {"description", tr(r, "problems.col.description"), NULL},
	};
	list_csv_answer(r, cols, (int)(sizeof cols / sizeof cols[0]), all);
	json_decref(all);
}

void page_problems_csv(struct req *r)
{
	r->answer_hook = refused;
	api_problem_list(r, csv_answer);
}
