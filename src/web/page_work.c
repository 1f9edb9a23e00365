/* page_work.c — GET /work: the workbench of the logged-in user, landing on what their roles must
 * do today.  Each section is one list query of the API (the same store list functions and the
 * same filter a GET /api/v1/… with the section's query string fills: its data-api attribute
 * names that request) shown as its count and first rows, written through the presenters, and
 * linking to the full list where a page for it exists.  Which sections a user sees is decided by
 * the rights and roles of their grants (core/role.h): several roles, several sections.
 *
 * After a visit is recorded (web/page_visit.c) the workbench opens with a banner naming the
 * visit's problems and their tracking codes (/work?visit=ID&p=ID,ID…: ids only, nothing
 * personal in the URL). */
#include "web/page_work.h"
#include "base/date.h"
#include "base/mem.h"
#include "core/calendar.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/scope.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/task.h"
#include "store/visit.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WB_ROWS 5 /* the first rows a section shows; the count is of all */

enum wb_list { WL_TASKS, WL_PROBLEMS, WL_VISITS };

/* One section: which list, which filter, who sees it, where the full list is. */
/* (fields in the order a row of sections[] reads, not packed: 12 bytes × 20 rows) */
struct wb_section { // NOLINT(clang-analyzer-optin.performance.Padding)
	const char *id; /* the section's id ("sec-<id>") and its catalog key "work.sec.<id>" */
	enum wb_list list;
	unsigned roles;  /* shown to a holder of a grant of one of these roles (1u << enum role) … */
	unsigned rights; /* … or of one of these rights (somewhere); at least one of the two set */
	const char *state;
	int overdue;      /* only overdue open tasks */
	int due_soon;     /* deadline within WB_SOON working days */
	int handler_me;   /* handler_id = the user */
	int leader_me;    /* leader_id = the user */
	int my_unit;      /* unit_id = the unit of the user's grant of one of roles */
	const char *page; /* the full list's page ("/tasks", "/problems", "/triage"), or NULL when there is none yet */
	int page_filters; /* the page takes the API's filters (/tasks, /problems); else its own (/triage) */
};

#define WB_SOON 3 /* "due soon": within this many working days */
#define ROLE_BIT(x) (1u << (x))

static const struct wb_section sections[] = {
    /* grid worker / village cadre: what they recorded lately (the visit button above them) */
    {"visits", WL_VISITS, 0, RIGHT_VISIT, NULL, 0, 0, 0, 0, 0, NULL, 0},
    {"problems", WL_PROBLEMS, 0, RIGHT_VISIT, NULL, 0, 0, 0, 0, 0, "/problems", 1},
    /* dispatcher: the triage queue and what came back from the units */
    {"triage", WL_PROBLEMS, 0, RIGHT_TRIAGE, "new", 0, 0, 0, 0, 0, "/triage", 0},
    {"pending", WL_TASKS, 0, RIGHT_TRIAGE, "pending", 0, 0, 0, 0, 0, "/tasks", 1},
    /* handler: their inbox */
    {"accept", WL_TASKS, ROLE_BIT(ROLE_HANDLER), 0, "assigned", 0, 0, 1, 0, 0, "/tasks", 1},
    {"doing", WL_TASKS, ROLE_BIT(ROLE_HANDLER), 0, "in_progress", 0, 0, 1, 0, 0, "/tasks", 1},
    {"due", WL_TASKS, ROLE_BIT(ROLE_HANDLER), 0, "in_progress", 0, 1, 1, 0, 0, "/tasks", 1},
    {"overdue", WL_TASKS, ROLE_BIT(ROLE_HANDLER), 0, NULL, 1, 0, 1, 0, 0, "/tasks", 1},
    /* unit head: the unit's tasks */
    {"unit_accept", WL_TASKS, ROLE_BIT(ROLE_UNIT_HEAD), 0, "assigned", 0, 0, 0, 0, 1, "/tasks", 1},
    {"unit_due", WL_TASKS, ROLE_BIT(ROLE_UNIT_HEAD), 0, "in_progress", 0, 1, 0, 0, 1, "/tasks", 1},
    {"unit_overdue", WL_TASKS, ROLE_BIT(ROLE_UNIT_HEAD), 0, NULL, 1, 0, 0, 0, 1, "/tasks", 1},
    /* leader in charge: my tasks */
    {"lead", WL_TASKS, ROLE_BIT(ROLE_LEADER), 0, "in_progress", 0, 0, 0, 1, 0, "/tasks", 1},
    {"lead_due", WL_TASKS, ROLE_BIT(ROLE_LEADER), 0, "in_progress", 0, 1, 0, 1, 0, "/tasks", 1},
    {"lead_overdue", WL_TASKS, ROLE_BIT(ROLE_LEADER), 0, NULL, 1, 0, 0, 1, 0, "/tasks", 1},
    /* follow-up: completed, awaiting the resident's verdict (and the sign-off) */
    {"follow_up", WL_TASKS, 0, RIGHT_FOLLOW_UP, "completed", 0, 0, 0, 0, 0, "/tasks", 1},
    /* supervisor, analyst: the area's overdue work */
    {"area_overdue", WL_TASKS, ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_ANALYST), 0, NULL, 1, 0, 0, 0, 0,
     "/tasks", 1},
    /* resident: what they submitted */
    {"mine", WL_PROBLEMS, ROLE_BIT(ROLE_RESIDENT), 0, NULL, 0, 0, 0, 0, 0, "/problems", 1},
};

