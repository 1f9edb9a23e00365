/* page_task.c — the task pages for a browser: GET /tasks (the list: the handler's inbox, the
 * unit's tasks, filters, sort, paging), GET /tasks.csv (the same list through the one exporter,
 * web/export_csv.h), GET /tasks/{id} (the task: its fields, linked problems and the duplicates
 * merged into them, the timeline from the event log, and the actions this user may take now, each
 * a small form — the follow-up's lists every resident to ask, duplicates' too) and POST
 * /tasks/{id}/{action} (an action taken from such a form).
 *
 * Nothing here decides who sees or may do what: the list is the API's list (api_list_filter,
 * store_task_list) written through the task list presenter, the task page is api_task_get's answer
 * (the presenter's fields and `actions`, the machine's allowed actions exactly as the API gives
 * them) and an action is api_task_action's, both reached through the request's answer hook
 * (web/req.h).  Entities reach the page only as their presenters wrote them.  Not here: the
 * layout (web/page.c), the catalogs' loading (web/i18n.c), form parsing and CSRF (the dispatcher). */
#include "web/page_task.h"
#include "base/date.h"
#include "base/mem.h"
#include "core/calendar.h"
#include "core/role.h"
#include "core/task.h"
#include "present/present.h"
#include "store/org.h"
#include "store/task.h"
#include "web/api.h"
#include "web/export_csv.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/page_list.h"
#include "web/router.h"
#include "web/server.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "Due soon": an open task with at most this many working days left. */
#define DUE_SOON_WORKDAYS 2

/* --- names from the catalogs ------------------------------------------------------------------ */

/* The reader's name of a code of one of core's vocabularies (state, action, tier, urgency,
 * outcome, satisfaction, channel: i18n/<lang>/vocab.txt); "" for NULL or "". */
static const char *vocab(struct req *r, const char *kind, const char *code)
{
	return code && *code ? tr_code(r, kind, code) : "";
}

/* The label of an action's body field: "task.field.<name>". */
static const char *field_label(struct req *r, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "task.field.%s", name);
	return tr(r, key);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long jint(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* --- the deadline as working days ------------------------------------------------------------- */

struct due {
	int open;    /* the clock runs */
	int overdue; /* past the deadline today */
	int days;    /* working days left (not overdue) or over (overdue); -1: no deadline */
	int soon;    /* open, not overdue, at most DUE_SOON_WORKDAYS left */
};

static struct due due_of(const json_t *t, const struct calendar *cal, int32_t today)
{
	struct due d = {0, json_is_true(json_object_get(t, "overdue")), -1, 0};
	int s = machine_state_parse(&task_machine, jstr(t, "state"));
	d.open = s >= 0 && machine_is_open(&task_machine, s);
	int32_t dl;
	const char *dls = jstr(t, "deadline");
	if (!cal || !dls || date_parse(dls, &dl))
		return d;
	d.days =
	    d.overdue ? calendar_workdays_between(cal, dl, today) : calendar_workdays_between(cal, today, dl);
	d.soon = d.open && !d.overdue && dl >= today && d.days <= DUE_SOON_WORKDAYS;
	return d;
}

/* The deadline with its marks in text, not colour alone: 已超期 / 即将到期. */
static void deadline_cell(struct page *p, struct req *r, const json_t *t, const struct due *d)
{
	html_printf(&p->b, "%h", jstr(t, "deadline") ? jstr(t, "deadline") : tr(r, "task.no_deadline"));
	if (d->open && d->overdue)
		html_printf(&p->b, " <strong class=\"tag tag-overdue\">%h</strong>", tr(r, "task.overdue"));
	else if (d->soon)
		html_printf(&p->b, " <strong class=\"tag tag-due-soon\">%h</strong>", tr(r, "task.due_soon"));
}

/* --- the list's query ------------------------------------------------------------------------- */

/* aria-describedby naming the field's error message, when there is one. */
static void describedby(struct buf *b, const char *id)
{
	if (id)
		html_printf(b, " aria-describedby=\"%a\"", id);
}

/* A row writer for the list: each row through the task list presenter (the API's). */
static int write_row(void *ctx, const struct row *row, struct buf *out)
{
	return present_write(present_task_list, ctx, row, 0, out);
}

/* One page of tasks for f, presented: a new JSON array (caller owns), or NULL on a read error. */
static json_t *read_tasks(struct req *r, struct store_rd *rd, const struct list_filter *f, int *more,
                          int64_t *total)
{
	struct buf out;
	buf_init(&out);
	struct viewer v = req_viewer(r);
	struct row_writer w = {&v, write_row};
	json_t *a = NULL;
	if (store_task_list(rd, f, &w, &out, more, total) == 0 && (!f->count || *total >= 0))
		a = json_loadb(out.p ? out.p : "[]", out.len, 0, NULL);
	buf_free(&out);
	return a;
}

/* A refusal of the filter (an unknown unit …) answered as a page. */
static void filter_refused(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	json_decref(out);
	if (err)
		page_fail(r, err);
}

/* The list's filter from the query, as the API reads it; an empty field of the filter form is
 * no filter.  0, or -1 after answering. */
static int page_filter(struct req *r, struct list_filter *f, char *up)
{
	r->answer_hook = filter_refused;
	int rc = api_list_filter(r, f, RIGHT_READ, up);
	r->answer_hook = NULL;
	if (rc)
		return -1;
	if (f->state && !*f->state)
		f->state = NULL;
	if (f->tier && !*f->tier)
		f->tier = NULL;
	if (f->due_before && !*f->due_before)
		f->due_before = NULL;
	if (f->q && !*f->q)
		f->q = NULL;
	return 0;
}

/* The unit of the caller's first grant with the read right (the "unit" view), or 0. */
static long long my_unit(struct req *r)
{
	for (int i = 0; i < r->ngrants; i++)
		if (role_rights(r->grants[i].role) & RIGHT_READ)
			return r->grants[i].unit_id;
	return 0;
}

static void filter_form(struct page *p, struct req *r)
{
	const char *v;
	html_printf(&p->b,
	            "<form method=\"get\" action=\"/tasks\" class=\"filters\"><fieldset><legend>%h</legend>",
	            tr(r, "task.filter.legend"));
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-q\">%h</label>", tr(r, "task.filter.q"));
	html_printf(&p->b,
	            "<input type=\"search\" id=\"f-q\" name=\"q\" maxlength=\"50\" value=\"%a\"></div>",
	            req_query(r, "q"));
	html_printf(&p->b, "<div class=\"field\"><label for=\"f-state\">%h</label>", tr(r, "task.col.state"));
	list_select_vocab(p, "state", "state", task_state_names, req_query(r, "state"),
	             tr(r, "task.filter.all"));
	html_printf(&p->b, "</div><div class=\"field\"><label for=\"f-tier\">%h</label>",
	            tr(r, "task.col.tier"));
	list_select_vocab(p, "tier", "tier", tier_names, req_query(r, "tier"), tr(r, "task.filter.all"));
	html_printf(&p->b, "</div><div class=\"field\"><label for=\"f-due_before\">%h</label>",
	            tr(r, "task.filter.due_before"));
	html_printf(&p->b, "<input type=\"date\" id=\"f-due_before\" name=\"due_before\" value=\"%a\"></div>",
	            req_query(r, "due_before"));
	v = req_query(r, "overdue");
	html_printf(
	    &p->b, "<div class=\"field checkbox\"><input type=\"checkbox\" id=\"f-overdue\" name=\"overdue\" "
	           "value=\"1\"");
	if (v && (!strcmp(v, "1") || !strcmp(v, "true")))
		html_printf(&p->b, " checked");
	html_printf(&p->b, "><label for=\"f-overdue\">%h</label></div>", tr(r, "task.filter.overdue"));
	/* the view (mine, the unit) and the order stay as they were */
	static const char *const kept[] = {"handler_id", "unit_id", "sort", "limit", NULL};
	for (int i = 0; kept[i]; i++)
		if ((v = req_query(r, kept[i])) && *v)
			html_printf(&p->b, "<input type=\"hidden\" name=\"%a\" value=\"%a\">", kept[i], v);
	html_printf(&p->b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></fieldset></form>",
	            tr(r, "task.filter.apply"));
}

