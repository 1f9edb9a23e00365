/* demo.c — `qingdan demo`: a living system built from the seed page (shared/seed): its units
 * and villages, 第八巡回指导组, one user per role (password "qingdan-demo"), and a few hundred
 * problems walked through the loop on past working days so that every state, tier and an
 * honest share of overdue work are present.  Deterministic: a fixed pseudo-random sequence.
 *
 * Time is an argument here as everywhere: the demo is one command (one transaction) whose steps
 * each run at the past time they stand for (store_tx_run) — 09:00 China time on their day, plus
 * a quarter-minute per step so the steps of a day keep their order, and never later than the
 * command's own time.  No clock is pinned. */
#include "base/date.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/demo_data.h"
#include "core/unit.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/task.h"
#include "web/auth.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_PASSWORD "qingdan-demo"
#define DEMO_PROBLEMS 320
#define MAX_UNITS 512

struct demo {
	char pw[256];
	int64_t unit_id[MAX_UNITS];     /* by demo_units index */
	int64_t handler_of[MAX_UNITS];  /* handler user per unit index (townships, departments) */
	int64_t grid_of[MAX_UNITS];     /* grid worker per township index */
	int64_t groups[MAX_UNITS][3];   /* group units under each village */
	int64_t cat_top[5];
	int64_t dispatcher, supervisor, leaders[3], grid, resident, admin;
	int64_t group8;
	uint32_t rnd;
	int64_t now;   /* the demo command's time: no step is later */
	int32_t today; /* its day: the walk never goes past it */
	int tick;      /* steps so far (the time of day of the next) */
	int staff_next;
	int quiet;
};

static uint32_t rnd(struct demo *d)
{
	d->rnd = d->rnd * 1103515245u + 12345u;
	return (d->rnd >> 8) & 0xFFFFFF;
}

static int unit_index(const char *name)
{
	for (size_t i = 0; i < demo_units_count; i++)
		if (!strcmp(demo_units[i].name, name))
			return (int)i;
	return -1;
}

/* A village or a community: where residents live, with groups and grid workers. */
static int village_like(const char *kind)
{
	int k = unit_kind_parse(kind);
	return k == UNIT_VILLAGE || k == UNIT_COMMUNITY;
}

static const char *staff_name(struct demo *d)
{
	/* Skip the first two (the county's leaders named in the seed). */
	const char *n = demo_staff[2 + (d->staff_next % (int)(demo_staff_count - 2))].name;
	d->staff_next++;
	return n;
}

/* The time of the next step on day (never after the demo command's now). */
static int64_t at(struct demo *d, int32_t day)
{
	int64_t t = date_china_midnight_ms(day) + 9 * 3600000LL + (int64_t)(d->tick++ % 2400) * 15000;
	return t < d->now ? t : d->now;
}

/* One step of the walk, run at its own time (store_tx_run). */
struct step {
	int64_t uid;                   /* who acts */
	const struct problem_new *pn;  /* step_problem */
	char *code;
	int64_t problem, into;         /* step_merge, step_decline */
	const char *reason;
	const struct task_new *tn;     /* step_task */
	int64_t *id;                   /* out: the problem or task created */
	int64_t task;                  /* step_act */
	enum task_action action;
	struct task_input *in;
};

static int user(struct store_tx *tx, struct demo *d, const char *username, const char *name, int64_t unit,
		enum role role, int64_t *id, struct qd_err *err)
{
	if (store_user_create(tx, 0, username, name, unit, d->pw, id, err))
		return -1;
	return store_grant_add(tx, 0, *id, role, unit, err);
}

/* The user as an actor; returns the grants a points at (caller frees). */
static struct grant *actor_of(struct store_tx *tx, int64_t uid, struct actor *a)
{
	struct grant *g;
	int n = store_user_grants(store_tx_db(tx), uid, &g);
	a->user_id = uid;
	a->grants = g;
	a->ngrants = n < 0 ? 0 : n;
	return g;
}

