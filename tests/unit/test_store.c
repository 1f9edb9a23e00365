/* test_store.c — unit tests for the durable store: integrity check (SQLite, FTS, hash chain,
 * replay of the log against the projections), tampering with an event or a projection, group
 * commit where one command of a batch fails, the sealed personal data, the bounded write queue,
 * and the online backup.  Every test works on its own database in a fresh temp directory and
 * removes it (db, -wal, -shm, .key) afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "tmpdb.h"

#include "base/mem.h"
#include "base/date.h"
#include "base/err.h"
#include "base/log.h"
#include "core/role.h"
#include "core/task.h"
#include "store/check.h"
#include "store/db.h"
#include "store/org.h"
#include "store/payload.h"
#include "base/buf.h"
#include "store/problem.h"
#include "store/text.h"
#include "store/store.h"
#include "store/task.h"
#include "store/tx.h"
#include "store/write.h"
#include "store/internal.h" /* the store's own test: its connections */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHONE "13912345678"
#define ID_NO "420123199001011234"
#define NAME "张三丰"
#define ADDRESS "湖北省监利市周老嘴镇新河口村三组18号"

struct fx {
	struct tmpdb db;
	struct store *s;
	int64_t county, town, village;
	int64_t dispatcher, handler, leader, supervisor, grid;
	int64_t category;
	int64_t problem[5];
	int64_t task_done, task_open;
};

/* ---- files --------------------------------------------------------------------------------- */

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static struct store *open_store(const char *path, int create, int queue_max)
{
	struct store_opts o = {.path = path, .create = create, .queue_max = queue_max, .now = clock_now_ms()};
	struct store *s = NULL;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_open(&s, &o, &err) != 0)
		fail_msg("store_open(%s): %s", path, err.en);
	return s;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (tmpdb_make(&f->db, "store")) {
		free(f);
		return -1;
	}
	f->s = open_store(f->db.path, 1, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->s)
		store_close(f->s);
	char p[256];
	snprintf(p, sizeof p, "%s/backup.db", f->db.dir);
	tmpdb_unlink(p);
	snprintf(p, sizeof p, "%s/other.db", f->db.dir);
	tmpdb_unlink(p);
	int rc = tmpdb_remove(&f->db);
	free(f);
	if (rc)
		return -1;
	return 0;
}

/* ---- commands ------------------------------------------------------------------------------- */

static int cmd_seed(struct store_tx *tx, void *arg, struct qd_err *err)
{
	(void)arg;
	return store_org_seed(tx, err);
}

static int user(struct store_tx *tx, const char *username, const char *name, int64_t unit, enum role role,
		int64_t *id, struct qd_err *err)
{
	if (store_user_create(tx, 0, username, name, unit, "not-a-real-hash", id, err))
		return -1;
	return store_grant_add(tx, 0, *id, role, unit, err);
}

static int cmd_org(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	if (store_unit_create(tx, 0, 0, "监利市", "county", NULL, &f->county, err) ||
	    store_unit_create(tx, 0, f->county, "周老嘴镇", "township", "township", &f->town, err) ||
	    store_unit_create(tx, 0, f->town, "新河口村", "village", "", &f->village, err))
		return -1;
	if (user(tx, "dispatch", "王调度", f->county, ROLE_DISPATCHER, &f->dispatcher, err) ||
	    store_grant_add(tx, 0, f->dispatcher, ROLE_PII, f->county, err) ||
	    user(tx, "handler", "李承办", f->town, ROLE_HANDLER, &f->handler, err) ||
	    user(tx, "leader", "赵领导", f->county, ROLE_LEADER, &f->leader, err) ||
	    user(tx, "supervisor", "钱督导", f->county, ROLE_SUPERVISOR, &f->supervisor, err) ||
	    user(tx, "grid", "孙网格", f->village, ROLE_GRID, &f->grid, err))
		return -1;
	return store_category_create(tx, 0, 0, "基础设施", &f->category, err);
}

static int cmd_problems(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	static const char *const texts[5] = {"新河口村三组道路破损，雨天积水严重", "三组路面坑洼，出行不便",
					     "村里路灯不亮，晚上出行不安全", "邻里宅基地纠纷需要调解",
					     "三组道路积水（重复反映）"};
	for (int i = 0; i < 5; i++) {
		struct problem_new p = {.unit_id = f->village,
					.category_id = f->category,
					.source = "visit",
					.description = texts[i]};
		if (i == 0) {
			p.name = NAME;
			p.phone = PHONE;
			p.id_no = ID_NO;
			p.address = ADDRESS;
		}
		char code[16];
		if (store_problem_create(tx, f->grid, &p, &f->problem[i], code, err))
			return -1;
		if (strlen(code) != 10)
			return qd_fail(err, QD_EINTERNAL, "code", "跟踪码长度错误", "tracking code length %zu", strlen(code));
	}
	if (store_problem_decline(tx, f->dispatcher, f->problem[3], "属于司法诉讼程序", err))
		return -1;
	return store_problem_merge(tx, f->dispatcher, f->problem[4], f->problem[0], err);
}

/* The user's grants copied into g[0..max); more than max (or a read error) stops the test. */
static void load_actor(struct store_tx *tx, int64_t uid, struct grant *g, int max, struct actor *a)
{
	struct grant *all;
	int n = store_user_grants(store_tx_rd(tx), uid, &all);
	if (n < 0 || n > max) {
		fprintf(stderr, "load_actor: user %lld has %d grants, room for %d\n", (long long)uid, n, max);
		abort();
	}
	memcpy(g, all, (size_t)n * sizeof *g);
	free(all);
	a->user_id = uid;
	a->grants = g;
	a->ngrants = n;
}

static int act(struct store_tx *tx, int64_t uid, int64_t task, enum task_action action, struct task_input *in,
	       struct qd_err *err)
{
	struct grant g[16];
	struct actor a;
	load_actor(tx, uid, g, 16, &a);
	return store_task_act(tx, &a, task, action, in, err);
}

