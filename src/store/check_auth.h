/* check_auth.h — check's pass over sessions and credentials (check_auth.c); private to src/store. */
#ifndef QD_STORE_CHECK_AUTH_H
#define QD_STORE_CHECK_AUTH_H
#include "store/check.h"
#include "store/db.h"

/* Fills r's auth fields from db (inside the caller's snapshot) and prints a line to out when
 * non-NULL.  0 when every credential and session has its event, -1 otherwise or on a read error. */
int check_auth(db_conn *db, struct check_report *r, FILE *out);

#endif