static int step_problem(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct step *st = arg;
	return store_problem_create(tx, st->uid, st->pn, st->id, st->code, err);
}

static int step_merge(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct step *st = arg;
	return store_problem_merge(tx, st->uid, st->problem, st->into, err);
}

static int step_decline(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct step *st = arg;
	return store_problem_decline(tx, st->uid, st->problem, st->reason, err);
}

static int step_task(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct step *st = arg;
	struct actor a;
	struct grant *g = actor_of(tx, st->uid, &a);
	int rc = store_task_create(tx, &a, st->tn, st->id, err);
	free(g);
	return rc;
}

static int step_act(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct step *st = arg;
	struct actor a;
	struct grant *g = actor_of(tx, st->uid, &a);
	int rc = store_task_act(tx, &a, st->task, st->action, st->in, err);
	free(g);
	return rc;
}

/* uid does action on task, on day. */
static int act(struct store_tx *tx, struct demo *d, int32_t day, int64_t uid, int64_t task, enum task_action action,
	       struct task_input *in, struct qd_err *err)
{
	struct step st = {.uid = uid, .task = task, .action = action, .in = in};
	return store_tx_run(tx, at(d, day), step_act, &st, err);
}

static int build_org(struct store_tx *tx, struct demo *d, struct qd_err *err)
{
	static const char *const cats[5] = {"基础设施", "产业发展", "综合治理", "民生保障", "逐人逐项"};
	static const char *const subs[5][3] = {{"道路桥梁", "供水排水", "电力照明"},
					       {"种植养殖", "农田水利", "销售融资"},
					       {"矛盾纠纷", "环境卫生", "河湖林长"},
					       {"医疗医保", "养老助残", "教育"},
					       {"困难帮扶", "就业创业", "其他"}};
	for (int i = 0; i < 5; i++) {
		if (store_category_create(tx, 0, 0, cats[i], &d->cat_top[i], err))
			return -1;
		for (int j = 0; j < 3; j++) {
			int64_t id;
			if (store_category_create(tx, 0, d->cat_top[i], subs[i][j], &id, err))
				return -1;
		}
	}
	for (size_t i = 0; i < demo_units_count && i < MAX_UNITS; i++) {
		const struct demo_unit *u = &demo_units[i];
		int p = u->parent ? unit_index(u->parent) : -1;
		if (store_unit_create(tx, 0, p >= 0 ? d->unit_id[p] : 0, u->name, u->kind, u->peer_group, &d->unit_id[i], err))
			return -1;
		if (village_like(u->kind))
			for (int g = 0; g < 3; g++)
				if (store_unit_create(tx, 0, d->unit_id[i], demo_groups[g], unit_kind_name(UNIT_GROUP), "", &d->groups[i][g], err))
					return -1;
	}
	if (store_unit_create(tx, 0, d->unit_id[0], "第八巡回指导组", unit_kind_name(UNIT_SUPERVISION), "", &d->group8, err))
		return -1;
	return 0;
}

