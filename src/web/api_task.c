/* api_task.c — the task list over HTTP: create from problems (optionally assigning at once),
 * read, history, and every action of the state machine at POST /tasks/{id}/{action} (its body
 * checked by the dispatcher against the action's spec in the task machine, core/task.c). */
#include "base/mem.h"
#include "store/problem.h"
#include "store/task.h"
#include "web/api.h"
#include "web/viewer.h"
#include "web/router.h"
#include "web/server.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void input_from(struct task_input *in, json_t *b)
{
	json_t *v;
	in->note = json_string_value(json_object_get(b, "note"));
	in->reason = json_string_value(json_object_get(b, "reason"));
	in->unit_id = json_integer_value(json_object_get(b, "unit_id"));
	in->handler_id = json_integer_value(json_object_get(b, "handler_id"));
	in->leader_id = json_integer_value(json_object_get(b, "leader_id"));
	if ((v = json_object_get(b, "urgency")) && json_is_string(v))
		in->urgency = urgency_parse(json_string_value(v));
	if ((v = json_object_get(b, "outcome")) && json_is_string(v))
		in->outcome = outcome_parse(json_string_value(v));
	in->days = (int)json_integer_value(json_object_get(b, "days"));
	if ((v = json_object_get(b, "solved")) && json_is_boolean(v))
		in->solved = json_is_true(v);
	if ((v = json_object_get(b, "satisfaction")) && json_is_string(v))
		in->satisfaction = satisfaction_parse(json_string_value(v));
	in->exception = json_is_true(json_object_get(b, "exception"));
	if ((v = json_object_get(b, "progress")) && json_is_integer(v))
		in->progress = (int)json_integer_value(v);
}

/* --- create ----------------------------------------------------------------------------------- */

/* Add the task's problems to t, and the problems merged into them (duplicates: their residents
 * get the follow-up too); 1, or 0 after answering 500 (t freed) when they cannot be read — a
 * task is never shown without its problems. */
static int with_problems(struct req *r, struct store_rd *rd, json_t *t, int64_t id)
{
	json_t *ps = t && json_object_get(t, "problems") ? NULL : t ? store_task_problems(rd, id) : NULL;
	if (ps)
		json_object_set_new(t, "problems", ps); /* else read already (visible), or failed */
	json_t *dups = t && json_object_get(t, "problems") ? store_task_duplicates(rd, id) : NULL;
	if (!dups) {
		json_decref(t);
		req_db_error(r);
		return 0;
	}
	json_object_set_new(t, "duplicates", dups);
	return 1;
}

static void get_finish(struct req *r)
{
	struct store_write *w = r->warg;
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	int64_t id = w->kind == SW_TASK_ACT ? w->u.act.id : w->id;
	json_t *t = store_task_get(rd, id);
	if (with_problems(r, rd, t, id))
		req_present(r, w->kind == SW_TASK_ACT ? 200 : 201, present_task, t);
}

void api_task_create(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_TASK_CREATE);
	struct task_new *tn = &w->u.task.tn;
	json_t *ids = json_object_get(r->json, "problem_ids");
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		assert(i < WRITE_MAX_PROBLEMS); /* the route allows at most 100 */
		if (i < WRITE_MAX_PROBLEMS)
			w->u.task.problem_ids[tn->nproblems++] = json_integer_value(v);
	}
	tn->title = req_str(r, "title");
	tn->measures = req_str(r, "measures");
	const char *tier = req_str(r, "tier");
	tn->tier = tier ? (enum tier)tier_parse(tier) : TIER_SCHEDULED;
	const char *urg = req_str(r, "urgency");
	tn->urgency = urg ? (enum urgency)urgency_parse(urg) : URG_NORMAL;
	tn->category_id = req_int(r, "category_id", 0);
	struct task_input *in = &w->u.task.in;
	input_from(in, r->json);
	in->urgency = -1;
	w->u.task.assign = in->unit_id || in->handler_id || in->leader_id;
	req_write(r, w, get_finish);
}

/* --- read ------------------------------------------------------------------------------------- */

/* The task row if the caller may see it: read right over its origin or handling unit, or a
 * resident whose problem it gathers (the problems read to decide that stay in the row, so the
 * answer does not read them again). */
