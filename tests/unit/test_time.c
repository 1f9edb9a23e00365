/* test_time.c — time is an argument: a command run at a historical time (2022-07-04, a date of
 * the seed newspaper) records that time in its events (`at`) and computes every task date from
 * it — the assignment day, the response and completion deadlines in working days by the
 * calendar (across 国庆 2022 and its 调休 Saturday), the day accepted and completed — never from
 * today; commands queued together run each at its own time; a step of a command (store_tx_run)
 * runs at its own time and gives the command its time back; a command without a time is
 * refused.  Also the China day of a time, the shifted clock, and the frozen clock with the
 * parsing of its instant (good and bad).  Every test works on its own database in a fresh temp
 * directory and removes it afterwards. */
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
#include "store/org.h"
#include "store/problem.h"
#include "store/store.h"
#include "store/task.h"
#include "store/tx.h"
#include "store/internal.h" /* reads the projections on the store's own connection */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOUR_MS 3600000LL

struct fx {
	struct tmpdb db;
	struct store *s;
	int64_t county, town, village, dispatcher, handler, leader, grid, category;
	int64_t problem, task, urgent_problem, urgent_task;
};

/* ms since the epoch of y-m-d hh:mm China time (UTC+8). */
static int64_t china(int y, int m, int d, int hh, int mm)
{
	return date_china_midnight_ms(date_from_ymd(y, m, d)) + hh * HOUR_MS + mm * 60000LL;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (tmpdb_make(&f->db, "time")) {
		free(f);
		return -1;
	}
	struct store_opts o = {.path = f->db.path, .create = 1, .now = china(2022, 7, 1, 9, 0)};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_open(&f->s, &o, &err) != 0)
		fail_msg("store_open: %s", err.en);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->s)
		store_close(f->s);
	int rc = tmpdb_remove(&f->db);
	free(f);
	if (rc)
		return -1;
	return 0;
}

static void run_at(struct fx *f, int64_t now, store_cmd_fn fn, void *arg)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_run(f->s, now, fn, arg, &err) != 0)
		fail_msg("command failed: %s (%s, field '%s')", err.en, qd_code_name(err.code), err.field);
}

static int64_t q_int(struct fx *f, const char *sql, int64_t id)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	if (id)
		sqlite3_bind_int64(st, 1, id);
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One column of the task row id, as text ("" for NULL). */
static const char *task_col(struct fx *f, int64_t id, const char *col)
{
	static char out[64];
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM task WHERE id = ?", col);
	sqlite3_stmt *st = NULL;
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, id);
	out[0] = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* The `at` of the latest event of kind about entity_id. */
