/* req_csrf.c — the dispatcher's input side of issue 10: the request's cookies read through the
 * strict parser (web/cookie.h) and the CSRF check of every state-changing route reached with a
 * cookie, and req_csrf, the token a page puts in its forms (web/req.h).  The tokens themselves
 * are web/csrf.c's. */
#include "web/cookie.h"
#include "web/csrf.h"
#include "web/req.h"
#include "web/router.h"
#include "web/server.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct cookie_scan {
	int n;
	const char *value;
};

static enum MHD_Result count_cookie(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct cookie_scan *c = cls;
	(void)kind;
	if (key && strcasecmp(key, "Cookie") == 0) {
		c->n++;
		c->value = value ? value : "";
	}
	return MHD_YES;
}

static int bad_cookie(struct qd_err *err, const char *name)
{
	return qd_fail(
	    err, QD_EINVAL, "Cookie",
	    "Cookie 请求头格式错误（RFC 6265）、%s 出现两次或其值过长：请清除本站的 Cookie 后重试",
	    "the Cookie header is malformed (RFC 6265), names %s twice or its value is too long: clear this "
	    "site's cookies and try again",
	    name, name);
}

int req_cookies(struct req *r, struct qd_err *err)
{
	struct cookie_scan c = {0, NULL};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_cookie, &c);
	if (c.n == 0)
		return 0;
	if (c.n > 1) /* RFC 6265 §5.4: a user agent sends one */
		return qd_fail(err, QD_EINVAL, "Cookie", "请求含有多个 Cookie 请求头",
		               "the request has more than one Cookie header");
	char lang[8], elder[8];
	if (cookie_get(c.value, "qd_session", r->cookie_session, sizeof r->cookie_session) == -2)
		return bad_cookie(err, "qd_session");
	if (cookie_get(c.value, "qd_pre", r->cookie_pre, sizeof r->cookie_pre) == -2)
		return bad_cookie(err, "qd_pre");
	int rl = cookie_get(c.value, "qd_lang", lang, sizeof lang);
	if (rl == -2)
		return bad_cookie(err, "qd_lang");
	int re = cookie_get(c.value, "qd_elder", elder, sizeof elder);
	if (re == -2)
		return bad_cookie(err, "qd_elder");
	r->lang = rl == 0 && strcmp(lang, "en") == 0;
	r->elder = re == 0 && strcmp(elder, "1") == 0;
	return 0;
}

const char *req_csrf(struct req *r)
{
	if (r->csrf[0])
		return r->csrf;
	if (r->user_id && r->credential) {
		csrf_token(server_csrf_key(r->srv), CSRF_SESSION, r->credential, r->csrf);
		return r->csrf;
	}
	if (!r->cookie_pre[0]) {
		char set[96];
		csrf_new_pre(r->cookie_pre);
		snprintf(set, sizeof set, "qd_pre=%s; Path=/; HttpOnly; SameSite=Lax%s", r->cookie_pre,
		         server_options(r->srv)->secure_cookie ? "; Secure" : "");
		req_add_cookie(r, set);
	}
	csrf_token(server_csrf_key(r->srv), CSRF_PRE, r->cookie_pre, r->csrf);
	return r->csrf;
}

int req_csrf_check(struct req *r, const char *form_token, struct qd_err *err)
{
	if (strcmp(r->route->method, "GET") == 0)
		return 0;
	int page = route_is_page(r->route);
	if (!page && !r->by_cookie)
		return 0; /* the JSON API without a cookie: a bearer token, or nobody */
	const char *token =
	    form_token ? form_token : MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	const unsigned char *key = server_csrf_key(r->srv);
	int ok = r->user_id && r->credential ? csrf_ok(key, CSRF_SESSION, r->credential, token)
	                                     : csrf_ok(key, CSRF_PRE, r->cookie_pre, token);
	if (ok)
		return 0;
	return qd_fail(
	    err, QD_EPERM, "csrf",
	    "表单令牌（CSRF）缺失或不符：请求可能来自其他网站，或页面已过期。请重新打开页面后再提交",
	    "the form's token (CSRF) is missing or wrong: the request may come from another site, or the "
	    "page "
	    "is out of date — open the page again and resubmit");
}
