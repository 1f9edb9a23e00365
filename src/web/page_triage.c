/* page_triage.c — the dispatcher's pages (issue 10, point 3): the triage queue with each new
 * problem's likely duplicates, one problem's triage page (classify it, mark as a duplicate of a
 * master item, decline with reason), and making a task from one or many problems in steps — details, the
 * people of the chosen unit (two steps, so it works with JavaScript off), "check your answers"
 * with the deadline it yields — before api_task_create makes it.
 *
 * Writes go through the API's own handlers (api_problem_merge, api_problem_decline,
 * api_problem_classify, api_task_create) with r->answer_hook: the same checks on the writer, the page only answers.
 * Problems, units and users reach the page only through their presenters.  Likely duplicates:
 * the problems of the same unit within SIMILAR_WINDOW_DAYS whose masked text scores at least
 * SIMILAR_THRESHOLD (core/similar.h says why the measure is computed in core). */
#include "web/page_triage.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/deadline.h"
#include "core/names.h"
#include "core/problem.h"
#include "core/similar.h"
#include "core/task.h"
#include "present/present.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/write.h"
#include "web/api.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL


static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long jid(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* The day of an RFC 3339 timestamp as presented ("2026-12-01T09:30:05+08:00" → "2026-12-01"). */
static const char *day_of(const char *ts, char out[11])
{
	snprintf(out, 11, "%s", ts ? ts : "");
	return out;
}

/* While a page reads, an error answered the API's way (req_rd's 500, api_list_filter's 4xx)
 * becomes an error page. */
static void fail_hook(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	struct qd_err e;
	json_decref(out);
	if (!err) {
		qd_fail(&e, QD_EINTERNAL, "", "内部错误", "internal error");
		err = &e;
	}
	page_fail(r, err);
}

static void fail_db(struct req *r)
{
	struct qd_err e;
	qd_fail(&e, QD_EINTERNAL, "", "数据库错误", "database error");
	page_fail(r, &e);
}

/* A problem's state as a badge. */
static void state_badge(struct page *p, const char *state)
{
	char key[48];
	snprintf(key, sizeof key, "state.%s", state ? state : "");
	html_printf(&p->b, "<span class=\"state state-%a\">%h</span>", state ? state : "", tr(p->r, key));
}

/* --- likely duplicates ----------------------------------------------------------------------- */

struct dup {
	json_t *p; /* presented */
	int score;
};

static int dup_cmp(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	long long i = jid(x->p, "id"), j = jid(y->p, "id");
	return i < j ? -1 : i > j;
}

static void dups_free(struct dup *d, int n)
{
	for (int i = 0; i < n; i++)
		json_decref(d[i].p);
	free(d);
}

/* The likely duplicates of the store row of a problem, presented for v, best first, into *out
 * (caller frees with dups_free); the count, or -1 when the store cannot read them.  only_new: among
 * the new problems alone (the queue: a few dozen candidates a row, where every state's are ~1,400
 * at 1,000,000 tasks — docs/benchmarks.md); the problem's own triage page compares with all. */
static int dups_of(struct store_rd *rd, const struct viewer *v, const json_t *row, int only_new, struct dup **out)
{
	*out = NULL;
	int64_t at = json_integer_value(json_object_get(row, "created_at"));
	json_t *near = store_problem_nearby(rd, jstr(row, "unit_path"), at - SIMILAR_WINDOW_DAYS * DAY_MS,
	                                    at + SIMILAR_WINDOW_DAYS * DAY_MS, only_new);
	if (!near)
		return -1;
	struct similar_set me, other;
	similar_set(&me, jstr(row, "description"));
	size_t i, cap = json_array_size(near);
	struct dup *d = xcalloc(cap ? cap : 1, sizeof *d);
	int n = 0;
	json_t *c;
	json_array_foreach(near, i, c)
	{
		if (jid(c, "id") == jid(row, "id"))
			continue;
		similar_set(&other, jstr(c, "description"));
		int s = similar_score(&me, &other);
		similar_free(&other);
		if (s < SIMILAR_THRESHOLD)
			continue;
		json_t *whole = store_problem_get(rd, jid(c, "id"));
		json_t *pp = whole ? present_json(&present_problem, v, whole) : NULL;
		json_decref(whole);
		if (pp)
			d[n++] = (struct dup){pp, s};
	}
	similar_free(&me);
	json_decref(near);
	qsort(d, (size_t)n, sizeof *d, dup_cmp);
	*out = d;
	return n;
}

/* A duplicate as a link to its page with its state and score. */
static void dup_link(struct page *p, const struct dup *d)
{
	html_printf(&p->b, "<a href=\"/problems/%lld\">%h</a> ", jid(d->p, "id"), jstr(d->p, "code"));
	state_badge(p, jstr(d->p, "state"));
	html_printf(&p->b, " <span class=\"score\">%h %d%%</span>", tr(p->r, "triage.similarity"), d->score);
}

/* --- the queue ------------------------------------------------------------------------------- */

void page_triage_queue(struct req *r)
{
	struct list_filter f;
	char up[128];
	r->answer_hook = fail_hook;
	if (api_list_filter(r, &f, RIGHT_TRIAGE, up))
		return;
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	r->answer_hook = NULL;
	f.count = 1;
	int more = 0;
	int64_t total = -1;
	json_t *rows = store_triage_queue(rd, &f, &more, &total);
	if (!rows || total < 0) {
		json_decref(rows);
		fail_db(r);
		return;
	}
	struct viewer v = req_viewer(r);
	struct page p;
	page_begin(&p, r, tr(r, "triage.title"));
	html_printf(&p.b, "<h1>%h</h1>", tr(r, "triage.title"));
	html_printf(&p.b, "<p class=\"lead\">%h <strong id=\"queue-total\">%lld</strong></p>",
	            tr(r, "triage.total"), (long long)total);
	if (json_array_size(rows))
		html_printf(&p.b, "<p class=\"hint\">%h</p>", tr(r, "triage.queue_dups_note"));
	if (json_array_size(rows) == 0) {
		html_printf(&p.b, "<p class=\"empty\">%h</p>", tr(r, "triage.empty"));
	} else {
		html_printf(&p.b, "<form method=\"post\" action=\"/triage/task\">");
		page_csrf(&p);
		html_printf(&p.b,
		            "<table class=\"list\" id=\"f-problem_ids\"><caption>%h</caption><thead><tr>",
		            tr(r, "triage.caption"));
		html_printf(&p.b,
		            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
		            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th "
		            "scope=\"col\">%h</th></tr></thead><tbody>",
		            tr(r, "triage.select"), tr(r, "triage.problem"), tr(r, "triage.unit"),
		            tr(r, "triage.category"), tr(r, "triage.created"), tr(r, "triage.duplicates_new"));
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			json_t *pp = present_json(&present_problem, &v, row);
			if (!pp)
				continue;
			long long id = jid(pp, "id");
			char day[11];
			html_printf(
			    &p.b,
			    "<tr id=\"p-%lld\"><td><input type=\"checkbox\" name=\"problem_ids\" "
			    "value=\"%lld\" "
			    "id=\"f-problem_ids-%lld\"><label for=\"f-problem_ids-%lld\">%h %h</label></td>",
			    id, id, id, id, tr(r, "triage.select_one"), jstr(pp, "code"));
			html_printf(
			    &p.b,
			    "<td><a href=\"/triage/%lld\">%h</a></td><td>%h</td><td>%h</td><td>%h</td><td>",
			    id, jstr(pp, "description"), jstr(pp, "unit_name"),
			    jstr(pp, "category_name") ? jstr(pp, "category_name")
			                              : tr(r, "triage.unclassified"),
			    day_of(jstr(pp, "created_at"), day));
			struct dup *d;
			int n = dups_of(rd, &v, row, 1, &d);
			if (n < 0) {
				json_decref(pp);
				json_decref(rows);
				buf_free(&p.b);
				fail_db(r);
				return;
			}
			if (n == 0)
				html_printf(&p.b, "%h", tr(r, "triage.no_duplicates"));
			else
				html_printf(&p.b, "<ul class=\"dups\">");
			for (int k = 0; k < n; k++) {
				html_printf(&p.b, "<li>");
				dup_link(&p, &d[k]);
				html_printf(&p.b, "</li>");
			}
			if (n)
				html_printf(&p.b, "</ul>");
			html_printf(&p.b, "</td></tr>");
			dups_free(d, n);
			json_decref(pp);
		}
		html_printf(&p.b,
		            "</tbody></table><input type=\"hidden\" name=\"go\" value=\"details\">"
		            "<button type=\"submit\" class=\"btn btn-primary\">%h</button></form>",
		            tr(r, "triage.make_task_selected"));
	}
	if (f.offset > 0 || more) {
		html_printf(&p.b, "<nav class=\"pager\" aria-label=\"%a\">", tr(r, "triage.pages"));
		const char *unit = req_query(r, "unit_id");
		if (f.offset > 0)
			html_printf(&p.b,
			            "<a href=\"/triage?offset=%d&amp;limit=%d%h%u\" rel=\"prev\">%h</a> ",
			            f.offset > f.limit ? f.offset - f.limit : 0, f.limit,
			            unit ? "&unit_id=" : "", unit, tr(r, "triage.prev"));
		if (more)
			html_printf(
			    &p.b, "<a href=\"/triage?offset=%d&amp;limit=%d%h%u\" rel=\"next\">%h</a>",
			    f.offset + f.limit, f.limit, unit ? "&unit_id=" : "", unit, tr(r, "triage.next"));
		html_printf(&p.b, "</nav>");
	}
	json_decref(rows);
	page_end(&p, 200);
}

