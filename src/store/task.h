/* task.h (store) — tasks (the task list) in the store: creation from problems, actions through
 * the state machine of core/task.h, lists, one task, its history from the event log. */
#ifndef QD_STORE_TASK_H
#define QD_STORE_TASK_H
#include "core/role.h"
#include "core/task.h"
#include "store/item.h"
#include "store/list.h"
#include "store/store.h"
#include "base/row.h"
#include "base/buf.h"

struct task_new {
	const char *title;
	int title_cut;                 /* > 0: the title is the first title_cut characters of its masked form */
	const char *measures;
	enum tier tier;
	enum urgency urgency;
	int64_t category_id;           /* 0 = from the first problem */
	const int64_t *problem_ids;
	int nproblems;
	int64_t handler_id;            /* immediate tier: who solved it on the spot */
	int64_t unit_id;               /* immediate tier: the handling unit */
};

/* The task kind of the generic store (store/item.h): table task, scope origin_path/unit_path,
 * the assignment hook (unit, handler and leader exist and fit; unit_path follows). */
extern const struct store_kind task_kind;

/* Read a task's machine state and its scope paths (origin, handling; ≥ 128 bytes each). */
int store_task_read(struct store_rd *rd, int64_t id, struct task *t, char *origin_path, char *unit_path,
		    struct qd_err *err);
/* Machine state from a row returned by the task queries (a JSON object or a list row). */
void store_task_from_row(const struct row *row, struct task *t);
json_t *store_task_get(struct store_rd *rd, int64_t id);
/* How a list is written straight to JSON text, the hot path of the task list (no intermediate
 * JSON objects): write() appends one row as a JSON value and returns 1, or 0 when it writes
 * nothing (a row the caller may not see). */
struct row_writer {
	void *ctx;
	int (*write)(void *ctx, const struct row *row, struct buf *out);
};

/* Page of tasks sorted by deadline, written to out as a JSON array; *more = 1 when more follow;
 * *total when f->count.  0 or -1 (database error). */
int store_task_list(struct store_rd *rd, const struct list_filter *f, const struct row_writer *w,
		    struct buf *out, int *more, int64_t *total);
/* The task's events (history), oldest first; notes and reasons in their masked form
 * (store_item_history); NULL when the query fails. */
json_t *store_task_history(struct store_rd *rd, int64_t id);

#endif
