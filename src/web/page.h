/* page.h — the layout every page shares (head, header with the user and the switches, main,
 * footer), its forms' CSRF field, the error summary, errors as pages, and the static assets.
 * Pages are written with html_printf (web/html.h) into p->b and answered by page_end.
 *
 * A page handler:
 *     struct page p;
 *     page_begin(&p, r, tr(r, "task.list.title"));
 *     html_printf(&p.b, "<h1>%h</h1>", tr(r, "task.list.title"));
 *     …
 *     page_end(&p, 200);
 */
#ifndef QD_WEB_PAGE_H
#define QD_WEB_PAGE_H
#include "base/buf.h"
#include "base/err.h"
#include "web/csrf.h"
#include "web/req.h"

struct page {
	struct req *r;
	struct buf b;
	char csrf[CSRF_HEX + 1]; /* this reader's form token once page_csrf made it ("" before) */
};

/* <!doctype html>, <html lang>, head (title, /static/app.css, /static/app.js deferred), a
 * skip link, the header (site name, the user and their role, the language and 适老化
 * switches, the logout form), then opens <main id="main">.  title is display text. */
void page_begin(struct page *p, struct req *r, const char *title);
/* Closes <main>, writes the footer, answers r with status (takes the buffer). */
void page_end(struct page *p, unsigned status);
/* <input type="hidden" name="csrf" value="…"> for this reader's forms. */
void page_csrf(struct page *p);
/* The error summary (div.error-summary role=alert, tabindex=-1, heading, a link to
 * #f-<field> naming the field in the reader's language) or nothing when err is NULL or clear.
 * The field's name is the message "field.<name>" where the catalogs have one (else the name). */
void page_error_summary(struct page *p, const struct qd_err *err);
/* A refused request as a page: 401 → 303 to /login?next=<path>; others a page with the
 * message in the reader's language and a link to /work. */
void page_fail(struct req *r, const struct qd_err *err);
/* The error's message in the reader's language (err->zh or err->en). */
const char *page_err_text(const struct req *r, const struct qd_err *err);

/* A list page counts its matches up to PAGE_COUNT_CAP (list_filter.count_cap): past it the
 * caption and the pager say "1000+" and the count reads no more rows (docs/benchmarks.md: the
 * inbox over 1,000,000 tasks); the CSV export has every row. */
#define PAGE_COUNT_CAP 1000
/* total as shown: "37", or "1000+" past cap (total > cap > 0); out has room for 24 bytes. */
const char *page_count_text(char out[24], long long total, int cap);

/* next as a safe place to go back to: a local path (starts with one '/', not "//" or "/\",
 * printable ASCII, < 200 bytes), else fallback. */
const char *page_local_next(const char *next, const char *fallback);

/* The URL of an embedded asset with its content hash: "/static/app.css?v=<hash>" (static text;
 * "" for an unknown name). */
const char *page_asset_url(const char *name);
/* GET /static/app.css, /static/app.js: the embedded file, cached for a year under its hashed
 * URL (an ETag; 304 for If-None-Match). */
void page_static(struct req *r);

/* The first pages (web/page_home.c): GET / (the landing page with the login form; logged in →
 * /work), GET and POST /login (POST reuses the API's login: the session cookie and 303 to ?next=
 * or /work; a refusal shows the form again, the name kept, the password never), POST /logout
 * (303 /), GET /lang?to=zh|en&next= and GET /elder?on=1|0&next= (a one-year cookie, 303 back to
 * next). */
void page_home(struct req *r);
void page_login(struct req *r);
void page_login_post(struct req *r);
void page_login_invalid(struct req *r, const struct qd_err *err);
void page_logout(struct req *r);
void page_lang(struct req *r);
void page_elder(struct req *r);

#endif
