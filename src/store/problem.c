/* problem.c — the problem list in the store: intake, merge, decline, the lists, and the two reads
 * of the dispatcher's triage queue (the queue itself, and the candidates for a problem's likely
 * duplicates, which core/similar.h scores). */
#include "store/problem.h"
#include "store/vocab.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/rand.h"
#include "base/utf8.h"
#include "core/mask.h"
#include "core/problem.h"
#include "store/db.h"
#include "store/filter.h"
#include "store/org.h"
#include "store/internal.h"
#include "store/item.h"
#include "store/text.h"
#include "store/tx.h"
#include "store/vocab.h"
#include <stdio.h>
#include <string.h>

/* Tracking code: 3 characters that grow with the id (so new codes land together at the end of
 * the code index instead of dirtying a random page each) and 7 random ones (32^7 ≈ 3.4e10: not
 * guessable, and following an item also needs the last four phone digits). */
static void make_code(char *code, int64_t id)
{
	static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	uint64_t bucket = (uint64_t)id >> 10;
	for (int i = 2; i >= 0; i--, bucket >>= 5)
		code[i] = alphabet[bucket & 31];
	for (int i = 3; i < 10; i++)
		code[i] = alphabet[rand_uniform(32)];
	code[10] = 0;
}

/* What intake prepares off the writer (store_problem_prepare): the rows but for what only the
 * writer knows (id, code, unit_path; problem_id), every value sealed, masked and hashed, and the
 * originals and masked description the writer needs to apply the event without opening or
 * masking anything again. */
struct problem_prep {
	struct store *s;
	int64_t now, actor;
	json_t *row, *pii;       /* pii NULL: no personal data given */
	char *desc, *desc_masked, *name; /* originals (plaintext; zeroed when freed) */
	struct payload_tpl *tpl; /* the event's text, holes: 0 id, 1 code, 2 unit_path (NULL: none) */
};

struct problem_prep *store_problem_prepare(struct store *s, int64_t actor, const struct problem_new *p, int64_t now)
{
	struct problem_prep *pp = xcalloc(1, sizeof *pp);
	pp->s = s;
	pp->now = now;
	pp->actor = actor;
	const unsigned char *key = store_key(s);
	pp->row = json_pack("{ss so ss si si sI sI sI}", "source", p->source ? p->source : "",
			    "description", text_seal_key(key, p->description), "state", problem_state_name(PS_NEW),
			    "anonymous", p->anonymous ? 1 : 0, "no_disclose", p->no_disclose ? 1 : 0, "created_by",
			    (json_int_t)actor, "created_at", (json_int_t)now, "updated_at", (json_int_t)now);
	json_object_set_new(pp->row, "unit_id", json_integer(p->unit_id));
	json_object_set_new(pp->row, "category_id", p->category_id ? json_integer(p->category_id) : json_null());
	json_object_set_new(pp->row, "visit_id", p->visit_id ? json_integer(p->visit_id) : json_null());
	char *masked = (!p->anonymous && p->name) ? mask_apply(MASK_NAME, p->name, MASK_PUBLIC) : NULL;
	json_object_set_new(pp->row, "reporter_masked", masked ? json_string(masked) : json_null());
	free(masked);
	if (p->name || p->phone || p->id_no || p->address) {
		pp->pii = json_object();
		const char *vals[] = {p->name, p->phone, p->id_no, p->address};
		const char *cols[] = {"name", "phone", "id_no", "address"};
		for (int i = 0; i < 4; i++) {
			char *sealed = vals[i] ? seal_with(key, vals[i]) : NULL;
			json_object_set_new(pp->pii, cols[i], sealed ? json_string(sealed) : json_null());
			free(sealed);
		}
		char hex[33];
		if (p->phone && phone_hash_with(key, p->phone, hex) == 0)
			json_object_set_new(pp->pii, "phone_hash", json_string(hex));
	}
	if (p->name)
		pp->name = xstrdup(p->name); /* the name masks the text of the same event */
	if (p->description && *p->description) {
		/* masked as applying the event would: with the names the event knows (text_names) */
		pp->desc = xstrdup(p->description);
		json_t *names = json_array();
		if (p->name && *p->name)
			json_array_append_new(names, json_string(p->name));
		json_t *plain = json_string(p->description); /* the same masking, without opening the seal */
		pp->desc_masked = text_project(key, NULL, plain, 0, names);
		json_decref(plain);
		json_decref(names);
	}
	/* the event's text, serialised here with holes for the writer's id, code and unit path */
	json_object_set_new(pp->row, "id", payload_hole(0));
	json_object_set_new(pp->row, "code", payload_hole(1));
	json_object_set_new(pp->row, "unit_path", payload_hole(2));
	json_t *rows = json_pack("{sO}", "problem", pp->row);
	if (pp->pii) {
		json_object_set_new(pp->pii, "problem_id", payload_hole(0));
		json_object_set(rows, "problem_pii", pp->pii);
	}
	json_t *payload = json_pack("{so}", "rows", rows);
	/* the rows as the record holds them (event_payload_trim, as store_emit does): what INSERT
	 * gives anyway and the stamps equal to now are left out; the writer puts the stamps back
	 * before applying (store_problem_create_prepared) */
	event_payload_trim(NULL, payload, 1, now);
	pp->tpl = payload_tpl_new(payload, pp->pii ? 4 : 3);
	json_decref(payload);
	return pp;
}

