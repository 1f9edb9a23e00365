/* filter.h — list filters shared by the problem, task and visit lists, and the scope clause
 * (the union of the caller's subtrees) every list is confined to. */
#ifndef QD_STORE_FILTER_H
#define QD_STORE_FILTER_H
#include "base/buf.h"
#include "core/role.h"
#include <jansson.h>
#include <sqlite3.h>
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
	char today[11];
	int limit, offset;
	int count;               /* 1: also count all matches */
};

/* A WHERE clause under construction with its bound values (strings copied, owned).  The values
 * grow with the clause: one "?" in sql for each of v[0..n-1], however many grants a scope has. */
struct where {
	struct buf sql;
	int n, cap;
	struct where_val {
		int is_int;
		int64_t i;
		char *s; /* owned */
	} *v;
};

void where_init(struct where *w);
void where_free(struct where *w);
/* Append "AND (<frag>)" with one "?" per value that follows (i = int, s = string). */
void where_and(struct where *w, const char *frag);
void where_int(struct where *w, int64_t v);
void where_str(struct where *w, const char *s);
void where_bind(struct where *w, sqlite3_stmt *st, int first);
/* Scope: the rows whose column(s) fall in one of the caller's subtrees.  cols are one or two
 * path columns ("t.origin_path", "t.unit_path").  Adds "AND 0" when the caller has no such
 * grant. */
void where_scope(struct where *w, const struct list_filter *f, const char *col1, const char *col2);
/* Rows whose col1 (or col2, if non-NULL) lies in the subtree of path, as string ranges.
 * A column written "+t.col" is tested without choosing its index (see store/task.c). */
void where_subtree(struct where *w, const char *path, const char *col1, const char *col2);
/* Run sql (which ends "… LIMIT ? OFFSET ?") with w's values and f's page: the rows as JSON
 * objects (caller owns); *more = 1 when a row beyond the page exists.  NULL when the statement
 * cannot be prepared or run (logged; e.g. more bound values than SQLite allows): never a
 * silently short list. */
json_t *where_page(sqlite3 *db, const char *sql, struct where *w, const struct list_filter *f, int *more);
/* Run a "SELECT count(*) …" with w's values; -1 on error. */
int64_t where_count(sqlite3 *db, const char *sql, struct where *w);
/* FTS query text: the phrase quoted for MATCH (caller frees). */
char *fts_phrase(const char *q);

#endif
