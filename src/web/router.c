/* router.c — matching a request to the route table and validating its parameters (the checker
 * itself is core/param.c; a machine's action route takes the action's body spec).  A page route
 * takes a form body (web/form.h) checked by the same spec; the CSRF check (web/req_csrf.c) runs
 * here, once a page's form has given its token. */
#include "web/router.h"
#include "web/form.h"
#include "base/date.h"
#include "base/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Match pattern segments; {id} takes a positive integer, {word} a short [a-z_0-9-] word. */
static int match(const char *pat, const char *path, int64_t *id, char *word, size_t wn)
{
	while (*pat && *path) {
		if (*pat == '{') {
			const char *end = strchr(pat, '}');
			if (!end)
				return 0;
			size_t n = 0;
			while (path[n] && path[n] != '/')
				n++;
			if (n == 0 || n >= wn)
				return 0;
			if (strncmp(pat, "{id}", 4) == 0) {
				int64_t v = 0;
				for (size_t i = 0; i < n; i++) {
					if (path[i] < '0' || path[i] > '9' || v > 100000000000000LL)
						return 0;
					v = v * 10 + (path[i] - '0');
				}
				if (v <= 0)
					return 0;
				*id = v;
			} else {
				for (size_t i = 0; i < n; i++) {
					char c = path[i];
					if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
						return 0;
				}
				memcpy(word, path, n);
				word[n] = 0;
			}
			pat = end + 1;
			path += n;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++, path++;
	}
	return *pat == 0 && *path == 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int router_target_check(const char *uri, struct qd_err *err)
{
	static const char zh[] = "请求路径含有不允许的字符或片段（%00、编码的 / 或 .、..）";
	static const char en[] = "the request path contains a character or segment that is not allowed (%00, an encoded / or ., ..)";
	if (!uri || uri[0] != '/')
		return qd_fail(err, QD_EINVAL, "path", "请求路径须以 / 开头", "the request path must start with /");
	const char *seg = uri;
	for (const char *p = uri;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '/' || c == '?' || c == 0) {
			size_t n = (size_t)(p - seg);
			if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return qd_fail(err, QD_EINVAL, "path", "%s", "%s", zh, en);
			if (c != '/')
				return 0; /* the query is checked, decoded, by router_validate */
			seg = p + 1;
			continue;
		}
		if (c <= 0x20 || c >= 0x7f || c == '\\')
			return qd_fail(err, QD_EINVAL, "path", "%s", "%s", zh, en);
		if (c == '%') {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0)
				return qd_fail(err, QD_EINVAL, "path", "%s", "%s", zh, en);
			int v = hi * 16 + lo;
			if (v <= 0x20 || v >= 0x7f || v == '/' || v == '\\' || v == '.' || v == '%')
				return qd_fail(err, QD_EINVAL, "path", "%s", "%s", zh, en);
			p += 2;
		}
	}
}

const struct route *router_match(struct req *r, const char *method, const char *path, int *path_found)
{
	int n;
	const struct route *t = routes_table(&n);
	*path_found = 0;
	for (int i = 0; i < n; i++) {
		int64_t id = 0;
		char word[40] = "";
		if (!match(t[i].pattern, path, &id, word, sizeof word))
			continue;
		*path_found = 1;
		if (strcmp(t[i].method, method) != 0)
			continue;
		r->path_id = id;
		snprintf(r->path_word, sizeof r->path_word, "%s", word);
		return &t[i];
	}
	return NULL;
}

struct qctx {
	struct req *r;
	const struct param *spec;
	struct qd_err *err;
	int failed;
	json_t *seen;
};

