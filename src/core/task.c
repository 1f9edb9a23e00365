/* task.c — the task machine, the first instance of the machine type (core/machine.h): its
 * action body specs, guards, checks and effects as named functions, its transitions, columns and
 * descriptor (task_machine, at the end, after the names it points to); and the names of states,
 * actions, tiers, urgencies, outcomes and verdicts.  Pure: no I/O. */
#include "core/task.h"
#include "core/role.h"
#include "core/names.h"
#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(enum task_state) == sizeof(int), "the machine reads the state as an int");
_Static_assert(sizeof(enum urgency) == sizeof(int), "the machine reads the urgency as an int");
_Static_assert(sizeof(enum verdict_channel) == sizeof(int), "the store reads the channel as an int");

/* --- the bodies each action takes (the spec the dispatcher and machine_act enforce) --------- */

#define END {NULL, 0, 0, 0, 0, NULL, NULL, NULL}
#define NOTE(req, help) {"note", P_TEXT, req, 0, 1000, NULL, NULL, help}
#define REASON(req, help) {"reason", P_TEXT, req, 0, 500, NULL, NULL, help}
#define URGENCY(help) {"urgency", P_ENUM, 0, 0, 0, urgency_names, NULL, help}
static const struct param b_assign[] = {
	{"unit_id", P_ID, 1, 0, 0, NULL, NULL, "handling unit"},
	{"handler_id", P_ID, 1, 0, 0, NULL, NULL, "responsible person"},
	{"leader_id", P_ID, 1, 0, 0, NULL, NULL, "leader in charge"},
	URGENCY("urgency (default: the task's); sets the deadlines"),
	NOTE(0, "note to the handling unit"), END};
static const struct param b_accept[] = {NOTE(0, "note"), END};
static const struct param b_return[] = {REASON(1, "why the unit returns it"), END};
static const struct param b_progress[] = {
	NOTE(1, "what was done"),
	{"progress", P_INT, 0, 0, 100, NULL, NULL, "percent done"}, END};
static const struct param b_request_extension[] = {
	REASON(1, "why more time is needed"),
	{"days", P_INT, 1, 1, 60, NULL, NULL, "working days asked"}, END};
static const struct param b_approve_extension[] = {NOTE(0, "note"), END};
static const struct param b_deny_extension[] = {REASON(1, "why not"), END};
static const struct param b_complete[] = {
	{"outcome", P_ENUM, 1, 0, 0, OUTCOME_GIVEN_NAMES, NULL, "resolved, or explained (解释疏导)"},
	NOTE(1, "what was done"), END};
static const struct param b_follow_up[] = {
	{"solved", P_BOOL, 0, 0, 0, NULL, NULL, "the resident says it is solved (required unless unreachable)"},
	{"satisfaction", P_ENUM, 1, 0, 0, SATISFACTION_GIVEN_NAMES, NULL, "the resident's verdict"},
	{"channel", P_ENUM, 0, 0, 0, CHANNEL_GIVEN_NAMES, NULL,
	 "how it was taken: online (the resident themself, their default and only one), phone (staff's default), in_person"},
	NOTE(0, "what the resident said"), END};
static const struct param b_sign_off[] = {
	{"exception", P_BOOL, 0, 0, 0, NULL, NULL, "on a documented exception (supervisor; reason required)"},
	REASON(0, "the exception's reason"),
	NOTE(0, "note"), END};
static const struct param b_reopen[] = {
	REASON(1, "why it is reopened"),
	URGENCY("new urgency (default: the task's)"), END};
#undef NOTE
#undef REASON
#undef URGENCY
#undef END

/* --- guards, checks and effects -------------------------------------------------------------- */

#define TASK(p) ((struct task *)(p))
#define CTASK(p) ((const struct task *)(p))

static int sat_ok(const struct task *t)
{
	return t->satisfaction == SAT_SATISFIED || t->satisfaction == SAT_BASIC;
}

/* The exception path of sign-off is open once someone tried to reach the resident: a verdict
 * was recorded, or three attempts on different days found them unreachable. */
static int exception_possible(const struct task *t)
{
	return (t->followed_up && t->satisfaction != SAT_UNREACHABLE && t->satisfaction != SAT_NONE) ||
	       t->unreachable_days >= 3;
}