static int build_users(struct store_tx *tx, struct demo *d, struct qd_err *err)
{
	int64_t root = d->unit_id[0], id;
	int xhk = unit_index("新河口村"), zlz = unit_index("周老嘴镇");
	if (user(tx, d, "admin", "系统管理员", root, ROLE_ADMIN, &d->admin, err) ||
	    user(tx, d, "dispatch", staff_name(d), root, ROLE_DISPATCHER, &d->dispatcher, err) ||
	    store_grant_add(tx, 0, d->dispatcher, ROLE_PII, root, err) ||
	    user(tx, d, "leader", staff_name(d), root, ROLE_LEADER, &d->leaders[0], err) ||
	    user(tx, d, "leader2", staff_name(d), root, ROLE_LEADER, &d->leaders[1], err) ||
	    user(tx, d, "leader3", staff_name(d), root, ROLE_LEADER, &d->leaders[2], err) ||
	    user(tx, d, "analyst", staff_name(d), root, ROLE_ANALYST, &id, err) ||
	    user(tx, d, "grid", staff_name(d), d->unit_id[xhk], ROLE_GRID, &d->grid, err) ||
	    user(tx, d, "resident", demo_residents[0].name, d->unit_id[xhk], ROLE_RESIDENT, &d->resident, err) ||
	    user(tx, d, "unithead", staff_name(d), d->unit_id[zlz], ROLE_UNIT_HEAD, &id, err) ||
	    user(tx, d, "handler", staff_name(d), d->unit_id[zlz], ROLE_HANDLER, &d->handler_of[zlz], err))
		return -1;
	/* 第八巡回指导组: supervises the units that reported at the meeting (分层分类). */
	static const char *const covered[] = {"上车湾镇", "荒湖管理区", "市乡村振兴局", "市医保局", "市城管局", "供电公司", "周老嘴镇", NULL};
	if (store_user_create(tx, 0, "supervisor", staff_name(d), d->group8, d->pw, &d->supervisor, err))
		return -1;
	for (int i = 0; covered[i]; i++)
		if (store_grant_add(tx, 0, d->supervisor, ROLE_SUPERVISOR, d->unit_id[unit_index(covered[i])], err))
			return -1;
	/* A handler for every township and department; a grid worker per township. */
	for (size_t i = 1; i < demo_units_count; i++) {
		const struct demo_unit *u = &demo_units[i];
		char name[32];
		if (strcmp(u->peer_group, "township") != 0 && strcmp(u->peer_group, "department") != 0)
			continue;
		if (!d->handler_of[i]) {
			snprintf(name, sizeof name, "h%lld", (long long)d->unit_id[i]);
			if (user(tx, d, name, staff_name(d), d->unit_id[i], ROLE_HANDLER, &d->handler_of[i], err))
				return -1;
		}
		if (!strcmp(u->peer_group, "township")) {
			snprintf(name, sizeof name, "g%lld", (long long)d->unit_id[i]);
			if (user(tx, d, name, staff_name(d), d->unit_id[i], ROLE_GRID, &d->grid_of[i], err))
				return -1;
		}
	}
	return 0;
}

/* Walk one problem through the loop to its planned end, one step per working day, never past
 * today. */
