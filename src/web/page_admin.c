/* page_admin.c — /admin, the index of the administrators' pages the reader holds (one section
 * per duty: system RIGHT_ADMIN, security RIGHT_GRANT, audit RIGHT_AUDIT), and the helpers the
 * three administrators' files share: capturing an API read handler's answer, the page head with
 * its banner and error summary, labelled form controls, the unit tree in order.  The pages
 * themselves: page_admin_system.c, page_admin_security.c, page_admin_audit.c. */
#include "web/page_admin.h"
#include "base/mem.h"
#include "core/role.h"
#include "web/html.h"
#include "web/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- capturing an API handler's answer ------------------------------------------------------- */

struct grab {
	json_t *out;
	struct qd_err err;
	int answered;
};

static void grab_hook(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	struct grab *g = r->fctx;
	(void)status;
	g->answered = 1;
	if (err) {
		g->err = *err;
		json_decref(out);
		return;
	}
	g->out = out;
}

int admin_grab(struct req *r, void (*api)(struct req *r), json_t **out, struct qd_err *err)
{
	/* The read handlers answer at once (no write, no deferral): r->fctx holds the capture for
	 * the call's length only, and is the handler's own again after. */
	struct grab g = {NULL, {0}, 0};
	void *saved = r->fctx;
	r->fctx = &g;
	r->answer_hook = grab_hook;
	api(r);
	r->answer_hook = NULL;
	r->fctx = saved;
	*out = NULL;
	if (!g.answered) /* a handler that answered past the hook: a programming error */
		return qd_fail(err, QD_EINTERNAL, "", "内部错误：页面未取得数据",
		               "internal error: the page got no data");
	if (g.err.code) {
		*err = g.err;
		return -1;
	}
	*out = g.out;
	return 0;
}

/* --- words and fields ------------------------------------------------------------------------- */

long long admin_id(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

const char *admin_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

const char *admin_value(struct req *r, const char *name, const char *def)
{
	const char *s = json_string_value(json_object_get(r->form, name));
	return s ? s : def;
}

static int names_field(const struct qd_err *err, const char *name)
{
	return err && err->code && strcmp(err->field, name) == 0;
}

/* The label, and the field's error when err names it. */
static void label(struct page *p, const struct qd_err *err, const char *name, const char *text, int required)
{
	html_printf(&p->b, "<label for=\"f-%a\">%h", name, text);
	if (!required)
		html_printf(&p->b, " <span class=\"optional\">%h</span>", tr(p->r, "admin.optional"));
	html_printf(&p->b, "</label>");
	if (names_field(err, name))
		html_printf(&p->b, "<p class=\"field-error\" id=\"f-%a-error\">%h</p>", name,
		            page_err_text(p->r, err));
}

static void described(struct page *p, const struct qd_err *err, const char *name, int required)
{
	if (names_field(err, name))
		html_printf(&p->b, " aria-describedby=\"f-%a-error\" aria-invalid=\"true\"", name);
	if (required)
		html_printf(&p->b, " required");
}

void admin_input(struct page *p, const struct qd_err *err, const char *name, const char *text,
                 const char *type, const char *value, int required)
{
	html_printf(&p->b, "<div class=\"field%a\">", names_field(err, name) ? " field-invalid" : "");
	label(p, err, name, text, required);
	html_printf(&p->b, "<input type=\"%a\" id=\"f-%a\" name=\"%a\" value=\"%a\"", type, name, name,
	            value ? value : "");
	if (!strcmp(type, "password"))
		html_printf(&p->b, " autocomplete=\"new-password\"");
	described(p, err, name, required);
	html_printf(&p->b, "></div>");
}

void admin_select(struct page *p, const struct qd_err *err, const char *name, const char *text, int required)
{
	html_printf(&p->b, "<div class=\"field%a\">", names_field(err, name) ? " field-invalid" : "");
	label(p, err, name, text, required);
	html_printf(&p->b, "<select id=\"f-%a\" name=\"%a\"", name, name);
	described(p, err, name, required);
	html_printf(&p->b, ">");
}

void admin_option(struct page *p, const char *value, const char *text, int selected)
{
	html_printf(&p->b, "<option value=\"%a\"%a>%h</option>", value, selected ? " selected" : "", text);
}

void admin_select_end(struct page *p)
{
	html_printf(&p->b, "</select></div>");
}

void admin_td(struct page *p, const char *label)
{
	html_printf(&p->b, "<td data-label=\"%a\">", label);
}

void admin_form(struct page *p, const char *action)
{
	html_printf(&p->b, "<form method=\"post\" action=\"%a\" novalidate>", action);
	page_csrf(p);
}

/* --- trees ------------------------------------------------------------------------------------ */

/* The children of each parent: parent id as text → the indices of its items, in list order. */
static json_t *children_of(json_t *items)
{
	json_t *kids = json_object();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		char key[24];
		snprintf(key, sizeof key, "%lld", admin_id(it, "parent_id"));
		json_t *a = json_object_get(kids, key);
		if (!a) {
			a = json_array();
			json_object_set_new(kids, key, a);
		}
		json_array_append_new(a, json_integer((json_int_t)i));
	}
	return kids;
}

