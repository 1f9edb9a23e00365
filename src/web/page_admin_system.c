/* page_admin_system.c — the system administrator's pages (RIGHT_ADMIN, the API's right for each
 * of them): /admin/units (the tree; add a unit), /admin/users (the list; add a user),
 * /admin/categories (the tree; add one), /admin/calendar?year= (the year's holidays and worked
 * weekend days; set a day — after each day the form comes back with the next day filled in and
 * the same kind and name, so a holiday block the State Council publishes is a few presses of
 * Enter), /admin/limits (the time limits per urgency) and /admin/handoff (the hand-off units).
 * Each read goes through the API's handler or its presenter, each form through the API's write
 * handler (r->answer_hook): success → 303 back with a banner, refusal → the form again. */
#include "base/date.h"
#include "base/mem.h"
#include "core/calendar.h"
#include "core/role.h"
#include "core/scope.h"
#include "core/task.h"
#include "core/unit.h"
#include "store/org.h"
#include "web/api.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page_admin.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned err_status(const struct qd_err *err)
{
	return err && err->code ? http_status(err->code) : 200;
}

/* The items of an API list answer ({"items": [...]}), borrowed from o. */
static json_t *items_of(json_t *o)
{
	return json_object_get(o, "items");
}

/* The nested list of a tree: each item by label(p, item). */
static void tree(struct page *p, json_t *items, const char *caption_key,
                 void (*label)(struct page *p, json_t *item))
{
	json_t *order = admin_preorder(items);
	html_printf(&p->b, "<section class=\"tree\"><h2>%h</h2>", tr(p->r, caption_key));
	int last = -1;
	size_t i;
	json_t *o;
	json_array_foreach(order, i, o)
	{
		int d = (int)admin_id(o, "depth");
		if (last < 0)
			html_printf(&p->b, "<ul class=\"tree\">");
		else if (d > last)
			html_printf(&p->b, "<ul>");
		else {
			html_printf(&p->b, "</li>");
			for (int k = last; k > d; k--)
				html_printf(&p->b, "</ul></li>");
		}
		html_printf(&p->b, "<li>");
		label(p, json_object_get(o, "item"));
		last = d;
	}
	if (last < 0)
		html_printf(&p->b, "<p>%h</p>", tr(p->r, "admin.empty"));
	else {
		html_printf(&p->b, "</li>");
		for (int k = last; k > 0; k--)
			html_printf(&p->b, "</ul></li>");
		html_printf(&p->b, "</ul>");
	}
	html_printf(&p->b, "</section>");
	json_decref(order);
}

static void submit(struct page *p, const char *key)
{
	html_printf(&p->b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></form>",
	            tr(p->r, key));
}

/* --- units ------------------------------------------------------------------------------------- */

static void unit_label(struct page *p, json_t *u)
{
	html_printf(&p->b, "<span class=\"name\">%h</span> <span class=\"kind\">%h</span>",
	            admin_str(u, "name"), tr_code(p->r, "unit_kind", admin_str(u, "kind")));
	if (*admin_str(u, "peer_group"))
		html_printf(&p->b, " <span class=\"peer\">%h</span>", admin_str(u, "peer_group"));
}

static void units_page(struct req *r, const struct qd_err *err)
{
	json_t *units;
	struct qd_err e;
	if (admin_grab(r, api_units, &units, &e)) {
		page_fail(r, &e);
		return;
	}
	struct page p;
	admin_begin(&p, r, "admin.units.title", err);
	tree(&p, items_of(units), "admin.units.tree", unit_label);
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2>", tr(r, "admin.units.add"));
	admin_form(&p, "/admin/units");
	admin_unit_select(&p, err, "parent_id", tr(r, "admin.units.parent"), items_of(units), 0);
	admin_input(&p, err, "name", tr(r, "admin.units.name"), "text", admin_value(r, "name", NULL), 1);
	admin_select(&p, err, "kind", tr(r, "admin.units.kind"), 1);
	const char *kind = admin_value(r, "kind", "village");
	for (int k = 0; unit_kind_names[k]; k++) {
		admin_option(&p, unit_kind_names[k], tr_code(r, "unit_kind", unit_kind_names[k]),
		             !strcmp(kind, unit_kind_names[k]));
	}
	admin_select_end(&p);
	admin_input(&p, err, "peer_group", tr(r, "admin.units.peer_group"), "text",
	            admin_value(r, "peer_group", NULL), 0);
	submit(&p, "admin.units.submit");
	html_printf(&p.b, "</section>");
	json_decref(units);
	page_end(&p, err_status(err));
}

