/* pg.h — the PostgreSQL backend (issue 8), its first part: a database named by a postgres://
 * URI is checked and given its schema.  The rest of the store's interface over libpq (reads,
 * the writer, check) is still to come; until then every other command refuses such a URI. */
#ifndef QD_STORE_PG_H
#define QD_STORE_PG_H
#include "base/err.h"

/* Whether a --db value names a PostgreSQL database (postgres:// or postgresql://, or a libpq
 * key=value string with host=), rather than a SQLite file. */
int pg_is_uri(const char *db);

/* Connect to uri and refuse a server qingdan cannot keep its promises on, naming the setting:
 * fsync, full_page_writes or synchronous_commit off (an acknowledged write could be lost), a
 * database whose encoding is not UTF8 or whose LC_CTYPE gives pg_trgm no trigrams from Chinese
 * (C, POSIX: text search would match every row).  Then apply the migrations the database lacks
 * (schema_pg.c), each in its own transaction under an advisory lock, so two servers starting at
 * once migrate once.  *version is the schema version it ends at.  0, or -1 with err set (the
 * server's own message in err.en for a failed connection or statement). */
int pg_schema_apply(const char *uri, int *version, struct qd_err *err);

#endif
