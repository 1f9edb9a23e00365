/* task.c — the task state machine as a table, its guards and effects, and the names of states,
 * actions, tiers, urgencies, outcomes and verdicts.  Pure: no I/O. */
#include "core/task.h"
#include "core/role.h"
#include <string.h>

#define H RIGHT_HANDLE
static const struct task_transition table[] = {
	{TS_PENDING, TA_ASSIGN, TS_ASSIGNED, RIGHT_TRIAGE, 0, TF_UNIT | TF_HANDLER | TF_LEADER, "交办"},
	{TS_ASSIGNED, TA_ACCEPT, TS_IN_PROGRESS, H, 1, 0, "签收"},
	{TS_ASSIGNED, TA_RETURN, TS_PENDING, H, 1, TF_REASON, "退回"},
	{TS_IN_PROGRESS, TA_PROGRESS, TS_IN_PROGRESS, H, 1, TF_NOTE, "报告进展"},
	{TS_IN_PROGRESS, TA_REQUEST_EXTENSION, TS_EXTENSION_REQUESTED, H, 1, TF_REASON | TF_DAYS, "申请延期"},
	{TS_IN_PROGRESS, TA_COMPLETE, TS_COMPLETED, H, 1, TF_OUTCOME | TF_NOTE, "办结"},
	{TS_EXTENSION_REQUESTED, TA_PROGRESS, TS_EXTENSION_REQUESTED, H, 1, TF_NOTE, "报告进展"},
	{TS_EXTENSION_REQUESTED, TA_APPROVE_EXTENSION, TS_IN_PROGRESS, RIGHT_EXTENSION, 0, 0, "批准延期"},
	{TS_EXTENSION_REQUESTED, TA_DENY_EXTENSION, TS_IN_PROGRESS, RIGHT_EXTENSION, 0, TF_REASON, "不予延期"},
	{TS_EXTENSION_REQUESTED, TA_COMPLETE, TS_COMPLETED, H, 1, TF_OUTCOME | TF_NOTE, "办结"},
	{TS_COMPLETED, TA_FOLLOW_UP, TS_COMPLETED, RIGHT_FOLLOW_UP, 0, TF_VERDICT, "回访"},
	{TS_COMPLETED, TA_SIGN_OFF, TS_SIGNED_OFF, RIGHT_SIGN_OFF, 0, 0, "销号"},
	{TS_COMPLETED, TA_REOPEN, TS_IN_PROGRESS, RIGHT_REOPEN, 0, TF_REASON, "重办"},
	{TS_SIGNED_OFF, TA_REOPEN, TS_IN_PROGRESS, RIGHT_REOPEN, 0, TF_REASON, "重办（抽查不合格）"},
};
#undef H

const struct task_transition *task_transitions(int *n)
{
	*n = (int)(sizeof table / sizeof table[0]);
	return table;
}

const struct task_transition *task_transition(enum task_state s, enum task_action a)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].from == s && table[i].action == a)
			return &table[i];
	return NULL;
}

void task_default_limits(struct urgency_limit out[URG__COUNT])
{
	out[URG_URGENT] = (struct urgency_limit){1, 3, 0};
	out[URG_NORMAL] = (struct urgency_limit){2, 15, 0};
	out[URG_COMPLEX] = (struct urgency_limit){2, 30, 1};
}

void task_input_init(struct task_input *in)
{
	memset(in, 0, sizeof *in);
	in->urgency = -1;
	in->solved = -1;
	in->progress = -1;
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
		t->assigned_on = t->responded_on = t->completed_on = t->deadline = t->respond_by = today;
		t->progress = 100;
	}
}

int task_is_open(enum task_state s)
{
	return s == TS_ASSIGNED || s == TS_IN_PROGRESS || s == TS_EXTENSION_REQUESTED;
}

int task_is_overdue(const struct task *t, int32_t today)
{
	if (!t->deadline)
		return 0;
	if (task_is_open(t->state))
		return today > t->deadline;
	if (t->state == TS_COMPLETED || t->state == TS_SIGNED_OFF)
		return t->completed_on > t->deadline;
	return 0;
}

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