int task_actor_resident(const struct machine_actor *actor)
{
	return actor && (actor->rights_any & RIGHT_OWN) && !(actor->rights_any & RIGHT_READ);
}

enum verdict_channel task_follow_up_channel(const struct machine_actor *actor, const char *given)
{
	int ch = channel_parse(given);
	if (ch > 0)
		return (enum verdict_channel)ch;
	return task_actor_resident(actor) ? CH_ONLINE : CH_PHONE;
}

/* follow_up: not by the handler; and not after the resident's own online verdict, which is final
 * for its round (only a reopen starts a new one) — a cadre cannot overwrite it. */
static int guard_follow_up(const struct machine *m, const void *item, const struct machine_actor *actor,
			   const json_t *body, struct qd_err *err)
{
	if (actor->user_id && actor->user_id == CTASK(item)->handler_id)
		return qd_fail(err, QD_EPERM, "action", "回访须由承办人以外的人进行",
			       "the follow-up must be made by someone other than the handler");
	if (CTASK(item)->verdict_channel == CH_ONLINE)
		return qd_fail(err, QD_ECONFLICT, "action", "群众本人已在网上评价，本轮评价为最终结果；重办后方可再次回访",
			       "the resident's own online verdict is final for this round: only a reopen starts a new one");
	return 0;
}

/* sign_off: a satisfied or basic verdict; or, asked as an exception, a supervisor once a
 * follow-up was tried.  Listing (no body) shows sign-off to a supervisor who could take the
 * exception path. */
static int guard_sign_off(const struct machine *m, const void *item, const struct machine_actor *actor,
			  const json_t *body, struct qd_err *err)
{
	const struct task *t = item;
	/* No one signs off a verdict they recorded themself (the resident's own is no one's record). */
	if (t->verdict_by && actor->user_id == t->verdict_by && t->verdict_channel != CH_ONLINE)
		return qd_fail(err, QD_EPERM, "action", "本轮回访评价由您记录，须由其他人销号",
			       "you recorded this round's verdict: someone else must sign off");
	if (param_bool(body, "exception", 0)) {
		if (!(actor->rights_any & RIGHT_EXCEPTION))
			return qd_fail(err, QD_EPERM, "exception", "只有督导组成员可按特殊情况销号",
				       "only a supervisor may sign off on an exception");
		if (!exception_possible(t))
			return qd_fail(err, QD_ECONFLICT, "exception",
				       "特殊情况销号须先回访：已有回访结果，或三个不同日期均联系不上",
				       "an exception needs a follow-up first: a verdict, or three "
				       "unreachable attempts on different days");
	} else if (!sat_ok(t) && !((actor->rights_any & RIGHT_EXCEPTION) && exception_possible(t))) {
		return qd_fail(err, QD_ECONFLICT, "action", "群众评价为满意或基本满意后方可销号",
			       "sign-off needs a satisfied or basically satisfied verdict");
	}
	return 0;
}

/* reopen from completed: an unsatisfied or unsolved verdict (from signed_off: a spot-check). */
static int guard_reopen(const struct machine *m, const void *item, const struct machine_actor *actor,
			const json_t *body, struct qd_err *err)
{
	const struct task *t = item;
	if (t->state == TS_COMPLETED && !(t->followed_up && (t->satisfaction == SAT_UNSATISFIED || t->solved == 0)))
		return qd_fail(err, QD_ECONFLICT, "action", "仅在群众评价为不满意或未解决时可重办",
			       "reopen needs an unsatisfied or unsolved verdict");
	return 0;
}

/* follow_up: solved is required unless the resident was unreachable. */
static int check_verdict(const struct machine *m, const void *item, const struct machine_actor *actor,
			 const json_t *body, struct qd_err *err)
{
	const char *sat = param_str(body, "satisfaction");
	int ch = channel_parse(param_str(body, "channel"));
	if (task_actor_resident(actor)) {
		if (ch > 0 && ch != CH_ONLINE)
			return qd_fail(err, QD_EINVAL, "channel", "群众本人的评价只能是网上评价（online）",
				       "a resident's own verdict is given online only");
		if (satisfaction_parse(sat) == SAT_UNREACHABLE)
			return qd_fail(err, QD_EINVAL, "satisfaction", "群众本人评价不能选择“联系不上”",
				       "a resident giving a verdict cannot be unreachable");
	} else if (ch == CH_ONLINE) {
		return qd_fail(err, QD_EINVAL, "channel", "网上评价只能由群众本人作出，工作人员请选择电话回访或当面回访",
			       "only the resident gives an online verdict: staff record phone or in_person");
	}
	if (!(sat && strcmp(sat, "unreachable") == 0) && !param_given(body, "solved"))
		return qd_fail(err, QD_EINVAL, "solved", "请填写群众认为问题是否已解决",
			       "solved is required (true or false)");
	return 0;
}