/* The views: all in scope, mine (responsible person = me), my unit's. */
static void view_links(struct page *p, struct req *r)
{
	long long me = (long long)r->user_id, unit = my_unit(r);
	const char *h = req_query(r, "handler_id"), *u = req_query(r, "unit_id");
	int mine = h && atoll(h) == me, in_unit = !mine && u && atoll(u) == unit;
	html_printf(&p->b, "<nav class=\"views\" aria-label=\"%a\"><ul>", tr(r, "task.views"));
	html_printf(&p->b, "<li><a href=\"/tasks\"");
	if (!h && !u)
		html_printf(&p->b, " aria-current=\"page\"");
	html_printf(&p->b, ">%h</a></li><li><a href=\"/tasks?handler_id=%lld\"", tr(r, "task.view.all"), me);
	if (mine)
		html_printf(&p->b, " aria-current=\"page\"");
	html_printf(&p->b, ">%h</a></li>", tr(r, "task.view.mine"));
	if (unit) {
		html_printf(&p->b, "<li><a href=\"/tasks?unit_id=%lld\"", unit);
		if (in_unit)
			html_printf(&p->b, " aria-current=\"page\"");
		html_printf(&p->b, ">%h</a></li>", tr(r, "task.view.unit"));
	}
	html_printf(&p->b, "</ul></nav>");
}

