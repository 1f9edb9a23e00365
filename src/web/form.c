/* form.c — form bodies into spec-typed JSON (web/form.h): urlencoded decoding, the fields'
 * bounds and the typing by a route's parameter spec; multipart bodies come through
 * web/multipart.c's parts.  Two steps: every field is read (decoded, bounded, kept as text and
 * as raw values), then typed by the spec — so a typing error still leaves the whole form's text
 * and its csrf for the dispatcher (it checks the token before it reports the field). */
#include "web/form.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "web/multipart.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct fstate {
	struct form *f;
	json_t *raw; /* name → array of the values submitted (strings) */
	int nfields;
};

static int name_ok(const char *s, size_t n)
{
	if (n < 1 || n > FORM_MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* One submitted field (name already checked by the caller for urlencoded, here for both). */
static int add_field(struct fstate *st, const char *name, size_t nlen, const char *v, size_t vlen,
                     struct qd_err *err)
{
	if (++st->nfields > FORM_MAX_FIELDS)
		return qd_fail(err, QD_EINVAL, "body", "表单字段过多（最多%d个）",
		               "the form has too many fields (at most %d)", FORM_MAX_FIELDS, FORM_MAX_FIELDS);
	if (!name_ok(name, nlen))
		return qd_fail(err, QD_EINVAL, "body", "表单字段名须为1到%d个字母、数字或 _ . -",
		               "a form field's name must be 1 to %d letters, digits, _ . or -", FORM_MAX_NAME,
		               FORM_MAX_NAME);
	char key[FORM_MAX_NAME + 1];
	memcpy(key, name, nlen);
	key[nlen] = 0;
	if (vlen > FORM_MAX_VALUE)
		return param_fail(err, "", key, "过长（最多65536字节）", "is too long (at most 65536 bytes)");
	if (memchr(v, 0, vlen))
		return param_fail(err, "", key, "含有空字符", "contains a NUL byte");
	if (!utf8_valid(v, vlen))
		return param_fail(err, "", key, "不是有效的 UTF-8", "is not valid UTF-8");
	if (strcmp(key, "csrf") == 0) {
		if (st->f->csrf)
			return qd_fail(err, QD_EINVAL, "csrf", "表单令牌重复",
			               "the form's csrf token is given twice");
		st->f->csrf = xstrndup(v, vlen);
		return 0;
	}
	json_t *old = json_object_get(st->f->text, key);
	if (old) { /* repeated: the text joined with "," (a list of ids reads back as its comma form) */
		size_t on = json_string_length(old);
		char *j = xmalloc(on + 1 + vlen + 1);
		memcpy(j, json_string_value(old), on);
		j[on] = ',';
		memcpy(j + on + 1, v, vlen);
		j[on + 1 + vlen] = 0;
		json_object_set_new(st->f->text, key, json_stringn(j, on + 1 + vlen));
		free(j);
	} else {
		json_object_set_new(st->f->text, key, json_stringn(v, vlen));
	}
	json_t *a = json_object_get(st->raw, key);
	if (!a) {
		a = json_array();
		json_object_set_new(st->raw, key, a);
	}
	json_array_append_new(a, json_stringn(v, vlen));
	return 0;
}

/* --- typing by the spec ---------------------------------------------------------------------- */

static int digits(const char *s, int sign_ok)
{
	if (sign_ok && *s == '-')
		s++;
	size_t n = strspn(s, "0123456789");
	return n >= 1 && n <= 18 && s[n] == 0;
}

static int type_field(json_t *obj, const struct param *spec, const char *prefix, const char *name,
                      json_t *vals, struct qd_err *err)
{
	const char *dot = strchr(name, '.');
	if (dot) {
		char top[FORM_MAX_NAME + 1];
		snprintf(top, sizeof top, "%.*s", (int)(dot - name), name);
		const struct param *p = param_find(spec, top);
		if (p && p->type == P_OBJ) {
			json_t *sub = json_object_get(obj, top);
			if (!json_is_object(sub)) {
				sub = json_object();
				json_object_set_new(obj, top, sub);
			}
			char pre[2 * FORM_MAX_NAME + 2];
			snprintf(pre, sizeof pre, "%s%s.", prefix, top);
			return type_field(sub, p->sub, pre, dot + 1, vals, err);
		}
	}
	const struct param *p = dot ? NULL : param_find(spec, name);
	if (!p) { /* unknown: the spec check refuses it by its name */
		json_object_set(obj, name, json_array_get(vals, 0));
		return 0;
	}
	size_t n = json_array_size(vals), given = 0;
	for (size_t i = 0; i < n; i++)
		given += json_string_length(json_array_get(vals, i)) > 0;
	if (!given)
		return 0; /* an empty value is no value */
	if (n > 1 && p->type != P_IDS)
		return param_fail(err, prefix, name, "重复", "is given twice");
	const char *s = json_string_value(json_array_get(vals, 0));
	switch (p->type) {
	case P_STR:
	case P_TEXT:
	case P_ENUM:
	case P_DATE: json_object_set(obj, name, json_array_get(vals, 0)); return 0;
	case P_INT:
	case P_ID:
		if (!digits(s, 1))
			return param_fail(err, prefix, name, "应为整数", "must be an integer");
		json_object_set_new(obj, name, json_integer(strtoll(s, NULL, 10)));
		return 0;
	case P_BOOL:
		if (!strcmp(s, "on") || !strcmp(s, "1") || !strcmp(s, "true"))
			json_object_set_new(obj, name, json_true());
		else if (!strcmp(s, "0") || !strcmp(s, "false"))
			json_object_set_new(obj, name, json_false());
		else
			return param_fail(err, prefix, name, "应为 on、1、true、0 或 false",
			                  "must be on, 1, true, 0 or false");
		return 0;
	case P_IDS: {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			const char *v = json_string_value(json_array_get(vals, i));
			if (!*v)
				continue;
			char *copy = xstrdup(v), *save = NULL;
			int bad = copy[strlen(copy) - 1] == ',' || copy[0] == ',' || strstr(copy, ",,");
			for (char *t = strtok_r(copy, ",", &save); t && !bad;
			     t = strtok_r(NULL, ",", &save)) {
				if (!digits(t, 0))
					bad = 1;
				else
					json_array_append_new(a, json_integer(strtoll(t, NULL, 10)));
			}
			free(copy);
			if (bad) {
				json_decref(a);
				return param_fail(err, prefix, name, "应为正整数编号（以逗号分隔）",
				                  "must hold positive integer ids (separated by commas)");
			}
		}
		json_object_set_new(obj, name, a);
		return 0;
	}
	case P_OBJ:
		return param_fail(err, prefix, name, "须以“字段名.成员”的形式提交",
		                  "must be sent as name.member fields");
	}
	return 0;
}

static int finish(struct fstate *st, const struct param *spec, int rc, struct qd_err *err)
{
	if (rc == 0) {
		json_t *obj = json_object();
		const char *k;
		json_t *vals;
		json_object_foreach(st->raw, k, vals)
		{
			if (type_field(obj, spec, "", k, vals, err)) {
				rc = -1;
				break;
			}
		}
		if (rc == 0)
			st->f->json = obj;
		else
			json_decref(obj);
	}
	json_decref(st->raw);
	return rc;
}

static void start(struct fstate *st, struct form *f)
{
	memset(f, 0, sizeof *f);
	f->text = json_object();
	st->f = f;
	st->raw = json_object();
	st->nfields = 0;
}

/* --- application/x-www-form-urlencoded ------------------------------------------------------- */

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Decode [s, s+n) into out (n + 1 bytes); its length into *on.  -1 on a bad %XX or a raw byte
 * outside printable ASCII (a browser encodes every other byte). */
static int decode(const char *s, size_t n, char *out, size_t *on)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '+') {
			out[o++] = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = hi < 0 ? -1 : hexval(s[i + 2]);
			if (lo < 0)
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c > 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			return -1;
		}
	}
	out[o] = 0;
	*on = o;
	return 0;
}

