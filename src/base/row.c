/* row.c — typed access to a struct row, and the row over a JSON object (see base/row.h). */
#include "base/row.h"
#include <string.h>

int row_has(const struct row *r, const char *col)
{
	return r->ops->find(r->impl, col) >= 0;
}

int row_is_null(const struct row *r, const char *col)
{
	int i = r->ops->find(r->impl, col);
	return i < 0 || r->ops->type(r->impl, i) == ROW_NULL;
}

int64_t row_int(const struct row *r, const char *col, int64_t def)
{
	int i = r->ops->find(r->impl, col);
	if (i < 0)
		return def;
	enum row_type t = r->ops->type(r->impl, i);
	return t == ROW_INT ? r->ops->integer(r->impl, i) : t == ROW_REAL ? (int64_t)r->ops->real(r->impl, i) : def;
}

const char *row_text(const struct row *r, const char *col)
{
	int i = r->ops->find(r->impl, col);
	return i >= 0 && r->ops->type(r->impl, i) == ROW_TEXT ? r->ops->text(r->impl, i) : NULL;
}

json_t *row_json(const struct row *r, const char *col)
{
	int i = r->ops->find(r->impl, col);
	return i >= 0 && r->ops->type(r->impl, i) == ROW_JSON ? r->ops->json(r->impl, i) : NULL;
}

static json_t *jv(void *impl, int i)
{
	struct row_jsonimpl *j = impl;
	return json_object_get(j->obj, j->keys[i]);
}

static int j_find(void *impl, const char *col)
{
	struct row_jsonimpl *j = impl;
	for (int i = 0; i < j->nkeys; i++)
		if (j->keys[i] == col)
			return i;
	if (!json_object_get(j->obj, col))
		return -1;
	for (int i = 0; i < j->nkeys; i++)
		if (strcmp(j->keys[i], col) == 0)
			return i;
	if (j->nkeys == 64) /* more distinct names than slots: find by name each time */
		j->nkeys = 0;
	j->keys[j->nkeys] = col;
	return j->nkeys++;
}

static enum row_type j_type(void *impl, int i)
{
	switch (json_typeof(jv(impl, i))) {
	case JSON_INTEGER:
	case JSON_TRUE:
	case JSON_FALSE: return ROW_INT;
	case JSON_REAL: return ROW_REAL;
	case JSON_STRING: return ROW_TEXT;
	case JSON_ARRAY:
	case JSON_OBJECT: return ROW_JSON;
	default: return ROW_NULL;
	}
}

static int64_t j_int(void *impl, int i)
{
	json_t *v = jv(impl, i);
	return json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
}

static double j_real(void *impl, int i)
{
	return json_real_value(jv(impl, i));
}

static const char *j_text(void *impl, int i)
{
	return json_string_value(jv(impl, i));
}

static json_t *j_json(void *impl, int i)
{
	return jv(impl, i);
}

static const struct row_ops json_ops = {j_find, j_type, j_int, j_real, j_text, j_json};

void row_from_json(struct row *r, struct row_jsonimpl *impl, json_t *obj)
{
	impl->obj = obj;
	impl->nkeys = 0;
	r->ops = &json_ops;
	r->impl = impl;
}