static int cmd_tasks(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	struct grant g[16];
	struct actor a;
	load_actor(tx, f->dispatcher, g, 16, &a);
	if (a.ngrants != 2)
		return qd_fail(err, QD_EINTERNAL, "grants", "授权数错误", "dispatcher has %d grants", a.ngrants);
	int64_t two[2] = {f->problem[0], f->problem[1]};
	struct task_new tn = {.title = "修复新河口村三组道路", .measures = "铺设水泥路面，疏通排水沟", .tier = TIER_SCHEDULED,
			      .urgency = URG_NORMAL, .problem_ids = two, .nproblems = 2};
	if (store_task_create(tx, &a, &tn, &f->task_done, err))
		return -1;
	struct task_new tn2 = {.title = "修复新河口村路灯", .tier = TIER_SCHEDULED, .urgency = URG_COMPLEX,
			       .problem_ids = &f->problem[2], .nproblems = 1};
	if (store_task_create(tx, &a, &tn2, &f->task_open, err))
		return -1;
	struct task_input in;
	int64_t tasks[2] = {f->task_done, f->task_open};
	for (int i = 0; i < 2; i++) {
		task_input_init(&in);
		in.unit_id = f->town;
		in.handler_id = f->handler;
		in.leader_id = f->leader;
		if (act(tx, f->dispatcher, tasks[i], TA_ASSIGN, &in, err))
			return -1;
		task_input_init(&in);
		if (act(tx, f->handler, tasks[i], TA_ACCEPT, &in, err))
			return -1;
		in.note = "已现场查看，正在施工";
		in.progress = 50;
		if (act(tx, f->handler, tasks[i], TA_PROGRESS, &in, err))
			return -1;
	}
	task_input_init(&in);
	in.note = "道路已修复";
	in.outcome = OUT_RESOLVED;
	if (act(tx, f->handler, f->task_done, TA_COMPLETE, &in, err))
		return -1;
	task_input_init(&in);
	in.satisfaction = SAT_SATISFIED;
	in.solved = 1;
	if (act(tx, f->supervisor, f->task_done, TA_FOLLOW_UP, &in, err))
		return -1;
	task_input_init(&in);
	return act(tx, f->dispatcher, f->task_done, TA_SIGN_OFF, &in, err);
}

static void run(struct fx *f, store_cmd_fn fn, void *arg)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_run(f->s, clock_now_ms(), fn, arg, &err) != 0)
		fail_msg("command failed: %s (%s, field '%s')", err.en, qd_code_name(err.code), err.field);
}

static void populate(struct fx *f)
{
	run(f, cmd_seed, NULL);
	run(f, cmd_org, f);
	run(f, cmd_problems, f);
	run(f, cmd_tasks, f);
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t event_count(struct fx *f)
{
	return q_int(db_lite(store_reader(f->s)->db), "SELECT count(*) FROM event");
}

/* Direct SQL on a closed database (the tamperer's view). */
static void tamper(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(payload_sql_register(db), SQLITE_OK); /* qd_payload(), as the store's connections */
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_close(db);
}

static void check_ok_key(const char *path, const char *key, int64_t events)
{
	struct check_report r;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = store_check(path, key, &r, NULL, &err);
	if (rc != 0)
		fail_msg("store_check(%s) failed: integrity %d fts %d chain %d (break at %lld) replay %d (%s, %lld rows): %s",
			 path, r.integrity_ok, r.fts_ok, r.chain_ok, (long long)r.chain_break_at, r.replay_ok,
			 r.mismatch_table, (long long)r.mismatched_rows, err.en);
	assert_int_equal(r.integrity_ok, 1);
	assert_int_equal(r.fts_ok, 1);
	assert_int_equal(r.chain_ok, 1);
	assert_int_equal(r.chain_break_at, 0);
	assert_int_equal(r.replay_ok, 1);
	assert_int_equal(r.mismatched_rows, 0);
	assert_int_equal(r.events, events);
}

static void check_ok(const char *path, int64_t events)
{
	check_ok_key(path, NULL, events);
}

/* ---- (a) check on a fresh and a populated database ----------------------------------------- */

static void test_check_fresh_and_populated(void **state)
{
	struct fx *f = *state;
	assert_true(exists(f->db.path));
	char key[256];
	snprintf(key, sizeof key, "%s.key", f->db.path);
	struct stat sb;
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 077, 0); /* the key is private to its owner */
	check_ok(f->db.path, 0);
	run(f, cmd_seed, NULL);
	assert_int_equal(event_count(f), 2); /* calendar.seed, setting.set */
	check_ok(f->db.path, 2);
	run(f, cmd_org, f);
	run(f, cmd_problems, f);
	run(f, cmd_tasks, f);
	int64_t n = event_count(f);
	assert_true(n > 20);
	check_ok(f->db.path, n); /* while the store is open */
	/* the projections say what the commands did */
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	assert_non_null(db);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT state='signed_off' AND followed_up=1 AND satisfaction='satisfied' FROM task WHERE id=%lld",
		 (long long)f->task_done);
	assert_int_equal(q_int(db, sql), 1);
	snprintf(sql, sizeof sql, "SELECT state='in_progress' AND progress=50 FROM task WHERE id=%lld", (long long)f->task_open);
	assert_int_equal(q_int(db, sql), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem WHERE state='assigned'"), 3);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem WHERE state='declined'"), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem WHERE state='merged'"), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE kind='task.sign_off'"), 1);
	assert_int_equal(q_int(db, "SELECT max(seq) FROM event"), n);
	store_close(f->s);
	f->s = NULL;
	check_ok(f->db.path, n); /* and closed */
	/* reopened, the chain continues */
	f->s = open_store(f->db.path, 0, 0);
	run(f, cmd_seed, NULL);
	assert_int_equal(event_count(f), n + 2);
	check_ok(f->db.path, n + 2);
}

/* A refused action changes nothing and appends nothing. */
struct refused_arg {
	enum task_action action;
	int64_t actor, task;
	int with_outcome;
};

static int cmd_refused(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct refused_arg *r = arg;
	struct task_input in;
	task_input_init(&in);
	in.satisfaction = SAT_SATISFIED;
	in.solved = 1;
	in.note = "说明";
	in.reason = "理由";
	if (r->with_outcome)
		in.outcome = OUT_RESOLVED;
	return act(tx, r->actor, r->task, r->action, &in, err);
}

static void refused(struct fx *f, enum task_action a, int64_t actor, int64_t task, enum qd_code code,
		    const char *field)
{
	struct refused_arg r = {a, actor, task, 0};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_run(f->s, clock_now_ms(), cmd_refused, &r, &err) != -1 || err.code != code ||
	    (field && strcmp(err.field, field) != 0))
		fail_msg("%s by %lld on task %lld: code %s field '%s', want %s '%s'", task_action_name(a),
			 (long long)actor, (long long)task, qd_code_name(err.code), err.field, qd_code_name(code),
			 field ? field : "*");
}

