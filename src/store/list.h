/* list.h — the filters of the problem, task and visit lists, as the layers above the store fill
 * them (web/api_list.c from the query string): plain values, no SQL.  The store turns them into
 * WHERE clauses (store/filter.h, private) and confines every list to the caller's scope. */
#ifndef QD_STORE_LIST_H
#define QD_STORE_LIST_H
#include "core/role.h"
#include <stdint.h>

struct list_filter {
	/* scope */
	const struct grant *grants;
	int ngrants;
	unsigned right;          /* grants carrying this right define the scope */
	int64_t own_user;        /* resident: only items they created */
	/* filters (0 / NULL = none) */
	const char *unit_path;   /* subtree of this unit */
	const char *state;
	int64_t category_id;     /* this category or its children */
	const char *tier;
	int overdue;             /* 1: only overdue (tasks) */
	const char *due_before;  /* YYYY-MM-DD: deadline ≤ this (tasks) */
	const char *q;           /* text: FTS5 trigram (≥ 3 chars) or substring (masked text only) */
	const char *phone_hash;  /* problems: the reporter's phone by its keyed hash (store_phone_hash) */
	int64_t handler_id;
	int sort;                /* tasks: enum task_sort (core/task.h), 0 = by deadline; problems:
	                          * enum problem_sort (core/problem.h), 0 = newest first */
	int64_t leader_id;       /* tasks: the leader in charge (包保领导) */
	char today[11];
	int limit, offset;
	int count;               /* 1: also count all matches */
	int count_cap;           /* with count, tasks and problems: count at most this many (0: every one); a
	                          * total of count_cap + 1 means "more than count_cap" — a page's
	                          * caption reads no more rows than that (docs/benchmarks.md) */
};

#endif
