/* task.c (store) — the task list in the store.  Every action goes through core/task.c's table;
 * this file only loads, saves (as events) and queries. */
#include "store/task.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "store/db.h"
#include "store/filter.h"
#include "store/internal.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/text.h"
#include "store/vocab.h"
#include "core/problem.h"
#include "core/mask.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *jdate(int32_t d)
{
	char s[11];
	return d ? json_string(date_format(d, s)) : json_null();
}

static json_t *jid(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

/* The columns a state change may touch. */
static json_t *state_row(const struct task *t, int64_t now)
{
	json_t *r = json_object();
	json_object_set_new(r, "id", json_integer(t->id));
	json_object_set_new(r, "state", json_string(task_state_name(t->state)));
	json_object_set_new(r, "urgency", json_string(urgency_name(t->urgency)));
	json_object_set_new(r, "unit_id", jid(t->unit_id));
	json_object_set_new(r, "handler_id", jid(t->handler_id));
	json_object_set_new(r, "leader_id", jid(t->leader_id));
	json_object_set_new(r, "assigned_on", jdate(t->assigned_on));
	json_object_set_new(r, "respond_by", jdate(t->respond_by));
	json_object_set_new(r, "deadline", jdate(t->deadline));
	json_object_set_new(r, "responded_on", jdate(t->responded_on));
	json_object_set_new(r, "completed_on", jdate(t->completed_on));
	json_object_set_new(r, "signed_off_on", jdate(t->signed_off_on));
	json_object_set_new(r, "extensions_used", json_integer(t->extensions_used));
	json_object_set_new(r, "max_extensions", json_integer(t->max_extensions));
	json_object_set_new(r, "extension_days", json_integer(t->extension_days));
	json_object_set_new(r, "outcome", json_string(outcome_name(t->outcome)));
	json_object_set_new(r, "solved", json_integer(t->solved));
	json_object_set_new(r, "satisfaction", json_string(satisfaction_name(t->satisfaction)));
	json_object_set_new(r, "unreachable_days", json_integer(t->unreachable_days));
	json_object_set_new(r, "last_unreachable_on", jdate(t->last_unreachable_on));
	json_object_set_new(r, "followed_up", json_integer(t->followed_up));
	json_object_set_new(r, "progress", json_integer(t->progress));
	json_object_set_new(r, "reopen_count", json_integer(t->reopen_count));
	json_object_set_new(r, "exception", json_integer(t->exception));
	json_object_set_new(r, "updated_at", json_integer(now));
	return r;
}

static int32_t rdate(const struct row *r, const char *col)
{
	int32_t d;
	const char *v = row_text(r, col);
	return v && date_parse(v, &d) == 0 ? d : 0;
}

void store_task_from_row(const struct row *row, struct task *t)
{
	memset(t, 0, sizeof *t);
#define I(k) row_int(row, k, 0)
#define S(k) row_text(row, k)
	t->id = I("id");
	int v;
	t->state = (v = task_state_parse(S("state"))) >= 0 ? (enum task_state)v : TS_PENDING;
	t->tier = (v = tier_parse(S("tier"))) >= 0 ? (enum tier)v : TIER_SCHEDULED;
	t->urgency = (v = urgency_parse(S("urgency"))) >= 0 ? (enum urgency)v : URG_NORMAL;
	t->origin_unit_id = I("origin_unit_id");
	t->unit_id = I("unit_id");
	t->handler_id = I("handler_id");
	t->leader_id = I("leader_id");
	t->assigned_on = rdate(row, "assigned_on");
	t->respond_by = rdate(row, "respond_by");
	t->deadline = rdate(row, "deadline");
	t->responded_on = rdate(row, "responded_on");
	t->completed_on = rdate(row, "completed_on");
	t->signed_off_on = rdate(row, "signed_off_on");
	t->extensions_used = (int)I("extensions_used");
	t->max_extensions = (int)I("max_extensions");
	t->extension_days = (int)I("extension_days");
	t->outcome = (v = outcome_parse(S("outcome"))) >= 0 ? (enum outcome)v : OUT_NONE;
	t->solved = (int)row_int(row, "solved", -1);
	t->satisfaction = (v = satisfaction_parse(S("satisfaction"))) >= 0 ? (enum satisfaction)v : SAT_NONE;
	t->unreachable_days = (int)I("unreachable_days");
	t->last_unreachable_on = rdate(row, "last_unreachable_on");
	t->followed_up = (int)I("followed_up");
	t->progress = (int)I("progress");
	t->reopen_count = (int)I("reopen_count");
	t->exception = (int)I("exception");
#undef I
#undef S
}

#define TASK_COLS                                                                                  \
	"SELECT t.id, t.title, t.measures, t.state, t.tier, t.urgency, t.category_id, "            \
	"c.name AS category_name, t.origin_unit_id, o.name AS origin_unit_name, t.origin_path, "   \
	"t.unit_id, n.name AS unit_name, t.unit_path, t.handler_id, h.display_name AS handler_name, " \
	"t.leader_id, l.display_name AS leader_name, t.assigned_on, t.respond_by, t.deadline, "    \
	"t.responded_on, t.completed_on, t.signed_off_on, t.extensions_used, t.max_extensions, "   \
	"t.extension_days, t.outcome, t.solved, t.satisfaction, t.unreachable_days, "              \
	"t.last_unreachable_on, t.followed_up, t.progress, t.reopen_count, t.exception, "          \
	"t.created_by, t.created_at, t.updated_at FROM task t "                                     \
	"JOIN unit o ON o.id=t.origin_unit_id LEFT JOIN unit n ON n.id=t.unit_id "                  \
	"LEFT JOIN user h ON h.id=t.handler_id LEFT JOIN user l ON l.id=t.leader_id "               \
	"LEFT JOIN category c ON c.id=t.category_id"

json_t *store_task_get(struct store_rd *rd, int64_t id)
{
	sqlite3 *db = rd->db;
	return db_get_row(db, TASK_COLS " WHERE t.id=?", id);
}

int store_task_read(struct store_rd *rd, int64_t id, struct task *t, char *origin_path, char *unit_path,
		    struct qd_err *err)
{
	json_t *row = store_task_get(rd, id);
	if (!row)
		return qd_fail(err, QD_ENOTFOUND, "id", "任务不存在", "no such task");
	struct row r;
	struct row_jsonimpl ri;
	row_from_json(&r, &ri, row);
	store_task_from_row(&r, t);
	snprintf(origin_path, 128, "%s", json_string_value(json_object_get(row, "origin_path")));
	const char *up = json_string_value(json_object_get(row, "unit_path"));
	snprintf(unit_path, 128, "%s", up ? up : "");
	json_decref(row);
	return 0;
}

int store_task_create(struct store_tx *tx, const struct actor *a, const struct task_new *tn,
		      int64_t *id, struct qd_err *err)
{
	sqlite3 *db = store_tx_db(tx);
	if (tn->nproblems < 1)
		return qd_fail(err, QD_EINVAL, "problem_ids", "请至少选择一个问题", "problem_ids needs at least one problem");
	int64_t origin = 0, category = tn->category_id;
	char origin_path[128] = "";
	unsigned need = tn->tier == TIER_IMMEDIATE ? RIGHT_PROBLEM_CREATE : RIGHT_TRIAGE;
	for (int i = 0; i < tn->nproblems; i++) {
		json_t *p = store_problem_get(store_tx_rd(tx), tn->problem_ids[i]);
		if (!p)
			return qd_fail(err, QD_ENOTFOUND, "problem_ids", "问题 %lld 不存在", "no such problem %lld",
				       (long long)tn->problem_ids[i], (long long)tn->problem_ids[i]);
		const char *state = json_string_value(json_object_get(p, "state"));
		const char *path = json_string_value(json_object_get(p, "unit_path"));
		int bad_state = problem_state_parse(state) != PS_NEW;
		unsigned rights = grants_rights_on(a->grants, a->ngrants, path);
		int allowed = (rights & need) != 0;
		if (!(rights & (RIGHT_READ | need))) { /* not even visible: do not reveal it exists */
			json_decref(p);
			return qd_fail(err, QD_ENOTFOUND, "problem_ids", "问题 %lld 不存在", "no such problem %lld",
				       (long long)tn->problem_ids[i], (long long)tn->problem_ids[i]);
		}
		if (!origin) {
			origin = json_integer_value(json_object_get(p, "unit_id"));
			snprintf(origin_path, sizeof origin_path, "%s", path);
			if (!category)
				category = json_integer_value(json_object_get(p, "category_id"));
		}
		json_decref(p);
		if (!allowed)
			return qd_fail(err, QD_EPERM, "problem_ids", "您无权为问题 %lld 立项交办",
				       "you may not make a task of problem %lld", (long long)tn->problem_ids[i],
				       (long long)tn->problem_ids[i]);
		if (bad_state)
			return qd_fail(err, QD_ECONFLICT, "problem_ids", "问题 %lld 已处理，不能再立项",
				       "problem %lld is not new", (long long)tn->problem_ids[i],
				       (long long)tn->problem_ids[i]);
		for (int j = 0; j < i; j++)
			if (tn->problem_ids[j] == tn->problem_ids[i])
				return qd_fail(err, QD_EINVAL, "problem_ids", "问题重复", "a problem is listed twice");
	}
	if (category && !store_category_exists(db, category))
		return qd_fail(err, QD_ENOTFOUND, "category_id", "问题类别不存在", "no such category");
	struct task t;
	int64_t now = store_tx_now(tx);
	task_init(&t, tn->tier, tn->urgency, origin, store_tx_today(tx));
	t.id = store_next_id(tx, "task");
	char unit_path[128] = "";
	if (tn->tier == TIER_IMMEDIATE) {
		struct unit u;
		t.unit_id = tn->unit_id ? tn->unit_id : origin;
		if (store_unit_get(store_tx_rd(tx), t.unit_id, &u, err))
			return -1;
		snprintf(unit_path, sizeof unit_path, "%s", u.path);
		t.handler_id = tn->handler_id ? tn->handler_id : a->user_id;
	}
	json_t *row = state_row(&t, now);
	json_object_set_new(row, "title", tn->title_cut > 0 ? text_seal_cut(tx, tn->title, tn->title_cut)
								: text_seal(tx, tn->title));
	json_object_set_new(row, "measures", text_seal(tx, tn->measures));
	json_object_set_new(row, "tier", json_string(tier_name(t.tier)));
	json_object_set_new(row, "category_id", jid(category));
	json_object_set_new(row, "origin_unit_id", json_integer(origin));
	json_object_set_new(row, "origin_path", json_string(origin_path));
	json_object_set_new(row, "unit_path", unit_path[0] ? json_string(unit_path) : json_null());
	json_object_set_new(row, "created_by", json_integer(a->user_id));
	json_object_set_new(row, "created_at", json_integer(now));
	json_t *extra = json_pack("{ss}", "to", task_state_name(t.state));
	text_put_names(tx, extra, store_problem_names(db, store_key(store_tx_store(tx)), tn->problem_ids, tn->nproblems));
	if (store_emit_row(tx, a->user_id, "task.create", "task", t.id, row, extra, err))
		return -1;
	for (int i = 0; i < tn->nproblems; i++)
		if (store_problem_link(tx, a->user_id, tn->problem_ids[i], t.id, err))
			return -1;
	*id = t.id;
	return 0;
}

/* Assignment references must exist: the unit, a handler who may handle there, a leader. */
static int check_assign(sqlite3 *db, const struct task_input *in, char *unit_path, struct qd_err *err)
{
	struct store_rd rd = {.db = db};
	struct unit u;
	if (store_unit_get(&rd, in->unit_id, &u, err))
		return -1;
	snprintf(unit_path, 128, "%s", u.path);
	struct grant *g;
	int n = store_user_grants(&rd, in->handler_id, &g);
	if (n < 0)
		return qd_fail(err, QD_EINTERNAL, "handler_id", "无法读取责任人的授权", "cannot read the handler's grants");
	unsigned handler_rights = grants_rights_on(g, n, u.path);
	free(g);
	if (!store_user_active(db, in->handler_id))
		return qd_fail(err, QD_ENOTFOUND, "handler_id", "责任人不存在", "no such handler");
	if (!(handler_rights & RIGHT_HANDLE))
		return qd_fail(err, QD_EINVAL, "handler_id", "责任人须为承办单位（%s）的承办人员",
			       "the handler must be staff of the handling unit (%s)", u.name, u.name);
	if (!store_user_active(db, in->leader_id))
		return qd_fail(err, QD_ENOTFOUND, "leader_id", "包保领导不存在", "no such leader in charge");
	n = store_user_grants(&rd, in->leader_id, &g);
	if (n < 0)
		return qd_fail(err, QD_EINTERNAL, "leader_id", "无法读取包保领导的授权", "cannot read the leader's grants");
	int is_leader = 0;
	for (int i = 0; i < n; i++)
		if (g[i].role == ROLE_LEADER)
			is_leader = 1;
	free(g);
	if (!is_leader)
		return qd_fail(err, QD_EINVAL, "leader_id", "包保领导须具有领导角色", "the leader in charge must hold the leader role");
	return 0;
}

int store_task_act(struct store_tx *tx, const struct actor *a, int64_t id, enum task_action action,
		   const struct task_input *in, struct qd_err *err)
{
	sqlite3 *db = store_tx_db(tx);
	struct task t = {0};
	char origin_path[128], unit_path[128];
	if (store_task_read(store_tx_rd(tx), id, &t, origin_path, unit_path, err))
		return -1;
	struct task_actor ta = {a->user_id,
				grants_rights_on(a->grants, a->ngrants, origin_path) |
					grants_rights_on(a->grants, a->ngrants, unit_path),
				grants_rights_on(a->grants, a->ngrants, unit_path)};
	char new_path[128] = "";
	if (action == TA_ASSIGN) {
		/* Refuse on rights/state before looking at the input's references. */
		if (task_may(&t, action, &ta, err))
			return -1;
		if (in->unit_id > 0 && in->handler_id > 0 && in->leader_id > 0 &&
		    check_assign(db, in, new_path, err))
			return -1;
	}
	struct urgency_limit lim[URG__COUNT];
	store_tx_limits(tx, lim);
	enum task_state from = t.state;
	if (task_act(&t, action, in, &ta, store_tx_calendar(tx), lim, store_tx_today(tx), err))
		return -1;
	json_t *row = state_row(&t, store_tx_now(tx));
	if (action == TA_ASSIGN)
		json_object_set_new(row, "unit_path", json_string(new_path));
	else if (action == TA_RETURN)
		json_object_set_new(row, "unit_path", json_null());
	json_t *extra = json_pack("{ss ss ss}", "action", task_action_name(action), "from", task_state_name(from),
				  "to", task_state_name(t.state));
	if (in->note && *in->note)
		json_object_set_new(extra, "note", text_seal(tx, in->note));
	if (in->reason && *in->reason)
		json_object_set_new(extra, "reason", text_seal(tx, in->reason));
	if (action == TA_FOLLOW_UP) {
		json_object_set_new(extra, "satisfaction", json_string(satisfaction_name((enum satisfaction)in->satisfaction)));
		if (in->solved >= 0)
			json_object_set_new(extra, "solved", json_boolean(in->solved));
	}
	if (action == TA_REQUEST_EXTENSION)
		json_object_set_new(extra, "days", json_integer(in->days));
	if (action == TA_SIGN_OFF && in->exception)
		json_object_set_new(extra, "exception", json_true());
	char kind[48];
	snprintf(kind, sizeof kind, "task.%s", task_action_name(action));
	return store_emit_row(tx, a->user_id, kind, "task", id, row, extra, err);
}

/* Levels below the root: "/1/" is 1 (the county), "/1/5/" 2 (a township), "/1/5/23/" 3. */
static int path_depth(const char *p)
{
	int n = -1;
	for (; *p; p++)
		n += *p == '/';
	return n;
}

/* Write the page's rows through the caller's writer: "[row,row…]"; *more = 1 when a row beyond
 * the page exists. */
static void write_rows(sqlite3_stmt *st, int limit, const struct row_writer *rw, struct buf *out, int *more)
{
	struct db_rowimpl impl;
	struct row row;
	db_row_init(&row, &impl, st);
	buf_putc(out, '[');
	int n = 0, written = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == limit) {
			*more = 1;
			break;
		}
		size_t mark = out->len;
		if (written)
			buf_putc(out, ',');
		if (rw->write(rw->ctx, &row, out))
			written++;
		else
			out->len = mark, out->p[mark] = 0;
	}
	buf_putc(out, ']');
}

