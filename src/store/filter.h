/* filter.h — store-internal: the WHERE clauses the problem, task and visit lists are built from
 * (the filters of store/list.h turned into SQL), and the scope clause (the union of the caller's
 * subtrees, core/scope.h) every list is confined to.  Not for use outside src/store/. */
#ifndef QD_STORE_FILTER_H
#define QD_STORE_FILTER_H
#include "base/buf.h"
#include "core/role.h"
#include "store/list.h"
#include <jansson.h>
#include "store/db.h"
#include <stdint.h>

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
void where_bind(struct where *w, db_stmt *st, int first);
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
json_t *where_page(db_conn *db, const char *sql, struct where *w, const struct list_filter *f, int *more);
/* Run a "SELECT count(*) …" with w's values; -1 on error. */
int64_t where_count(db_conn *db, const char *sql, struct where *w);
/* The LIKE patterns a text search for q asks with (the trigram indexes of migration 8 keep no
 * positions, so no phrase MATCH).  exact is '%q%' with LIKE's wildcards in q (%, _ and the
 * escape \\ itself) escaped by '\\', for "LIKE ? ESCAPE '\\'" on the text: what every search
 * finally means (LIKE ignores ASCII case, as the index's trigrams do).  index is what the FTS5
 * index is asked: '%q%' with % and _ turned into '_' (it takes no ESCAPE; FTS5 checks each
 * candidate against the pattern), a superset of exact when wild is set, the same otherwise.
 * index is NULL when q has no run of three plain characters: the trigram index cannot answer
 * that (FTS5 returns no rows for it), so the caller scans the text with exact. */
struct fts_like {
	char *index, *exact;
	int wild;
};
void fts_like_make(struct fts_like *l, const char *q);
void fts_like_free(struct fts_like *l);

#endif