static void list_table(struct page *p, struct req *r, const json_t *items, const struct calendar *cal,
                       int32_t today, long long total)
{
	char n[24];
	html_printf(&p->b, "<table class=\"list tasks\"><caption>%h（%h）</caption><thead><tr>",
	            tr(r, "task.list.caption"), page_count_text(n, total, PAGE_COUNT_CAP));
	static const char *const cols[] = {"task.col.title",
	                                   "task.col.state",
	                                   "task.col.unit",
	                                   "task.col.handler",
	                                   "task.col.deadline",
	                                   "task.col.problems",
	                                   NULL};
	for (int i = 0; cols[i]; i++)
		html_printf(&p->b, "<th scope=\"col\">%h</th>", tr(r, cols[i]));
	html_printf(&p->b, "</tr></thead><tbody>");
	size_t i;
	const json_t *t;
	json_array_foreach(items, i, t)
	{
		struct due d = due_of(t, cal, today);
		html_printf(&p->b, "<tr");
		if (d.open && d.overdue)
			html_printf(&p->b, " class=\"overdue\"");
		if (d.soon)
			html_printf(&p->b, " class=\"due-soon\"");
		html_printf(&p->b, ">");
		html_printf(&p->b, "<td data-label=\"%a\"><a href=\"/tasks/%lld\">%h</a></td>",
		            tr(r, "task.col.title"), jint(t, "id"), jstr(t, "title"));
		html_printf(&p->b, "<td data-label=\"%a\">%h</td>", tr(r, "task.col.state"),
		            vocab(r, "state", jstr(t, "state")));
		html_printf(&p->b, "<td data-label=\"%a\">%h</td>", tr(r, "task.col.unit"),
		            jstr(t, "unit_name"));
		html_printf(&p->b, "<td data-label=\"%a\">%h</td>", tr(r, "task.col.handler"),
		            jstr(t, "handler_name"));
		html_printf(&p->b, "<td data-label=\"%a\">", tr(r, "task.col.deadline"));
		deadline_cell(p, r, t, &d);
		html_printf(&p->b, "</td><td data-label=\"%a\">%lld</td></tr>", tr(r, "task.col.problems"),
		            jint(t, "problem_count"));
	}
	html_printf(&p->b, "</tbody></table>");
}

/* The list page; err (not NULL) when the filter was refused: the form again with the summary. */
static void render_list(struct req *r, const struct qd_err *err)
{
	struct page p;
	page_begin(&p, r, tr(r, "task.list.title"));
	html_printf(&p.b, "<h1>%h</h1>", tr(r, "task.list.title"));
	page_error_summary(&p, err);
	view_links(&p, r);
	filter_form(&p, r);
	if (err) {
		page_end(&p, http_status(err->code));
		return;
	}
	struct list_filter f;
	char up[128];
	/* read: the filter was checked by the dispatcher, the unit by page_filter's caller */
	if (page_filter(r, &f, up)) {
		buf_free(&p.b);
		return;
	}
	f.count = 1;
	f.count_cap = PAGE_COUNT_CAP;
	struct store_rd *rd = req_rd(r);
	int more = 0;
	int64_t total = -1;
	json_t *items = rd ? read_tasks(r, rd, &f, &more, &total) : NULL;
	if (!items) {
		buf_free(&p.b);
		if (rd)
			req_db_error(r);
		return;
	}
	struct calendar *cal = store_calendar_load(rd);
	int32_t today = date_china_day(r->now);
	list_sort_links(&p, "/tasks", task_sort_names, "task.sort");
	if (json_array_size(items))
		list_table(&p, r, items, cal, today, (long long)total);
	else
		html_printf(&p.b, "<p class=\"empty\">%h</p>", tr(r, "task.list.empty"));
	list_pager(&p, "/tasks", f.offset, f.limit, json_array_size(items), more, (long long)total, f.count_cap);
	html_printf(&p.b, "<p class=\"export\"><a class=\"btn\" href=\"/tasks.csv");
	list_keep_query(&p.b, r, NULL, NULL, NULL);
	html_printf(&p.b, "\" download>%h</a></p>", tr(r, "task.export_csv"));
	calendar_free(cal);
	json_decref(items);
	page_end(&p, 200);
}

void page_tasks(struct req *r)
{
	render_list(r, NULL);
}

void page_tasks_invalid(struct req *r, const struct qd_err *err)
{
	render_list(r, err);
}

/* --- the list as CSV -------------------------------------------------------------------------- */

static const char *csv_state(const void *ctx, const json_t *row, const json_t *v)
{
	(void)row;
	return vocab((struct req *)ctx, "state", json_string_value(v));
}

static const char *csv_tier(const void *ctx, const json_t *row, const json_t *v)
{
	(void)row;
	return vocab((struct req *)ctx, "tier", json_string_value(v));
}

static const char *csv_urgency(const void *ctx, const json_t *row, const json_t *v)
{
	(void)row;
	return vocab((struct req *)ctx, "urgency", json_string_value(v));
}

void page_tasks_csv(struct req *r)
{
	struct list_filter f;
	char up[128];
	if (page_filter(r, &f, up))
		return;
	json_t *all = list_export_rows(r, &f, read_tasks, "任务", "tasks");
	if (!all)
		return;
	const struct export_col cols[] = {
	    {"id", tr(r, "task.col.id"), NULL},
	    {"title", tr(r, "task.col.title"), NULL},
	    {"state", tr(r, "task.col.state"), csv_state},
	    {"tier", tr(r, "task.col.tier"), csv_tier},
	    {"urgency", tr(r, "task.col.urgency"), csv_urgency},
	    {"origin_unit_name", tr(r, "task.col.origin"), NULL},
	    {"unit_name", tr(r, "task.col.unit"), NULL},
	    {"handler_name", tr(r, "task.col.handler"), NULL},
	    {"leader_name", tr(r, "task.col.leader"), NULL},
	    {"deadline", tr(r, "task.col.deadline"), NULL},
	    {"overdue", tr(r, "task.col.overdue"), NULL},
	    {"problem_count", tr(r, "task.col.problems"), NULL},
	};
	list_csv_answer(r, cols, (int)(sizeof cols / sizeof cols[0]), all);
	json_decref(all);
}

