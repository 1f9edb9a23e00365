/* visit.h — household visits (走访) in the store. */
#ifndef QD_STORE_VISIT_H
#define QD_STORE_VISIT_H
#include "store/list.h"
#include "store/store.h"

/* Page of visits (newest first) in f's scope; *more = 1 when more follow; *total when f->count
 * (-1 on error).  NULL on a database error (logged). */
json_t *store_visit_list(struct store_rd *rd, const struct list_filter *f, int *more, int64_t *total);
/* One visit (household and note in their masked form), or NULL. */
json_t *store_visit_get(struct store_rd *rd, int64_t id);

#endif
