// clang-format off
// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/); by hand: clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc -o build-fuzz/fuzz_mask tests/fuzz/fuzz_mask.c src/core/mask.c src/base/utf8.c src/base/buf.c src/base/mem.c -lunistring
// clang-format on
/* fuzz_mask.c — libFuzzer target for core/mask.c: mask_apply() for every field × level, and
 * mask_text() / mask_text_public() / mask_label() with and without known names.  These
 * invariants are checked (abort on violation):
 *   - output, when not NULL, is valid UTF-8 (also for the raw, possibly invalid, input);
 *   - MASK_FULL returns the input unchanged;
 *   - MASK_PUBLIC PHONE and IDNO return NULL;
 *   - PUBLIC and STAFF output of every field holds no 11 digits standing together unmasked, by
 *     the independent model of tests/unit/mask_oracle.h (every digit script, circled and
 *     parenthesised digits, Chinese numerals, every separator; masked forms count as none,
 *     dates stand apart), i.e. no whole phone, ID or card number leaves;
 *   - mask_text and mask_label are idempotent (with and without names), and so is
 *     mask_text_public;
 *   - mask_text_public's output (and PUBLIC TEXT/LABEL/ADDRESS) holds no masked-number shape;
 *   - with known names, no name given appears whole in mask_text's output.
 * Input that is valid UTF-8 (up to the first NUL) is used as it is; any other input is turned
 * into valid UTF-8 by mapping each byte ≥ 0x80 onto an alphabet of the characters the scanner
 * cares about (digits of several scripts and forms, Chinese numerals, separators of every kind,
 * +, X, *, units, 年, currency, address markers, name characters), so that most runs exercise
 * the number logic. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/mask_oracle.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "core/mask.h"

/* clang-format off */
static const char *const alphabet[] = {
	/* digits */
	"０", "１", "３", "８", "９", "①", "③", "⑧", "⑩", "⑴", "⒈", "¹", "𝟏", "𝟖", "١", "٣", "❶",
	/* Chinese numerals */
	"〇", "零", "一", "二", "三", "八", "幺", "两", "壹", "捌",
	/* separators */
	"＋", "－", "\u3000", "\u00A0", "\u200B", "\u2060", "\uFEFF", "\u00AD", "—", "–", "−", "．", "。", "·",
	"・", "_", "＿", "/", "／", "，", "、", "（", "）", "【", "】", "〔", "〕", "《", "》", "{", "[", "\t",
	"\xEF\xB8\x8F\xE2\x83\xA3", /* keycap: U+FE0F U+20E3 */
	/* the rest */
	"Ｘ", "x", "*", "****", "元", "万元", "%", "吨", "年", "月", "￥", "人民币", "kg", ":", "村", "组", "社区",
	"队", "屯", "居委会", "号", "家", "户", "欧", "阳", "娜", "司", "马", "张", "三", "小", "明", "John",
	"Smith", "【已隐藏】", "\xF0\x9F\x98\x80",
};
/* clang-format on */

static const char *const names_v[] = {"张三", "张小明", "欧阳娜娜", "John Smith", "", NULL, "李"};
static const struct mask_names names = {names_v, sizeof names_v / sizeof *names_v};

static void fail(const char *what, int field, int level, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_mask: %s (field %d, level %d)\n  in:  %s\n  out: %s\n", what, field, level, in,
	        out ? out : "(null)");
	abort();
}

