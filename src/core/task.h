/* task.h — tasks and their state machine (SPEC §3), written as a table.  Pure: no I/O.
 *
 *   pending ─assign→ assigned ─accept→ in_progress ─complete→ completed ─sign_off→ signed_off
 *   assigned ─return(reason)→ pending
 *   in_progress ─progress→ in_progress;  ─request_extension→ extension_requested
 *   extension_requested ─approve_extension / deny_extension→ in_progress; ─progress→ itself;
 *                       ─complete→ completed (the pending request lapses)
 *   Every decided extension request (approved or denied) uses one of the urgency's allowance;
 *   a reopen resets the verdict and progress and sets a new deadline.
 *   completed ─follow_up(verdict)→ completed;  ─reopen→ in_progress (new deadline)
 *   Each follow_up is an attempt (counted; its channel and outcome in the event).  A resident's
 *   own online verdict is final for its round (a later follow_up: 409); whoever recorded
 *   another verdict may not sign off (403); reopen starts a new round.
 *   signed_off ─reopen (failed spot-check)→ in_progress
 *
 * The task machine is the first instance of the machine type (core/machine.h): task.c holds its
 * descriptor, task_machine — states, actions (right, scope, body spec, named guards, checks and
 * effects), transitions and columns.  Deadlines are the shared block of core/deadline.h.  The
 * functions below are the task's names for the generic ones, plus task_act for C callers
 * (demo, tests) with a typed struct task_input instead of a JSON body. */
#ifndef QD_TASK_H
#define QD_TASK_H
#include "base/err.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/machine.h"
#include <stdint.h>

enum task_state {
	TS_PENDING,
	TS_ASSIGNED,
	TS_IN_PROGRESS,
	TS_EXTENSION_REQUESTED,
	TS_COMPLETED,
	TS_SIGNED_OFF,
	TS__COUNT
};

enum task_action {
	TA_ASSIGN,
	TA_ACCEPT,
	TA_RETURN,
	TA_PROGRESS,
	TA_REQUEST_EXTENSION,
	TA_APPROVE_EXTENSION,
	TA_DENY_EXTENSION,
	TA_COMPLETE,
	TA_FOLLOW_UP,
	TA_SIGN_OFF,
	TA_REOPEN,
	TA__COUNT
};

enum tier { TIER_IMMEDIATE, TIER_SCHEDULED, TIER_LONG_TERM, TIER_EXPLAIN, TIER__COUNT };
enum outcome { OUT_NONE, OUT_RESOLVED, OUT_EXPLAINED };
enum satisfaction { SAT_NONE, SAT_SATISFIED, SAT_BASIC, SAT_UNSATISFIED, SAT_UNREACHABLE };
/* How a verdict was taken (issue 9): the resident themself online, or by staff on a follow-up
 * call or in person.  A resident's own online verdict is final for its round; whoever recorded
 * another verdict may not sign the task off. */
enum verdict_channel { CH_NONE, CH_ONLINE, CH_PHONE, CH_IN_PERSON };
/* What one follow-up attempt found: a verdict given, or the resident unreachable. */
enum attempt_outcome { ATT_VERDICT, ATT_UNREACHABLE, ATT__COUNT };

/* The state of one task as the machine sees it (the store keeps more: title, measures …). */
struct task {
	int64_t id;
	enum task_state state;
	enum tier tier;
	enum urgency urgency;
	int64_t origin_unit_id; /* where the problems were raised */
	int64_t unit_id;        /* handling unit (0 until assigned) */
	int64_t handler_id;     /* responsible person (user id) */
	int64_t leader_id;      /* leader in charge (user id) */
	struct deadline dl;     /* assigned, respond-by, deadline, responded, completed, extensions */
	int32_t signed_off_on;  /* day number; 0 = not set */
	enum outcome outcome;
	int solved;             /* resident says solved: -1 not asked, 0 no, 1 yes */
	enum satisfaction satisfaction;
	int unreachable_days;   /* distinct days a follow-up found the resident unreachable */
	int32_t last_unreachable_on;
	int followed_up;        /* a verdict (or an unreachable attempt) has been recorded */
	int64_t verdict_by;     /* who recorded this round's verdict (user id; 0 = none yet) */
	enum verdict_channel verdict_channel; /* how (CH_NONE until a verdict) */
	int follow_up_attempts; /* follow-ups made in this round (verdicts and unreachable) */
	int progress;           /* percent, long-term tasks */
	int reopen_count;
	int exception;          /* signed off on a documented exception */
};

