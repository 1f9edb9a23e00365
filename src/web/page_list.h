/* page_list.h — the parts every list page shares (the task list, the problem list; page_task.c,
 * page_problems.c): links that keep the list's query, the sort links, the pager, a <select> of
 * one of core's vocabularies.  Each writes into a page (web/page.h) with html_printf; the words
 * are the catalogs' (list.*, and the caller's own keys for its sort orders).  Not here: reading
 * the list (the API's filter and the store's query) and its table (each page's own columns). */
#ifndef QD_WEB_PAGE_LIST_H
#define QD_WEB_PAGE_LIST_H
#include "base/buf.h"
#include "store/list.h"
#include "store/store.h"
#include "web/export_csv.h"
#include "web/page.h"
#include <jansson.h>

/* Largest CSV export: a list view past this is refused naming the filters, never cut short. */
#define LIST_CSV_MAX_ROWS 10000

/* The list's query as it came, for links that keep it: every parameter of the route's spec that
 * was given and is not empty, except skip1 and skip2 (NULL: none), then extra ("name=value",
 * URL-safe, or NULL).  Written into an attribute: the values %u-encoded, & as &amp;.  Starts
 * with "?" when anything is written. */
void list_keep_query(struct buf *b, struct req *r, const char *skip1, const char *skip2, const char *extra);
/* The sort links of the list at path ("/tasks"): one per name of names (core's vocabulary of the
 * list's orders, NULL-terminated; names[0] the default), labelled by the message
 * "<prefix>.<name>", each keeping the filters (and going back to the first page); the current
 * order is marked, not a link. */
void list_sort_links(struct page *p, const char *path, const char *const *names, const char *prefix);
/* The pager of the list at path: "showing first–last / total", and the previous and next pages
 * (the query kept) — the next one when more rows follow. */
void list_pager(struct page *p, const char *path, long long offset, long long limit, size_t rows, int more,
                long long total, int cap);
/* <select id="f-NAME" name="NAME"> of a vocabulary (names NULL-terminated; "" entries skipped),
 * each option named by the catalogs' "<kind>.<code>", cur selected; first an option "" reading
 * blank (all). */
void list_select_vocab(struct page *p, const char *name, const char *kind, const char *const *names,
                       const char *cur, const char *blank);

/* One page of a list view for f, presented for the reader: a new JSON array (caller owns), or
 * NULL on a read error (logged); *more, and *total when f->count. */
typedef json_t *list_read_fn(struct req *r, struct store_rd *rd, const struct list_filter *f, int *more,
                             int64_t *total);
/* Every row of the list view f (read by read, in pages of 200 from f->offset) — or, when the
 * query asks for a page (limit or offset given), that page only.  A new array (caller owns), or
 * NULL after answering: a read error, or more than LIST_CSV_MAX_ROWS rows (413 naming q, the
 * message saying "<noun_zh>" / "<noun_en>": 任务 / tasks). */
json_t *list_export_rows(struct req *r, struct list_filter *f, list_read_fn *read, const char *noun_zh,
                         const char *noun_en);
/* Answer r with the CSV of rows (borrowed) under the columns (web/export_csv.h; yes_no from the
 * catalogs' list.no / list.yes): text/csv, UTF-8 with its BOM. */
void list_csv_answer(struct req *r, const struct export_col *cols, int ncols, const json_t *rows);

#endif