/* Guards that depend on the task and the actor; fills err on refusal. */
static int guard(const struct task *t, const struct task_transition *tr,
		 const struct task_actor *actor, int want_exception, struct qd_err *err)
{
	switch (tr->action) {
	case TA_REQUEST_EXTENSION:
		if (t->extensions_used >= t->max_extensions)
			return qd_fail(err, QD_ECONFLICT, "action", "该任务的延期次数已用完（允许%d次）",
				       "no extension left for this task (%d allowed)", t->max_extensions,
				       t->max_extensions);
		break;
	case TA_FOLLOW_UP:
		if (actor->user_id && actor->user_id == t->handler_id)
			return qd_fail(err, QD_EPERM, "action", "回访须由承办人以外的人进行",
				       "the follow-up must be made by someone other than the handler");
		break;
	case TA_SIGN_OFF:
		if (want_exception) {
			if (!(actor->rights_any & RIGHT_EXCEPTION))
				return qd_fail(err, QD_EPERM, "exception", "只有督导组成员可按特殊情况销号",
					       "only a supervisor may sign off on an exception");
			if (!exception_possible(t))
				return qd_fail(err, QD_ECONFLICT, "exception",
					       "特殊情况销号须先回访：已有回访结果，或三个不同日期均联系不上",
					       "an exception needs a follow-up first: a verdict, or three "
					       "unreachable attempts on different days");
		} else if (!sat_ok(t)) {
			if ((actor->rights_any & RIGHT_EXCEPTION) && exception_possible(t))
				break; /* allowed, but only with exception + reason; act() checks */
			return qd_fail(err, QD_ECONFLICT, "action",
				       "群众评价为满意或基本满意后方可销号",
				       "sign-off needs a satisfied or basically satisfied verdict");
		}
		break;
	case TA_REOPEN:
		if (tr->from == TS_COMPLETED && !(t->followed_up && (t->satisfaction == SAT_UNSATISFIED ||
								      t->solved == 0)))
			return qd_fail(err, QD_ECONFLICT, "action",
				       "仅在群众评价为不满意或未解决时可重办",
				       "reopen needs an unsatisfied or unsolved verdict");
		break;
	default:
		break;
	}
	return 0;
}

static int may(const struct task *t, enum task_action a, const struct task_actor *actor,
	       int want_exception, struct qd_err *err)
{
	if ((unsigned)a >= TA__COUNT)
		return qd_fail(err, QD_EINVAL, "action", "未知的操作", "unknown action");
	const struct task_transition *tr = task_transition(t->state, a);
	if (!tr)
		return qd_fail(err, QD_ECONFLICT, "action", "任务当前状态（%s）不能进行“%s”",
			       "action '%s' is not allowed while the task is %s", task_state_zh(t->state),
			       task_action_zh(a), task_action_name(a), task_state_name(t->state));
	unsigned rights = tr->on_handling_unit ? actor->rights_handling : actor->rights_any;
	if (!(rights & tr->right))
		return qd_fail(err, QD_EPERM, "action", "您没有对该任务进行“%s”的权限",
			       "you may not '%s' this task", task_action_zh(a), task_action_name(a));
	return guard(t, tr, actor, want_exception, err);
}

int task_may(const struct task *t, enum task_action a, const struct task_actor *actor,
	     struct qd_err *err)
{
	return may(t, a, actor, 0, err);
}

unsigned task_allowed(const struct task *t, const struct task_actor *actor)
{
	unsigned m = 0;
	for (int a = 0; a < TA__COUNT; a++)
		if (may(t, (enum task_action)a, actor, 0, NULL) == 0)
			m |= 1u << a;
	return m;
}