/* The administrators' parts: their pages come later, so no link yet (better none than a 404). */
static const struct {
	const char *id;
	unsigned right;
} admin_parts[] = {{"admin", RIGHT_ADMIN}, {"security", RIGHT_GRANT}, {"audit", RIGHT_AUDIT}};

static unsigned roles_of(const struct req *r)
{
	unsigned m = 0;
	for (int i = 0; i < r->ngrants; i++)
		if ((unsigned)r->grants[i].role < 32)
			m |= ROLE_BIT(r->grants[i].role);
	return m;
}

/* The first grant of one of roles (for "my unit"), or NULL. */
static const struct grant *grant_of(const struct req *r, unsigned roles)
{
	for (int i = 0; i < r->ngrants; i++)
		if ((unsigned)r->grants[i].role < 32 && (roles & ROLE_BIT(r->grants[i].role)))
			return &r->grants[i];
	return NULL;
}

static int shown(const struct req *r, const struct wb_section *s)
{
	if (s->roles && (roles_of(r) & s->roles))
		return 1;
	if (!s->rights || !(r->rights & s->rights))
		return 0;
	/* the follow-up of a resident is their own verdict on their task, not a workbench's */
	struct scope sc = {r->user_id, r->grants, r->ngrants};
	return !scope_own_only(&sc);
}

/* The filter a GET of the section's API list fills (web/api_list.c api_list_filter), and that
 * query string in q. */
static void section_filter(struct req *r, const struct wb_section *s, const char *soon, struct list_filter *f,
                           struct buf *q)
{
	memset(f, 0, sizeof *f);
	f->grants = r->grants;
	f->ngrants = r->ngrants;
	f->right = RIGHT_READ;
	struct scope sc = req_scope(r);
	if (scope_own_only(&sc))
		f->own_user = r->user_id;
	f->limit = WB_ROWS;
	f->count = 1;
	date_format(date_china_day(r->now), f->today);
	html_printf(q, "count=1&limit=%d", WB_ROWS);
	if (s->state) {
		f->state = s->state;
		html_printf(q, "&state=%u", s->state);
	}
	if (s->overdue) {
		f->overdue = 1;
		html_printf(q, "&overdue=1");
	}
	if (s->due_soon) {
		f->due_before = soon;
		html_printf(q, "&due_before=%u", soon);
	}
	if (s->handler_me) {
		f->handler_id = r->user_id;
		html_printf(q, "&handler_id=%lld", (long long)r->user_id);
	}
	if (s->leader_me) {
		f->leader_id = r->user_id;
		html_printf(q, "&leader_id=%lld", (long long)r->user_id);
	}
	const struct grant *g = s->my_unit ? grant_of(r, s->roles) : NULL;
	if (g) {
		f->unit_path = g->path;
		html_printf(q, "&unit_id=%lld", (long long)g->unit_id);
	}
}

