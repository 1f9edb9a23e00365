/* check_auth.c — `qingdan check`'s look at the operational tables a login rests on: every
 * credential has the user.create event that made its user, and every session or API token made
 * since schema 9 has the auth.login / auth.token event that names it (its session_ref: SHA-256 of
 * the token's hash, store/session.h).  A row planted straight into the database — a session
 * for someone who never logged in, a credential for a user the record never created — shows here,
 * though neither table is part of the replayed record.  Sessions from before schema 9 carry
 * negative ids (migration 9) and no such event: they are counted, not reported. */
#include "store/check_auth.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/payload.h"
#include "store/session.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct ref {
	char hex[65];
	int64_t id;
	int seen;
};

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ref *)a)->hex, ((const struct ref *)b)->hex);
}

/* The sessions made since schema 9, as their references, sorted; n rows, or -1 on a read error. */
static int64_t session_refs(db_conn *db, struct ref **out)
{
	size_t cap = 64, n = 0;
	struct ref *a = xmalloc(cap * sizeof *a);
	db_stmt *st = db_prepare(db, "SELECT id, token_hash FROM session WHERE id > 0");
	if (!st) {
		free(a);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		size_t len = 0;
		const void *h = db_col_blob(st, 1, &len);
		if (n == cap)
			a = xrealloc(a, (cap *= 2) * sizeof *a);
		memset(&a[n], 0, sizeof a[n]);
		a[n].id = db_col_int64(st, 0);
		if (h && len == 32)
			session_ref(h, a[n].hex);
		n++;
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(a);
		return -1;
	}
	qsort(a, n, sizeof *a, ref_cmp);
	*out = a;
	return (int64_t)n;
}

/* Marks the sessions the auth.login / auth.token events name.  0, or -1 on a read error. */
static int mark_events(db_conn *db, struct ref *a, size_t n)
{
	db_stmt *st = db_prepare(db, "SELECT payload FROM event WHERE kind IN ('auth.login', 'auth.token') ORDER BY seq");
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *p = payload_json(st, 0, NULL);
		const char *ref = json_string_value(json_object_get(p, "session"));
		if (ref && strlen(ref) == 64) {
			struct ref key = {0};
			memcpy(key.hex, ref, 65);
			struct ref *hit = bsearch(&key, a, n, sizeof *a, ref_cmp);
			if (hit)
				hit->seen = 1;
		}
		json_decref(p);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int check_auth(db_conn *db, struct check_report *r, FILE *out)
{
	r->auth_ok = 0;
	int64_t orphan_cred = db_int(db, "SELECT count(*) FROM credential c WHERE NOT EXISTS (SELECT 1 FROM event e "
					 "WHERE e.entity = 'user' AND e.entity_id = c.user_id AND e.kind = 'user.create')",
				     0, -1);
	r->orphan_credential = orphan_cred > 0 ? db_int(db, "SELECT min(user_id) FROM credential c WHERE NOT EXISTS "
								"(SELECT 1 FROM event e WHERE e.entity = 'user' AND e.entity_id = "
								"c.user_id AND e.kind = 'user.create')", 0, 0)
					       : 0;
	struct ref *a = NULL;
	int64_t n = session_refs(db, &a);
	if (orphan_cred < 0 || n < 0 || mark_events(db, a, (size_t)n)) {
		free(a);
		if (out)
			fprintf(out, "sessions and credentials: UNREADABLE\n");
		return -1;
	}
	int64_t orphans = 0;
	r->orphan_session = 0;
	for (int64_t i = 0; i < n; i++)
		if (!a[i].seen) {
			orphans++;
			if (!r->orphan_session || a[i].id < r->orphan_session)
				r->orphan_session = a[i].id;
		}
	free(a);
	r->orphan_credentials = orphan_cred;
	r->orphan_sessions = orphans;
	r->auth_ok = orphan_cred == 0 && orphans == 0;
	if (out) {
		if (r->auth_ok)
			fprintf(out, "sessions and credentials: ok (%lld sessions, each with the event that made it)\n",
				(long long)n);
		else
			fprintf(out,
				"sessions and credentials: %lld credential(s) without a user.create event (first: user %lld), "
				"%lld session(s) without the auth.login/auth.token event that made them (first: session %lld) — "
				"rows written outside qingdan\n",
				(long long)orphan_cred, (long long)r->orphan_credential, (long long)orphans,
				(long long)r->orphan_session);
	}
	return r->auth_ok ? 0 : -1;
}
