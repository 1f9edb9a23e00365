/* problem.h — problems (the problem list): states, sources, and validation of what a resident
 * or cadre reports (phone numbers, ID numbers).  Pure. */
#ifndef QD_PROBLEM_H
#define QD_PROBLEM_H

/* The one vocabulary of problem states and sources: code names indexed by the enum,
 * NULL-terminated (usable as a route parameter's enum list), and their Chinese labels.  The store
 * writes these names into problem.state / problem.source. */
enum problem_state {
	PS_NEW,      /* 待研判: not yet triaged */
	PS_ASSIGNED, /* 已交办: linked to a task (its public status is the task's) */
	PS_MERGED,   /* 已合并: a duplicate of another problem */
	PS_DECLINED, /* 不予受理: outside scope, the reason shown to the resident */
	PS__COUNT
};

enum problem_source {
	PSRC_VISIT,   /* 入户走访 */
	PSRC_WEB,     /* 网上反映 (a resident's own account) */
	PSRC_HOTLINE, /* 热线电话 */
	PSRC_MEETING, /* 会议收集 */
	PSRC_IMPORT,  /* 批量导入 */
	PSRC__COUNT
};

/* What triage (and task-making) does to a problem: each is the event "problem.<name>" in its
 * timeline.  classify sets or changes its category while it is new; merge links it to the master
 * item it duplicates; decline refuses it with a reason; link joins it to a task. */
enum problem_action {
	PA_CLASSIFY, /* 研判分类 */
	PA_MERGE,    /* 合并为重复 */
	PA_DECLINE,  /* 不予受理 */
	PA_LINK,     /* 立项交办 */
	PA__COUNT
};

extern const char *const problem_states[PS__COUNT + 1];     /* new assigned merged declined */
extern const char *const problem_states_zh[PS__COUNT + 1];
extern const char *const problem_sources[PSRC__COUNT + 1];  /* visit web hotline meeting import */
extern const char *const problem_sources_zh[PSRC__COUNT + 1];
extern const char *const problem_actions[PA__COUNT + 1];    /* classify merge decline link */
extern const char *const problem_actions_zh[PA__COUNT + 1];

/* The orders a problem list may be read in (GET /problems?sort=, the API's and the page's): the
 * newest recorded first (the default), the oldest first, by state (in the enum's order: new,
 * assigned, merged, declined; the newest first within a state). */
enum problem_sort { PSORT_NEWEST, PSORT_OLDEST, PSORT_STATE, PSORT__COUNT };
extern const char *const problem_sort_names[PSORT__COUNT + 1]; /* newest oldest state */

/* Code name of a state / source; NULL when out of range.  Static storage. */
const char *problem_state_name(enum problem_state s);
const char *problem_source_name(enum problem_source s);
const char *problem_action_name(enum problem_action a);
/* The state / source named s; -1 when s is NULL or not a name. */
int problem_state_parse(const char *s);
int problem_source_parse(const char *s);
int problem_action_parse(const char *s);

/* 1 if s is a plausible phone number: a mobile (11 digits, 1[3-9]…) or a landline
 * (0 + area code + 7–8 digits), allowing spaces, dashes, a +86/86 prefix, full-width digits. */
int problem_phone_valid(const char *s);
/* The digits that identify a valid phone number s (its +86 / 86 prefix dropped) into out
 * (≥ 16 bytes): the same for every way of writing it.  0, or -1 when s is not valid. */
int problem_phone_key(const char *s, char out[16]);
/* 1 if s is a resident ID number: 18 characters with a valid GB 11643 check digit. */
int problem_idno_valid(const char *s);

#endif