/* Input of one action; unset fields are NULL / 0 / -1 as noted. */
struct task_input {
	const char *note;      /* free text (progress, complete, follow-up) */
	const char *reason;    /* return, deny, reopen, extension request, exception */
	int64_t unit_id;       /* assign */
	int64_t handler_id;    /* assign */
	int64_t leader_id;     /* assign */
	int urgency;           /* assign / reopen: enum urgency, -1 = keep */
	int outcome;           /* complete: enum outcome, 0 = unset */
	int days;              /* request_extension: working days asked, 0 = unset */
	int solved;            /* follow_up: -1 unset, 0, 1 */
	int satisfaction;      /* follow_up: enum satisfaction, 0 = unset */
	int channel;           /* follow_up: enum verdict_channel, 0 = unset (online for a resident,
				* phone for staff) */
	int exception;         /* sign_off: 1 = on a documented exception (reason required) */
	int progress;          /* progress: percent, -1 unset */
};

/* The task machine (core/machine.h); its items are struct task. */
extern const struct machine task_machine;

/* The transition for (state, action), or NULL when the action does not exist in that state. */
const struct machine_transition *task_transition(enum task_state s, enum task_action a);
/* All transitions, *n receives the count (static storage). */
const struct machine_transition *task_transitions(int *n);

/* May actor take action a on t now (ignoring the input)?  0 yes; -1 with err:
 * QD_ECONFLICT (not in this state or a guard fails), QD_EPERM (right or scope). */
int task_may(const struct task *t, enum task_action a, const struct machine_actor *actor,
	     struct qd_err *err);
/* Bitmask (1u << action) of the actions actor may take on t now. */
unsigned task_allowed(const struct task *t, const struct machine_actor *actor);

/* machine_act on the task machine with in as the body (only the fields action takes; unset
 * members are left out).  today is the acting day.  On error t is unchanged and err names the
 * field (QD_EINVAL), the state (QD_ECONFLICT) or the right (QD_EPERM). */
int task_act(struct task *t, enum task_action a, const struct task_input *in,
	     const struct machine_actor *actor, const struct calendar *cal,
	     const struct urgency_limit limits[URG__COUNT], int32_t today, struct qd_err *err);

/* Initialise a new task (pending; for TIER_IMMEDIATE: completed/resolved on `today`). */
void task_init(struct task *t, enum tier tier, enum urgency u, int64_t origin_unit_id,
	       int32_t today);
/* Overdue is derived, never stored: open (assigned, in progress, extension asked) and past
 * the deadline on `today`, or completed after the deadline. */
int task_is_overdue(const struct task *t, int32_t today);
int task_is_open(enum task_state s);

/* deadline_default_limits. */
void task_default_limits(struct urgency_limit out[URG__COUNT]);
void task_input_init(struct task_input *in);
/* The body of action a from in: a new JSON object with the members of in that a takes (caller
 * owns).  Values out of range are kept recognisably invalid so the spec refuses them. */
json_t *task_input_body(enum task_action a, const struct task_input *in);

/* The names: code names ("in_progress") indexed by the enum and NULL-terminated, so that each
 * array is a route parameter's enum list as it stands; Chinese labels indexed the same way.  The
 * unset outcome and verdict (OUT_NONE, SAT_NONE) are named "" — a request names one of the others:
 * the *_GIVEN_NAMES lists.  Subsets of an enum are named here too, never copied. */