int form_parse_urlencoded(const char *body, size_t len, const struct param *spec, struct form *f,
                          struct qd_err *err)
{
	struct fstate st;
	start(&st, f);
	int rc = 0;
	const char *p = body, *end = body + len;
	char *buf = xmalloc(len + 1);
	while (len && rc == 0) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *seg_end = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(seg_end - p));
		size_t nn, vn;
		if (seg_end == p)
			rc = qd_fail(err, QD_EINVAL, "body", "表单中有空字段（&&）",
			             "the form has an empty field (&&)");
		else if (!eq)
			rc = qd_fail(err, QD_EINVAL, "body", "表单字段缺少“=”", "a form field has no '='");
		else if (decode(p, (size_t)(eq - p), buf, &nn) || !name_ok(buf, nn))
			rc = qd_fail(err, QD_EINVAL, "body", "表单字段名须为1到%d个字母、数字或 _ . -",
			             "a form field's name must be 1 to %d letters, digits, _ . or -",
			             FORM_MAX_NAME, FORM_MAX_NAME);
		else {
			char name[FORM_MAX_NAME + 1];
			memcpy(name, buf, nn + 1);
			if (decode(eq + 1, (size_t)(seg_end - eq - 1), buf, &vn))
				rc = param_fail(
				    err, "", name, "编码错误（%XX 无效或含有未编码的字符）",
				    "is badly encoded (a bad %XX or a byte that should be encoded)");
			else
				rc = add_field(&st, name, nn, buf, vn, err);
		}
		if (!amp)
			break;
		p = amp + 1;
		if (p == end && rc == 0)
			rc = qd_fail(err, QD_EINVAL, "body", "表单以“&”结尾", "the form ends with '&'");
	}
	free(buf);
	return finish(&st, spec, rc, err);
}

/* --- multipart/form-data --------------------------------------------------------------------- */

static int on_part(void *ctx, const struct mp_part *part, struct qd_err *err)
{
	struct fstate *st = ctx;
	size_t nn = strlen(part->name);
	const char *field = name_ok(part->name, nn) ? part->name : "body";
	if (part->filename) {
		if (!*part->filename && part->len == 0)
			return 0; /* a file input with nothing chosen */
		return qd_fail(err, QD_EINVAL, field, "此表单不接受文件", "this form takes no files");
	}
	if (part->ctype && strncasecmp(part->ctype, "text/plain", 10) != 0)
		return qd_fail(err, QD_EINVAL, field, "表单字段须为文本（text/plain）",
		               "a form field must be text (text/plain)");
	return add_field(st, part->name, nn, part->data, part->len, err);
}

int form_parse_multipart(const char *content_type, const char *body, size_t len, const struct param *spec,
                         struct form *f, struct qd_err *err)
{
	struct fstate st;
	start(&st, f);
	int rc = multipart_parse(content_type, body, len, on_part, &st, err);
	return finish(&st, spec, rc, err);
}

void form_free(struct form *f)
{
	json_decref(f->json);
	json_decref(f->text);
	free(f->csrf);
	memset(f, 0, sizeof *f);
}
