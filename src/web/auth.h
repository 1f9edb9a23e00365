/* auth.h — who is calling: session cookies (HttpOnly, SameSite=Lax) and bearer API tokens,
 * argon2id password hashes (libsodium), lock-out after repeated failures; and the login,
 * logout, me and token endpoints. */
#ifndef QD_WEB_AUTH_H
#define QD_WEB_AUTH_H
#include "web/req.h"

#define AUTH_MAX_FAILURES 5
#define AUTH_LOCK_MS (15LL * 60 * 1000)
#define AUTH_SESSION_MS (12LL * 3600 * 1000)
#define AUTH_PW_MIN 8

/* Fill r->user_id, grants and rights from the cookie or bearer token (none → user_id 0).
 * A presented but invalid/expired credential is an error (401). */
int auth_identify(struct req *r, struct qd_err *err);
/* argon2id hash of a password into out (≥ 128 bytes); 0 or -1 (out of memory). */
int auth_hash_password(const char *password, char *out, size_t n);
/* Check a new password's strength; 0 or -1 with err naming field. */
int auth_password_ok(const char *password, const char *field, struct qd_err *err);

void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_token_create(struct req *r);

#endif
