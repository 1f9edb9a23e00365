/* session.h — credentials (argon2id hashes), the login back-off counters and sessions / API
 * tokens in the store.  Operational tables: not events, not replayed; writes still go through the
 * writer (store/tx.h).  Tokens are never stored: only their SHA-256; events name a session by the
 * SHA-256 of that hash (session_ref), which `qingdan check` matches (store/check.c). */
#ifndef QD_STORE_SESSION_H
#define QD_STORE_SESSION_H
#include "store/store.h"
#include <jansson.h>

struct credential {
	int64_t user_id;
	char pw_hash[256];
	int active;
	int totp_on;           /* one-time codes are asked at login (web/totp.c) */
	char totp_sealed[256]; /* the TOTP secret (base32), sealed (store_open_sealed); "": none */
	int64_t totp_step;     /* the step of the last code accepted: only later ones are good */
};

/* A live session or token, as the dispatcher needs it. */
struct session_info {
	int64_t id, user_id;
	char kind[8];  /* "session" | "token" */
	char scope[8]; /* "read" | "write" (core/token.h) */
	int64_t created_at, expires_at, last_used; /* ms */
};

/* 0 and *c filled, or -1 when no such user. */
int store_credential_get(struct store_rd *rd, const char *username, struct credential *c);
/* The same by the user's id. */
int store_credential_of(struct store_rd *rd, int64_t user_id, struct credential *c);
/* The back-off of one throttle key (SHA-256, web/auth.c): until when (ms) its attempts wait, 0
 * when they do not, or -1 when the database could not be asked. */
int64_t store_login_until(struct store_rd *rd, const unsigned char key[32]);
/* Rows in login_throttle (tests and the bound's check), or -1. */
int64_t store_login_rows(struct store_rd *rd);
/* The live session/token with this hash at now_ms: 1 and *out filled, 0 when there is none
 * (revoked, expired, idle longer than idle_ms for a "session", or an inactive user), -1 when
 * the database could not be asked. */
int store_session_find(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms, int64_t idle_ms,
		       struct session_info *out);
/* This reader's cached copy of a session was touched at now_ms (after a touch was queued), so
 * this thread does not queue another for a minute. */
void store_session_touched(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms);
/* The API tokens of user_id (0: every user's), newest first: [{id, user_id, label, scope,
 * created_at, expires_at, last_used_at, revoked}] — never the token or its hash.  NULL on error. */
/* The key of a login back-off row: SHA-256 of prefix ("name:" or "addr:") and s (lower-cased
 * when lower: user names are ASCII). */
void store_login_key(const char *prefix, const char *s, int lower, unsigned char out[32]);
json_t *store_token_list(struct store_rd *rd, int64_t user_id);
/* The 64-hex-digit name events give the session whose token hash is hash: SHA-256(hash). */
void session_ref(const unsigned char hash[32], char out[65]);

#endif