ADMIN_FORM_PAGE(page_admin_units, page_admin_units_invalid, page_admin_unit_add, units_page, api_unit_create, "/admin/units?done=unit");

/* --- users ------------------------------------------------------------------------------------- */

static void users_page(struct req *r, const struct qd_err *err)
{
	json_t *users, *units;
	struct qd_err e;
	if (admin_grab(r, api_users, &users, &e)) {
		page_fail(r, &e);
		return;
	}
	if (admin_grab(r, api_units, &units, &e)) {
		json_decref(users);
		page_fail(r, &e);
		return;
	}
	struct page p;
	admin_begin(&p, r, "admin.users.title", err);
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2>", tr(r, "admin.users.add"));
	admin_form(&p, "/admin/users");
	admin_input(&p, err, "username", tr(r, "admin.users.username"), "text",
	            admin_value(r, "username", NULL), 1);
	admin_input(&p, err, "display_name", tr(r, "admin.users.display_name"), "text",
	            admin_value(r, "display_name", NULL), 1);
	admin_unit_select(&p, err, "unit_id", tr(r, "admin.users.unit"), items_of(units), 0);
	admin_input(&p, err, "password", tr(r, "admin.users.password"), "password", NULL,
	            1); /* never shown again */
	submit(&p, "admin.users.submit");
	html_printf(&p.b, "</section>");
	html_printf(&p.b,
	            "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	            "<th scope=\"col\">%h</th></tr></thead><tbody>",
	            tr(r, "admin.users.caption"), tr(r, "admin.users.username"),
	            tr(r, "admin.users.display_name"), tr(r, "admin.users.unit"), tr(r, "admin.users.roles"),
	            tr(r, "admin.users.active"));
	size_t i;
	json_t *u;
	json_array_foreach(items_of(users), i, u)
	{
		html_printf(&p.b, "<tr>");
		admin_td(&p, tr(r, "admin.users.username"));
		html_printf(&p.b, "%h</td>", admin_str(u, "username"));
		admin_td(&p, tr(r, "admin.users.display_name"));
		html_printf(&p.b, "%h</td>", admin_str(u, "display_name"));
		admin_td(&p, tr(r, "admin.users.unit"));
		html_printf(&p.b, "%h</td>", admin_str(u, "unit_name"));
		admin_td(&p, tr(r, "admin.users.roles"));
		size_t k;
		json_t *g;
		json_array_foreach(json_object_get(u, "grants"), k, g)
		{
			html_printf(&p.b, "%h%h（%h）", k ? "、" : "",
			            tr_code(r, "role", admin_str(g, "role")), admin_str(g, "unit_name"));
		}
		html_printf(&p.b, "</td>");
		admin_td(&p, tr(r, "admin.users.active"));
		html_printf(&p.b, "%h</td></tr>",
		            tr(r, json_is_false(json_object_get(u, "active")) ? "admin.no" : "admin.yes"));
	}
	html_printf(&p.b, "</tbody></table>");
	json_decref(users);
	json_decref(units);
	page_end(&p, err_status(err));
}

ADMIN_FORM_PAGE(page_admin_users, page_admin_users_invalid, page_admin_user_add, users_page, api_user_create, "/admin/users?done=user");

