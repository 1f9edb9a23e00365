/* pg.h — the PostgreSQL backend (issue 8), its first parts: a database named by a postgres://
 * URI is checked and given its schema (pg.c), and filled from a SQLite database (pg_migrate.c).
 * The rest of the store's interface over libpq (reads, the writer, check) is still to come; until
 * then every other command refuses such a URI. */
#ifndef QD_STORE_PG_H
#define QD_STORE_PG_H
#include "base/err.h"
#include <stdint.h>
#include <stdio.h>

/* Whether a --db value names a PostgreSQL database (postgres:// or postgresql://, or a libpq
 * key=value string with host=), rather than a SQLite file. */
int pg_is_uri(const char *db);

/* db as it may be shown (printed, logged): a URI's password (postgres://user:PASSWORD@…) and a
 * key=value string's password=… replaced by "…"; anything else as it is.  A new string (free). */
char *pg_uri_shown(const char *db);

/* A PostgreSQL database's personal-data key is a file the command names (--key): never in the
 * database, never guessed from its name.  0 when key_path is given, else -1 with err naming it. */
int pg_key_named(const char *key_path, struct qd_err *err);

/* Connect to uri and refuse a server qingdan cannot keep its promises on, naming the setting:
 * fsync, full_page_writes or synchronous_commit off (an acknowledged write could be lost), a
 * database whose encoding is not UTF8 or whose LC_CTYPE gives pg_trgm no trigrams from Chinese
 * (C, POSIX: text search would match every row).  Then apply the migrations the database lacks
 * (schema_pg.c), each in its own transaction under an advisory lock, so two servers starting at
 * once migrate once.  *version is the schema version it ends at.  0, or -1 with err set (the
 * server's own message in err.en for a failed connection or statement). */
int pg_schema_apply(const char *uri, int *version, struct qd_err *err);

/* `qingdan migrate` (pg_migrate.c): move a county's SQLite database into PostgreSQL. */
struct pg_migrate_opts {
	const char *from;     /* the SQLite file, or sqlite://FILE */
	const char *key_path; /* its personal-data key; NULL = FILE.key */
	const char *to;       /* the target: a postgres:// URI (pg_is_uri) */
	int64_t now;          /* the command's time (ms): the `at` of an event a SQLite migration writes */
	FILE *out;            /* the report: rows per table, times, where the key is */
};

/* Open the SQLite database through store_open (so its own migrations apply first, as for any
 * command that opens it, with the key), check that the key opens its sealed values, give the
 * target its schema (pg_schema_apply, which also refuses an unsafe server), refuse a target that
 * holds any row (naming it and the table), then in ONE PostgreSQL transaction copy every table
 * with COPY FROM STDIN — the event log (payloads packed, store/payload.h: TEXT rows of before
 * schema 7 are packed here, packed rows go as they are), the projections, phone_index (complete,
 * from problem_pii), credential and session — and set chain_head.  meta is not copied: its rows
 * are each backend's own (schema_version, backend) or SQLite's machinery (fts_problem_upto), and
 * PostgreSQL's org_version counts by its own triggers.  Before COMMIT it reads the log back,
 * unpacks every payload, recomputes the hash chain and compares it with the stored hashes and the
 * SQLite head, and compares every table's row count with SQLite's; any difference rolls back and
 * names the first bad event or table.  The key file is never put in the database: the report
 * says where it is.  0, or -1 with err set (the target left as it was, its schema apart). */
int pg_migrate(const struct pg_migrate_opts *o, struct qd_err *err);

#endif
