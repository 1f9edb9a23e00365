/* test_task.c — unit tests for core/task (the task state machine) and core/role (roles →
 * rights).  The expectations are written here as literal data taken from SPEC §2–3, NOT derived
 * from the transition table in task.c or the role table in role.c:
 *   - which right each role confers;
 *   - for every (state, action) the right it needs (0 = the action does not exist there), whether
 *     that right must cover the handling unit, the next state and the required input fields;
 * then every state × action × role is checked against task_may()/task_act(), followed by the
 * guards (handler's own follow-up, sign-off verdicts and exceptions, three unreachable days,
 * reopen verdicts, extension count, handling-unit scope), the effects (working-day deadlines
 * across 国庆 2022, extensions, return, reopen), required fields, overdue, task_allowed() and
 * the name ⇄ enum round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "spec_fixture.h"

#include "base/mem.h"
#include "base/date.h"
#include "base/err.h"
#include "core/calendar.h"
#include "core/role.h"
#include "core/task.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define HANDLER_ID 7
#define LEADER_ID 8
#define OTHER_ID 99 /* an actor who is not the handler */
#define CALLER_ID 98 /* the staff member who makes the follow-up calls (records the verdict) */
#define RESIDENT_ID 97 /* the resident who gives their own verdict online */
#define ORIGIN_UNIT 10
#define HANDLING_UNIT 20

static int32_t D(const char *s)
{
	int32_t d = 0;
	if (date_parse(s, &d) != 0)
		fail_msg("bad date literal %s", s);
	return d;
}

#define assert_date(got, want)                                                                  \
	do {                                                                                        \
		char buf_[11];                                                                          \
		int32_t got_ = (got);                                                                   \
		if (!got_)                                                                              \
			fail_msg("date is unset, want %s", (want));                                         \
		assert_string_equal(date_format(got_, buf_), (want));                                   \
	} while (0)

/* ---- literal expectations ------------------------------------------------------------------ */

/* Role → rights (SPEC §2 and role.h: the personal-data right belongs to no role but "pii"). */
static const unsigned want_role_rights[ROLE__COUNT] = {
	[ROLE_RESIDENT] = RIGHT_OWN | RIGHT_PROBLEM_CREATE | RIGHT_FOLLOW_UP,
	[ROLE_GRID] = RIGHT_READ | RIGHT_VISIT | RIGHT_PROBLEM_CREATE | RIGHT_FOLLOW_UP,
	[ROLE_HANDLER] = RIGHT_READ | RIGHT_HANDLE,
	[ROLE_UNIT_HEAD] = RIGHT_READ | RIGHT_HANDLE,
	[ROLE_DISPATCHER] = RIGHT_READ | RIGHT_PROBLEM_CREATE | RIGHT_TRIAGE | RIGHT_EXTENSION |
			    RIGHT_FOLLOW_UP | RIGHT_SIGN_OFF | RIGHT_REOPEN,
	[ROLE_LEADER] = RIGHT_READ | RIGHT_EXTENSION,
	[ROLE_SUPERVISOR] = RIGHT_READ | RIGHT_FOLLOW_UP | RIGHT_SIGN_OFF | RIGHT_REOPEN | RIGHT_EXCEPTION,
	[ROLE_ANALYST] = RIGHT_READ,
	[ROLE_ADMIN] = RIGHT_READ | RIGHT_ADMIN,
	[ROLE_SECURITY_ADMIN] = RIGHT_GRANT,
	[ROLE_AUDIT_ADMIN] = RIGHT_AUDIT,
	[ROLE_PII] = RIGHT_PII,
};

static const char *const want_role_names[ROLE__COUNT] = {
	"resident", "grid", "handler", "unit_head", "dispatcher", "leader", "supervisor", "analyst", "admin", "security_admin",
	"audit_admin", "pii"};

/* (state, action) → right needed; 0 = the action does not exist in that state.
 *   dispatcher assigns; approves/denies extensions (also leader); follows up (also grid,
 *   supervisor, resident); signs off (also supervisor); reopens (also supervisor);
 *   handler/unit head accept, return, report progress, ask for an extension, complete. */
#define TRI RIGHT_TRIAGE
#define HND RIGHT_HANDLE
#define EXT RIGHT_EXTENSION
#define FUP RIGHT_FOLLOW_UP
#define SGN RIGHT_SIGN_OFF
#define RE RIGHT_REOPEN
static const unsigned want_right[TS__COUNT][TA__COUNT] = {
	/*                        assign accept return progr req_ext approve deny complete follow sign reopen */
	[TS_PENDING] = /*      */ {TRI, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	[TS_ASSIGNED] = /*     */ {0, HND, HND, 0, 0, 0, 0, 0, 0, 0, 0},
	[TS_IN_PROGRESS] = /*  */ {0, 0, 0, HND, HND, 0, 0, HND, 0, 0, 0},
	[TS_EXTENSION_REQUESTED] = {0, 0, 0, HND, 0, EXT, EXT, HND, 0, 0, 0},
	[TS_COMPLETED] = /*    */ {0, 0, 0, 0, 0, 0, 0, 0, FUP, SGN, RE},
	[TS_SIGNED_OFF] = /*   */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RE},
};
#undef TRI
#undef HND
#undef EXT
#undef FUP
#undef SGN
#undef RE

/* The handling actions need their right over the handling unit, not just the origin. */
static const int want_on_handling[TA__COUNT] = {
	[TA_ACCEPT] = 1, [TA_RETURN] = 1, [TA_PROGRESS] = 1, [TA_REQUEST_EXTENSION] = 1, [TA_COMPLETE] = 1,
};

/* Next state of each existing (state, action); -1 where the action does not exist. */
#define X -1
static const int want_next[TS__COUNT][TA__COUNT] = {
	[TS_PENDING] = {TS_ASSIGNED, X, X, X, X, X, X, X, X, X, X},
	[TS_ASSIGNED] = {X, TS_IN_PROGRESS, TS_PENDING, X, X, X, X, X, X, X, X},
	[TS_IN_PROGRESS] = {X, X, X, TS_IN_PROGRESS, TS_EXTENSION_REQUESTED, X, X, TS_COMPLETED, X, X, X},
	[TS_EXTENSION_REQUESTED] = {X, X, X, TS_EXTENSION_REQUESTED, X, TS_IN_PROGRESS, TS_IN_PROGRESS,
				    TS_COMPLETED, X, X, X},
	[TS_COMPLETED] = {X, X, X, X, X, X, X, X, TS_COMPLETED, TS_SIGNED_OFF, TS_IN_PROGRESS},
	[TS_SIGNED_OFF] = {X, X, X, X, X, X, X, X, X, X, TS_IN_PROGRESS},
};
#undef X

/* Fields each action requires, named as err.field names them (NULL-terminated). */
static const char *const want_fields[TA__COUNT][4] = {
	[TA_ASSIGN] = {"unit_id", "handler_id", "leader_id", NULL},
	[TA_ACCEPT] = {NULL},
	[TA_RETURN] = {"reason", NULL},
	[TA_PROGRESS] = {"note", NULL},
	[TA_REQUEST_EXTENSION] = {"reason", "days", NULL},
	[TA_APPROVE_EXTENSION] = {NULL},
	[TA_DENY_EXTENSION] = {"reason", NULL},
	[TA_COMPLETE] = {"note", "outcome", NULL},
	[TA_FOLLOW_UP] = {"satisfaction", "solved", NULL},
	[TA_SIGN_OFF] = {NULL},
	[TA_REOPEN] = {"reason", NULL},
};

/* ---- helpers ------------------------------------------------------------------------------- */

/* A task in state s whose guards let action a pass (for a non-handler actor). */
static void setup_task(struct task *t, enum task_state s, enum task_action a)
{
	task_init(t, TIER_SCHEDULED, URG_NORMAL, ORIGIN_UNIT, D("2022-09-01"));
	t->id = 1;
	t->state = s;
	if (s == TS_PENDING)
		return;
	t->unit_id = HANDLING_UNIT;
	t->handler_id = HANDLER_ID;
	t->leader_id = LEADER_ID;
	t->dl.assigned_on = D("2022-09-01");
	t->dl.respond_by = D("2022-09-05");
	t->dl.deadline = D("2022-09-22");
	if (s == TS_ASSIGNED)
		return;
	t->dl.responded_on = D("2022-09-02");
	t->dl.max_extensions = 1; /* so that request_extension passes */
	if (s == TS_EXTENSION_REQUESTED)
		t->dl.extension_days = 5;
	if (s == TS_IN_PROGRESS || s == TS_EXTENSION_REQUESTED)
		return;
	t->outcome = OUT_RESOLVED;
	t->dl.completed_on = D("2022-09-20");
	t->progress = 100;
	if (s == TS_SIGNED_OFF || a == TA_SIGN_OFF) {
		t->followed_up = 1;
		t->satisfaction = SAT_SATISFIED;
		t->solved = 1;
	} else if (a == TA_REOPEN) {
		t->followed_up = 1;
		t->satisfaction = SAT_UNSATISFIED;
		t->solved = 0;
	}
	if (s == TS_SIGNED_OFF)
		t->signed_off_on = D("2022-09-23");
}