/* --- one problem ----------------------------------------------------------------------------- */

/* The store row of problem id if the caller may triage it; otherwise NULL with err (404 when they
 * cannot see it, 403 when they may not triage it). */
static json_t *triageable(struct req *r, struct store_rd *rd, int64_t id, const char *field,
                          struct qd_err *err)
{
	json_t *row = store_problem_get(rd, id);
	struct scope sc = req_scope(r);
	const char *path = jstr(row, "unit_path");
	if (!row || !scope_sees_problem(&sc, path, jid(row, "created_by"))) {
		json_decref(row);
		qd_fail(err, QD_ENOTFOUND, field, "问题 %lld 不存在", "no such problem %lld", (long long)id,
		        (long long)id);
		return NULL;
	}
	if (!(scope_rights_on(&sc, path) & RIGHT_TRIAGE)) {
		json_decref(row);
		qd_fail(err, QD_EPERM, field, "您无权研判问题 %lld", "you may not triage problem %lld",
		        (long long)id, (long long)id);
		return NULL;
	}
	return row;
}

/* A text the reader submitted (r->form), to show a refused form again; "" when none. */
static const char *submitted(struct req *r, const char *name)
{
	const char *s = json_string_value(json_object_get(r->form, name));
	return s ? s : "";
}

static void field_error(struct page *p, const struct qd_err *err, const char *field)
{
	if (err && err->code != QD_OK && !strcmp(err->field, field))
		html_printf(&p->b, "<p class=\"field-error\" id=\"f-%a-error\">%h</p>", field,
		            p->r->lang == LANG_EN ? err->en : err->zh);
}

/* aria-describedby="f-<field>-error" on a control when err names field. */
static void describedby(struct page *p, const struct qd_err *err, const char *field)
{
	if (err && err->code != QD_OK && !strcmp(err->field, field))
		html_printf(&p->b, " aria-describedby=\"f-%a-error\" aria-invalid=\"true\"", field);
}

static void select_rows(struct page *p, const char *name, const json_t *rows, const char *label,
                        int64_t chosen, const char *none, const struct qd_err *err);

/* Classify: the category of a new problem, set or changed without making a task (the task's
 * steps take it as their default). */
