/* machine.h — the one machine type: every kind of item that moves through states (tasks today;
 * disputes, projects, contracts, patrols and inspection findings next) is a descriptor of this
 * type, never a copy of the task code.  Pure: no I/O.
 *
 * A descriptor (struct machine) says, for one kind:
 *   - its states: code name, Chinese label, whether the clock runs (open) or the item is done;
 *   - its actions: code name, Chinese label, the right the actor needs (core/role.h), whether
 *     that right must cover the handling unit (not just the origin), the body the action takes
 *     (a core/param.h spec: fields, types, bounds, required), and NAMED guard, check and effect
 *     functions — no switch over actions anywhere;
 *   - its transitions (from, action) → to, with the Chinese help;
 *   - where the state, the deadline block (core/deadline.h) and the urgency sit in the kind's
 *     struct, and its columns (name → offset + type), from which the store loads and saves
 *     items generically (store/item.h).
 *
 * The generic functions answer for every kind: machine_may (may this actor take this action
 * now?), machine_allowed (the bitmask of all such actions — the API's `actions`), machine_act
 * (state → right and scope → guard → body against the action's spec → check → effects) and the
 * names.  The web dispatcher validates a request body against machine_action_body() before the
 * handler runs (shape only; required fields are checked by machine_act after state and right,
 * so a refused actor learns nothing about the body).
 *
 * Adding a kind: write its struct (with a struct deadline when it has a clock), its state and
 * action name tables, one struct machine_action per action (prefer the generic effects below),
 * its transitions and columns, and a store kind (store/item.h) naming its table. */
#ifndef QD_CORE_MACHINE_H
#define QD_CORE_MACHINE_H
#include "base/err.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/param.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Who acts, as far as a machine needs to know.  The caller computes the rights whose scope
 * covers the item: rights_any covers its origin or handling unit, rights_handling covers its
 * handling unit. */
struct machine_actor {
	int64_t user_id;
	unsigned rights_any;
	unsigned rights_handling;
};

/* What an action's effects may use besides the item and the body. */
struct machine_ctx {
	const struct calendar *cal;
	const struct urgency_limit *limits; /* [URG__COUNT] */
	int32_t today;                      /* the acting day */
	const struct machine_actor *actor;  /* who acts: set by machine_act itself (the callers'
					     * value is ignored), so an effect may record them */
};

struct machine;

/* A guard or check: 0 to let the action pass, or -1 with err (QD_ECONFLICT, QD_EPERM or
 * QD_EINVAL, naming the field).  A guard runs before the body is looked at; body is NULL when
 * the machine only lists what is allowed.  A check runs after the body passed the spec. */
typedef int (*machine_guard_fn)(const struct machine *m, const void *item, const struct machine_actor *actor,
				const json_t *body, struct qd_err *err);
/* An effect changes the (copied) item; the new state is already set when it runs. */
typedef void (*machine_effect_fn)(const struct machine *m, void *item, const json_t *body,
				  const struct machine_ctx *c);

enum { MS_OPEN = 1u << 0, /* the clock runs: overdue once past the deadline */
       MS_DONE = 1u << 1  /* completed: late when completed after the deadline */ };

#define MACHINE_EFFECTS 3
/* Bytes of an event kind "<kind>.<action>" with its NUL (machine_check holds every kind to it). */
#define MACHINE_EVENT_KIND_MAX 64

struct machine_action {
	unsigned right;           /* enum right bit the actor needs */
	int on_handling_unit;     /* the right must cover the handling unit */
	const struct param *body; /* the fields it takes, NULL-name terminated (never NULL) */
	machine_guard_fn guard;   /* NULL = none */
	machine_guard_fn check;   /* NULL = none */
	machine_effect_fn effects[MACHINE_EFFECTS]; /* run in order; unused slots NULL */
};

struct machine_transition {
	int from;
	int action;
	int to;
	const char *help_zh;
};

/* Column types of a kind's struct, as the store reads and writes them. */
enum machine_col_type {
	MC_ID,    /* int64_t; 0 ⇄ NULL */
	MC_INT,   /* int; an integer (dflt when NULL) */
	MC_DATE,  /* int32_t day number; 0 ⇄ NULL, else "YYYY-MM-DD" */
	MC_ENUM,  /* int; by name_of/parse (dflt when unknown) */
	MC_STATE, /* int; by the machine's state names */
};

enum { MC_WRITTEN = 1u << 0, /* an action may change it: saved with every action's event */
       /* machine_allowed or machine_overdue reads it (a guard, the deadline block, the state):
        * a list row carries these columns and no other of the machine's, so every column a
        * guard or overdue reads must say so (tests/unit/test_task.c varies the others and
        * checks the actions and overdue stay the same). */
       MC_DERIVES = 1u << 1 };