static int need(const struct task_input *in, unsigned fields, struct qd_err *err)
{
	if ((fields & TF_NOTE) && (!in->note || !*in->note))
		return qd_fail(err, QD_EINVAL, "note", "请填写说明", "note is required");
	if ((fields & TF_REASON) && (!in->reason || !*in->reason))
		return qd_fail(err, QD_EINVAL, "reason", "请填写理由", "reason is required");
	if ((fields & TF_UNIT) && in->unit_id <= 0)
		return qd_fail(err, QD_EINVAL, "unit_id", "请选择责任单位", "unit_id is required");
	if ((fields & TF_HANDLER) && in->handler_id <= 0)
		return qd_fail(err, QD_EINVAL, "handler_id", "请选择责任人", "handler_id is required");
	if ((fields & TF_LEADER) && in->leader_id <= 0)
		return qd_fail(err, QD_EINVAL, "leader_id", "请选择包保领导", "leader_id is required");
	if ((fields & TF_OUTCOME) && in->outcome != OUT_RESOLVED && in->outcome != OUT_EXPLAINED)
		return qd_fail(err, QD_EINVAL, "outcome", "请选择办结方式（已解决/解释疏导）",
			       "outcome is required: resolved or explained");
	if ((fields & TF_DAYS) && (in->days < 1 || in->days > 60))
		return qd_fail(err, QD_EINVAL, "days", "延期天数须为1至60个工作日",
			       "days must be 1 to 60 working days");
	if (fields & TF_VERDICT) {
		if (in->satisfaction < SAT_SATISFIED || in->satisfaction > SAT_UNREACHABLE)
			return qd_fail(err, QD_EINVAL, "satisfaction",
				       "请选择满意度（满意/基本满意/不满意/联系不上）",
				       "satisfaction is required: satisfied, basic, unsatisfied or unreachable");
		if (in->satisfaction != SAT_UNREACHABLE && in->solved != 0 && in->solved != 1)
			return qd_fail(err, QD_EINVAL, "solved", "请填写群众认为问题是否已解决",
				       "solved is required (true or false)");
	}
	return 0;
}