static void test_refused_action_appends_nothing(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t n = event_count(f);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT updated_at FROM task WHERE id=%lld", (long long)f->task_open);
	int64_t updated = q_int(db_lite(store_reader(f->s)->db), sql);
	refused(f, TA_COMPLETE, f->handler, f->task_open, QD_EINVAL, "outcome");    /* input */
	refused(f, TA_FOLLOW_UP, f->dispatcher, f->task_open, QD_ECONFLICT, "action"); /* state */
	refused(f, TA_COMPLETE, f->grid, f->task_open, QD_EPERM, "action");         /* right */
	refused(f, TA_COMPLETE, f->dispatcher, f->task_open, QD_EPERM, "action");
	refused(f, TA_SIGN_OFF, f->leader, f->task_done, QD_ECONFLICT, "action");
	refused(f, TA_REOPEN, f->leader, f->task_done, QD_EPERM, "action");
	refused(f, TA_REOPEN, f->grid, f->task_done, QD_EPERM, "action");
	refused(f, TA_REOPEN, f->dispatcher, 9999, QD_ENOTFOUND, "id");
	assert_int_equal(event_count(f), n);
	assert_int_equal(q_int(db_lite(store_reader(f->s)->db), sql), updated);
	/* the handler completes; he may not follow up (no right, and he is the handler) */
	struct refused_arg ok = {TA_COMPLETE, f->handler, f->task_open, 1};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_run(f->s, clock_now_ms(), cmd_refused, &ok, &err), 0);
	refused(f, TA_FOLLOW_UP, f->handler, f->task_open, QD_EPERM, "action");
	/* reopen needs an unsatisfied verdict */
	refused(f, TA_REOPEN, f->supervisor, f->task_open, QD_ECONFLICT, "action");
	assert_int_equal(event_count(f), n + 1);
	check_ok(f->db.path, n + 1);
}

/* ---- (b) tampering with an event ---------------------------------------------------------- */

static int64_t seq_of(struct fx *f, const char *kind)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT min(seq) FROM event WHERE kind='%s'", kind);
	return q_int(db_lite(store_reader(f->s)->db), sql);
}

static void expect_chain_break(const char *path, int64_t at, int64_t verified)
{
	struct check_report r;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_check(path, NULL, &r, NULL, &err), -1);
	assert_int_equal(r.integrity_ok, 1);
	assert_int_equal(r.chain_ok, 0);
	assert_int_equal(r.chain_break_at, at);
	assert_int_equal(r.events, verified); /* the events before the break were verified */
	assert_int_not_equal(err.code, QD_OK);
}

static void test_tampered_event_payload(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t k = seq_of(f, "task.create");
	int64_t n = event_count(f);
	assert_true(k > 1 && k < n);
	store_close(f->s);
	f->s = NULL;
	check_ok(f->db.path, n);
	char sql[256];
	/* the title is sealed in the record: changing its ciphertext breaks the chain (the text
	 * written back as TEXT, the form of events before schema 7, or packed again) */
	snprintf(sql, sizeof sql, "UPDATE event SET payload=replace(qd_payload(payload), '\"sealed\":\"', '\"sealed\":\"A') "
		 "WHERE seq=%lld", (long long)k);
	tamper(f->db.path, sql);
	expect_chain_break(f->db.path, k, k - 1);
}

/* Payloads written by a released program read back the same for ever: one stored payload of each
 * format, as the program wrote it when the format was released (a changed dictionary or a
 * decoder that no longer reads them fails here, not on a county's database). */
static void test_payload_golden(void **state)
{
	(void)state;
	static const char text[] = "{\"action\":\"accept\",\"from\":\"assigned\",\"rows\":{\"task\":{\"id\":7,"
				   "\"state\":\"in_progress\"}},\"to\":\"in_progress\"}";
	static const char *const hex[] = {
		"0123bf756b4e4af31500",                             /* format 1: deflate, dictionary 1 */
		"0220676d000000037c00bf1ca8c4746fc4a402",         /* format 2: zstd, the 16 KB dictionary */
	};
	for (size_t k = 0; k < sizeof hex / sizeof hex[0]; k++) {
		unsigned char b[64];
		size_t n = strlen(hex[k]) / 2;
		assert_true(n <= sizeof b);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(sscanf(hex[k] + 2 * i, "%2hhx", &b[i]), 1);
		struct qd_err err;
		char *back = payload_unpack(b, n, &err);
		assert_non_null(back);
		assert_string_equal(back, text);
		free(back);
	}
}

/* A stored compressed payload that is not what was written: check reports the chain broken at
 * that event (it cannot know the text) and does not crash; restored, the log checks again. */
