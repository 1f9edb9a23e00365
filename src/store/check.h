/* check.h — integrity check (`qingdan check`), online backup (`qingdan backup`) and the log
 * listing (`qingdan log`). */
#ifndef QD_STORE_CHECK_H
#define QD_STORE_CHECK_H
#include "base/err.h"
#include <stdint.h>
#include <stdio.h>

struct check_report {
	int integrity_ok;       /* PRAGMA integrity_check said ok */
	int fts_ok;             /* full-text indexes consistent */
	int chain_ok;           /* hash chain verified */
	int64_t events;         /* events verified */
	int64_t chain_break_at; /* first bad seq, 0 if none */
	char chain_why[256];    /* why it broke there: a hash that differs, or an unreadable payload */
	int replay_ok;          /* projections equal a replay of the log */
	int64_t mismatched_rows;
	char mismatch_table[32];
	int texts_only;         /* every mismatch is in masked free text (remask fixes it) */
	int auth_ok;            /* every credential and session has the event that made it (check_auth.c) */
	int64_t orphan_credentials, orphan_credential; /* how many without user.create; the first user id */
	int64_t orphan_sessions, orphan_session;       /* how many without auth.login/auth.token; the first id */
};

/* `qingdan log`: every event of the database at path, oldest first, one JSON object a line
 * ({"seq","at","actor","kind","entity","entity_id","payload","hash"}, the payload as its
 * canonical JSON whichever form it is stored in; sealed values stay sealed) to out.  An event
 * whose payload cannot be read is printed with "error" instead and the listing goes on.  0, or
 * -1 with err set (cannot open, or some payload unreadable). */
int store_log(const char *path, FILE *out, struct qd_err *err);

/* Run every check on the database at path (read-only apart from a temporary replay database);
 * the replay opens sealed text with the key file key_path (NULL = path + ".key") and masks it
 * under the current rules.  Prints progress to out when non-NULL.  0 when all checks pass, -1
 * otherwise (or on error). */
int store_check(const char *path, const char *key_path, struct check_report *r, FILE *out, struct qd_err *err);
/* Copy a live database to `to` with SQLite's online backup API (readers/writers may go on). */
int store_backup(const char *path, const char *to, struct qd_err *err);

#endif