static int walk(struct store_tx *tx, struct demo *d, int i, int32_t today, struct calendar *cal, struct qd_err *err)
{
	const struct demo_problem *dp = &demo_problems[(size_t)i % demo_problems_count];
	/* a village (or community) and its township */
	int v;
	do
		v = (int)(rnd(d) % demo_units_count);
	while (!village_like(demo_units[v].kind));
	int town = unit_index(demo_units[v].parent);
	if (i % 7 == 0)
		v = unit_index("新河口村"), town = unit_index("周老嘴镇");
	int64_t group = d->groups[v][rnd(d) % 3];
	int plan = i % 20;
	int32_t day = today - 3 - (int32_t)(rnd(d) % 55);
	if (plan == 0 || plan == 4)
		day = today - (int32_t)(rnd(d) % 4);
	else if (plan == 5 || plan == 6 || plan == 7)
		day = today - (int32_t)(rnd(d) % 12); /* recently assigned: mostly still on time */
	if (!calendar_is_workday(cal, day))
		day = calendar_add_workdays(cal, day, 1);
	if (day > today)
		day = today;
	char phone[16], address[200];
	const char *resident = demo_residents[rnd(d) % demo_residents_count].name;
	snprintf(phone, sizeof phone, "1380000%04u", (unsigned)(rnd(d) % 10000));
	snprintf(address, sizeof address, "湖北省监利市%s%s%s%u号", demo_units[town].name, demo_units[v].name,
		 demo_groups[rnd(d) % 3], (unsigned)(1 + rnd(d) % 60));
	int cat = 0;
	static const char *const cats[5] = {"基础设施", "产业发展", "综合治理", "民生保障", "逐人逐项"};
	for (int c = 0; c < 5; c++)
		if (!strcmp(dp->category, cats[c]))
			cat = c;
	int64_t creator = v == unit_index("新河口村") ? d->grid : d->grid_of[town];
	struct problem_new pn = {.unit_id = group, .category_id = d->cat_top[cat], .source = i % 9 == 0 ? "hotline" : "visit",
				 .description = dp->text, .name = resident, .phone = phone, .address = address,
				 .anonymous = i % 13 == 0, .no_disclose = dp->sensitive};
	int64_t pid = 0, tid = 0; /* set by the steps (store_tx_run) */
	char code[16];
	static int64_t last_pid;
	if (store_tx_run(tx, at(d, day), step_problem, &(struct step){.uid = creator, .pn = &pn, .code = code, .id = &pid},
			 err))
		return -1;
	if (plan == 0)
		return last_pid = pid, 0;
	if (plan == 1 && last_pid)
		return store_tx_run(tx, at(d, day < today ? day + 1 : day), step_merge,
				    &(struct step){.uid = d->dispatcher, .problem = pid, .into = last_pid}, err);
	if (plan == 2)
		return store_tx_run(tx, at(d, day), step_decline,
				    &(struct step){.uid = d->dispatcher, .problem = pid,
						   .reason = "该事项属于司法诉讼程序，已告知反映人依法通过法院解决"},
				    err);
	last_pid = pid;
	int dep = dp->department ? unit_index(dp->department) : -1;
	int handling = dep >= 0 ? dep : town;
	int64_t handler = d->handler_of[handling];
	if (plan == 3) {
		struct task_new tn = {.title = dp->text, .measures = dp->measures, .tier = TIER_IMMEDIATE,
				      .urgency = URG_NORMAL, .category_id = d->cat_top[cat], .problem_ids = &pid,
				      .nproblems = 1, .unit_id = d->unit_id[town]};
		if (store_tx_run(tx, at(d, day), step_task, &(struct step){.uid = creator, .tn = &tn, .id = &tid}, err))
			return -1;
		handler = creator;
		goto follow;
	}
	day = calendar_add_workdays(cal, day, 1);
	if (day > today)
		return 0;
	struct task_new tn = {.title = dp->text, .measures = dp->measures,
			      .tier = plan == 19 ? TIER_LONG_TERM : plan == 18 ? TIER_EXPLAIN : TIER_SCHEDULED,
			      .urgency = plan == 10 || plan == 19 ? URG_COMPLEX : (i % 11 == 0 ? URG_URGENT : URG_NORMAL),
			      .category_id = d->cat_top[cat], .problem_ids = &pid, .nproblems = 1};
	if (store_tx_run(tx, at(d, day), step_task, &(struct step){.uid = d->dispatcher, .tn = &tn, .id = &tid}, err))
		return -1;
	if (plan == 4)
		return 0;
	struct task_input in;
	task_input_init(&in);
	in.unit_id = d->unit_id[handling];
	in.handler_id = handler;
	in.leader_id = d->leaders[i % 3];
	if (act(tx, d, day, d->dispatcher, tid, TA_ASSIGN, &in, err))
		return -1;
	if (plan <= 6)
		return 0;
	day = calendar_add_workdays(cal, day, 1 + (int)(rnd(d) % 2));
	if (day > today)
		return 0;
	task_input_init(&in);
	if (act(tx, d, day, handler, tid, TA_ACCEPT, &in, err))
		return -1;
	day = calendar_add_workdays(cal, day, 2 + (int)(rnd(d) % 4));
	if (day > today)
		return 0;
	task_input_init(&in);
	in.note = plan == 19 ? "已完成方案设计和资金申报，正在组织施工" : "已现场查看，制定整改方案，正在推进";
	in.progress = plan == 19 ? 40 : 50;
	if (act(tx, d, day, handler, tid, TA_PROGRESS, &in, err))
		return -1;
	if (plan <= 9 || plan == 19)
		return 0;
	if (plan == 10) {
		task_input_init(&in);
		in.reason = "涉及资金审批和汛期施工限制，需延长办理时间";
		in.days = 10;
		return act(tx, d, day, handler, tid, TA_REQUEST_EXTENSION, &in, err);
	}
	day = calendar_add_workdays(cal, day, 1 + (int)(rnd(d) % 6));
	if (day > today)
		return 0;
	task_input_init(&in);
	in.outcome = plan == 18 ? OUT_EXPLAINED : OUT_RESOLVED;
	in.note = plan == 18 ? "经核实暂不具备条件，已向群众当面解释政策并取得理解" : dp->measures;
	if (act(tx, d, day, handler, tid, TA_COMPLETE, &in, err))
		return -1;
	if (plan == 11)
		return 0;
follow:
	day = calendar_add_workdays(cal, day, 1 + (int)(rnd(d) % 3));
	if (day > today)
		return 0;
	task_input_init(&in);
	in.satisfaction = plan == 12 ? SAT_UNSATISFIED : (i % 3 == 0 ? SAT_BASIC : SAT_SATISFIED);
	in.solved = plan != 12;
	in.note = plan == 12 ? "群众反映问题仍未彻底解决" : "电话回访，群众认可办理结果";
	int64_t fu = handler == d->dispatcher ? d->supervisor : d->dispatcher;
	if (act(tx, d, day, fu, tid, TA_FOLLOW_UP, &in, err))
		return -1;
	task_input_init(&in);
	if (plan == 12) {
		in.reason = "回访不满意，责令重新办理";
		return act(tx, d, day, d->dispatcher, tid, TA_REOPEN, &in, err);
	}
	if (plan == 3 && i % 2)
		return 0;
	return act(tx, d, day, d->dispatcher, tid, TA_SIGN_OFF, &in, err);
}