int store_problem_prep_fits(const struct problem_prep *pp, struct store_tx *tx)
{
	return pp && pp->s == store_tx_store(tx) && pp->now == store_tx_now(tx) && json_is_object(pp->row);
}

void store_problem_prep_free(struct problem_prep *pp)
{
	if (!pp)
		return;
	json_decref(pp->row);
	json_decref(pp->pii);
	payload_tpl_free(pp->tpl);
	plain_free(pp->desc);
	plain_free(pp->desc_masked);
	plain_free(pp->name);
	free(pp);
}

int store_problem_create_prepared(struct store_tx *tx, const struct problem_new *p, struct problem_prep *pp,
				  int64_t *id, char *code, struct qd_err *err)
{
	if (!store_problem_prep_fits(pp, tx))
		return qd_fail(err, QD_EINTERNAL, NULL, "内部错误：登记数据不一致", "internal error: intake prepared for another command");
	db_conn *db = store_tx_db(tx);
	struct unit u;
	if (store_unit_get(store_tx_rd(tx), p->unit_id, &u, err))
		return -1;
	if (problem_source_parse(p->source) < 0)
		return qd_fail(err, QD_EINVAL, "source", "问题来源无效", "source is not a known source");
	if (p->category_id && !store_category_exists(db, p->category_id))
		return qd_fail(err, QD_ENOTFOUND, "category_id", "问题类别不存在", "no such category");
	if (p->visit_id && db_int(db, "SELECT count(*) FROM visit WHERE id=?", p->visit_id, 0) != 1)
		return qd_fail(err, QD_ENOTFOUND, "visit_id", "走访记录不存在", "no such visit");
	int64_t nid = store_next_id(tx, "problem");
	make_code(code, nid);
	json_t *row = pp->row;
	json_object_set_new(row, "id", json_integer(nid));
	json_object_set_new(row, "code", json_string(code));
	json_object_set_new(row, "unit_path", json_string(u.path));
	json_t *rows = json_pack("{sO}", "problem", row);
	if (pp->pii) {
		json_object_set_new(pp->pii, "problem_id", json_integer(nid));
		json_object_set(rows, "problem_pii", pp->pii);
		const char *ns = json_string_value(json_object_get(pp->pii, "name"));
		if (ns && pp->name)
			tx_remember(tx, ns, pp->name, NULL);
	}
	const char *ds = json_string_value(json_object_get(json_object_get(row, "description"), "sealed"));
	if (ds && pp->desc)
		tx_remember(tx, ds, pp->desc, pp->desc_masked);
	json_t *payload = json_pack("{so}", "rows", rows);
	int64_t seq;
	if (pp->tpl) {
		char idv[24], codev[24];
		snprintf(idv, sizeof idv, "%lld", (long long)nid);
		snprintf(codev, sizeof codev, "\"%s\"", code); /* the code's alphabet needs no escaping */
		json_t *pv = json_string(u.path);
		char *pathv = json_dumps(pv, JSON_ENCODE_ANY);
		json_decref(pv);
		const char *vals[] = {idv, codev, pathv};
		char *text = payload_tpl_fill(pp->tpl, vals);
		free(pathv);
		event_stamps_fill(payload, pp->now, 1); /* the rows as they are applied */
		seq = store_emit_text(tx, pp->actor, "problem.create", "problem", nid, payload, text, err);
	} else {
		seq = store_emit(tx, pp->actor, "problem.create", "problem", nid, payload, err);
	}
	json_decref(payload);
	if (seq < 0)
		return -1;
	*id = nid;
	return 0;
}