/* --- categories -------------------------------------------------------------------------------- */

static void category_label(struct page *p, json_t *c)
{
	html_printf(&p->b, "<span class=\"name\">%h</span>", admin_str(c, "name"));
}

static void categories_page(struct req *r, const struct qd_err *err)
{
	json_t *cats;
	struct qd_err e;
	if (admin_grab(r, api_categories, &cats, &e)) {
		page_fail(r, &e);
		return;
	}
	struct page p;
	admin_begin(&p, r, "admin.categories.title", err);
	tree(&p, items_of(cats), "admin.categories.tree", category_label);
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2>", tr(r, "admin.categories.add"));
	admin_form(&p, "/admin/categories");
	admin_select(&p, err, "parent_id", tr(r, "admin.categories.parent"), 0);
	const char *given = admin_value(r, "parent_id", "");
	admin_option(&p, "", tr(r, "admin.categories.top"), !*given);
	json_t *order = admin_preorder(items_of(cats));
	size_t i;
	json_t *o;
	json_array_foreach(order, i, o)
	{
		json_t *c = json_object_get(o, "item");
		char id[24];
		snprintf(id, sizeof id, "%lld", admin_id(c, "id"));
		html_printf(&p.b, "<option value=\"%a\"%a>", id, !strcmp(id, given) ? " selected" : "");
		for (long long d = admin_id(o, "depth"); d > 0; d--)
			html_printf(&p.b, "　");
		html_printf(&p.b, "%h</option>", admin_str(c, "name"));
	}
	json_decref(order);
	admin_select_end(&p);
	admin_input(&p, err, "name", tr(r, "admin.categories.name"), "text", admin_value(r, "name", NULL), 1);
	submit(&p, "admin.categories.submit");
	html_printf(&p.b, "</section>");
	json_decref(cats);
	page_end(&p, err_status(err));
}

ADMIN_FORM_PAGE(page_admin_categories, page_admin_categories_invalid, page_admin_category_add, categories_page, api_category_create, "/admin/categories?done=category");

/* --- the calendar ------------------------------------------------------------------------------ */

