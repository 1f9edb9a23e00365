/* search.h — the text-search index of problems, kept in slices after commits (store.c: the indexer
 * thread of a running writer, or the writer itself in the CLI). */
#ifndef QD_STORE_SEARCH_H
#define QD_STORE_SEARCH_H
#include "base/err.h"
#include "store/db.h"
#include <stdint.h>

/* Index problems not yet in problem_fts, at most max rows, in its own transaction (BEGIN
 * IMMEDIATE, so two processes never index the same rows).  Returns rows indexed or -1. */
int search_catch_up(db_conn *db, int max, struct qd_err *err);
/* The highest problem id already indexed. */
int64_t search_indexed_upto(db_conn *db);

/* Index every problem not yet indexed, inside the caller's transaction; 0 or -1. */
int search_index_all_in_tx(db_conn *db, struct qd_err *err);

#endif