static void test_corrupt_compressed_payload(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t k = seq_of(f, "task.create");
	int64_t n = event_count(f);
	store_close(f->s);
	f->s = NULL;
	char sql[8192], hex[4096];
	snprintf(sql, sizeof sql, "SELECT typeof(payload) = 'blob' FROM event WHERE seq=%lld", (long long)k);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->db.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(q_int(db, sql), 1); /* new events are stored packed */
	snprintf(sql, sizeof sql, "SELECT hex(payload) FROM event WHERE seq=%lld", (long long)k);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true((size_t)sqlite3_column_bytes(st, 0) < sizeof hex);
	snprintf(hex, sizeof hex, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* (|| gives TEXT: each is cast back to a BLOB, the stored form under test) */
	static const char *const bad[] = {
		"X'07' || substr(payload, 2)",                             /* unknown format */
		"substr(payload, 1, length(payload) - 3)",                 /* truncated */
		"payload || X'00'",                                        /* trailing byte */
		"substr(payload, 1, 8) || X'FFFF' || substr(payload, 11)", /* bytes changed */
		"X''",                                                     /* empty */
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		snprintf(sql, sizeof sql, "UPDATE event SET payload=CAST(%s AS BLOB) WHERE seq=%lld", bad[i], (long long)k);
		tamper(f->db.path, sql);
		expect_chain_break(f->db.path, k, k - 1);
		struct check_report r;
		struct qd_err err;
		assert_int_equal(store_check(f->db.path, NULL, &r, NULL, &err), -1);
		if (i != 3) /* changed bytes may still inflate (to other text: the hash differs) */
			assert_non_null(strstr(r.chain_why, "stored event payload is corrupt ("));
		snprintf(sql, sizeof sql, "UPDATE event SET payload=X'%s' WHERE seq=%lld", hex, (long long)k);
		tamper(f->db.path, sql);
		check_ok(f->db.path, n);
	}
	/* what check and `qingdan log` say: the payload cannot be read (not a hash that differs) */
	snprintf(sql, sizeof sql, "UPDATE event SET payload=CAST(X'07' || substr(payload, 2) AS BLOB) WHERE seq=%lld",
		 (long long)k);
	tamper(f->db.path, sql);
	struct check_report r;
	struct qd_err err;
	assert_int_equal(store_check(f->db.path, NULL, &r, NULL, &err), -1);
	assert_string_equal(r.chain_why, "stored event payload is corrupt (unknown format)");
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(store_log(f->db.path, devnull, &err), -1);
	fclose(devnull);
	snprintf(sql, sizeof sql, "1 events cannot be read (the first: %lld)", (long long)k);
	assert_string_equal(err.en, sql);
}

/* Packing round-trips every payload of the log, at every level, and the SQL function reads both
 * forms: old TEXT rows and new BLOB rows give the same text. */
static void test_payload_round_trip(void **state)
{
	struct fx *f = *state;
	populate(f);
	db_stmt *st = db_prepare(store_reader(f->s)->db, "SELECT payload, qd_payload(payload) FROM event ORDER BY seq");
	assert_non_null(st);
	int rows = 0;
	size_t raw = 0, packed = 0;
	while (db_step(st) == DB_ROW) {
		struct qd_err err;
		char *text = payload_column(st, 0, &err);
		assert_non_null(text);
		assert_string_equal(text, db_col_text(st, 1));
		json_t *j = json_loads(text, 0, NULL);
		assert_non_null(j);
		json_decref(j);
		/* both formats (the deflate rows written before zstd are still read) at a few levels */
		static const int fmt[][2] = {{PAYLOAD_DEFLATE, 1}, {PAYLOAD_DEFLATE, 6}, {PAYLOAD_DEFLATE, 9},
					     {PAYLOAD_ZSTD, 1}, {PAYLOAD_ZSTD, 3}, {PAYLOAD_ZSTD, 19}};
		for (size_t k = 0; k < sizeof fmt / sizeof fmt[0]; k++) {
			size_t n = 0;
			unsigned char *b = payload_pack_with(text, strlen(text), fmt[k][0], fmt[k][1], &n);
			assert_non_null(b);
			assert_int_equal(b[0], fmt[k][0]);
			char *back = payload_unpack(b, n, &err);
			assert_non_null(back);
			assert_string_equal(back, text);
			free(back);
			/* one byte fewer is truncated, one more is trailing: both refused, never a cut text */
			assert_null(payload_unpack(b, n - 1, &err));
			unsigned char *more = xmalloc(n + 1);
			memcpy(more, b, n);
			more[n] = 'x';
			assert_null(payload_unpack(more, n + 1, &err));
			free(more);
			free(b);
		}
		/* what the writer stores now is the current format */
		size_t pn = 0;
		const unsigned char *pb = db_col_blob(st, 0, &pn);
		if (sqlite3_column_type(st->lite, 0) == SQLITE_BLOB)
			assert_int_equal(pb[0], PAYLOAD_FORMAT);
		raw += strlen(text);
		packed += pn;
		free(text);
		rows++;
	}
	db_done(st);
	assert_true(rows > 20);
	assert_true(packed < raw * 3 / 4); /* the dictionary earns its place */
	/* a payload larger than any dictionary and the first guess of the output size */
	struct buf big;
	buf_init(&big);
	buf_puts(&big, "{\"rows\":{\"x\":\"");
	for (int i = 0; i < 200000; i++)
		buf_puts(&big, "a");
	buf_puts(&big, "\"}}");
	size_t n = 0;
	unsigned char *b = payload_pack(big.p, big.len, &n);
	assert_true(n < 1000);
	struct qd_err err;
	char *back = payload_unpack(b, n, &err);
	assert_non_null(back);
	assert_string_equal(back, big.p);
	free(back);
	free(b);
	buf_free(&big);
	/* the old form: TEXT is read as it is */
	assert_int_equal(q_int(db_lite(store_reader(f->s)->db), "SELECT qd_payload('{\"a\":1}') = '{\"a\":1}'"), 1);
	assert_int_equal(q_int(db_lite(store_reader(f->s)->db), "SELECT qd_payload(NULL) IS NULL"), 1);
}

static void test_tampered_event_columns(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t k = seq_of(f, "task.follow_up");
	int64_t n = event_count(f);
	store_close(f->s);
	f->s = NULL;
	char sql[256];
	/* the actor is part of the hash: blaming someone else breaks the chain */
	snprintf(sql, sizeof sql, "UPDATE event SET actor=actor+1 WHERE seq=%lld", (long long)k);
	tamper(f->db.path, sql);
	expect_chain_break(f->db.path, k, k - 1);
	snprintf(sql, sizeof sql, "UPDATE event SET actor=actor-1 WHERE seq=%lld", (long long)k);
	tamper(f->db.path, sql);
	check_ok(f->db.path, n); /* restored */
	/* a deleted event leaves a gap: the next one is where it breaks */
	snprintf(sql, sizeof sql, "DELETE FROM event WHERE seq=%lld", (long long)k);
	tamper(f->db.path, sql);
	expect_chain_break(f->db.path, k + 1, k - 1);
}

static void test_tampered_last_event_hash(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t n = event_count(f);
	store_close(f->s);
	f->s = NULL;
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE event SET hash=zeroblob(32) WHERE seq=%lld", (long long)n);
	tamper(f->db.path, sql);
	expect_chain_break(f->db.path, n, n - 1);
}

/* The event format of schema 6: an action's row carries what it changed, a create's rows leave
 * out what INSERT gives anyway, prev_hash is not stored again — and check still verifies the
 * chain (a stored prev_hash that is wrong still breaks it, as in logs written before). */
static json_t *payload_of(struct fx *f, const char *kind)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT qd_payload(payload) FROM event WHERE kind='%s' ORDER BY seq LIMIT 1", kind);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db_lite(store_reader(f->s)->db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	json_t *p = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_finalize(st);
	assert_non_null(p);
	return p;
}

static char *row_keys(json_t *p, const char *table)
{
	json_t *row = json_object_get(json_object_get(p, "rows"), table);
	assert_true(json_is_object(row));
	static char keys[1024];
	keys[0] = 0;
	const char *k;
	json_t *v;
	json_object_foreach(row, k, v) {
		strncat(keys, k, sizeof keys - strlen(keys) - 2);
		strncat(keys, " ", sizeof keys - strlen(keys) - 1);
	}
	return keys;
}

