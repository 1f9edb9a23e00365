/* upgrade.h — the code parts of schema migrations (see upgrade.c). */
#ifndef QD_STORE_UPGRADE_H
#define QD_STORE_UPGRADE_H
#include "base/err.h"
#include "store/db.h"
#include <stdint.h>

/* Migration 4: seal the free text of the record, re-chain, remask (inside the migration's
 * transaction).  Nothing to do on an empty log; needs key and now otherwise (now, ms since the
 * epoch, from the caller: the `at` of the record.reseal event). */
int upgrade_seal_record(db_conn *db, const unsigned char *key, int64_t now, struct qd_err *err);
/* The code part of migration n, if it has one, at time now; 0 or -1. */
int upgrade_step(db_conn *db, int n, const unsigned char *key, int64_t now, struct qd_err *err);

#endif