/* --- the task page ---------------------------------------------------------------------------- */

/* What the task page shows beside the task: a refused action (its name, the error), and the
 * action just taken (the flash). */
struct task_view {
	json_t *task;             /* presented (api_task_get's answer), owned */
	const char *failed;       /* the refused action's name, or NULL */
	const struct qd_err *err; /* why, or NULL */
};

static void dl_row(struct page *p, const char *label, const char *value)
{
	html_printf(&p->b, "<div><dt>%h</dt><dd>%h</dd></div>", label, value && *value ? value : "—");
}

static void fields(struct page *p, struct req *r, const json_t *t, const struct calendar *cal, int32_t today)
{
	struct due d = due_of(t, cal, today);
	html_printf(&p->b, "<dl class=\"fields\">");
	dl_row(p, tr(r, "task.col.state"), vocab(r, "state", jstr(t, "state")));
	dl_row(p, tr(r, "task.col.tier"), vocab(r, "tier", jstr(t, "tier")));
	dl_row(p, tr(r, "task.col.urgency"), vocab(r, "urgency", jstr(t, "urgency")));
	dl_row(p, tr(r, "task.col.origin"), jstr(t, "origin_unit_name"));
	dl_row(p, tr(r, "task.col.unit"), jstr(t, "unit_name"));
	dl_row(p, tr(r, "task.col.handler"), jstr(t, "handler_name"));
	dl_row(p, tr(r, "task.col.leader"), jstr(t, "leader_name"));
	dl_row(p, tr(r, "task.col.category"), jstr(t, "category_name"));
	html_printf(&p->b, "<div><dt>%h</dt><dd>", tr(r, "task.col.deadline"));
	deadline_cell(p, r, t, &d);
	if (d.open && d.days >= 0)
		html_printf(&p->b, "<br>%h%lld",
		            tr(r, d.overdue ? "task.workdays_over" : "task.workdays_left"),
		            (long long)d.days);
	html_printf(&p->b, "</dd></div>");
	dl_row(p, tr(r, "task.col.assigned_on"), jstr(t, "assigned_on"));
	dl_row(p, tr(r, "task.col.respond_by"), jstr(t, "respond_by"));
	dl_row(p, tr(r, "task.col.completed_on"), jstr(t, "completed_on"));
	html_printf(&p->b, "<div><dt>%h</dt><dd>%lld / %lld</dd></div>", tr(r, "task.col.extensions"),
	            jint(t, "extensions_used"), jint(t, "max_extensions"));
	if (json_is_integer(json_object_get(t, "progress")) && jint(t, "progress") > 0)
		html_printf(&p->b, "<div><dt>%h</dt><dd>%lld%%</dd></div>", tr(r, "task.field.progress"),
		            jint(t, "progress"));
	if (jstr(t, "outcome"))
		dl_row(p, tr(r, "task.field.outcome"), vocab(r, "outcome", jstr(t, "outcome")));
	json_t *solved = json_object_get(t, "solved");
	if (json_is_boolean(solved))
		dl_row(p, tr(r, "task.field.solved"), tr(r, json_is_true(solved) ? "task.yes" : "task.no"));
	if (jstr(t, "satisfaction"))
		dl_row(p, tr(r, "task.field.satisfaction"),
		       vocab(r, "satisfaction", jstr(t, "satisfaction")));
	if (jstr(t, "verdict_channel"))
		dl_row(p, tr(r, "task.field.channel"), vocab(r, "channel", jstr(t, "verdict_channel")));
	dl_row(p, tr(r, "task.col.measures"), jstr(t, "measures"));
	html_printf(&p->b, "</dl>");
}

static void problems(struct page *p, struct req *r, const json_t *t)
{
	const json_t *ps = json_object_get(t, "problems");
	html_printf(&p->b,
	            "<section aria-labelledby=\"h-problems\"><h2 id=\"h-problems\">%h（%zu）</h2><ul "
	            "class=\"problems\">",
	            tr(r, "task.problems"), json_array_size(ps));
	size_t i;
	const json_t *pr;
	json_array_foreach(ps, i, pr)
	{
		html_printf(&p->b, "<li><a href=\"/problems/%lld\">#%lld</a> %h", jint(pr, "id"),
		            jint(pr, "id"), jstr(pr, "description"));
		if (jstr(pr, "unit_name"))
			html_printf(&p->b, " <span class=\"meta\">%h</span>", jstr(pr, "unit_name"));
		html_printf(&p->b, "</li>");
	}
	html_printf(&p->b, "</ul>");
	const json_t *dups = json_object_get(t, "duplicates");
	if (json_array_size(dups)) {
		html_printf(&p->b, "<h3 id=\"h-duplicates\">%h（%zu）</h3><ul class=\"problems duplicates\">",
		            tr(r, "task.duplicates"), json_array_size(dups));
		json_array_foreach(dups, i, pr)
		{
			html_printf(&p->b, "<li><a href=\"/problems/%lld\">#%lld</a> %h <span class=\"meta\">%h #%lld</span></li>",
			            jint(pr, "id"), jint(pr, "id"), jstr(pr, "description"), tr(r, "task.duplicate_of"),
			            jint(pr, "merged_into"));
		}
		html_printf(&p->b, "</ul>");
	}
	html_printf(&p->b, "</section>");
}