static void classify_form(struct page *p, struct store_rd *rd, const struct viewer *v, const json_t *pp,
                          const struct qd_err *err)
{
	struct req *r = p->r;
	json_t *cats = store_category_list(rd);
	json_t *pcats = cats ? present_json_list(&present_category, v, cats) : json_array();
	json_decref(cats);
	html_printf(&p->b,
	            "<h2 id=\"classify\">%h</h2><form method=\"post\" action=\"/triage/%lld/classify\" "
	            "class=\"inline\">",
	            tr(r, "triage.classify"), jid(pp, "id"));
	page_csrf(p);
	html_printf(&p->b, "<label for=\"f-category_id\">%h</label>", tr(r, "triage.category"));
	field_error(p, err, "category_id");
	select_rows(p, "category_id", pcats, "name", (int64_t)jid(pp, "category_id"), tr(r, "triage.choose"),
	            err);
	html_printf(&p->b, "<button type=\"submit\" class=\"btn\">%h</button></form>",
	            tr(r, "triage.classify_submit"));
	html_printf(&p->b, "<p class=\"hint\">%h</p>", tr(r, "triage.classify_hint"));
	json_decref(pcats);
}

static void problem_page(struct req *r, const struct qd_err *err)
{
	struct qd_err e;
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *row = triageable(r, rd, r->path_id, "id", &e);
	if (!row) {
		page_fail(r, &e);
		return;
	}
	struct viewer v = req_viewer(r);
	json_t *pp = present_json(&present_problem, &v, row);
	struct dup *d = NULL;
	int n = pp ? dups_of(rd, &v, row, 0, &d) : -1;
	if (n < 0) {
		json_decref(pp);
		json_decref(row);
		fail_db(r);
		return;
	}
	long long id = jid(pp, "id");
	int is_new = problem_state_parse(jstr(pp, "state")) == PS_NEW;
	char day[11];
	struct page p;
	page_begin(&p, r, tr(r, "triage.problem_title"));
	page_error_summary(&p, err);
	html_printf(&p.b, "<p><a href=\"/triage\">%h</a></p><h1>%h %h</h1>", tr(r, "triage.back"),
	            tr(r, "triage.problem_title"), jstr(pp, "code"));
	html_printf(&p.b, "<dl class=\"summary\"><dt>%h</dt><dd>", tr(r, "triage.state"));
	state_badge(&p, jstr(pp, "state"));
	html_printf(
	    &p.b,
	    "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd>",
	    tr(r, "triage.unit"), jstr(pp, "unit_name"), tr(r, "triage.category"),
	    jstr(pp, "category_name") ? jstr(pp, "category_name") : tr(r, "triage.unclassified"),
	    tr(r, "triage.created"), day_of(jstr(pp, "created_at"), day), tr(r, "triage.reporter"),
	    jstr(pp, "reporter_name") ? jstr(pp, "reporter_name") : tr(r, "triage.anonymous"));
	html_printf(&p.b, "<dt>%h</dt><dd class=\"text\">%h</dd></dl>", tr(r, "triage.description"),
	            jstr(pp, "description"));
	if (!is_new)
		html_printf(&p.b, "<p class=\"notice\">%h <a href=\"/problems/%lld\">%h</a></p>",
		            tr(r, "triage.done_already"), id, tr(r, "triage.problem_page"));

	if (is_new)
		classify_form(&p, rd, &v, pp, err);

	/* likely duplicates, each a master this one may be marked a duplicate of */
	html_printf(&p.b, "<h2 id=\"duplicates\">%h</h2>", tr(r, "triage.duplicates"));
	if (n == 0)
		html_printf(&p.b, "<p>%h</p>", tr(r, "triage.no_duplicates"));
	else
		html_printf(&p.b,
		            "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
		            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th "
		            "scope=\"col\">%h</th></tr></thead><tbody>",
		            tr(r, "triage.duplicates_caption"), tr(r, "triage.problem"),
		            tr(r, "triage.description"), tr(r, "triage.created"), tr(r, "triage.action"));
	for (int k = 0; k < n; k++) {
		html_printf(&p.b, "<tr><td>");
		dup_link(&p, &d[k]);
		html_printf(&p.b, "</td><td>%h</td><td>%h</td><td>", jstr(d[k].p, "description"),
		            day_of(jstr(d[k].p, "created_at"), day));
		int st = problem_state_parse(jstr(d[k].p, "state"));
		if (is_new && st != PS_MERGED && st != PS_DECLINED) {
			html_printf(&p.b, "<form method=\"post\" action=\"/triage/%lld/merge\">", id);
			page_csrf(&p);
			html_printf(&p.b,
			            "<input type=\"hidden\" name=\"into\" value=\"%lld\"><button "
			            "type=\"submit\" class=\"btn\">"
			            "%h<span class=\"visually-hidden\"> %h</span></button></form>",
			            jid(d[k].p, "id"), tr(r, "triage.merge_into"), jstr(d[k].p, "code"));
		}
		html_printf(&p.b, "</td></tr>");
	}
	if (n)
		html_printf(&p.b, "</tbody></table>");
	if (is_new) {
		/* a master by its number, for one the measure did not find */
		html_printf(&p.b, "<form method=\"post\" action=\"/triage/%lld/merge\" class=\"inline\">",
		            id);
		page_csrf(&p);
		html_printf(&p.b, "<label for=\"f-into\">%h</label>", tr(r, "triage.into_label"));
		field_error(&p, err, "into");
		html_printf(
		    &p.b,
		    "<input type=\"text\" inputmode=\"numeric\" name=\"into\" id=\"f-into\" value=\"%a\"",
		    submitted(r, "into"));
		describedby(&p, err, "into");
		html_printf(&p.b, "><button type=\"submit\" class=\"btn\">%h</button></form>",
		            tr(r, "triage.merge"));
		html_printf(&p.b, "<p class=\"hint\">%h</p>", tr(r, "triage.merge_hint"));

		/* make a task: this problem, and any new duplicates ticked in */
		html_printf(&p.b, "<h2>%h</h2><form method=\"post\" action=\"/triage/task\">",
		            tr(r, "triage.make_task"));
		page_csrf(&p);
		html_printf(&p.b,
		            "<input type=\"hidden\" name=\"problem_ids\" value=\"%lld\"><input "
		            "type=\"hidden\" name=\"go\" "
		            "value=\"details\">",
		            id);
		int offered = 0;
		for (int k = 0; k < n; k++) {
			if (problem_state_parse(jstr(d[k].p, "state")) != PS_NEW)
				continue;
			if (!offered++)
				html_printf(&p.b, "<fieldset><legend>%h</legend>",
				            tr(r, "triage.with_duplicates"));
			long long did = jid(d[k].p, "id");
			html_printf(
			    &p.b,
			    "<div class=\"check\"><input type=\"checkbox\" name=\"problem_ids\" "
			    "value=\"%lld\" "
			    "id=\"f-problem_ids-%lld\"><label for=\"f-problem_ids-%lld\">%h</label></div>",
			    did, did, did, jstr(d[k].p, "code"));
		}
		if (offered)
			html_printf(&p.b, "</fieldset>");
		html_printf(&p.b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></form>",
		            tr(r, "triage.make_task"));

		/* decline, with the reason the resident is shown */
		html_printf(&p.b, "<h2>%h</h2><form method=\"post\" action=\"/triage/%lld/decline\">",
		            tr(r, "triage.decline"), id);
		page_csrf(&p);
		html_printf(&p.b, "<label for=\"f-reason\">%h</label>", tr(r, "triage.reason"));
		field_error(&p, err, "reason");
		html_printf(
		    &p.b, "<textarea name=\"reason\" id=\"f-reason\" rows=\"3\" maxlength=\"500\" required");
		describedby(&p, err, "reason");
		html_printf(&p.b, ">%h</textarea><button type=\"submit\" class=\"btn\">%h</button></form>",
		            submitted(r, "reason"), tr(r, "triage.decline"));
	}
	dups_free(d, n);
	json_decref(pp);
	json_decref(row);
	page_end(&p, err && err->code != QD_OK ? http_status(err->code) : 200);
}