static void preorder_from(json_t *items, json_t *kids, long long parent, int depth, json_t *out, char *seen)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", parent);
	size_t k;
	json_t *ix;
	json_array_foreach(json_object_get(kids, key), k, ix)
	{
		size_t i = (size_t)json_integer_value(ix);
		if (seen[i]) /* (a cycle) */
			continue;
		seen[i] = 1;
		json_t *it = json_array_get(items, i);
		json_array_append_new(out, json_pack("{sO si}", "item", it, "depth", depth));
		preorder_from(items, kids, admin_id(it, "id"), depth + 1, out, seen);
	}
}

json_t *admin_preorder(json_t *items)
{
	size_t n = json_array_size(items);
	char *seen = xcalloc(n + 1, 1);
	json_t *kids = children_of(items);
	json_t *out = json_array();
	preorder_from(items, kids, 0, 0, out, seen);
	/* a parent missing from the list (or a cycle): those items at the top, never dropped */
	for (size_t i = 0; i < n; i++)
		if (!seen[i]) {
			json_t *it = json_array_get(items, i);
			seen[i] = 1;
			json_array_append_new(out, json_pack("{sO si}", "item", it, "depth", 0));
			preorder_from(items, kids, admin_id(it, "id"), 1, out, seen);
		}
	json_decref(kids);
	free(seen);
	return out;
}

void admin_unit_select(struct page *p, const struct qd_err *err, const char *name, const char *text,
                       json_t *units, long long sel)
{
	admin_select(p, err, name, text, 1);
	const char *given = admin_value(p->r, name, NULL);
	long long chosen = given ? atoll(given) : sel;
	html_printf(&p->b, "<option value=\"\">%h</option>", tr(p->r, "admin.choose"));
	json_t *order = admin_preorder(units);
	size_t i;
	json_t *o;
	json_array_foreach(order, i, o)
	{
		json_t *u = json_object_get(o, "item");
		long long id = admin_id(u, "id");
		int depth = (int)admin_id(o, "depth");
		html_printf(&p->b, "<option value=\"%lld\"%a>", id, id == chosen ? " selected" : "");
		for (int d = 0; d < depth; d++)
			html_printf(&p->b, "　");
		html_printf(&p->b, "%h（%h）</option>", admin_str(u, "name"),
		            tr_code(p->r, "unit_kind", admin_str(u, "kind")));
	}
	json_decref(order);
	admin_select_end(p);
}

/* --- the page head ----------------------------------------------------------------------------- */

void admin_begin(struct page *p, struct req *r, const char *title_key, const struct qd_err *err)
{
	const char *title = tr(r, title_key);
	page_begin(p, r, title);
	html_printf(&p->b, "<p class=\"back\"><a href=\"/admin\">%h</a></p><h1>%h</h1>",
	            tr(r, "admin.index.back"), title);
	const char *done = req_query(r, "done");
	if (done && !(err && err->code)) {
		html_printf(&p->b, "<div class=\"notice\" role=\"status\"><p>%h</p></div>",
		            tr_code(r, "admin.done", done));
	}
	page_error_summary(p, err);
}

void page_admin_refused(struct req *r, const struct qd_err *err)
{
	page_fail(r, err);
}

/* --- /admin ------------------------------------------------------------------------------------ */

static void section(struct page *p, const char *head_key, const char *const links[][2])
{
	html_printf(&p->b, "<section class=\"admin-part\"><h2>%h</h2><ul class=\"links\">",
	            tr(p->r, head_key));
	for (int i = 0; links[i][0]; i++)
		html_printf(&p->b, "<li><a href=\"%a\">%h</a></li>", links[i][0], tr(p->r, links[i][1]));
	html_printf(&p->b, "</ul></section>");
}

void page_admin_index(struct req *r)
{
	static const char *const sys[][2] = {{"/admin/units", "admin.units.title"},
	                                     {"/admin/users", "admin.users.title"},
	                                     {"/admin/categories", "admin.categories.title"},
	                                     {"/admin/calendar", "admin.calendar.title"},
	                                     {"/admin/limits", "admin.limits.title"},
	                                     {"/admin/handoff", "admin.handoff.title"},
	                                     {NULL, NULL}};
	static const char *const sec[][2] = {
	    {"/admin/grants", "admin.grants.title"}, {"/admin/tokens", "admin.tokens.title"}, {NULL, NULL}};
	static const char *const aud[][2] = {{"/admin/audit", "admin.audit.title"}, {NULL, NULL}};
	/* The route needs no right of its own (any of the three would make every view of this index
	 * an audit-log read in the audit log: core/audit.h); the page refuses the others itself. */
	if (!(r->rights & (RIGHT_ADMIN | RIGHT_GRANT | RIGHT_AUDIT))) {
		struct qd_err e;
		qd_fail(&e, QD_EPERM, "", "您没有管理员权限", "you are not an administrator");
		page_fail(r, &e);
		return;
	}
	struct page p;
	page_begin(&p, r, tr(r, "admin.index.title"));
	html_printf(&p.b, "<h1>%h</h1>", tr(r, "admin.index.title"));
	if (r->rights & RIGHT_ADMIN)
		section(&p, "admin.index.system", sys);
	if (r->rights & RIGHT_GRANT)
		section(&p, "admin.index.security", sec);
	if (r->rights & RIGHT_AUDIT)
		section(&p, "admin.index.audit", aud);
	page_end(&p, 200);
}