/* sign_off: without a satisfied verdict only as an exception, and an exception needs a reason. */
static int check_sign_off(const struct machine *m, const void *item, const struct machine_actor *actor,
			  const json_t *body, struct qd_err *err)
{
	int exception = param_bool(body, "exception", 0);
	const char *reason = param_str(body, "reason");
	if (!sat_ok(CTASK(item)) && !exception)
		return qd_fail(err, QD_ECONFLICT, "exception", "群众评价未达满意，须按特殊情况销号并说明理由",
			       "no satisfied verdict: sign off as an exception with a reason");
	if (exception && (!reason || !*reason))
		return qd_fail(err, QD_EINVAL, "reason", "特殊情况销号须说明理由", "an exception needs a reason");
	return 0;
}

/* The urgency given in the body, if any. */
static void take_urgency(struct task *t, const json_t *body)
{
	int u = urgency_parse(param_str(body, "urgency"));
	if (u >= 0)
		t->urgency = (enum urgency)u;
}

/* assign: urgency, handling unit, handler, leader (the clock starts in the next effect). */
static void fx_assign(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct task *t = item;
	take_urgency(t, body);
	t->unit_id = param_int(body, "unit_id", 0);
	t->handler_id = param_int(body, "handler_id", 0);
	t->leader_id = param_int(body, "leader_id", 0);
}

/* return: the unit, handler and deadlines are cleared so the task can be assigned again. */
static void fx_unassign(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct task *t = item;
	t->unit_id = t->handler_id = 0;
	t->dl.deadline = t->dl.respond_by = 0;
}

static void fx_progress(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	int p = (int)param_int(body, "progress", -1);
	if (p >= 0)
		TASK(item)->progress = p;
}

static void fx_complete(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct task *t = item;
	int o = outcome_parse(param_str(body, "outcome"));
	t->outcome = o > 0 ? (enum outcome)o : OUT_NONE;
	t->progress = 100;
}

/* follow_up: the verdict; an unreachable attempt counts once per day and keeps an earlier verdict. */
static void fx_follow_up(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct task *t = item;
	int sat = satisfaction_parse(param_str(body, "satisfaction"));
	t->followed_up = 1;
	t->follow_up_attempts++;
	if (sat == SAT_UNREACHABLE) {
		if (c->today != t->last_unreachable_on) {
			t->unreachable_days++;
			t->last_unreachable_on = c->today;
		}
		if (t->satisfaction == SAT_NONE)
			t->satisfaction = SAT_UNREACHABLE;
	} else {
		t->satisfaction = (enum satisfaction)sat;
		t->solved = param_bool(body, "solved", -1);
		t->verdict_by = c->actor ? c->actor->user_id : 0;
		t->verdict_channel = task_follow_up_channel(c->actor, param_str(body, "channel"));
	}
}

static void fx_sign_off(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct task *t = item;
	t->signed_off_on = c->today;
	t->exception = param_bool(body, "exception", 0);
}

/* reopen: the verdict and progress reset, a new deadline from today. */
static void fx_reopen(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct task *t = item;
	take_urgency(t, body);
	t->reopen_count++;
	t->outcome = OUT_NONE;
	t->solved = -1;
	t->satisfaction = SAT_NONE;
	t->followed_up = 0;
	t->verdict_by = 0;
	t->verdict_channel = CH_NONE;
	t->follow_up_attempts = 0;
	t->unreachable_days = 0;
	t->last_unreachable_on = 0;
	t->dl.completed_on = t->signed_off_on = 0;
	t->exception = 0;
	t->progress = 0; /* the handler reports progress anew */
	t->dl.deadline = calendar_add_workdays(c->cal, c->today, c->limits[t->urgency].complete);
}

