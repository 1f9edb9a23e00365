// clang-format off
// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/).
// clang-format on
/* fuzz_totp.c — libFuzzer target for the one-time-code check (web/totp.c, what a login's `totp`
 * field and a stored secret go through): the input split at its first NUL into a base32 secret
 * and a code → totp_check at a time taken from the input.  Invariants (abort on violation):
 *   - no crash, leak or undefined behaviour;
 *   - a code accepted is exactly 6 ASCII digits;
 *   - when the secret decodes (liboath's base32), the code totp_code makes from it at that time
 *     is accepted, and so are the codes of one step before and after. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/totp.h"
#include <liboath/oath.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || size > 4096)
		return 0;
	uint32_t t32;
	memcpy(&t32, data, 4);
	int64_t t = (int64_t)t32 + 60; /* ≥ 2 steps: the step before stays ≥ 0 */
	char *s = malloc(size - 3);
	memcpy(s, data + 4, size - 4);
	s[size - 4] = 0;
	const char *secret = s, *nul = memchr(s, 0, size - 4);
	const char *code = nul && nul + 1 < s + size - 4 ? nul + 1 : "";
	if (totp_check(secret, t, code)) {
		if (strlen(code) != TOTP_DIGITS)
			abort();
		for (const char *p = code; *p; p++)
			if (*p < '0' || *p > '9')
				abort();
	}
	char *key = NULL;
	size_t n = 0;
	if (oath_base32_decode(secret, strlen(secret), &key, &n) == OATH_OK && key && n > 0) {
		for (int d = -1; d <= 1; d++) {
			char c[16];
			if (totp_code((const unsigned char *)key, n, t + d * TOTP_STEP, TOTP_DIGITS, c) != 0)
				abort();
			if (!totp_check(secret, t, c))
				abort();
		}
	}
	free(key);
	free(s);
	return 0;
}