static bool latin_before(const char *s, const char *p)
{
	if (p == s)
		return false;
	const char *q = p - 1;
	while (q > s && ((unsigned char)*q & 0xC0) == 0x80)
		q--;
	uint32_t c;
	utf8_decode(q, &c);
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static bool latin_at(const char *p)
{
	uint32_t c;
	if (!*p)
		return false;
	utf8_decode(p, &c);
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* name occurs whole in s — a Latin name only on word boundaries, as core/mask.h says. */
static bool name_left(const char *s, const char *name)
{
	bool latin = (unsigned char)name[0] < 0x80;
	for (const char *p = strstr(s, name); p; p = strstr(p + 1, name))
		if (!latin || (!latin_before(s, p) && !latin_at(p + strlen(name))))
			return true;
	return false;
}

/* The digit invariant: at most 10 digits stand together unmasked. */
static void check_digits(const char *what, int field, int level, const char *in, const char *out)
{
	if (out && oracle_max_digits(out, false) > 10)
		fail(what, field, level, in, out);
}

/* f(f(x)) == f(x) for the stored form out = f(in). */
static void check_idempotent(const char *what, char *(*f)(const char *, const struct mask_names *),
                             const struct mask_names *nm, const char *in, const char *out)
{
	char *again = f(out, nm);
	if (strcmp(again, out) != 0) {
		fprintf(stderr, "fuzz_mask: %s not idempotent\n  in:    %s\n  once:  %s\n  twice: %s\n", what,
		        in, out, again);
		abort();
	}
	free(again);
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

	for (int f = MASK_NAME; f <= MASK_LABEL; f++) {
		for (int l = MASK_PUBLIC; l <= MASK_FULL; l++) {
			char *out = mask_apply((enum mask_field)f, s, (enum mask_level)l);
			if (out && !utf8_valid(out, strlen(out)))
				fail("invalid UTF-8 output", f, l, s, out);
			if (l == MASK_FULL && (!out || strcmp(out, s) != 0))
				fail("FULL changed the value", f, l, s, out);
			if (l == MASK_PUBLIC && (f == MASK_PHONE || f == MASK_IDNO) && out)
				fail("PUBLIC phone/ID not NULL", f, l, s, out);
			if (l != MASK_FULL)
				check_digits("11 digits together in output", f, l, s, out);
			if (l == MASK_PUBLIC && (f == MASK_ADDRESS || f == MASK_TEXT || f == MASK_LABEL) &&
			    out && oracle_masked_number(out))
				fail("masked number left in PUBLIC output", f, l, s, out);
			free(out);
		}
	}

	const struct mask_names *lists[] = {NULL, &names};
	for (int k = 0; k < 2; k++) {
		const struct mask_names *nm = lists[k];
		char *staff = mask_text(s, nm);
		if (!utf8_valid(staff, strlen(staff)))
			fail("mask_text: invalid UTF-8", MASK_TEXT, MASK_STAFF, s, staff);
		check_digits("mask_text: 11 digits together", MASK_TEXT, MASK_STAFF, s, staff);
		check_idempotent("mask_text", mask_text, nm, s, staff);
		if (nm)
			for (size_t i = 0; i < 4; i++)
				if (name_left(staff, names_v[i]))
					fail("known name left in mask_text output", MASK_TEXT, MASK_STAFF, s,
					     staff);
		char *pub = mask_text_public(staff);
		if (oracle_masked_number(pub))
			fail("mask_text_public left a masked number", MASK_TEXT, MASK_PUBLIC, s, pub);
		check_digits("mask_text_public: 11 digits together", MASK_TEXT, MASK_PUBLIC, s, pub);
		char *pub2 = mask_text_public(pub);
		if (strcmp(pub2, pub) != 0)
			fail("mask_text_public not idempotent", MASK_TEXT, MASK_PUBLIC, s, pub2);
		free(pub2);
		free(pub);
		free(staff);

		char *label = mask_label(s, nm);
		check_digits("mask_label: 11 digits together", MASK_LABEL, MASK_STAFF, s, label);
		check_idempotent("mask_label", mask_label, nm, s, label);
		free(label);
		/* the name in a label: a piece of the label, valid UTF-8 */
		char *lname = mask_label_name(s);
		if (lname && (!utf8_valid(lname, strlen(lname)) || !strstr(s, lname)))
			fail("mask_label_name: not a valid piece of the label", MASK_LABEL, MASK_FULL, s, lname);
		free(lname);
	}

	/* The raw bytes, valid UTF-8 or not: the output must be valid. */
	char *raw = malloc(n + 1);
	memcpy(raw, data, n);
	raw[n] = 0;
	char *out = mask_text(raw, &names);
	if (!utf8_valid(out, strlen(out)))
		fail("mask_text: invalid UTF-8 from raw input", MASK_TEXT, MASK_STAFF, raw, out);
	free(out);
	out = mask_text_public(raw);
	if (!utf8_valid(out, strlen(out)))
		fail("mask_text_public: invalid UTF-8 from raw input", MASK_TEXT, MASK_PUBLIC, raw, out);
	free(out);
	free(raw);

	if (mask_apply(MASK_TEXT, NULL, MASK_PUBLIC) || mask_text(NULL, NULL) || mask_text_public(NULL))
		abort();
	free(s);
	return 0;
}
