/* task.c (store) — the task list in the store: creation, the task kind (store/item.h: its table,
 * scope columns and the assignment hook — loading, acting and history are the generic ones of
 * store/item.c), lists and one task.  Every action goes through the task machine (core/task.c). */
#include "store/task.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "store/cache.h"
#include "store/db.h"
#include "store/filter.h"
#include "store/internal.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/schema.h"
#include "store/text.h"
#include "store/vocab.h"
#include "store/tx.h"
#include "core/problem.h"
#include "core/mask.h"
#include "core/scope.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *jid(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

void store_task_from_row(const struct row *row, struct task *t)
{
	store_item_from_row(&task_machine, row, t);
}

#define TASK_COLS                                                                                  \
	"SELECT t.id, t.title, t.measures, t.state, t.tier, t.urgency, t.category_id, "            \
	"c.name AS category_name, t.origin_unit_id, o.name AS origin_unit_name, t.origin_path, "   \
	"t.unit_id, n.name AS unit_name, t.unit_path, t.handler_id, h.display_name AS handler_name, " \
	"t.leader_id, l.display_name AS leader_name, t.assigned_on, t.respond_by, t.deadline, "    \
	"t.responded_on, t.completed_on, t.signed_off_on, t.extensions_used, t.max_extensions, "   \
	"t.extension_days, t.outcome, t.solved, t.satisfaction, t.unreachable_days, "              \
	"t.last_unreachable_on, t.followed_up, t.progress, t.reopen_count, t.exception, "          \
	"t.created_by, t.created_at, t.updated_at, t.verdict_by, t.verdict_channel, "              \
	"t.follow_up_attempts, v.display_name AS verdict_recorder FROM task t "                      \
	"JOIN unit o ON o.id=t.origin_unit_id LEFT JOIN unit n ON n.id=t.unit_id "                  \
	"LEFT JOIN \"user\" h ON h.id=t.handler_id LEFT JOIN \"user\" l ON l.id=t.leader_id "               \
	"LEFT JOIN \"user\" v ON v.id=t.verdict_by LEFT JOIN category c ON c.id=t.category_id"

json_t *store_task_get(struct store_rd *rd, int64_t id)
{
	db_conn *db = rd->db;
	return db_get_row(db, TASK_COLS " WHERE t.id=?", id);
}

int store_task_read(struct store_rd *rd, int64_t id, struct task *t, char *origin_path, char *unit_path,
		    struct qd_err *err)
{
	return store_item_read(rd, &task_kind, id, t, origin_path, unit_path, err);
}

int store_task_create(struct store_tx *tx, const struct actor *a, const struct task_new *tn,
		      int64_t *id, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
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
	char unit_path[128] = "";
	if (tn->tier == TIER_IMMEDIATE) {
		struct unit u;
		t.unit_id = tn->unit_id ? tn->unit_id : origin;
		if (store_unit_get(store_tx_rd(tx), t.unit_id, &u, err))
			return -1;
		snprintf(unit_path, sizeof unit_path, "%s", u.path);
		t.handler_id = tn->handler_id ? tn->handler_id : a->user_id;
	}
	/* What the machine's columns do not say: the text (sealed), where it comes from, who made it. */
	json_t *cols = json_object();
	json_object_set_new(cols, "title", tn->title_cut > 0 ? text_seal_cut(tx, tn->title, tn->title_cut)
							     : text_seal(tx, tn->title));
	json_object_set_new(cols, "measures", text_seal(tx, tn->measures));
	json_object_set_new(cols, "category_id", jid(category));
	json_object_set_new(cols, "origin_path", json_string(origin_path));
	json_object_set_new(cols, "unit_path", unit_path[0] ? json_string(unit_path) : json_null());
	json_object_set_new(cols, "created_by", json_integer(a->user_id));
	json_object_set_new(cols, "created_at", json_integer(now));
	json_t *extra = json_object();
	text_put_names(tx, extra, store_problem_names(db, store_key(store_tx_store(tx)), tn->problem_ids, tn->nproblems));
	if (store_item_create(tx, &task_kind, a, &t, cols, extra, need, &t.id, err))
		return -1;
	for (int i = 0; i < tn->nproblems; i++)
		if (store_problem_link(tx, a->user_id, tn->problem_ids[i], t.id, err))
			return -1;
	*id = t.id;
	return 0;
}