/* --- the table ------------------------------------------------------------------------------- */

#define H RIGHT_HANDLE
static const struct machine_action actions[TA__COUNT] = {
	[TA_ASSIGN] = {RIGHT_TRIAGE, 0, b_assign, NULL, NULL, {fx_assign, machine_fx_start_clock}},
	[TA_ACCEPT] = {H, 1, b_accept, NULL, NULL, {machine_fx_respond}},
	[TA_RETURN] = {H, 1, b_return, NULL, NULL, {machine_fx_respond, fx_unassign}},
	[TA_PROGRESS] = {H, 1, b_progress, NULL, NULL, {fx_progress}},
	[TA_REQUEST_EXTENSION] = {H, 1, b_request_extension, machine_guard_extension_left, NULL,
				  {machine_fx_ask_extension}},
	[TA_APPROVE_EXTENSION] = {RIGHT_EXTENSION, 0, b_approve_extension, NULL, NULL, {machine_fx_grant_extension}},
	[TA_DENY_EXTENSION] = {RIGHT_EXTENSION, 0, b_deny_extension, NULL, NULL, {machine_fx_deny_extension}},
	[TA_COMPLETE] = {H, 1, b_complete, NULL, NULL, {fx_complete, machine_fx_complete}},
	[TA_FOLLOW_UP] = {RIGHT_FOLLOW_UP, 0, b_follow_up, guard_follow_up, check_verdict, {fx_follow_up}},
	[TA_SIGN_OFF] = {RIGHT_SIGN_OFF, 0, b_sign_off, guard_sign_off, check_sign_off, {fx_sign_off}},
	[TA_REOPEN] = {RIGHT_REOPEN, 0, b_reopen, guard_reopen, NULL, {fx_reopen}},
};
#undef H

static const struct machine_transition table[] = {
	{TS_PENDING, TA_ASSIGN, TS_ASSIGNED, "交办"},
	{TS_ASSIGNED, TA_ACCEPT, TS_IN_PROGRESS, "签收"},
	{TS_ASSIGNED, TA_RETURN, TS_PENDING, "退回"},
	{TS_IN_PROGRESS, TA_PROGRESS, TS_IN_PROGRESS, "报告进展"},
	{TS_IN_PROGRESS, TA_REQUEST_EXTENSION, TS_EXTENSION_REQUESTED, "申请延期"},
	{TS_IN_PROGRESS, TA_COMPLETE, TS_COMPLETED, "办结"},
	{TS_EXTENSION_REQUESTED, TA_PROGRESS, TS_EXTENSION_REQUESTED, "报告进展"},
	{TS_EXTENSION_REQUESTED, TA_APPROVE_EXTENSION, TS_IN_PROGRESS, "批准延期"},
	{TS_EXTENSION_REQUESTED, TA_DENY_EXTENSION, TS_IN_PROGRESS, "不予延期"},
	{TS_EXTENSION_REQUESTED, TA_COMPLETE, TS_COMPLETED, "办结"},
	{TS_COMPLETED, TA_FOLLOW_UP, TS_COMPLETED, "回访"},
	{TS_COMPLETED, TA_SIGN_OFF, TS_SIGNED_OFF, "销号"},
	{TS_COMPLETED, TA_REOPEN, TS_IN_PROGRESS, "重办"},
	{TS_SIGNED_OFF, TA_REOPEN, TS_IN_PROGRESS, "重办（抽查不合格）"},
};

static const unsigned char state_flags[TS__COUNT] = {
	[TS_ASSIGNED] = MS_OPEN, [TS_IN_PROGRESS] = MS_OPEN, [TS_EXTENSION_REQUESTED] = MS_OPEN,
	[TS_COMPLETED] = MS_DONE, [TS_SIGNED_OFF] = MS_DONE,
};


/* The task table's columns the machine reads; MC_WRITTEN ones go into every action's event, in
 * this order (the order recorded since the first version). */