struct machine_col {
	const char *name;
	enum machine_col_type type;
	size_t off;
	unsigned flags;
	int dflt;
	const char *const *names; /* MC_ENUM: the enum's NULL-terminated name table (core) */
};

struct machine {
	const char *kind;                /* "task": the entity, its table, events "<kind>.<action>" */
	const char *zh;                  /* "任务" */
	int nstates;
	const char *const *state_names;  /* [nstates] */
	const char *const *state_zh;     /* [nstates] */
	const unsigned char *state_flags;/* [nstates] MS_* */
	int nactions;
	const char *const *action_names; /* [nactions] */
	const char *const *action_zh;    /* [nactions] */
	const struct machine_action *actions; /* [nactions] */
	const struct machine_transition *transitions;
	int ntransitions;
	size_t size;                     /* sizeof the kind's struct */
	size_t state_off;                /* int */
	ptrdiff_t deadline_off;          /* struct deadline, or -1 */
	ptrdiff_t urgency_off;           /* int (enum urgency), or -1: normal */
	const struct machine_col *cols;
	int ncols;
};

/* Check a descriptor is well formed: names for every state and action, every action with a body
 * spec (its fields named, enums listed) and a right, transitions between existing states and
 * actions with no (from, action) twice, at most 32 actions, event kinds "<kind>.<action>" shorter
 * than MACHINE_EVENT_KIND_MAX, offsets and columns inside the struct.
 * 0, or -1 with err (QD_EINTERNAL) saying what is wrong.  For tests of every kind. */
int machine_check(const struct machine *m, struct qd_err *err);

/* The item's state and deadline block (NULL when the kind has none). */
int machine_state(const struct machine *m, const void *item);
struct deadline *machine_deadline(const struct machine *m, void *item);
const struct deadline *machine_deadline_c(const struct machine *m, const void *item);

/* The transition for (state, action), or NULL when the action does not exist in that state. */
const struct machine_transition *machine_transition(const struct machine *m, int state, int action);
/* The body spec of action (never NULL), or NULL when action is out of range. */
const struct param *machine_action_body(const struct machine *m, int action);

/* May actor take action now (the body, if given, only for guards that depend on it — e.g. an
 * exception asked)?  0 yes; -1 with err: QD_EINVAL (no such action), QD_ECONFLICT (not in this
 * state, or a guard), QD_EPERM (right or scope). */
int machine_may(const struct machine *m, const void *item, int action, const struct machine_actor *actor,
		const json_t *body, struct qd_err *err);
/* Bitmask (1u << action) of the actions actor may take on item now (nactions ≤ 32). */
unsigned machine_allowed(const struct machine *m, const void *item, const struct machine_actor *actor);
/* Take action on item: machine_may, the body against the action's spec (NULL body: none given),
 * its check, then the new state and the effects.  On error item is unchanged and err names the
 * field (QD_EINVAL), the state (QD_ECONFLICT) or the right (QD_EPERM). */
int machine_act(const struct machine *m, void *item, int action, const json_t *body,
		const struct machine_actor *actor, const struct machine_ctx *c, struct qd_err *err);
/* Overdue on today, from the deadline block and the state's flags (0 for a kind without one). */
int machine_overdue(const struct machine *m, const void *item, int32_t today);
int machine_is_open(const struct machine *m, int state);

/* Code names and Chinese labels ("?" out of range); parse answers -1 when unknown. */
const char *machine_state_name(const struct machine *m, int state);
const char *machine_state_zh(const struct machine *m, int state);
int machine_state_parse(const struct machine *m, const char *s);
const char *machine_action_name(const struct machine *m, int action);
const char *machine_action_zh(const struct machine *m, int action);
int machine_action_parse(const struct machine *m, const char *s);

/* Generic guards and effects over the deadline block, for any kind's table. */
int machine_guard_extension_left(const struct machine *m, const void *item, const struct machine_actor *actor,
				 const json_t *body, struct qd_err *err);
/* Start the clock from today under the item's urgency limit (deadline_start). */
void machine_fx_start_clock(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c);
/* responded_on = today. */
void machine_fx_respond(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c);
/* completed_on = today; a pending extension request lapses. */
void machine_fx_complete(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c);
/* extension_days = body "days". */
void machine_fx_ask_extension(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c);
/* The deadline moves by the days asked; one extension used. */
void machine_fx_grant_extension(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c);
/* The deadline stays; one extension used (a decided request uses the allowance). */
void machine_fx_deny_extension(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c);

#endif