static int step_org(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct demo *d = arg;
	return store_org_seed(tx, err) || build_org(tx, d, err) || build_users(tx, d, err) ? -1 : 0;
}

static int demo_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct demo *d = arg;
	int32_t today = d->today;
	if (store_tx_run(tx, at(d, today - 70), step_org, d, err)) /* the county, 70 days ago */
		return -1;
	struct calendar *cal = store_calendar_load(store_tx_db(tx));
	int rc = 0;
	for (int i = 0; i < DEMO_PROBLEMS && !rc; i++)
		rc = walk(tx, d, i, today, cal, err);
	calendar_free(cal);
	return rc;
}

int demo_build(struct store *s, int64_t now, int quiet, struct qd_err *err)
{
	struct demo *d = xcalloc(1, sizeof *d);
	d->rnd = 20220719;
	d->now = now;
	d->today = date_china_day(now);
	d->quiet = quiet;
	if (auth_hash_password(DEMO_PASSWORD, d->pw, sizeof d->pw)) {
		free(d);
		return qd_fail(err, QD_EINTERNAL, NULL, "无法计算密码摘要", "cannot hash the demo password");
	}
	int rc = store_run(s, now, demo_cmd, d, err);
	free(d);
	return rc;
}

int cmd_demo(struct cli_opts *o)
{
	if (access(o->db, F_OK) == 0) {
		fprintf(stderr, "qingdan demo: %s already exists (the demo builds a new database)\n", o->db);
		return 1;
	}
	struct store *s = cli_open(o, 1);
	if (!s)
		return 1;
	struct qd_err err;
	int rc = demo_build(s, o->now, o->quiet, &err);
	if (rc)
		fprintf(stderr, "qingdan demo: %s (field %s)\n", err.en, err.field);
	else if (!o->quiet)
		printf("demo database %s ready: users admin, dispatch, grid, handler, unithead, leader, supervisor, "
		       "analyst, resident — password %s\n", o->db, DEMO_PASSWORD);
	store_close(s);
	return rc ? 1 : 0;
}
