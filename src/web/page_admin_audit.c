/* page_admin_audit.c — the audit administrator's page (RIGHT_AUDIT, the API's right):
 * /admin/audit, the audit log newest first with the API's filters (from, to, user, name, kind,
 * outcome, client), paging, and the CSV export link — GET /api/v1/audit?format=csv with the
 * same filters (the API's own exporter, the cells a spreadsheet would run as formulas
 * neutralised there).  The rows are GET /api/v1/audit's: the page runs api_audit and renders its
 * presented answer.  A filter the route's spec refuses (a bad date …) shows the filter form again
 * with the error summary.  The page changes nothing (a GET form, no CSRF token needed). */
#include "core/audit.h"
#include "web/api.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page_admin.h"
#include "web/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_PAGE 50      /* rows a page shows unless ?limit= says (api_audit's default too) */
#define AUDIT_EXPORT 10000 /* rows the CSV link asks for: the API's bound (web/routes.c q_audit) */

/* The filters of this request (every query parameter of the route but the paging ones) as a
 * query string of "&name=value" pairs. */
static void filters(struct req *r, struct buf *q)
{
	for (const struct param *p = r->route->query; p && p->name; p++) {
		if (!strcmp(p->name, "limit") || !strcmp(p->name, "offset"))
			continue;
		const char *v = req_query(r, p->name);
		if (!v || !*v)
			continue;
		buf_putc(q, '&');
		buf_url(q, p->name);
		buf_putc(q, '=');
		buf_url(q, v);
	}
}

static void filter_form(struct page *p, const struct qd_err *err)
{
	struct req *r = p->r;
	html_printf(
	    &p->b, "<section class=\"form filters\"><h2>%h</h2><form method=\"get\" action=\"/admin/audit\">",
	    tr(r, "admin.audit.filter"));
	admin_input(p, err, "from", tr(r, "admin.audit.from"), "date", req_query(r, "from"), 0);
	admin_input(p, err, "to", tr(r, "admin.audit.to"), "date", req_query(r, "to"), 0);
	admin_input(p, err, "username", tr(r, "admin.audit.username"), "text", req_query(r, "username"), 0);
	admin_input(p, err, "user_id", tr(r, "admin.audit.user_id"), "number", req_query(r, "user_id"), 0);
	const char *kind = req_query(r, "kind");
	admin_select(p, err, "kind", tr(r, "admin.audit.kind"), 0);
	admin_option(p, "", tr(r, "admin.audit.any"), !kind || !*kind);
	for (int k = 0; audit_kind_names[k]; k++) {
		admin_option(p, audit_kind_names[k], tr_code(r, "audit_kind", audit_kind_names[k]),
		             kind && !strcmp(kind, audit_kind_names[k]));
	}
	admin_select_end(p);
	const char *out = req_query(r, "outcome");
	admin_select(p, err, "outcome", tr(r, "admin.audit.outcome"), 0);
	admin_option(p, "", tr(r, "admin.audit.any"), !out || !*out);
	for (int k = 0; audit_outcome_names[k]; k++) {
		admin_option(p, audit_outcome_names[k], tr_code(r, "audit_outcome", audit_outcome_names[k]),
		             out && !strcmp(out, audit_outcome_names[k]));
	}
	admin_select_end(p);
	admin_input(p, err, "client", tr(r, "admin.audit.client"), "text", req_query(r, "client"), 0);
	if (req_query(r, "limit"))
		html_printf(&p->b, "<input type=\"hidden\" name=\"limit\" value=\"%a\">",
		            req_query(r, "limit"));
	html_printf(
	    &p->b,
	    "<button type=\"submit\" class=\"btn btn-primary\">%h</button> <a href=\"/admin/audit\">%h</a>"
	    "</form></section>",
	    tr(r, "admin.audit.apply"), tr(r, "admin.audit.reset"));
}