enum { OUT__COUNT = OUT_EXPLAINED + 1, SAT__COUNT = SAT_UNREACHABLE + 1 };
extern const char *const task_state_names[TS__COUNT + 1];
extern const char *const task_state_names_zh[TS__COUNT + 1];
extern const char *const task_action_names[TA__COUNT + 1];
extern const char *const task_action_names_zh[TA__COUNT + 1];
extern const char *const tier_names[TIER__COUNT + 1];
extern const char *const tier_names_zh[TIER__COUNT + 1];
extern const char *const tier_immediate_names[2]; /* {"immediate", NULL}: solved on the spot */
/* The tiers a task made by triage may take: all but immediate (tier_names from TIER_SCHEDULED). */
#define TIER_TASK_NAMES (tier_names + TIER_SCHEDULED)
extern const char *const urgency_names[URG__COUNT + 1];
extern const char *const urgency_names_zh[URG__COUNT + 1];
extern const char *const outcome_names[OUT__COUNT + 1];
extern const char *const outcome_names_zh[OUT__COUNT + 1];
#define OUTCOME_GIVEN_NAMES (outcome_names + OUT_RESOLVED) /* resolved explained */
extern const char *const satisfaction_names[SAT__COUNT + 1];
extern const char *const satisfaction_names_zh[SAT__COUNT + 1];
#define SATISFACTION_GIVEN_NAMES (satisfaction_names + SAT_SATISFIED) /* satisfied … unreachable */
enum { CH__COUNT = CH_IN_PERSON + 1 };
extern const char *const channel_names[CH__COUNT + 1];    /* "", online, phone, in_person */
extern const char *const channel_names_zh[CH__COUNT + 1]; /* "", 群众网上评价, 电话回访, 当面回访 */
#define CHANNEL_GIVEN_NAMES (channel_names + CH_ONLINE)
extern const char *const attempt_outcome_names[ATT__COUNT + 1];    /* verdict, unreachable */
extern const char *const attempt_outcome_names_zh[ATT__COUNT + 1]; /* 已评价, 联系不上 */
/* The orders a task list may be read in (GET /tasks?sort=): by deadline (the default: tasks
 * without one first), by the last change (newest first), by state (in the machine's order, then
 * deadline). */
enum task_sort { TSORT_DEADLINE, TSORT_UPDATED, TSORT_STATE, TSORT__COUNT };
extern const char *const task_sort_names[TSORT__COUNT + 1];
/* The order called s, or -1 when unknown. */
int task_sort_parse(const char *s);

/* Code names and Chinese labels of one value; parse returns -1 if unknown (and for ""). */
const char *task_state_name(enum task_state s);
const char *task_state_zh(enum task_state s);
int task_state_parse(const char *s);
const char *task_action_name(enum task_action a);
const char *task_action_zh(enum task_action a);
int task_action_parse(const char *s);
const char *tier_name(enum tier t);
int tier_parse(const char *s);
const char *urgency_name(enum urgency u);
int urgency_parse(const char *s);
const char *outcome_name(enum outcome o);
int outcome_parse(const char *s);
const char *satisfaction_name(enum satisfaction s);
int satisfaction_parse(const char *s);
const char *channel_name(enum verdict_channel c);
const char *channel_zh(enum verdict_channel c);
int channel_parse(const char *s);
const char *attempt_outcome_name(enum attempt_outcome o);
const char *attempt_outcome_zh(enum attempt_outcome o);
/* The channel a follow-up with this body (channel given or not) by this actor records: the one
 * given, else online for a resident and phone for staff. */
enum verdict_channel task_follow_up_channel(const struct machine_actor *actor, const char *given);
/* 1 when the actor is a resident over the item (the own right without the read right). */
int task_actor_resident(const struct machine_actor *actor);

#endif