static void calendar_page(struct req *r, const struct qd_err *err)
{
	json_t *cal;
	struct qd_err e;
	if (admin_grab(r, api_calendar, &cal, &e)) {
		page_fail(r, &e);
		return;
	}
	int year = (int)admin_id(cal, "year");
	char action[64];
	snprintf(action, sizeof action, "/admin/calendar?year=%d", year);
	struct page p;
	admin_begin(&p, r, "admin.calendar.title", err);
	html_printf(
	    &p.b,
	    "<nav class=\"pager\" aria-label=\"%a\"><a href=\"/admin/calendar?year=%d\" rel=\"prev\">%d</a> "
	    "<strong aria-current=\"page\">%d</strong> <a href=\"/admin/calendar?year=%d\" "
	    "rel=\"next\">%d</a></nav>",
	    tr(r, "admin.calendar.years"), year - 1, year - 1, year, year + 1, year + 1);
	/* the form first: entering next year's list is what the page is mostly for */
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2><p class=\"hint\">%h</p>",
	            tr(r, "admin.calendar.set"), tr(r, "admin.calendar.hint"));
	admin_form(&p, action);
	const char *q = req_query(r, "date");
	admin_input(&p, err, "date", tr(r, "admin.calendar.date"), "date", admin_value(r, "date", q), 1);
	q = req_query(r, "kind");
	const char *kind = admin_value(r, "kind", q ? q : cal_kind_names[CAL_HOLIDAY]);
	admin_select(&p, err, "kind", tr(r, "admin.calendar.kind"), 1);
	for (int k = 0; cal_kind_names[k]; k++) {
		admin_option(&p, cal_kind_names[k], tr_code(r, "cal_kind", cal_kind_names[k]),
		             !strcmp(kind, cal_kind_names[k]));
	}
	admin_select_end(&p);
	admin_input(&p, err, "name", tr(r, "admin.calendar.name"), "text",
	            admin_value(r, "name", req_query(r, "name")), 0);
	submit(&p, "admin.calendar.submit");
	html_printf(&p.b, "</section>");

	json_t *days = json_object_get(cal, "days");
	html_printf(&p.b,
	            "<table class=\"list\"><caption>%h（%d）</caption><thead><tr><th scope=\"col\">%h</th>"
	            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	            "<th scope=\"col\"><span class=\"visually-hidden\">%h</span></th></tr></thead><tbody>",
	            tr(r, "admin.calendar.caption"), year, tr(r, "admin.calendar.date"),
	            tr(r, "admin.calendar.weekday"), tr(r, "admin.calendar.kind"),
	            tr(r, "admin.calendar.name"), tr(r, "admin.calendar.actions"));
	size_t i;
	json_t *d;
	json_array_foreach(days, i, d)
	{
		const char *date = admin_str(d, "date");
		int32_t day;
		char wd[32] = "";
		if (!date_parse(date, &day))
			snprintf(wd, sizeof wd, "%d", date_weekday(day));
		html_printf(&p.b, "<tr>");
		admin_td(&p, tr(r, "admin.calendar.date"));
		html_printf(&p.b, "%h</td>", date);
		admin_td(&p, tr(r, "admin.calendar.weekday"));
		html_printf(&p.b, "%h</td>", tr_code(r, "admin.weekday", wd));
		admin_td(&p, tr(r, "admin.calendar.kind"));
		html_printf(&p.b, "%h</td>", tr_code(r, "cal_kind", admin_str(d, "kind")));
		admin_td(&p, tr(r, "admin.calendar.name"));
		html_printf(&p.b, "%h</td><td>", admin_str(d, "name"));
		admin_form(&p, action);
		html_printf(
		    &p.b,
		    "<input type=\"hidden\" name=\"date\" value=\"%a\"><input type=\"hidden\" name=\"kind\" "
		    "value=\"%a\"><button type=\"submit\" class=\"btn\">%h<span class=\"visually-hidden\"> "
		    "%h</span></button></form></td></tr>",
		    date, cal_kind_names[CAL_ORDINARY], tr(r, "admin.calendar.clear"), date);
	}
	if (!json_array_size(days))
		html_printf(&p.b, "<tr><td colspan=\"5\">%h</td></tr>", tr(r, "admin.calendar.none"));
	html_printf(&p.b, "</tbody></table>");
	json_decref(cal);
	page_end(&p, err_status(err));
}

void page_admin_calendar(struct req *r)
{
	calendar_page(r, NULL);
}

void page_admin_calendar_invalid(struct req *r, const struct qd_err *err)
{
	calendar_page(r, err);
}

/* After a day is set: back to the calendar with the next day filled in, the same kind and name
 * (a holiday block is entered day after day with Enter); after a day is cleared, just back. */
static void day_set(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	json_decref(out);
	if (err) {
		calendar_page(r, err);
		return;
	}
	int32_t day = 0;
	date_parse(req_str(r, "date"), &day);
	const char *kind = req_str(r, "kind");
	int again = cal_kind_parse(kind) != CAL_ORDINARY;
	int y, m, d;
	date_to_ymd(again ? day + 1 : day, &y, &m, &d);
	struct buf loc;
	buf_init(&loc);
	buf_printf(&loc, "/admin/calendar?year=%d&done=day", y);
	if (again) {
		char next[16];
		buf_printf(&loc, "&date=");
		buf_url(&loc, date_format(day + 1, next));
		buf_printf(&loc, "&kind=");
		buf_url(&loc, kind);
		if (req_str(r, "name") && *req_str(r, "name")) {
			buf_printf(&loc, "&name=");
			buf_url(&loc, req_str(r, "name"));
		}
	}
	req_redirect(r, loc.p);
	buf_free(&loc);
}

