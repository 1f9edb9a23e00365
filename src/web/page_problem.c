/* page_problem.c — GET /problems/{id}: one problem as the reader may see it — its description
 * (in the masked form the presenter gives staff), unit, category, source, state, the task it is
 * linked to with the task's status, the problem it duplicates and its master item (where a chain
 * of duplicates ends) with the master's task and that task's status — a duplicate goes with its
 * master —, its timeline (its intake, its own triage events — classify, merge, decline, link —
 * and the linked task's events, from the event log) — and the triage actions (merge, decline) when
 * the reader holds the triage right and the problem waits for triage.  POST
 * /problems/{id}/merge and /decline reuse api_problem_merge / api_problem_decline through the
 * answer hook (web/req.h): 303 back to the page, or the page again with the error summary.
 *
 * Everything shown comes through a presenter (present_problem, present_task, present_event):
 * a field that is not in its table is not on the page. */
#include "base/mem.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/scope.h"
#include "store/problem.h"
#include "store/task.h"
#include "web/api.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/page_work.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "2026-12-01T09:30:05+08:00" → "2026-12-01 09:30" into out (China time, as presented). */
static const char *when(const char *ts, char out[17])
{
	if (!ts || strlen(ts) < 16)
		return ts ? ts : "";
	memcpy(out, ts, 16);
	out[10] = ' ';
	out[16] = 0;
	return out;
}

static void row(struct page *p, const char *label, const char *value)
{
	if (value && *value)
		html_printf(&p->b, "<div class=\"kv\"><dt>%h</dt><dd>%h</dd></div>", label, value);
}

/* The linked task's status, as the task list's presenter writes it for the reader (masters: the
 * task of the master item a duplicate goes with). */
static void task_summary(struct page *p, int64_t task_id, const json_t *pt, int masters)
{
	struct req *r = p->r;
	html_printf(
	    &p->b,
	    "<section class=\"linked-task\" id=\"task\" aria-labelledby=\"h-task\"><h2 id=\"h-task\">%h</h2>",
	    tr(r, masters ? "problem.master_task" : "problem.task"));
	html_printf(
	    &p->b, "<p><a href=\"/tasks/%lld\">%h</a> <span class=\"state\" data-state=\"%a\">%h</span></p>",
	    (long long)task_id, str(pt, "title"), str(pt, "state"), tr_code(r, "state", str(pt, "state")));
	html_printf(&p->b, "<dl class=\"facts\">");
	row(p, tr(r, "problem.task_unit"), str(pt, "unit_name"));
	row(p, tr(r, "problem.task_handler"), str(pt, "handler_name"));
	row(p, tr(r, "problem.task_deadline"), str(pt, "deadline"));
	html_printf(&p->b, "</dl></section>");
}

/* Events of a history presented for the viewer with the audience of their item (as GET
 * /api/v1/tasks/{id}/history presents a task's), appended to into; 0, or -1 on a read error. */
static int presented_events(struct req *r, json_t *history, const struct presenter *item, json_t *row, json_t *into)
{
	if (!history)
		return -1;
	struct viewer v = req_viewer(r);
	struct row ir;
	struct row_jsonimpl ii;
	row_from_json(&ir, &ii, row);
	unsigned aud = present_audience(item, &v, &ir, 0);
	struct buf out;
	buf_init(&out);
	present_write_list(present_event, &v, history, aud, &out);
	json_decref(history);
	json_t *events = json_loadb(out.p ? out.p : "[]", out.len, 0, NULL);
	buf_free(&out);
	json_array_extend(into, events);
	json_decref(events);
	return 0;
}

static int by_seq(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "seq"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "seq"));
	return x < y ? -1 : x > y;
}

/* The timeline after its intake: the problem's own triage events and the events of the task it
 * is linked to (its own, or its master's), in the order they happened. */
static void timeline_events(struct page *p, json_t *events)
{
	struct req *r = p->r;
	size_t n = json_array_size(events), i;
	json_t **sorted = xcalloc(n ? n : 1, sizeof *sorted);
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(events, i);
	qsort(sorted, n, sizeof *sorted, by_seq);
	static const char problem_kind[] = "problem.";
	for (i = 0; i < n; i++) {
		json_t *e = sorted[i];
		const char *kind = str(e, "kind") ? str(e, "kind") : "";
		const char *action = str(e, "action");
		int own = !strncmp(kind, problem_kind, sizeof problem_kind - 1);
		const char *pa = own ? kind + sizeof problem_kind - 1 : NULL;
		if (own && problem_action_parse(pa) < 0)
			continue; /* problem.create: the intake line */
		char w[17];
		const char *note = str(e, "note") ? str(e, "note") : str(e, "reason");
		html_printf(&p->b, "<li data-kind=\"%a\"><time>%h</time> <span class=\"who\">%h</span> %h", kind,
		            when(str(e, "at"), w), str(e, "actor_name"),
		            own ? tr_code(r, "problem_action", pa)
		                : action ? tr_code(r, "action", action) : tr(r, "problem.event_task"));
		if (note)
			html_printf(&p->b, "<p class=\"note\">%h</p>", note);
		html_printf(&p->b, "</li>");
	}
	free(sorted);
}