#define W MC_WRITTEN
#define D MC_DERIVES
#define C(name, type, member, flags, dflt) {name, type, offsetof(struct task, member), flags, dflt, NULL}
#define E(name, member, flags, dflt, names) {name, MC_ENUM, offsetof(struct task, member), flags, dflt, names}
static const struct machine_col cols[] = {
	C("id", MC_ID, id, W | D, 0),
	C("state", MC_STATE, state, W | D, TS_PENDING),
	E("urgency", urgency, W, URG_NORMAL, urgency_names),
	C("unit_id", MC_ID, unit_id, W, 0),
	C("handler_id", MC_ID, handler_id, W | D, 0),
	C("leader_id", MC_ID, leader_id, W, 0),
	C("assigned_on", MC_DATE, dl.assigned_on, W, 0),
	C("respond_by", MC_DATE, dl.respond_by, W, 0),
	C("deadline", MC_DATE, dl.deadline, W | D, 0),
	C("responded_on", MC_DATE, dl.responded_on, W, 0),
	C("completed_on", MC_DATE, dl.completed_on, W | D, 0),
	C("signed_off_on", MC_DATE, signed_off_on, W, 0),
	C("extensions_used", MC_INT, dl.extensions_used, W | D, 0),
	C("max_extensions", MC_INT, dl.max_extensions, W | D, 0),
	C("extension_days", MC_INT, dl.extension_days, W, 0),
	E("outcome", outcome, W, OUT_NONE, outcome_names),
	C("solved", MC_INT, solved, W | D, -1),
	E("satisfaction", satisfaction, W | D, SAT_NONE, satisfaction_names),
	C("unreachable_days", MC_INT, unreachable_days, W | D, 0),
	C("last_unreachable_on", MC_DATE, last_unreachable_on, W, 0),
	C("followed_up", MC_INT, followed_up, W | D, 0),
	C("progress", MC_INT, progress, W, 0),
	C("reopen_count", MC_INT, reopen_count, W, 0),
	C("exception", MC_INT, exception, W, 0),
	C("verdict_by", MC_ID, verdict_by, W | D, 0),
	E("verdict_channel", verdict_channel, W | D, CH_NONE, channel_names),
	C("follow_up_attempts", MC_INT, follow_up_attempts, W, 0),
	E("tier", tier, 0, TIER_SCHEDULED, tier_names),
	C("origin_unit_id", MC_ID, origin_unit_id, 0, 0),
};
#undef W
#undef D
#undef C
#undef E

/* --- the task's names for the generic functions ---------------------------------------------- */

const struct machine_transition *task_transitions(int *n)
{
	*n = task_machine.ntransitions;
	return task_machine.transitions;
}

const struct machine_transition *task_transition(enum task_state s, enum task_action a)
{
	return machine_transition(&task_machine, s, a);
}

void task_default_limits(struct urgency_limit out[URG__COUNT])
{
	deadline_default_limits(out);
}

void task_input_init(struct task_input *in)
{
	memset(in, 0, sizeof *in);
	in->urgency = -1;
	in->solved = -1;
	in->progress = -1;
}

/* A name for an enum member, or "?" (refused by the spec) when out of range. */
static json_t *jname(const char *name)
{
	return json_string(name && *name && strcmp(name, "?") != 0 ? name : "?");
}

json_t *task_input_body(enum task_action a, const struct task_input *in)
{
	json_t *b = json_object();
	const struct param *spec = machine_action_body(&task_machine, a);
	for (int i = 0; spec && spec[i].name; i++) {
		const char *k = spec[i].name;
		json_t *v = NULL;
		if (!strcmp(k, "note") && in->note)
			v = json_string(in->note);
		else if (!strcmp(k, "reason") && in->reason)
			v = json_string(in->reason);
		else if (!strcmp(k, "unit_id") && in->unit_id)
			v = json_integer(in->unit_id);
		else if (!strcmp(k, "handler_id") && in->handler_id)
			v = json_integer(in->handler_id);
		else if (!strcmp(k, "leader_id") && in->leader_id)
			v = json_integer(in->leader_id);
		else if (!strcmp(k, "urgency") && in->urgency != -1)
			v = jname(urgency_name((enum urgency)in->urgency));
		else if (!strcmp(k, "outcome") && in->outcome)
			v = jname(outcome_name((enum outcome)in->outcome));
		else if (!strcmp(k, "days") && in->days)
			v = json_integer(in->days);
		else if (!strcmp(k, "solved") && in->solved != -1)
			v = in->solved == 0 || in->solved == 1 ? json_boolean(in->solved) : json_integer(in->solved);
		else if (!strcmp(k, "satisfaction") && in->satisfaction)
			v = jname(satisfaction_name((enum satisfaction)in->satisfaction));
		else if (!strcmp(k, "channel") && in->channel)
			v = jname(channel_name((enum verdict_channel)in->channel));
		else if (!strcmp(k, "exception") && in->exception)
			v = json_true();
		else if (!strcmp(k, "progress") && in->progress != -1)
			v = json_integer(in->progress);
		if (v)
			json_object_set_new(b, k, v);
	}
	return b;
}

