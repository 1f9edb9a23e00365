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

/* Masked free text of task columns (title, measures); NULL for other columns. */
static char *list_text(void *ctx, const char *column, const char *value)
{
	(void)ctx;
	if (strcmp(column, "title") != 0 && strcmp(column, "measures") != 0)
		return NULL;
	return mask_apply(MASK_TEXT, value, MASK_STAFF);
}

/* The derived members of a task for this caller: overdue, actions, state_zh — the one place
 * they are computed, for lists (as JSON text) and single tasks alike. */
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

json_t *present_task(struct req *r, json_t *row)
{
	struct task t;
	store_task_from_row(row, &t);
	static const char *const text_cols[] = {"title", "measures"};
	for (int i = 0; i < 2; i++) {
		const char *v = json_string_value(json_object_get(row, text_cols[i]));
		char *m = v ? list_text(r, text_cols[i], v) : NULL;
		if (m)
			json_object_set_new(row, text_cols[i], json_string(m));
		free(m);
	}
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "{\"id\":0");
	list_extra(r, &t, json_string_value(json_object_get(row, "origin_path")),
		   json_string_value(json_object_get(row, "unit_path")), &b);
	buf_putc(&b, '}');
	json_t *derived = json_loads(b.p, 0, NULL);
	buf_free(&b);
	json_object_del(derived, "id");
	json_object_update(row, derived);
	json_decref(derived);
	json_object_del(row, "origin_path");
	json_object_del(row, "unit_path");
	return row;
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
