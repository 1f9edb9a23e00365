/* page_list.c — the parts every list page shares (web/page_list.h): the query kept in links, the
 * sort links, the pager, a vocabulary's <select>. */
#include "web/page_list.h"
#include "web/html.h"
#include "web/server.h"
#include "web/i18n.h"
#include "web/router.h"
#include <stdio.h>
#include <string.h>

/* "?" before a query's first parameter, "&amp;" before the others. */
static void sep(struct buf *b, int n)
{
	if (n)
		html_printf(b, "&amp;");
	else
		html_printf(b, "?");
}

void list_keep_query(struct buf *b, struct req *r, const char *skip1, const char *skip2, const char *extra)
{
	int n = 0;
	for (const struct param *q = r->route->query; q && q->name; q++) {
		const char *v = req_query(r, q->name);
		if (!v || !*v || (skip1 && !strcmp(q->name, skip1)) || (skip2 && !strcmp(q->name, skip2)))
			continue;
		sep(b, n++);
		html_printf(b, "%u=%u", q->name, v);
	}
	if (extra) {
		sep(b, n++);
		html_printf(b, "%h", extra);
	}
}

void list_sort_links(struct page *p, const char *path, const char *const *names, const char *prefix)
{
	struct req *r = p->r;
	const char *cur = req_query(r, "sort");
	if (!cur || !*cur)
		cur = names[0];
	html_printf(&p->b, "<p class=\"sort\">%h ", tr(r, "list.sort_by"));
	for (int i = 0; names[i]; i++) {
		char key[64], extra[48];
		snprintf(key, sizeof key, "%s.%s", prefix, names[i]);
		snprintf(extra, sizeof extra, "sort=%s", names[i]);
		if (!strcmp(cur, names[i])) {
			html_printf(&p->b, "<strong aria-current=\"true\">%h</strong> ", tr(r, key));
			continue;
		}
		html_printf(&p->b, "<a href=\"%a", path);
		list_keep_query(&p->b, r, "sort", "offset", extra);
		html_printf(&p->b, "\">%h</a> ", tr(r, key));
	}
	html_printf(&p->b, "</p>");
}

void list_pager(struct page *p, const char *path, long long offset, long long limit, size_t rows, int more,
                long long total, int cap)
{
	struct req *r = p->r;
	char n[24];
	/* the page's end is the offset and its rows (past the cap the count is "1000+") */
	html_printf(&p->b, "<nav class=\"pager\" aria-label=\"%a\"><p>%h %lld–%lld / %h</p><ul>",
	            tr(r, "list.pager"), tr(r, "list.pager.showing"), rows ? offset + 1 : 0LL,
	            offset + (long long)rows, page_count_text(n, total, cap));
	char extra[48];
	if (offset > 0) {
		snprintf(extra, sizeof extra, "offset=%lld", offset > limit ? offset - limit : 0LL);
		html_printf(&p->b, "<li><a rel=\"prev\" href=\"%a", path);
		list_keep_query(&p->b, r, "offset", NULL, extra);
		html_printf(&p->b, "\">%h</a></li>", tr(r, "list.pager.prev"));
	}
	if (more) {
		snprintf(extra, sizeof extra, "offset=%lld", offset + limit);
		html_printf(&p->b, "<li><a rel=\"next\" href=\"%a", path);
		list_keep_query(&p->b, r, "offset", NULL, extra);
		html_printf(&p->b, "\">%h</a></li>", tr(r, "list.pager.next"));
	}
	html_printf(&p->b, "</ul></nav>");
}

void list_select_vocab(struct page *p, const char *name, const char *kind, const char *const *names,
                       const char *cur, const char *blank)
{
	html_printf(&p->b, "<select id=\"f-%a\" name=\"%a\"><option value=\"\">%h</option>", name, name,
	            blank);
	for (int i = 0; names[i]; i++) {
		if (!*names[i])
			continue;
		html_printf(&p->b, "<option value=\"%a\"", names[i]);
		if (cur && !strcmp(cur, names[i]))
			html_printf(&p->b, " selected");
		html_printf(&p->b, ">%h</option>", tr_code(p->r, kind, names[i]));
	}
	html_printf(&p->b, "</select>");
}

json_t *list_export_rows(struct req *r, struct list_filter *f, list_read_fn *read, const char *noun_zh,
                         const char *noun_en)
{
	/* the whole list view unless a page was asked for: in pages of 200, refused past the limit */
	int whole = !req_query(r, "limit") && !req_query(r, "offset");
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return NULL;
	json_t *all = json_array();
	if (whole)
		f->limit = 200;
	for (;;) {
		int more = 0;
		int64_t total = -1;
		json_t *page = read(r, rd, f, &more, &total);
		if (!page) {
			json_decref(all);
			req_db_error(r);
			return NULL;
		}
		json_array_extend(all, page);
		json_decref(page);
		if (!whole || !more)
			return all;
		if (json_array_size(all) >= LIST_CSV_MAX_ROWS) {
			json_decref(all);
			struct qd_err err;
			qd_fail(&err, QD_ETOOBIG, "q", "符合条件的%s超过 %d 条，请缩小筛选范围后再导出",
			        "more than %d %s match: narrow the filters to export them", noun_zh,
			        LIST_CSV_MAX_ROWS, LIST_CSV_MAX_ROWS, noun_en);
			page_fail(r, &err);
			return NULL;
		}
		f->offset += f->limit;
	}
}

void list_csv_answer(struct req *r, const struct export_col *cols, int ncols, const json_t *rows)
{
	const char *yes_no[2] = {tr(r, "list.no"), tr(r, "list.yes")};
	struct buf out;
	buf_init(&out);
	export_csv(&out, cols, ncols, rows, r, yes_no);
	req_html(r, 200, buf_take(&out));
	r->ctype = "text/csv; charset=utf-8";
}