static void test_event_format(void **state)
{
	struct fx *f = *state;
	populate(f);
	/* accept: the response date and the state changed, nothing else (updated_at is the event's
	 * own at, so it is not written again) */
	json_t *p = payload_of(f, "task.accept");
	assert_string_equal(row_keys(p, "task"), "id responded_on state ");
	assert_string_equal(json_string_value(json_object_get(p, "from")), "assigned");
	assert_string_equal(json_string_value(json_object_get(p, "to")), "in_progress");
	json_decref(p);
	/* create: no NULLs and no defaults, but the text (sealed) and what the row is */
	p = payload_of(f, "task.create");
	char *keys = row_keys(p, "task");
	assert_non_null(strstr(keys, "title "));
	assert_non_null(strstr(keys, "measures "));
	assert_non_null(strstr(keys, "state "));
	assert_non_null(strstr(keys, "origin_path "));
	assert_null(strstr(keys, "handler_id"));
	assert_null(strstr(keys, "extensions_used"));
	assert_null(strstr(keys, "solved"));
	assert_null(strstr(keys, "satisfaction"));
	assert_null(strstr(keys, "created_at"));
	json_decref(p);
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE length(prev_hash)<>0"), 0);
	/* …and the projection has every column as before: the defaults and NULLs INSERT gave */
	char q[200];
	snprintf(q, sizeof q, "SELECT solved=-1 AND satisfaction='' AND extensions_used=0 AND signed_off_on IS NULL "
			      "FROM task WHERE id=%lld", (long long)f->task_open);
	assert_int_equal(q_int(db, q), 1);
	/* the stamps left out are the events' times */
	assert_int_equal(q_int(db, "SELECT count(*) FROM task t JOIN event e ON e.entity='task' AND e.entity_id=t.id "
				   "AND e.seq=(SELECT max(seq) FROM event WHERE entity='task' AND entity_id=t.id) "
				   "JOIN event c ON c.kind='task.create' AND c.entity_id=t.id "
				   "WHERE t.updated_at<>e.at OR t.created_at<>c.at"), 0);
	assert_true(q_int(db, "SELECT count(*) FROM task") >= 2);
	int64_t n = event_count(f), k = seq_of(f, "task.complete");
	store_close(f->s);
	f->s = NULL;
	check_ok(f->db.path, n);
	/* a stored prev_hash (the form before schema 6) must be the previous hash */
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE event SET prev_hash=(SELECT hash FROM event WHERE seq=%lld) WHERE seq=%lld",
		 (long long)(k - 1), (long long)k);
	tamper(f->db.path, sql);
	check_ok(f->db.path, n);
	snprintf(sql, sizeof sql, "UPDATE event SET prev_hash=zeroblob(32) WHERE seq=%lld", (long long)k);
	tamper(f->db.path, sql);
	expect_chain_break(f->db.path, k, k - 1);
}

/* ---- (c) tampering with a projection ------------------------------------------------------- */

static void test_tampered_projection(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t n = event_count(f);
	store_close(f->s);
	f->s = NULL;
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE task SET state='signed_off' WHERE id=%lld", (long long)f->task_open);
	tamper(f->db.path, sql);
	struct check_report r;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_check(f->db.path, NULL, &r, NULL, &err), -1);
	assert_int_equal(r.integrity_ok, 1);
	assert_int_equal(r.fts_ok, 1);
	assert_int_equal(r.chain_ok, 1);
	assert_int_equal(r.chain_break_at, 0);
	assert_int_equal(r.events, n);
	assert_int_equal(r.replay_ok, 0);
	assert_string_equal(r.mismatch_table, "task");
	assert_true(r.mismatched_rows >= 1);
	/* also in another table: a problem's personal data row removed */
	snprintf(sql, sizeof sql, "UPDATE task SET state='in_progress' WHERE id=%lld", (long long)f->task_open);
	tamper(f->db.path, sql);
	check_ok(f->db.path, n);
	tamper(f->db.path, "DELETE FROM problem_pii");
	memset(&err, 0, sizeof err);
	assert_int_equal(store_check(f->db.path, NULL, &r, NULL, &err), -1);
	assert_int_equal(r.chain_ok, 1);
	assert_int_equal(r.replay_ok, 0);
	assert_string_equal(r.mismatch_table, "problem_pii");
	assert_int_equal(r.mismatched_rows, 1);
}

/* ---- (d) one failing command in a batch ---------------------------------------------------- */

struct done_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	pthread_t thread[8];
};