int store_problem_create(struct store_tx *tx, int64_t actor, const struct problem_new *p,
			 int64_t *id, char *code, struct qd_err *err)
{
	struct problem_prep *pp = store_problem_prepare(store_tx_store(tx), actor, p, store_tx_now(tx));
	int rc = store_problem_create_prepared(tx, p, pp, id, code, err);
	store_problem_prep_free(pp);
	return rc;
}

/* "problem.<action>": the event of a triage action, its name from core's vocabulary. */
static const char *event_kind(enum problem_action a, char out[32])
{
	snprintf(out, 32, "problem.%s", problem_action_name(a));
	return out;
}

static int state_of(db_conn *db, int64_t id, char *state, size_t n, struct qd_err *err)
{
	db_stmt *st = db_prepare(db, "SELECT state FROM problem WHERE id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(state, n, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return qd_fail(err, QD_ENOTFOUND, "id", "问题不存在", "no such problem");
	return 0;
}

static int need_new(db_conn *db, int64_t id, const char *field, struct qd_err *err)
{
	char state[16];
	if (state_of(db, id, state, sizeof state, err)) {
		snprintf(err->field, sizeof err->field, "%s", field);
		return -1;
	}
	if (problem_state_parse(state) != PS_NEW)
		return qd_fail(err, QD_ECONFLICT, field, "该问题已处理（%s），不能再操作", "the problem is already %s",
			       state, state);
	return 0;
}

int store_problem_merge(struct store_tx *tx, int64_t actor, int64_t id, int64_t into,
			struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	if (need_new(db, id, "id", err))
		return -1;
	if (id == into)
		return qd_fail(err, QD_EINVAL, "into", "不能与自身合并", "a problem cannot be merged into itself");
	char state[16];
	if (state_of(db, into, state, sizeof state, err)) {
		snprintf(err->field, sizeof err->field, "into");
		return -1;
	}
	int into_state = problem_state_parse(state);
	if (into_state == PS_MERGED || into_state == PS_DECLINED)
		return qd_fail(err, QD_ECONFLICT, "into", "目标问题已合并或不予受理", "the target problem is %s", state);
	json_t *row = json_pack("{sI ss sI sI}", "id", (json_int_t)id, "state", problem_state_name(PS_MERGED), "merged_into",
				(json_int_t)into, "updated_at", (json_int_t)store_tx_now(tx));
	char kind[32];
	return store_emit_row(tx, actor, event_kind(PA_MERGE, kind), "problem", id, row, NULL, err);
}

int store_problem_decline(struct store_tx *tx, int64_t actor, int64_t id, const char *reason,
			  struct qd_err *err)
{
	if (need_new(store_tx_db(tx), id, "id", err))
		return -1;
	json_t *row = json_pack("{sI ss so sI}", "id", (json_int_t)id, "state", problem_state_name(PS_DECLINED), "decline_reason",
				text_seal(tx, reason), "updated_at", (json_int_t)store_tx_now(tx));
	json_t *extra = json_object();
	text_put_names(tx, extra, store_problem_names(store_tx_db(tx), store_key(store_tx_store(tx)), &id, 1));
	char kind[32];
	return store_emit_row(tx, actor, event_kind(PA_DECLINE, kind), "problem", id, row, extra, err);
}

int store_problem_classify(struct store_tx *tx, int64_t actor, int64_t id, int64_t category_id,
			   struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	if (need_new(db, id, "id", err))
		return -1;
	if (!store_category_exists(db, category_id))
		return qd_fail(err, QD_ENOTFOUND, "category_id", "问题类别不存在", "no such category");
	json_t *row = json_pack("{sI sI sI}", "id", (json_int_t)id, "category_id", (json_int_t)category_id,
				"updated_at", (json_int_t)store_tx_now(tx));
	/* the category chosen, beside the row, for the timeline */
	json_t *extra = json_pack("{sI}", "category_id", (json_int_t)category_id);
	char kind[32];
	return store_emit_row(tx, actor, event_kind(PA_CLASSIFY, kind), "problem", id, row, extra, err);
}

json_t *store_problem_names(db_conn *db, const unsigned char *key, const int64_t *ids, int n)
{
	json_t *a = json_array();
	db_stmt *st = db_prepare(db, "SELECT name FROM problem_pii WHERE problem_id=? AND name IS NOT NULL");
	for (int i = 0; st && i < n; i++) {
		db_bind_int(st, 1, ids[i]);
		if (db_step(st) == DB_ROW) {
			char *name = unseal_with(key, db_col_text(st, 0));
			int dup = 0;
			size_t k;
			json_t *v;
			json_array_foreach(a, k, v)
				dup |= name && strcmp(json_string_value(v), name) == 0;
			if (name && *name && !dup)
				json_array_append_new(a, json_string(name));
			plain_free(name);
		}
		db_reset(st);
	}
	db_done(st);
	return a;
}

json_t *store_task_names(db_conn *db, const unsigned char *key, int64_t task_id)
{
	int64_t ids[256];
	int n = 0;
	json_t *all = json_array();
	db_stmt *st = db_prepare(db, "SELECT id FROM problem WHERE task_id=? ORDER BY id");
	if (!st)
		return all;
	db_bind_int(st, 1, task_id);
	int more = 1;
	while (more) {
		n = 0;
		while (n < 256 && (more = db_step(st) == DB_ROW))
			ids[n++] = db_col_int64(st, 0);
		json_t *part = store_problem_names(db, key, ids, n);
		json_array_extend(all, part);
		json_decref(part);
	}
	db_done(st);
	return all;
}

int store_problem_link(struct store_tx *tx, int64_t actor, int64_t id, int64_t task_id,
		       struct qd_err *err)
{
	json_t *row = json_pack("{sI ss sI sI}", "id", (json_int_t)id, "state", problem_state_name(PS_ASSIGNED), "task_id",
				(json_int_t)task_id, "updated_at", (json_int_t)store_tx_now(tx));
	char kind[32];
	return store_emit_row(tx, actor, event_kind(PA_LINK, kind), "problem", id, row, NULL, err);
}

void store_problem_reporter(struct store_tx *tx, int64_t id, json_t *o)
{
	static const char *const cols[] = {"name", "phone", "id_no", "address"};
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "SELECT name, phone, id_no, address FROM problem_pii WHERE problem_id=?");
	int row = 0;
	if (st) {
		db_bind_int(st, 1, id);
		row = db_step(st) == DB_ROW;
	}
	for (int i = 0; i < 4; i++) {
		char *plain = row ? store_open_sealed(store_tx_store(tx), db_col_text(st, i)) : NULL;
		json_object_set_new(o, cols[i], plain ? json_string(plain) : json_null());
		plain_free(plain);
	}
	db_done(st);
}

