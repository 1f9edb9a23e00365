/* visit.h — household visits (走访) in the store. */
#ifndef QD_STORE_VISIT_H
#define QD_STORE_VISIT_H
#include "store/filter.h"
#include "store/store.h"

int store_visit_create(struct store_tx *tx, int64_t actor, int64_t unit_id, const char *visited_on,
		       const char *household, const char *note, int64_t *id, struct qd_err *err);
/* Page of visits (newest first) in f's scope; *more = 1 when more follow; *total when f->count
 * (-1 on error).  NULL on a database error (logged). */
json_t *store_visit_list(sqlite3 *db, const struct list_filter *f, int *more, int64_t *total);
/* One visit (household and note in their masked form), or NULL. */
json_t *store_visit_get(sqlite3 *db, int64_t id);

#endif