static enum MHD_Result query_one(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				  const char *value, size_t value_size)
{
	struct qctx *q = cls;
	(void)kind;
	if (q->failed)
		return MHD_NO;
	if (strlen(key) != key_size || (value && strlen(value) != value_size)) { /* %00 inside */
		q->failed = 1;
		qd_fail(q->err, QD_EINVAL, key_size && strlen(key) == key_size && utf8_valid(key, key_size) ? key : "query",
			"查询参数含有无效字符", "a query parameter contains invalid characters");
		return MHD_NO;
	}
	const struct param *p = NULL;
	for (int i = 0; q->spec && q->spec[i].name; i++)
		if (strcmp(q->spec[i].name, key) == 0)
			p = &q->spec[i];
	if (!*key) {
		q->failed = 1;
		qd_fail(q->err, QD_EINVAL, "query", "查询参数名不能为空", "a query parameter has no name");
		return MHD_NO;
	}
	if (!p || !utf8_valid(key, strlen(key))) {
		q->failed = 1;
		qd_fail(q->err, QD_EINVAL, utf8_valid(key, strlen(key)) ? key : "query", "未知的查询参数：%s",
			"unknown query parameter: %s", utf8_valid(key, strlen(key)) ? key : "?",
			utf8_valid(key, strlen(key)) ? key : "?");
		return MHD_NO;
	}
	if (json_object_get(q->seen, key)) {
		q->failed = 1;
		param_fail(q->err, "", key, "重复", "is given twice");
		return MHD_NO;
	}
	json_object_set_new(q->seen, key, json_true());
	const char *s = value ? value : "";
	/* An empty field of a page's GET form (a filter left at "all", a blank search box) is no
	 * value: the handler reads it as absent (req_query), so it is not checked against its type. */
	if (!*s && !p->required && q->r && q->r->route && route_is_page(q->r->route) && !strcmp(q->r->route->method, "GET"))
		return MHD_YES;
	json_t *v = NULL;
	switch (p->type) {
	case P_INT:
	case P_ID: {
		char *end;
		long long x = strtoll(s, &end, 10);
		if (*s && !*end && strlen(s) < 19)
			v = json_integer(x);
		else
			v = json_string(""); /* wrong type → reported below */
		break;
	}
	case P_BOOL:
		if (!strcmp(s, "true") || !strcmp(s, "1"))
			v = json_true();
		else if (!strcmp(s, "false") || !strcmp(s, "0"))
			v = json_false();
		else
			v = json_string(s);
		break;
	default:
		v = utf8_valid(s, strlen(s)) ? json_string(s) : NULL;
	}
	if (!v) {
		q->failed = 1;
		param_fail(q->err, "", key, "含有无效字符", "contains invalid characters");
		return MHD_NO;
	}
	if (param_check_value(v, p, "", 0, q->err))
		q->failed = 1;
	json_decref(v);
	return q->failed ? MHD_NO : MHD_YES;
}

static int spec_check(struct req *r, const struct param *spec, unsigned flags, struct qd_err *err);

/* The body spec of the route, and the flags to check it with. */
static int body_spec(struct req *r, const struct param **spec, unsigned *flags, struct qd_err *err)
{
	const struct machine *m = routes_machine(r->route);
	*spec = r->route->body;
	*flags = 0;
	if (!m)
		return 0;
	int a = machine_action_parse(m, r->path_word);
	if (a < 0)
		return qd_fail(err, QD_EINVAL, "action", "未知的%s操作", "unknown %s action", m->zh, m->kind);
	*spec = machine_action_body(m, a);
	*flags = PARAMS_SHAPE_ONLY;
	return 0;
}

/* A page route's body: a form (urlencoded or multipart) typed by spec into r->json, every field
 * as text into r->form, then the CSRF check with the form's token — before the form's own error,
 * so a forged form learns nothing of its fields.  0, or -1 with err. */