void task_init(struct task *t, enum tier tier, enum urgency u, int64_t origin_unit_id,
	       int32_t today)
{
	memset(t, 0, sizeof *t);
	t->state = TS_PENDING;
	t->tier = tier;
	t->urgency = u;
	t->origin_unit_id = origin_unit_id;
	t->solved = -1;
	if (tier == TIER_IMMEDIATE) {
		/* 即知即办: solved during the visit; follow-up and sign-off still apply. */
		t->state = TS_COMPLETED;
		t->outcome = OUT_RESOLVED;
		t->dl.assigned_on = t->dl.responded_on = t->dl.completed_on = t->dl.deadline = t->dl.respond_by = today;
		t->progress = 100;
	}
}

int task_is_open(enum task_state s)
{
	return machine_is_open(&task_machine, s);
}

int task_is_overdue(const struct task *t, int32_t today)
{
	return machine_overdue(&task_machine, t, today);
}

int task_may(const struct task *t, enum task_action a, const struct machine_actor *actor,
	     struct qd_err *err)
{
	return machine_may(&task_machine, t, a, actor, NULL, err);
}

unsigned task_allowed(const struct task *t, const struct machine_actor *actor)
{
	return machine_allowed(&task_machine, t, actor);
}

int task_act(struct task *t, enum task_action a, const struct task_input *in,
	     const struct machine_actor *actor, const struct calendar *cal,
	     const struct urgency_limit limits[URG__COUNT], int32_t today, struct qd_err *err)
{
	if ((unsigned)a >= TA__COUNT)
		return qd_fail(err, QD_EINVAL, "action", "未知的操作", "unknown action");
	json_t *body = task_input_body(a, in);
	struct machine_ctx c = {cal, limits, today, NULL};
	int rc = machine_act(&task_machine, t, a, body, actor, &c, err);
	json_decref(body);
	return rc;
}

/* Names: the one vocabulary of task states, actions, tiers, urgencies, outcomes and verdicts
 * (declared in task.h; the route table, the store and the presenters use these arrays). */
#define IMMEDIATE "immediate" /* spelled once: in tier_names and tier_immediate_names */
const char *const task_state_names[TS__COUNT + 1] = {"pending", "assigned", "in_progress",
						     "extension_requested", "completed", "signed_off", NULL};
const char *const task_state_names_zh[TS__COUNT + 1] = {"待交办", "已交办", "办理中", "延期申请中", "已办结", "已销号", NULL};
const char *const task_action_names[TA__COUNT + 1] = {
	"assign", "accept", "return", "progress", "request_extension", "approve_extension",
	"deny_extension", "complete", "follow_up", "sign_off", "reopen", NULL};
const char *const task_action_names_zh[TA__COUNT + 1] = {"交办", "签收", "退回", "报告进展", "申请延期", "批准延期",
							 "不予延期", "办结", "回访", "销号", "重办", NULL};
