/* session.h — credentials (argon2id hashes, failure counts, lock-out) and sessions / API tokens
 * in the store.  Operational tables: not events, not replayed; writes still go through the
 * writer.  Tokens are never stored: only their SHA-256. */
#ifndef QD_STORE_SESSION_H
#define QD_STORE_SESSION_H
#include "store/store.h"

struct credential {
	int64_t user_id;
	char pw_hash[256];
	int failed;
	int64_t locked_until; /* ms */
	int active;
};

/* 0 and *c filled, or -1 when no such user. */
int store_credential_get(struct store_rd *rd, const char *username, struct credential *c);
/* User id of a live session/token with this hash at now_ms, 0 when there is none, or -1 when
 * the database could not be asked.  *kind (≥ 8 bytes) gets "session" or "token" when non-NULL. */
int64_t store_session_user(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms, char *kind);

#endif