static void rows(struct page *p, json_t *items, long long total)
{
	struct req *r = p->r;
	html_printf(&p->b, "<table class=\"list audit\"><caption>%h", tr(r, "admin.audit.caption"));
	if (total >= 0)
		html_printf(&p->b, " <span class=\"total\">%h %lld</span>", tr(r, "admin.audit.total"),
		            total);
	html_printf(
	    &p->b,
	    "</caption><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
	    tr(r, "admin.audit.at"), tr(r, "admin.audit.user"), tr(r, "admin.audit.client"),
	    tr(r, "admin.audit.route"), tr(r, "admin.audit.kind"), tr(r, "admin.audit.outcome"),
	    tr(r, "admin.audit.status"), tr(r, "admin.audit.detail"));
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e)
	{
		html_printf(&p->b, "<tr data-id=\"%lld\">", admin_id(e, "id"));
		admin_td(p, tr(r, "admin.audit.at"));
		html_printf(&p->b, "%h</td>", admin_str(e, "at"));
		admin_td(p, tr(r, "admin.audit.user"));
		html_printf(&p->b, "%h", admin_str(e, "username"));
		if (admin_id(e, "user_id"))
			html_printf(&p->b, " <span class=\"user-id\">#%lld</span>", admin_id(e, "user_id"));
		html_printf(&p->b, "</td>");
		admin_td(p, tr(r, "admin.audit.client"));
		html_printf(&p->b, "%h</td>", admin_str(e, "client"));
		admin_td(p, tr(r, "admin.audit.route"));
		html_printf(&p->b, "<span class=\"method\">%h</span> %h", admin_str(e, "method"),
		            admin_str(e, "route"));
		if (admin_id(e, "entity_id"))
			html_printf(&p->b, " <span class=\"entity\">#%lld</span>", admin_id(e, "entity_id"));
		html_printf(&p->b, "</td>");
		admin_td(p, tr(r, "admin.audit.kind"));
		html_printf(&p->b, "%h</td>", tr_code(r, "audit_kind", admin_str(e, "kind")));
		admin_td(p, tr(r, "admin.audit.outcome"));
		html_printf(&p->b, "%h</td>", tr_code(r, "audit_outcome", admin_str(e, "outcome")));
		admin_td(p, tr(r, "admin.audit.status"));
		html_printf(&p->b, "%lld</td>", admin_id(e, "status"));
		admin_td(p, tr(r, "admin.audit.detail"));
		html_printf(&p->b, "%h</td></tr>", admin_str(e, "detail"));
	}
	if (!json_array_size(items))
		html_printf(&p->b, "<tr><td colspan=\"8\">%h</td></tr>", tr(r, "admin.audit.none"));
	html_printf(&p->b, "</tbody></table>");
}

static void audit_page(struct req *r, const struct qd_err *err)
{
	json_t *log = NULL;
	struct qd_err e;
	struct page p;
	if (!err) {
		/* the total beside the page: api_audit counts when the request asks (set here, inside the
		 * request's handling, as the page always wants it) */
		MHD_set_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "count", "1");
		if (admin_grab(r, api_audit, &log, &e)) {
			page_fail(r, &e);
			return;
		}
	}
	admin_begin(&p, r, "admin.audit.title", err);
	filter_form(&p, err);
	if (log) {
		const char *v;
		long long limit = (v = req_query(r, "limit")) ? atoll(v) : AUDIT_PAGE;
		long long offset = (v = req_query(r, "offset")) ? atoll(v) : 0;
		/* the total; -1 when the reader's own count=0 came first (then: a next page when this one is
		 * full) */
		long long total =
		    json_is_integer(json_object_get(log, "count")) ? admin_id(log, "count") : -1;
		json_t *items = json_object_get(log, "items");
		struct buf q;
		buf_init(&q);
		filters(r, &q);
		const char *fq = q.p ? q.p : "";
		html_printf(&p.b, "<p class=\"export\"><a href=\"/api/v1/audit?format=csv&amp;limit=%d",
		            AUDIT_EXPORT);
		html_text_n(&p.b, fq, q.len); /* (each value percent-encoded: only & needs its entity) */
		html_printf(&p.b, "\" download>%h</a></p>", tr(r, "admin.audit.export"));
		rows(&p, items, total);
		size_t n = json_array_size(items);
		if (n && total >= 0)
			html_printf(&p.b, "<p class=\"range\">%lld–%lld / %lld</p>", offset + 1,
			            offset + (long long)n, total);
		html_printf(&p.b, "<nav class=\"pager\" aria-label=\"%a\">", tr(r, "admin.audit.pages"));
		if (offset > 0) {
			long long prev = offset - limit > 0 ? offset - limit : 0;
			html_printf(&p.b, "<a rel=\"prev\" href=\"/admin/audit?offset=%lld&amp;limit=%lld",
			            prev, limit);
			html_text_n(&p.b, fq, q.len);
			html_printf(&p.b, "\">%h</a> ", tr(r, "admin.audit.prev"));
		}
		if (total >= 0 ? offset + (long long)n < total : (long long)n == limit) {
			html_printf(&p.b, "<a rel=\"next\" href=\"/admin/audit?offset=%lld&amp;limit=%lld",
			            offset + limit, limit);
			html_text_n(&p.b, fq, q.len);
			html_printf(&p.b, "\">%h</a>", tr(r, "admin.audit.next"));
		}
		html_printf(&p.b, "</nav>");
		buf_free(&q);
		json_decref(log);
	}
	page_end(&p, err && err->code ? http_status(err->code) : 200);
}

void page_admin_audit(struct req *r)
{
	audit_page(r, NULL);
}

void page_admin_audit_invalid(struct req *r, const struct qd_err *err)
{
	audit_page(r, err);
}