#define PROBLEM_COLS                                                                               \
	"SELECT p.id, p.code, p.unit_id, n.name AS unit_name, p.unit_path, p.category_id, "         \
	"c.name AS category_name, p.source, p.description, p.state, p.task_id, p.merged_into, "    \
	"p.decline_reason, p.visit_id, p.anonymous, p.no_disclose, p.reporter_masked, "            \
	"p.created_by, p.created_at, p.updated_at, k.state AS task_state FROM problem p "          \
	"JOIN unit n ON n.id=p.unit_id LEFT JOIN category c ON c.id=p.category_id "                \
	"LEFT JOIN task k ON k.id=p.task_id"

json_t *store_problem_get(struct store_rd *rd, int64_t id)
{
	db_conn *db = rd->db;
	return db_get_row(db, PROBLEM_COLS " WHERE p.id=?", id);
}

json_t *store_task_problems(struct store_rd *rd, int64_t task_id)
{
	db_conn *db = rd->db;
	return db_get_rows(db, PROBLEM_COLS " WHERE p.task_id=? ORDER BY p.id", task_id);
}

/* A merge chain is followed at most this far (merges make no cycle: only a new problem is
 * merged, and never into a merged one; the bound is a guard, not a limit met in practice). */
#define MERGE_CHAIN_MAX 64

