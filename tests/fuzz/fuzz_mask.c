// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/); by hand: clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc -o build-fuzz/fuzz_mask tests/fuzz/fuzz_mask.c src/core/mask.c src/base/utf8.c src/base/buf.c src/base/mem.c
/* fuzz_mask.c — libFuzzer target for mask_apply() (core/mask.c).  Every field × level is run
 * on valid UTF-8 and these invariants are checked (abort on violation):
 *   - output, when not NULL, is valid UTF-8;
 *   - MASK_FULL returns the input unchanged;
 *   - MASK_PUBLIC PHONE and IDNO return NULL;
 *   - PUBLIC and STAFF output holds no run of 11 digits (ASCII or full-width), i.e. no whole
 *     phone or ID number leaves unmasked.
 * Input that is valid UTF-8 (up to the first NUL) is used as it is; any other input is turned
 * into valid UTF-8 by mapping each byte ≥ 0x80 onto a small alphabet of the characters the
 * scanner cares about (full-width digits, ＋, －, ideographic space, X, address markers,
 * compound-surname characters), so that most runs exercise the number logic. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "core/mask.h"

static const char *const alphabet[] = {
	"０", "１", "２", "３", "４", "５", "６", "７", "８", "９", "＋", "－", "\u3000", "Ｘ",
	"x",  "村", "组", "社区", "队", "屯", "居委会", "欧", "阳", "司", "马", "张", "·",  "\u00A0",
	"—",  "（", "）", "【",   "元", "年", "\xF0\x9F\x98\x80",
};

static void fail(const char *what, int field, int level, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_mask: %s (field %d, level %d)\n  in:  %s\n  out: %s\n", what, field, level, in,
		out ? out : "(null)");
	abort();
}

static int digit_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return 1;
	}
	/* U+FF10..U+FF19 = EF BC 90..99 */
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*len = 3;
		return 1;
	}
	return 0;
}

static int has_digit_run(const char *s, int n)
{
	int run = 0;
	while (*s) {
		size_t len;
		if (digit_at(s, &len)) {
			if (++run >= n)
				return 1;
			s += len;
		} else {
			run = 0;
			s++;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	struct buf in;
	buf_init(&in);
	if (utf8_valid((const char *)data, n)) {
		buf_put(&in, data, n);
	} else {
		for (size_t i = 0; i < size; i++) {
			if (data[i] == 0)
				buf_putc(&in, ' ');
			else if (data[i] < 0x80)
				buf_putc(&in, (char)data[i]);
			else
				buf_puts(&in, alphabet[data[i] % (sizeof alphabet / sizeof *alphabet)]);
		}
	}
	char *s = buf_take(&in);

	for (int f = MASK_NAME; f <= MASK_TEXT; f++) {
		for (int l = MASK_PUBLIC; l <= MASK_FULL; l++) {
			char *out = mask_apply((enum mask_field)f, s, (enum mask_level)l);
			if (out && !utf8_valid(out, strlen(out)))
				fail("invalid UTF-8 output", f, l, s, out);
			if (l == MASK_FULL && (!out || strcmp(out, s) != 0))
				fail("FULL changed the value", f, l, s, out);
			if (l == MASK_PUBLIC && (f == MASK_PHONE || f == MASK_IDNO) && out)
				fail("PUBLIC phone/ID not NULL", f, l, s, out);
			if (l != MASK_FULL && out && has_digit_run(out, 11))
				fail("11-digit run in output", f, l, s, out);
			free(out);
		}
	}
	if (mask_apply(MASK_TEXT, NULL, MASK_PUBLIC))
		abort();
	free(s);
	return 0;
}