static int page_body(struct req *r, const struct param *spec, struct qd_err *err)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	static const char urlenc[] = "application/x-www-form-urlencoded", multi[] = "multipart/form-data";
	struct form f;
	struct qd_err ferr;
	int rc;
	if (ct && strncasecmp(ct, urlenc, sizeof urlenc - 1) == 0 && strchr("; \t", ct[sizeof urlenc - 1]))
		rc = form_parse_urlencoded(r->body.p, r->body.len, spec, &f, &ferr);
	else if (ct && strncasecmp(ct, multi, sizeof multi - 1) == 0)
		rc = form_parse_multipart(ct, r->body.p, r->body.len, spec, &f, &ferr);
	else
		return req_csrf_check(r, NULL, err) ? -1
		       : qd_fail(err, QD_EINVAL, "Content-Type",
				 "页面表单须为 application/x-www-form-urlencoded 或 multipart/form-data",
				 "a page's form must be application/x-www-form-urlencoded or multipart/form-data");
	json_decref(r->form);
	r->form = f.text;
	f.text = NULL;
	r->json = f.json;
	f.json = NULL;
	if (req_csrf_check(r, f.csrf, err))
		rc = -1;
	else if (rc)
		*err = ferr;
	form_free(&f);
	return rc;
}

int router_validate(struct req *r, struct qd_err *err)
{
	struct qctx q = {r, r->route->query, err, 0, json_object()};
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_one, &q);
	json_decref(q.seen);
	if (q.failed)
		return -1;
	const struct param *spec;
	unsigned flags;
	if (body_spec(r, &spec, &flags, err))
		return -1;
	if (route_is_page(r->route) && r->body.len) {
		if (page_body(r, spec, err))
			return -1;
		return spec_check(r, spec, flags, err);
	}
	if (req_csrf_check(r, NULL, err)) /* a page without a body, an API call with a cookie */
		return -1;
	if (!spec) {
		size_t i = 0; /* an empty body, or an empty object, is no body */
		while (i < r->body.len && strchr(" \t\r\n", r->body.p[i]))
			i++;
		if (i < r->body.len && r->body.p[i] == '{') {
			i++;
			while (i < r->body.len && strchr(" \t\r\n", r->body.p[i]))
				i++;
			if (i < r->body.len && r->body.p[i] == '}')
				i = r->body.len;
		}
		if (i < r->body.len)
			return qd_fail(err, QD_EINVAL, "body", "此接口不接受请求体", "this endpoint takes no body");
		return 0;
	}
	if (r->body.len == 0) { /* no body: an empty object, then required fields are reported */
		r->json = json_object();
		return params_check(r->json, spec, "", flags, err);
	}
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return qd_fail(err, QD_EINVAL, "Content-Type", "请求体须为 JSON（Content-Type: application/json）",
			       "the body must be JSON (Content-Type: application/json)");
	if (!utf8_valid(r->body.p ? r->body.p : "", r->body.len))
		return qd_fail(err, QD_EINVAL, "body", "请求体不是有效的 UTF-8", "the body is not valid UTF-8");
	json_error_t je;
	r->json = json_loadb(r->body.p ? r->body.p : "", r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!r->json)
		return qd_fail(err, QD_EINVAL, "body", "JSON 格式错误（第%d行第%d列）：%s",
			       "malformed JSON (line %d, column %d): %s", je.line, je.column, je.text, je.line,
			       je.column, je.text);
	if (!json_is_object(r->json))
		return qd_fail(err, QD_EINVAL, "body", "请求体须为 JSON 对象", "the body must be a JSON object");
	return spec_check(r, spec, flags, err);
}

/* r->json (an object) against the body spec; on a machine's action route an unknown field names
 * the action that does not take it. */
static int spec_check(struct req *r, const struct param *spec, unsigned flags, struct qd_err *err)
{
	if (params_check(r->json, spec, "", flags, err) == 0)
		return 0;
	const struct machine *m = routes_machine(r->route);
	if (m && json_object_get(r->json, err->field) && !param_find(spec, err->field)) { /* say which action */
		int a = machine_action_parse(m, r->path_word);
		char field[sizeof err->field];
		snprintf(field, sizeof field, "%s", err->field);
		qd_fail(err, QD_EINVAL, field, "“%s”操作不接受字段 %s", "action '%s' does not take field %s",
			machine_action_zh(m, a), field, machine_action_name(m, a), field);
	}
	return -1;
}

int route_is_page(const struct route *rt)
{
	return strncmp(rt->pattern, "/api/", 5) != 0;
}
