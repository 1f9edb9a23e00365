/* totp.h — one-time codes for a login's second factor: RFC 6238 (TOTP, HMAC-SHA-1, 30 s steps,
 * 6 digits) via liboath, the reference implementation Debian ships (no hand-written HMAC). */
#ifndef QD_WEB_TOTP_H
#define QD_WEB_TOTP_H
#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20 /* RFC 4226's recommended 160 bits */
#define TOTP_B32_LEN 33      /* 20 bytes in base32 (32 characters) and the NUL */
#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1 /* steps either side of now a code may come from (clock drift) */

/* A new random secret, in base32 (what an authenticator app takes): 0, or -1 on failure. */
int totp_secret_new(char out[TOTP_B32_LEN]);
/* The digits-long code of the raw key (not base32) at unix time t (s) into out (digits + 1): 0 or -1. */
int totp_code(const unsigned char *key, size_t keylen, int64_t t, unsigned digits, char *out);
/* The TOTP step (t / 30 ± 1: ≥ 1 for any t ≥ 30) whose 6-digit code of the base32 secret code
 * is, or -1 when none in the window is (or the secret is not base32). */
int64_t totp_match(const char *secret_b32, int64_t t, const char *code);
/* totp_match(…) >= 0. */
int totp_check(const char *secret_b32, int64_t t, const char *code);

#endif