/* A page of tasks as the task list's presenter writes them for v (as GET /api/v1/tasks does), parsed
 * back into a new array; NULL on a database error. */
static int write_task(void *ctx, const struct row *row, struct buf *out)
{
	return present_write(present_task_list, ctx, row, 0, out);
}

static json_t *task_rows(struct store_rd *rd, struct viewer *v, const struct list_filter *f, int *more,
                         int64_t *total)
{
	struct buf out;
	buf_init(&out);
	struct row_writer w = {v, write_task};
	json_t *rows = NULL;
	if (!store_task_list(rd, f, &w, &out, more, total) && *total >= 0)
		rows = json_loadb(out.p, out.len, 0, NULL);
	buf_free(&out);
	return json_is_array(rows) ? rows : (json_decref(rows), NULL);
}

/* The section's rows as the presenter writes them for the reader (a new array), and *total;
 * NULL on a database error. */
static json_t *section_rows(struct req *r, struct store_rd *rd, const struct wb_section *s,
                            struct list_filter *f, int64_t *total)
{
	struct viewer v = req_viewer(r);
	int more = 0;
	*total = -1;
	if (s->list == WL_TASKS)
		return task_rows(rd, &v, f, &more, total);
	json_t *rows = s->list == WL_VISITS ? store_visit_list(rd, f, &more, total)
	                                    : store_problem_list(rd, f, &more, total);
	if (!rows || *total < 0) {
		json_decref(rows);
		return NULL;
	}
	json_t *out = present_json_list(s->list == WL_VISITS ? &present_visit : &present_problem, &v, rows);
	json_decref(rows);
	return out;
}

static const char *api_path(enum wb_list l)
{
	return l == WL_TASKS ? "/api/v1/tasks" : l == WL_VISITS ? "/api/v1/visits" : "/api/v1/problems";
}

static void task_table(struct page *p, const char *caption, json_t *rows)
{
	struct req *r = p->r;
	html_printf(
	    &p->b,
	    "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
	    caption, tr(r, "work.col.title"), tr(r, "work.col.state"), tr(r, "work.col.unit"),
	    tr(r, "work.col.deadline"));
	size_t i;
	json_t *t;
	json_array_foreach(rows, i, t)
	{
		const char *unit = json_string_value(json_object_get(t, "unit_name"));
		const char *dl = json_string_value(json_object_get(t, "deadline"));
		int late = json_is_true(json_object_get(t, "overdue"));
		html_printf(
		    &p->b,
		    "<tr><td><a href=\"/tasks/%lld\">%h</a></td><td>%h</td><td>%h</td><td>%h%h</td></tr>",
		    (long long)json_integer_value(json_object_get(t, "id")),
		    json_string_value(json_object_get(t, "title")),
		    tr_code(r, "state", json_string_value(json_object_get(t, "state"))),
		    unit ? unit : tr(r, "work.unassigned"), dl ? dl : "—",
		    late ? tr(r, "work.overdue_mark") : "");
	}
	html_printf(&p->b, "</tbody></table>");
}