void page_triage_problem(struct req *r)
{
	r->answer_hook = fail_hook;
	problem_page(r, NULL);
	r->answer_hook = NULL;
}

void page_triage_problem_invalid(struct req *r, const struct qd_err *err)
{
	r->answer_hook = fail_hook;
	problem_page(r, err);
	r->answer_hook = NULL;
}

/* After merge or decline: the problem's own page, or this page again with the error. */
static void triage_answer(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	json_decref(out);
	if (!err && status < 300) {
		char loc[48];
		snprintf(loc, sizeof loc, "/problems/%lld", (long long)r->path_id);
		req_redirect(r, loc);
		return;
	}
	page_triage_problem_invalid(r, err);
}

void page_triage_merge(struct req *r)
{
	r->answer_hook = triage_answer;
	api_problem_merge(r);
}

void page_triage_decline(struct req *r)
{
	r->answer_hook = triage_answer;
	api_problem_decline(r);
}

/* After classify: this page again (the problem is still to be triaged), or with the error. */
static void classify_answer(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	json_decref(out);
	if (!err && status < 300) {
		char loc[48];
		snprintf(loc, sizeof loc, "/triage/%lld#classify", (long long)r->path_id);
		req_redirect(r, loc);
		return;
	}
	page_triage_problem_invalid(r, err);
}

void page_triage_classify(struct req *r)
{
	r->answer_hook = classify_answer;
	api_problem_classify(r);
}

/* --- making a task --------------------------------------------------------------------------- */

struct answers {
	int64_t ids[WRITE_MAX_PROBLEMS];
	int n;
	const char *title, *measures, *tier, *urgency;
	int64_t category_id, unit_id, handler_id, leader_id;
};

/* A positive id from a submitted text of digits only; 0 otherwise. */
static int64_t id_text(const char *s)
{
	int64_t v = 0;
	if (!s || !*s || strlen(s) > 15)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int64_t id_value(const json_t *v)
{
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : id_text(json_string_value(v));
}

/* The answers: the validated body, or (a refused form shown again) the submitted text. */
static void answers_read(struct req *r, struct answers *a)
{
	memset(a, 0, sizeof *a);
	json_t *src = r->json ? r->json : r->form;
	json_t *ids = json_object_get(src, "problem_ids");
	if (json_is_array(ids)) {
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v)
		{
			int64_t id = id_value(v);
			if (id > 0 && a->n < WRITE_MAX_PROBLEMS)
				a->ids[a->n++] = id;
		}
	} else if (id_value(ids) > 0) {
		a->ids[a->n++] = id_value(ids);
	}
	a->title = jstr(src, "title");
	a->measures = jstr(src, "measures");
	a->tier = jstr(src, "tier");
	a->urgency = jstr(src, "urgency");
	if (a->tier && tier_parse(a->tier) <= TIER_IMMEDIATE)
		a->tier = NULL;
	if (a->urgency && urgency_parse(a->urgency) < 0)
		a->urgency = NULL;
	a->category_id = id_value(json_object_get(src, "category_id"));
	a->unit_id = id_value(json_object_get(src, "unit_id"));
	a->handler_id = id_value(json_object_get(src, "handler_id"));
	a->leader_id = id_value(json_object_get(src, "leader_id"));
}

/* What a step needs, read once. */
struct task_ctx {
	struct req *r;
	struct store_rd *rd;
	struct viewer v;
	struct answers a;
	json_t *problems;           /* presented, in the order asked */
	json_t *units;              /* store rows the caller may assign to */
	json_t *all;                /* every unit, presented (for the names along a unit\'s path) */
	json_t *unit;               /* the chosen one among them (borrowed), or NULL */
	json_t *handlers, *leaders; /* presented users of the chosen unit */
	char origin_path[128];
};

static void ctx_free(struct task_ctx *c)
{
	json_decref(c->problems);
	json_decref(c->units);
	json_decref(c->all);
	json_decref(c->handlers);
	json_decref(c->leaders);
}

/* The problems of the answers, each one the caller may triage and still new; -1 with err naming
 * problem_ids otherwise. */
