/* page.c — the shared layout of every page (web/page.h): head, header (site and county, the user
 * and their role, the language and 适老化 switches, logout), main, footer; the CSRF field of forms;
 * the error summary; refusals as pages; the embedded static assets.  All HTML goes through
 * html_printf; the user's name and unit come through the presenters. */
#include "web/page.h"
#include "base/log.h"
#include "base/mem.h"
#include "core/role.h"
#include "present/present.h"
#include "store/org.h"
#include "web/embed.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/server.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COOKIE_YEAR "Max-Age=31536000"


const char *page_local_next(const char *next, const char *fallback)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) >= 200)
		return fallback;
	for (const char *s = next; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s >= 0x7f || *s == '\\')
			return fallback;
	return next;
}

const char *page_err_text(const struct req *r, const struct qd_err *err)
{
	return r->lang == LANG_EN ? err->en : err->zh;
}

void page_csrf(struct page *p)
{
	html_printf(&p->b, "<input type=\"hidden\" name=\"csrf\" value=\"%a\">", req_csrf(p->r));
}

/* --- where the switches come back to --------------------------------------------------------- */

struct qbuild {
	struct buf *b;
	int n;
};

static enum MHD_Result query_one(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct qbuild *q = cls;
	(void)kind;
	html_printf(q->b, q->n++ ? "&%u=%u" : "?%u=%u", key, value ? value : "");
	return MHD_YES;
}

/* path with each segment percent-encoded (the slashes kept). */
static void path_encoded(struct buf *b, const char *path)
{
	char seg[256];
	while (*path) {
		size_t n = strcspn(path + 1, "/") + 1; /* "/segment" */
		if (n > sizeof seg)
			n = sizeof seg; /* r->path is shorter than seg: never cut */
		memcpy(seg, path + 1, n - 1);
		seg[n - 1] = 0;
		html_printf(b, "/%u", seg);
		path += n;
	}
	if (!b->len)
		html_printf(b, "/");
}

/* This page's path and query (for ?next=), or "/" for a page answering a POST. */
static char *this_place(struct req *r)
{
	struct buf b;
	buf_init(&b);
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		html_printf(&b, "/");
		return buf_take(&b);
	}
	path_encoded(&b, r->path);
	struct qbuild q = {&b, 0};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_one, &q);
	if (b.len >= 200) { /* too long to come back to with its query: the path alone */
		buf_reset(&b);
		path_encoded(&b, r->path);
	}
	return buf_take(&b);
}

/* --- the header ------------------------------------------------------------------------------ */

/* The user's display name and unit (through the presenter), their roles and their county, for
 * the header; nothing when not logged in or the store cannot say. */
static void header_user(struct page *p)
{
	struct req *r = p->r;
	if (!r->user_id)
		return;
	struct store_rd *rd = store_reader(server_store(r->srv));
	if (!rd)
		return;
	json_t *row = store_user_get(rd, r->user_id);
	struct viewer v = req_viewer(r);
	json_t *me = row ? present_json(&present_user, &v, row) : NULL;
	json_decref(row);
	const char *name = json_string_value(json_object_get(me, "display_name"));
	/* the county: the root of the first grant's unit path ("/1/5/" → unit 1) */
	char county[sizeof((struct unit *)0)->name] = "";
	if (r->ngrants > 0) {
		long long root = strtoll(r->grants[0].path + (r->grants[0].path[0] == '/'), NULL, 10);
		struct unit u;
		struct qd_err err;
		if (root > 0 && store_unit_get(rd, root, &u, &err) == 0)
			snprintf(county, sizeof county, "%s", u.name);
	}
	if (county[0])
		html_printf(&p->b, "<span class=\"county\">%h</span>", county);
	html_printf(&p->b, "</a><p class=\"who\"><span class=\"visually-hidden\">%h</span>",
	            tr(r, "layout.signed_in_as"));
	html_printf(&p->b, "<span class=\"who-name\">%h</span>", name ? name : "");
	unsigned seen = 0;
	int shown = 0;
	for (int i = 0; i < r->ngrants; i++) {
		enum role role = r->grants[i].role;
		if (role == ROLE_PII || (unsigned)role >= ROLE__COUNT || (seen & (1u << role)))
			continue;
		seen |= 1u << role;
		html_printf(&p->b,
		            shown++ ? "<span class=\"who-role\">%h</span>"
		                    : " <span class=\"who-role\">%h</span>",
		            tr_code(r, "role", role_name(role)));
	}
	html_printf(&p->b, "</p>");
	json_decref(me);
}