/* One resident to ask for the verdict: the problem, its reporter as the presenter masks them
 * (张*, or anonymous), its village; a duplicate says which problem it duplicates. */
static void contact(struct page *p, struct req *r, const json_t *pr, int duplicate)
{
	const char *who = jstr(pr, "reporter_name");
	html_printf(&p->b, "<li><a href=\"/problems/%lld\">#%lld</a> <strong class=\"reporter\">%h</strong>",
	            jint(pr, "id"), jint(pr, "id"),
	            who ? who : tr(r, json_is_true(json_object_get(pr, "anonymous")) ? "task.anonymous" : "task.no_reporter"));
	if (jstr(pr, "unit_name"))
		html_printf(&p->b, " <span class=\"meta\">%h</span>", jstr(pr, "unit_name"));
	if (duplicate)
		html_printf(&p->b, " <span class=\"meta\">%h #%lld</span>", tr(r, "task.duplicate_of"),
		            jint(pr, "merged_into"));
	html_printf(&p->b, "</li>");
}

/* The follow-up's residents: those of the task's problems and of the problems merged into them
 * (a duplicate is never silently closed: its resident gets the follow-up too).  The verdict
 * stays the task's, one per round (core/task.c): the list says whom to ask. */
static void contacts(struct page *p, struct req *r, const json_t *task)
{
	const json_t *ps = json_object_get(task, "problems"), *dups = json_object_get(task, "duplicates");
	html_printf(&p->b, "<div class=\"contacts\" id=\"contacts\"><p><strong>%h</strong></p><ul>",
	            tr(r, "task.contacts"));
	size_t i;
	const json_t *pr;
	json_array_foreach(ps, i, pr) contact(p, r, pr, 0);
	json_array_foreach(dups, i, pr) contact(p, r, pr, 1);
	html_printf(&p->b, "</ul><p class=\"hint\">%h</p></div>", tr(r, "task.contacts_hint"));
}

/* A body value of an event as the reader reads it. */
static void event_value(struct page *p, struct req *r, const struct param *q, const json_t *v)
{
	if (q->type == P_ENUM)
		html_printf(&p->b, "%h", vocab(r, q->name, json_string_value(v)));
	else if (json_is_boolean(v))
		html_printf(&p->b, "%h", tr(r, json_is_true(v) ? "task.yes" : "task.no"));
	else if (json_is_integer(v))
		html_printf(&p->b, "%lld", (long long)json_integer_value(v));
	else
		html_printf(&p->b, "%h", json_string_value(v));
}

static void timeline(struct page *p, struct req *r, const json_t *events)
{
	html_printf(
	    &p->b,
	    "<section aria-labelledby=\"h-timeline\"><h2 id=\"h-timeline\">%h</h2><ol class=\"timeline\">",
	    tr(r, "task.timeline"));
	size_t i;
	const json_t *e;
	json_array_foreach(events, i, e)
	{
		const char *at = jstr(e, "at"), *action = jstr(e, "action");
		char when[20] = "";
		if (at && strlen(at) >= 16)
			snprintf(when, sizeof when, "%.10s %.5s", at, at + 11);
		html_printf(
		    &p->b, "<li><p class=\"event-head\"><time datetime=\"%a\">%h</time> <strong>%h</strong> ",
		    at, when, jstr(e, "actor_name") ? jstr(e, "actor_name") : tr(r, "task.system"));
		if (action)
			html_printf(&p->b, "%h", vocab(r, "action", action));
		else
			html_printf(&p->b, "%h", tr(r, "task.event.created"));
		if (jstr(e, "from") && jstr(e, "to") && strcmp(jstr(e, "from"), jstr(e, "to")) != 0)
			html_printf(&p->b, " <span class=\"meta\">%h → %h</span>",
			            vocab(r, "state", jstr(e, "from")), vocab(r, "state", jstr(e, "to")));
		html_printf(&p->b, "</p>");
		int a = action ? machine_action_parse(&task_machine, action) : -1;
		int any = 0;
		for (const struct param *q = a >= 0 ? machine_action_body(&task_machine, a) : NULL;
		     q && q->name; q++) {
			const json_t *v = json_object_get(e, q->name);
			if (!v || json_is_null(v) || q->type == P_ID)
				continue; /* ids: the task's fields name the unit and the people */
			if (!any++)
				html_printf(&p->b, "<dl class=\"event-body\">");
			html_printf(&p->b, "<div><dt>%h</dt><dd>", field_label(r, q->name));
			event_value(p, r, q, v);
			html_printf(&p->b, "</dd></div>");
		}
		if (any)
			html_printf(&p->b, "</dl>");
		html_printf(&p->b, "</li>");
	}
	html_printf(&p->b, "</ol></section>");
}