const char *const tier_names[TIER__COUNT + 1] = {IMMEDIATE, "scheduled", "long_term", "explain", NULL};
const char *const tier_names_zh[TIER__COUNT + 1] = {"即知即办", "限期办结", "长期推进", "解释疏导", NULL};
const char *const tier_immediate_names[2] = {IMMEDIATE, NULL};
const char *const urgency_names[URG__COUNT + 1] = {"urgent", "normal", "complex", NULL};
const char *const urgency_names_zh[URG__COUNT + 1] = {"紧急", "一般", "复杂", NULL};
const char *const outcome_names[OUT__COUNT + 1] = {"", "resolved", "explained", NULL};
const char *const outcome_names_zh[OUT__COUNT + 1] = {"", "已解决", "解释疏导", NULL};
const char *const satisfaction_names[SAT__COUNT + 1] = {"", "satisfied", "basic", "unsatisfied", "unreachable", NULL};
const char *const satisfaction_names_zh[SAT__COUNT + 1] = {"", "满意", "基本满意", "不满意", "联系不上", NULL};
const char *const channel_names[CH__COUNT + 1] = {"", "online", "phone", "in_person", NULL};
const char *const channel_names_zh[CH__COUNT + 1] = {"", "群众网上评价", "电话回访", "当面回访", NULL};
const char *const attempt_outcome_names[ATT__COUNT + 1] = {"verdict", "unreachable", NULL};
const char *const attempt_outcome_names_zh[ATT__COUNT + 1] = {"已评价", "联系不上", NULL};
const char *const task_sort_names[TSORT__COUNT + 1] = {"deadline", "updated", "state", NULL};
#undef IMMEDIATE
_Static_assert(TIER_IMMEDIATE == 0, "TIER_TASK_NAMES is tier_names without its first entry");
_Static_assert(OUT_NONE == 0 && SAT_NONE == 0, "the unset outcome and verdict come first");


const char *task_state_name(enum task_state s) { return (unsigned)s < TS__COUNT ? task_state_names[s] : "?"; }
const char *task_state_zh(enum task_state s) { return (unsigned)s < TS__COUNT ? task_state_names_zh[s] : "?"; }
int task_state_parse(const char *s) { return names_find(task_state_names, TS__COUNT, s); }
const char *task_action_name(enum task_action a) { return (unsigned)a < TA__COUNT ? task_action_names[a] : "?"; }
const char *task_action_zh(enum task_action a) { return (unsigned)a < TA__COUNT ? task_action_names_zh[a] : "?"; }
int task_action_parse(const char *s) { return names_find(task_action_names, TA__COUNT, s); }
const char *tier_name(enum tier t) { return (unsigned)t < TIER__COUNT ? tier_names[t] : "?"; }
int tier_parse(const char *s) { return names_find(tier_names, TIER__COUNT, s); }
const char *urgency_name(enum urgency u) { return (unsigned)u < URG__COUNT ? urgency_names[u] : "?"; }
int urgency_parse(const char *s) { return names_find(urgency_names, URG__COUNT, s); }
const char *outcome_name(enum outcome o) { return (unsigned)o < OUT__COUNT ? outcome_names[o] : ""; }
int outcome_parse(const char *s) { return names_find(outcome_names, OUT__COUNT, s); }
const char *satisfaction_name(enum satisfaction s) { return (unsigned)s < SAT__COUNT ? satisfaction_names[s] : ""; }
int satisfaction_parse(const char *s) { return names_find(satisfaction_names, SAT__COUNT, s); }
const char *channel_name(enum verdict_channel c) { return (unsigned)c < CH__COUNT ? channel_names[c] : ""; }
const char *channel_zh(enum verdict_channel c) { return (unsigned)c < CH__COUNT ? channel_names_zh[c] : ""; }
int task_sort_parse(const char *s) { return names_find(task_sort_names, TSORT__COUNT, s); }
int channel_parse(const char *s) { return names_find(channel_names, CH__COUNT, s); }
const char *attempt_outcome_name(enum attempt_outcome o) { return (unsigned)o < ATT__COUNT ? attempt_outcome_names[o] : "?"; }
const char *attempt_outcome_zh(enum attempt_outcome o) { return (unsigned)o < ATT__COUNT ? attempt_outcome_names_zh[o] : "?"; }

/* --- the descriptor -------------------------------------------------------------------------- */

const struct machine task_machine = {
	.kind = "task",
	.zh = "任务",
	.nstates = TS__COUNT,
	.state_names = task_state_names,
	.state_zh = task_state_names_zh,
	.state_flags = state_flags,
	.nactions = TA__COUNT,
	.action_names = task_action_names,
	.action_zh = task_action_names_zh,
	.actions = actions,
	.transitions = table,
	.ntransitions = (int)(sizeof table / sizeof table[0]),
	.size = sizeof(struct task),
	.state_off = offsetof(struct task, state),
	.deadline_off = offsetof(struct task, dl),
	.urgency_off = offsetof(struct task, urgency),
	.cols = cols,
	.ncols = (int)(sizeof cols / sizeof cols[0]),
};
