// clang-format off
// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/).
// clang-format on
/* fuzz_payload.c — libFuzzer target for store/payload.c, the reader of stored event payloads
 * (a format byte, then a raw deflate stream or a zstd frame without its magic, store/payload.h):
 * payload_unpack() on any bytes.
 * These invariants are checked (abort on violation):
 *   - it returns a NUL-terminated string or NULL with the error set, never crashes or leaks;
 *   - a string returned holds no NUL before its end and packs back (payload_pack) to a form
 *     that unpacks to the same string;
 *   - the input read as text (up to a NUL) packs and unpacks to itself in both formats. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/payload.h"

static void round_trip(const char *text, size_t n, int format, int level)
{
	size_t len = 0;
	unsigned char *b = payload_pack_with(text, n, format, level, &len);
	if (!b || len < 1 || b[0] != format) {
		fprintf(stderr, "fuzz_payload: pack failed (format %d level %d, %zu bytes)\n", format, level, n);
		abort();
	}
	struct qd_err err;
	char *back = payload_unpack(b, len, &err);
	if (!back || strlen(back) != n || memcmp(back, text, n) != 0) {
		fprintf(stderr, "fuzz_payload: round trip differs (format %d level %d, %zu bytes): %s\n", format, level, n,
			back ? "other text" : err.en);
		abort();
	}
	free(back);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	char *t = payload_unpack(data, size, &err);
	if (t) {
		round_trip(t, strlen(t), PAYLOAD_FORMAT, PAYLOAD_LEVEL);
		free(t);
	} else if (!err.en[0]) {
		fprintf(stderr, "fuzz_payload: NULL without an error\n");
		abort();
	}
	size_t n = strnlen((const char *)data, size);
	char *text = malloc(n + 1);
	memcpy(text, data, n);
	text[n] = 0;
	round_trip(text, n, PAYLOAD_DEFLATE, 1);
	round_trip(text, n, PAYLOAD_DEFLATE, 6);
	round_trip(text, n, PAYLOAD_ZSTD, 1);
	round_trip(text, n, PAYLOAD_ZSTD, PAYLOAD_LEVEL);
	free(text);
	return 0;
}
