/* page_home.c — the first pages: the landing page with the login form (/), the login page and
 * its POST (reusing the API's login, web/auth.c, through r->answer_hook), logout, and the two
 * sticky switches: the language (/lang) and 适老化 mode (/elder), each a one-year cookie. */
#include "base/mem.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/server.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One field of the login form: label, the error beside it when err names it, the input. */
static void login_field(struct page *p, const char *name, const char *type, const char *autocomplete,
                        const char *label_key, const char *value, const struct qd_err *err)
{
	struct req *r = p->r;
	int bad = err && err->code != QD_OK && !strcmp(err->field, name);
	html_printf(&p->b, "<div class=\"field%h\"><label for=\"f-%a\">%h</label>",
	            bad ? " field-invalid" : "", name, tr(r, label_key));
	if (bad)
		html_printf(&p->b, "<p class=\"field-error\" id=\"f-%a-error\">%h</p>", name,
		            page_err_text(r, err));
	html_printf(&p->b, "<input id=\"f-%a\" name=\"%a\" type=\"%a\" autocomplete=\"%a\"", name, name, type,
	            autocomplete);
	if (!strcmp(name, "username"))
		html_printf(&p->b, " autocapitalize=\"none\" spellcheck=\"false\" maxlength=\"32\"");
	if (!strcmp(name, "totp"))
		html_printf(&p->b, " inputmode=\"numeric\" maxlength=\"8\"");
	if (value)
		html_printf(&p->b, " value=\"%a\"", value);
	if (bad)
		html_printf(&p->b, " aria-invalid=\"true\" aria-describedby=\"f-%a-error\"", name);
	html_printf(&p->b, "></div>");
}

/* The login form: the name kept, the password never echoed; the one-time code's field when the
 * user has one (the refusal named it, or one was sent). */
static void login_form(struct page *p, const char *username, const char *next, int totp,
                       const struct qd_err *err)
{
	struct req *r = p->r;
	html_printf(&p->b, "<form method=\"post\" action=\"/login\" class=\"form login\" novalidate>");
	page_csrf(p);
	if (next)
		html_printf(&p->b, "<input type=\"hidden\" name=\"next\" value=\"%a\">", next);
	login_field(p, "username", "text", "username", "field.username", username, err);
	login_field(p, "password", "password", "current-password", "field.password", NULL, err);
	if (totp)
		login_field(p, "totp", "text", "one-time-code", "field.totp", NULL, err);
	html_printf(&p->b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></form>",
	            tr(r, "home.login"));
}

/* The form's next: a local path only (page_local_next), else none. */
static const char *form_next(struct req *r, const char *next)
{
	(void)r;
	return page_local_next(next, NULL);
}

static void login_page(struct req *r, unsigned status, const char *username, const char *next, int totp,
                       const struct qd_err *err)
{
	struct page p;
	page_begin(&p, r, tr(r, "home.login_title"));
	page_error_summary(&p, err);
	html_printf(&p.b, "<h1>%h</h1>", tr(r, "home.login_title"));
	login_form(&p, username, form_next(r, next), totp, err);
	page_end(&p, status);
}

void page_home(struct req *r)
{
	if (r->user_id) {
		req_redirect(r, "/work");
		return;
	}
	struct page p;
	page_begin(&p, r, tr(r, "home.title"));
	html_printf(&p.b, "<div class=\"intro\"><h1>%h</h1><p class=\"lead\">%h</p><p>%h</p></div>",
	            tr(r, "home.title"), tr(r, "home.what"), tr(r, "home.who"));
	html_printf(&p.b, "<section class=\"card\" aria-labelledby=\"login-h\"><h2 id=\"login-h\">%h</h2>",
	            tr(r, "home.login_title"));
	login_form(&p, NULL, NULL, 0, NULL);
	html_printf(&p.b, "</section>");
	page_end(&p, 200);
}

void page_login(struct req *r)
{
	const char *next = page_local_next(req_query(r, "next"), NULL);
	if (r->user_id) {
		req_redirect(r, next ? next : "/work");
		return;
	}
	login_page(r, 200, NULL, next, 0, NULL);
}

/* The API login's answer, made a page's: the session cookie is set (r->cookie) — 303 to next; a
 * refusal shows the form again with its summary (a back-off's 429 with its wait). */
static void login_answer(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	json_decref(out);
	const char *next = page_local_next(req_str(r, "next"), NULL);
	if (!err && status < 300) {
		req_redirect(r, next ? next : "/work");
		return;
	}
	int totp = req_str(r, "totp") != NULL || (err && !strcmp(err->field, "totp"));
	login_page(r, status, req_str(r, "username"), next, totp, err);
}

void page_login_post(struct req *r)
{
	r->answer_hook = login_answer;
	api_login(r);
}

void page_login_invalid(struct req *r, const struct qd_err *err)
{
	const char *username = r->form ? json_string_value(json_object_get(r->form, "username")) : NULL;
	const char *next = r->form ? json_string_value(json_object_get(r->form, "next")) : NULL;
	int totp = (r->form && json_object_get(r->form, "totp")) || !strcmp(err->field, "totp");
	login_page(r, http_status(err->code), username, next, totp, err);
}

static void logout_answer(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	json_decref(out);
	if (err) {
		page_fail(r, err);
		return;
	}
	(void)status;
	req_redirect(r, "/");
}

void page_logout(struct req *r)
{
	if (!r->user_id || strcmp(r->auth_kind, "session") != 0) { /* nothing to end: back to the start */
		req_redirect(r, "/");
		return;
	}
	r->answer_hook = logout_answer;
	api_logout(r);
}

/* Set a one-year preference cookie and go back to next (a local path) or /. */
static void set_pref(struct req *r, const char *name, const char *value)
{
	char cookie[96];
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; Max-Age=31536000; SameSite=Lax%s", name, value,
	         server_options(r->srv)->secure_cookie ? "; Secure" : "");
	req_add_cookie(r, cookie);
	req_redirect(r, page_local_next(req_query(r, "next"), "/"));
}

void page_lang(struct req *r)
{
	int to = lang_parse(req_query(r, "to")); /* the route's spec: one of lang_names */
	set_pref(r, "qd_lang", lang_names[to == LANG_EN ? LANG_EN : LANG_ZH]);
}

void page_elder(struct req *r)
{
	const char *on = req_query(r, "on"); /* 1/0 or true/false: the route's spec (a boolean) */
	set_pref(r, "qd_elder", on && (!strcmp(on, "1") || !strcmp(on, "true")) ? "1" : "0");
}