/* --- the action forms ------------------------------------------------------------------------- */

/* The choices of an id field of an action's body: the handling unit among the units the caller
 * may hand to, the responsible person among the users who may handle somewhere, the leader among
 * the leaders.  Units and users reach the page through their presenters. */
struct choices {
	json_t *units;              /* presented units (id, name) */
	json_t *handlers, *leaders; /* presented users (id, display_name, unit_name) */
};

static int has_role_right(const json_t *u, unsigned right, int role)
{
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(u, "grants"), i, g)
	{
		int ro = role_parse(jstr(g, "role"));
		if (ro >= 0 && (role < 0 ? (role_rights((enum role)ro) & right) != 0 : ro == role))
			return 1;
	}
	return 0;
}

static void choices_load(struct req *r, struct choices *c)
{
	memset(c, 0, sizeof *c);
	struct store_rd *rd = store_reader(server_store(r->srv));
	if (!rd)
		return;
	struct viewer v = req_viewer(r);
	c->units = json_array();
	c->handlers = json_array();
	c->leaders = json_array();
	json_t *units = store_unit_list(rd);
	int configured;
	json_t *handoff = store_handoff_units(rd, &configured);
	size_t i, j;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		int ok = (req_rights_on(r, jstr(u, "path")) & RIGHT_TRIAGE) != 0;
		json_t *h;
		json_array_foreach(handoff, j, h) if (jint(h, "id") == jint(u, "id")) ok = 1;
		json_t *pu = ok ? present_json(&present_unit, &v, u) : NULL;
		if (pu)
			json_array_append_new(c->units, pu);
	}
	json_decref(units);
	json_decref(handoff);
	json_t *users = store_user_list(rd);
	json_array_foreach(users, i, u)
	{
		if (jint(u, "active") != 1)
			continue;
		int handles = has_role_right(u, RIGHT_HANDLE, -1), leads = has_role_right(u, 0, ROLE_LEADER);
		if (!handles && !leads)
			continue;
		json_t *pu = present_json(&present_user, &v, u);
		if (!pu)
			continue;
		if (handles)
			json_array_append(c->handlers, pu);
		if (leads)
			json_array_append(c->leaders, pu);
		json_decref(pu);
	}
	json_decref(users);
}

static void choices_free(struct choices *c)
{
	json_decref(c->units);
	json_decref(c->handlers);
	json_decref(c->leaders);
}

/* One form's field ids: "f-<name>" in the refused form (the error summary links there),
 * "f-<action>-<name>" in the others (several forms take a note). */
static void field_id(char *out, size_t n, const char *action, const char *name, int refused)
{
	if (refused)
		snprintf(out, n, "f-%s", name);
	else
		snprintf(out, n, "f-%s-%s", action, name);
}

static void id_select(struct page *p, struct req *r, const char *id, const char *name, const json_t *list,
                      const char *label_key, const char *sub_key, const char *cur, int required,
                      const char *desc)
{
	html_printf(&p->b, "<select id=\"%a\" name=\"%a\"", id, name);
	if (required)
		html_printf(&p->b, " required");
	describedby(&p->b, desc);
	html_printf(&p->b, "><option value=\"\">%h</option>", tr(r, "task.choose"));
	size_t i;
	const json_t *o;
	json_array_foreach(list, i, o)
	{
		char v[24];
		snprintf(v, sizeof v, "%lld", jint(o, "id"));
		html_printf(&p->b, "<option value=\"%a\"", v);
		if (cur && !strcmp(cur, v))
			html_printf(&p->b, " selected");
		html_printf(&p->b, ">%h", jstr(o, label_key));
		if (sub_key && jstr(o, sub_key))
			html_printf(&p->b, "（%h）", jstr(o, sub_key));
		html_printf(&p->b, "</option>");
	}
	html_printf(&p->b, "</select>");
}