/* An input carrying every field an action may require, all valid. */
static void full_input(struct task_input *in)
{
	task_input_init(in);
	in->note = "已现场处理";
	in->reason = "需要协调资金";
	in->unit_id = HANDLING_UNIT;
	in->handler_id = HANDLER_ID;
	in->leader_id = LEADER_ID;
	in->outcome = OUT_RESOLVED;
	in->days = 5;
	in->solved = 1;
	in->satisfaction = SAT_SATISFIED;
	in->progress = 60;
}

static struct machine_actor role_actor(enum role r, int64_t user)
{
	struct machine_actor a = {user, role_rights(r), role_rights(r)};
	return a;
}

static struct machine_actor rights_actor(unsigned rights, int64_t user)
{
	struct machine_actor a = {user, rights, rights};
	return a;
}

/* task_act that must fail with code (and field, if non-NULL) and leave t byte-for-byte alone. */
static void act_refused(struct task *t, enum task_action a, const struct task_input *in,
			const struct machine_actor *ac, int32_t today, enum qd_code code, const char *field)
{
	struct task before;
	memcpy(&before, t, sizeof before);
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = task_act(t, a, in, ac, cal, limits, today, &err);
	if (rc != -1 || err.code != code || (field && strcmp(err.field, field) != 0))
		fail_msg("%s in %s: rc=%d code=%s field='%s', want code=%s field='%s'", task_action_name(a),
			 task_state_name(t->state), rc, qd_code_name(err.code), err.field, qd_code_name(code),
			 field ? field : "*");
	assert_memory_equal(&before, t, sizeof before);
}

static void act_ok(struct task *t, enum task_action a, const struct task_input *in,
		   const struct machine_actor *ac, int32_t today)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	enum task_state from = t->state;
	if (task_act(t, a, in, ac, cal, limits, today, &err) != 0)
		fail_msg("%s in %s refused: %s (field '%s', %s)", task_action_name(a), task_state_name(from),
			 qd_code_name(err.code), err.field, err.en);
}

static void may_is(const struct task *t, enum task_action a, const struct machine_actor *ac, enum qd_code want)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = task_may(t, a, ac, &err);
	if (want == QD_OK) {
		if (rc != 0)
			fail_msg("task_may(%s, %s) refused: %s %s", task_state_name(t->state), task_action_name(a),
				 qd_code_name(err.code), err.en);
	} else if (rc != -1 || err.code != want) {
		fail_msg("task_may(%s, %s): rc=%d code=%s, want %s", task_state_name(t->state), task_action_name(a),
			 rc, qd_code_name(err.code), qd_code_name(want));
	}
}

/* ---- roles --------------------------------------------------------------------------------- */

static void test_role_rights_table(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE__COUNT; r++) {
		if (role_rights((enum role)r) != want_role_rights[r])
			fail_msg("role %s: rights 0x%x, want 0x%x", want_role_names[r], role_rights((enum role)r),
				 want_role_rights[r]);
		assert_string_equal(role_name((enum role)r), want_role_names[r]);
		assert_int_equal(role_parse(want_role_names[r]), r);
		assert_non_null(role_name_zh((enum role)r));
		/* The personal-data right is its own grant, never part of a role. */
		if (r != ROLE_PII)
			assert_int_equal(role_rights((enum role)r) & RIGHT_PII, 0);
	}
	assert_int_equal(role_rights(ROLE__COUNT), 0);
	assert_int_equal(role_rights((enum role)-1), 0);
	assert_null(role_name(ROLE__COUNT));
	assert_null(role_name_zh(ROLE__COUNT));
	assert_int_equal(role_parse("Dispatcher"), -1);
	assert_int_equal(role_parse(""), -1);
	assert_int_equal(role_parse(NULL), -1);
	assert_int_equal(role_parse("nobody"), -1);
}