json_t *store_problem_get_linked(struct store_rd *rd, int64_t id)
{
	db_conn *db = rd->db;
	json_t *p = store_problem_get(rd, id);
	if (!p)
		return NULL;
	/* up the chain of merged_into (primary-key steps) to the problem it ends at, its task and
	 * that task's state */
	db_stmt *st = db_prepare(db, "WITH RECURSIVE up(id, nxt, n) AS (SELECT id, merged_into, 0 FROM problem WHERE id = ? "
				     "UNION ALL SELECT q.id, q.merged_into, up.n + 1 FROM problem q JOIN up ON q.id = up.nxt "
				     "WHERE up.n < ?) SELECT m.id, m.task_id, t.state FROM up JOIN problem m ON m.id = up.id "
				     "LEFT JOIN task t ON t.id = m.task_id WHERE up.nxt IS NULL");
	if (!st) {
		json_decref(p);
		return NULL;
	}
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, MERGE_CHAIN_MAX);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int64_t master = db_col_int64(st, 0);
		int merged = master != id;
		json_object_set_new(p, "master_id", merged ? json_integer(master) : json_null());
		json_object_set_new(p, "master_task_id",
				    merged && !db_col_null(st, 1) ? json_integer(db_col_int64(st, 1)) : json_null());
		json_object_set_new(p, "task_state", db_col_json(st, 2));
	}
	if (db_done(st) || (rc != DB_ROW && rc != DB_DONE)) {
		log_error("the merge chain of problem %lld: %s", (long long)id, db_errmsg(db));
		json_decref(p);
		return NULL;
	}
	return p;
}

/* The problems' events, read as any item's (store/item.h): a table, no machine. */
static const struct store_kind problem_log = {.m = NULL, .table = "problem"};

json_t *store_problem_history(struct store_rd *rd, int64_t id)
{
	return store_item_history(rd, &problem_log, id);
}

json_t *store_task_duplicates(struct store_rd *rd, int64_t task_id)
{
	db_conn *db = rd->db;
	/* down the chains from the task's problems (the index problem_merged, migration 10) */
	return db_get_rows(db, "WITH RECURSIVE linked(id) AS (SELECT id FROM problem WHERE task_id = ? UNION "
			       "SELECT q.id FROM problem q JOIN linked l ON q.merged_into = l.id) " PROBLEM_COLS
			       " WHERE p.id IN (SELECT id FROM linked) AND p.task_id IS NULL ORDER BY p.id",
			   task_id);
}

/* One page of problems under w in order (a fixed ORDER BY text), and with f->count the number of
 * all of them: the problem list and the triage queue. */
static json_t *problem_page(db_conn *db, struct where *w, const char *order, const struct list_filter *f, int *more,
			    int64_t *total)
{
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, "%s%s ORDER BY %s LIMIT ? OFFSET ?", PROBLEM_COLS, w->sql.p, order); /* sql-ident: fixed fragments and orders */
	json_t *arr = where_page(db, sql.p, w, f, more);
	if (f->count && total) {
		buf_reset(&sql);
		if (f->count_cap > 0) {
			buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 FROM problem p%s LIMIT ?) c", w->sql.p); /* sql-ident: fixed fragments */
			where_int(w, (int64_t)f->count_cap + 1);
		} else {
			buf_printf(&sql, "SELECT count(*) FROM problem p%s", w->sql.p); /* sql-ident: fixed fragments */
		}
		*total = where_count(db, sql.p, w);
	}
	buf_free(&sql);
	return arr;
}

