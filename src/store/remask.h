/* remask.h — rebuild the masked free text of the projections from the sealed originals in the
 * record, under the current masking rules (see remask.c).  No event changes. */
#ifndef QD_STORE_REMASK_H
#define QD_STORE_REMASK_H
#include "base/err.h"
#include <sqlite3.h>
#include <stdint.h>

/* On db, inside the caller's transaction: *events re-projected, *changed rows whose text
 * changed.  0 or -1. */
int store_remask_db(sqlite3 *db, const unsigned char *key, int64_t *events, int64_t *changed, struct qd_err *err);
/* The CLI command: open the database at path (key file key_path, NULL = path + ".key"), remask
 * in one transaction.  now (ms) is the time of a pending migration's event.  0 or -1 with err. */
int store_remask(const char *path, const char *key_path, int64_t now, int64_t *events, int64_t *changed,
		 struct qd_err *err);

#endif
