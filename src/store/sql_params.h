/* sql_params.h — store-internal: the store's SQL written with SQLite's parameters (? and ?N)
 * spelled for PostgreSQL ($N), for the libpq backend (issue 8).  Not for use outside src/store/. */
#ifndef QD_STORE_SQL_PARAMS_H
#define QD_STORE_SQL_PARAMS_H
#include "base/buf.h"

/* Append sql to out with each parameter numbered as SQLite numbers it: ?N is $N, a bare ? is one
 * more than the largest number given so far ("?2 ?3 ?1 ?" → "$2 $3 $1 $4").  Text inside '…'
 * strings, "…" identifiers, -- and block comments is copied as it is.  *nparams: the largest
 * number.  0, or -1 (out holds what was appended so far) when sql cannot be rewritten faithfully:
 * an unterminated string, identifier or comment, ?0, a number past 32767 (PostgreSQL's limit of
 * parameters is 65535 and SQLite's default 32766), or a parameter written :name, @name or $name,
 * which the store never uses and PostgreSQL would not read the same. */
int sql_params_pg(const char *sql, struct buf *out, int *nparams);
/* It also puts an I before the word LIKE (any case, outside strings, identifiers and comments):
 * the store's LIKE means SQLite's, which ignores the case of ASCII letters (fts_like, the
 * searches); PostgreSQL's LIKE does not. */

#endif
