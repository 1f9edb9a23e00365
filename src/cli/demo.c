/* demo.c — `qingdan demo`: a living system built from the seed page (shared/seed): its units
 * and villages, 第八巡回指导组, one user per role (password "qingdan-demo"), and a few hundred
 * problems walked through the loop on past working days so that every state, tier and an
 * honest share of overdue work are present.  Deterministic: a fixed pseudo-random sequence.
 *
 * Time is an argument here as everywhere: the demo is one command (one transaction) whose steps
 * each run at the past time they stand for (store_tx_write) — 09:00 China time on their day, plus
 * a quarter-minute per step so the steps of a day keep their order, and never later than the
 * command's own time.  No clock is pinned.
 *
 * Each step is one of the store's write commands (store/write.h), the same the web layer submits:
 * the organisation as the console, the walk as its users with the grants they hold (so the demo
 * passes every scope check a real caller would).  The one callback left is the bulk transaction
 * itself (demo_cmd, run by store_run in this process: there is no writer thread in the CLI). */
#include "store/pg.h"
#include "base/date.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "store/sign.h"
#include "cli/demo_data.h"
#include "core/unit.h"
#include "store/write.h"
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

/* The units the supervisor (第八巡回指导组) covers: those that reported at the meeting (分层分类). */
static const char *const covered[] = {"上车湾镇", "荒湖管理区", "市乡村振兴局", "市医保局", "市城管局", "供电公司", "周老嘴镇", NULL};

