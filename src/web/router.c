/* router.c — matching a request to the route table and validating its parameters. */
#include "web/router.h"
#include "base/date.h"
#include "base/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int bad(struct qd_err *err, const char *prefix, const char *name, const char *zh, const char *en)
{
	char field[64];
	snprintf(field, sizeof field, "%s%s", prefix, name);
	return qd_fail(err, QD_EINVAL, field, "%s：%s", "%s: %s", field, zh, field, en);
}

static int text_ok(const char *s, size_t len, int multiline)
{
	if (!utf8_valid(s, len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
			return 0;
		if (c == 0x7f)
			return 0;
	}
	return 1;
}

static int check_value(json_t *v, const struct param *p, const char *prefix, struct qd_err *err)
{
	char lim[96];
	switch (p->type) {
	case P_STR:
	case P_TEXT: {
		if (!json_is_string(v))
			return bad(err, prefix, p->name, "应为字符串", "must be a string");
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		if (!text_ok(s, len, p->type == P_TEXT))
			return bad(err, prefix, p->name, "含有无效字符", "contains invalid characters");
		size_t blank = 0;
		while (blank < len && strchr(" \t\r\n", s[blank]))
			blank++;
		if (p->required && blank == len)
			return bad(err, prefix, p->name, "不能为空", "must not be empty");
		if ((int64_t)utf8_count(s) > p->max) {
			char zh[64];
			snprintf(zh, sizeof zh, "不能超过%lld个字", (long long)p->max);
			snprintf(lim, sizeof lim, "must be at most %lld characters", (long long)p->max);
			return bad(err, prefix, p->name, zh, lim);
		}
		return 0;
	}
	case P_INT:
	case P_ID: {
		if (!json_is_integer(v))
			return bad(err, prefix, p->name, "应为整数", "must be an integer");
		int64_t x = json_integer_value(v);
		int64_t lo = p->type == P_ID ? 1 : p->min, hi = p->type == P_ID ? INT64_MAX : p->max;
		if (x < lo || x > hi) {
			char zh[64];
			snprintf(zh, sizeof zh, "超出范围（%lld–%lld）", (long long)lo, (long long)hi);
			snprintf(lim, sizeof lim, "out of range (%lld to %lld)", (long long)lo, (long long)hi);
			return bad(err, prefix, p->name, zh, lim);
		}
		return 0;
	}
	case P_BOOL:
		if (!json_is_boolean(v))
			return bad(err, prefix, p->name, "应为 true 或 false", "must be true or false");
		return 0;
	case P_ENUM: {
		if (!json_is_string(v))
			return bad(err, prefix, p->name, "应为字符串", "must be a string");
		for (int i = 0; p->enums[i]; i++)
			if (strcmp(p->enums[i], json_string_value(v)) == 0)
				return 0;
		return bad(err, prefix, p->name, "取值无效", "is not one of the allowed values");
	}
	case P_DATE: {
		int32_t d;
		if (!json_is_string(v) || date_parse(json_string_value(v), &d))
			return bad(err, prefix, p->name, "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD");
		return 0;
	}
	case P_IDS: {
		if (!json_is_array(v) || json_array_size(v) == 0 || (int64_t)json_array_size(v) > p->max)
			return bad(err, prefix, p->name, "应为非空的编号数组", "must be a non-empty array of ids");
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			if (!json_is_integer(e) || json_integer_value(e) < 1)
				return bad(err, prefix, p->name, "应为正整数编号", "must hold positive integer ids");
			for (size_t j = 0; j < i; j++)
				if (json_integer_value(json_array_get(v, j)) == json_integer_value(e))
					return bad(err, prefix, p->name, "编号重复", "holds a duplicate id");
		}
		return 0;
	}
	case P_OBJ: {
		if (!json_is_object(v))
			return bad(err, prefix, p->name, "应为对象", "must be an object");
		char sub[64];
		snprintf(sub, sizeof sub, "%s%s.", prefix, p->name);
		return params_check_json(v, p->sub, sub, err);
	}
	}
	return 0;
}

int params_check_json(json_t *obj, const struct param *spec, const char *prefix, struct qd_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const struct param *p = NULL;
		for (int i = 0; spec && spec[i].name; i++)
			if (strcmp(spec[i].name, key) == 0)
				p = &spec[i];
		if (!*key)
			return qd_fail(err, QD_EINVAL, "body", "字段名不能为空", "a field name must not be empty");
		if (!p) {
			char field[64];
			snprintf(field, sizeof field, "%s%s", prefix, key);
			return qd_fail(err, QD_EINVAL, field, "未知字段：%s", "unknown field: %s", field, field);
		}
		if (json_is_null(v) && !p->required)
			continue;
		if (check_value(v, p, prefix, err))
			return -1;
	}
	for (int i = 0; spec && spec[i].name; i++) {
		json_t *x = json_object_get(obj, spec[i].name);
		if (spec[i].required && (!x || json_is_null(x)))
			return bad(err, prefix, spec[i].name, "必填", "is required");
	}
	return 0;
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
		qd_fail(q->err, QD_EINVAL, strlen(key) == key_size && utf8_valid(key, key_size) ? key : "query",
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
		bad(q->err, "", key, "重复", "is given twice");
		return MHD_NO;
	}
	json_object_set_new(q->seen, key, json_true());
	const char *s = value ? value : "";
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
		bad(q->err, "", key, "含有无效字符", "contains invalid characters");
		return MHD_NO;
	}
	if (check_value(v, p, "", q->err))
		q->failed = 1;
	json_decref(v);
	return q->failed ? MHD_NO : MHD_YES;
}

int router_validate(struct req *r, struct qd_err *err)
{
	struct qctx q = {r, r->route->query, err, 0, json_object()};
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_one, &q);
	json_decref(q.seen);
	if (q.failed)
		return -1;
	if (!r->route->body) {
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
		return params_check_json(r->json, r->route->body, "", err);
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
	return params_check_json(r->json, r->route->body, "", err);
}