void page_begin(struct page *p, struct req *r, const char *title)
{
	p->r = r;
	p->csrf[0] = 0;
	buf_init(&p->b);
	char *here = this_place(r);
	const char *site = tr(r, "layout.site");
	html_printf(&p->b,
	            r->elder ? "<!doctype html>\n<html lang=\"%a\" class=\"elder\">"
	                     : "<!doctype html>\n<html lang=\"%a\">",
	            lang_tag((enum lang)r->lang));
	html_printf(&p->b, "<head><meta charset=\"utf-8\"><meta name=\"viewport\" "
	                   "content=\"width=device-width, initial-scale=1\">");
	if (strcmp(title, site) != 0)
		html_printf(&p->b, "<title>%h · %h</title>", title, site);
	else
		html_printf(&p->b, "<title>%h</title>", site);
	html_printf(&p->b,
	            "<link rel=\"stylesheet\" href=\"%a\"><script src=\"%a\" defer></script></head>\n"
	            "<body><a class=\"skip-link\" href=\"#main\">%h</a>\n"
	            "<header class=\"site-header\"><div class=\"wrap\">"
	            "<a class=\"site-name\" href=\"/\"><span class=\"site-title\">%h</span>",
	            page_asset_url("app.css"), page_asset_url("app.js"), tr(r, "layout.skip"), site);
	if (r->user_id)
		header_user(p);
	else
		html_printf(&p->b, "</a>");
	/* the switches: each labelled in the language (or the mode) it switches to */
	html_printf(&p->b, "<nav class=\"switches\" aria-label=\"%a\"><ul>", tr(r, "layout.settings"));
	if (r->lang == LANG_EN)
		html_printf(
		    &p->b,
		    "<li><a href=\"/lang?to=zh&amp;next=%u\" lang=\"zh-CN\" hreflang=\"zh-CN\">中文</a></li>",
		    here);
	else
		html_printf(
		    &p->b,
		    "<li><a href=\"/lang?to=en&amp;next=%u\" lang=\"en\" hreflang=\"en\">English</a></li>",
		    here);
	html_printf(&p->b, "<li><a href=\"/elder?on=%d&amp;next=%u\">%h</a></li>", r->elder ? 0 : 1, here,
	            tr(r, r->elder ? "layout.elder_off" : "layout.elder_on"));
	if (r->user_id) {
		html_printf(&p->b, "<li><a href=\"/work\">%h</a></li>", tr(r, "layout.work"));
		html_printf(&p->b, "<li><form method=\"post\" action=\"/logout\" class=\"logout\">");
		page_csrf(p);
		html_printf(&p->b, "<button type=\"submit\" class=\"btn btn-link\">%h</button></form></li>",
		            tr(r, "layout.logout"));
	}
	html_printf(&p->b, "</ul></nav></div></header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
	free(here);
}

void page_end(struct page *p, unsigned status)
{
	struct req *r = p->r;
	html_printf(&p->b,
	            "\n</main>\n<footer class=\"site-footer\"><div "
	            "class=\"wrap\"><p>%h</p></div></footer>\n</body></html>\n",
	            tr(r, "layout.footer"));
	req_html(r, status, buf_take(&p->b));
}

void page_error_summary(struct page *p, const struct qd_err *err)
{
	if (!err || err->code == QD_OK)
		return;
	struct req *r = p->r;
	html_printf(&p->b,
	            "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
	            "aria-labelledby=\"error-summary-title\">"
	            "<h2 id=\"error-summary-title\">%h</h2><ul>",
	            tr(r, "error.summary"));
	const char *msg = page_err_text(r, err);
	int linkable = err->field[0] != 0;
	for (const char *s = err->field; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			linkable = 0;
	if (linkable) {
		/* the field's name in the reader's language: "field.<name>" where the catalogs have one */
		const char *label = tr_code_find((enum lang)r->lang, r->elder, "field", err->field);
		if (label)
			html_printf(&p->b, "<li><a href=\"#f-%a\">%h%h%h</a></li>", err->field, label,
			            tr(r, "error.colon"), msg);
		else
			html_printf(&p->b, "<li><a href=\"#f-%a\">%h</a></li>", err->field, msg);
	} else {
		html_printf(&p->b, "<li>%h</li>", msg);
	}
	html_printf(&p->b, "</ul></div>");
}

const char *page_count_text(char out[24], long long total, int cap)
{
	if (cap > 0 && total > cap)
		snprintf(out, 24, "%d+", cap);
	else
		snprintf(out, 24, "%lld", total);
	return out;
}

void page_fail(struct req *r, const struct qd_err *err)
{
	unsigned status = http_status(err->code);
	if (status == 401) {
		char *here = this_place(r);
		struct buf b;
		buf_init(&b);
		html_printf(&b, "/login?next=%u", here);
		free(here);
		char *loc = buf_take(&b);
		req_redirect(r, loc);
		free(loc);
		return;
	}
	char key[32];
	snprintf(key, sizeof key, "error.status.%u", status);
	const char *title = tr_has((enum lang)r->lang, key) ? tr(r, key) : tr(r, "error.status.other");
	struct page p;
	page_begin(&p, r, title);
	html_printf(&p.b, "<h1>%h</h1><p class=\"lead\">%h</p>", title, page_err_text(r, err));
	if (r->retry_after > 0)
		html_printf(&p.b, "<p>%h %lld %h</p>", tr(r, "error.retry_in"), (long long)r->retry_after,
		            tr(r, "error.seconds"));
	if (r->user_id)
		html_printf(&p.b, "<p><a class=\"btn\" href=\"/work\">%h</a></p>", tr(r, "error.to_work"));
	else
		html_printf(&p.b, "<p><a class=\"btn\" href=\"/\">%h</a></p>", tr(r, "error.to_home"));
	page_end(&p, status);
}

/* --- static assets ----------------------------------------------------------------------------- */

static const struct embed_asset *asset_find(const char *name)
{
	for (int i = 0; i < embed_nassets; i++)
		if (!strcmp(embed_assets[i].name, name))
			return &embed_assets[i];
	return NULL;
}

const char *page_asset_url(const char *name)
{
	const struct embed_asset *a = asset_find(name);
	return a ? a->url : "";
}

void page_static(struct req *r)
{
	const char *name = strncmp(r->path, "/static/", 8) == 0 ? r->path + 8 : "";
	const struct embed_asset *a = asset_find(name);
	if (!a) {
		struct qd_err err;
		qd_fail(&err, QD_ENOTFOUND, "path", "没有这个文件", "no such file");
		page_fail(r, &err);
		return;
	}
	req_asset(r, a->data, a->len, a->ctype, a->hash);
}