/* One field of an action's form, from its spec. */
static void form_field(struct page *p, struct req *r, const char *action, const struct param *q, int refused,
                       const struct qd_err *err, struct choices *ch)
{
	char id[96], eid[112];
	field_id(id, sizeof id, action, q->name, refused);
	snprintf(eid, sizeof eid, "%s-error", id);
	const char *cur = refused ? json_string_value(json_object_get(r->form, q->name)) : NULL;
	int bad = refused && err && !strcmp(err->field, q->name);
	const char *desc = bad ? eid : NULL;
	const char *label = field_label(r, q->name);
	int group = q->type == P_ENUM || q->type == P_BOOL;
	if (group)
		html_printf(&p->b, "<fieldset class=\"field%a\" id=\"%a\"><legend>%h%h</legend>",
		            bad ? " field-invalid" : "", id, label,
		            q->required ? "" : tr(r, "task.optional"));
	else
		html_printf(&p->b, "<div class=\"field%a\"><label for=\"%a\">%h%h</label>",
		            bad ? " field-invalid" : "", id, label,
		            q->required ? "" : tr(r, "task.optional"));
	if (bad)
		html_printf(&p->b, "<p class=\"field-error\" id=\"%a\">%h</p>", eid,
		            r->lang ? err->en : err->zh);
	switch (q->type) {
	case P_TEXT:
		html_printf(&p->b, "<textarea id=\"%a\" name=\"%a\" rows=\"3\" maxlength=\"%lld\"", id,
		            q->name, (long long)q->max);
		if (q->required)
			html_printf(&p->b, " required");
		describedby(&p->b, desc);
		html_printf(&p->b, ">%h</textarea>", cur);
		break;
	case P_STR:
		html_printf(&p->b,
		            "<input type=\"text\" id=\"%a\" name=\"%a\" maxlength=\"%lld\" value=\"%a\"", id,
		            q->name, (long long)q->max, cur);
		if (q->required)
			html_printf(&p->b, " required");
		describedby(&p->b, desc);
		html_printf(&p->b, ">");
		break;
	case P_INT:
		html_printf(&p->b,
		            "<input type=\"number\" inputmode=\"numeric\" id=\"%a\" name=\"%a\" min=\"%lld\" "
		            "max=\"%lld\" "
		            "value=\"%a\"",
		            id, q->name, (long long)q->min, (long long)q->max, cur);
		if (q->required)
			html_printf(&p->b, " required");
		describedby(&p->b, desc);
		html_printf(&p->b, ">");
		break;
	case P_DATE:
		html_printf(&p->b, "<input type=\"date\" id=\"%a\" name=\"%a\" value=\"%a\"", id, q->name,
		            cur);
		if (q->required)
			html_printf(&p->b, " required");
		describedby(&p->b, desc);
		html_printf(&p->b, ">");
		break;
	case P_ID:
		if (!strcmp(q->name, "unit_id"))
			id_select(p, r, id, q->name, ch->units, "name", NULL, cur, q->required, desc);
		else if (!strcmp(q->name, "leader_id"))
			id_select(p, r, id, q->name, ch->leaders, "display_name", "unit_name", cur,
			          q->required, desc);
		else
			id_select(p, r, id, q->name, ch->handlers, "display_name", "unit_name", cur,
			          q->required, desc);
		break;
	case P_ENUM:
	case P_BOOL: {
		static const char *const bools[] = {"true", "false", NULL};
		const char *const *names = q->type == P_BOOL ? bools : q->enums;
		for (int i = 0; names[i]; i++) {
			if (!*names[i])
				continue;
			const char *text = q->type == P_BOOL ? tr(r, i == 0 ? "task.yes" : "task.no")
			                                     : vocab(r, q->name, names[i]);
			html_printf(&p->b,
			            "<div class=\"choice\"><input type=\"radio\" id=\"%a-%a\" name=\"%a\" "
			            "value=\"%a\"",
			            id, names[i], q->name, names[i]);
			if (cur && !strcmp(cur, names[i]))
				html_printf(&p->b, " checked");
			describedby(&p->b, desc);
			html_printf(&p->b, "><label for=\"%a-%a\">%h</label></div>", id, names[i], text);
		}
		break;
	}
	default: break; /* no action takes a list or an object */
	}
	if (group)
		html_printf(&p->b, "</fieldset>");
	else
		html_printf(&p->b, "</div>");
}

static void action_form(struct page *p, struct req *r, const json_t *task, int a, int refused,
                        const struct qd_err *err, struct choices *ch)
{
	const char *name = machine_action_name(&task_machine, a);
	html_printf(&p->b, "<form method=\"post\" action=\"/tasks/%lld/%u\" class=\"action action-%a\">",
	            jint(task, "id"), name, name);
	html_printf(&p->b, "<h3>%h</h3>", vocab(r, "action", name));
	if (!strcmp(name, task_action_name(TA_FOLLOW_UP)))
		contacts(p, r, task);
	page_csrf(p);
	for (const struct param *q = machine_action_body(&task_machine, a); q && q->name; q++)
		form_field(p, r, name, q, refused, err, ch);
	html_printf(&p->b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></form>",
	            vocab(r, "action", name));
}

static void actions(struct page *p, struct req *r, const struct task_view *tv)
{
	const json_t *list = json_object_get(tv->task, "actions");
	int refused_a = tv->failed ? machine_action_parse(&task_machine, tv->failed) : -1;
	int need_choices = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v)
	{
		int a = machine_action_parse(&task_machine, json_string_value(v));
		for (const struct param *q = a >= 0 ? machine_action_body(&task_machine, a) : NULL;
		     q && q->name; q++)
			need_choices |= q->type == P_ID;
	}
	html_printf(&p->b,
	            "<section aria-labelledby=\"h-actions\" class=\"actions\"><h2 id=\"h-actions\">%h</h2>",
	            tr(r, "task.actions"));
	if (!json_array_size(list))
		html_printf(&p->b, "<p>%h</p>", tr(r, "task.no_actions"));
	struct choices ch;
	memset(&ch, 0, sizeof ch);
	if (need_choices)
		choices_load(r, &ch);
	/* the refused action's form first, where the error summary points */
	if (refused_a >= 0)
		action_form(p, r, tv->task, refused_a, 1, tv->err, &ch);
	json_array_foreach(list, i, v)
	{
		int a = machine_action_parse(&task_machine, json_string_value(v));
		if (a >= 0 && a != refused_a)
			action_form(p, r, tv->task, a, 0, NULL, &ch);
	}
	choices_free(&ch);
	html_printf(&p->b, "</section>");
}

