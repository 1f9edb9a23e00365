/* present.c — masking and derived fields on the way out. */
#include "web/present.h"
#include "base/date.h"
#include "core/mask.h"
#include "core/task.h"
#include "store/task.h"
#include <stdlib.h>
#include <string.h>

static void mask_field(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	if (!s)
		return;
	char *m = mask_apply(MASK_TEXT, s, MASK_STAFF);
	json_object_set_new(row, key, m ? json_string(m) : json_null());
	free(m);
}

json_t *present_problem(struct req *r, json_t *row)
{
	(void)r;
	mask_field(row, "description");
	json_t *name = json_object_get(row, "reporter_masked");
	json_object_set(row, "reporter_name", name ? name : json_null());
	json_object_del(row, "reporter_masked");
	json_object_del(row, "unit_path");
	return row;
}

struct task_actor present_actor(struct req *r, const char *origin_path, const char *unit_path)
{
	struct task_actor a = {r->user_id, req_rights_on(r, origin_path) | req_rights_on(r, unit_path),
			       req_rights_on(r, unit_path)};
	return a;
}

json_t *present_task(struct req *r, json_t *row)
{
	struct task t;
	store_task_from_row(row, &t);
	struct task_actor a = present_actor(r, json_string_value(json_object_get(row, "origin_path")),
					     json_string_value(json_object_get(row, "unit_path")));
	mask_field(row, "title");
	mask_field(row, "measures");
	json_object_set_new(row, "overdue", json_boolean(task_is_overdue(&t, clock_today())));
	json_t *acts = json_array();
	unsigned m = task_allowed(&t, &a);
	for (int i = 0; i < TA__COUNT; i++)
		if (m & (1u << i))
			json_array_append_new(acts, json_string(task_action_name((enum task_action)i)));
	json_object_set_new(row, "actions", acts);
	json_object_set_new(row, "state_zh", json_string(task_state_zh(t.state)));
	json_object_del(row, "origin_path");
	json_object_del(row, "unit_path");
	return row;
}

static char *list_text(void *ctx, const char *column, const char *value)
{
	(void)ctx;
	if (strcmp(column, "title") != 0 && strcmp(column, "measures") != 0)
		return NULL;
	return mask_apply(MASK_TEXT, value, MASK_STAFF);
}

static void list_extra(void *ctx, const struct task *t, const char *origin_path, const char *unit_path,
		       struct buf *out)
{
	struct req *r = ctx;
	struct task_actor a = present_actor(r, origin_path, unit_path);
	buf_printf(out, ",\"overdue\":%s,\"actions\":[", task_is_overdue(t, clock_today()) ? "true" : "false");
	unsigned m = task_allowed(t, &a);
	int n = 0;
	for (int i = 0; i < TA__COUNT; i++)
		if (m & (1u << i))
			buf_printf(out, "%s\"%s\"", n++ ? "," : "", task_action_name((enum task_action)i));
	buf_puts(out, "],\"state_zh\":");
	buf_json_str(out, task_state_zh(t->state));
}

struct row_writer present_task_writer(struct req *r)
{
	static const char *const hide[] = {"origin_path", "unit_path", NULL};
	struct row_writer w = {r, list_text, list_extra, hide};
	return w;
}

json_t *present_all(struct req *r, json_t *arr, json_t *(*fn)(struct req *, json_t *))
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		fn(r, v);
	return arr;
}