static int load_problems(struct task_ctx *c, struct qd_err *err)
{
	c->problems = json_array();
	if (c->a.n == 0)
		return qd_fail(err, QD_EINVAL, "problem_ids", "请至少选择一个问题",
		               "choose at least one problem");
	for (int i = 0; i < c->a.n; i++) {
		json_t *row = triageable(c->r, c->rd, c->a.ids[i], "problem_ids", err);
		if (!row)
			return -1;
		if (i == 0)
			snprintf(c->origin_path, sizeof c->origin_path, "%s", jstr(row, "unit_path"));
		int is_new = problem_state_parse(jstr(row, "state")) == PS_NEW;
		json_t *pp = present_json(&present_problem, &c->v, row);
		json_decref(row);
		if (pp)
			json_array_append_new(c->problems, pp);
		if (!is_new)
			return qd_fail(err, QD_ECONFLICT, "problem_ids", "问题 %lld 已处理，不能再立项",
			               "problem %lld is not new", (long long)c->a.ids[i],
			               (long long)c->a.ids[i]);
	}
	return 0;
}

/* The units the caller may hand a task to (core/scope.h scope_may_assign: their triage subtrees
 * and the hand-off units, as the writer decides it), and the chosen one.  -1 when unreadable. */
static int load_units(struct task_ctx *c)
{
	int configured;
	json_t *all = store_unit_list(c->rd);
	json_t *handoff = store_handoff_units(c->rd, &configured);
	if (!all || !handoff) {
		json_decref(all);
		json_decref(handoff);
		return -1;
	}
	size_t n = json_array_size(handoff), i;
	const char **paths = xcalloc(n ? n : 1, sizeof *paths);
	for (i = 0; i < n; i++)
		paths[i] = jstr(json_array_get(handoff, i), "path");
	struct scope sc = req_scope(c->r);
	c->units = json_array();
	json_t *u;
	json_array_foreach(all, i, u)
	{
		if (!scope_may_assign(&sc, jstr(u, "path"), paths, (int)n))
			continue;
		json_array_append(c->units, u);
		if (jid(u, "id") == c->a.unit_id)
			c->unit = u;
	}
	free(paths);
	json_decref(handoff);
	c->all = present_json_list(&present_unit, &c->v, all);
	json_decref(all);
	return 0;
}

/* A unit's name after those of its ancestors under the county ("周老嘴镇 / 新河口村 / 一组": many
 * groups share a name), into out (n bytes; cut at a character boundary when longer). */
static const char *unit_label(const struct task_ctx *c, const json_t *unit, char *out, size_t n)
{
	size_t len = 0;
	out[0] = 0;
	const char *path = jstr(unit, "path");
	int depth = 0;
	for (const char *s = path ? path + 1 : ""; *s;) {
		long long id = strtoll(s, NULL, 10);
		const char *slash = strchr(s, '/');
		s = slash ? slash + 1 : s + strlen(s);
		if (depth++ == 0 && *s) /* the county itself, unless the unit is the county */
			continue;
		size_t i;
		json_t *u;
		json_array_foreach(c->all, i, u)
		{
			if (jid(u, "id") != id || len >= n - 1)
				continue;
			int w = snprintf(out + len, n - len, "%s%s", len ? " / " : "",
			                 jstr(u, "name") ? jstr(u, "name") : "");
			len = w < 0 ? len : len + (size_t)w >= n ? n - 1 : len + (size_t)w;
		}
	}
	utf8_sanitize(out);
	return out;
}

/* 1 when path lies in the subtree of the unit at root (a prefix of it). */
static int under(const char *path, const char *root)
{
	return path && root && *root && strncmp(path, root, strlen(root)) == 0;
}

/* The people of the chosen unit: who may handle there (the handle right over it, as the
 * assignment's check asks), and the leaders in charge — those whose leader grant covers the unit
 * or the problems' village, or every leader when none does (the assignment takes any).  -1 when
 * unreadable. */
static int load_people(struct task_ctx *c)
{
	c->handlers = json_array();
	c->leaders = json_array();
	if (!c->unit)
		return 0;
	const char *path = jstr(c->unit, "path");
	json_t *users = store_user_list(c->rd);
	if (!users)
		return -1;
	json_t *near = json_array(), *any = json_array();
	size_t i;
	json_t *u;
	int rc = 0;
	json_array_foreach(users, i, u)
	{
		if (json_integer_value(json_object_get(u, "active")) != 1)
			continue;
		struct grant *g;
		int n = store_user_grants(c->rd, (int64_t)jid(u, "id"), &g);
		if (n < 0) {
			rc = -1;
			break;
		}
		int handles = (grants_rights_on(g, n, path) & RIGHT_HANDLE) != 0, leads = 0, leads_near = 0;
		for (int k = 0; k < n; k++)
			if (g[k].role == ROLE_LEADER) {
				leads = 1;
				leads_near |= under(path, g[k].path) || under(c->origin_path, g[k].path);
			}
		free(g);
		json_t *pu = (handles || leads) ? present_json(&present_user, &c->v, u) : NULL;
		if (!pu)
			continue;
		if (handles)
			json_array_append(c->handlers, pu);
		if (leads)
			json_array_append(leads_near ? near : any, pu);
		json_decref(pu);
	}
	json_array_extend(c->leaders, json_array_size(near) ? near : any);
	json_decref(near);
	json_decref(any);
	json_decref(users);
	return rc;
}

static int holds_id(const json_t *arr, int64_t id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (jid(v, "id") == id) return 1;
	return 0;
}

/* The details are complete: a title, and a unit the caller may assign to (naming unit_id, as
 * the writer would). */
static int check_details(struct task_ctx *c, struct qd_err *err)
{
	if (!c->a.title || !*c->a.title)
		return qd_fail(err, QD_EINVAL, "title", "请填写任务标题", "title is required");
	if (!c->a.unit_id)
		return qd_fail(err, QD_EINVAL, "unit_id", "请选择承办单位", "choose the handling unit");
	if (!c->unit) {
		struct unit u;
		struct qd_err ignored;
		if (store_unit_get(c->rd, c->a.unit_id, &u, &ignored))
			return qd_fail(err, QD_ENOTFOUND, "unit_id", "承办单位不存在", "no such unit");
		return qd_fail(err, QD_EPERM, "unit_id",
		               "只能交办给本辖区内的单位或可交办的县直部门、企业（%s 不在其中）",
		               "a task goes to a unit of your own area or a hand-off department or company "
		               "(%s is neither)",
		               u.name, u.name);
	}
	return 0;
}