int store_task_list(struct store_rd *rd, const struct list_filter *f, const struct row_writer *rw, struct buf *out,
		    int *more, int64_t *total)
{
	sqlite3 *db = rd->db;
	struct where w;
	where_init(&w);
	/* Plan: a county- or township-wide list walks the (state, deadline, paths) or (deadline,
	 * paths) index in deadline order and tests the paths on the index entries ("+col" keeps
	 * SQLite from choosing a path index instead); a village-sized subtree is found through the
	 * path indexes and sorted, which is cheaper for a few hundred rows. */
	int narrow = f->unit_path && path_depth(f->unit_path) >= 3;
	if (f->own_user) {
		where_and(&w, "t.id IN (SELECT task_id FROM problem WHERE created_by = ?)");
		where_int(&w, f->own_user);
	} else {
		where_scope(&w, f, "+t.origin_path", "+t.unit_path");
	}
	if (f->unit_path) {
		where_subtree(&w, f->unit_path, narrow ? "t.unit_path" : "+t.unit_path",
			      narrow ? "t.origin_path" : "+t.origin_path");
	}
	if (f->state) {
		where_and(&w, "t.state = ?");
		where_str(&w, f->state);
	}
	if (f->tier) {
		where_and(&w, "t.tier = ?");
		where_str(&w, f->tier);
	}
	if (f->category_id) {
		where_and(&w, "t.category_id IN (SELECT id FROM category WHERE id = ? OR parent_id = ?)");
		where_int(&w, f->category_id);
		where_int(&w, f->category_id);
	}
	if (f->handler_id) {
		where_and(&w, "t.handler_id = ?");
		where_int(&w, f->handler_id);
	}
	if (f->overdue) {
		where_and(&w, "t.state IN " SQL_TASK_OPEN_STATES " AND t.deadline < ?");
		where_str(&w, f->today);
	}
	if (f->due_before) {
		where_and(&w, "t.deadline <= ?");
		where_str(&w, f->due_before);
	}
	if (f->q && *f->q) {
		if (utf8_count(f->q) >= 3) {
			char *ph = fts_phrase(f->q);
			where_and(&w, "t.id IN (SELECT rowid FROM task_fts WHERE task_fts MATCH ?)");
			where_str(&w, ph);
			free(ph);
		} else {
			where_and(&w, "instr(t.title, ?) > 0 OR instr(t.measures, ?) > 0");
			where_str(&w, f->q);
			where_str(&w, f->q);
		}
	}
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, "%s%s ORDER BY t.deadline, t.unit_path, t.origin_path, t.id LIMIT ? OFFSET ?", TASK_COLS, w.sql.p);
	sqlite3_stmt *st = db_prepare(db, sql.p);
	*more = 0;
	int rc = st ? 0 : -1;
	if (st) {
		where_bind(&w, st, 1);
		db_bind_int(st, w.n + 1, f->limit + 1);
		db_bind_int(st, w.n + 2, f->offset);
		write_rows(st, f->limit, rw, out, more);
		db_done(st);
	}
	if (f->count && total) {
		buf_reset(&sql);
		buf_printf(&sql, "SELECT count(*) FROM task t%s", w.sql.p); /* sql-ident: fixed fragments */
		*total = where_count(db, sql.p, &w);
	}
	buf_free(&sql);
	where_free(&w);
	return rc;
}

