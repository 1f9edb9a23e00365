/* gen.c — build a large database through the real store code, for the list benchmark.
 *
 *   gen --db FILE [--tasks N] [--batch B] [--seed S]
 *   gen --schema-version      (prints the schema version this build writes and the generator's
 *                              own, e.g. 45g2: bench/run names its cached database by it, so a
 *                              new format or a new generator is regenerated)
 *
 * FILE must not exist.  The result is what `qingdan init` and years of use would leave: the
 * seeded calendar and limits, a synthetic county (20 townships × 20 villages, 20 county
 * departments: 441 units), 233 users (dispatch, admin, analyst, 10 leaders, a grid worker and
 * five handlers per township, five handlers per department; every password "qingdan-demo"),
 * 15 categories, and N tasks, each from its own problem, walked through the state machine with
 * store_problem_create / store_task_create / store_task_act on past working days (each a step at
 * its own past time, store_tx_run),
 * so the event log, its hash chain and every projection are real and `qingdan check` passes.
 *
 * Final states (share of N): pending 4 %, assigned 8 %, in_progress 22 %,
 * extension_requested 2 %, completed 9 %, signed_off 55 %.  Besides, one problem in a hundred
 * tasks is left `new` (raised in the last 10 days): the dispatcher's triage queue.  Open work started in the last 90
 * days (so some of it is overdue), closed work in the last year.
 *
 * Speed: B tasks per store_run (one transaction, default 10,000), so the fsyncs of
 * synchronous=FULL are negligible (synchronous cannot be changed from inside a command: the
 * store only hands out its connection within a transaction); the generator's connection gets a
 * 256 MB page cache, which leaves the database file the same.  About 1,300 tasks/s on the
 * 2-core machine (bound by the store's per-event work, see docs/benchmarks.md).  Progress goes
 * to stderr. */
#include "base/date.h"
#include "base/mem.h"
#include "cli/demo_data.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/store.h"
#include "store/task.h"
#include "store/tx.h"
#include "store/internal.h" /* a bulk loader of the store: store_tx_db for its pragmas */
#include "store/schema.h"   /* the schema version it writes */
#include <sys/stat.h>
#include "web/auth.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTOWN 20
#define NVILL 20
#define NDEPT 20
#define NHAND 5
#define NLEAD 10

struct actor_c {
	int64_t id;
	struct grant g[8];
	int ng;
};

struct gen {
	char pw[256];
	int64_t county, town[NTOWN], vill[NTOWN][NVILL], dept[NDEPT];
	int64_t cat[15];
	struct actor_c dispatch, grid[NTOWN], hand_town[NTOWN][NHAND], hand_dept[NDEPT][NHAND];
	int64_t leader[NLEAD];
	uint64_t rnd;
	int32_t today;
	int64_t at; /* the time of the next step (09:00 China time on its day) */
	long done, batch, total;
	struct calendar *cal;
};