static int64_t event_at(struct fx *f, const char *kind, int64_t entity_id)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	if (sqlite3_prepare_v2(db, "SELECT at FROM event WHERE kind = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, entity_id);
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- commands ------------------------------------------------------------------------------- */

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
	if (store_org_seed(tx, err) || store_unit_create(tx, 0, 0, "监利市", "county", NULL, &f->county, err) ||
	    store_unit_create(tx, 0, f->county, "周老嘴镇", "township", "township", &f->town, err) ||
	    store_unit_create(tx, 0, f->town, "新河口村", "village", "", &f->village, err) ||
	    user(tx, "dispatch", "王调度", f->county, ROLE_DISPATCHER, &f->dispatcher, err) ||
	    user(tx, "handler", "李承办", f->town, ROLE_HANDLER, &f->handler, err) ||
	    user(tx, "leader", "赵领导", f->county, ROLE_LEADER, &f->leader, err) ||
	    user(tx, "grid", "孙网格", f->village, ROLE_GRID, &f->grid, err))
		return -1;
	return store_category_create(tx, 0, 0, "基础设施", &f->category, err);
}

/* The user's grants copied into g[0..16); more than 16 (or a read error) stops the test. */
static int grants16(struct store_tx *tx, int64_t uid, struct grant g[16])
{
	struct grant *all;
	int n = store_user_grants(store_tx_rd(tx), uid, &all);
	if (n < 0 || n > 16) {
		fprintf(stderr, "grants16: user %lld has %d grants\n", (long long)uid, n);
		abort();
	}
	memcpy(g, all, (size_t)n * sizeof *g);
	free(all);
	return n;
}

static int act(struct store_tx *tx, int64_t uid, int64_t task, enum task_action action, struct task_input *in,
	       struct qd_err *err)
{
	struct grant g[16];
	struct actor a = {uid, g, grants16(tx, uid, g)};
	return store_task_act(tx, &a, task, action, in, err);
}

/* A problem, its task (urgency from arg's fields) and the assignment, all in one command. */
static int assign_new(struct store_tx *tx, struct fx *f, enum urgency urg, int64_t *pid, int64_t *tid,
		      struct qd_err *err)
{
	struct problem_new p = {.unit_id = f->village, .category_id = f->category, .source = "visit",
				.description = "新河口村三组道路破损，雨天积水严重"};
	char code[16];
	if (store_problem_create(tx, f->grid, &p, pid, code, err))
		return -1;
	struct grant g[16];
	struct actor a = {f->dispatcher, g, grants16(tx, f->dispatcher, g)};
	struct task_new tn = {.title = "修复新河口村三组道路", .tier = TIER_SCHEDULED, .urgency = urg,
			      .problem_ids = pid, .nproblems = 1};
	if (store_task_create(tx, &a, &tn, tid, err))
		return -1;
	struct task_input in;
	task_input_init(&in);
	in.unit_id = f->town;
	in.handler_id = f->handler;
	in.leader_id = f->leader;
	return act(tx, f->dispatcher, *tid, TA_ASSIGN, &in, err);
}

static int cmd_assign_normal(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	return assign_new(tx, f, URG_NORMAL, &f->problem, &f->task, err);
}

static int cmd_assign_urgent(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	return assign_new(tx, f, URG_URGENT, &f->urgent_problem, &f->urgent_task, err);
}

static int cmd_accept(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	struct task_input in;
	task_input_init(&in);
	return act(tx, f->handler, f->task, TA_ACCEPT, &in, err);
}

static int cmd_complete(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct fx *f = arg;
	struct task_input in;
	task_input_init(&in);
	in.outcome = OUT_RESOLVED;
	in.note = "道路已修复";
	return act(tx, f->handler, f->task, TA_COMPLETE, &in, err);
}

/* ---- the China day, the shifted clock ------------------------------------------------------- */

static void test_china_day(void **state)
{
	(void)state;
	int32_t d0704 = date_from_ymd(2022, 7, 4);
	/* 00:30 China time is still 3 July in UTC: the day is China's */
	assert_int_equal(date_china_day(china(2022, 7, 4, 0, 30)), d0704);
	assert_int_equal(date_china_day(china(2022, 7, 4, 0, 0)), d0704);
	assert_int_equal(date_china_day(china(2022, 7, 4, 0, 0) - 1), d0704 - 1);
	assert_int_equal(date_china_day(china(2022, 7, 4, 23, 59)), d0704);
	assert_int_equal(date_china_day(china(1969, 12, 31, 12, 0)), -1); /* before the epoch, still exact */
	char s[32];
	assert_string_equal(clock_format_ms(china(2022, 7, 4, 9, 30), s), "2022-07-04T09:30:00+08:00");
}

static void test_clock_shifted(void **state)
{
	(void)state;
	struct clock c = {0};
	int32_t d0704 = date_from_ymd(2022, 7, 4);
	clock_set_today(&c, d0704);
	int64_t a = clock_now(&c);
	assert_int_equal(date_china_day(a), d0704);
	/* whole days: the time of day is the real one */
	assert_int_equal(c.shift_ms % 86400000LL, 0);
	assert_true(clock_now(&c) >= a); /* time still flows */
	clock_set_today(&c, date_from_ymd(2027, 12, 31));
	assert_int_equal(date_china_day(clock_now(&c)), date_from_ymd(2027, 12, 31));
}

static void test_clock_frozen(void **state)
{
	(void)state;
	struct clock c = {0};
	int64_t at;
	assert_int_equal(clock_parse_china("2022-07-04T09:30:05", &at), 0);
	assert_int_equal(at, china(2022, 7, 4, 9, 30) + 5000); /* China time, UTC+8 */
	clock_set_today(&c, date_from_ymd(2030, 1, 1));    /* freezing replaces a shift */
	clock_freeze(&c, at);
	assert_int_equal(clock_now(&c), at);
	struct timespec nap = {0, 2000000};
	nanosleep(&nap, NULL);
	assert_int_equal(clock_now(&c), at); /* time stands still */
	char s[32];
	assert_string_equal(clock_format_ms(clock_now(&c), s), "2022-07-04T09:30:05+08:00");
	/* 00:30 China time is the China day, though still the day before in UTC */
	assert_int_equal(clock_parse_china("2022-07-04T00:30:00", &at), 0);
	assert_int_equal(date_china_day(at), date_from_ymd(2022, 7, 4));
	assert_int_equal(clock_parse_china("2024-02-29T23:59:59", &at), 0);
	assert_int_equal(at, china(2024, 2, 29, 23, 59) + 59000);
	assert_int_equal(clock_parse_china("1970-01-01T08:00:00", &at), 0);
	assert_int_equal(at, 0);
	clock_set_today(&c, date_from_ymd(2022, 7, 4)); /* a shift thaws it: time flows again */
	assert_false(c.frozen);
	assert_int_equal(date_china_day(clock_now(&c)), date_from_ymd(2022, 7, 4));
}

static void test_clock_parse_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2022-07-04", "2022-07-04T09:30", "2022-07-04 09:30:00", "2022-07-04t09:30:00",
		"2022-07-04T09:30:00Z", "2022-07-04T09:30:00+08:00", "2022-07-04T09:30:0", "2022-07-04T9:30:00",
		"2022-07-04T24:00:00", "2022-07-04T23:60:00", "2022-07-04T23:59:60", "2023-02-29T09:00:00",
		"2022-13-01T09:00:00", "2022-07-04T0a:30:00", "2022-07-04T09-30-00", "2022/07/04T09:30:00",
		"2022-07-04T+9:30:00", "2022-07-04T09:30:00 ", " 2022-07-04T09:30:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t at = 42;
		if (clock_parse_china(bad[i], &at) != -1 || at != 42)
			fail_msg("clock_parse_china accepted \"%s\"", bad[i]);
	}
	int64_t at = 42;
	assert_int_equal(clock_parse_china(NULL, &at), -1);
	assert_int_equal(at, 42);
}