static json_t *visible(struct req *r, struct store_rd *rd, int64_t id)
{
	json_t *t = store_task_get(rd, id);
	if (!t)
		return NULL;
	struct scope sc = req_scope(r);
	const char *op = json_string_value(json_object_get(t, "origin_path"));
	const char *up = json_string_value(json_object_get(t, "unit_path"));
	if (scope_sees_task(&sc, op, up, NULL, 0))
		return t;
	if (scope_rights_any(&sc) & RIGHT_OWN) {
		json_t *ps = store_task_problems(rd, id);
		size_t i, n = json_array_size(ps);
		json_t *p;
		int64_t *creators = xcalloc(n + 1, sizeof *creators);
		json_array_foreach(ps, i, p)
			creators[i] = json_integer_value(json_object_get(p, "created_by"));
		if (ps)
			json_object_set_new(t, "problems", ps);
		int seen = scope_sees_task(&sc, op, up, creators, (int)n);
		free(creators);
		if (seen)
			return t;
	}
	json_decref(t);
	return NULL;
}

/* The task of the path if the caller may see it (and this thread's read handle in *rd);
 * otherwise answers (404, or 500 without a connection) and returns NULL. */
static json_t *path_task(struct req *r, struct store_rd **rd)
{
	*rd = req_rd(r);
	if (!*rd)
		return NULL;
	json_t *t = visible(r, *rd, r->path_id);
	if (!t)
		req_fail(r, QD_ENOTFOUND, "id", "任务不存在", "no such task");
	return t;
}

void api_task_get(struct req *r)
{
	struct store_rd *rd;
	json_t *t = path_task(r, &rd);
	if (!t)
		return;
	if (with_problems(r, rd, t, r->path_id))
		req_present(r, 200, present_task, t);
}

void api_task_history(struct req *r)
{
	struct store_rd *rd;
	json_t *t = path_task(r, &rd);
	if (!t)
		return;
	/* The events are seen with the task's audience: notes and reasons in their masked form
	 * for staff, in their public form for the resident. */
	struct viewer v = req_viewer(r);
	struct row tr;
	struct row_jsonimpl ti;
	row_from_json(&tr, &ti, t);
	unsigned aud = present_audience(present_task, &v, &tr, 0);
	json_decref(t);
	json_t *h = store_task_history(rd, r->path_id);
	if (!h) {
		req_db_error(r);
		return;
	}
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "{\"task_id\":");
	buf_int(&out, (long long)r->path_id);
	buf_puts(&out, ",\"events\":");
	present_write_list(present_event, &v, h, aud, &out);
	buf_putc(&out, '}');
	json_decref(h);
	req_raw_json(r, 200, buf_take(&out));
}

/* The list's rows, straight from the database row to JSON through the task list presenter (the
 * list fields; the whole task is GET /tasks/{id}). */
static int write_task(void *ctx, const struct row *row, struct buf *out)
{
	return present_write(present_task_list, ctx, row, 0, out);
}

void api_tasks(struct req *r)
{
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_READ, up))
		return;
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	int more = 0;
	int64_t total = -1;
	struct buf out;
	buf_init(&out);
	buf_grow(&out, (size_t)f.limit * 512); /* a list row is about 430 bytes: no growing on the way */
	buf_puts(&out, "{\"items\":");
	struct viewer v = req_viewer(r);
	struct row_writer w = {&v, write_task};
	if (store_task_list(rd, &f, &w, &out, &more, &total) || (f.count && total < 0)) {
		buf_free(&out);
		req_db_error(r);
		return;
	}
	buf_printf(&out, ",\"has_more\":%s,\"limit\":%d,\"offset\":%d", more ? "true" : "false", f.limit, f.offset);
	if (f.count)
		buf_printf(&out, ",\"total\":%lld", (long long)total);
	buf_putc(&out, '}');
	req_raw_json(r, 200, buf_take(&out));
}

/* --- actions ---------------------------------------------------------------------------------- */

void api_task_action(struct req *r)
{
	/* The dispatcher has checked the action's name and its body's fields (the machine's spec). */
	int a = task_action_parse(r->path_word);
	struct store_rd *rd;
	json_t *t = path_task(r, &rd);
	if (!t)
		return;
	json_decref(t);
	struct store_write *w = req_write_new(r, SW_TASK_ACT);
	w->u.act.id = r->path_id;
	w->u.act.action = (enum task_action)a;
	w->u.act.body = r->json; /* validated against the action's spec by the dispatcher */
	req_write(r, w, get_finish);
}

/* --- the originals, for the personal-data right (audited) ----------------------------------- */

void api_task_pii(struct req *r)
{
	struct store_rd *rd;
	json_t *t = path_task(r, &rd);
	if (!t)
		return;
	api_pii(r, "task", r->path_id, json_string_value(json_object_get(t, "origin_path")),
		json_string_value(json_object_get(t, "unit_path")), &present_task_pii);
	json_decref(t);
}