static void problem_table(struct page *p, const char *caption, json_t *rows)
{
	struct req *r = p->r;
	html_printf(
	    &p->b,
	    "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
	    caption, tr(r, "work.col.code"), tr(r, "work.col.description"), tr(r, "work.col.unit"),
	    tr(r, "work.col.state"));
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		const char *code = json_string_value(json_object_get(x, "code"));
		html_printf(
		    &p->b,
		    "<tr><td><a href=\"/problems/%lld\">%h</a></td><td>%h</td><td>%h</td><td>%h</td></tr>",
		    (long long)json_integer_value(json_object_get(x, "id")),
		    code ? code : tr(r, "work.problem"), json_string_value(json_object_get(x, "description")),
		    json_string_value(json_object_get(x, "unit_name")),
		    tr_code(r, "state", json_string_value(json_object_get(x, "state"))));
	}
	html_printf(&p->b, "</tbody></table>");
}

static void visit_table(struct page *p, const char *caption, json_t *rows)
{
	struct req *r = p->r;
	html_printf(
	    &p->b,
	    "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
	    caption, tr(r, "work.col.date"), tr(r, "work.col.unit"), tr(r, "work.col.household"),
	    tr(r, "work.col.cadre"));
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	    html_printf(&p->b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>",
	                json_string_value(json_object_get(x, "visited_on")),
	                json_string_value(json_object_get(x, "unit_name")),
	                json_string_value(json_object_get(x, "household")),
	                json_string_value(json_object_get(x, "cadre_name")));
	html_printf(&p->b, "</tbody></table>");
}

/* One section: heading with the count, the first rows, the link to all of them.  0, or -1 on a
 * database error (nothing written). */
static int section(struct page *p, struct store_rd *rd, const struct wb_section *s, const char *soon)
{
	struct req *r = p->r;
	struct list_filter f;
	struct buf q;
	buf_init(&q);
	section_filter(r, s, soon, &f, &q);
	int64_t total;
	json_t *rows = section_rows(r, rd, s, &f, &total);
	if (!rows) {
		buf_free(&q);
		return -1;
	}
	char key[64];
	snprintf(key, sizeof key, "work.sec.%s", s->id);
	const char *title = tr(r, key);
	html_printf(
	    &p->b,
	    "<section class=\"work-section\" id=\"sec-%a\" aria-labelledby=\"h-%a\" data-api=\"%a?%a\">",
	    s->id, s->id, api_path(s->list), q.p);
	html_printf(&p->b, "<h2 id=\"h-%a\">%h <span class=\"count\" data-count=\"%lld\">%lld</span></h2>",
	            s->id, title, (long long)total, (long long)total);
	if (s->due_soon)
		html_printf(&p->b, "<p class=\"hint\">%h %h</p>", tr(r, "work.due_by"), soon);
	if (!json_array_size(rows))
		html_printf(&p->b, "<p class=\"empty\">%h</p>", tr(r, "work.empty"));
	else if (s->list == WL_TASKS)
		task_table(p, title, rows);
	else if (s->list == WL_PROBLEMS)
		problem_table(p, title, rows);
	else
		visit_table(p, title, rows);
	if (s->page && total > 0) {
		/* the full list's page takes the API's filters (without the page size and the count) */
		const char *filters = s->page_filters ? strchr(q.p + strlen("count=1&"), '&') : NULL;
		html_printf(&p->b, "<p class=\"more\"><a href=\"%a%a%a\">%h (%lld)</a></p>", s->page,
		            filters ? "?" : "", filters ? filters + 1 : "", tr(r, "work.all"),
		            (long long)total);
	}
	html_printf(&p->b, "</section>");
	json_decref(rows);
	buf_free(&q);
	return 0;
}

static int str_is(const json_t *v, const char *s)
{
	return json_is_string(v) && s && !strcmp(json_string_value(v), s);
}

/* The banner after a visit was recorded: the visit and each of its problems (those the reader
 * may see) with its tracking code and whether it was solved on the spot. */