/* ---- a command at a historical time ---------------------------------------------------------- */

static void test_historical_command(void **state)
{
	struct fx *f = *state;
	int64_t t_org = china(2022, 7, 1, 9, 0), t_assign = china(2022, 7, 4, 0, 30),
		t_accept = china(2022, 7, 5, 10, 15), t_done = china(2022, 7, 20, 16, 0);
	run_at(f, t_org, cmd_org, f);
	assert_int_equal(event_at(f, "unit.create", f->county), t_org);

	run_at(f, t_assign, cmd_assign_normal, f);
	assert_int_equal(event_at(f, "problem.create", f->problem), t_assign);
	assert_int_equal(event_at(f, "task.create", f->task), t_assign);
	assert_int_equal(event_at(f, "task.assign", f->task), t_assign);
	assert_int_equal(q_int(f, "SELECT created_at FROM problem WHERE id = ?", f->problem), t_assign);
	assert_int_equal(q_int(f, "SELECT created_at FROM task WHERE id = ?", f->task), t_assign);
	/* normal urgency: respond within 2, complete within 15 working days of 4 July 2022 */
	assert_string_equal(task_col(f, f->task, "assigned_on"), "2022-07-04");
	assert_string_equal(task_col(f, f->task, "respond_by"), "2022-07-06");
	assert_string_equal(task_col(f, f->task, "deadline"), "2022-07-25");

	run_at(f, t_accept, cmd_accept, f);
	assert_int_equal(event_at(f, "task.accept", f->task), t_accept);
	assert_string_equal(task_col(f, f->task, "responded_on"), "2022-07-05");
	assert_int_equal(q_int(f, "SELECT updated_at FROM task WHERE id = ?", f->task), t_accept);

	run_at(f, t_done, cmd_complete, f);
	assert_int_equal(event_at(f, "task.complete", f->task), t_done);
	assert_string_equal(task_col(f, f->task, "completed_on"), "2022-07-20");
	assert_string_equal(task_col(f, f->task, "deadline"), "2022-07-25"); /* unchanged */

	/* urgent, assigned the afternoon before 国庆 2022 (1–7 Oct off, Sat 8 and Sun 9 Oct worked):
	 * respond within 1 working day, complete within 3 */
	run_at(f, china(2022, 9, 30, 17, 0), cmd_assign_urgent, f);
	assert_string_equal(task_col(f, f->urgent_task, "assigned_on"), "2022-09-30");
	assert_string_equal(task_col(f, f->urgent_task, "respond_by"), "2022-10-08");
	assert_string_equal(task_col(f, f->urgent_task, "deadline"), "2022-10-10");
	assert_int_equal(event_at(f, "task.assign", f->urgent_task), china(2022, 9, 30, 17, 0));
}

