/* problem.h — problems (the problem list) in the store: intake, merge, decline, classify, lists, and the
 * audited read of a reporter's personal data. */
#ifndef QD_STORE_PROBLEM_H
#define QD_STORE_PROBLEM_H
#include "store/list.h"
#include "store/store.h"

struct problem_new {
	int64_t unit_id;       /* village / group where it was raised */
	int64_t category_id;   /* 0 = not yet classified */
	const char *source;    /* visit web hotline meeting import */
	const char *description;
	const char *name, *phone, *id_no, *address; /* reporter's personal data (NULL = none) */
	int anonymous, no_disclose;
	int64_t visit_id;
};

/* One problem as JSON (with unit_name, category_name), or NULL. */
json_t *store_problem_get(struct store_rd *rd, int64_t id);
/* Page of problems (newest first) matching f; *more = 1 when more follow; *total when f->count. */
json_t *store_problem_list(struct store_rd *rd, const struct list_filter *f, int *more, int64_t *total);
/* The dispatcher's triage queue: the new problems where f's grants carry f->right (and under
 * f->unit_path when set), oldest first, a page of f->limit from f->offset; *more and *total as
 * store_problem_list.  NULL when the query fails (logged). */
json_t *store_triage_queue(struct store_rd *rd, const struct list_filter *f, int *more, int64_t *total);
/* The problems raised at the unit whose path is unit_path (that unit, not its subtree) and
 * created between from and to (milliseconds, inclusive), oldest first — in every state, or with
 * only_new only the new ones (through the partial index of migration 10: the triage queue's
 * candidates, a few dozen where every state's are ~1,400 at 1,000,000 tasks): the candidates
 * for a problem's likely duplicates (core/similar.h scores their masked text), each as its id
 * and description alone (store_problem_get reads one whole).  Not confined to a scope: the caller
 * sees the unit already.  A new array, or NULL when the query fails (logged). */
json_t *store_problem_nearby(struct store_rd *rd, const char *unit_path, int64_t from, int64_t to, int only_new);
/* One problem as store_problem_get reads it, and where its merge chain ends (a duplicate of a
 * duplicate followed to the end): master_id, the problem it ends at (null when it is not
 * merged); master_task_id, the task gathering that master (null when none, or not merged);
 * task_state, the state of the task gathering it — its own or its master's: its public status
 * (null when none).  NULL when there is no such problem or the query fails (logged). */
json_t *store_problem_get_linked(struct store_rd *rd, int64_t id);
/* The problems merged into a task's problems, through every step of their chains (their
 * residents get the task's follow-up too), by id; merged_into names each one's own master.  A
 * new array, or NULL when the query fails (logged). */
json_t *store_task_duplicates(struct store_rd *rd, int64_t task_id);
/* The problem's own events (problem.create, .classify, .merge, .decline, .link: core/problem.h
 * problem_actions), oldest first, as store/item.h store_item_history gives an item's: seq, at,
 * actor_id, actor_name (masked for a resident), kind; a classify also its category_id.  A new
 * array, or NULL when the query fails (logged). */
json_t *store_problem_history(struct store_rd *rd, int64_t id);
/* Problems gathered by a task (a new array), or NULL when the query fails (logged). */
json_t *store_task_problems(struct store_rd *rd, int64_t task_id);

#endif