void page_admin_calendar_set(struct req *r)
{
	r->answer_hook = day_set;
	api_calendar_set(r);
}

/* --- time limits ------------------------------------------------------------------------------- */

static void limit_number(struct page *p, const struct qd_err *err, const char *name, const char *label,
                         json_t *cur)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", admin_id(cur, name));
	admin_input(p, err, name, label, "number", admin_value(p->r, name, cur ? v : NULL), 1);
}

static void limits_page(struct req *r, const struct qd_err *err)
{
	json_t *lim;
	struct qd_err e;
	if (admin_grab(r, api_limits, &lim, &e)) {
		page_fail(r, &e);
		return;
	}
	struct page p;
	admin_begin(&p, r, "admin.limits.title", err);
	html_printf(&p.b,
	            "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	            "<th scope=\"col\"><span class=\"visually-hidden\">%h</span></th></tr></thead><tbody>",
	            tr(r, "admin.limits.caption"), tr(r, "admin.limits.urgency"),
	            tr(r, "admin.limits.respond"), tr(r, "admin.limits.complete"),
	            tr(r, "admin.limits.max_extensions"), tr(r, "admin.calendar.actions"));
	for (int u = 0; urgency_names[u]; u++) {
		json_t *l = json_object_get(lim, urgency_names[u]);
		const char *word = tr_code(r, "urgency", urgency_names[u]);
		html_printf(&p.b, "<tr><th scope=\"row\">%h</th>", word);
		admin_td(&p, tr(r, "admin.limits.respond"));
		html_printf(&p.b, "%lld</td>", admin_id(l, "respond"));
		admin_td(&p, tr(r, "admin.limits.complete"));
		html_printf(&p.b, "%lld</td>", admin_id(l, "complete"));
		admin_td(&p, tr(r, "admin.limits.max_extensions"));
		html_printf(&p.b, "%lld</td>", admin_id(l, "max_extensions"));
		html_printf(
		    &p.b,
		    "<td><a href=\"/admin/limits?urgency=%u#f-respond\">%h<span class=\"visually-hidden\"> "
		    "%h</span></a></td></tr>",
		    urgency_names[u], tr(r, "admin.limits.edit"), word);
	}
	html_printf(&p.b, "</tbody></table>");
	const char *q = req_query(r, "urgency");
	const char *urg = admin_value(r, "urgency", q ? q : urgency_names[URG_NORMAL]);
	json_t *cur = json_object_get(lim, urg);
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2><p class=\"hint\">%h</p>",
	            tr(r, "admin.limits.set"), tr(r, "admin.limits.hint"));
	admin_form(&p, "/admin/limits");
	admin_select(&p, err, "urgency", tr(r, "admin.limits.urgency"), 1);
	for (int u = 0; urgency_names[u]; u++) {
		admin_option(&p, urgency_names[u], tr_code(r, "urgency", urgency_names[u]),
		             !strcmp(urg, urgency_names[u]));
	}
	admin_select_end(&p);
	limit_number(&p, err, "respond", tr(r, "admin.limits.respond"), cur);
	limit_number(&p, err, "complete", tr(r, "admin.limits.complete"), cur);
	limit_number(&p, err, "max_extensions", tr(r, "admin.limits.max_extensions"), cur);
	submit(&p, "admin.limits.submit");
	html_printf(&p.b, "</section>");
	json_decref(lim);
	page_end(&p, err_status(err));
}

void page_admin_limits(struct req *r)
{
	limits_page(r, NULL);
}

void page_admin_limits_invalid(struct req *r, const struct qd_err *err)
{
	limits_page(r, err);
}

static void limits_set(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	json_decref(out);
	if (err) {
		limits_page(r, err);
		return;
	}
	struct buf loc;
	buf_init(&loc);
	buf_printf(&loc, "/admin/limits?done=limits&urgency=");
	buf_url(&loc, req_str(r, "urgency"));
	req_redirect(r, loc.p);
	buf_free(&loc);
}

