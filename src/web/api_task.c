/* api_task.c — the task list over HTTP: create from problems (optionally assigning at once),
 * read, history, and every action of the state machine at POST /tasks/{id}/{action} (its body
 * checked by the dispatcher against the action's spec in the task machine, core/task.c). */
#include "base/mem.h"
#include "store/text.h"
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

struct task_w {
	struct actor a;
	struct grant *g; /* the caller's grants (owned) */
	json_t *body;
	int64_t id;
	enum task_action action;
	struct task_input in;
	struct task_new tn;
	int64_t pids[100];
	int assign;
	unsigned status; /* 201 for a new task, 200 after an action */
};

static void task_w_free(void *p)
{
	struct task_w *w = p;
	json_decref(w->body);
	free(w->g);
	free(w);
}

static struct task_w *task_w_new(struct req *r)
{
	struct task_w *w = xcalloc(1, sizeof *w);
	w->g = req_grants_copy(r);
	w->a.user_id = r->user_id;
	w->a.grants = w->g;
	w->a.ngrants = r->ngrants;
	w->body = json_incref(r->json);
	task_input_init(&w->in);
	return w;
}

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

static int create_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct task_w *w = arg;
	if (store_task_create(tx, &w->a, &w->tn, &w->id, err))
		return -1;
	if (w->assign)
		return store_task_act(tx, &w->a, w->id, TA_ASSIGN, &w->in, err);
	return 0;
}

static void get_finish(struct req *r)
{
	struct task_w *w = r->warg;
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *t = store_task_get(db, w->id);
	json_object_set_new(t, "problems", store_task_problems(db, w->id));
	req_present(r, w->status, &present_task, t);
}

void api_task_create(struct req *r)
{
	struct task_w *w = task_w_new(r);
	json_t *ids = json_object_get(r->json, "problem_ids");
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		assert(i < sizeof w->pids / sizeof w->pids[0]); /* the route allows at most 100 */
		if (i < sizeof w->pids / sizeof w->pids[0])
			w->pids[w->tn.nproblems++] = json_integer_value(v);
	}
	w->tn.problem_ids = w->pids;
	w->tn.title = req_str(r, "title");
	w->tn.measures = req_str(r, "measures");
	const char *tier = req_str(r, "tier");
	w->tn.tier = tier ? (enum tier)tier_parse(tier) : TIER_SCHEDULED;
	const char *urg = req_str(r, "urgency");
	w->tn.urgency = urg ? (enum urgency)urgency_parse(urg) : URG_NORMAL;
	w->tn.category_id = req_int(r, "category_id", 0);
	input_from(&w->in, w->body);
	w->in.urgency = -1;
	w->assign = w->in.unit_id || w->in.handler_id || w->in.leader_id;
	w->status = 201;
	req_write(r, create_cmd, w, task_w_free, get_finish);
}

/* --- read ------------------------------------------------------------------------------------- */

/* The task row if the caller may see it: read right over its origin or handling unit, or a
 * resident whose problem it gathers. */
static json_t *visible(struct req *r, sqlite3 *db, int64_t id)
{
	json_t *t = store_task_get(db, id);
	if (!t)
		return NULL;
	unsigned rights = req_rights_on(r, json_string_value(json_object_get(t, "origin_path"))) |
			  req_rights_on(r, json_string_value(json_object_get(t, "unit_path")));
	if (rights & RIGHT_READ)
		return t;
	if (r->rights & RIGHT_OWN) {
		json_t *ps = store_task_problems(db, id);
		size_t i;
		json_t *p;
		int own = 0;
		json_array_foreach(ps, i, p)
			if (json_integer_value(json_object_get(p, "created_by")) == r->user_id)
				own = 1;
		json_decref(ps);
		if (own)
			return t;
	}
	json_decref(t);
	return NULL;
}

/* The task of the path if the caller may see it (and this thread's read connection in *db);
 * otherwise answers (404, or 500 without a connection) and returns NULL. */
static json_t *path_task(struct req *r, sqlite3 **db)
{
	*db = req_db(r);
	if (!*db)
		return NULL;
	json_t *t = visible(r, *db, r->path_id);
	if (!t)
		req_fail(r, QD_ENOTFOUND, "id", "任务不存在", "no such task");
	return t;
}

void api_task_get(struct req *r)
{
	sqlite3 *db;
	json_t *t = path_task(r, &db);
	if (!t)
		return;
	json_object_set_new(t, "problems", store_task_problems(db, r->path_id));
	req_present(r, 200, &present_task, t);
}

void api_task_history(struct req *r)
{
	sqlite3 *db;
	json_t *t = path_task(r, &db);
	if (!t)
		return;
	/* The events are seen with the task's audience: notes and reasons in their masked form
	 * for staff, in their public form for the resident. */
	struct viewer v = req_viewer(r);
	struct row tr;
	struct row_jsonimpl ti;
	row_from_json(&tr, &ti, t);
	unsigned aud = present_audience(&present_task, &v, &tr, 0);
	json_decref(t);
	json_t *h = store_task_history(db, server_store(r->srv), r->path_id);
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "{\"task_id\":");
	buf_int(&out, (long long)r->path_id);
	buf_puts(&out, ",\"events\":");
	present_write_list(&present_event, &v, h, aud, &out);
	buf_putc(&out, '}');
	json_decref(h);
	req_raw_json(r, 200, buf_take(&out));
}

/* The list's rows, straight from the database row to JSON through the task presenter. */
static int write_task(void *ctx, const struct row *row, struct buf *out)
{
	return present_write(&present_task, ctx, row, 0, out);
}

void api_tasks(struct req *r)
{
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_READ, up))
		return;
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	int more = 0;
	int64_t total = -1;
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "{\"items\":");
	struct viewer v = req_viewer(r);
	struct row_writer w = {&v, write_task};
	if (store_task_list(db, &f, &w, &out, &more, &total) || (f.count && total < 0)) {
		buf_free(&out);
		req_fail(r, QD_EINTERNAL, "", "数据库错误", "database error");
		return;
	}
	buf_printf(&out, ",\"has_more\":%s,\"limit\":%d,\"offset\":%d", more ? "true" : "false", f.limit, f.offset);
	if (f.count)
		buf_printf(&out, ",\"total\":%lld", (long long)total);
	buf_putc(&out, '}');
	req_raw_json(r, 200, buf_take(&out));
}

/* --- actions ---------------------------------------------------------------------------------- */

static int act_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct task_w *w = arg;
	return store_item_act(tx, &task_kind, &w->a, w->id, (int)w->action, w->body, err);
}

void api_task_action(struct req *r)
{
	/* The dispatcher has checked the action's name and its body's fields (the machine's spec). */
	int a = task_action_parse(r->path_word);
	sqlite3 *db;
	json_t *t = path_task(r, &db);
	if (!t)
		return;
	json_decref(t);
	struct task_w *w = task_w_new(r);
	w->id = r->path_id;
	w->action = (enum task_action)a;
	w->status = 200;
	req_write(r, act_cmd, w, task_w_free, get_finish);
}

/* --- the originals, for the personal-data right (audited) ----------------------------------- */

void api_task_pii(struct req *r)
{
	sqlite3 *db;
	json_t *t = path_task(r, &db);
	if (!t)
		return;
	api_pii(r, "task", r->path_id, json_string_value(json_object_get(t, "origin_path")),
		json_string_value(json_object_get(t, "unit_path")), &present_task_pii);
	json_decref(t);
}
