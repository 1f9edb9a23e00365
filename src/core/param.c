/* param.c — checking a JSON object against a parameter spec (core/param.h): the one checker of
 * route queries and bodies and of machine actions' bodies, and typed reads of a checked body. */
#include "core/param.h"
#include "core/field.h"
#include "base/date.h"
#include "base/utf8.h"
#include <stdio.h>
#include <string.h>

int param_fail(struct qd_err *err, const char *prefix, const char *name, const char *zh, const char *en)
{
	char field[64];
	snprintf(field, sizeof field, "%s%s", prefix, name);
	const char *label = field_zh(field);
	return qd_fail(err, QD_EINVAL, field, "%s：%s", "%s: %s", label ? label : field, zh, field, en);
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

int param_check_value(json_t *v, const struct param *p, const char *prefix, unsigned flags, struct qd_err *err)
{
	char lim[96];
	switch (p->type) {
	case P_STR:
	case P_TEXT: {
		if (!json_is_string(v))
			return param_fail(err, prefix, p->name, "应为字符串", "must be a string");
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		if (!text_ok(s, len, p->type == P_TEXT))
			return param_fail(err, prefix, p->name, "含有无效字符", "contains invalid characters");
		size_t blank = 0;
		while (blank < len && strchr(" \t\r\n", s[blank]))
			blank++;
		if (p->required && blank == len && !(flags & PARAMS_SHAPE_ONLY))
			return param_fail(err, prefix, p->name, "不能为空", "must not be empty");
		if ((int64_t)utf8_count(s) > p->max) {
			char zh[64];
			snprintf(zh, sizeof zh, "不能超过%lld个字", (long long)p->max);
			snprintf(lim, sizeof lim, "must be at most %lld characters", (long long)p->max);
			return param_fail(err, prefix, p->name, zh, lim);
		}
		return 0;
	}
	case P_INT:
	case P_ID: {
		if (!json_is_integer(v))
			return param_fail(err, prefix, p->name, "应为整数", "must be an integer");
		int64_t x = json_integer_value(v);
		int64_t lo = p->type == P_ID ? 1 : p->min, hi = p->type == P_ID ? INT64_MAX : p->max;
		if (x < lo || x > hi) {
			char zh[64];
			snprintf(zh, sizeof zh, "超出范围（%lld–%lld）", (long long)lo, (long long)hi);
			snprintf(lim, sizeof lim, "out of range (%lld to %lld)", (long long)lo, (long long)hi);
			return param_fail(err, prefix, p->name, zh, lim);
		}
		return 0;
	}
	case P_BOOL:
		if (!json_is_boolean(v))
			return param_fail(err, prefix, p->name, "应为 true 或 false", "must be true or false");
		return 0;
	case P_ENUM: {
		if (!json_is_string(v))
			return param_fail(err, prefix, p->name, "应为字符串", "must be a string");
		for (int i = 0; p->enums[i]; i++)
			if (strcmp(p->enums[i], json_string_value(v)) == 0)
				return 0;
		return param_fail(err, prefix, p->name, "取值无效", "is not one of the allowed values");
	}
	case P_DATE: {
		int32_t d;
		if (!json_is_string(v) || date_parse(json_string_value(v), &d))
			return param_fail(err, prefix, p->name, "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD");
		return 0;
	}
	case P_IDS: {
		if (!json_is_array(v) || json_array_size(v) == 0 || (int64_t)json_array_size(v) > p->max)
			return param_fail(err, prefix, p->name, "应为非空的编号数组", "must be a non-empty array of ids");
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			if (!json_is_integer(e) || json_integer_value(e) < 1)
				return param_fail(err, prefix, p->name, "应为正整数编号", "must hold positive integer ids");
			for (size_t j = 0; j < i; j++)
				if (json_integer_value(json_array_get(v, j)) == json_integer_value(e))
					return param_fail(err, prefix, p->name, "编号重复", "holds a duplicate id");
		}
		return 0;
	}
	case P_OBJ: {
		if (!json_is_object(v))
			return param_fail(err, prefix, p->name, "应为对象", "must be an object");
		char sub[64];
		snprintf(sub, sizeof sub, "%s%s.", prefix, p->name);
		return params_check(v, p->sub, sub, flags, err);
	}
	}
	return 0;
}

int params_check(json_t *obj, const struct param *spec, const char *prefix, unsigned flags, struct qd_err *err)
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
		if (param_check_value(v, p, prefix, flags, err))
			return -1;
	}
	if (flags & PARAMS_SHAPE_ONLY)
		return 0;
	for (int i = 0; spec && spec[i].name; i++) {
		json_t *x = json_object_get(obj, spec[i].name);
		if (spec[i].required && (!x || json_is_null(x)))
			return param_fail(err, prefix, spec[i].name, "必填", "is required");
	}
	return 0;
}

int params_check_json(json_t *obj, const struct param *spec, const char *prefix, struct qd_err *err)
{
	return params_check(obj, spec, prefix, 0, err);
}

const struct param *param_find(const struct param *spec, const char *name)
{
	for (int i = 0; spec && spec[i].name; i++)
		if (strcmp(spec[i].name, name) == 0)
			return &spec[i];
	return NULL;
}

static json_t *get(const json_t *body, const char *name)
{
	json_t *v = body ? json_object_get(body, name) : NULL;
	return v && !json_is_null(v) ? v : NULL;
}

int param_given(const json_t *body, const char *name)
{
	return get(body, name) != NULL;
}

const char *param_str(const json_t *body, const char *name)
{
	return json_string_value(get(body, name));
}

int64_t param_int(const json_t *body, const char *name, int64_t dflt)
{
	json_t *v = get(body, name);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

int param_bool(const json_t *body, const char *name, int dflt)
{
	json_t *v = get(body, name);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int param_enum(const json_t *body, const char *name, const char *const *names, int dflt)
{
	const char *s = param_str(body, name);
	for (int i = 0; s && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return dflt;
}