static int supervisor_covers(const char *unit)
{
	for (int i = 0; covered[i]; i++)
		if (!strcmp(covered[i], unit))
			return 1;
	return 0;
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

/* A write by uid (0: the console) acting with the grants they hold, for step(). */
static struct store_write *as(int64_t uid, enum store_write_kind kind)
{
	struct store_write *w = store_write_new(kind, uid, NULL, 0);
	w->console = uid == 0;
	w->actor_grants = uid != 0;
	return w;
}

/* Run w (freed) as a step of the demo at time t; *id (may be NULL) gets its result id. */
static int step(struct store_tx *tx, int64_t t, struct store_write *w, int64_t *id, struct qd_err *err)
{
	int rc = store_tx_write(tx, t, w, err);
	if (!rc && id)
		*id = w->id;
	store_write_free(w);
	return rc;
}

static int user(struct store_tx *tx, int64_t t, struct demo *d, const char *username, const char *name, int64_t unit,
		enum role role, int64_t *id, struct qd_err *err)
{
	struct store_write *w = as(0, SW_USER_CREATE);
	w->u.user.username = username;
	w->u.user.display_name = name;
	w->u.user.unit_id = unit;
	w->u.user.role = (int)role;
	snprintf(w->u.user.pw_hash, sizeof w->u.user.pw_hash, "%s", d->pw);
	return step(tx, t, w, id, err);
}

static int grant(struct store_tx *tx, int64_t t, int64_t uid, enum role role, int64_t unit, struct qd_err *err)
{
	struct store_write *w = as(0, SW_GRANT_ADD);
	w->u.grant.user_id = uid;
	w->u.grant.role = role;
	w->u.grant.unit_id = unit;
	return step(tx, t, w, NULL, err);
}

static int unit(struct store_tx *tx, int64_t t, int64_t parent, const char *name, const char *kind,
		const char *peer_group, int64_t *id, struct qd_err *err)
{
	struct store_write *w = as(0, SW_UNIT_CREATE);
	w->u.unit.parent_id = parent;
	w->u.unit.name = name;
	w->u.unit.kind = kind;
	w->u.unit.peer_group = peer_group;
	return step(tx, t, w, id, err);
}

static int category(struct store_tx *tx, int64_t t, int64_t parent, const char *name, int64_t *id, struct qd_err *err)
{
	struct store_write *w = as(0, SW_CATEGORY_CREATE);
	w->u.category.parent_id = parent;
	w->u.category.name = name;
	return step(tx, t, w, id, err);
}

/* uid creates a task (tn: one problem) on day; *tid gets it. */
static int task(struct store_tx *tx, struct demo *d, int32_t day, int64_t uid, const struct task_new *tn, int64_t *tid,
		struct qd_err *err)
{
	struct store_write *w = as(uid, SW_TASK_CREATE);
	w->u.task.tn = *tn;
	w->u.task.problem_ids[0] = tn->problem_ids[0];
	w->u.task.tn.nproblems = 1;
	return step(tx, at(d, day), w, tid, err);
}

/* uid does action on task, on day. */
static int act(struct store_tx *tx, struct demo *d, int32_t day, int64_t uid, int64_t task, enum task_action action,
	       struct task_input *in, struct qd_err *err)
{
	struct store_write *w = as(uid, SW_TASK_ACT);
	w->u.act.id = task;
	w->u.act.action = action;
	w->u.act.in = *in;
	return step(tx, at(d, day), w, NULL, err);
}

static int build_org(struct store_tx *tx, int64_t t, struct demo *d, struct qd_err *err)
{
	static const char *const cats[5] = {"基础设施", "产业发展", "综合治理", "民生保障", "逐人逐项"};
	static const char *const subs[5][3] = {{"道路桥梁", "供水排水", "电力照明"},
					       {"种植养殖", "农田水利", "销售融资"},
					       {"矛盾纠纷", "环境卫生", "河湖林长"},
					       {"医疗医保", "养老助残", "教育"},
					       {"困难帮扶", "就业创业", "其他"}};
	for (int i = 0; i < 5; i++) {
		if (category(tx, t, 0, cats[i], &d->cat_top[i], err))
			return -1;
		for (int j = 0; j < 3; j++) {
			int64_t id;
			if (category(tx, t, d->cat_top[i], subs[i][j], &id, err))
				return -1;
		}
	}
	for (size_t i = 0; i < demo_units_count && i < MAX_UNITS; i++) {
		const struct demo_unit *u = &demo_units[i];
		int p = u->parent ? unit_index(u->parent) : -1;
		if (unit(tx, t, p >= 0 ? d->unit_id[p] : 0, u->name, u->kind, u->peer_group, &d->unit_id[i], err))
			return -1;
		if (village_like(u->kind))
			for (int g = 0; g < 3; g++)
				if (unit(tx, t, d->unit_id[i], demo_groups[g], unit_kind_name(UNIT_GROUP), "", &d->groups[i][g], err))
					return -1;
	}
	if (unit(tx, t, d->unit_id[0], "第八巡回指导组", unit_kind_name(UNIT_SUPERVISION), "", &d->group8, err))
		return -1;
	return 0;
}

static int build_users(struct store_tx *tx, int64_t t, struct demo *d, struct qd_err *err)
{
	int64_t root = d->unit_id[0], id;
	int xhk = unit_index("新河口村"), zlz = unit_index("周老嘴镇");
	if (user(tx, t, d, "admin", "系统管理员", root, ROLE_ADMIN, &d->admin, err) ||
	    user(tx, t, d, "security", "安全管理员", root, ROLE_SECURITY_ADMIN, &id, err) ||
	    user(tx, t, d, "auditor", "审计管理员", root, ROLE_AUDIT_ADMIN, &id, err) ||
	    user(tx, t, d, "dispatch", staff_name(d), root, ROLE_DISPATCHER, &d->dispatcher, err) ||
	    grant(tx, t, d->dispatcher, ROLE_PII, root, err) ||
	    user(tx, t, d, "leader", staff_name(d), root, ROLE_LEADER, &d->leaders[0], err) ||
	    user(tx, t, d, "leader2", staff_name(d), root, ROLE_LEADER, &d->leaders[1], err) ||
	    user(tx, t, d, "leader3", staff_name(d), root, ROLE_LEADER, &d->leaders[2], err) ||
	    user(tx, t, d, "analyst", staff_name(d), root, ROLE_ANALYST, &id, err) ||
	    user(tx, t, d, "grid", staff_name(d), d->unit_id[xhk], ROLE_GRID, &d->grid, err) ||
	    user(tx, t, d, "resident", demo_residents[0].name, d->unit_id[xhk], ROLE_RESIDENT, &d->resident, err) ||
	    user(tx, t, d, "unithead", staff_name(d), d->unit_id[zlz], ROLE_UNIT_HEAD, &id, err) ||
	    user(tx, t, d, "handler", staff_name(d), d->unit_id[zlz], ROLE_HANDLER, &d->handler_of[zlz], err))
		return -1;
	/* 第八巡回指导组: supervises the units that reported at the meeting (分层分类). */
	struct store_write *w = as(0, SW_USER_CREATE);
	w->u.user.username = "supervisor";
	w->u.user.display_name = staff_name(d);
	w->u.user.unit_id = d->group8;
	snprintf(w->u.user.pw_hash, sizeof w->u.user.pw_hash, "%s", d->pw);
	if (step(tx, t, w, &d->supervisor, err))
		return -1;
	for (int i = 0; covered[i]; i++)
		if (grant(tx, t, d->supervisor, ROLE_SUPERVISOR, d->unit_id[unit_index(covered[i])], err))
			return -1;
	/* A handler for every township and department; a grid worker per township. */
	for (size_t i = 1; i < demo_units_count; i++) {
		const struct demo_unit *u = &demo_units[i];
		char name[32];
		if (strcmp(u->peer_group, "township") != 0 && strcmp(u->peer_group, "department") != 0)
			continue;
		if (!d->handler_of[i]) {
			snprintf(name, sizeof name, "h%lld", (long long)d->unit_id[i]);
			if (user(tx, t, d, name, staff_name(d), d->unit_id[i], ROLE_HANDLER, &d->handler_of[i], err))
				return -1;
		}
		if (!strcmp(u->peer_group, "township")) {
			snprintf(name, sizeof name, "g%lld", (long long)d->unit_id[i]);
			if (user(tx, t, d, name, staff_name(d), d->unit_id[i], ROLE_GRID, &d->grid_of[i], err))
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
	int64_t pid = 0, tid = 0; /* set by the steps */
	static int64_t last_pid;
	struct store_write *w = as(creator, SW_PROBLEM_INTAKE);
	w->u.intake.p = pn;
	if (step(tx, at(d, day), w, &pid, err))
		return -1;
	if (plan == 0)
		return last_pid = pid, 0;
	if (plan == 1 && last_pid) {
		w = as(d->dispatcher, SW_PROBLEM_MERGE);
		w->u.triage.id = pid;
		w->u.triage.into = last_pid;
		return step(tx, at(d, day < today ? day + 1 : day), w, NULL, err);
	}
	if (plan == 2) {
		w = as(d->dispatcher, SW_PROBLEM_DECLINE);
		w->u.triage.id = pid;
		w->u.triage.reason = "该事项属于司法诉讼程序，已告知反映人依法通过法院解决";
		return step(tx, at(d, day), w, NULL, err);
	}
	last_pid = pid;
	int dep = dp->department ? unit_index(dp->department) : -1;
	int handling = dep >= 0 ? dep : town;
	int64_t handler = d->handler_of[handling];
	if (plan == 3) {
		struct task_new tn = {.title = dp->text, .measures = dp->measures, .tier = TIER_IMMEDIATE,
				      .urgency = URG_NORMAL, .category_id = d->cat_top[cat], .problem_ids = &pid,
				      .nproblems = 1, .unit_id = d->unit_id[town]};
		if (task(tx, d, day, creator, &tn, &tid, err))
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
	if (task(tx, d, day, d->dispatcher, &tn, &tid, err))
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
	in.channel = i % 4 == 0 ? CH_IN_PERSON : CH_PHONE;
	in.note = plan == 12 ? "群众反映问题仍未彻底解决"
			     : in.channel == CH_IN_PERSON ? "当面回访，群众认可办理结果" : "电话回访，群众认可办理结果";
	/* The village cadre who logged it calls the resident back; when that cadre handled it on the
	 * spot, the township's other cadre or the supervisor, else the dispatcher.  The dispatcher
	 * who signs off never signs off a verdict they recorded (core/task.c): such a task stays
	 * completed, awaiting a sign-off by someone else. */
	int64_t fu = creator != handler		  ? creator
		     : creator == d->grid		  ? d->grid_of[town]
		     : supervisor_covers(demo_units[town].name) ? d->supervisor
							  : d->dispatcher;
	if (act(tx, d, day, fu, tid, TA_FOLLOW_UP, &in, err))
		return -1;
	task_input_init(&in);
	if (plan == 12) {
		in.reason = "回访不满意，责令重新办理";
		return act(tx, d, day, d->dispatcher, tid, TA_REOPEN, &in, err);
	}
	if ((plan == 3 && i % 2) || fu == d->dispatcher)
		return 0;
	return act(tx, d, day, d->dispatcher, tid, TA_SIGN_OFF, &in, err);
}

static int demo_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct demo *d = arg;
	int32_t today = d->today;
	int64_t t = at(d, today - 70); /* the county, 70 days ago */
	if (step(tx, t, as(0, SW_ORG_SEED), NULL, err) || build_org(tx, t, d, err) || build_users(tx, t, d, err))
		return -1;
	/* the calendar just seeded: the shipped one */
	size_t ndays;
	const struct cal_day *days = calendar_shipped(&ndays);
	struct calendar *cal = calendar_new(days, ndays);
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
	char *sk = cli_sign_key_path(o); /* a demo server signs its chain heads like any other */
	if (!rc && access(sk, F_OK) != 0)
		rc = sign_key_create(sk, &err);
	free(sk);
	if (rc)
		fprintf(stderr, "qingdan demo: %s (field %s)\n", err.en, err.field);
	else if (!o->quiet)
	{
		char *shown = pg_uri_shown(o->db); /* never a password on the terminal */
		printf("demo database %s ready: users admin, security, auditor, dispatch, grid, handler, unithead, leader, supervisor, "
		       "analyst, resident — password %s\n", shown, DEMO_PASSWORD);
		free(shown);
	}
	store_close(s);
	return rc ? 1 : 0;
}