static void on_done(struct store_cmd *c)
{
	struct done_wait *w = c->ctx;
	pthread_mutex_lock(&w->mu);
	if (w->done < 8)
		w->thread[w->done] = pthread_self();
	w->done++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void wait_done(struct done_wait *w, int n)
{
	pthread_mutex_lock(&w->mu);
	while (w->done < n)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

struct cat_arg {
	const char *name;
	int fail;       /* 1: fail with an error after emitting; 2: fail without filling err */
	int64_t id, seq;
};

static int cmd_category(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct cat_arg *c = arg;
	if (store_category_create(tx, 0, 0, c->name, &c->id, err))
		return -1;
	c->seq = q_int(db_lite(store_tx_db(tx)), "SELECT max(seq) FROM event");
	if (c->fail == 1)
		return qd_fail(err, QD_EINVAL, "name", "测试：命令失败", "test: the command fails after emitting");
	if (c->fail == 2)
		return -1;
	return 0;
}

static void test_failing_command_in_batch(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t before = event_count(f);
	struct cat_arg args[6] = {{"批次一", 0, 0, 0}, {"批次二", 0, 0, 0}, {"批次失败", 1, 0, 0},
				  {"批次三", 0, 0, 0}, {"批次静默失败", 2, 0, 0}, {"批次四", 0, 0, 0}};
	struct store_cmd cmds[6];
	struct done_wait w;
	memset(&w, 0, sizeof w);
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	memset(cmds, 0, sizeof cmds);
	struct qd_err err;
	/* queue all six before the writer runs, so they share one transaction */
	for (int i = 0; i < 6; i++) {
		cmds[i].fn = cmd_category;
		cmds[i].arg = &args[i];
		cmds[i].on_done = on_done;
		cmds[i].ctx = &w;
		cmds[i].now = clock_now_ms();
		cmds[i].rc = 12345;
		memset(&err, 0, sizeof err);
		assert_int_equal(store_submit(f->s, &cmds[i], &err), 0);
	}
	assert_int_equal(store_queue_len(f->s), 6);
	assert_int_equal(store_writer_start(f->s), 0);
	wait_done(&w, 6);
	assert_int_equal(store_queue_len(f->s), 0);
	for (int i = 0; i < 6; i++)
		assert_false(pthread_equal(w.thread[i], pthread_self())); /* on the writer thread */
	assert_int_equal(cmds[2].rc, -1);
	assert_int_equal(cmds[2].err.code, QD_EINVAL);
	assert_string_equal(cmds[2].err.field, "name");
	assert_int_equal(cmds[4].rc, -1);
	assert_int_equal(cmds[4].err.code, QD_EINTERNAL); /* a failure without detail is internal */
	int64_t seqs[4], k = 0;
	for (int i = 0; i < 6; i++) {
		if (args[i].fail)
			continue;
		assert_int_equal(cmds[i].rc, 0);
		assert_int_equal(cmds[i].err.code, QD_OK);
		seqs[k++] = args[i].seq;
	}
	/* the good ones follow each other in the log, the failing ones left no hole */
	for (int i = 0; i < 4; i++)
		assert_int_equal(seqs[i], before + 1 + i);
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	assert_int_equal(event_count(f), before + 4);
	assert_int_equal(q_int(db, "SELECT max(seq) - min(seq) + 1 = count(*) AND min(seq) = 1 FROM event"), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM category WHERE name IN ('批次一','批次二','批次三','批次四')"), 4);
	assert_int_equal(q_int(db, "SELECT count(*) FROM category WHERE name LIKE '%失败%'"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE qd_payload(payload) LIKE '%失败%'"), 0);
	/* a later command continues the chain right after */
	struct cat_arg next = {"批次之后", 0, 0, 0};
	memset(&err, 0, sizeof err);
	assert_int_equal(store_run(f->s, clock_now_ms(), cmd_category, &next, &err), 0); /* through the writer now */
	assert_int_equal(next.seq, before + 5);
	/* a failing store_run reports its error to the caller */
	struct cat_arg bad = {"又一次失败", 1, 0, 0};
	memset(&err, 0, sizeof err);
	assert_int_equal(store_run(f->s, clock_now_ms(), cmd_category, &bad, &err), -1);
	assert_int_equal(err.code, QD_EINVAL);
	assert_string_equal(err.field, "name");
	store_writer_stop(f->s);
	assert_int_equal(event_count(f), before + 5);
	check_ok(f->db.path, before + 5);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
}

/* ---- the writer's background work: checkpoints and search indexing off the commit path ------ */

/* Steady intake through the writer thread (64 commands per batch, each prepared off the writer
 * as the server does): every command committed; the WAL is checkpointed by the checkpointer
 * and stays bounded (never past the restart mark by more than what a few batches write) while
 * many times that much goes through it; the
 * indexer catches up once the writer is idle, and a search finds every problem, indexed or not;
 * check passes. */
static void test_writer_background(void **state)
{
	struct fx *f = *state;
	populate(f);
	int64_t before = q_int(db_lite(store_reader(f->s)->db), "SELECT count(*) FROM problem");
	assert_int_equal(store_writer_start(f->s), 0);
	enum { N = 64 };
	struct store_cmd cmds[N];
	struct store_write *w[N];
	struct done_wait dw;
	memset(&dw, 0, sizeof dw);
	pthread_mutex_init(&dw.mu, NULL);
	pthread_cond_init(&dw.cv, NULL);
	struct store_stats st;
	int rounds = 0, total = 0;
	char path[300];
	snprintf(path, sizeof path, "%s-wal", f->db.path);
	off_t wal_max = 0;
	int64_t t0 = clock_now_ms();
	do {
		for (int i = 0; i < N; i++) {
			w[i] = store_write_new(SW_PROBLEM_INTAKE, 0, NULL, 0);
			w[i]->console = 1;
			struct problem_new *p = &w[i]->u.intake.p;
			p->unit_id = f->village;
			p->source = "visit";
			p->description = "后台检索测试：村道坑洼积水，联系13800001234，希望修补";
			p->name = NAME;
			p->phone = PHONE;
			memset(&cmds[i], 0, sizeof cmds[i]);
			store_write_cmd(&cmds[i], w[i]);
			cmds[i].now = clock_now_ms();
			store_write_prepare(f->s, w[i], cmds[i].now);
			cmds[i].on_done = on_done;
			cmds[i].ctx = &dw;
			struct qd_err err;
			memset(&err, 0, sizeof err);
			assert_int_equal(store_submit(f->s, &cmds[i], &err), 0);
		}
		wait_done(&dw, (rounds + 1) * N);
		for (int i = 0; i < N; i++) {
			assert_int_equal(cmds[i].rc, 0);
			store_write_free(w[i]);
		}
		total += N;
		rounds++;
		struct stat sb;
		if (stat(path, &sb) == 0 && sb.st_size > wal_max)
			wal_max = sb.st_size;
		store_stats(f->s, &st, 0);
	} while (st.checkpoints < 10 && clock_now_ms() - t0 < 60000);
	assert_true(st.checkpoints >= 10);
	assert_true(st.commands >= total);
	/* more than 10 × CKPT_PAGES pages went through the WAL, yet it stayed within the restart
	 * mark and what the batches wrote while a restart waited: it was started over */
	assert_true(st.wal_pages_max < CKPT_RESTART_PAGES + 2 * CKPT_PAGES);
	assert_true(wal_max < (off_t)(CKPT_RESTART_PAGES + 2 * CKPT_PAGES) * 4120);
	/* idle now: the indexer catches up */
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	int64_t top = q_int(db, "SELECT max(id) FROM problem");
	for (int i = 0; i < 1000 && q_int(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto'") < top; i++)
		usleep(10000);
	assert_int_equal(q_int(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto'"), top);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem_fts WHERE description LIKE '%后台检索测试%'"), total);
	/* the indexer counts a slice after committing it: wait for its count too (bounded) */
	for (int i = 0; i < 1000; i++) {
		store_stats(f->s, &st, 0);
		if (st.index_rows >= total)
			break;
		usleep(10000);
	}
	assert_true(st.index_rows >= total);
	assert_true(st.index_slice_max_us > 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem") - before, total);
	int64_t events = event_count(f);
	store_writer_stop(f->s);
	check_ok(f->db.path, events);
	pthread_mutex_destroy(&dw.mu);
	pthread_cond_destroy(&dw.cv);
}

/* Intake prepared off the writer: the event's text, serialised before the writer with holes
 * for its id, code and unit path, is exactly the canonical serialisation of its payload (so the
 * hash chain and check's replay see what a writer-side json_dumps would have made), for names
 * and text that look like the holes; a template that does not find its holes is refused (the
 * writer then serialises itself); check passes. */
struct prep_arg {
	struct problem_new p;
	struct problem_prep *pp;
	int64_t id;
	char code[16];
};

static int cmd_prepared(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct prep_arg *a = arg;
	return store_problem_create_prepared(tx, &a->p, a->pp, &a->id, a->code, err);
}

static void test_intake_prepared(void **state)
{
	struct fx *f = *state;
	populate(f);
	static const char *const names[] = {NAME, "\x01", "\x01" "0000000000000000:0", "\\u0001", "李\"四\\",
					    "王五 13800001234"};
	static const char *const descs[] = {"村道坑洼，联系人张三丰 13912345678", "\x01" "abc:1 \"引号\" \\ 反斜杠",
					    "", "混合 ０１２３ 一三八零零零零一二三四 \u200b 零宽"};
	int n = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		for (size_t j = 0; j < sizeof descs / sizeof descs[0]; j++) {
			struct prep_arg a;
			memset(&a, 0, sizeof a);
			a.p.unit_id = f->village;
			a.p.source = "visit";
			a.p.description = descs[j];
			a.p.name = i % 3 == 2 ? NULL : names[i];
			a.p.phone = j % 2 ? PHONE : NULL;
			a.p.address = j == 3 ? names[i] : NULL;
			int64_t now = clock_now_ms() + (int64_t)(i * 10 + j);
			a.pp = store_problem_prepare(f->s, f->grid, &a.p, now);
			struct qd_err err;
			memset(&err, 0, sizeof err);
			assert_int_equal(store_run(f->s, now, cmd_prepared, &a, &err), 0);
			store_problem_prep_free(a.pp);
			sqlite3_stmt *st = NULL;
			sqlite3 *db = db_lite(store_reader(f->s)->db);
			assert_int_equal(sqlite3_prepare_v2(db, "SELECT qd_payload(payload) FROM event WHERE kind='problem.create' AND entity_id=?",
							    -1, &st, NULL), SQLITE_OK);
			sqlite3_bind_int64(st, 1, a.id);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			const char *text = (const char *)sqlite3_column_text(st, 0);
			json_t *back = json_loads(text, 0, NULL);
			assert_non_null(back);
			char *canon = json_dumps(back, JSON_COMPACT | JSON_SORT_KEYS);
			assert_string_equal(text, canon);
			json_t *row = json_object_get(json_object_get(back, "rows"), "problem");
			assert_int_equal(json_integer_value(json_object_get(row, "id")), a.id);
			assert_string_equal(json_string_value(json_object_get(row, "code")), a.code);
			/* the record leaves out the stamps equal to its time (schema 6); the row has them */
			assert_null(json_object_get(row, "created_at"));
			assert_null(json_object_get(row, "updated_at"));
			assert_int_equal(db_int(store_reader(f->s)->db, "SELECT created_at FROM problem WHERE id=?", a.id, 0), now);
			free(canon);
			json_decref(back);
			sqlite3_finalize(st);
			n++;
		}
	/* holes missing or more than asked: no template */
	json_t *p = json_pack("{s{so so}}", "rows", "a", payload_hole(0), "b", payload_hole(1));
	struct payload_tpl *t = payload_tpl_new(p, 2);
	assert_non_null(t);
	const char *vals[] = {"7", "\"x\""};
	char *filled = payload_tpl_fill(t, vals);
	assert_string_equal(filled, "{\"rows\":{\"a\":7,\"b\":\"x\"}}");
	free(filled);
	payload_tpl_free(t);
	assert_null(payload_tpl_new(p, 3));
	assert_null(payload_tpl_new(p, 1));
	json_decref(p);
	assert_true(n > 0);
	check_ok(f->db.path, event_count(f));
}

/* ---- (e) personal data --------------------------------------------------------------------- */

static void test_seal_round_trip(void **state)
{
	struct fx *f = *state;
	static const char *const plain[] = {PHONE, NAME, ID_NO, ADDRESS, "", "a",
					    "欧阳娜娜 +86 138-0000-1234 ０１２３"};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		char *sealed = store_seal(f->s, plain[i]);
		assert_non_null(sealed);
		if (strlen(plain[i]) >= 4)
			assert_null(strstr(sealed, plain[i]));
		char *back = store_open_sealed(f->s, sealed);
		assert_non_null(back);
		assert_string_equal(back, plain[i]);
		/* a fresh nonce every time */
		char *again = store_seal(f->s, plain[i]);
		assert_string_not_equal(again, sealed);
		char *back2 = store_open_sealed(f->s, again);
		assert_string_equal(back2, plain[i]);
		/* one changed character anywhere → refused */
		size_t n = strlen(sealed);
		for (size_t pos = 0; pos + 1 < n; pos += n / 7 + 1) {
			char *t = strdup(sealed);
			t[pos] = t[pos] == 'A' ? 'B' : 'A';
			char *bad = store_open_sealed(f->s, t);
			assert_null(bad);
			free(t);
		}
		/* truncated, extended */
		char *t = strdup(sealed);
		t[n - 1] = 0;
		assert_null(store_open_sealed(f->s, t));
		free(t);
		size_t m = strlen(sealed) + 3;
		t = malloc(m);
		snprintf(t, m, "%sAA", sealed);
		assert_null(store_open_sealed(f->s, t));
		free(t);
		free(sealed);
		free(back);
		free(again);
		free(back2);
	}
	assert_null(store_open_sealed(f->s, NULL));
	assert_null(store_open_sealed(f->s, ""));
	assert_null(store_open_sealed(f->s, "not base64 at all!"));
	assert_null(store_open_sealed(f->s, "AAAA"));

	/* another database has another key */
	char other[256];
	snprintf(other, sizeof other, "%s/other.db", f->db.dir);
	struct store *s2 = open_store(other, 1, 0);
	char *sealed = store_seal(f->s, PHONE);
	assert_null(store_open_sealed(s2, sealed));
	free(sealed);
	store_close(s2);
}

struct pii_arg {
	struct fx *f;
	json_t *out;
};

static int cmd_pii_read(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct pii_arg *p = arg;
	return store_pii_read(tx, p->f->dispatcher, "problem", p->f->problem[0], &p->out, err);
}

static int file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t cap = 1 << 16, len = 0, nl = strlen(needle);
	char *buf = malloc(cap);
	size_t r;
	while ((r = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	fclose(fp);
	int found = memmem(buf, len, needle, nl) != NULL;
	free(buf);
	return found;
}

static void test_pii_never_plaintext(void **state)
{
	struct fx *f = *state;
	populate(f);
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT problem_id, name, phone, id_no, address FROM problem_pii", -1, &st, NULL),
			 SQLITE_OK);
	int rows = 0;
	static const char *const plain[4] = {NAME, PHONE, ID_NO, ADDRESS};
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		assert_int_equal(sqlite3_column_int64(st, 0), f->problem[0]);
		for (int c = 0; c < 4; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c + 1);
			assert_non_null(v);
			assert_null(strstr(v, PHONE));
			assert_null(strstr(v, plain[c]));
			char *open = store_open_sealed(f->s, v);
			assert_non_null(open);
			assert_string_equal(open, plain[c]);
			free(open);
		}
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 1); /* problems without personal data have no row */
	/* neither the log nor the problem row carries it */
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE instr(qd_payload(payload), '" PHONE "') > 0"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE instr(qd_payload(payload), '" ID_NO "') > 0"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE instr(qd_payload(payload), '三丰') > 0"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem WHERE instr(reporter_masked, '三丰') > 0"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem WHERE reporter_masked LIKE '张%'"), 1);

	/* the audited read: plaintext to the caller, a pii.read event without it */
	int64_t n = event_count(f);
	struct pii_arg p = {f, NULL};
	run(f, cmd_pii_read, &p);
	assert_non_null(p.out);
	assert_string_equal(json_string_value(json_object_get(p.out, "phone")), PHONE);
	assert_string_equal(json_string_value(json_object_get(p.out, "name")), NAME);
	assert_string_equal(json_string_value(json_object_get(p.out, "id_no")), ID_NO);
	assert_string_equal(json_string_value(json_object_get(p.out, "address")), ADDRESS);
	json_decref(p.out);
	assert_int_equal(event_count(f), n + 1);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM event WHERE kind='pii.read' AND actor=%lld AND entity_id=%lld",
		 (long long)f->dispatcher, (long long)f->problem[0]);
	assert_int_equal(q_int(db, sql), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM event WHERE instr(qd_payload(payload), '" PHONE "') > 0"), 0);
	check_ok(f->db.path, n + 1);

	/* not anywhere in the files */
	store_close(f->s);
	f->s = NULL;
	char side[256];
	assert_false(file_contains(f->db.path, PHONE));
	assert_false(file_contains(f->db.path, ID_NO));
	snprintf(side, sizeof side, "%s-wal", f->db.path);
	assert_false(file_contains(side, PHONE));
}

/* ---- (f) the queue is bounded -------------------------------------------------------------- */

static void test_queue_full(void **state)
{
	struct fx *f = *state;
	run(f, cmd_seed, NULL); /* inline: no writer yet */
	store_close(f->s);
	f->s = open_store(f->db.path, 0, 1); /* queue_max = 1, writer not started */
	int64_t before = event_count(f);
	struct done_wait w;
	memset(&w, 0, sizeof w);
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	struct cat_arg a1 = {"排队一", 0, 0, 0}, a2 = {"排队二", 0, 0, 0};
	struct store_cmd c1 = {.fn = cmd_category, .arg = &a1, .on_done = on_done, .ctx = &w, .now = clock_now_ms()};
	struct store_cmd c2 = {.fn = cmd_category, .arg = &a2, .on_done = on_done, .ctx = &w, .now = clock_now_ms()};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_submit(f->s, &c1, &err), 0);
	assert_int_equal(store_queue_len(f->s), 1);
	memset(&err, 0, sizeof err);
	assert_int_equal(store_submit(f->s, &c2, &err), -1);
	assert_int_equal(err.code, QD_EBUSY);
	assert_int_equal(store_queue_len(f->s), 1); /* nothing queued */
	assert_int_equal(store_writer_start(f->s), 0);
	assert_int_equal(store_writer_start(f->s), 0); /* idempotent */
	wait_done(&w, 1);
	store_writer_stop(f->s);
	assert_int_equal(w.done, 1); /* the refused one never runs */
	assert_int_equal(c1.rc, 0);
	assert_int_equal(store_queue_len(f->s), 0);
	assert_int_equal(event_count(f), before + 1);
	assert_int_equal(q_int(db_lite(store_reader(f->s)->db), "SELECT count(*) FROM category WHERE name='排队二'"), 0);
	/* with room again, the second goes through */
	memset(&err, 0, sizeof err);
	assert_int_equal(store_run(f->s, clock_now_ms(), cmd_category, &a2, &err), 0);
	check_ok(f->db.path, before + 2);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
}

/* ---- (g) backup ---------------------------------------------------------------------------- */

static void test_backup(void **state)
{
	struct fx *f = *state;
	populate(f);
	assert_int_equal(store_writer_start(f->s), 0); /* a live server */
	int64_t n = event_count(f);
	char to[256];
	snprintf(to, sizeof to, "%s/backup.db", f->db.dir);
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_backup(f->db.path, to, &err), 0);
	char key[300]; /* the key is kept apart from the copy: check the copy with the original's */
	snprintf(key, sizeof key, "%s.key", f->db.path);
	check_ok_key(to, key, n);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(to, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(q_int(db, "SELECT count(*) FROM task"), 2);
	assert_int_equal(q_int(db, "SELECT count(*) FROM problem_pii"), 1);
	sqlite3_close(db);
	/* never over an existing file */
	memset(&err, 0, sizeof err);
	assert_int_equal(store_backup(f->db.path, to, &err), -1);
	assert_int_equal(err.code, QD_ECONFLICT);
	char missing[256];
	snprintf(missing, sizeof missing, "%s/missing.db", f->db.dir);
	memset(&err, 0, sizeof err);
	assert_int_equal(store_backup(missing, to, &err), -1);
	assert_int_equal(err.code, QD_ENOTFOUND);
	struct check_report r;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_check(missing, NULL, &r, NULL, &err), -1);
	assert_int_equal(err.code, QD_ENOTFOUND);
	assert_false(exists(missing));
	/* the original goes on; the copy stays as it was */
	run(f, cmd_seed, NULL);
	check_ok(f->db.path, n + 2);
	check_ok_key(to, key, n);
	store_writer_stop(f->s);
}

static void test_open_missing(void **state)
{
	struct fx *f = *state;
	char missing[256];
	snprintf(missing, sizeof missing, "%s/missing.db", f->db.dir);
	struct store_opts o = {.path = missing, .create = 0};
	struct store *s = NULL;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_open(&s, &o, &err), -1);
	assert_null(s);
	assert_int_equal(err.code, QD_ENOTFOUND);
	assert_false(exists(missing));
	/* a database without its key cannot be opened */
	store_close(f->s);
	f->s = NULL;
	char key[256], moved[256];
	snprintf(key, sizeof key, "%s.key", f->db.path);
	snprintf(moved, sizeof moved, "%s/other.db.key", f->db.dir);
	assert_int_equal(rename(key, moved), 0);
	o.path = f->db.path;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_open(&s, &o, &err), -1);
	assert_string_equal(err.field, "key");
	assert_int_equal(rename(moved, key), 0);
	f->s = open_store(f->db.path, 0, 0);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_fresh_and_populated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_action_appends_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_event_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_compressed_payload, setup, teardown),
		cmocka_unit_test(test_payload_golden),
		cmocka_unit_test_setup_teardown(test_payload_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_event_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_last_event_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_projection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_command_in_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_background, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intake_prepared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pii_never_plaintext, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
	};
	log_set_level(LOG_WARN); /* no "schema migrated" line per test */
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