static void test_right_names(void **state)
{
	(void)state;
	static const struct {
		unsigned bit;
		const char *name;
	} want[] = {{RIGHT_READ, "read"},         {RIGHT_PII, "pii"},         {RIGHT_VISIT, "visit"},
		    {RIGHT_PROBLEM_CREATE, "problem_create"}, {RIGHT_TRIAGE, "triage"}, {RIGHT_HANDLE, "handle"},
		    {RIGHT_EXTENSION, "extension"}, {RIGHT_FOLLOW_UP, "follow_up"}, {RIGHT_SIGN_OFF, "sign_off"},
		    {RIGHT_REOPEN, "reopen"},     {RIGHT_EXCEPTION, "exception"}, {RIGHT_ADMIN, "admin"},
		    {RIGHT_AUDIT, "audit"},       {RIGHT_OWN, "own"}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(right_name(want[i].bit), want[i].name);
	assert_string_equal(right_name(0), "none");
	assert_string_equal(right_name(RIGHT_READ | RIGHT_PII), "none");
}

static void test_grants_scope(void **state)
{
	(void)state;
	struct grant g[2];
	memset(g, 0, sizeof g);
	g[0].role = ROLE_HANDLER;
	g[0].unit_id = 5;
	snprintf(g[0].path, sizeof g[0].path, "/1/5/");
	g[1].role = ROLE_LEADER;
	g[1].unit_id = 1;
	snprintf(g[1].path, sizeof g[1].path, "/1/");
	assert_int_equal(grants_rights_on(g, 2, "/1/5/23/"), role_rights(ROLE_HANDLER) | role_rights(ROLE_LEADER));
	assert_int_equal(grants_rights_on(g, 2, "/1/5/"), role_rights(ROLE_HANDLER) | role_rights(ROLE_LEADER));
	assert_int_equal(grants_rights_on(g, 2, "/1/6/"), role_rights(ROLE_LEADER));
	/* "/1/5/" must not cover "/1/55/" */
	assert_int_equal(grants_rights_on(g, 2, "/1/55/"), role_rights(ROLE_LEADER));
	assert_int_equal(grants_rights_on(g, 2, "/2/"), 0);
	assert_int_equal(grants_rights_on(g, 2, ""), 0);
	assert_int_equal(grants_rights_on(g, 2, NULL), 0);
	assert_int_equal(grants_rights_any(g, 2), role_rights(ROLE_HANDLER) | role_rights(ROLE_LEADER));
	assert_int_equal(grants_rights_any(g, 0), 0);
}

/* ---- the matrix ---------------------------------------------------------------------------- */

/* The table in task.c agrees with the literal expectation (existence, right, scope, next). */
static void test_transition_table_matches_spec(void **state)
{
	(void)state;
	int n = 0, want_n = 0;
	const struct machine_transition *all = task_transitions(&n);
	for (int s = 0; s < TS__COUNT; s++)
		for (int a = 0; a < TA__COUNT; a++) {
			const struct machine_transition *tr = task_transition((enum task_state)s, (enum task_action)a);
			if (!want_right[s][a]) {
				if (tr)
					fail_msg("%s exists in %s but the SPEC has no such move",
						 task_action_name((enum task_action)a), task_state_name((enum task_state)s));
				continue;
			}
			want_n++;
			if (!tr)
				fail_msg("%s missing in %s", task_action_name((enum task_action)a),
					 task_state_name((enum task_state)s));
			assert_int_equal(tr->from, s);
			assert_int_equal(tr->action, a);
			assert_int_equal(task_machine.actions[a].right, want_right[s][a]);
			assert_int_equal(task_machine.actions[a].on_handling_unit, want_on_handling[a]);
			assert_int_equal(tr->to, want_next[s][a]);
			assert_non_null(tr->help_zh);
		}
	assert_int_equal(n, want_n);
	for (int i = 0; i < n; i++)
		assert_ptr_equal(task_transition(all[i].from, all[i].action), &all[i]);
}

/* Every state × action × role through task_may and task_act. */
static void test_matrix_state_action_role(void **state)
{
	(void)state;
	int checked = 0, allowed_cells = 0;
	for (int s = 0; s < TS__COUNT; s++)
		for (int a = 0; a < TA__COUNT; a++)
			for (int r = 0; r < ROLE__COUNT; r++) {
				struct task t;
				setup_task(&t, (enum task_state)s, (enum task_action)a);
				struct machine_actor ac = role_actor((enum role)r, OTHER_ID);
				unsigned need = want_right[s][a];
				int exists = need != 0;
				int allowed = exists && (want_role_rights[r] & need) != 0;
				enum qd_code want_code = allowed ? QD_OK : !exists ? QD_ECONFLICT : QD_EPERM;
				struct qd_err err;
				memset(&err, 0, sizeof err);
				int rc = task_may(&t, (enum task_action)a, &ac, &err);
				if ((rc == 0) != allowed || (!allowed && err.code != want_code))
					fail_msg("task_may(%s, %s) as %s: rc=%d code=%s, want %s",
						 task_state_name((enum task_state)s), task_action_name((enum task_action)a),
						 want_role_names[r], rc, qd_code_name(err.code), qd_code_name(want_code));
				if (!allowed)
					assert_string_equal(err.field, "action");
				/* task_act agrees, and moves to the expected state. */
				struct task_input in;
				full_input(&in);
				if (allowed) {
					act_ok(&t, (enum task_action)a, &in, &ac, D("2022-09-15"));
					assert_int_equal(t.state, want_next[s][a]);
					allowed_cells++;
				} else {
					act_refused(&t, (enum task_action)a, &in, &ac, D("2022-09-15"), want_code, "action");
				}
				checked++;
			}
	assert_int_equal(checked, TS__COUNT * TA__COUNT * ROLE__COUNT);
	/* Literal count of allowed cells: assign 1 (dispatcher); accept, return 2 each (handler,
	 * unit head); progress ×2 states, request_extension, complete ×2 states: 2 each; approve and
	 * deny 2 each (dispatcher, leader); follow_up 4 (resident, grid, dispatcher, supervisor);
	 * sign_off 2; reopen ×2 states: 2 each. */
	assert_int_equal(allowed_cells, 1 + 2 + 2 + 2 * 2 + 2 + 2 * 2 + 2 + 2 + 4 + 2 + 2 * 2);
}

/* An action outside the enum is invalid input, not a state conflict. */
static void test_unknown_action(void **state)
{
	(void)state;
	struct task t;
	setup_task(&t, TS_PENDING, TA_ASSIGN);
	struct machine_actor ac = role_actor(ROLE_DISPATCHER, OTHER_ID);
	may_is(&t, TA__COUNT, &ac, QD_EINVAL);
	may_is(&t, (enum task_action)-1, &ac, QD_EINVAL);
	struct task_input in;
	full_input(&in);
	act_refused(&t, TA__COUNT, &in, &ac, D("2022-09-15"), QD_EINVAL, "action");
}

/* ---- guards -------------------------------------------------------------------------------- */

static void test_follow_up_not_by_handler(void **state)
{
	(void)state;
	struct task t;
	setup_task(&t, TS_COMPLETED, TA_FOLLOW_UP);
	struct task_input in;
	full_input(&in);
	/* The handler themself, even holding a follow-up right (e.g. also a grid worker). */
	struct machine_actor self = rights_actor(role_rights(ROLE_HANDLER) | role_rights(ROLE_GRID), HANDLER_ID);
	may_is(&t, TA_FOLLOW_UP, &self, QD_EPERM);
	act_refused(&t, TA_FOLLOW_UP, &in, &self, D("2022-09-21"), QD_EPERM, NULL);
	struct machine_actor disp_self = role_actor(ROLE_DISPATCHER, HANDLER_ID);
	may_is(&t, TA_FOLLOW_UP, &disp_self, QD_EPERM);
	assert_int_equal(task_allowed(&t, &self) & (1u << TA_FOLLOW_UP), 0);
	/* Anyone else with the right may. */
	struct machine_actor grid = role_actor(ROLE_GRID, OTHER_ID);
	may_is(&t, TA_FOLLOW_UP, &grid, QD_OK);
	/* The resident online (no user id) may. */
	struct machine_actor resident = role_actor(ROLE_RESIDENT, 0);
	may_is(&t, TA_FOLLOW_UP, &resident, QD_OK);
	act_ok(&t, TA_FOLLOW_UP, &in, &resident, D("2022-09-21"));
	assert_int_equal(t.followed_up, 1);
	assert_int_equal(t.satisfaction, SAT_SATISFIED);
	assert_int_equal(t.solved, 1);
	assert_int_equal(t.state, TS_COMPLETED);
}

static void completed_task(struct task *t)
{
	setup_task(t, TS_COMPLETED, TA_FOLLOW_UP); /* completed, no verdict yet */
}

static void follow_up(struct task *t, int sat, int solved, int32_t day)
{
	struct task_input in;
	task_input_init(&in);
	in.note = "电话回访";
	in.satisfaction = sat;
	in.solved = solved;
	struct machine_actor ac = role_actor(ROLE_DISPATCHER, CALLER_ID);
	act_ok(t, TA_FOLLOW_UP, &in, &ac, day);
}

/* Issue 9: who recorded the verdict and how; the resident's own is final for its round. */
static void test_verdict_channel_and_recorder(void **state)
{
	(void)state;
	struct machine_actor caller = role_actor(ROLE_DISPATCHER, CALLER_ID);
	struct machine_actor other = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor res = role_actor(ROLE_RESIDENT, RESIDENT_ID);
	int32_t day = D("2022-09-26");
	struct task t;
	struct task_input in;

	/* staff by default record a phone call; the recorder may not sign off, another may */
	completed_task(&t);
	follow_up(&t, SAT_SATISFIED, 1, day);
	assert_int_equal(t.verdict_channel, CH_PHONE);
	assert_int_equal(t.verdict_by, CALLER_ID);
	assert_int_equal(t.follow_up_attempts, 1);
	may_is(&t, TA_SIGN_OFF, &caller, QD_EPERM);
	assert_false(task_allowed(&t, &caller) & (1u << TA_SIGN_OFF));
	may_is(&t, TA_SIGN_OFF, &other, QD_OK);
	task_input_init(&in);
	act_refused(&t, TA_SIGN_OFF, &in, &caller, day, QD_EPERM, "action");
	/* a staff follow-up may correct a staff verdict; in person is recorded as such */
	task_input_init(&in);
	in.satisfaction = SAT_BASIC;
	in.solved = 1;
	in.channel = CH_IN_PERSON;
	act_ok(&t, TA_FOLLOW_UP, &in, &other, day);
	assert_int_equal(t.verdict_channel, CH_IN_PERSON);
	assert_int_equal(t.verdict_by, OTHER_ID);
	assert_int_equal(t.follow_up_attempts, 2);
	may_is(&t, TA_SIGN_OFF, &caller, QD_OK);
	may_is(&t, TA_SIGN_OFF, &other, QD_EPERM);
	/* staff cannot claim an online verdict */
	in.channel = CH_ONLINE;
	act_refused(&t, TA_FOLLOW_UP, &in, &caller, day, QD_EINVAL, "channel");

	/* the resident's own verdict: online, final for the round, and no bar to anyone's sign-off */
	completed_task(&t);
	task_input_init(&in);
	in.satisfaction = SAT_SATISFIED;
	in.solved = 1;
	in.channel = CH_PHONE;
	act_refused(&t, TA_FOLLOW_UP, &in, &res, day, QD_EINVAL, "channel");
	in.channel = 0;
	in.satisfaction = SAT_UNREACHABLE;
	in.solved = -1;
	act_refused(&t, TA_FOLLOW_UP, &in, &res, day, QD_EINVAL, "satisfaction");
	in.satisfaction = SAT_SATISFIED;
	in.solved = 1;
	act_ok(&t, TA_FOLLOW_UP, &in, &res, day);
	assert_int_equal(t.verdict_channel, CH_ONLINE);
	assert_int_equal(t.verdict_by, RESIDENT_ID);
	may_is(&t, TA_FOLLOW_UP, &caller, QD_ECONFLICT);
	may_is(&t, TA_FOLLOW_UP, &res, QD_ECONFLICT);
	assert_false(task_allowed(&t, &caller) & (1u << TA_FOLLOW_UP));
	task_input_init(&in);
	in.satisfaction = SAT_UNSATISFIED;
	in.solved = 0;
	act_refused(&t, TA_FOLLOW_UP, &in, &caller, day, QD_ECONFLICT, "action");
	may_is(&t, TA_SIGN_OFF, &caller, QD_OK);
	may_is(&t, TA_SIGN_OFF, &other, QD_OK);

	/* a reopen starts a new round: the verdict fields reset, staff may record again */
	completed_task(&t);
	task_input_init(&in);
	in.satisfaction = SAT_UNSATISFIED;
	in.solved = 0;
	act_ok(&t, TA_FOLLOW_UP, &in, &res, day);
	task_input_init(&in);
	in.reason = "群众不满意";
	act_ok(&t, TA_REOPEN, &in, &other, day);
	assert_int_equal(t.verdict_channel, CH_NONE);
	assert_int_equal(t.verdict_by, 0);
	assert_int_equal(t.follow_up_attempts, 0);
	task_input_init(&in);
	in.outcome = OUT_RESOLVED;
	in.note = "已重新修复";
	act_ok(&t, TA_COMPLETE, &in, &(struct machine_actor){HANDLER_ID, RIGHT_HANDLE | RIGHT_READ, RIGHT_HANDLE | RIGHT_READ}, day);
	may_is(&t, TA_FOLLOW_UP, &caller, QD_OK);

	/* a resident's own verdict replaces a staff one recorded before it (their word wins) */
	completed_task(&t);
	follow_up(&t, SAT_SATISFIED, 1, day);
	task_input_init(&in);
	in.satisfaction = SAT_UNSATISFIED;
	in.solved = 0;
	act_ok(&t, TA_FOLLOW_UP, &in, &res, day);
	assert_int_equal(t.verdict_channel, CH_ONLINE);
	assert_int_equal(t.satisfaction, SAT_UNSATISFIED);
	assert_int_equal(t.follow_up_attempts, 2);
	may_is(&t, TA_SIGN_OFF, &other, QD_ECONFLICT);

	/* unreachable attempts count too and record no verdict */
	completed_task(&t);
	follow_up(&t, SAT_UNREACHABLE, -1, day);
	follow_up(&t, SAT_UNREACHABLE, -1, day);
	assert_int_equal(t.follow_up_attempts, 2);
	assert_int_equal(t.verdict_by, 0);
	assert_int_equal(t.verdict_channel, CH_NONE);
}

static void test_sign_off_needs_satisfied_verdict(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor sup = role_actor(ROLE_SUPERVISOR, OTHER_ID);
	struct task_input in;
	task_input_init(&in);
	int32_t day = D("2022-09-26");

	/* No verdict at all: nobody signs off, not even a supervisor on an exception. */
	struct task t;
	completed_task(&t);
	may_is(&t, TA_SIGN_OFF, &disp, QD_ECONFLICT);
	may_is(&t, TA_SIGN_OFF, &sup, QD_ECONFLICT);
	act_refused(&t, TA_SIGN_OFF, &in, &disp, day, QD_ECONFLICT, NULL);
	struct task_input exc;
	task_input_init(&exc);
	exc.exception = 1;
	exc.reason = "群众长期外出务工";
	act_refused(&t, TA_SIGN_OFF, &exc, &sup, day, QD_ECONFLICT, "exception");

	/* Satisfied and basically satisfied: dispatcher and supervisor may. */
	static const int ok_sat[] = {SAT_SATISFIED, SAT_BASIC};
	for (int i = 0; i < 2; i++) {
		completed_task(&t);
		follow_up(&t, ok_sat[i], 1, day);
		may_is(&t, TA_SIGN_OFF, &disp, QD_OK);
		may_is(&t, TA_SIGN_OFF, &sup, QD_OK);
		struct task t2 = t;
		act_ok(&t, TA_SIGN_OFF, &in, &disp, day + 1);
		assert_int_equal(t.state, TS_SIGNED_OFF);
		assert_int_equal(t.signed_off_on, day + 1);
		assert_int_equal(t.exception, 0);
		act_ok(&t2, TA_SIGN_OFF, &in, &sup, day + 1);
		assert_int_equal(t2.state, TS_SIGNED_OFF);
		assert_int_equal(t2.exception, 0);
	}

	/* Satisfied but the resident says not solved: still a satisfied verdict. */
	completed_task(&t);
	follow_up(&t, SAT_SATISFIED, 0, day);
	may_is(&t, TA_SIGN_OFF, &disp, QD_OK);

	/* Unsatisfied: the dispatcher cannot; a supervisor may, only on an exception with a reason. */
	completed_task(&t);
	follow_up(&t, SAT_UNSATISFIED, 1, day);
	may_is(&t, TA_SIGN_OFF, &disp, QD_ECONFLICT);
	act_refused(&t, TA_SIGN_OFF, &in, &disp, day, QD_ECONFLICT, NULL);
	act_refused(&t, TA_SIGN_OFF, &exc, &disp, day, QD_EPERM, "exception"); /* no exception right */
	may_is(&t, TA_SIGN_OFF, &sup, QD_OK);     /* the exception path is open to the supervisor */
	act_refused(&t, TA_SIGN_OFF, &in, &sup, day, QD_ECONFLICT, "exception"); /* but not silently */
	struct task_input exc_noreason;
	task_input_init(&exc_noreason);
	exc_noreason.exception = 1;
	act_refused(&t, TA_SIGN_OFF, &exc_noreason, &sup, day, QD_EINVAL, "reason");
	exc_noreason.reason = "";
	act_refused(&t, TA_SIGN_OFF, &exc_noreason, &sup, day, QD_EINVAL, "reason");
	act_ok(&t, TA_SIGN_OFF, &exc, &sup, day + 1);
	assert_int_equal(t.state, TS_SIGNED_OFF);
	assert_int_equal(t.exception, 1);
	assert_int_equal(t.signed_off_on, day + 1);
}

static void test_sign_off_after_three_unreachable_days(void **state)
{
	(void)state;
	struct machine_actor sup = role_actor(ROLE_SUPERVISOR, OTHER_ID);
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct task_input exc;
	task_input_init(&exc);
	exc.exception = 1;
	exc.reason = "三次联系不上，经督导组核实";
	struct task t;
	completed_task(&t);
	/* unreachable needs no "solved" answer */
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-26"));
	assert_int_equal(t.unreachable_days, 1);
	assert_int_equal(t.satisfaction, SAT_UNREACHABLE);
	assert_int_equal(t.followed_up, 1);
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-26")); /* same day: counts once */
	assert_int_equal(t.unreachable_days, 1);
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-27"));
	assert_int_equal(t.unreachable_days, 2);
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-27")); /* same day again */
	assert_int_equal(t.unreachable_days, 2);
	/* two distinct days: not yet */
	may_is(&t, TA_SIGN_OFF, &sup, QD_ECONFLICT);
	act_refused(&t, TA_SIGN_OFF, &exc, &sup, D("2022-09-28"), QD_ECONFLICT, "exception");
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-28"));
	assert_int_equal(t.unreachable_days, 3);
	assert_int_equal(t.last_unreachable_on, D("2022-09-28"));
	/* three distinct days: a supervisor decides, on an exception with a reason */
	may_is(&t, TA_SIGN_OFF, &sup, QD_OK);
	may_is(&t, TA_SIGN_OFF, &disp, QD_ECONFLICT);
	act_refused(&t, TA_SIGN_OFF, &exc, &disp, D("2022-09-29"), QD_EPERM, "exception");
	struct task_input plain;
	task_input_init(&plain);
	act_refused(&t, TA_SIGN_OFF, &plain, &sup, D("2022-09-29"), QD_ECONFLICT, "exception");
	/* unreachable is not an unsatisfied verdict: no reopen */
	may_is(&t, TA_REOPEN, &disp, QD_ECONFLICT);
	act_ok(&t, TA_SIGN_OFF, &exc, &sup, D("2022-09-29"));
	assert_int_equal(t.state, TS_SIGNED_OFF);
	assert_int_equal(t.exception, 1);
}

static void test_unreachable_then_reached(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct task t;
	completed_task(&t);
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-26"));
	follow_up(&t, SAT_BASIC, 1, D("2022-09-27"));
	assert_int_equal(t.satisfaction, SAT_BASIC);
	assert_int_equal(t.solved, 1);
	may_is(&t, TA_SIGN_OFF, &disp, QD_OK);
	/* a later failed attempt does not erase the verdict */
	follow_up(&t, SAT_UNREACHABLE, -1, D("2022-09-28"));
	assert_int_equal(t.satisfaction, SAT_BASIC);
	may_is(&t, TA_SIGN_OFF, &disp, QD_OK);
}

static void test_reopen_from_completed_needs_bad_verdict(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor sup = role_actor(ROLE_SUPERVISOR, OTHER_ID);
	struct task_input in;
	task_input_init(&in);
	in.reason = "群众不满意";
	int32_t day = D("2022-09-27");
	struct task t;

	completed_task(&t); /* no verdict */
	may_is(&t, TA_REOPEN, &disp, QD_ECONFLICT);
	act_refused(&t, TA_REOPEN, &in, &disp, day, QD_ECONFLICT, NULL);

	static const struct {
		int sat, solved, ok;
	} cases[] = {
		{SAT_SATISFIED, 1, 0}, {SAT_BASIC, 1, 0},       {SAT_UNSATISFIED, 1, 1},
		{SAT_UNSATISFIED, 0, 1}, {SAT_SATISFIED, 0, 1}, {SAT_BASIC, 0, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		completed_task(&t);
		follow_up(&t, cases[i].sat, cases[i].solved, day - 1);
		may_is(&t, TA_REOPEN, &disp, cases[i].ok ? QD_OK : QD_ECONFLICT);
		may_is(&t, TA_REOPEN, &sup, cases[i].ok ? QD_OK : QD_ECONFLICT);
		if (cases[i].ok) {
			act_ok(&t, TA_REOPEN, &in, &disp, day);
			assert_int_equal(t.state, TS_IN_PROGRESS);
		} else {
			act_refused(&t, TA_REOPEN, &in, &disp, day, QD_ECONFLICT, NULL);
		}
	}

	/* From signed_off (failed spot-check) no verdict is needed. */
	setup_task(&t, TS_SIGNED_OFF, TA_REOPEN);
	may_is(&t, TA_REOPEN, &sup, QD_OK);
	may_is(&t, TA_REOPEN, &disp, QD_OK);
}

static void test_extension_count(void **state)
{
	(void)state;
	struct machine_actor handler = role_actor(ROLE_HANDLER, HANDLER_ID);
	struct machine_actor leader = role_actor(ROLE_LEADER, LEADER_ID);
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct task_input in;
	full_input(&in);
	in.urgency = URG_COMPLEX;
	struct task t;
	task_init(&t, TIER_SCHEDULED, URG_NORMAL, ORIGIN_UNIT, D("2022-09-28"));
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
	assert_int_equal(t.urgency, URG_COMPLEX);
	assert_int_equal(t.dl.max_extensions, 1);
	act_ok(&t, TA_ACCEPT, &in, &handler, D("2022-09-30"));
	may_is(&t, TA_REQUEST_EXTENSION, &handler, QD_OK);
	act_ok(&t, TA_REQUEST_EXTENSION, &in, &handler, D("2022-10-10"));
	assert_int_equal(t.state, TS_EXTENSION_REQUESTED);
	assert_int_equal(t.dl.extension_days, 5);
	/* asking again while a request is pending does not exist */
	may_is(&t, TA_REQUEST_EXTENSION, &handler, QD_ECONFLICT);
	act_ok(&t, TA_APPROVE_EXTENSION, &in, &leader, D("2022-10-11"));
	assert_int_equal(t.dl.extensions_used, 1);
	/* the second extension is refused: one allowed */
	may_is(&t, TA_REQUEST_EXTENSION, &handler, QD_ECONFLICT);
	act_refused(&t, TA_REQUEST_EXTENSION, &in, &handler, D("2022-10-12"), QD_ECONFLICT, NULL);
	assert_int_equal(task_allowed(&t, &handler) & (1u << TA_REQUEST_EXTENSION), 0);

	/* normal urgency: no extension at all */
	task_init(&t, TIER_SCHEDULED, URG_NORMAL, ORIGIN_UNIT, D("2022-09-28"));
	full_input(&in);
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
	assert_int_equal(t.dl.max_extensions, 0);
	act_ok(&t, TA_ACCEPT, &in, &handler, D("2022-09-30"));
	may_is(&t, TA_REQUEST_EXTENSION, &handler, QD_ECONFLICT);
	act_refused(&t, TA_REQUEST_EXTENSION, &in, &handler, D("2022-10-10"), QD_ECONFLICT, NULL);
}

/* A right that covers only the task's origin does not let the holder take the handling
 * actions; the other actions need it on either unit. */
static void test_on_handling_unit(void **state)
{
	(void)state;
	struct task_input in;
	full_input(&in);
	for (int r = 0; r < ROLE__COUNT; r++) {
		struct machine_actor origin_only = {OTHER_ID, role_rights((enum role)r), 0};
		for (int s = 0; s < TS__COUNT; s++)
			for (int a = 0; a < TA__COUNT; a++) {
				unsigned need = want_right[s][a];
				if (!need || !(want_role_rights[r] & need))
					continue;
				struct task t;
				setup_task(&t, (enum task_state)s, (enum task_action)a);
				/* rights_any is what the caller computes over origin OR handling unit;
				 * rights_handling only over the handling unit. */
				may_is(&t, (enum task_action)a, &origin_only, want_on_handling[a] ? QD_EPERM : QD_OK);
				if (want_on_handling[a])
					act_refused(&t, (enum task_action)a, &in, &origin_only, D("2022-09-15"), QD_EPERM,
						    "action");
			}
	}
	/* The SPEC's example: a handler whose grant covers only the origin cannot accept. */
	struct task t;
	setup_task(&t, TS_ASSIGNED, TA_ACCEPT);
	struct machine_actor h = {HANDLER_ID, role_rights(ROLE_HANDLER), 0};
	may_is(&t, TA_ACCEPT, &h, QD_EPERM);
	may_is(&t, TA_RETURN, &h, QD_EPERM);
	assert_int_equal(task_allowed(&t, &h), 0);
	h.rights_handling = role_rights(ROLE_HANDLER);
	may_is(&t, TA_ACCEPT, &h, QD_OK);
	assert_int_equal(task_allowed(&t, &h), (1u << TA_ACCEPT) | (1u << TA_RETURN));
}

/* ---- effects ------------------------------------------------------------------------------- */

static void test_assign_deadlines_across_guoqing_2022(void **state)
{
	(void)state;
	/* 2022-09-29 is a Thursday.  国庆 2022: Oct 1–7 off; Sat Oct 8 and Sun Oct 9 worked.
	 * Working days after Sep 29: Sep 30 (1), Oct 8 (2), Oct 9 (3), Oct 10–14 (4–8),
	 * Oct 17–21 (9–13), Oct 24 (14), Oct 25 (15) … Nov 15 (30). */
	static const struct {
		int urgency;
		const char *respond_by, *deadline;
		int max_ext;
	} cases[] = {
		{URG_URGENT, "2022-09-30", "2022-10-09", 0},
		{URG_NORMAL, "2022-10-08", "2022-10-25", 0},
		{URG_COMPLEX, "2022-10-08", "2022-11-15", 1},
	};
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct task t;
		task_init(&t, TIER_SCHEDULED, (enum urgency)cases[i].urgency, ORIGIN_UNIT, D("2022-09-28"));
		assert_int_equal(t.state, TS_PENDING);
		assert_int_equal(t.dl.deadline, 0);
		struct task_input in;
		task_input_init(&in);
		in.unit_id = HANDLING_UNIT;
		in.handler_id = HANDLER_ID;
		in.leader_id = LEADER_ID;
		act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
		assert_int_equal(t.state, TS_ASSIGNED);
		assert_int_equal(t.unit_id, HANDLING_UNIT);
		assert_int_equal(t.handler_id, HANDLER_ID);
		assert_int_equal(t.leader_id, LEADER_ID);
		assert_date(t.dl.assigned_on, "2022-09-29");
		assert_date(t.dl.respond_by, cases[i].respond_by);
		assert_date(t.dl.deadline, cases[i].deadline);
		assert_int_equal(t.dl.max_extensions, cases[i].max_ext);
		assert_int_equal(t.dl.responded_on, 0);
		assert_int_equal(t.urgency, cases[i].urgency);
	}
	/* The urgency can be set at assignment. */
	struct task t;
	task_init(&t, TIER_SCHEDULED, URG_NORMAL, ORIGIN_UNIT, D("2022-09-28"));
	struct task_input in;
	full_input(&in);
	in.urgency = URG_URGENT;
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
	assert_int_equal(t.urgency, URG_URGENT);
	assert_date(t.dl.deadline, "2022-10-09");
	/* An invalid urgency is refused. */
	task_init(&t, TIER_SCHEDULED, URG_NORMAL, ORIGIN_UNIT, D("2022-09-28"));
	in.urgency = URG__COUNT;
	act_refused(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"), QD_EINVAL, "urgency");
	in.urgency = -2;
	act_refused(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"), QD_EINVAL, "urgency");
	/* Assigning on a holiday counts from that day as well: Oct 3 + 2 → Oct 9 (Oct 8, 9 worked);
	 * + 15 → Oct 8, 9, 10–14, 17–21, 24, 25, 26. */
	in.urgency = -1;
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-10-03"));
	assert_date(t.dl.respond_by, "2022-10-09");
	assert_date(t.dl.deadline, "2022-10-26");
}

static void test_accept_progress_complete(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor head = role_actor(ROLE_UNIT_HEAD, 55); /* not the named handler: may act too */
	struct task_input in;
	full_input(&in);
	struct task t;
	task_init(&t, TIER_LONG_TERM, URG_NORMAL, ORIGIN_UNIT, D("2022-09-28"));
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
	task_input_init(&in);
	act_ok(&t, TA_ACCEPT, &in, &head, D("2022-09-30"));
	assert_int_equal(t.state, TS_IN_PROGRESS);
	assert_date(t.dl.responded_on, "2022-09-30");
	in.note = "已完成方案设计";
	in.progress = 40;
	act_ok(&t, TA_PROGRESS, &in, &head, D("2022-10-10"));
	assert_int_equal(t.progress, 40);
	in.progress = -1; /* unset: kept */
	act_ok(&t, TA_PROGRESS, &in, &head, D("2022-10-11"));
	assert_int_equal(t.progress, 40);
	in.progress = 101;
	act_refused(&t, TA_PROGRESS, &in, &head, D("2022-10-11"), QD_EINVAL, "progress");
	in.progress = -5;
	act_refused(&t, TA_PROGRESS, &in, &head, D("2022-10-11"), QD_EINVAL, "progress");
	task_input_init(&in);
	in.note = "已解释";
	in.outcome = OUT_EXPLAINED;
	act_ok(&t, TA_COMPLETE, &in, &head, D("2022-10-12"));
	assert_int_equal(t.state, TS_COMPLETED);
	assert_int_equal(t.outcome, OUT_EXPLAINED);
	assert_date(t.dl.completed_on, "2022-10-12");
	assert_int_equal(t.progress, 100);
	assert_int_equal(task_is_overdue(&t, D("2022-12-31")), 0);
}

static void test_extension_approve_deny(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor handler = role_actor(ROLE_HANDLER, HANDLER_ID);
	struct machine_actor leader = role_actor(ROLE_LEADER, LEADER_ID);
	struct urgency_limit saved[URG__COUNT];
	memcpy(saved, limits, sizeof saved);
	limits[URG_URGENT].max_extensions = 3; /* the limits passed in are what counts */

	struct task t;
	task_init(&t, TIER_SCHEDULED, URG_URGENT, ORIGIN_UNIT, D("2022-09-26"));
	struct task_input in;
	full_input(&in);
	/* Tue Sep 27 + 3 working days = Fri Sep 30 */
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-27"));
	assert_date(t.dl.deadline, "2022-09-30");
	assert_int_equal(t.dl.max_extensions, 3);
	act_ok(&t, TA_ACCEPT, &in, &handler, D("2022-09-28"));
	in.days = 3;
	act_ok(&t, TA_REQUEST_EXTENSION, &in, &handler, D("2022-09-29"));
	assert_int_equal(t.dl.extension_days, 3);
	assert_date(t.dl.deadline, "2022-09-30"); /* unchanged until approved */
	/* progress while waiting keeps the request */
	act_ok(&t, TA_PROGRESS, &in, &handler, D("2022-09-29"));
	assert_int_equal(t.state, TS_EXTENSION_REQUESTED);
	assert_int_equal(t.dl.extension_days, 3);
	/* approved: Sep 30 + 3 working days across 国庆 = Oct 8, 9, 10 */
	task_input_init(&in);
	act_ok(&t, TA_APPROVE_EXTENSION, &in, &leader, D("2022-09-30"));
	assert_int_equal(t.state, TS_IN_PROGRESS);
	assert_date(t.dl.deadline, "2022-10-10");
	assert_int_equal(t.dl.extensions_used, 1);
	assert_int_equal(t.dl.extension_days, 0);
	/* a second request, denied: deadline stays, reason required */
	full_input(&in);
	in.days = 10;
	act_ok(&t, TA_REQUEST_EXTENSION, &in, &handler, D("2022-10-10"));
	task_input_init(&in);
	act_refused(&t, TA_DENY_EXTENSION, &in, &disp, D("2022-10-10"), QD_EINVAL, "reason");
	in.reason = "不符合延期条件";
	act_ok(&t, TA_DENY_EXTENSION, &in, &disp, D("2022-10-10"));
	assert_int_equal(t.state, TS_IN_PROGRESS);
	assert_date(t.dl.deadline, "2022-10-10");
	assert_int_equal(t.dl.extension_days, 0);
	assert_int_equal(t.dl.extensions_used, 2); /* a denied request uses the allowance too */
	/* complete straight from a pending request: the request lapses */
	full_input(&in);
	in.days = 2;
	act_ok(&t, TA_REQUEST_EXTENSION, &in, &handler, D("2022-10-10"));
	act_ok(&t, TA_COMPLETE, &in, &handler, D("2022-10-11"));
	assert_int_equal(t.state, TS_COMPLETED);
	assert_int_equal(t.dl.extension_days, 0);
	assert_date(t.dl.deadline, "2022-10-10");
	assert_int_equal(task_is_overdue(&t, D("2022-10-11")), 1); /* completed a day late */
	memcpy(limits, saved, sizeof saved);
}

static void test_return_clears_assignment(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor handler = role_actor(ROLE_HANDLER, HANDLER_ID);
	struct task t;
	task_init(&t, TIER_SCHEDULED, URG_NORMAL, ORIGIN_UNIT, D("2022-09-28"));
	struct task_input in;
	full_input(&in);
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
	task_input_init(&in);
	act_refused(&t, TA_RETURN, &in, &handler, D("2022-09-30"), QD_EINVAL, "reason");
	in.reason = "不属于本单位职责";
	act_ok(&t, TA_RETURN, &in, &handler, D("2022-09-30"));
	assert_int_equal(t.state, TS_PENDING);
	assert_int_equal(t.unit_id, 0);
	assert_int_equal(t.handler_id, 0);
	assert_int_equal(t.dl.deadline, 0);
	assert_int_equal(t.dl.respond_by, 0);
	assert_date(t.dl.responded_on, "2022-09-30");
	assert_int_equal(task_is_overdue(&t, D("2023-01-01")), 0);
	/* and it can be assigned again, with fresh limits */
	full_input(&in);
	in.unit_id = 21;
	in.handler_id = 17;
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-10-10"));
	assert_int_equal(t.state, TS_ASSIGNED);
	assert_int_equal(t.unit_id, 21);
	assert_int_equal(t.handler_id, 17);
	assert_int_equal(t.dl.responded_on, 0);
	assert_date(t.dl.deadline, "2022-10-31");
}

static void test_reopen_effects(void **state)
{
	(void)state;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor sup = role_actor(ROLE_SUPERVISOR, OTHER_ID);
	struct task_input in;
	task_input_init(&in);
	in.reason = "回访不满意，责令重新办理";

	struct task t;
	completed_task(&t);
	t.unreachable_days = 1;
	t.last_unreachable_on = D("2022-09-21");
	follow_up(&t, SAT_UNSATISFIED, 0, D("2022-09-22"));
	act_ok(&t, TA_REOPEN, &in, &disp, D("2022-09-29"));
	assert_int_equal(t.state, TS_IN_PROGRESS);
	assert_int_equal(t.reopen_count, 1);
	assert_int_equal(t.satisfaction, SAT_NONE);
	assert_int_equal(t.solved, -1);
	assert_int_equal(t.followed_up, 0);
	assert_int_equal(t.unreachable_days, 0);
	assert_int_equal(t.last_unreachable_on, 0);
	assert_int_equal(t.outcome, OUT_NONE);
	assert_int_equal(t.dl.completed_on, 0);
	assert_int_equal(t.progress, 0);
	assert_date(t.dl.deadline, "2022-10-25"); /* new deadline: normal limit from the reopen day */
	assert_int_equal(t.handler_id, HANDLER_ID); /* back to the same handler */
	assert_int_equal(task_is_overdue(&t, D("2022-10-25")), 0);

	/* reopen from signed_off (failed spot-check), with a new urgency */
	setup_task(&t, TS_SIGNED_OFF, TA_REOPEN);
	t.exception = 1;
	t.reopen_count = 2;
	in.reason = "抽查不合格";
	in.urgency = URG_URGENT;
	act_ok(&t, TA_REOPEN, &in, &sup, D("2022-09-29"));
	assert_int_equal(t.state, TS_IN_PROGRESS);
	assert_int_equal(t.reopen_count, 3);
	assert_int_equal(t.urgency, URG_URGENT);
	assert_int_equal(t.signed_off_on, 0);
	assert_int_equal(t.exception, 0);
	assert_int_equal(t.satisfaction, SAT_NONE);
	assert_date(t.dl.deadline, "2022-10-09");
	/* reason required */
	setup_task(&t, TS_SIGNED_OFF, TA_REOPEN);
	task_input_init(&in);
	act_refused(&t, TA_REOPEN, &in, &sup, D("2022-09-29"), QD_EINVAL, "reason");
}

/* Each required field, when missing, is named in err.field; t unchanged. */
static void test_required_fields(void **state)
{
	(void)state;
	struct machine_actor all = rights_actor(role_rights(ROLE_DISPATCHER) | role_rights(ROLE_HANDLER) |
						     role_rights(ROLE_SUPERVISOR),
					     OTHER_ID);
	int32_t day = D("2022-09-15");
	for (int s = 0; s < TS__COUNT; s++)
		for (int a = 0; a < TA__COUNT; a++) {
			if (!want_right[s][a])
				continue;
			for (int f = 0; want_fields[a][f]; f++) {
				const char *field = want_fields[a][f];
				struct task t;
				setup_task(&t, (enum task_state)s, (enum task_action)a);
				struct task_input in;
				full_input(&in);
				/* blank this field, keep the others valid */
				if (!strcmp(field, "note"))
					in.note = NULL;
				else if (!strcmp(field, "reason"))
					in.reason = NULL;
				else if (!strcmp(field, "unit_id"))
					in.unit_id = 0;
				else if (!strcmp(field, "handler_id"))
					in.handler_id = 0;
				else if (!strcmp(field, "leader_id"))
					in.leader_id = 0;
				else if (!strcmp(field, "outcome"))
					in.outcome = OUT_NONE;
				else if (!strcmp(field, "days"))
					in.days = 0;
				else if (!strcmp(field, "satisfaction"))
					in.satisfaction = SAT_NONE;
				else if (!strcmp(field, "solved"))
					in.solved = -1;
				act_refused(&t, (enum task_action)a, &in, &all, day, QD_EINVAL, field);
				/* empty strings count as missing */
				if (!strcmp(field, "note") || !strcmp(field, "reason")) {
					full_input(&in);
					if (!strcmp(field, "note"))
						in.note = "";
					else
						in.reason = "";
					act_refused(&t, (enum task_action)a, &in, &all, day, QD_EINVAL, field);
				}
			}
			/* The full input passes; actions without required fields pass on an empty one. */
			struct task t;
			setup_task(&t, (enum task_state)s, (enum task_action)a);
			struct task_input in;
			if (want_fields[a][0]) {
				full_input(&in);
			} else {
				task_input_init(&in);
			}
			act_ok(&t, (enum task_action)a, &in, &all, day);
		}

	/* Out-of-range values. */
	struct task t;
	struct task_input in;
	setup_task(&t, TS_IN_PROGRESS, TA_REQUEST_EXTENSION);
	full_input(&in);
	in.days = 61;
	act_refused(&t, TA_REQUEST_EXTENSION, &in, &all, day, QD_EINVAL, "days");
	in.days = -1;
	act_refused(&t, TA_REQUEST_EXTENSION, &in, &all, day, QD_EINVAL, "days");
	in.days = 60;
	act_ok(&t, TA_REQUEST_EXTENSION, &in, &all, day);
	setup_task(&t, TS_IN_PROGRESS, TA_COMPLETE);
	full_input(&in);
	in.outcome = 3;
	act_refused(&t, TA_COMPLETE, &in, &all, day, QD_EINVAL, "outcome");
	setup_task(&t, TS_COMPLETED, TA_FOLLOW_UP);
	full_input(&in);
	in.satisfaction = SAT_UNREACHABLE + 1;
	act_refused(&t, TA_FOLLOW_UP, &in, &all, day, QD_EINVAL, "satisfaction");
	full_input(&in);
	in.solved = 2;
	act_refused(&t, TA_FOLLOW_UP, &in, &all, day, QD_EINVAL, "solved");
	setup_task(&t, TS_PENDING, TA_ASSIGN);
	full_input(&in);
	in.unit_id = -3;
	act_refused(&t, TA_ASSIGN, &in, &all, day, QD_EINVAL, "unit_id");
	/* Rights and state are checked before the input: a refused actor learns nothing about it. */
	struct task_input empty;
	task_input_init(&empty);
	struct machine_actor none = rights_actor(role_rights(ROLE_ANALYST), OTHER_ID);
	act_refused(&t, TA_ASSIGN, &empty, &none, day, QD_EPERM, "action");
	act_refused(&t, TA_COMPLETE, &empty, &all, day, QD_ECONFLICT, "action");
}

/* ---- overdue ------------------------------------------------------------------------------- */

static void test_overdue(void **state)
{
	(void)state;
	int32_t dl = D("2022-10-25");
	struct task t;
	for (int s = TS_ASSIGNED; s <= TS_EXTENSION_REQUESTED; s++) {
		setup_task(&t, (enum task_state)s, TA_PROGRESS);
		t.dl.deadline = dl;
		assert_int_equal(task_is_open(t.state), 1);
		assert_int_equal(task_is_overdue(&t, dl - 1), 0);
		assert_int_equal(task_is_overdue(&t, dl), 0);     /* on the deadline day: not yet */
		assert_int_equal(task_is_overdue(&t, dl + 1), 1); /* the day after */
		assert_int_equal(task_is_overdue(&t, dl + 100), 1);
	}
	/* completed: by its completion day, whatever today is */
	setup_task(&t, TS_COMPLETED, TA_FOLLOW_UP);
	assert_int_equal(task_is_open(t.state), 0);
	t.dl.deadline = dl;
	t.dl.completed_on = dl;
	assert_int_equal(task_is_overdue(&t, dl + 30), 0);
	t.dl.completed_on = dl + 1;
	assert_int_equal(task_is_overdue(&t, dl + 1), 1);
	assert_int_equal(task_is_overdue(&t, dl + 300), 1);
	/* signed off late stays counted as late */
	setup_task(&t, TS_SIGNED_OFF, TA_REOPEN);
	t.dl.deadline = dl;
	t.dl.completed_on = dl + 3;
	assert_int_equal(task_is_overdue(&t, dl + 10), 1);
	t.dl.completed_on = dl - 3;
	assert_int_equal(task_is_overdue(&t, dl + 10), 0);
	/* pending: no deadline, never overdue */
	setup_task(&t, TS_PENDING, TA_ASSIGN);
	assert_int_equal(task_is_open(t.state), 0);
	assert_int_equal(task_is_overdue(&t, dl + 1000), 0);
	/* through task_act: assigned on 2022-09-29, deadline 2022-10-25 */
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct task_input in;
	full_input(&in);
	act_ok(&t, TA_ASSIGN, &in, &disp, D("2022-09-29"));
	assert_int_equal(task_is_overdue(&t, D("2022-10-25")), 0);
	assert_int_equal(task_is_overdue(&t, D("2022-10-26")), 1);
	/* immediate tier: completed on the spot, never late */
	task_init(&t, TIER_IMMEDIATE, URG_NORMAL, ORIGIN_UNIT, D("2022-09-29"));
	assert_int_equal(t.state, TS_COMPLETED);
	assert_int_equal(t.outcome, OUT_RESOLVED);
	assert_int_equal(t.dl.completed_on, D("2022-09-29"));
	assert_int_equal(t.progress, 100);
	assert_int_equal(t.solved, -1);
	assert_int_equal(task_is_overdue(&t, D("2023-01-01")), 0);
}

/* ---- task_allowed -------------------------------------------------------------------------- */

static unsigned may_mask(const struct task *t, const struct machine_actor *ac)
{
	unsigned m = 0;
	for (int a = 0; a < TA__COUNT; a++) {
		struct qd_err err;
		if (task_may(t, (enum task_action)a, ac, &err) == 0)
			m |= 1u << a;
	}
	return m;
}

static void test_allowed_equals_may(void **state)
{
	(void)state;
	int n = 0;
	for (int s = 0; s < TS__COUNT; s++)
		for (int a = 0; a < TA__COUNT; a++)
			for (int variant = 0; variant < 8; variant++)
				for (int r = 0; r < ROLE__COUNT; r++)
					for (int who = 0; who < 3; who++) {
						struct task t;
						setup_task(&t, (enum task_state)s, (enum task_action)a);
						switch (variant) {
						case 1: t.dl.max_extensions = 0; break;
						case 2: t.followed_up = 1; t.satisfaction = SAT_UNSATISFIED; t.solved = 1; break;
						case 3: t.followed_up = 1; t.satisfaction = SAT_UNREACHABLE; t.unreachable_days = 2; break;
						case 4: t.followed_up = 1; t.satisfaction = SAT_UNREACHABLE; t.unreachable_days = 3; break;
						case 5: t.followed_up = 0; t.satisfaction = SAT_NONE; t.solved = -1; break;
						case 6: t.followed_up = 1; t.satisfaction = SAT_BASIC; t.solved = 0; break;
						case 7: t.dl.extensions_used = 1; t.dl.max_extensions = 1; break;
						default: break;
						}
						struct machine_actor ac = role_actor((enum role)r, who == 1 ? HANDLER_ID : OTHER_ID);
						if (who == 2)
							ac.rights_handling = 0;
						struct task before;
						memcpy(&before, &t, sizeof t);
						unsigned got = task_allowed(&t, &ac);
						assert_memory_equal(&before, &t, sizeof t);
						if (got != may_mask(&t, &ac))
							fail_msg("task_allowed(%s, %s) = 0x%x, task_may says 0x%x",
								 task_state_name((enum task_state)s), want_role_names[r], got,
								 may_mask(&t, &ac));
						n++;
					}
	assert_true(n > 0);

	/* Spot checks written out. */
	struct task t;
	struct machine_actor disp = role_actor(ROLE_DISPATCHER, OTHER_ID);
	struct machine_actor sup = role_actor(ROLE_SUPERVISOR, OTHER_ID);
	struct machine_actor handler = role_actor(ROLE_HANDLER, HANDLER_ID);
	setup_task(&t, TS_COMPLETED, TA_SIGN_OFF); /* satisfied, solved */
	assert_int_equal(task_allowed(&t, &disp), (1u << TA_FOLLOW_UP) | (1u << TA_SIGN_OFF));
	setup_task(&t, TS_COMPLETED, TA_REOPEN); /* unsatisfied, unsolved */
	assert_int_equal(task_allowed(&t, &disp), (1u << TA_FOLLOW_UP) | (1u << TA_REOPEN));
	assert_int_equal(task_allowed(&t, &sup), (1u << TA_FOLLOW_UP) | (1u << TA_SIGN_OFF) | (1u << TA_REOPEN));
	assert_int_equal(task_allowed(&t, &handler), 0);
	setup_task(&t, TS_IN_PROGRESS, TA_PROGRESS);
	t.dl.max_extensions = 0;
	assert_int_equal(task_allowed(&t, &handler), (1u << TA_PROGRESS) | (1u << TA_COMPLETE));
	t.dl.max_extensions = 1;
	assert_int_equal(task_allowed(&t, &handler),
			 (1u << TA_PROGRESS) | (1u << TA_REQUEST_EXTENSION) | (1u << TA_COMPLETE));
	setup_task(&t, TS_EXTENSION_REQUESTED, TA_APPROVE_EXTENSION);
	struct machine_actor leader = role_actor(ROLE_LEADER, LEADER_ID);
	assert_int_equal(task_allowed(&t, &leader), (1u << TA_APPROVE_EXTENSION) | (1u << TA_DENY_EXTENSION));
	struct machine_actor pii = role_actor(ROLE_PII, OTHER_ID);
	for (int s = 0; s < TS__COUNT; s++) {
		setup_task(&t, (enum task_state)s, TA_FOLLOW_UP);
		assert_int_equal(task_allowed(&t, &pii), 0);
	}
}

/* A list row carries only the machine's MC_DERIVES columns (store/task.c): every other column
 * of the struct may hold anything without changing the actions or overdue.  Many tasks with the
 * derived columns drawn at random, each compared with copies whose other columns are drawn again
 * (a guard that read an undeclared column would see a difference here). */
static int rnd(unsigned *seed, int n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (int)((*seed >> 16) % (unsigned)n);
}

static void test_derived_columns_suffice(void **state)
{
	(void)state;
	const struct machine *m = &task_machine;
	int32_t today = D("2022-07-04");
	unsigned seed = 7;
#define RND(n) rnd(&seed, (n))
	int differing = 0;
	for (int k = 0; k < 4000; k++) {
		struct task t;
		setup_task(&t, (enum task_state)RND(TS__COUNT), TA_FOLLOW_UP);
		t.handler_id = RND(2) ? HANDLER_ID : OTHER_ID;
		t.dl.deadline = today - 3 + RND(7);
		t.dl.completed_on = RND(2) ? 0 : t.dl.deadline - 2 + RND(5);
		t.dl.extensions_used = RND(3);
		t.dl.max_extensions = RND(3);
		t.solved = RND(3) - 1;
		t.satisfaction = RND(SAT__COUNT);
		t.unreachable_days = RND(5);
		t.followed_up = RND(2);
		struct machine_actor ac = role_actor((enum role)RND(ROLE__COUNT), RND(2) ? HANDLER_ID : OTHER_ID);
		if (RND(3) == 0)
			ac.rights_handling = 0;
		unsigned want = machine_allowed(m, &t, &ac);
		int want_late = machine_overdue(m, &t, today);
		for (int j = 0; j < 4; j++) {
			struct task u = t;
			for (int c = 0; c < m->ncols; c++) {
				const struct machine_col *col = &m->cols[c];
				if (col->flags & MC_DERIVES)
					continue;
				char *p = (char *)&u + col->off;
				int64_t id = 1 + RND(1000);
				int32_t day = col->type == MC_DATE && RND(4) ? today - 30 + RND(60) : 0;
				int v = col->type == MC_ENUM ? RND(4) : RND(7) - 1;
				if (col->type == MC_ID)
					memcpy(p, &id, sizeof id);
				else if (col->type == MC_DATE)
					memcpy(p, &day, sizeof day);
				else
					memcpy(p, &v, sizeof v);
			}
			differing += memcmp(&u, &t, sizeof t) != 0;
			if (machine_allowed(m, &u, &ac) != want || machine_overdue(m, &u, today) != want_late)
				fail_msg("task %d: a column without MC_DERIVES changed the actions or overdue", k);
		}
	}
#undef RND
	assert_true(differing > 1000); /* the other columns were really changed */
}

/* ---- names --------------------------------------------------------------------------------- */

static void test_names_round_trip(void **state)
{
	(void)state;
	static const char *const states[TS__COUNT] = {"pending", "assigned", "in_progress", "extension_requested",
						      "completed", "signed_off"};
	static const char *const actions[TA__COUNT] = {"assign", "accept", "return", "progress",
						       "request_extension", "approve_extension", "deny_extension",
						       "complete", "follow_up", "sign_off", "reopen"};
	static const char *const tiers[TIER__COUNT] = {"immediate", "scheduled", "long_term", "explain"};
	static const char *const urgencies[URG__COUNT] = {"urgent", "normal", "complex"};
	static const char *const outcomes[] = {"", "resolved", "explained"};
	static const char *const sats[] = {"", "satisfied", "basic", "unsatisfied", "unreachable"};
	for (int i = 0; i < TS__COUNT; i++) {
		assert_string_equal(task_state_name((enum task_state)i), states[i]);
		assert_int_equal(task_state_parse(states[i]), i);
		const char *zh = task_state_zh((enum task_state)i);
		assert_true(zh && *zh && strcmp(zh, "?") != 0);
	}
	for (int i = 0; i < TA__COUNT; i++) {
		assert_string_equal(task_action_name((enum task_action)i), actions[i]);
		assert_int_equal(task_action_parse(actions[i]), i);
		const char *zh = task_action_zh((enum task_action)i);
		assert_true(zh && *zh && strcmp(zh, "?") != 0);
	}
	for (int i = 0; i < TIER__COUNT; i++) {
		assert_string_equal(tier_name((enum tier)i), tiers[i]);
		assert_int_equal(tier_parse(tiers[i]), i);
	}
	for (int i = 0; i < URG__COUNT; i++) {
		assert_string_equal(urgency_name((enum urgency)i), urgencies[i]);
		assert_int_equal(urgency_parse(urgencies[i]), i);
	}
	for (int i = 0; i <= OUT_EXPLAINED; i++) {
		assert_string_equal(outcome_name((enum outcome)i), outcomes[i]);
		assert_int_equal(outcome_parse(outcomes[i]), i == 0 ? -1 : i); /* "" is "unset", not a name */
	}
	for (int i = 0; i <= SAT_UNREACHABLE; i++) {
		assert_string_equal(satisfaction_name((enum satisfaction)i), sats[i]);
		assert_int_equal(satisfaction_parse(sats[i]), i == 0 ? -1 : i);
	}
	/* unknown, NULL, wrong case */
	int (*parsers[])(const char *) = {task_state_parse, task_action_parse, tier_parse, urgency_parse,
					  outcome_parse, satisfaction_parse, role_parse};
	for (size_t p = 0; p < sizeof parsers / sizeof parsers[0]; p++) {
		assert_int_equal(parsers[p](NULL), -1);
		assert_int_equal(parsers[p](""), -1);
		assert_int_equal(parsers[p]("bogus"), -1);
	}
	assert_int_equal(task_state_parse("Pending"), -1);
	assert_int_equal(task_state_parse("pending "), -1);
	assert_int_equal(task_action_parse("sign-off"), -1);
	/* out of range */
	assert_string_equal(task_state_name(TS__COUNT), "?");
	assert_string_equal(task_state_zh((enum task_state)-1), "?");
	assert_string_equal(task_action_name(TA__COUNT), "?");
	assert_string_equal(task_action_zh(TA__COUNT), "?");
	assert_string_equal(tier_name(TIER__COUNT), "?");
	assert_string_equal(urgency_name(URG__COUNT), "?");
	assert_string_equal(outcome_name((enum outcome)3), "");
	assert_string_equal(satisfaction_name((enum satisfaction)5), "");
}

static void test_defaults(void **state)
{
	(void)state;
	struct urgency_limit l[URG__COUNT];
	memset(l, 0xff, sizeof l);
	task_default_limits(l);
	/* SPEC §3: urgent (respond 1, complete 3), normal (2, 15), complex (2, 30, one extension) */
	assert_int_equal(l[URG_URGENT].respond, 1);
	assert_int_equal(l[URG_URGENT].complete, 3);
	assert_int_equal(l[URG_URGENT].max_extensions, 0);
	assert_int_equal(l[URG_NORMAL].respond, 2);
	assert_int_equal(l[URG_NORMAL].complete, 15);
	assert_int_equal(l[URG_NORMAL].max_extensions, 0);
	assert_int_equal(l[URG_COMPLEX].respond, 2);
	assert_int_equal(l[URG_COMPLEX].complete, 30);
	assert_int_equal(l[URG_COMPLEX].max_extensions, 1);
	struct task_input in;
	memset(&in, 0x5a, sizeof in);
	task_input_init(&in);
	assert_null(in.note);
	assert_null(in.reason);
	assert_int_equal(in.urgency, -1);
	assert_int_equal(in.solved, -1);
	assert_int_equal(in.progress, -1);
	assert_int_equal(in.outcome, 0);
	assert_int_equal(in.satisfaction, 0);
	assert_int_equal(in.exception, 0);
	struct task t;
	task_init(&t, TIER_SCHEDULED, URG_COMPLEX, ORIGIN_UNIT, D("2022-09-29"));
	assert_int_equal(t.state, TS_PENDING);
	assert_int_equal(t.origin_unit_id, ORIGIN_UNIT);
	assert_int_equal(t.urgency, URG_COMPLEX);
	assert_int_equal(t.solved, -1);
	assert_int_equal(t.dl.assigned_on, 0);
	assert_int_equal(task_is_open(TS_PENDING), 0);
	assert_int_equal(task_is_open(TS_COMPLETED), 0);
	assert_int_equal(task_is_open(TS_SIGNED_OFF), 0);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_rights_table),
		cmocka_unit_test(test_right_names),
		cmocka_unit_test(test_grants_scope),
		cmocka_unit_test(test_transition_table_matches_spec),
		cmocka_unit_test(test_matrix_state_action_role),
		cmocka_unit_test(test_unknown_action),
		cmocka_unit_test(test_follow_up_not_by_handler),
		cmocka_unit_test(test_sign_off_needs_satisfied_verdict),
		cmocka_unit_test(test_sign_off_after_three_unreachable_days),
		cmocka_unit_test(test_unreachable_then_reached),
		cmocka_unit_test(test_verdict_channel_and_recorder),
		cmocka_unit_test(test_reopen_from_completed_needs_bad_verdict),
		cmocka_unit_test(test_extension_count),
		cmocka_unit_test(test_on_handling_unit),
		cmocka_unit_test(test_assign_deadlines_across_guoqing_2022),
		cmocka_unit_test(test_accept_progress_complete),
		cmocka_unit_test(test_extension_approve_deny),
		cmocka_unit_test(test_return_clears_assignment),
		cmocka_unit_test(test_reopen_effects),
		cmocka_unit_test(test_required_fields),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_allowed_equals_may),
		cmocka_unit_test(test_derived_columns_suffice),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_defaults),
	};
	return cmocka_run_group_tests_name("task", tests, spec_setup, spec_teardown);
}