/* The task's events through the event presenter, seen with the task's audience (as GET
 * /api/v1/tasks/{id}/history gives them): a new array, or NULL on a read error. */
static json_t *history(struct req *r, struct store_rd *rd, int64_t id)
{
	json_t *row = store_task_get(rd, id);
	if (!row)
		return NULL;
	struct viewer v = req_viewer(r);
	struct row tr_;
	struct row_jsonimpl ti;
	row_from_json(&tr_, &ti, row);
	unsigned aud = present_audience(present_task, &v, &tr_, 0);
	json_decref(row);
	json_t *h = store_task_history(rd, id);
	if (!h)
		return NULL;
	struct buf out;
	buf_init(&out);
	present_write_list(present_event, &v, h, aud, &out);
	json_decref(h);
	json_t *a = json_loadb(out.p, out.len, 0, NULL);
	buf_free(&out);
	return a;
}

static void render_task(struct req *r, const struct task_view *tv, unsigned status)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *events = history(r, rd, jint(tv->task, "id"));
	if (!events) {
		req_db_error(r);
		return;
	}
	struct calendar *cal = store_calendar_load(rd);
	struct page p;
	page_begin(&p, r, jstr(tv->task, "title"));
	html_printf(&p.b, "<p class=\"breadcrumb\"><a href=\"/tasks\">%h</a></p>", tr(r, "task.list.title"));
	page_error_summary(&p, tv->err);
	const char *done = req_query(r, "done");
	if (!tv->err && done && *done && machine_action_parse(&task_machine, done) >= 0)
		html_printf(&p.b, "<div class=\"notice notice-success\" role=\"status\"><p>%h%h</p></div>",
		            tr(r, "task.done"), vocab(r, "action", done));
	html_printf(&p.b, "<h1><span class=\"meta\">#%lld</span> %h</h1>", jint(tv->task, "id"),
	            jstr(tv->task, "title"));
	fields(&p, r, tv->task, cal, date_china_day(r->now));
	actions(&p, r, tv);
	problems(&p, r, tv->task);
	timeline(&p, r, events);
	calendar_free(cal);
	json_decref(events);
	page_end(&p, status);
}

/* A task the caller may not see is refused as the API refuses it: "no such task" (404) whether
 * or not it exists outside their scope — a page must not tell what the API keeps back. */
static void task_refused(struct req *r, const struct qd_err *err)
{
	page_fail(r, err);
}

/* api_task_get's answer made the task page: with the refusal of the action being shown again
 * (r->fctx: a struct task_view with failed and err set), or plain. */
static void task_got(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	struct task_view *pending = r->fctx;
	struct task_view tv = {out, NULL, NULL};
	(void)status;
	if (err) {
		task_refused(r, err);
		return;
	}
	if (pending) {
		tv.failed = pending->failed;
		tv.err = pending->err;
	}
	render_task(r, &tv, tv.err ? http_status(tv.err->code) : 200);
	json_decref(out);
}

/* The task page, as api_task_get answers it. */
static void show_task(struct req *r)
{
	r->answer_hook = task_got;
	api_task_get(r);
	r->answer_hook = NULL;
}

void page_task(struct req *r)
{
	show_task(r);
}

void page_task_invalid(struct req *r, const struct qd_err *err)
{
	page_fail(r, err);
}

/* --- an action from its form ------------------------------------------------------------------ */

struct refusal {
	struct task_view tv;
	struct qd_err err;
	char action[40];
};

/* The task page again with the error summary and the submitted values (r->form). */
static void show_refused(struct req *r, const struct qd_err *err)
{
	if (err->code == QD_ENOTFOUND || err->code == QD_EAUTH || err->code == QD_EINTERNAL ||
	    err->code == QD_EBUSY) {
		if (err->code == QD_ENOTFOUND)
			task_refused(r, err);
		else
			page_fail(r, err);
		return;
	}
	struct refusal *f = xcalloc(1, sizeof *f);
	f->err = *err;
	snprintf(f->action, sizeof f->action, "%s", r->path_word);
	f->tv.failed = machine_action_parse(&task_machine, f->action) >= 0 ? f->action : NULL;
	f->tv.err = &f->err;
	free(r->fctx);
	r->fctx = f; /* freed with the request */
	show_task(r);
}

static void act_answered(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	json_decref(out);
	if (err) {
		show_refused(r, err);
		return;
	}
	char loc[128];
	snprintf(loc, sizeof loc, "/tasks/%lld?done=%s", (long long)r->path_id, r->path_word);
	req_redirect(r, loc);
}

void page_task_act(struct req *r)
{
	r->answer_hook = act_answered;
	api_task_action(r); /* the hook stays set while the write waits for its commit */
}

void page_task_act_invalid(struct req *r, const struct qd_err *err)
{
	show_refused(r, err);
}