void page_admin_limits_set(struct req *r)
{
	r->answer_hook = limits_set;
	api_limits_set(r);
}

/* --- hand-off units ------------------------------------------------------------------------------ */

/* The units the writer accepts as hand-off units (store_handoff_set): a kind scope_handoff_kind
 * allows (county departments and companies) with no township above it; and any unit set now, so
 * that it can be cleared.  in_town: a township is among the unit's ancestors. */
static int offered(json_t *u, json_t *set, const char *id, int in_town)
{
	if (json_object_get(set, id))
		return 1;
	return !in_town && scope_handoff_kind(unit_kind_parse(admin_str(u, "kind")));
}

static void handoff_page(struct req *r, const struct qd_err *err)
{
	json_t *ho, *units;
	struct qd_err e;
	if (admin_grab(r, api_handoff, &ho, &e)) {
		page_fail(r, &e);
		return;
	}
	if (admin_grab(r, api_units, &units, &e)) {
		json_decref(ho);
		page_fail(r, &e);
		return;
	}
	json_t *set = json_object(); /* id as text → true */
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(ho, "units"), i, u)
	{
		char id[24];
		snprintf(id, sizeof id, "%lld", admin_id(u, "id"));
		json_object_set_new(set, id, json_true());
	}
	struct page p;
	admin_begin(&p, r, "admin.handoff.title", err);
	html_printf(&p.b, "<p>%h</p>",
	            tr(r, json_is_true(json_object_get(ho, "configured")) ? "admin.handoff.configured"
	                                                                  : "admin.handoff.default"));
	admin_form(&p, "/admin/handoff");
	int bad = err && err->code && !strcmp(err->field, "unit_ids");
	html_printf(&p.b, "<fieldset id=\"f-unit_ids\" class=\"checkboxes%a\"", bad ? " field-invalid" : "");
	if (bad)
		html_printf(&p.b, " aria-describedby=\"f-unit_ids-error\"");
	html_printf(&p.b, "><legend>%h</legend>", tr(r, "admin.handoff.units"));
	if (bad)
		html_printf(&p.b, "<p class=\"field-error\" id=\"f-unit_ids-error\">%h</p>",
		            page_err_text(r, err));
	json_t *order = admin_preorder(items_of(units));
	/* town[d]: the unit last seen at depth d is a township or lies inside one */
	char *town = xcalloc(json_array_size(order) + 1, 1);
	json_t *o;
	json_array_foreach(order, i, o)
	{
		u = json_object_get(o, "item");
		size_t d = (size_t)admin_id(o, "depth");
		int in_town = d > 0 && town[d - 1];
		town[d] = in_town || unit_kind_parse(admin_str(u, "kind")) == UNIT_TOWNSHIP;
		char id[24];
		snprintf(id, sizeof id, "%lld", admin_id(u, "id"));
		if (!offered(u, set, id, in_town))
			continue;
		html_printf(
		    &p.b,
		    "<div class=\"choice\"><input type=\"checkbox\" id=\"f-unit_ids-%a\" name=\"unit_ids\" "
		    "value=\"%a\"%a><label for=\"f-unit_ids-%a\">%h（%h）</label></div>",
		    id, id, json_object_get(set, id) ? " checked" : "", id, admin_str(u, "name"),
		    tr_code(r, "unit_kind", admin_str(u, "kind")));
	}
	free(town);
	json_decref(order);
	html_printf(&p.b, "</fieldset>");
	submit(&p, "admin.handoff.submit");
	json_decref(set);
	json_decref(ho);
	json_decref(units);
	page_end(&p, err_status(err));
}

ADMIN_FORM_PAGE(page_admin_handoff, page_admin_handoff_invalid, page_admin_handoff_set, handoff_page, api_handoff_set, "/admin/handoff?done=handoff");