static void visit_banner(struct page *p, struct store_rd *rd)
{
	struct req *r = p->r;
	int64_t vid = 0;
	const char *v = req_query(r, "visit");
	if (v)
		vid = atoll(v);
	const char *ids = req_query(r, "p");
	if (vid <= 0)
		return;
	html_printf(&p->b, "<div class=\"banner banner-ok\" role=\"status\" id=\"visit-done\"><h2>%h</h2>",
	            tr(r, "work.visit_done"));
	struct viewer vw = req_viewer(r);
	int n = 0;
	for (const char *s = ids; s && *s;) {
		char *end;
		long long id = strtoll(s, &end, 10);
		if (end == s || id <= 0)
			break;
		json_t *row = store_problem_get(rd, id);
		json_t *pr = row && json_integer_value(json_object_get(row, "visit_id")) == vid
		                 ? present_json(&present_problem, &vw, row)
		                 : NULL;
		json_decref(row);
		if (pr) {
			if (!n++)
				html_printf(&p->b, "<ul class=\"done-list\">");
			int spot = json_integer_value(json_object_get(pr, "task_id")) &&
			           str_is(json_object_get(pr, "state"), problem_state_name(PS_ASSIGNED));
			html_printf(&p->b, "<li><a href=\"/problems/%lld\">%h</a> %h%h</li>", id,
			            json_string_value(json_object_get(pr, "code")),
			            json_string_value(json_object_get(pr, "description")),
			            spot ? tr(r, "work.solved_on_spot") : "");
			json_decref(pr);
		}
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			break;
	}
	if (n)
		html_printf(&p->b, "</ul>");
	else
		html_printf(&p->b, "<p>%h</p>", tr(r, "work.visit_no_problems"));
	html_printf(&p->b, "</div>");
}

void page_work(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	char soon[11];
	struct calendar *cal = store_calendar_load(rd);
	int32_t today = date_china_day(r->now);
	date_format(cal ? calendar_add_workdays(cal, today, WB_SOON) : today + WB_SOON, soon);
	calendar_free(cal);
	struct page p;
	page_begin(&p, r, tr(r, "work.title"));
	html_printf(&p.b, "<h1>%h</h1>", tr(r, "work.title"));
	visit_banner(&p, rd);
	if (r->rights & RIGHT_VISIT)
		html_printf(
		    &p.b,
		    "<p class=\"work-primary\"><a class=\"btn btn-primary btn-big\" id=\"record-visit\" "
		    "href=\"/visits/new\">%h</a></p>",
		    tr(r, "work.record_visit"));
	/* the lists to search, for staff who read an area (the sections below show a few rows) */
	struct scope sc = req_scope(r);
	if ((r->rights & RIGHT_READ) && !scope_own_only(&sc))
		html_printf(&p.b,
		            "<nav class=\"work-lists\" aria-label=\"%a\"><ul><li><a href=\"/problems\" "
		            "id=\"find-problems\">%h</a></li><li><a href=\"/tasks\">%h</a></li></ul></nav>",
		            tr(r, "work.lists"), tr(r, "work.find_problems"), tr(r, "work.all_tasks"));
	int any = 0;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		if (!shown(r, &sections[i]))
			continue;
		any = 1;
		if (section(&p, rd, &sections[i], soon)) {
			buf_free(&p.b);
			req_db_error(r);
			return;
		}
	}
	for (size_t i = 0; i < sizeof admin_parts / sizeof admin_parts[0]; i++) {
		if (!(r->rights & admin_parts[i].right))
			continue;
		any = 1;
		char key[64];
		snprintf(key, sizeof key, "work.part.%s", admin_parts[i].id);
		char hint[64];
		snprintf(hint, sizeof hint, "work.part.%s.what", admin_parts[i].id);
		html_printf(&p.b,
		            "<section class=\"work-section\" id=\"sec-%a\"><h2>%h</h2><p>%h</p><p "
		            "class=\"coming\">%h</p></section>",
		            admin_parts[i].id, tr(r, key), tr(r, hint), tr(r, "work.coming"));
	}
	if (!any)
		html_printf(&p.b, "<p class=\"empty\">%h</p>", tr(r, "work.nothing"));
	page_end(&p, 200);
}