/* A merged problem's master item: the problem its chain of duplicates ends at (the one its
 * follow-up goes with), when the reader may see it. */
static void master_item(struct page *p, struct store_rd *rd, int64_t master)
{
	struct req *r = p->r;
	struct viewer v = req_viewer(r);
	json_t *row_ = store_problem_get(rd, master);
	json_t *pm = row_ ? present_json(&present_problem, &v, row_) : NULL;
	json_decref(row_);
	html_printf(&p->b, "<section class=\"master\" id=\"master\" aria-labelledby=\"h-master\"><h2 id=\"h-master\">%h</h2>",
	            tr(r, "problem.master_item"));
	if (pm)
		html_printf(&p->b, "<p><a href=\"/problems/%lld\">%h</a> %h</p>", (long long)master, str(pm, "code"),
		            str(pm, "description"));
	else
		html_printf(&p->b, "<p>#%lld</p>", (long long)master);
	html_printf(&p->b, "<p class=\"hint\">%h</p></section>", tr(r, "problem.master_hint"));
	json_decref(pm);
}

/* The triage forms: link it to the problem it duplicates, or decline it with a reason. */
static void actions(struct page *p, int64_t id, const struct qd_err *err)
{
	struct req *r = p->r;
	html_printf(&p->b,
	            "<section class=\"actions\" id=\"actions\" aria-labelledby=\"h-actions\"><h2 "
	            "id=\"h-actions\">%h</h2>",
	            tr(r, "problem.actions"));
	char tmp[24];
	json_t *into = json_object_get(r->form, "into");
	const char *into_v = json_is_string(into) ? json_string_value(into) : NULL;
	if (!into_v && json_is_integer(json_object_get(r->json, "into"))) {
		snprintf(tmp, sizeof tmp, "%lld",
		         (long long)json_integer_value(json_object_get(r->json, "into")));
		into_v = tmp;
	}
	int e_into = err && err->code && !strcmp(err->field, "into");
	int e_reason = err && err->code && !strcmp(err->field, "reason");
	html_printf(
	    &p->b,
	    "<form method=\"post\" action=\"/problems/%lld/merge\" class=\"action-form\" id=\"merge\">",
	    (long long)id);
	page_csrf(p);
	html_printf(&p->b,
	            "<div class=\"field\"><label for=\"f-into\">%h</label><p class=\"hint\" "
	            "id=\"f-into-hint\">%h</p>",
	            tr(r, "problem.merge_into"), tr(r, "problem.merge_hint"));
	if (e_into)
		html_printf(&p->b, "<p class=\"field-error\" id=\"f-into-error\">%h</p>",
		            page_err_text(r, err));
	html_printf(&p->b,
	            "<input type=\"text\" inputmode=\"numeric\" id=\"f-into\" name=\"into\" value=\"%a\" "
	            "aria-describedby=\"%a\">"
	            "</div><button type=\"submit\" class=\"btn\">%h</button></form>",
	            into_v ? into_v : "", e_into ? "f-into-error" : "f-into-hint", tr(r, "problem.merge"));
	const char *reason = json_string_value(json_object_get(r->form, "reason"));
	html_printf(
	    &p->b,
	    "<form method=\"post\" action=\"/problems/%lld/decline\" class=\"action-form\" id=\"decline\">",
	    (long long)id);
	page_csrf(p);
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-reason\">%h</label>",
	            tr(r, "problem.decline_reason"));
	if (e_reason)
		html_printf(&p->b, "<p class=\"field-error\" id=\"f-reason-error\">%h</p>",
		            page_err_text(r, err));
	html_printf(&p->b, "<textarea id=\"f-reason\" name=\"reason\" rows=\"3\" maxlength=\"500\"");
	if (e_reason)
		html_printf(&p->b, " aria-describedby=\"f-reason-error\"");
	html_printf(&p->b,
	            ">%h</textarea></div><button type=\"submit\" class=\"btn\">%h</button></form></section>",
	            reason ? reason : "", tr(r, "problem.decline"));
}