json_t *store_problem_list(struct store_rd *rd, const struct list_filter *f, int *more, int64_t *total)
{
	db_conn *db = rd->db;
	struct where w;
	where_init(&w);
	if (f->own_user) {
		where_and(&w, "p.created_by = ?");
		where_int(&w, f->own_user);
	} else {
		where_scope(&w, f, "p.unit_path", NULL);
	}
	if (f->unit_path) {
		where_subtree(&w, f->unit_path, "p.unit_path", NULL);
	}
	if (f->state) {
		where_and(&w, "p.state = ?");
		where_str(&w, f->state);
	}
	if (f->category_id) {
		where_and(&w, "p.category_id IN (SELECT id FROM category WHERE id = ? OR parent_id = ?)");
		where_int(&w, f->category_id);
		where_int(&w, f->category_id);
	}
	if (f->phone_hash && db_is_pg(db)) { /* PostgreSQL: an index on the column itself (schema_pg.c) */
		where_and(&w, "p.id IN (SELECT problem_id FROM problem_pii WHERE phone_hash = ?)");
		where_str(&w, f->phone_hash);
	} else if (f->phone_hash) {
		/* the batched index, and the rows above its mark by a range scan (search.c) */
		where_and(&w, "p.id IN (SELECT problem_id FROM phone_index WHERE phone_hash = ? UNION ALL "
			      "SELECT problem_id FROM problem_pii WHERE problem_id > (SELECT CAST(value AS INTEGER) "
			      "FROM meta WHERE key='fts_problem_upto') AND phone_hash = ?)");
		where_str(&w, f->phone_hash);
		where_str(&w, f->phone_hash);
	}
	if (f->q && *f->q) {
		struct fts_like l;
		fts_like_make(&l, f->q);
		if (db_is_pg(db)) { /* the trigram index on the column answers LIKE itself (schema_pg.c) */
			where_and(&w, "p.description LIKE ? ESCAPE '\\'");
			where_str(&w, l.exact);
		} else if (l.index) {
			/* the index up to its mark, a scan above it (search.c) */
			where_and(&w, "p.id IN (SELECT rowid FROM problem_fts WHERE description LIKE ?) OR "
				      "(p.id > (SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto') "
				      "AND p.description LIKE ? ESCAPE '\\')");
			where_str(&w, l.index);
			where_str(&w, l.exact);
			if (l.wild) { /* the index's answer holds any character where q has % or _ */
				where_and(&w, "p.description LIKE ? ESCAPE '\\'");
				where_str(&w, l.exact);
			}
		} else {
			where_and(&w, "p.description LIKE ? ESCAPE '\\'");
			where_str(&w, l.exact);
		}
		fts_like_free(&l);
	}
	/* the orders of core/problem.h: the newest and the oldest by id (the order recorded, from the
	 * primary key), by state through the state's rank */
	static const char *const orders[PSORT__COUNT] = {
	    [PSORT_NEWEST] = "p.id DESC",
	    [PSORT_OLDEST] = "p.id",
	    [PSORT_STATE] = SQL_PROBLEM_STATE_RANK ", p.id DESC",
	};
	const char *order = f->sort > 0 && f->sort < PSORT__COUNT ? orders[f->sort] : orders[PSORT_NEWEST];
	json_t *arr = problem_page(db, &w, order, f, more, total);
	where_free(&w);
	return arr;
}

json_t *store_triage_queue(struct store_rd *rd, const struct list_filter *f, int *more, int64_t *total)
{
	db_conn *db = rd->db;
	struct where w;
	where_init(&w);
	where_scope(&w, f, "p.unit_path", NULL);
	if (f->unit_path)
		where_subtree(&w, f->unit_path, "p.unit_path", NULL);
	where_and(&w, "p.state = ?");
	where_str(&w, problem_state_name(PS_NEW));
	/* oldest first: the index problem_state(state, created_at) gives the order */
	json_t *arr = problem_page(db, &w, "p.created_at, p.id", f, more, total);
	where_free(&w);
	return arr;
}

/* A candidate is its id and its text alone: a page compares ~1,500 of them (the item page at
 * 1,000,000 tasks) and reads the few that match whole (store_problem_get). */
#define NEARBY_COLS "SELECT p.id, p.description FROM problem p"

json_t *store_problem_nearby(struct store_rd *rd, const char *unit_path, int64_t from, int64_t to, int only_new)
{
	db_conn *db = rd->db;
	/* the index problem_list(unit_path, created_at) answers it; only the new ones, the partial
	 * index problem_new_near (its condition spelled as the index's, or SQLite would not use it) */
	db_stmt *st = db_prepare(db, only_new ? NEARBY_COLS " WHERE p.state = " SQL_PROBLEM_NEW " AND p.unit_path = ? "
								 "AND p.created_at >= ? AND p.created_at <= ? ORDER BY p.created_at, p.id"
					      : NEARBY_COLS " WHERE p.unit_path = ? AND p.created_at >= ? AND "
							     "p.created_at <= ? ORDER BY p.created_at, p.id");
	if (!st)
		return NULL;
	db_bind_text(st, 1, unit_path);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, db_row_json(st));
	if (rc != DB_DONE) {
		log_error("nearby problems query failed: %s", db_errmsg(db));
		json_decref(arr);
		arr = NULL;
	}
	db_done(st);
	return arr;
}