static uint32_t rnd(struct gen *g)
{
	g->rnd ^= g->rnd << 13;
	g->rnd ^= g->rnd >> 7;
	g->rnd ^= g->rnd << 17;
	return (uint32_t)(g->rnd >> 16);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const towns[NTOWN] = {"清水镇", "白沙镇", "柳林镇", "新河镇", "桥头镇", "石门镇", "龙湾镇",
					 "花园镇", "长湖镇", "东岳镇", "西湾镇", "南岭镇", "北港镇", "黄金镇",
					 "青山镇", "红星镇", "大同镇", "太平镇", "永安镇", "兴隆镇"};
static const char *const depts[NDEPT] = {"县交通运输局", "县水利和湖泊局", "县住建局", "县农业农村局", "县卫健局",
					 "县医保局", "县人社局", "县民政局", "县教育局", "县自然资源和规划局",
					 "县生态环境局", "县城管局", "县市场监管局", "县公安局", "县应急管理局",
					 "县乡村振兴局", "县文旅局", "县司法局", "县供电公司", "县自来水公司"};
static const char *const syl1[NTOWN] = {"东", "西", "南", "北", "中", "上", "下", "前", "后", "新",
					"老", "大", "小", "高", "低", "长", "平", "安", "和", "丰"};
static const char *const syl2[NVILL] = {"风", "林", "岗", "湖", "桥", "庄", "河", "山", "田", "塘",
					"港", "坪", "湾", "岭", "洲", "堤", "垸", "台", "口", "园"};

static int cache_actor(struct store_tx *tx, int64_t id, struct actor_c *a)
{
	struct grant *all;
	int n = store_user_grants(store_tx_rd(tx), id, &all);
	a->id = id;
	a->ng = n > 0 && n <= (int)(sizeof a->g / sizeof a->g[0]) ? n : 0; /* more than fit: fail, never cut */
	if (a->ng)
		memcpy(a->g, all, (size_t)n * sizeof *all);
	free(all);
	return a->ng > 0 ? 0 : -1;
}

static int mkuser(struct store_tx *tx, struct gen *g, const char *username, const char *name, int64_t unit,
		  enum role role, int64_t *id, struct qd_err *err)
{
	return store_user_create(tx, 0, username, name, unit, g->pw, id, err) ||
	       store_grant_add(tx, 0, *id, role, unit, err);
}

static const char *staff(int i)
{
	return demo_staff[2 + (size_t)i % (demo_staff_count - 2)].name;
}

static int setup_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct gen *g = arg;
	/* A cache for this connection only (a 10,000-task transaction dirties ~60 MB). */
	if (sqlite3_exec(db_lite(store_tx_db(tx)), "PRAGMA cache_size=-262144;", NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "gen: pragmas: %s\n", sqlite3_errmsg(db_lite(store_tx_db(tx))));
	if (store_org_seed(tx, err))
		return -1;
	static const char *const cats[5] = {"基础设施", "产业发展", "综合治理", "民生保障", "逐人逐项"};
	static const char *const subs[5][2] = {{"道路桥梁", "供水排水"}, {"种植养殖", "农田水利"},
					       {"矛盾纠纷", "环境卫生"}, {"医疗医保", "养老助残"},
					       {"困难帮扶", "就业创业"}};
	for (int i = 0; i < 5; i++) {
		if (store_category_create(tx, 0, 0, cats[i], &g->cat[i * 3], err))
			return -1;
		for (int j = 0; j < 2; j++)
			if (store_category_create(tx, 0, g->cat[i * 3], subs[i][j], &g->cat[i * 3 + 1 + j], err))
				return -1;
	}
	if (store_unit_create(tx, 0, 0, "清单县", "county", "", &g->county, err))
		return -1;
	for (int t = 0; t < NTOWN; t++) {
		if (store_unit_create(tx, 0, g->county, towns[t], "township", "township", &g->town[t], err))
			return -1;
		for (int v = 0; v < NVILL; v++) {
			char name[64];
			snprintf(name, sizeof name, "%s%s村", syl1[t], syl2[(v + t) % NVILL]);
			if (store_unit_create(tx, 0, g->town[t], name, "village", "", &g->vill[t][v], err))
				return -1;
		}
	}
	for (int d = 0; d < NDEPT; d++)
		if (store_unit_create(tx, 0, g->county, depts[d], d >= 18 ? "company" : "department", "department",
				      &g->dept[d], err))
			return -1;
	int64_t id;
	int s = 0;
	if (mkuser(tx, g, "admin", "系统管理员", g->county, ROLE_ADMIN, &id, err) ||
	    mkuser(tx, g, "dispatch", staff(s++), g->county, ROLE_DISPATCHER, &id, err) ||
	    store_grant_add(tx, 0, id, ROLE_PII, g->county, err) || cache_actor(tx, id, &g->dispatch) ||
	    mkuser(tx, g, "analyst", staff(s++), g->county, ROLE_ANALYST, &id, err))
		return -1;
	for (int i = 0; i < NLEAD; i++) {
		char u[32];
		snprintf(u, sizeof u, i ? "leader%d" : "leader", i + 1);
		if (mkuser(tx, g, u, staff(s++), g->county, ROLE_LEADER, &g->leader[i], err))
			return -1;
	}
	for (int t = 0; t < NTOWN; t++) {
		char u[32];
		snprintf(u, sizeof u, "grid%02d", t + 1);
		if (mkuser(tx, g, u, staff(s++), g->town[t], ROLE_GRID, &id, err) || cache_actor(tx, id, &g->grid[t]))
			return -1;
		for (int h = 0; h < NHAND; h++) {
			snprintf(u, sizeof u, "t%02dh%d", t + 1, h + 1);
			if (mkuser(tx, g, u, staff(s++), g->town[t], ROLE_HANDLER, &id, err) ||
			    cache_actor(tx, id, &g->hand_town[t][h]))
				return -1;
		}
	}
	for (int d = 0; d < NDEPT; d++)
		for (int h = 0; h < NHAND; h++) {
			char u[32];
			snprintf(u, sizeof u, "d%02dh%d", d + 1, h + 1);
			if (mkuser(tx, g, u, staff(s++), g->dept[d], ROLE_HANDLER, &id, err) ||
			    cache_actor(tx, id, &g->hand_dept[d][h]))
				return -1;
		}
	return 0;
}

static int64_t gen_now; /* the generator's one clock read: no step is later */

static int64_t day_at(int32_t day)
{
	int64_t t = date_china_midnight_ms(day) + 9 * 3600000LL;
	return t < gen_now ? t : gen_now;
}

/* One store call of the walk, run at the walk's current time g->at (store_tx_run). */
struct gstep {
	struct actor a;
	int64_t uid;
	const struct problem_new *pn;
	char *code;
	const struct task_new *tn;
	int64_t *id;
	int64_t task;
	enum task_action action;
	const struct task_input *in;
};

static int gs_problem(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct gstep *st = arg;
	return store_problem_create(tx, st->uid, st->pn, st->id, st->code, err);
}

static int gs_task(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct gstep *st = arg;
	return store_task_create(tx, &st->a, st->tn, st->id, err);
}

static int gs_act(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct gstep *st = arg;
	return store_task_act(tx, &st->a, st->task, st->action, st->in, err);
}

static int act(struct store_tx *tx, struct gen *g, const struct actor_c *c, int64_t task, enum task_action a,
	       const struct task_input *in, struct qd_err *err)
{
	struct gstep st = {.a = {c->id, c->g, c->ng}, .task = task, .action = a, .in = in};
	return store_tx_run(tx, g->at, gs_act, &st, err);
}

/* The next working day after `day` plus extra working days (0..spread-1), never past today.
 * Returns 0 when the step would fall after today (the walk stops there). */
static int32_t step(struct gen *g, int32_t day, int spread)
{
	int32_t d = calendar_add_workdays(g->cal, day, 1 + (spread > 1 ? (int)(rnd(g) % (unsigned)spread) : 0));
	if (d > g->today)
		return 0;
	g->at = day_at(d);
	return d;
}

enum plan { P_PENDING, P_ASSIGNED, P_IN_PROGRESS, P_EXTENSION, P_COMPLETED, P_SIGNED_OFF };

static enum plan pick_plan(struct gen *g)
{
	unsigned r = rnd(g) % 100;
	return r < 4 ? P_PENDING : r < 12 ? P_ASSIGNED : r < 34 ? P_IN_PROGRESS : r < 36 ? P_EXTENSION
	       : r < 45 ? P_COMPLETED : P_SIGNED_OFF;
}

/* One problem → one task, walked to its planned state. */
static int one(struct store_tx *tx, struct gen *g, long i, struct qd_err *err)
{
	const struct demo_problem *dp = &demo_problems[(size_t)rnd(g) % demo_problems_count];
	int t = (int)(rnd(g) % NTOWN), v = (int)(rnd(g) % NVILL);
	enum plan plan = pick_plan(g);
	/* Open work is recent, closed work spread over the last year. */
	int32_t day = g->today - (plan == P_PENDING ? (int32_t)(rnd(g) % 10)
				  : plan == P_SIGNED_OFF ? 30 + (int32_t)(rnd(g) % 335)
				  : plan == P_COMPLETED ? 10 + (int32_t)(rnd(g) % 110)
							: 2 + (int32_t)(rnd(g) % 90));
	if (!calendar_is_workday(g->cal, day))
		day = calendar_add_workdays(g->cal, day, 1);
	if (day > g->today)
		day = g->today;
	g->at = day_at(day);
	unsigned cat = rnd(g) % 15;
	char phone[16], name[64];
	snprintf(phone, sizeof phone, "139%08u", (unsigned)(rnd(g) % 100000000u));
	snprintf(name, sizeof name, "%s", demo_residents[(size_t)rnd(g) % demo_residents_count].name);
	struct problem_new pn = {.unit_id = g->vill[t][v], .category_id = g->cat[cat], .source = i % 9 ? "visit" : "hotline",
				 .description = dp->text, .name = name, .phone = phone, .no_disclose = dp->sensitive};
	int64_t pid = 0, tid = 0; /* set by the steps (store_tx_run) */
	char code[16];
	if (store_tx_run(tx, g->at, gs_problem, &(struct gstep){.uid = g->grid[t].id, .pn = &pn, .code = code, .id = &pid},
			 err))
		return -1;
	/* Triage the next working day (or today for the newest). */
	int32_t d = step(g, day, 1);
	if (!d)
		d = day;
	struct actor disp = {g->dispatch.id, g->dispatch.g, g->dispatch.ng};
	unsigned u = rnd(g) % 100;
	struct task_new tn = {.title = dp->text, .measures = dp->measures, .tier = u < 5 ? TIER_LONG_TERM : u < 8 ? TIER_EXPLAIN : TIER_SCHEDULED,
			      .urgency = u % 10 == 0 ? URG_URGENT : u % 10 == 1 ? URG_COMPLEX : URG_NORMAL,
			      .category_id = g->cat[cat], .problem_ids = &pid, .nproblems = 1};
	if (plan == P_EXTENSION)
		tn.urgency = URG_COMPLEX; /* only complex tasks may ask for an extension */
	if (store_tx_run(tx, g->at, gs_task, &(struct gstep){.a = disp, .tn = &tn, .id = &tid}, err))
		return -1;
	if (plan == P_PENDING)
		return 0;
	/* Assign: a township's own handlers (70 %) or a county department's. */
	int dep = rnd(g) % 10 < 3;
	int du = (int)(rnd(g) % NDEPT);
	const struct actor_c *h = dep ? &g->hand_dept[du][rnd(g) % NHAND] : &g->hand_town[t][rnd(g) % NHAND];
	struct task_input in;
	task_input_init(&in);
	in.unit_id = dep ? g->dept[du] : g->town[t];
	in.handler_id = h->id;
	in.leader_id = g->leader[rnd(g) % NLEAD];
	if (act(tx, g, &g->dispatch, tid, TA_ASSIGN, &in, err))
		return -1;
	if (plan == P_ASSIGNED || !(d = step(g, d, 2)))
		return 0;
	task_input_init(&in);
	if (act(tx, g, h, tid, TA_ACCEPT, &in, err))
		return -1;
	if (plan == P_IN_PROGRESS) {
		if (rnd(g) % 2 || !(d = step(g, d, 4)))
			return 0;
		task_input_init(&in);
		in.note = "已现场查看，制定整改方案，正在推进";
		in.progress = 50;
		return act(tx, g, h, tid, TA_PROGRESS, &in, err);
	}
	if (plan == P_EXTENSION) {
		if (!(d = step(g, d, 4)))
			return 0;
		task_input_init(&in);
		in.reason = "涉及资金审批和施工季节限制，需延长办理时间";
		in.days = 10;
		return act(tx, g, h, tid, TA_REQUEST_EXTENSION, &in, err);
	}
	if (!(d = step(g, d, 8)))
		return 0;
	task_input_init(&in);
	in.outcome = tn.tier == TIER_EXPLAIN ? OUT_EXPLAINED : OUT_RESOLVED;
	in.note = dp->measures;
	if (act(tx, g, h, tid, TA_COMPLETE, &in, err))
		return -1;
	if (plan == P_COMPLETED || !(d = step(g, d, 3)))
		return 0;
	task_input_init(&in);
	in.satisfaction = rnd(g) % 4 ? SAT_SATISFIED : SAT_BASIC;
	in.solved = 1;
	in.note = "电话回访，群众认可办理结果";
	if (act(tx, g, &g->grid[t], tid, TA_FOLLOW_UP, &in, err))
		return -1;
	task_input_init(&in);
	return act(tx, g, &g->dispatch, tid, TA_SIGN_OFF, &in, err);
}

/* One problem left new (the dispatcher's triage queue): raised in the last 10 days, not triaged. */
static int one_new(struct store_tx *tx, struct gen *g, struct qd_err *err)
{
	const struct demo_problem *dp = &demo_problems[(size_t)rnd(g) % demo_problems_count];
	int t = (int)(rnd(g) % NTOWN), v = (int)(rnd(g) % NVILL);
	int32_t day = g->today - (int32_t)(rnd(g) % 10);
	if (!calendar_is_workday(g->cal, day))
		day = calendar_add_workdays(g->cal, day, 1);
	if (day > g->today)
		day = g->today;
	g->at = day_at(day);
	char phone[16];
	snprintf(phone, sizeof phone, "139%08u", (unsigned)(rnd(g) % 100000000u));
	struct problem_new pn = {.unit_id = g->vill[t][v], .category_id = g->cat[rnd(g) % 15], .source = "visit",
				 .description = dp->text,
				 .name = demo_residents[(size_t)rnd(g) % demo_residents_count].name,
				 .phone = phone, .no_disclose = dp->sensitive};
	int64_t pid = 0;
	char code[16];
	return store_tx_run(tx, g->at, gs_problem, &(struct gstep){.uid = g->grid[t].id, .pn = &pn, .code = code, .id = &pid},
			    err);
}

static int batch_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct gen *g = arg;
	for (long k = 0; k < g->batch && g->done < g->total; k++, g->done++)
		if (one(tx, g, g->done, err) || (g->done % 100 == 99 && one_new(tx, g, err)))
			return -1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen --db FILE [--tasks N] [--batch B] [--seed S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	mem_init();
	const char *db = NULL;
	struct gen *g = xcalloc(1, sizeof *g);
	g->total = 1000000;
	g->batch = 10000;
	g->rnd = 20220719;
	if (argc == 2 && !strcmp(argv[1], "--schema-version")) {
		/* g2: the generator's own version (2: the new problems of the triage queue) */
		printf("%dg2\n", schema_count());
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--db"))
			db = argv[++i];
		else if (!strcmp(argv[i], "--tasks"))
			g->total = atol(argv[++i]);
		else if (!strcmp(argv[i], "--batch"))
			g->batch = atol(argv[++i]);
		else if (!strcmp(argv[i], "--seed"))
			g->rnd = (uint64_t)atoll(argv[++i]) | 1;
		else
			usage();
	}
	if (!db || g->total < 1 || g->batch < 1)
		usage();
	if (access(db, F_OK) == 0) {
		fprintf(stderr, "gen: %s already exists\n", db);
		return 1;
	}
	if (auth_hash_password("qingdan-demo", g->pw, sizeof g->pw)) {
		fprintf(stderr, "gen: cannot hash the password\n");
		return 1;
	}
	int64_t now = gen_now = clock_now_ms(); /* the generator's one clock read: history ends now */
	g->today = date_china_day(now);
	struct store *s;
	struct qd_err err;
	struct store_opts so = {.path = db, .create = 1, .now = now};
	double t0 = now_s();
	if (store_open(&s, &so, &err) || store_run(s, day_at(g->today - 400), setup_cmd, g, &err)) {
		fprintf(stderr, "gen: setup: %s (field %s)\n", err.en, err.field);
		return 1;
	}
	g->cal = store_calendar_load(store_reader(s));
	double last = t0;
	long last_done = 0;
	while (g->done < g->total) {
		if (store_run(s, now, batch_cmd, g, &err)) {
			fprintf(stderr, "gen: task %ld: %s (field %s)\n", g->done, err.en, err.field);
			return 1;
		}
		double t = now_s();
		if (t - last >= 2 || g->done == g->total) {
			double rate = (double)g->done / (t - t0);
			fprintf(stderr, "gen: %ld/%ld tasks  %.0f s  %.0f tasks/s (now %.0f/s)  eta %.0f s\n", g->done,
				g->total, t - t0, rate, (double)(g->done - last_done) / (t - last),
				(double)(g->total - g->done) / rate);
			last = t;
			last_done = g->done;
		}
	}
	calendar_free(g->cal);
	store_close(s);
	double secs = now_s() - t0;
	/* The size with everything checkpointed into the file (no WAL left beside it). */
	sqlite3 *c = NULL;
	struct stat sb;
	if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK || stat(db, &sb) != 0) {
		fprintf(stderr, "gen: checkpoint: %s\n", c ? sqlite3_errmsg(c) : "cannot open");
		sqlite3_close(c);
		return 1;
	}
	sqlite3_close(c);
	printf("gen_tasks %ld\ngen_seconds %.1f\ngen_schema %d\ngen_db_bytes %lld\ngen_bytes_per_task %.0f\n", g->total,
	       secs, schema_count(), (long long)sb.st_size, (double)sb.st_size / (double)g->total);
	free(g);
	return 0;
}