/* The page for the problem of the path, with err's summary (NULL: none); answers status. */
static void show(struct req *r, const struct qd_err *err, unsigned status)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	struct qd_err nf;
	json_t *row_ = store_problem_get_linked(rd, r->path_id);
	struct scope sc = req_scope(r);
	if (!row_ || !scope_sees_problem(&sc, str(row_, "unit_path"),
	                                 json_integer_value(json_object_get(row_, "created_by")))) {
		json_decref(row_);
		qd_fail(&nf, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		page_fail(r, &nf);
		return;
	}
	struct viewer v = req_viewer(r);
	int triage = (req_rights_on(r, str(row_, "unit_path")) & RIGHT_TRIAGE) != 0;
	json_t *pr = present_json(&present_problem_detail, &v, row_);
	if (!pr) {
		json_decref(row_);
		qd_fail(&nf, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
		page_fail(r, &nf);
		return;
	}
	const char *code = str(pr, "code");
	char title[96];
	snprintf(title, sizeof title, "%s %s", tr(r, "problem.title"), code ? code : "");
	struct page p;
	page_begin(&p, r, title);
	page_error_summary(&p, err);
	const char *state = str(pr, "state");
	html_printf(&p.b, "<h1>%h <span class=\"code\">%h</span></h1>", tr(r, "problem.title"), code);
	html_printf(&p.b, "<p class=\"state\" id=\"state\" data-state=\"%a\">%h</p>", state,
	            tr_code(r, "state", state));
	html_printf(&p.b, "<div class=\"description\" id=\"description\"><h2>%h</h2><p>%h</p></div>",
	            tr(r, "problem.description"), str(pr, "description"));
	html_printf(&p.b, "<dl class=\"facts\">");
	row(&p, tr(r, "problem.unit"), str(pr, "unit_name"));
	row(&p, tr(r, "problem.category"),
	    str(pr, "category_name") ? str(pr, "category_name") : tr(r, "problem.unclassified"));
	row(&p, tr(r, "problem.source"), str(pr, "source") ? tr_code(r, "source", str(pr, "source")) : NULL);
	row(&p, tr(r, "problem.reporter"),
	    json_is_true(json_object_get(pr, "anonymous")) ? tr(r, "problem.anonymous")
	                                                   : str(pr, "reporter_name"));
	if (json_is_true(json_object_get(pr, "no_disclose")))
		row(&p, tr(r, "problem.disclosure"), tr(r, "problem.no_disclose"));
	char w[17];
	row(&p, tr(r, "problem.created_at"), when(str(pr, "created_at"), w));
	html_printf(&p.b, "</dl>");
	int64_t master = json_integer_value(json_object_get(pr, "merged_into"));
	if (master)
		html_printf(&p.b,
		            "<p class=\"merged\" id=\"merged\">%h <a href=\"/problems/%lld\">%h</a></p>",
		            tr(r, "problem.merged_into"), (long long)master, tr(r, "problem.master"));
	if (str(pr, "decline_reason"))
		html_printf(&p.b, "<div class=\"declined\"><h2>%h</h2><p>%h</p></div>",
		            tr(r, "problem.declined"), str(pr, "decline_reason"));
	int64_t root = json_integer_value(json_object_get(pr, "master_id"));
	if (root)
		master_item(&p, rd, root);
	/* the timeline: its intake, then its triage and the linked task's events — its own task's,
	 * or (a duplicate) its master's */
	int64_t task_id = json_integer_value(json_object_get(pr, "task_id"));
	if (!task_id)
		task_id = json_integer_value(json_object_get(pr, "master_task_id"));
	json_t *t = task_id ? store_task_get(rd, task_id) : NULL;
	json_t *pt = t ? present_json(present_task_list, &v, t) : NULL;
	json_t *events = json_array();
	int failed = presented_events(r, store_problem_history(rd, r->path_id), &present_problem, row_, events) ||
	             (pt && presented_events(r, store_task_history(rd, task_id), present_task, t, events));
	json_decref(row_);
	if (failed) {
		json_decref(events);
		json_decref(pt);
		json_decref(t);
		json_decref(pr);
		buf_free(&p.b);
		req_db_error(r);
		return;
	}
	html_printf(&p.b,
	            "<section class=\"timeline\" id=\"timeline\" aria-labelledby=\"h-timeline\"><h2 "
	            "id=\"h-timeline\">%h</h2><ol>"
	            "<li><time>%h</time> %h</li>",
	            tr(r, "problem.timeline"), when(str(pr, "created_at"), w),
	            tr(r, "problem.event_created"));
	timeline_events(&p, events);
	json_decref(events);
	html_printf(&p.b, "</ol></section>");
	if (pt)
		task_summary(&p, task_id, pt, root != 0);
	json_decref(pt);
	json_decref(t);
	if (triage && state && !strcmp(state, problem_state_name(PS_NEW)))
		actions(&p, r->path_id, err);
	json_decref(pr);
	html_printf(&p.b, "<p class=\"back\"><a href=\"/work\">%h</a></p>", tr(r, "problem.back"));
	page_end(&p, status);
}

void page_problem(struct req *r)
{
	show(r, NULL, 200);
}

void page_problem_invalid(struct req *r, const struct qd_err *err)
{
	show(r, err, (unsigned)(err->code == QD_EPERM ? 403 : err->code == QD_ENOTFOUND ? 404 : 400));
}

/* The triage write's answer: back to the page, or the page again naming the field. */
static void triaged(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	json_decref(out);
	if (err) {
		show(r, err, status);
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/problems/%lld", (long long)r->path_id);
	req_redirect(r, loc);
}

void page_problem_merge(struct req *r)
{
	r->answer_hook = triaged;
	api_problem_merge(r);
}

void page_problem_decline(struct req *r)
{
	r->answer_hook = triaged;
	api_problem_decline(r);
}