json_t *store_task_history(struct store_rd *rd, int64_t id)
{
	sqlite3 *db = rd->db;
	struct store *s = rd->s;
	json_t *arr = json_array();
	json_t *names = NULL;
	/* staff: whether the actor holds any role but resident (a resident's name is personal data) */
	sqlite3_stmt *st = db_prepare(db, "SELECT e.seq, e.at, e.actor, u.display_name, e.kind, e.payload, "
					  "EXISTS(SELECT 1 FROM user_grant g WHERE g.user_id=e.actor AND g.active "
					  "AND g.role<>'resident') FROM event e "
					  "LEFT JOIN user u ON u.id=e.actor WHERE e.entity='task' AND e.entity_id=? "
					  "ORDER BY e.seq");
	if (!st)
		return arr;
	db_bind_int(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *p = json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL);
		if (!p)
			p = json_object();
		json_object_del(p, "rows");
		json_object_del(p, "names");
		/* Notes and reasons are sealed in the record: here they take their masked form. */
		static const char *const texts[] = {"note", "reason"};
		for (int k = 0; k < 2; k++) {
			json_t *v = json_object_get(p, texts[k]);
			if (!v)
				continue;
			if (!names)
				names = store_task_names(db, store_key(s), id);
			char *m = text_project(store_key(s), NULL, v, 0, names);
			json_object_set_new(p, texts[k], m ? json_string(m) : json_null());
			free(m);
		}
		json_object_set_new(p, "seq", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(p, "at", json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(p, "actor_id", json_integer(sqlite3_column_int64(st, 2)));
		const char *who = (const char *)sqlite3_column_text(st, 3);
		if (who && !sqlite3_column_int(st, 6)) { /* a resident acting online: masked like a reporter */
			char *m = mask_apply(MASK_NAME, who, MASK_PUBLIC);
			json_object_set_new(p, "actor_name", json_string(m ? m : ""));
			free(m);
		} else {
			json_object_set_new(p, "actor_name", db_col_json(st, 3));
		}
		json_object_set_new(p, "kind", db_col_json(st, 4));
		json_array_append(arr, p);
		json_decref(p);
	}
	db_done(st);
	json_decref(names);
	return arr;
}