/* ---- commands queued together, each at its own time ------------------------------------------ */

struct cat_arg {
	const char *name;
	int64_t id;
	int64_t seen_now;
	int32_t seen_today;
};

static int cmd_category(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct cat_arg *a = arg;
	a->seen_now = store_tx_now(tx);
	a->seen_today = store_tx_today(tx);
	return store_category_create(tx, 0, 0, a->name, &a->id, err);
}

struct done_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
};

static void on_done(struct store_cmd *c)
{
	struct done_wait *w = c->ctx;
	pthread_mutex_lock(&w->mu);
	w->done++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void test_batch_each_its_time(void **state)
{
	struct fx *f = *state;
	struct cat_arg args[3] = {{"一日", 0, 0, 0}, {"二日", 0, 0, 0}, {"三日", 0, 0, 0}};
	int64_t at[3] = {china(2022, 7, 4, 9, 0), china(2023, 1, 20, 23, 59), china(2022, 7, 5, 0, 1)};
	struct store_cmd cmds[3];
	memset(cmds, 0, sizeof cmds);
	struct done_wait w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct qd_err err;
	for (int i = 0; i < 3; i++) { /* queued before the writer starts: one transaction */
		cmds[i] = (struct store_cmd){.fn = cmd_category, .arg = &args[i], .on_done = on_done, .ctx = &w, .now = at[i]};
		assert_int_equal(store_submit(f->s, &cmds[i], &err), 0);
	}
	assert_int_equal(store_writer_start(f->s), 0);
	pthread_mutex_lock(&w.mu);
	while (w.done < 3)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
	store_writer_stop(f->s);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cmds[i].rc, 0);
		assert_int_equal(args[i].seen_now, at[i]);
		assert_int_equal(args[i].seen_today, date_china_day(at[i]));
		assert_int_equal(event_at(f, "category.create", args[i].id), at[i]);
		assert_int_equal(q_int(f, "SELECT created_at FROM category WHERE id = ?", args[i].id), at[i]);
	}
}

/* ---- a step of a command at its own time ----------------------------------------------------- */

struct steps {
	struct cat_arg before, step, after;
};

static int cmd_category_step(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct cat_arg *a = arg;
	return cmd_category(tx, a, err);
}

static int cmd_with_step(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct steps *s = arg;
	return cmd_category(tx, &s->before, err) ||
			       store_tx_run(tx, china(2022, 7, 4, 9, 0), cmd_category_step, &s->step, err) ||
			       cmd_category(tx, &s->after, err)
		       ? -1
		       : 0;
}

static void test_step_at_its_time(void **state)
{
	struct fx *f = *state;
	struct steps s = {{"之前", 0, 0, 0}, {"过去", 0, 0, 0}, {"之后", 0, 0, 0}};
	int64_t now = china(2024, 3, 1, 8, 0);
	run_at(f, now, cmd_with_step, &s);
	assert_int_equal(event_at(f, "category.create", s.before.id), now);
	assert_int_equal(event_at(f, "category.create", s.step.id), china(2022, 7, 4, 9, 0));
	assert_int_equal(s.step.seen_today, date_from_ymd(2022, 7, 4));
	assert_int_equal(event_at(f, "category.create", s.after.id), now); /* its own time again */
}

/* ---- a command without a time ------------------------------------------------------------------ */

static void test_command_without_time(void **state)
{
	struct fx *f = *state;
	struct cat_arg a = {"无时", 0, 0, 0};
	int64_t before = q_int(f, "SELECT count(*) FROM event", 0);
	struct qd_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(store_run(f->s, 0, cmd_category, &a, &err), -1);
	assert_int_equal(err.code, QD_EINTERNAL);
	assert_int_equal(a.seen_now, 0); /* never ran */
	assert_int_equal(q_int(f, "SELECT count(*) FROM event", 0), before);
}

int main(void)
{
	mem_init();
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_china_day),
		cmocka_unit_test(test_clock_shifted),
		cmocka_unit_test(test_clock_frozen),
		cmocka_unit_test(test_clock_parse_bad),
		cmocka_unit_test_setup_teardown(test_historical_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_each_its_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_at_its_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_without_time, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