static int check_people(struct task_ctx *c, struct qd_err *err)
{
	if (!c->a.handler_id || !holds_id(c->handlers, c->a.handler_id))
		return qd_fail(err, QD_EINVAL, "handler_id", "请选择承办单位的责任人",
		               "choose the responsible person of the unit");
	if (!c->a.leader_id || !holds_id(c->leaders, c->a.leader_id))
		return qd_fail(err, QD_EINVAL, "leader_id", "请选择包保领导", "choose the leader in charge");
	return 0;
}

/* Which step shows a field. */
static int step_of(const char *field)
{
	if (!strcmp(field, "handler_id") || !strcmp(field, "leader_id"))
		return ST_PEOPLE;
	if (!strcmp(field, "title") || !strcmp(field, "measures") || !strcmp(field, "unit_id") ||
	    !strcmp(field, "category_id") || !strcmp(field, "tier") || !strcmp(field, "urgency") ||
	    !strcmp(field, "problem_ids") || !*field)
		return ST_DETAILS;
	return ST_CHECK;
}

/* The answers not asked on this step, as hidden fields (every step keeps them all). */
static void hidden_answers(struct page *p, const struct answers *a, int step)
{
	for (int i = 0; i < a->n; i++)
		html_printf(&p->b, "<input type=\"hidden\" name=\"problem_ids\" value=\"%lld\">",
		            (long long)a->ids[i]);
	if (step != ST_DETAILS) {
		html_printf(&p->b, "<input type=\"hidden\" name=\"title\" value=\"%a\">",
		            a->title ? a->title : "");
		html_printf(&p->b, "<input type=\"hidden\" name=\"measures\" value=\"%a\">",
		            a->measures ? a->measures : "");
		if (a->category_id)
			html_printf(&p->b, "<input type=\"hidden\" name=\"category_id\" value=\"%lld\">",
			            (long long)a->category_id);
		if (a->unit_id)
			html_printf(&p->b, "<input type=\"hidden\" name=\"unit_id\" value=\"%lld\">",
			            (long long)a->unit_id);
		if (a->tier)
			html_printf(&p->b, "<input type=\"hidden\" name=\"tier\" value=\"%a\">", a->tier);
		if (a->urgency)
			html_printf(&p->b, "<input type=\"hidden\" name=\"urgency\" value=\"%a\">",
			            a->urgency);
	}
	if (step != ST_PEOPLE) {
		if (a->handler_id)
			html_printf(&p->b, "<input type=\"hidden\" name=\"handler_id\" value=\"%lld\">",
			            (long long)a->handler_id);
		if (a->leader_id)
			html_printf(&p->b, "<input type=\"hidden\" name=\"leader_id\" value=\"%lld\">",
			            (long long)a->leader_id);
	}
}

/* The problems the task gathers (every step shows them). */
static void problems_box(struct page *p, const struct task_ctx *c)
{
	html_printf(
	    &p->b,
	    "<section class=\"gathers\" aria-labelledby=\"gathers-h\"><h2 id=\"gathers-h\">%h</h2><ul>",
	    tr(p->r, "triage.gathers"));
	size_t i;
	json_t *pp;
	json_array_foreach(c->problems, i, pp)
	{
		html_printf(&p->b, "<li><a href=\"/problems/%lld\">%h</a> %h: %h</li>", jid(pp, "id"),
		            jstr(pp, "code"), jstr(pp, "unit_name"), jstr(pp, "description"));
	}
	html_printf(&p->b, "</ul></section>");
}

/* <select> of a code vocabulary with its labels from the catalog ("<prefix>.<code>"). */
static void select_enum(struct page *p, const char *name, const char *const *codes, const char *chosen,
                        const char *dflt, const char *prefix)
{
	html_printf(&p->b, "<select name=\"%a\" id=\"f-%a\">", name, name);
	for (int i = 0; codes[i]; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s.%s", prefix, codes[i]);
		int sel = chosen ? !strcmp(chosen, codes[i]) : !strcmp(dflt, codes[i]);
		html_printf(&p->b, "<option value=\"%a\"%h>%h</option>", codes[i], sel ? " selected" : "",
		            tr(p->r, key));
	}
	html_printf(&p->b, "</select>");
}

/* <select> of presented rows (id, label column). */
static void select_rows(struct page *p, const char *name, const json_t *rows, const char *label,
                        int64_t chosen, const char *none, const struct qd_err *err)
{
	html_printf(&p->b, "<select name=\"%a\" id=\"f-%a\"", name, name);
	describedby(p, err, name);
	html_printf(&p->b, "><option value=\"\">%h</option>", none);
	size_t i;
	json_t *v;
	json_array_foreach(rows, i, v)
	{
		html_printf(&p->b, "<option value=\"%lld\"%h>%h</option>", jid(v, "id"),
		            jid(v, "id") == chosen ? " selected" : "", jstr(v, label));
	}
	html_printf(&p->b, "</select>");
}