/* Assignment references must exist: the unit, a handler who may handle there, a leader. */
static int check_assign(db_conn *db, const json_t *body, char *unit_path, struct qd_err *err)
{
	struct store_rd rd = {.db = db};
	struct unit u;
	const struct {
		int64_t unit_id, handler_id, leader_id;
	} ids = {param_int(body, "unit_id", 0), param_int(body, "handler_id", 0), param_int(body, "leader_id", 0)},
	  *in = &ids;
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

/* The task's hook (store/item.h): an assignment's references, and the handling unit's path in
 * the row (set by assign, cleared by return). */
static int task_before_act(struct store_tx *tx, const struct store_kind *k, const void *item, int action,
			   const json_t *body, json_t *row, struct qd_err *err)
{
	if (action == TA_ASSIGN) {
		char new_path[128] = "";
		if (param_int(body, "unit_id", 0) > 0 && param_int(body, "handler_id", 0) > 0 &&
		    param_int(body, "leader_id", 0) > 0 && check_assign(store_tx_db(tx), body, new_path, err))
			return -1;
		json_object_set_new(row, "unit_path", json_string(new_path));
	} else if (action == TA_RETURN) {
		json_object_set_new(row, "unit_path", json_null());
	}
	return 0;
}

/* The residents' names of the task's problems, through the kind's read handle. */
static json_t *task_names(struct store_rd *rd, const unsigned char *key, int64_t id)
{
	return store_task_names(rd->db, key, id);
}

/* A follow-up is an attempt: its number in the round, the channel it took (the default one when
 * the body gave none) and what it found go into the event, so the history lists each attempt. */
static void task_event_more(const struct store_kind *k, const void *item, int action, json_t *extra)
{
	const struct task *t = item;
	if (action != TA_FOLLOW_UP)
		return;
	int unreachable = satisfaction_parse(json_string_value(json_object_get(extra, "satisfaction"))) == SAT_UNREACHABLE;
	json_object_set_new(extra, "attempt", json_integer(t->follow_up_attempts));
	json_object_set_new(extra, "attempt_outcome",
			    json_string(attempt_outcome_name(unreachable ? ATT_UNREACHABLE : ATT_VERDICT)));
	if (!unreachable) /* the verdict's channel, as the machine took it */
		json_object_set_new(extra, "channel", json_string(channel_name(t->verdict_channel)));
	else if (!json_object_get(extra, "channel")) /* staff's default (a resident is never unreachable) */
		json_object_set_new(extra, "channel", json_string(channel_name(CH_PHONE)));
}

const struct store_kind task_kind = {&task_machine, "task", "origin_path", "unit_path", task_before_act,
				     task_names, NULL, NULL, task_event_more};

int store_task_act(struct store_tx *tx, const struct actor *a, int64_t id, enum task_action action,
		   const struct task_input *in, struct qd_err *err)
{
	if ((unsigned)action >= TA__COUNT)
		return qd_fail(err, QD_EINVAL, "action", "未知的操作", "unknown action");
	json_t *body = task_input_body(action, in);
	int rc = store_item_act(tx, &task_kind, a, id, action, body, err);
	json_decref(body);
	return rc;
}

/* Levels below the root: "/1/" is 1 (the county), "/1/5/" 2 (a township), "/1/5/23/" 3. */
static int path_depth(const char *p)
{
	int n = -1;
	for (; *p; p++)
		n += *p == '/';
	return n;
}

/* 1 when path lies in the subtree of top. */
static int path_within(const char *path, const char *top)
{
	return strncmp(path, top, strlen(top)) == 0;
}

/* --- the list's rows: the task's own columns, names from the read handle's cache -------------- */

/* What a list row carries: the list presenter's fields (present_task_list in present_task.c) and
 * what its derived fields need — the machine's columns that actions and overdue read (MC_DERIVES,
 * core/machine.h: the rest of the struct is left at its defaults, which no guard looks at) and
 * the two paths (audience).  Fewer columns are fewer for SQLite to decode and the presenter to
 * read: 20 instead of 30 per row.  The names of units and people are not joined: they come from
 * the read handle's cache (store/cache.h) through the row below.  test_store checks this list
 * against the machine's MC_DERIVES columns. */
#define TASK_LIST_COLS                                                                             \
	"SELECT t.id, t.title, t.state, t.tier, t.urgency, t.origin_unit_id, t.origin_path, t.unit_id, " \
	"t.unit_path, t.handler_id, t.leader_id, t.deadline, t.completed_on, t.extensions_used, "     \
	"t.max_extensions, t.solved, t.satisfaction, t.unreachable_days, t.followed_up, "            \
	"t.verdict_by, t.verdict_channel, "                                                          \
	"(SELECT count(*) FROM problem p WHERE p.task_id = t.id) AS problem_count FROM task t"

/* The looked-up columns of a list row: name, and the column of the id it names. */
enum { LN_UNIT, LN_ORIGIN, LN_HANDLER, LN_LEADER, LN__COUNT };
static const struct {
	const char *name, *id;
	int is_user;
} list_names[LN__COUNT] = {
	{"unit_name", "unit_id", 0},
	{"origin_unit_name", "origin_unit_id", 0},
	{"handler_name", "handler_id", 1},
	{"leader_name", "leader_id", 1},
};

/* A statement's row (store/db.h) with the names above after its own columns. */
#define LIST_SEEN 128 /* a power of two */
struct list_rowimpl {
	struct db_rowimpl db;
	struct store_rd *rd;
	int id_col[LN__COUNT];         /* the statement's column of each id */
	struct {                       /* find() is called with literals: the answer by the pointer */
		const char *col;
		int idx;
	} seen[LIST_SEEN];
	int nseen;
	const char *name[LN__COUNT];   /* this row's names (NULL: none) */
	struct unit u[2];              /* storage of the unit names of this row */
	char user[2][264];             /* and of the users' (a display name of 64 characters) */
};

/* A column by name: the statement's, else a looked-up name.  The answer (also "absent": the
 * presenter and the machine's struct ask for columns a list row leaves out) is kept in a small
 * open-addressed table by the name's pointer, so each name is compared once per page; when the
 * table is full, names are looked up each time. */
static int l_find(void *impl, const char *col)
{
	struct list_rowimpl *l = impl;
	unsigned h = (unsigned)((uintptr_t)col >> 3) & (LIST_SEEN - 1);
	for (unsigned k = 0; k < LIST_SEEN && l->seen[(h + k) & (LIST_SEEN - 1)].col; k++)
		if (l->seen[(h + k) & (LIST_SEEN - 1)].col == col)
			return l->seen[(h + k) & (LIST_SEEN - 1)].idx;
	int i = db_row_ops()->find(&l->db, col);
	for (int k = 0; i < 0 && k < LN__COUNT; k++)
		if (!strcmp(list_names[k].name, col))
			i = l->db.ncol + k;
	if (l->nseen < LIST_SEEN / 2) { /* at most half full: probes stay short */
		unsigned k = h;
		while (l->seen[k].col)
			k = (k + 1) & (LIST_SEEN - 1);
		l->seen[k].col = col;
		l->seen[k].idx = i;
		l->nseen++;
	}
	return i;
}

static enum row_type l_type(void *impl, int i)
{
	struct list_rowimpl *l = impl;
	if (i < l->db.ncol)
		return db_row_ops()->type(&l->db, i);
	return l->name[i - l->db.ncol] ? ROW_TEXT : ROW_NULL;
}

static int64_t l_int(void *impl, int i)
{
	struct list_rowimpl *l = impl;
	return i < l->db.ncol ? db_row_ops()->integer(&l->db, i) : 0;
}

static double l_real(void *impl, int i)
{
	struct list_rowimpl *l = impl;
	return i < l->db.ncol ? db_row_ops()->real(&l->db, i) : 0;
}

static const char *l_text(void *impl, int i)
{
	struct list_rowimpl *l = impl;
	return i < l->db.ncol ? db_row_ops()->text(&l->db, i) : l->name[i - l->db.ncol];
}

static json_t *l_json(void *impl, int i)
{
	(void)impl;
	(void)i;
	return NULL;
}

static const struct row_ops list_ops = {l_find, l_type, l_int, l_real, l_text, l_json};

/* A user's display name, from the cache when rd has one (cached: the version was checked by
 * the list); NULL when there is no such user. */
static const char *user_name(struct store_rd *rd, int cached, int64_t id, char *buf, size_t n)
{
	int found = 0;
	const char *v = cached ? cache_user_name_get(rd, id, &found) : NULL;
	if (found)
		return v;
	db_stmt *st = db_prepare(rd->db, "SELECT display_name FROM \"user\" WHERE id=?");
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	const char *name = NULL;
	if (db_step(st) == DB_ROW && !db_col_null(st, 0)) {
		snprintf(buf, n, "%s", db_col_text(st, 0));
		name = buf;
	}
	db_done(st);
	if (cached)
		cache_user_name_put(rd, id, name);
	return name;
}

/* The names of the row the statement is on. */
static void list_row_names(struct list_rowimpl *l, int cached)
{
	int nu = 0, nh = 0;
	for (int k = 0; k < LN__COUNT; k++) {
		int c = l->id_col[k];
		int64_t id = c >= 0 ? db_col_int64(l->db.st, c) : 0;
		l->name[k] = NULL;
		if (id <= 0)
			continue;
		if (list_names[k].is_user) {
			l->name[k] = user_name(l->rd, cached, id, l->user[nh], sizeof l->user[nh]);
			nh++;
		} else if ((cached && cache_unit_get(l->rd, id, &l->u[nu])) ||
			   store_unit_get(l->rd, id, &l->u[nu], NULL) == 0) { /* a miss is cached by store_unit_get */
			l->name[k] = l->u[nu++].name;
		}
	}
}

static void list_row_init(struct row *r, struct list_rowimpl *l, struct store_rd *rd, db_stmt *st)
{
	memset(l, 0, sizeof *l);
	struct row dr;
	db_row_init(&dr, &l->db, st);
	l->rd = rd;
	for (int k = 0; k < LN__COUNT; k++)
		l->id_col[k] = db_row_ops()->find(&l->db, list_names[k].id);
	r->ops = &list_ops;
	r->impl = l;
}

/* Write the page's rows through the caller's writer: "[row,row…]"; *more = 1 when a row beyond
 * the page exists. */
static void write_rows(struct store_rd *rd, int cached, db_stmt *st, int limit, const struct row_writer *rw,
		       struct buf *out, int *more)
{
	struct list_rowimpl li, *impl = &li;
	struct row row;
	list_row_init(&row, impl, rd, st);
	buf_putc(out, '[');
	int n = 0, written = 0;
	while (db_step(st) == DB_ROW) {
		if (n++ == limit) {
			*more = 1;
			break;
		}
		list_row_names(impl, cached);
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

/* --- the list's query -------------------------------------------------------------------------- */

/* Every filter but scope and subtree, ANDed onto w. */
/* A column "+t.col" tested without choosing its index: SQLite's spelling; PostgreSQL has no
 * unary + on text (and its planner is not steered that way). */
#define U(db, col) (db_is_pg(db) ? (col) + 1 : (col))
/* Tasks without a deadline (pending) come first, as SQLite sorts NULL; PostgreSQL sorts it last
 * unless told (its indexes are built NULLS FIRST to match: schema_pg.c). */
#define NULLS_FIRST(db) (db_is_pg(db) ? " NULLS FIRST" : "")

static void where_filters(struct where *w, const struct list_filter *f, int pg)
{
	if (f->state) {
		where_and(w, "t.state = ?");
		where_str(w, f->state);
	}
	if (f->tier) {
		where_and(w, "t.tier = ?");
		where_str(w, f->tier);
	}
	if (f->category_id) {
		where_and(w, "t.category_id IN (SELECT id FROM category WHERE id = ? OR parent_id = ?)");
		where_int(w, f->category_id);
		where_int(w, f->category_id);
	}
	if (f->handler_id) {
		where_and(w, "t.handler_id = ?");
		where_int(w, f->handler_id);
	}
	if (f->leader_id) {
		where_and(w, "t.leader_id = ?");
		where_int(w, f->leader_id);
	}
	if (f->overdue) {
		where_and(w, "t.state IN " SQL_TASK_OPEN_STATES " AND t.deadline < ?");
		where_str(w, f->today);
	}
	if (f->due_before) {
		where_and(w, "t.deadline <= ?");
		where_str(w, f->due_before);
	}
	if (f->q && *f->q) {
		struct fts_like l;
		fts_like_make(&l, f->q);
		if (pg) { /* the trigram index on the columns answers LIKE itself (schema_pg.c) */
			free(l.index);
			l.index = NULL;
		}
		if (l.index) {
			/* one LIKE per column: FTS5 answers each from the index, an OR of two it would scan */
			where_and(w, "t.id IN (SELECT rowid FROM task_fts WHERE title LIKE ? UNION ALL "
				     "SELECT rowid FROM task_fts WHERE measures LIKE ?)");
			where_str(w, l.index);
			where_str(w, l.index);
		}
		if (!l.index || l.wild) { /* a scan, or the index's answer holds any character at a % or _ */
			where_and(w, "t.title LIKE ? ESCAPE '\\' OR t.measures LIKE ? ESCAPE '\\'");
			where_str(w, l.exact);
			where_str(w, l.exact);
		}
		fts_like_free(&l);
	}
}

/* The one subtree a list is confined to, when it is one: the filter's unit where the caller's
 * scope holds it (the scope then adds nothing), or the caller's only subtree without a filter;
 * and whether that subtree is all there is (the scope is a root and the database has one root:
 * no path predicate at all).  0 when the list needs the general scope clause. */
static int list_subtree(struct store_rd *rd, const struct list_filter *f, const char **out, int *all)
{
	*out = NULL;
	*all = 0;
	const char **paths = xcalloc((size_t)f->ngrants + 1, sizeof *paths);
	int np = scope_subtrees(f->grants, f->ngrants, f->right, paths, f->ngrants);
	const char *p = NULL;
	if (f->unit_path) {
		for (int i = 0; i < np && !p; i++)
			if (path_within(f->unit_path, paths[i]))
				p = f->unit_path;
	} else if (np == 1) {
		p = paths[0];
	}
	free(paths);
	if (!p)
		return 0;
	*out = p;
	*all = path_depth(p) == 1 && store_unit_roots(rd) == 1;
	return 1;
}

/* The two halves of a list of one subtree sub two levels down and one state (store_task_list):
 * the tasks it handles (w) and those it started (w2), with f's other filters. */
static void halves_where(db_conn *db, const struct list_filter *f, const char *sub, struct where *w, struct where *w2)
{
	where_and(w, "t.state = ?");
	where_str(w, f->state);
	where_and(w, db_is_pg(db) ? PG_PATH_L2("t.unit_path") " = ?" : PATH_L2("t.unit_path") " = ?");
	where_str(w, sub);
	where_and(w2, "t.state = ?");
	where_str(w2, f->state);
	where_and(w2, db_is_pg(db) ? PG_PATH_L2("t.origin_path") " = ?" : PATH_L2("t.origin_path") " = ?");
	where_str(w2, sub);
	where_filters(w, f, db_is_pg(db));
	where_filters(w2, f, db_is_pg(db));
}

int store_task_list(struct store_rd *rd, const struct list_filter *f, const struct row_writer *rw, struct buf *out,
		    int *more, int64_t *total)
{
	db_conn *db = rd->db;
	int cached = cache_fresh(rd);
	struct where w, w2;
	where_init(&w);
	where_init(&w2);
	struct buf sql;
	buf_init(&sql);
	/* Plans.  A list confined to one subtree two levels down (a township or a county
	 * department) with a state walks only that subtree's tasks of the state in deadline order:
	 * those it handles and those it started, two covering indexes (migration 5) merged by the
	 * UNION, then the page's rows.  Otherwise a county- or township-wide list walks the (state,
	 * deadline, paths) or (deadline, paths) index in deadline order and tests the paths on the
	 * index entries ("+col" keeps SQLite from choosing a path index instead); a village-sized
	 * subtree is found through the path indexes and sorted, which is cheaper for a few hundred
	 * rows.  A scope the subtree lies in, or a county-wide one, adds no clause. */
	const char *sub = NULL;
	int all = 0, one = !f->own_user && list_subtree(rd, f, &sub, &all), halves = 0;
	/* one subtree two levels down, one state: the two halves (handled, started) of the plan below */
	int two = one && !all && f->state && path_depth(sub) == 2;
	if (two && f->sort == TSORT_DEADLINE) {
		halves_where(db, f, sub, &w, &w2);
		/* Fixed fragments only (the clauses' values are bound).  PostgreSQL reads each half of the
		 * UNION whole before it sorts (every open task of the township: 60 ms a page at 1,000,000
		 * tasks); each half in order with its own LIMIT (the page's end) reads a page's worth. */
		halves = db_is_pg(db);
		const char *half_end = halves ? " ORDER BY 1 NULLS FIRST, 2, 3, 4 LIMIT ?)" : "";
		buf_printf(&sql, TASK_LIST_COLS " JOIN (%sSELECT t.deadline, t.unit_path, t.origin_path, t.id FROM task t",
			   halves ? "(" : "");
		buf_puts(&sql, w.sql.p);
		buf_printf(&sql, "%s UNION %sSELECT t.deadline, t.unit_path, t.origin_path, t.id FROM task t", half_end,
			   halves ? "(" : "");
		buf_puts(&sql, w2.sql.p);
		buf_puts(&sql, half_end);
		buf_printf(&sql, " ORDER BY 1%s, 2, 3, 4 LIMIT ? OFFSET ?) k ON k.id = t.id "
				 "ORDER BY t.deadline%s, t.unit_path, t.origin_path, t.id", NULLS_FIRST(db), NULLS_FIRST(db));
	} else {
		if (f->own_user) {
			where_and(&w, "t.id IN (SELECT task_id FROM problem WHERE created_by = ?)");
			where_int(&w, f->own_user);
		} else if (!one) {
			where_scope(&w, f, U(db, "+t.origin_path"), U(db, "+t.unit_path"));
		}
		if (f->unit_path && !all) {
			int narrow = path_depth(f->unit_path) >= 3;
			where_subtree(&w, f->unit_path, narrow ? "t.unit_path" : U(db, "+t.unit_path"),
				      narrow ? "t.origin_path" : U(db, "+t.origin_path"));
		} else if (one && !all && !f->unit_path) {
			where_subtree(&w, sub, U(db, "+t.unit_path"), U(db, "+t.origin_path"));
		}
		where_filters(&w, f, db_is_pg(db));
		/* Fixed fragments only.  Other orders than the deadline's have no index of their own: the
		 * scope's tasks are sorted (a county-wide list by its last change reads every task). */
		if (f->sort == TSORT_UPDATED)
			buf_printf(&sql, "%s%s ORDER BY t.updated_at DESC, t.id DESC LIMIT ? OFFSET ?", TASK_LIST_COLS,
				   w.sql.p);
		else if (f->sort == TSORT_STATE)
			buf_printf(&sql, "%s%s ORDER BY " SQL_TASK_STATE_RANK ", t.deadline%s, t.id LIMIT ? OFFSET ?",
				   TASK_LIST_COLS, w.sql.p, NULLS_FIRST(db));
		else
			buf_printf(&sql, "%s%s ORDER BY t.deadline%s, t.unit_path, t.origin_path, t.id LIMIT ? OFFSET ?",
				   TASK_LIST_COLS, w.sql.p, NULLS_FIRST(db));
	}
	db_stmt *st = db_prepare(db, sql.p);
	*more = 0;
	int rc = st ? 0 : -1;
	if (st) {
		where_bind(&w, st, 1);
		int at = 1 + w.n;
		if (halves) /* each half's end: the page's */
			db_bind_int(st, at++, (int64_t)f->offset + f->limit + 1);
		where_bind(&w2, st, at);
		at += w2.n;
		if (halves)
			db_bind_int(st, at++, (int64_t)f->offset + f->limit + 1);
		db_bind_int(st, at, f->limit + 1);
		db_bind_int(st, at + 1, f->offset);
		write_rows(rd, cached, st, f->limit, rw, out, more);
		if (db_done(st))
			rc = -1; /* a failed step: no short page */
	}
	if (f->count && total && two) {
		/* The count over the two halves (the same set of tasks), each through its covering
		 * index: the subtree's tasks of the state and no others. */
		where_free(&w);
		where_free(&w2);
		where_init(&w);
		where_init(&w2);
		halves_where(db, f, sub, &w, &w2);
		buf_reset(&sql);
		buf_printf(&sql, "SELECT count(*) FROM (SELECT t.id FROM task t%s UNION SELECT t.id FROM task t%s%s) c",
			   w.sql.p, w2.sql.p, f->count_cap > 0 ? " LIMIT ?" : ""); /* sql-ident: fixed fragments */
		for (int i = 0; i < w2.n; i++)
			w2.v[i].is_int ? where_int(&w, w2.v[i].i) : where_str(&w, w2.v[i].s);
		if (f->count_cap > 0)
			where_int(&w, (int64_t)f->count_cap + 1);
		*total = where_count(db, sql.p, &w);
	} else if (f->count && total) {
		/* The count over the general clause (the same set of tasks). */
		where_free(&w);
		where_init(&w);
		if (f->own_user) {
			where_and(&w, "t.id IN (SELECT task_id FROM problem WHERE created_by = ?)");
			where_int(&w, f->own_user);
		} else {
			where_scope(&w, f, U(db, "+t.origin_path"), U(db, "+t.unit_path"));
		}
		if (f->unit_path) {
			int narrow = path_depth(f->unit_path) >= 3;
			where_subtree(&w, f->unit_path, narrow ? "t.unit_path" : U(db, "+t.unit_path"),
				      narrow ? "t.origin_path" : U(db, "+t.origin_path"));
		}
		where_filters(&w, f, db_is_pg(db));
		buf_reset(&sql);
		if (f->count_cap > 0) {
			buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 FROM task t%s LIMIT ?) c", w.sql.p); /* sql-ident: fixed fragments */
			where_int(&w, (int64_t)f->count_cap + 1);
		} else {
			buf_printf(&sql, "SELECT count(*) FROM task t%s", w.sql.p); /* sql-ident: fixed fragments */
		}
		*total = where_count(db, sql.p, &w);
	}
	buf_free(&sql);
	where_free(&w);
	where_free(&w2);
	return rc;
}

json_t *store_task_history(struct store_rd *rd, int64_t id)
{
	return store_item_history(rd, &task_kind, id);
}
