/* totp.c — RFC 6238 via liboath: the secret (20 random bytes, base32 for the otpauth:// URI), a
 * code at a given time, and the check of a 6-digit code now ± TOTP_WINDOW steps.  The time is
 * the caller's (a request's r->now), not the wall clock, so a server with a frozen clock
 * (`serve --clock`) checks codes for its own time.  Written around liboath, not by hand: the
 * HMAC and the dynamic truncation are the library's. */
#include "web/totp.h"
#include "base/rand.h"
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc;

static void init(void)
{
	init_rc = oath_init() == OATH_OK ? 0 : -1;
}

static int ready(void)
{
	pthread_once(&once, init);
	return init_rc;
}

int totp_secret_new(char out[TOTP_B32_LEN])
{
	unsigned char key[TOTP_SECRET_BYTES];
	char *b32 = NULL;
	size_t n = 0;
	if (ready())
		return -1;
	rand_bytes(key, sizeof key);
	int rc = oath_base32_encode((const char *)key, sizeof key, &b32, &n);
	sodium_memzero(key, sizeof key);
	if (rc != OATH_OK || !b32 || n + 1 > TOTP_B32_LEN) {
		free(b32);
		return -1;
	}
	memcpy(out, b32, n);
	out[n] = 0;
	sodium_memzero(b32, n);
	free(b32);
	return 0;
}

int totp_code(const unsigned char *key, size_t keylen, int64_t t, unsigned digits, char *out)
{
	if (ready())
		return -1;
	return oath_totp_generate((const char *)key, keylen, (time_t)t, TOTP_STEP, 0, digits, out) == OATH_OK
	           ? 0
	           : -1;
}

int totp_check(const char *secret_b32, int64_t t, const char *code)
{
	return totp_match(secret_b32, t, code) >= 0;
}

int64_t totp_match(const char *secret_b32, int64_t t, const char *code)
{
	if (ready() || !secret_b32 || !code || strlen(code) != TOTP_DIGITS)
		return -1;
	for (const char *p = code; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	char *key = NULL;
	size_t n = 0;
	if (oath_base32_decode(secret_b32, strlen(secret_b32), &key, &n) != OATH_OK || !key)
		return -1;
	/* oath_totp_validate2: ≥ 0 on a match, with pos its step's offset from now's (-1, 0, 1) */
	int pos = 0;
	int rc = oath_totp_validate2(key, n, (time_t)t, TOTP_STEP, 0, TOTP_WINDOW, &pos, code);
	sodium_memzero(key, n);
	free(key);
	return rc >= 0 ? t / TOTP_STEP + pos : -1;
}