static void step_details(struct page *p, struct task_ctx *c, const struct qd_err *err)
{
	struct req *r = c->r;
	const struct answers *a = &c->a;
	html_printf(&p->b, "<form method=\"post\" action=\"/triage/task\">");
	page_csrf(p);
	hidden_answers(p, a, ST_DETAILS);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-title\">%h</label>",
	            tr(r, "triage.task_title"));
	field_error(p, err, "title");
	html_printf(
	    &p->b,
	    "<input type=\"text\" name=\"title\" id=\"f-title\" maxlength=\"100\" required value=\"%a\"",
	    a->title ? a->title : "");
	describedby(p, err, "title");
	html_printf(&p->b, "></div><div class=\"field\"><label for=\"f-measures\">%h</label>",
	            tr(r, "triage.measures"));
	field_error(p, err, "measures");
	html_printf(&p->b, "<textarea name=\"measures\" id=\"f-measures\" rows=\"4\" maxlength=\"1000\"");
	describedby(p, err, "measures");
	html_printf(&p->b, ">%h</textarea></div>", a->measures ? a->measures : "");

	/* classify: the category, by default the first problem's */
	int64_t cat =
	    a->category_id ? a->category_id : (int64_t)jid(json_array_get(c->problems, 0), "category_id");
	json_t *cats = store_category_list(c->rd);
	json_t *pcats = cats ? present_json_list(&present_category, &c->v, cats) : json_array();
	json_decref(cats);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-category_id\">%h</label>",
	            tr(r, "triage.category"));
	field_error(p, err, "category_id");
	select_rows(p, "category_id", pcats, "name", cat, tr(r, "triage.unclassified"), err);
	json_decref(pcats);

	json_t *punits = present_json_list(&present_unit, &c->v, c->units);
	size_t ui;
	json_t *pu;
	json_array_foreach(punits, ui, pu)
	{
		char label[1024];
		json_object_set_new(pu, "label", json_string(unit_label(c, pu, label, sizeof label)));
	}
	html_printf(&p->b, "</div><div class=\"field\"><label for=\"f-unit_id\">%h</label>",
	            tr(r, "triage.handling_unit"));
	html_printf(&p->b, "<p class=\"hint\">%h</p>", tr(r, "triage.unit_hint"));
	field_error(p, err, "unit_id");
	select_rows(p, "unit_id", punits, "label", a->unit_id, tr(r, "triage.choose"), err);
	json_decref(punits);
	html_printf(&p->b, "</div><div class=\"field\"><label for=\"f-tier\">%h</label>",
	            tr(r, "triage.tier"));
	select_enum(p, "tier", TIER_TASK_NAMES, a->tier, tier_name(TIER_SCHEDULED), "tier");
	html_printf(&p->b, "</div><div class=\"field\"><label for=\"f-urgency\">%h</label>",
	            tr(r, "triage.urgency"));
	select_enum(p, "urgency", urgency_names, a->urgency, urgency_name(URG_NORMAL), "urgency");
	html_printf(&p->b,
	            "</div><button type=\"submit\" name=\"go\" value=\"people\" class=\"btn "
	            "btn-primary\">%h</button></form>",
	            tr(r, "triage.continue"));
}

static void step_people(struct page *p, struct task_ctx *c, const struct qd_err *err)
{
	struct req *r = c->r;
	char label[1024];
	html_printf(&p->b, "<form method=\"post\" action=\"/triage/task\">");
	page_csrf(p);
	hidden_answers(p, &c->a, ST_PEOPLE);
	html_printf(&p->b,
	            "<p>%h: <strong>%h</strong> <button type=\"submit\" name=\"go\" value=\"details\" "
	            "class=\"link\">%h"
	            "<span class=\"visually-hidden\"> %h</span></button></p>",
	            tr(r, "triage.handling_unit"), unit_label(c, c->unit, label, sizeof label),
	            tr(r, "triage.change"), tr(r, "triage.handling_unit"));
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-handler_id\">%h</label>",
	            tr(r, "triage.handler"));
	field_error(p, err, "handler_id");
	select_rows(p, "handler_id", c->handlers, "display_name", c->a.handler_id, tr(r, "triage.choose"),
	            err);
	if (json_array_size(c->handlers) == 0)
		html_printf(&p->b, "<p class=\"hint\">%h</p>", tr(r, "triage.no_handlers"));
	html_printf(&p->b, "</div><div class=\"field\"><label for=\"f-leader_id\">%h</label>",
	            tr(r, "triage.leader"));
	field_error(p, err, "leader_id");
	select_rows(p, "leader_id", c->leaders, "display_name", c->a.leader_id, tr(r, "triage.choose"), err);
	html_printf(&p->b,
	            "</div><button type=\"submit\" name=\"go\" value=\"check\" class=\"btn "
	            "btn-primary\">%h</button></form>",
	            tr(r, "triage.continue"));
}

/* A name among presented rows by id ("" when absent). */
static const char *name_of(const json_t *rows, int64_t id, const char *col)
{
	size_t i;
	json_t *v;
	json_array_foreach(rows, i, v) if (jid(v, "id") == id) return jstr(v, col) ? jstr(v, col) : "";
	return "";
}

/* One answer of the summary list with its "change" button back to the step that asks it. */
static void answer_row(struct page *p, const char *label, const char *value, const char *step)
{
	html_printf(
	    &p->b,
	    "<div class=\"summary-row\"><dt>%h</dt><dd>%h</dd><dd><button type=\"submit\" name=\"go\" "
	    "value=\"%a\" class=\"link\">%h<span class=\"visually-hidden\"> %h</span></button></dd></div>",
	    label, value, step, tr(p->r, "triage.change"), label);
}