int task_act(struct task *t, enum task_action a, const struct task_input *in,
	     const struct task_actor *actor, const struct calendar *cal,
	     const struct urgency_limit limits[URG__COUNT], int32_t today, struct qd_err *err)
{
	if (may(t, a, actor, in->exception, err))
		return -1;
	const struct task_transition *tr = task_transition(t->state, a);
	if (need(in, tr->fields, err))
		return -1;
	if (in->urgency != -1 && (in->urgency < 0 || in->urgency >= URG__COUNT))
		return qd_fail(err, QD_EINVAL, "urgency", "紧急程度无效", "urgency is invalid");
	if (in->progress != -1 && (in->progress < 0 || in->progress > 100))
		return qd_fail(err, QD_EINVAL, "progress", "进度须为0至100", "progress must be 0 to 100");
	if (a == TA_SIGN_OFF && !sat_ok(t) && !in->exception)
		return qd_fail(err, QD_ECONFLICT, "exception",
			       "群众评价未达满意，须按特殊情况销号并说明理由",
			       "no satisfied verdict: sign off as an exception with a reason");
	if (a == TA_SIGN_OFF && in->exception && (!in->reason || !*in->reason))
		return qd_fail(err, QD_EINVAL, "reason", "特殊情况销号须说明理由",
			       "an exception needs a reason");

	struct task n = *t;
	n.state = tr->to;
	switch (a) {
	case TA_ASSIGN: {
		if (in->urgency >= 0)
			n.urgency = (enum urgency)in->urgency;
		const struct urgency_limit *l = &limits[n.urgency];
		n.unit_id = in->unit_id;
		n.handler_id = in->handler_id;
		n.leader_id = in->leader_id;
		n.assigned_on = today;
		n.respond_by = calendar_add_workdays(cal, today, l->respond);
		n.deadline = calendar_add_workdays(cal, today, l->complete);
		n.max_extensions = l->max_extensions;
		n.responded_on = 0;
		break;
	}
	case TA_ACCEPT:
		n.responded_on = today;
		break;
	case TA_RETURN:
		n.responded_on = today;
		n.unit_id = n.handler_id = 0;
		n.deadline = n.respond_by = 0;
		break;
	case TA_PROGRESS:
		if (in->progress >= 0)
			n.progress = in->progress;
		break;
	case TA_REQUEST_EXTENSION:
		n.extension_days = in->days;
		break;
	case TA_APPROVE_EXTENSION:
		n.deadline = calendar_add_workdays(cal, n.deadline, n.extension_days);
		n.extensions_used++;
		n.extension_days = 0;
		break;
	case TA_DENY_EXTENSION:
		n.extension_days = 0;
		n.extensions_used++; /* a decided request uses the allowance, granted or not */
		break;
	case TA_COMPLETE:
		n.outcome = (enum outcome)in->outcome;
		n.completed_on = today;
		n.extension_days = 0;
		n.progress = 100;
		break;
	case TA_FOLLOW_UP:
		n.followed_up = 1;
		if (in->satisfaction == SAT_UNREACHABLE) {
			if (today != n.last_unreachable_on) {
				n.unreachable_days++;
				n.last_unreachable_on = today;
			}
			if (n.satisfaction == SAT_NONE)
				n.satisfaction = SAT_UNREACHABLE;
		} else {
			n.satisfaction = (enum satisfaction)in->satisfaction;
			n.solved = in->solved;
		}
		break;
	case TA_SIGN_OFF:
		n.signed_off_on = today;
		n.exception = in->exception ? 1 : 0;
		break;
	case TA_REOPEN:
		if (in->urgency >= 0)
			n.urgency = (enum urgency)in->urgency;
		n.reopen_count++;
		n.outcome = OUT_NONE;
		n.solved = -1;
		n.satisfaction = SAT_NONE;
		n.followed_up = 0;
		n.unreachable_days = 0;
		n.last_unreachable_on = 0;
		n.completed_on = n.signed_off_on = 0;
		n.exception = 0;
		n.progress = 0; /* the handler reports progress anew */
		n.deadline = calendar_add_workdays(cal, today, limits[n.urgency].complete);
		break;
	default:
		break;
	}
	*t = n;
	return 0;
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
#undef IMMEDIATE
_Static_assert(TIER_IMMEDIATE == 0, "TIER_TASK_NAMES is tier_names without its first entry");
_Static_assert(OUT_NONE == 0 && SAT_NONE == 0, "the unset outcome and verdict come first");

static int parse(const char *const *names, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (names[i][0] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *task_state_name(enum task_state s) { return (unsigned)s < TS__COUNT ? task_state_names[s] : "?"; }
const char *task_state_zh(enum task_state s) { return (unsigned)s < TS__COUNT ? task_state_names_zh[s] : "?"; }
int task_state_parse(const char *s) { return parse(task_state_names, TS__COUNT, s); }
const char *task_action_name(enum task_action a) { return (unsigned)a < TA__COUNT ? task_action_names[a] : "?"; }
const char *task_action_zh(enum task_action a) { return (unsigned)a < TA__COUNT ? task_action_names_zh[a] : "?"; }
int task_action_parse(const char *s) { return parse(task_action_names, TA__COUNT, s); }
const char *tier_name(enum tier t) { return (unsigned)t < TIER__COUNT ? tier_names[t] : "?"; }
int tier_parse(const char *s) { return parse(tier_names, TIER__COUNT, s); }
const char *urgency_name(enum urgency u) { return (unsigned)u < URG__COUNT ? urgency_names[u] : "?"; }
int urgency_parse(const char *s) { return parse(urgency_names, URG__COUNT, s); }
const char *outcome_name(enum outcome o) { return (unsigned)o < OUT__COUNT ? outcome_names[o] : ""; }
int outcome_parse(const char *s) { return parse(outcome_names, OUT__COUNT, s); }
const char *satisfaction_name(enum satisfaction s) { return (unsigned)s < SAT__COUNT ? satisfaction_names[s] : ""; }
int satisfaction_parse(const char *s) { return parse(satisfaction_names, SAT__COUNT, s); }