static void step_check(struct page *p, struct task_ctx *c, const struct qd_err *err)
{
	struct req *r = c->r;
	const struct answers *a = &c->a;
	/* the deadline it yields: the computation the task's assignment makes (core/deadline.h,
	 * machine_fx_start_clock) over the store's calendar and limits, counted from today */
	struct urgency_limit lim[URG__COUNT];
	store_limits_load(c->rd, lim);
	struct calendar *cal = store_calendar_load(c->rd);
	int urg = a->urgency ? urgency_parse(a->urgency) : URG_NORMAL;
	struct deadline d;
	memset(&d, 0, sizeof d);
	deadline_start(&d, cal, date_china_day(r->now), &lim[urg]);
	calendar_free(cal);
	char respond_by[11], deadline[11], key[64], label[1024];

	html_printf(&p->b, "<form method=\"post\" action=\"/triage/task\">");
	page_csrf(p);
	hidden_answers(p, a, ST_CHECK);
	html_printf(&p->b, "<dl class=\"summary check-answers\">");
	answer_row(p, tr(r, "triage.task_title"), a->title, "details");
	answer_row(p, tr(r, "triage.measures"), a->measures ? a->measures : "", "details");
	json_t *cats = store_category_list(c->rd);
	json_t *pcats = cats ? present_json_list(&present_category, &c->v, cats) : json_array();
	json_decref(cats);
	int64_t cat =
	    a->category_id ? a->category_id : (int64_t)jid(json_array_get(c->problems, 0), "category_id");
	answer_row(p, tr(r, "triage.category"),
	           cat ? name_of(pcats, cat, "name") : tr(r, "triage.unclassified"), "details");
	json_decref(pcats);
	answer_row(p, tr(r, "triage.handling_unit"), unit_label(c, c->unit, label, sizeof label), "details");
	answer_row(p, tr(r, "triage.handler"), name_of(c->handlers, a->handler_id, "display_name"), "people");
	answer_row(p, tr(r, "triage.leader"), name_of(c->leaders, a->leader_id, "display_name"), "people");
	snprintf(key, sizeof key, "tier.%s", a->tier ? a->tier : tier_name(TIER_SCHEDULED));
	answer_row(p, tr(r, "triage.tier"), tr(r, key), "details");
	snprintf(key, sizeof key, "urgency.%s", urgency_name((enum urgency)urg));
	answer_row(p, tr(r, "triage.urgency"), tr(r, key), "details");
	html_printf(&p->b, "</dl>");
	html_printf(&p->b, "<h2>%h</h2><dl class=\"summary deadline\">", tr(r, "triage.deadline_h"));
	html_printf(&p->b,
	            "<dt>%h</dt><dd><span id=\"respond-days\">%d</span> %h, <time id=\"respond-by\" "
	            "datetime=\"%a\">%h</time></dd>",
	            tr(r, "triage.respond_by"), lim[urg].respond, tr(r, "triage.working_days"),
	            date_format(d.respond_by, respond_by), respond_by);
	html_printf(&p->b,
	            "<dt>%h</dt><dd><span id=\"deadline-days\">%d</span> %h, <time id=\"deadline\" "
	            "datetime=\"%a\">%h</time></dd></dl>",
	            tr(r, "triage.deadline"), lim[urg].complete, tr(r, "triage.working_days"),
	            date_format(d.deadline, deadline), deadline);
	html_printf(&p->b, "<p class=\"hint\">%h</p>", tr(r, "triage.deadline_hint"));
	(void)err;
	html_printf(&p->b,
	            "<button type=\"submit\" name=\"go\" value=\"confirm\" class=\"btn "
	            "btn-primary\">%h</button></form>",
	            tr(r, "triage.confirm"));
}

static void task_answer(struct req *r, unsigned status, json_t *out, const struct qd_err *err);

/* Read the answers, check what the steps before go asked, and show the step (or the first one
 * whose check fails, with its error); go=confirm with all checked makes the task.  given: an
 * error to show (the writer's or the dispatcher's refusal) — then nothing is made. */
static void task_flow(struct req *r, int go, const struct qd_err *given)
{
	struct task_ctx c;
	memset(&c, 0, sizeof c);
	c.r = r;
	r->answer_hook = fail_hook;
	c.rd = req_rd(r);
	if (!c.rd)
		return;
	r->answer_hook = NULL;
	c.v = req_viewer(r);
	answers_read(r, &c.a);
	struct qd_err e;
	qd_err_clear(&e);
	const struct qd_err *err = given;
	int step = go > ST_CHECK ? ST_CHECK : go;
	if (load_units(&c) || load_people(&c)) {
		ctx_free(&c);
		fail_db(r);
		return;
	}
	if (load_problems(&c, &e)) {
		step = ST_DETAILS, err = &e;
		if (e.code == QD_ENOTFOUND || e.code == QD_EPERM ||
		    c.a.n == 0) { /* nothing to make a task of */
			ctx_free(&c);
			page_fail(r, &e);
			return;
		}
	} else if (step >= ST_PEOPLE && check_details(&c, &e)) {
		step = ST_DETAILS, err = &e;
	} else if (step >= ST_CHECK && check_people(&c, &e)) {
		step = ST_PEOPLE, err = &e;
	} else if (go == ST_CONFIRM && !given) {
		ctx_free(&c);
		r->answer_hook = task_answer;
		api_task_create(r);
		return;
	}
	if (given && given->code != QD_OK && step > step_of(given->field))
		step = step_of(given->field);
	static const char *const titles[] = {"triage.step_details", "triage.step_people",
	                                     "triage.step_check"};
	struct page p;
	page_begin(&p, r, tr(r, titles[step]));
	page_error_summary(&p, err);
	html_printf(&p.b, "<p><a href=\"/triage\">%h</a></p><h1><span class=\"caption\">%h</span> %h</h1>",
	            tr(r, "triage.back"), tr(r, "triage.make_task"), tr(r, titles[step]));
	problems_box(&p, &c);
	if (step == ST_DETAILS)
		step_details(&p, &c, err);
	else if (step == ST_PEOPLE)
		step_people(&p, &c, err);
	else
		step_check(&p, &c, err);
	ctx_free(&c);
	page_end(&p, err && err->code != QD_OK ? http_status(err->code) : 200);
}

/* After api_task_create: the task's page, or the step of the refused field with the error. */
static void task_answer(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	long long id = jid(out, "id");
	json_decref(out);
	if (!err && status < 300 && id > 0) {
		char loc[48];
		snprintf(loc, sizeof loc, "/tasks/%lld", id);
		req_redirect(r, loc);
		return;
	}
	struct qd_err e;
	if (!err) {
		qd_fail(&e, QD_EINTERNAL, "", "内部错误：任务未建立",
		        "internal error: the task was not made");
		err = &e;
	}
	task_flow(r, step_of(err->field), err);
}

void page_triage_task(struct req *r)
{
	const char *go = req_str(r, "go");
	int step = go ? names_find(triage_steps, ST_CONFIRM + 1, go) : ST_DETAILS;
	task_flow(r, step < 0 ? ST_DETAILS : step, NULL);
}

void page_triage_task_invalid(struct req *r, const struct qd_err *err)
{
	task_flow(r, step_of(err->field), err);
}
