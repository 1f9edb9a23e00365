/* mask.c — masking of residents' names, phone numbers, ID numbers, addresses and household
 * labels, and of every number and known name inside free text (SPEC §4; what is masked and how
 * is documented in core/mask.h, which is the reference).
 *
 * Unicode facts (decimal values of every script, compatibility decompositions such as ① → 1,
 * general categories for format characters, dashes and spaces, ideographs, case folding) come
 * from GNU libunistring, not from tables of our own.  What is written by hand is what no packaged
 * library does: regex engines (POSIX regex, PCRE) match bytes or code points but cannot look
 * through a per-character normalisation, try every grouping of separated digit groups against
 * "is this a mobile / landline / ID / card number, a date, an amount", or write the partial
 * staff masks; and there is no library for Chinese compound surnames or household labels.
 *
 * How it runs: the text is decoded once into code points, each with its class (digit with its
 * ASCII digits, Chinese numeral, separator kind, +, X, *); ASCII and the CJK Unified Ideographs
 * are classified without a library call, everything else through libunistring.  Short stretches
 * of Chinese numerals are then demoted to ordinary text.  A left-to-right scan copies text and
 * hands each run of digit groups to scan_run(), which cuts it into spans (classify()), gathers
 * what no span took, and writes masked forms.  Forms that mask_text wrote earlier are recognised
 * (masked_at()) and copied as they are, which keeps mask_text idempotent.  Known names are
 * replaced in a pass before that scan (mask_known_names()); a household label's own name is
 * looked for after its numbers are masked (label_name()).
 *
 * fmt-file: the raw buf_put/buf_puts here copy pieces of the value into its masked copy, a new
 * string the caller owns; whoever writes that copy out escapes it (scripts/check-format). */
#include "core/mask.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>

#define HIDDEN "【已隐藏】"
/* The characters of a masked number's token (mask_text_public). */
#define TOKEN_CHARS "0123456789+-X*"

/* Longest span of groups that can be one number: a bank card has 19 digits. */
#define MAX_NUM_DIGITS 19
/* Separator characters allowed in a row between two digit groups. */
#define MAX_SEPS 3
/* Digits that, gathered without a class, make an unknown number; Chinese numerals likewise. */
#define MIN_UNKNOWN 7
#define MIN_CN_RUN 7
/* An amount or date stays readable only up to this many digits. */
#define MAX_READABLE 10

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* A copy of v with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD. */
static char *sanitize(const char *v)
{
	size_t n = strlen(v);
	if (utf8_valid(v, n))
		return xstrndup(v, n);
	struct buf b;
	buf_init(&b);
	size_t i = 0;
	while (i < n) {
		unsigned c = (unsigned char)v[i];
		size_t len = c < 0x80             ? 1
		             : (c & 0xE0) == 0xC0 ? 2
		             : (c & 0xF0) == 0xE0 ? 3
		             : (c & 0xF8) == 0xF0 ? 4
		                                  : 0;
		if (len && len <= n - i && utf8_valid(v + i, len)) {
			buf_put(&b, v + i, len);
			i += len;
		} else {
			buf_puts(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	return buf_take(&b);
}

/* ---- character classes ------------------------------------------------------------------ */

enum cls {
	C_OTHER,
	C_DIGIT, /* a digit of any script (or ①, ⑩ …): its ASCII digits in d */
	C_CN,    /* a Chinese numeral (一 … 九, 〇, 零, 幺, 两, capitals); C_OTHER when demoted */
	C_SEP,   /* a separator between digit groups; its kind in sep */
	C_PLUS,
	C_X, /* X x Ｘ ｘ: the check character of an ID number */
	C_STAR,
};

enum sep {
	S_SPACE = 1 << 0,
	S_FORMAT = 1 << 1, /* format characters (zero-width …) and combining marks */
	S_DASH = 1 << 2,
	S_DOT = 1 << 3,
	S_UNDER = 1 << 4,
	S_SLASH = 1 << 5,
	S_COMMA = 1 << 6,
	S_OPEN = 1 << 7,
	S_CLOSE = 1 << 8,
};

/* One code point of a text. */
struct ch {
	size_t off; /* byte offset */
	uint32_t cp;
	uint16_t sep; /* enum sep, for C_SEP */
	uint8_t cls;  /* enum cls */
	uint8_t nd;   /* digits in d, for C_DIGIT and C_CN */
	char d[4];
};

/* A valid UTF-8 string decoded: c[0..n) and a sentinel c[n] whose off is the length. */
struct text {
	const char *s;
	struct ch *c;
	size_t n;
};

static void set_sep(struct ch *o, unsigned kind)
{
	o->cls = C_SEP;
	o->sep = (uint16_t)kind;
}

static void set_digit(struct ch *o, enum cls k, int v)
{
	o->cls = (uint8_t)k;
	o->nd = 1;
	o->d[0] = (char)('0' + v);
}

/* clang-format off */
static void class_ascii(uint32_t c, struct ch *o)
{
	if (c >= '0' && c <= '9') {
		set_digit(o, C_DIGIT, (int)(c - '0'));
		return;
	}
	switch (c) {
	case ' ': case '\t': case '\n': case '\v': case '\f': case '\r': set_sep(o, S_SPACE); break;
	case '-': set_sep(o, S_DASH); break;
	case '.': set_sep(o, S_DOT); break;
	case '_': set_sep(o, S_UNDER); break;
	case '/': case '\\': set_sep(o, S_SLASH); break;
	case ',': set_sep(o, S_COMMA); break;
	case '(': case '[': case '{': set_sep(o, S_OPEN); break;
	case ')': case ']': case '}': set_sep(o, S_CLOSE); break;
	case '+': o->cls = C_PLUS; break;
	case 'X': case 'x': o->cls = C_X; break;
	case '*': o->cls = C_STAR; break;
	default: break;
	}
}
/* clang-format on */

/* clang-format off */
/* The value of a Chinese numeral, -1 for any other code point. */
static int cn_numeral(uint32_t c)
{
	switch (c) {
	case 0x3007: case 0x96F6: return 0;                                     /* 〇 零 */
	case 0x4E00: case 0x58F9: case 0x5E7A: return 1;                        /* 一 壹 幺 */
	case 0x4E8C: case 0x8D30: case 0x8CB3: case 0x4E24: case 0x5169: return 2; /* 二 贰 貳 两 兩 */
	case 0x4E09: case 0x53C1: case 0x53C3: return 3;                        /* 三 叁 參 */
	case 0x56DB: case 0x8086: return 4;                                     /* 四 肆 */
	case 0x4E94: case 0x4F0D: return 5;                                     /* 五 伍 */
	case 0x516D: case 0x9646: case 0x9678: return 6;                        /* 六 陆 陸 */
	case 0x4E03: case 0x67D2: return 7;                                     /* 七 柒 */
	case 0x516B: case 0x634C: return 8;                                     /* 八 捌 */
	case 0x4E5D: case 0x7396: return 9;                                     /* 九 玖 */
	default: return -1;
	}
}
/* clang-format on */

/* clang-format off */
/* Separators that are neither white space, format characters nor dashes by category. */
static unsigned listed_sep(uint32_t c)
{
	switch (c) {
	case 0x2212: return S_DASH; /* − minus sign (Sm) */
	case 0xFF0E: case 0x3002: case 0x00B7: case 0x30FB: case 0x2022: case 0xFF61: case 0x2027:
	case 0x2219: case 0x22C5: case 0xFE52: return S_DOT; /* ． 。 · ・ • ｡ ‧ ∙ ⋅ ﹒ */
	case 0xFF3F: return S_UNDER;                                      /* ＿ */
	case 0xFF0F: case 0xFF3C: case 0x2215: return S_SLASH;            /* ／ ＼ ∕ */
	case 0xFF0C: case 0x3001: case 0xFE50: case 0xFE51: case 0xFF64: return S_COMMA; /* ， 、 ﹐ ﹑ ､ */
	case 0xFF08: case 0xFF3B: case 0x3010: case 0x3014: case 0x3008: case 0x300A: case 0xFF5B:
	case 0x3016: case 0x27E8: case 0x2329: case 0xFE59: return S_OPEN; /* （ ［ 【 〔 〈 《 ｛ 〖 ⟨ 〈 ﹙ */
	case 0xFF09: case 0xFF3D: case 0x3011: case 0x3015: case 0x3009: case 0x300B: case 0xFF5D:
	case 0x3017: case 0x27E9: case 0x232A: case 0xFE5A: return S_CLOSE; /* ） ］ 】 〕 〉 》 ｝ 〗 ⟩ 〉 ﹚ */
	default: return 0;
	}
}
/* clang-format on */

/* The full compatibility decomposition (NFKD) of c into out[0..cap); 0 when c has none. */
static size_t decompose(uint32_t c, uint32_t *out, size_t cap, int depth)
{
	ucs4_t part[UC_DECOMPOSITION_MAX_LENGTH];
	int tag;
	int n = depth < 4 ? uc_decomposition(c, &tag, part) : -1;
	if (n <= 0) {
		if (depth == 0 || cap == 0)
			return 0;
		out[0] = c;
		return 1;
	}
	size_t k = 0;
	for (int i = 0; i < n && k < cap; i++)
		k += decompose(part[i], out + k, cap - k, depth + 1);
	return k;
}

/* Classification of the code points that are neither ASCII nor CJK Unified Ideographs. */
static void class_slow(uint32_t c, struct ch *o)
{
	int v = cn_numeral(c);
	if (v >= 0) {
		set_digit(o, C_CN, v);
		return;
	}
	unsigned s = listed_sep(c);
	if (s) {
		set_sep(o, s);
		return;
	}
	if (c == 0xFF0B || c == 0xFE62 || c == 0x207A || c == 0x208A) { /* ＋ ﹢ ⁺ ₊ */
		o->cls = C_PLUS;
		return;
	}
	if (c == 0xFF38 || c == 0xFF58) { /* Ｘ ｘ */
		o->cls = C_X;
		return;
	}
	v = uc_decimal_value(c);
	if (v >= 0) {
		set_digit(o, C_DIGIT, v);
		return;
	}
	uint32_t gc = uc_general_category(c).bitmask;
	if (uc_is_property_white_space(c) || (gc & UC_CATEGORY_MASK_Z)) {
		set_sep(o, S_SPACE);
		return;
	}
	if (gc & (UC_CATEGORY_MASK_Cf | UC_CATEGORY_MASK_M)) {
		set_sep(o, S_FORMAT);
		return;
	}
	if (gc & UC_CATEGORY_MASK_Pd) {
		set_sep(o, S_DASH);
		return;
	}
	uint32_t dec[16];
	size_t k = decompose(c, dec, sizeof dec / sizeof *dec, 0);
	if (k > 0) {
		/* Digits with only ( ) . , around them: ① ⑩ ⑴ ⒈ ¹ 🄁. */
		size_t nd = 0;
		bool ok = true;
		for (size_t i = 0; i < k && ok; i++) {
			if (dec[i] >= '0' && dec[i] <= '9' && nd < sizeof o->d)
				o->d[nd++] = (char)dec[i];
			else if (dec[i] != '(' && dec[i] != ')' && dec[i] != '.' && dec[i] != ',')
				ok = false;
		}
		if (ok && nd > 0) {
			o->cls = C_DIGIT;
			o->nd = (uint8_t)nd;
			return;
		}
		if (k == 1 && dec[0] < 0x80) { /* ﹣ ︲ …: the class of the ASCII character, not '*' */
			class_ascii(dec[0], o);
			if (o->cls == C_STAR || o->cls == C_DIGIT)
				o->cls = C_OTHER;
			return;
		}
		if (k == 1 && (v = cn_numeral(dec[0])) >= 0) { /* ⼀ ⼆ (Kangxi radicals) */
			set_digit(o, C_CN, v);
			return;
		}
	}
	if (gc & UC_CATEGORY_MASK_No) { /* ❶ ⓫: a whole value 0-20 */
		uc_fraction_t f = uc_numeric_value(c);
		if (f.denominator == 1 && f.numerator >= 0 && f.numerator <= 20) {
			o->cls = C_DIGIT;
			o->nd = 0;
			if (f.numerator >= 10)
				o->d[o->nd++] = (char)('0' + f.numerator / 10);
			o->d[o->nd++] = (char)('0' + f.numerator % 10);
		}
	}
}

static void class_of(uint32_t c, struct ch *o)
{
	o->cls = C_OTHER;
	o->sep = 0;
	o->nd = 0;
	if (c < 0x80) {
		class_ascii(c, o);
	} else if (c >= 0x4E00 && c <= 0x9FFF) { /* the fast path: only the numerals are special */
		int v = cn_numeral(c);
		if (v >= 0)
			set_digit(o, C_CN, v);
	} else {
		class_slow(c, o);
	}
}

static bool is_dig(const struct ch *c)
{
	return c->cls == C_DIGIT || c->cls == C_CN;
}

/* Chinese numerals count as digits only where at least MIN_CN_RUN of them stand together,
 * joined by separators; shorter stretches (一二三, 三三两两, 二〇二二年) become ordinary text. */
static void demote_short_cn(struct text *t)
{
	struct ch *c = t->c;
	size_t i = 0;
	while (i < t->n) {
		if (c[i].cls != C_CN) {
			i++;
			continue;
		}
		size_t a = i, j = i, count = 0;
		for (;;) {
			while (j < t->n && c[j].cls == C_CN) {
				count++;
				j++;
			}
			size_t s = j;
			while (s < t->n && s - j < MAX_SEPS && c[s].cls == C_SEP)
				s++;
			if (s > j && s < t->n && c[s].cls == C_CN) {
				j = s;
				continue;
			}
			break;
		}
		if (count < MIN_CN_RUN)
			for (size_t k = a; k < j; k++)
				if (c[k].cls == C_CN)
					c[k].cls = C_OTHER;
		i = j;
	}
}

/* Decode valid UTF-8 s and classify every code point. */
static void text_init(struct text *t, const char *s)
{
	size_t len = strlen(s);
	t->s = s;
	t->c = xmalloc((len + 1) * sizeof *t->c);
	t->n = 0;
	size_t i = 0;
	while (i < len) {
		struct ch *o = &t->c[t->n++];
		o->off = i;
		i += (size_t)utf8_decode(s + i, &o->cp);
		class_of(o->cp, o);
	}
	t->c[t->n] = (struct ch){.off = len};
	demote_short_cn(t);
}

static void text_free(struct text *t)
{
	free(t->c);
}

static void put_cp(struct buf *b, const struct text *t, size_t i)
{
	buf_put(b, t->s + t->c[i].off, t->c[i + 1].off - t->c[i].off);
}

/* The bytes of code points [i, j). */
static void put_range(struct buf *b, const struct text *t, size_t i, size_t j)
{
	if (i < j)
		buf_put(b, t->s + t->c[i].off, t->c[j].off - t->c[i].off);
}

/* Whether the UTF-8 string w starts at code point i (and ends before code point z). */
static bool word_at(const struct text *t, size_t i, size_t z, const char *w)
{
	size_t n = strlen(w);
	return i < z && t->c[z].off - t->c[i].off >= n && memcmp(t->s + t->c[i].off, w, n) == 0;
}

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x00A0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
	       c == 0x3000 || c == 0xFEFF;
}

/* White space or a zero-width/format character: what may be typed inside a name. */
static bool is_gap(uint32_t c)
{
	return is_space(c) || (c >= 0x80 && uc_is_general_category(c, UC_CATEGORY_Cf));
}

static bool is_latin_letter(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7);
}

/* Characters of a name that carry no identity and are kept: hyphen, dot, apostrophe and the
 * middle dots of transliterated names (阿依古丽·买买提). */
static bool is_name_sep(uint32_t c)
{
	return c == '-' || c == '.' || c == '\'' || c == 0x00B7 || c == 0x2022 || c == 0x30FB ||
	       c == 0xFF0E || c == 0x2027;
}

/* Trim: [*a, *z) is the part of t without surrounding whitespace. */
static void trim(const struct text *t, size_t *a, size_t *z)
{
	*a = 0;
	*z = t->n;
	while (*a < *z && is_space(t->c[*a].cp))
		(*a)++;
	while (*z > *a && is_space(t->c[*z - 1].cp))
		(*z)--;
}

static void put_stars(struct buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(b, '*');
}

/* ---- numbers: classes and masked forms -------------------------------------------------- */

enum kind {
	K_NONE,
	K_MOBILE,
	K_ID,
	K_INTL,
	K_LANDLINE,
	K_BANK,
	K_UNKNOWN, /* masked: 7+ digits of no class */
	K_DATE,    /* readable */
	K_AMOUNT,  /* readable when it stands alone */
	K_LEFT,    /* a group no span took */
};

static bool is_masked_kind(enum kind k)
{
	return k >= K_MOBILE && k <= K_UNKNOWN;
}

static bool is_mobile(const char *d, size_t len)
{
	return len == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

static int two(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static bool valid_date(int y, int m, int d)
{
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static bool plausible_mmdd(const char *mm_dd)
{
	int m = two(mm_dd), d = two(mm_dd + 2);
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* 17 digits (the 18th is checked by the caller): region, birth year 18xx-20xx, month, day. */
static bool plausible_id18(const char *d)
{
	return d[0] >= '1' && d[0] <= '9' && (two(d + 6) >= 18 && two(d + 6) <= 20) && plausible_mmdd(d + 10);
}

static bool plausible_id15(const char *d)
{
	return d[0] >= '1' && d[0] <= '9' && plausible_mmdd(d + 8);
}

/* Area-code length of a Chinese landline number (0 included): 010 and 02x are three digits,
 * every other area code four. */
static size_t area_len(const char *d)
{
	return d[1] == '1' || d[1] == '2' ? 3 : 4;
}

/* The staff form of a number of kind k with digits d[0..n): at least 4 '*' and 1 digit. */
static void put_form(struct buf *b, enum kind k, const char *d, size_t n, size_t area, bool x)
{
	switch (k) {
	case K_MOBILE:
		buf_put(b, d, 3);
		buf_puts(b, "****");
		buf_put(b, d + 7, 4);
		break;
	case K_LANDLINE:
		buf_put(b, d, area);
		buf_puts(b, "-****");
		buf_put(b, d + n - 4, 4);
		break;
	case K_ID:
		buf_put(b, d, 4);
		if (x) {
			put_stars(b, n - 7);
			buf_put(b, d + n - 3, 3);
			buf_putc(b, 'X');
		} else {
			put_stars(b, n - 8);
			buf_put(b, d + n - 4, 4);
		}
		break;
	case K_BANK:
		buf_put(b, d, 4);
		put_stars(b, n - 8);
		buf_put(b, d + n - 4, 4);
		break;
	case K_INTL: {
		size_t keep = n >= 10 ? 4 : 2;
		buf_putc(b, '+');
		buf_put(b, d, 2);
		put_stars(b, n - 2 - keep);
		buf_put(b, d + n - keep, keep);
		break;
	}
	default: { /* K_UNKNOWN, n >= 7: at least half hidden, at most 4 shown */
		size_t keep = n - 4 < 4 ? n - 4 : 4;
		put_stars(b, n - keep);
		buf_put(b, d + n - keep, keep);
		break;
	}
	}
}

/* A form that mask_text wrote — [+] D{0,4} *{4,} D{1,4} [X], or an area code 0DD(D) '-' and
 * the same, ASCII, with no digit directly before or after — starting at code point i: returns
 * the index after it, else 0. */
static size_t masked_at(const struct text *t, size_t i, size_t z)
{
	const struct ch *c = t->c;
	if (i > 0 && c[i - 1].cls == C_DIGIT)
		return 0;
	size_t p = i, head = 0, stars = 0, tail = 0;
	if (p < z && c[p].cp == '+')
		p++;
	while (p < z && head < 5 && c[p].cp >= '0' && c[p].cp <= '9') {
		p++;
		head++;
	}
	if (head > 4)
		return 0;
	if (head > 0 && p < z && c[p].cp == '-') { /* only after an area code: 0716-****4567 */
		if (head < 3 || c[i].cp != '0')
			return 0;
		p++;
	}
	while (p < z && c[p].cp == '*') {
		p++;
		stars++;
	}
	if (stars < 4)
		return 0;
	while (p < z && tail < 5 && c[p].cp >= '0' && c[p].cp <= '9') {
		p++;
		tail++;
	}
	if (tail == 0 || tail > 4)
		return 0;
	if (p < z && c[p].cp == 'X' && !(p + 1 < z && c[p + 1].cls == C_DIGIT))
		p++;
	if (p < z && c[p].cls == C_DIGIT)
		return 0;
	return p;
}

/* ---- free text: runs of digit groups ---------------------------------------------------- */

/* One group of a run: digits at code points [start, end), normalised at digits[dstart..+nd). */
struct group {
	size_t start, end, dstart, nd;
};

/* A span of groups [gi, gj] of one kind. */
struct piece {
	size_t gi, gj;
	enum kind kind;
	size_t skip; /* K_MOBILE: prefix digits (86, 0086) not in the form */
	size_t area; /* K_LANDLINE: digits of the area code */
	bool x;      /* K_ID: ends with the check character X */
	bool plus;   /* the span starts at the run's + sign */
};

struct scan {
	const struct text *t;
	size_t a, z; /* the range scanned */
	struct buf *out;
	bool star_stray;  /* digits not masked become '*' (phone/ID fields holding text) */
	bool after_digit; /* the output ends with a (non-Chinese) digit or a '*' */
	char *digits;     /* scratch for one run, allocated at the first run */
	struct group *g;
	struct piece *pc;
	/* the current run */
	size_t p, ng, end;
	bool plus, has_x;
};

/* Copy code points [from, to) to the output (digits as '*' when star_stray). */
static void put_plain(struct scan *sc, size_t from, size_t to)
{
	const struct text *t = sc->t;
	if (from >= to)
		return;
	if (!sc->star_stray) {
		put_range(sc->out, t, from, to);
	} else {
		for (size_t i = from; i < to; i++) {
			if (is_dig(&t->c[i]))
				buf_putc(sc->out, '*');
			else
				put_cp(sc->out, t, i);
		}
	}
	sc->after_digit = sc->star_stray ? is_dig(&t->c[to - 1]) || t->c[to - 1].cls == C_STAR
	                                 : t->c[to - 1].cls == C_DIGIT || t->c[to - 1].cls == C_STAR;
}

static size_t span_digits(const struct scan *sc, size_t gi, size_t gj)
{
	return sc->g[gj].dstart + sc->g[gj].nd - sc->g[gi].dstart;
}

/* The separators between group k and group k+1 are all of the kinds in mask (and, when single,
 * there is exactly one of them). */
static bool seps_are(const struct scan *sc, size_t k, unsigned mask, bool single)
{
	const struct ch *c = sc->t->c;
	size_t a = sc->g[k].end, z = sc->g[k + 1].start;
	if (single && z - a != 1)
		return false;
	for (size_t i = a; i < z; i++)
		if (!(c[i].sep & mask))
			return false;
	return true;
}

/* clang-format off */
static const char *const units[] = {
	"元", "角", "万", "亿", "萬", "億", "千", "百", "吨", "噸", "亩", "畝", "米", "里", "斤", "升", "方", "克",
	"度", "户", "戶", "人", "个", "個", "次", "件", "辆", "輛", "台", "头", "頭", "只", "隻", "株", "棵", "间",
	"間", "套", "块", "塊", "%", "％", "‰", "㎡", "㎞", "㎏", "㎎", "㎝", "㎜", "㎥", "℃", "公里", "公斤",
	"公顷", "公分", "平方", "平米", "立方", "毫米", "毫升", "厘米",
};
static const char *const latin_units[] = {"kg", "km", "m", "cm", "mm", "t", "kw", "kwh", "g", "l", "ml", "mu"};
/* clang-format on */

/* A unit (元, 万元, %, ㎡, kg …) follows code point k, after at most MAX_SEPS spaces. */
static bool unit_at(const struct scan *sc, size_t k)
{
	const struct text *t = sc->t;
	for (int s = 0; s < MAX_SEPS && k < sc->z && (t->c[k].sep & S_SPACE); s++)
		k++;
	if (k >= sc->z)
		return false;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (word_at(t, k, sc->z, units[i]))
			return true;
	char w[4];
	size_t n = 0;
	while (k + n < sc->z && n < sizeof w && t->c[k + n].cp < 0x80 && is_latin_letter(t->c[k + n].cp)) {
		w[n] = (char)(t->c[k + n].cp | 0x20);
		n++;
	}
	if (n == 0 || (k + n < sc->z && is_latin_letter(t->c[k + n].cp)))
		return false;
	for (size_t i = 0; i < sizeof latin_units / sizeof *latin_units; i++)
		if (strlen(latin_units[i]) == n && memcmp(latin_units[i], w, n) == 0)
			return true;
	return false;
}

static const char *const currencies[] = {"¥", "￥", "$", "＄", "€", "£", "人民币", "RMB", "rmb", "CNY"};

/* A currency sign or word ends just before code point k (spaces between allowed). */
static bool currency_before(const struct scan *sc, size_t k)
{
	const struct text *t = sc->t;
	for (int s = 0; s < MAX_SEPS && k > sc->a && (t->c[k - 1].sep & S_SPACE); s++)
		k--;
	size_t off = t->c[k].off, lo = t->c[sc->a].off;
	for (size_t i = 0; i < sizeof currencies / sizeof *currencies; i++) {
		size_t n = strlen(currencies[i]);
		if (off - lo >= n && memcmp(t->s + off - n, currencies[i], n) == 0)
			return true;
	}
	return false;
}

/* The value of the n ASCII digits at d (n ≤ 9). */
static int atoi_n(const char *d, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

static bool is_date(const struct scan *sc, size_t i, size_t j, const char *d, size_t len)
{
	const struct group *g = sc->g;
	if (i == j && len == 8)
		return valid_date(atoi_n(d, 4), two(d + 4), two(d + 6));
	if (j == i + 2 && g[i].nd == 4 && g[i + 1].nd <= 2 && g[j].nd <= 2 &&
	    seps_are(sc, i, S_DASH | S_DOT | S_SLASH, true) &&
	    seps_are(sc, i + 1, S_DASH | S_DOT | S_SLASH, true)) {
		const char *m = d + 4, *dd = m + g[i + 1].nd;
		int mv = g[i + 1].nd == 2 ? two(m) : m[0] - '0';
		int dv = g[j].nd == 2 ? two(dd) : dd[0] - '0';
		return valid_date(atoi_n(d, 4), mv, dv);
	}
	/* Years before 年: 2022年, 2021、2022年 */
	if (j != sc->ng - 1)
		return false;
	for (size_t k = i; k <= j; k++) {
		int y = g[k].nd == 4 ? atoi_n(sc->digits + g[k].dstart, 4) : 0;
		if (y < 1900 || y > 2099)
			return false;
	}
	size_t e = g[j].end;
	if (e < sc->z && (sc->t->c[e].sep & S_SPACE))
		e++;
	return word_at(sc->t, e, sc->z, "年");
}

static bool is_amount(const struct scan *sc, size_t i, size_t j, size_t len)
{
	if (len > MAX_READABLE)
		return false;
	if (!((j == sc->ng - 1 && unit_at(sc, sc->g[j].end)) ||
	      (i == 0 && !sc->plus && currency_before(sc, sc->p))))
		return false;
	for (size_t k = i; k < j; k++)
		if (!seps_are(sc, k, S_SPACE | S_COMMA, false) && !seps_are(sc, k, S_DOT, true))
			return false;
	return true;
}

/* Bank card groups: one group, groups of 4 (the last 1-4), or 6 + the rest. */
static bool card_groups(const struct scan *sc, size_t i, size_t j)
{
	if (i == j)
		return true;
	if (j == i + 1 && sc->g[i].nd == 6)
		return true;
	for (size_t k = i; k < j; k++)
		if (sc->g[k].nd != 4)
			return false;
	return sc->g[j].nd <= 4;
}

/* The kind of groups [i, j] of the current run (K_NONE: none), with its details in *pc. */
static enum kind classify(const struct scan *sc, size_t i, size_t j, struct piece *pc)
{
	const struct group *g = sc->g;
	const char *d = sc->digits + g[i].dstart;
	size_t len = span_digits(sc, i, j);
	bool single = i == j;
	*pc = (struct piece){.gi = i, .gj = j, .kind = K_NONE};

	if (sc->plus && i == 0) {
		pc->plus = true;
		if (len == 13 && d[0] == '8' && d[1] == '6' && is_mobile(d + 2, 11)) {
			pc->skip = 2;
			return pc->kind = K_MOBILE;
		}
		if (len >= 8 && len <= 15)
			return pc->kind = K_INTL;
		pc->plus = false; /* a plus sign that leads no phone number: text */
	}
	if (len == 13 && d[0] == '8' && d[1] == '6' && is_mobile(d + 2, 11)) {
		pc->skip = 2;
		return pc->kind = K_MOBILE;
	}
	if (len == 15 && memcmp(d, "0086", 4) == 0 && is_mobile(d + 4, 11)) {
		pc->skip = 4;
		return pc->kind = K_MOBILE;
	}
	if (is_mobile(d, len))
		return pc->kind = K_MOBILE;
	if (len == 17 && sc->has_x && j == sc->ng - 1 && (single || plausible_id18(d))) {
		pc->x = true;
		return pc->kind = K_ID;
	}
	if ((len == 18 && (single || plausible_id18(d))) || (len == 15 && (single || plausible_id15(d))))
		return pc->kind = K_ID;
	if (d[0] == '0' && len >= 2 && d[1] != '0') {
		if (!single && (g[i].nd == 3 || g[i].nd == 4) && len - g[i].nd >= 7 && len - g[i].nd <= 8) {
			pc->area = g[i].nd;
			return pc->kind = K_LANDLINE;
		}
		if (single && len >= 10 && len <= 12 && len - area_len(d) >= 7 && len - area_len(d) <= 8) {
			pc->area = area_len(d);
			return pc->kind = K_LANDLINE;
		}
	}
	if (len >= 16 && len <= 19 && card_groups(sc, i, j))
		return pc->kind = K_BANK;
	if (is_date(sc, i, j, d, len))
		return pc->kind = K_DATE;
	if (is_amount(sc, i, j, len))
		return pc->kind = K_AMOUNT;
	return K_NONE;
}

/* Write the masked form of piece pc; *cursor is the first code point not yet written. */
static void put_masked(struct scan *sc, size_t *cursor, const struct piece *pc)
{
	const struct text *t = sc->t;
	size_t start = pc->plus ? sc->p : sc->g[pc->gi].start;
	size_t end = sc->g[pc->gj].end + (pc->x ? 1 : 0);
	/* An opening bracket whose closing one is inside the span goes with it: (0716)1234567. */
	if (start > *cursor && (t->c[start - 1].sep & S_OPEN)) {
		for (size_t k = pc->gi; k < pc->gj; k++) {
			size_t i = sc->g[k].end;
			while (i < sc->g[k + 1].start && !(t->c[i].sep & S_CLOSE))
				i++;
			if (i < sc->g[k + 1].start) {
				start--;
				break;
			}
		}
	}
	/* Brackets opened inside the span are closed inside it: (138)(1234)(5678). */
	size_t open = 0;
	for (size_t i = start; i < end; i++)
		if (t->c[i].sep & S_OPEN)
			open++;
		else if ((t->c[i].sep & S_CLOSE) && open > 0)
			open--;
	while (open-- > 0 && end < sc->z && (t->c[end].sep & S_CLOSE) &&
	       !(end + 1 < sc->z && is_dig(&t->c[end + 1])))
		end++; /* but not where the form would then touch the next digits */
	put_plain(sc, *cursor, start);
	if (sc->after_digit) /* keep the form from reading as part of a longer number or mask */
		buf_putc(sc->out, ' ');
	size_t len = span_digits(sc, pc->gi, pc->gj);
	put_form(sc->out, pc->kind, sc->digits + sc->g[pc->gi].dstart + pc->skip, len - pc->skip, pc->area,
	         pc->x);
	if (end < sc->z && t->c[end].cls == C_STAR)
		buf_putc(sc->out, ' '); /* nor run into stars that follow */
	sc->after_digit = true;
	*cursor = end;
}

/* Mask the run of digit groups at code point p (a digit, or + and a digit); text from pend to
 * p is not yet written.  Returns the index of the first code point after the run. */
static size_t scan_run(struct scan *sc, size_t pend, size_t p)
{
	const struct text *t = sc->t;
	const struct ch *c = t->c;
	size_t z = sc->z, q = p, ng = 0, nd = 0;
	if (!sc->digits) {
		size_t n = sc->z - sc->a + 1;
		sc->digits = xmalloc(n * sizeof c->d);
		sc->g = xmalloc(n * sizeof *sc->g);
		sc->pc = xmalloc(n * sizeof *sc->pc);
	}
	sc->p = p;
	sc->plus = c[q].cls == C_PLUS;
	if (sc->plus)
		q++;
	for (;;) {
		struct group *g = &sc->g[ng++];
		g->start = q;
		g->dstart = nd;
		while (q < z && is_dig(&c[q])) {
			memcpy(sc->digits + nd, c[q].d, c[q].nd);
			nd += c[q].nd;
			q++;
		}
		g->end = q;
		g->nd = nd - g->dstart;
		size_t s = q;
		while (s < z && s - q < MAX_SEPS && c[s].cls == C_SEP)
			s++;
		if (s > q && s < z && is_dig(&c[s]) && !masked_at(t, s, z)) {
			q = s;
			continue;
		}
		break;
	}
	sc->ng = ng;
	sc->end = q;
	sc->has_x = q < z && c[q].cls == C_X && !(q + 1 < z && is_latin_letter(c[q + 1].cp));

	/* Cut the run into pieces: the longest classified span from each group, left to right. */
	size_t np = 0;
	for (size_t i = 0; i < ng;) {
		size_t jmax = i, total = sc->g[i].nd;
		while (jmax + 1 < ng && total + sc->g[jmax + 1].nd <= MAX_NUM_DIGITS)
			total += sc->g[++jmax].nd;
		struct piece pc = {.kind = K_NONE};
		size_t j = jmax;
		for (;; j--) {
			if (classify(sc, i, j, &pc) != K_NONE || j == i)
				break;
		}
		if (pc.kind == K_NONE)
			pc = (struct piece){.gi = i, .gj = i, .kind = K_LEFT};
		sc->pc[np++] = pc;
		i = pc.gj + 1;
	}

	/* Write them.  Groups left over, and amounts glued to them, are masked together when they
	 * hold MIN_UNKNOWN digits or more; a lone amount and dates stay readable. */
	size_t cursor = pend;
	for (size_t k = 0; k < np;) {
		const struct piece *pc = &sc->pc[k];
		if (is_masked_kind(pc->kind)) {
			put_masked(sc, &cursor, pc);
			k++;
			continue;
		}
		if (pc->kind == K_DATE) {
			k++;
			continue;
		}
		size_t e = k, digits = 0;
		while (e < np && (sc->pc[e].kind == K_LEFT || sc->pc[e].kind == K_AMOUNT)) {
			digits += span_digits(sc, sc->pc[e].gi, sc->pc[e].gj);
			e++;
		}
		if (!(e == k + 1 && pc->kind == K_AMOUNT) && digits >= MIN_UNKNOWN) {
			struct piece u = {.gi = pc->gi, .gj = sc->pc[e - 1].gj, .kind = K_UNKNOWN};
			put_masked(sc, &cursor, &u);
		}
		k = e;
	}
	size_t end = cursor > sc->end ? cursor : sc->end;
	put_plain(sc, cursor, end);
	return end;
}

/* Append the staff form of code points [a, z) of t to out. */
static void scan_into(struct buf *out, const struct text *t, size_t a, size_t z, bool star_stray)
{
	struct scan sc = {.t = t, .a = a, .z = z, .out = out, .star_stray = star_stray};
	size_t i = a, pend = a;
	while (i < z) {
		const struct ch *c = &t->c[i];
		size_t e;
		if ((c->cls == C_DIGIT || c->cls == C_PLUS || c->cls == C_STAR) &&
		    (e = masked_at(t, i, z)) != 0) {
			put_plain(&sc, pend, i);
			put_range(out, t, i, e);
			sc.after_digit = true;
			i = pend = e;
			continue;
		}
		if (c->cls == C_STAR) { /* no form starts later in these stars either */
			while (i < z && t->c[i].cls == C_STAR)
				i++;
			continue;
		}
		if (is_dig(c) ||
		    (c->cls == C_PLUS && i + 1 < z && is_dig(&t->c[i + 1]) && !masked_at(t, i + 1, z))) {
			i = pend = scan_run(&sc, pend, i);
			continue;
		}
		i++;
	}
	put_plain(&sc, pend, z);
	free(sc.digits);
	free(sc.g);
	free(sc.pc);
}

/* ---- names ------------------------------------------------------------------------------ */

/* Compound (two-character) surnames, simplified and common traditional forms. */
/* clang-format off */
static const char *const compound_surnames[] = {
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
	"司徒", "司空", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "澹台",
	"太史", "申屠", "万俟", "闻人", "赫连", "呼延", "百里", "东郭", "公羊", "公冶", "濮阳",
	"淳于", "单于", "左丘", "第五", "宗政", "太叔", "仲孙", "鲜于", "闾丘", "亓官", "司寇",
	"子车", "颛孙", "巫马", "公西", "漆雕", "乐正", "壤驷", "公良", "拓跋", "夹谷", "宰父",
	"谷梁", "段干", "南门", "归海", "羊舌", "微生", "梁丘", "东门", "商牟", "伯赏", "完颜",
	"耶律", "纳兰", "贺兰", "爱新", "叶赫", "钮祜",
	"歐陽", "司馬", "諸葛", "東方", "公孫", "長孫", "軒轅", "鍾離", "南宮", "西門", "聞人",
	"赫連", "東郭", "單于", "尉遲", "獨孤", "濮陽", "閭丘", "顓孫", "樂正", "穀梁", "東門",
};
/* clang-format on */

static bool is_compound(uint32_t c0, uint32_t c1)
{
	char k[9];
	int n = utf8_encode(c0, k);
	n += utf8_encode(c1, k + n);
	k[n] = 0;
	for (size_t i = 0; i < sizeof compound_surnames / sizeof *compound_surnames; i++)
		if (strcmp(compound_surnames[i], k) == 0)
			return true;
	return false;
}

/* Keep the surname (one character, or two for a compound surname when the name has three or
 * more), one * for every other character.  Latin names keep single spaces between words; a
 * Chinese name loses any spaces typed inside it.  One-character names become "*". */
static char *mask_name(const char *s)
{
	struct text t;
	text_init(&t, s);
	size_t a, z;
	trim(&t, &a, &z);
	bool latin = a < z && is_latin_letter(t.c[a].cp);

	/* Characters that carry identity, and their count. */
	size_t letters = 0;
	for (size_t i = a; i < z; i++)
		if (!is_space(t.c[i].cp) && !is_name_sep(t.c[i].cp))
			letters++;
	size_t keep = letters <= 1 ? 0 : 1;
	if (letters >= 3 && !latin) {
		uint32_t first[2] = {0, 0};
		size_t k = 0;
		for (size_t i = a; i < z && k < 2; i++)
			if (!is_space(t.c[i].cp) && !is_name_sep(t.c[i].cp))
				first[k++] = t.c[i].cp;
		if (is_compound(first[0], first[1]))
			keep = 2;
	}

	struct buf b;
	buf_init(&b);
	size_t seen = 0;
	for (size_t i = a; i < z; i++) {
		uint32_t c = t.c[i].cp;
		if (is_space(c)) {
			if (latin && !is_space(t.c[i - 1].cp))
				buf_putc(&b, ' ');
		} else if (is_name_sep(c)) {
			put_cp(&b, &t, i);
		} else if (seen++ < keep) {
			put_cp(&b, &t, i);
		} else {
			buf_putc(&b, '*');
		}
	}
	text_free(&t);
	return buf_take(&b);
}

/* ---- known names inside text ------------------------------------------------------------ */

/* One thing to find: code points (gaps removed, Latin folded to lower case) and what replaces
 * them. */
struct name_pat {
	uint32_t *cp;
	size_t n;
	bool latin;
	char *form;
};

struct name_pats {
	struct name_pat *v;
	size_t n, cap;
};

static void pat_add(struct name_pats *ps, const uint32_t *cp, size_t n, bool latin, char *form)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 8;
		ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
	}
	struct name_pat *p = &ps->v[ps->n++];
	p->cp = xmalloc(n * sizeof *cp);
	memcpy(p->cp, cp, n * sizeof *cp);
	p->n = n;
	p->latin = latin;
	p->form = form;
}

/* One * per character of cp[0..n), name separators kept. */
static char *stars_for(const uint32_t *cp, size_t n)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (is_name_sep(cp[i])) {
			char e[4];
			buf_put(&b, e, (size_t)utf8_encode(cp[i], e));
		} else {
			buf_putc(&b, '*');
		}
	}
	return buf_take(&b);
}

/* The patterns for one name: the full name; for a Chinese name of 3+ characters its given name
 * (2+ characters); for a Latin name of several words each word of 3+ letters. */
static void pats_for_name(struct name_pats *ps, const char *raw)
{
	char *s = sanitize(raw);
	struct text t;
	text_init(&t, s);
	uint32_t *cp = xmalloc((t.n + 1) * sizeof *cp);
	size_t n = 0, letters = 0;
	bool latin = false;
	for (size_t i = 0; i < t.n; i++) {
		uint32_t c = t.c[i].cp;
		if (is_gap(c))
			continue;
		if (n == 0)
			latin = is_latin_letter(c);
		cp[n++] = latin ? uc_tolower(c) : c;
		if (!is_name_sep(c))
			letters++;
	}
	if (letters >= 2) {
		pat_add(ps, cp, n, latin, mask_name(s));
		if (!latin && letters >= 3) {
			size_t sur = is_compound(cp[0], cp[1]) ? 2 : 1;
			while (sur < n && is_name_sep(cp[sur]))
				sur++;
			if (n - sur >= 2)
				pat_add(ps, cp + sur, n - sur, false, stars_for(cp + sur, n - sur));
		} else if (latin) {
			bool words = false;
			for (size_t i = 0; i < t.n && !words; i++)
				words =
				    i > 0 && is_space(t.c[i].cp) && !is_space(t.c[i - 1].cp) && i + 1 < t.n;
			for (size_t i = 0; words && i < t.n;) {
				size_t w = 0;
				while (i < t.n && !is_latin_letter(t.c[i].cp))
					i++;
				while (i + w < t.n && is_latin_letter(t.c[i + w].cp)) {
					cp[w] = uc_tolower(t.c[i + w].cp);
					w++;
				}
				if (w >= 3)
					pat_add(ps, cp, w, true, stars_for(cp, w));
				i += w;
			}
		}
	}
	free(cp);
	text_free(&t);
	free(s);
}

/* The end (exclusive) of pattern p matched at code point i of cp[0..n), or 0.  Up to MAX_SEPS
 * gap characters may stand between two characters of the name. */
static size_t pat_match(const uint32_t *cp, size_t n, size_t i, const struct name_pat *p)
{
	size_t k = i;
	for (size_t m = 0; m < p->n; m++) {
		for (int g = 0; m > 0 && g < MAX_SEPS && k < n && is_gap(cp[k]); g++)
			k++;
		if (k >= n || (p->latin ? uc_tolower(cp[k]) : cp[k]) != p->cp[m])
			return 0;
		k++;
	}
	if (p->latin && ((i > 0 && is_latin_letter(cp[i - 1])) || (k < n && is_latin_letter(cp[k]))))
		return 0;
	return k;
}

/* s (valid UTF-8) with every known name masked; NULL when nothing matched. */
static char *mask_known_names(const char *s, const struct mask_names *names)
{
	if (!names || names->n == 0 || !names->v)
		return NULL;
	struct name_pats ps = {0};
	for (size_t i = 0; i < names->n; i++)
		if (names->v[i] && names->v[i][0])
			pats_for_name(&ps, names->v[i]);
	if (ps.n == 0)
		return NULL;
	size_t len = strlen(s), n = 0;
	uint32_t *cp = xmalloc((len + 1) * sizeof *cp);
	size_t *off = xmalloc((len + 1) * sizeof *off);
	for (size_t i = 0; i < len; n++) {
		off[n] = i;
		i += (size_t)utf8_decode(s + i, &cp[n]);
	}
	off[n] = len;
	struct buf b;
	buf_init(&b);
	bool hit = false;
	size_t pend = 0;
	for (size_t i = 0; i < n;) {
		size_t best = 0, which = 0;
		for (size_t k = 0; k < ps.n; k++) {
			size_t e = pat_match(cp, n, i, &ps.v[k]);
			if (e > best) {
				best = e;
				which = k;
			}
		}
		if (best == 0) {
			i++;
			continue;
		}
		buf_put(&b, s + off[pend], off[i] - off[pend]);
		/* A name's stars never touch digits, + - X or '*': they would read as a masked number
		 * (J*** ***** 1338, not J*** *****1338). */
		if (i > 0 && strchr(TOKEN_CHARS, s[off[i] - 1]))
			buf_putc(&b, ' ');
		buf_puts(&b, ps.v[which].form);
		if (best < n && strchr(TOKEN_CHARS, s[off[best]]))
			buf_putc(&b, ' ');
		hit = true;
		i = pend = best;
	}
	buf_put(&b, s + off[pend], len - off[pend]);
	for (size_t k = 0; k < ps.n; k++) {
		free(ps.v[k].cp);
		free(ps.v[k].form);
	}
	free(ps.v);
	free(cp);
	free(off);
	if (!hit) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* ---- free text: entry points ------------------------------------------------------------ */

/* House numbers: an exact address is cut to its village or group (SPEC §4), so inside free text
 * the digits of a number between a place word and a house-number word — 一组18号, 人民路25号,
 * 3栋2单元501室 — become stars (一组**号).  A group or village number (2组, 3村) is not a house
 * number and stays; so do dates (7月18号) and document numbers (第3号), which follow no place. */
/* clang-format off */
static const char *const house_before[] = {"村", "组", "社区", "小区", "路", "街", "巷", "弄", "里", "屯",
					   "队", "道", "栋", "幢", "单元", "楼", "院", "苑", NULL};
static const char *const house_after[] = {"号", "室", "栋", "幢", "单元", "楼", "户", NULL};
/* clang-format on */

static bool ends_with_word(const struct text *t, size_t i, const char *const *words)
{
	for (int k = 0; words[k]; k++) {
		size_t n = strlen(words[k]);
		if (t->c[i].off >= n && memcmp(t->s + t->c[i].off - n, words[k], n) == 0)
			return true;
	}
	return false;
}

static bool starts_with_word(const struct text *t, size_t j, const char *const *words)
{
	for (int k = 0; words[k]; k++)
		if (word_at(t, j, t->n, words[k]))
			return true;
	return false;
}

static char *mask_house_numbers(char *s)
{
	struct text t;
	text_init(&t, s);
	struct buf b;
	buf_init(&b);
	size_t i = 0;
	bool changed = false;
	while (i < t.n) {
		if (t.c[i].cls != C_DIGIT) {
			put_cp(&b, &t, i++);
			continue;
		}
		size_t j = i;
		while (j < t.n && t.c[j].cls == C_DIGIT)
			j++;
		if (j - i <= 6 && ends_with_word(&t, i, house_before) && starts_with_word(&t, j, house_after)) {
			for (size_t k = i; k < j; k++)
				buf_putc(&b, '*');
			changed = true;
		} else {
			put_range(&b, &t, i, j);
		}
		i = j;
	}
	text_free(&t);
	if (!changed) {
		buf_free(&b);
		return s;
	}
	free(s);
	return buf_take(&b);
}

/* The stored form of valid UTF-8 s. */
static char *text_staff(const char *s, const struct mask_names *names)
{
	char *named = mask_known_names(s, names);
	struct text t;
	text_init(&t, named ? named : s);
	struct buf b;
	buf_init(&b);
	scan_into(&b, &t, 0, t.n, false);
	text_free(&t);
	free(named);
	return mask_house_numbers(buf_take(&b));
}

/* The public form of valid UTF-8 s in stored form. */
static char *text_public(const char *s)
{
	struct buf b;
	buf_init(&b);
	size_t i = 0, n = strlen(s);
	while (i < n) {
		size_t j = i, run = 0, stars = 0;
		bool digit = false;
		while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '+' || s[j] == '-' || s[j] == 'X' ||
		                 s[j] == '*')) {
			run = s[j] == '*' ? run + 1 : 0;
			if (run > stars)
				stars = run;
			digit = digit || (s[j] >= '0' && s[j] <= '9');
			j++;
		}
		if (j == i) {
			buf_putc(&b, s[i++]);
			continue;
		}
		if (stars >= 4 && digit)
			buf_puts(&b, HIDDEN);
		else
			buf_put(&b, s + i, j - i);
		i = j;
	}
	return buf_take(&b);
}

char *mask_text(const char *text, const struct mask_names *names)
{
	if (!text)
		return NULL;
	char *s = sanitize(text);
	char *r = text_staff(s, names);
	free(s);
	return r;
}

char *mask_text_public(const char *stored)
{
	if (!stored)
		return NULL;
	char *s = sanitize(stored);
	char *r = text_public(s);
	free(s);
	return r;
}

/* ---- household labels ------------------------------------------------------------------- */

/* Place markers: the name follows the last one (3组李四户, 新河口村张三家, 5号王五). */
/* clang-format off */
static const char *const label_markers[] = {"居委会", "村委会", "社区", "小区", "单元", "村", "组",
					    "队", "屯", "号", "栋", "幢", "室"};
/* clang-format on */

/* What may follow the name: 张三家, 李四户. */
static const char *const label_suffixes[] = {"家庭", "家", "户", "戶"};

static bool is_label_char(uint32_t c)
{
	return is_latin_letter(c) || c == 0x00B7 || c == 0x30FB || c == 0x2022 ||
	       uc_is_property_ideographic(c);
}

/* A character of a name word in a label: letters, ideographs and middle dots, and '*' (a name
 * masked already) — not digits, and nothing of a masked number (token[i]). */
static bool label_char_at(const struct text *t, const bool *token, size_t i)
{
	if (token[i])
		return false;
	return t->c[i].cp == '*' || (is_label_char(t->c[i].cp) && !is_dig(&t->c[i]));
}

/* The label s (valid UTF-8, numbers and known names masked already) with its resident's name
 * masked.  Working on the masked text keeps mask_label idempotent: a second pass sees the
 * words the first one saw. */
/* Where the resident's name stands in label text t: [*ca, *cz), true when found (not when the
 * name is masked already or is a surname alone). */
static bool find_label_name(const struct text *tt, size_t *out_a, size_t *out_z)
{
	const struct text t = *tt;
	bool *token = xcalloc(t.n + 1, sizeof *token);
	for (size_t i = 0; i < t.n;) {
		size_t e = masked_at(&t, i, t.n);
		if (e == 0) {
			i++;
			while (t.c[i - 1].cls == C_STAR && i < t.n && t.c[i].cls == C_STAR)
				i++; /* no form starts later in these stars either */
			continue;
		}
		for (; i < e; i++)
			token[i] = true;
	}
	size_t ra = 0, ca = 0, cz = 0;
	bool found = false;
	while (ra < t.n) {
		/* Words of name characters; '*' counts as one, so that a name masked already (张*家,
		 * or by a known name) is seen where it stands.  Chinese numerals that are digits of a
		 * number (7 or more together) are not name characters. */
		while (ra < t.n && !label_char_at(&t, token, ra))
			ra++;
		size_t rz = ra;
		while (rz < t.n && (label_char_at(&t, token, rz) ||
		                    (t.c[rz].cp == ' ' && rz > ra && rz + 1 < t.n &&
		                     is_latin_letter(t.c[rz - 1].cp) && is_latin_letter(t.c[rz + 1].cp))))
			rz++;
		if (rz == ra)
			break;
		ca = ra;
		cz = rz;
		for (size_t k = ra; k < rz; k++)
			for (size_t m = 0; m < sizeof label_markers / sizeof *label_markers; m++)
				if (word_at(&t, k, rz, label_markers[m])) {
					size_t e = k + utf8_count(label_markers[m]);
					if (e > ca)
						ca = e;
				}
		for (size_t m = 0; m < sizeof label_suffixes / sizeof *label_suffixes; m++) {
			size_t sl = utf8_count(label_suffixes[m]);
			if (cz - ca > sl && word_at(&t, cz - sl, cz, label_suffixes[m])) {
				cz -= sl;
				break;
			}
		}
		ra = rz;
		size_t letters = 0;
		bool masked = false;
		for (size_t k = ca; k < cz; k++) {
			masked = masked || t.c[k].cp == '*';
			letters += !is_name_sep(t.c[k].cp);
		}
		if (letters == 0)
			continue; /* only place words (新河口村三组) or dots: the name comes later */
		/* The first word after the place is the name: kept when masked already or when it is
		 * a surname alone (张家). */
		found = letters >= 2 && !masked;
		break;
	}
	free(token);
	*out_a = ca;
	*out_z = cz;
	return found;
}

static char *label_name(const char *s)
{
	struct text t;
	text_init(&t, s);
	size_t ca, cz;
	bool found = find_label_name(&t, &ca, &cz);
	char *r;
	if (!found) {
		r = xstrdup(s);
	} else {
		struct buf b;
		buf_init(&b);
		put_range(&b, &t, 0, ca);
		char *name = xstrndup(s + t.c[ca].off, t.c[cz].off - t.c[ca].off);
		char *m = mask_name(name);
		buf_puts(&b, m);
		free(m);
		free(name);
		if (cz < t.n && (t.c[cz].cls == C_DIGIT || t.c[cz].cp == '*'))
			buf_putc(&b, ' '); /* 李* 138****5678, not 李*138****5678 */
		put_range(&b, &t, cz, t.n);
		r = buf_take(&b);
	}
	text_free(&t);
	return r;
}


char *mask_label_name(const char *label)
{
	if (!label)
		return NULL;
	char *s = sanitize(label);
	struct text t;
	text_init(&t, s);
	size_t ca, cz;
	char *r = find_label_name(&t, &ca, &cz) ? xstrndup(s + t.c[ca].off, t.c[cz].off - t.c[ca].off) : NULL;
	text_free(&t);
	free(s);
	return r;
}

/* The stored form of label s (valid UTF-8).  Numbers are masked before the name is looked for
 * and once more after, in case masking the name took a word a number leant on (人民币, 公里). */
static char *label_staff(const char *s, const struct mask_names *names)
{
	char *staff = text_staff(s, names);
	char *named = label_name(staff);
	char *r = text_staff(named, names);
	free(named);
	free(staff);
	return r;
}

char *mask_label(const char *label, const struct mask_names *names)
{
	if (!label)
		return NULL;
	char *s = sanitize(label);
	char *r = label_staff(s, names);
	free(s);
	return r;
}

/* ---- phone and ID fields ---------------------------------------------------------------- */

/* When [a, z) holds nothing but digits (and, if letters_ok, Latin letters), separators and +
 * signs, returns the normalised digits/letters (upper case) and sets *plus when it starts with
 * a + sign; otherwise returns NULL (the value is text, not one number). */
static char *field_token(const struct text *t, size_t a, size_t z, bool letters_ok, bool *plus)
{
	char *d = xmalloc((z - a) * sizeof t->c->d + 1);
	size_t n = 0;
	*plus = a < z && t->c[a].cls == C_PLUS;
	for (size_t i = a; i < z; i++) {
		const struct ch *c = &t->c[i];
		if (is_dig(c)) {
			memcpy(d + n, c->d, c->nd);
			n += c->nd;
		} else if (letters_ok && c->cp < 0x80 &&
		           ((c->cp >= 'A' && c->cp <= 'Z') || (c->cp >= 'a' && c->cp <= 'z'))) {
			d[n++] = (char)(c->cp & ~0x20u);
		} else if (letters_ok && c->cls == C_X) {
			d[n++] = 'X';
		} else if (c->cls != C_SEP && c->cls != C_PLUS) {
			free(d);
			return NULL;
		}
	}
	d[n] = 0;
	return d;
}

static char *mask_phone_staff(const char *s)
{
	struct text t;
	text_init(&t, s);
	size_t a, z;
	trim(&t, &a, &z);
	struct buf b;
	buf_init(&b);
	bool plus;
	char *d = field_token(&t, a, z, false, &plus);
	if (!d) {
		scan_into(&b, &t, a, z, true);
	} else {
		const char *p = d;
		size_t n = strlen(d);
		if (n == 13 && memcmp(d, "86", 2) == 0 && is_mobile(d + 2, 11)) {
			p += 2;
			n -= 2;
		} else if (n == 15 && memcmp(d, "0086", 4) == 0 && is_mobile(d + 4, 11)) {
			p += 4;
			n -= 4;
		} else if (plus && n >= 2 && memcmp(d, "86", 2) == 0) {
			p += 2;
			n -= 2;
		}
		if (is_mobile(p, n))
			put_form(&b, K_MOBILE, p, n, 0, false);
		else if (n >= 10 && n <= 12 && p[0] == '0' && n - area_len(p) >= 7)
			put_form(&b, K_LANDLINE, p, n, area_len(p), false);
		else if (n >= MIN_UNKNOWN)
			put_form(&b, K_UNKNOWN, p, n, 0, false);
		else
			put_stars(&b, n);
		free(d);
	}
	text_free(&t);
	return buf_take(&b);
}

static char *mask_idno_staff(const char *s)
{
	struct text t;
	text_init(&t, s);
	size_t a, z;
	trim(&t, &a, &z);
	struct buf b;
	buf_init(&b);
	bool plus;
	char *d = field_token(&t, a, z, true, &plus);
	if (!d) {
		scan_into(&b, &t, a, z, true);
	} else {
		size_t n = strlen(d);
		if (n >= 12) {
			buf_put(&b, d, 4);
			put_stars(&b, n - 8);
			buf_put(&b, d + n - 4, 4);
		} else {
			put_stars(&b, n);
		}
		free(d);
	}
	text_free(&t);
	return buf_take(&b);
}

/* ---- addresses -------------------------------------------------------------------------- */

/* Village/group markers: the address is cut after the last one, dropping house numbers. */
static const char *const address_markers[] = {"居委会", "村委会", "社区", "村", "组", "队", "屯"};

/* The staff form of the address s: cut after its last marker, numbers masked; NULL when it has
 * no marker. */
static char *mask_address_staff(const char *s)
{
	size_t cut = 0;
	for (size_t i = 0; i < sizeof address_markers / sizeof *address_markers; i++) {
		size_t ml = strlen(address_markers[i]);
		for (const char *p = strstr(s, address_markers[i]); p; p = strstr(p + 1, address_markers[i]))
			if ((size_t)(p - s) + ml > cut)
				cut = (size_t)(p - s) + ml;
	}
	if (cut == 0)
		return NULL;
	char *head = xstrndup(s, cut);
	struct text t;
	text_init(&t, head);
	size_t a, z;
	trim(&t, &a, &z);
	struct buf b;
	buf_init(&b);
	scan_into(&b, &t, a, z, false);
	text_free(&t);
	free(head);
	return buf_take(&b);
}

/* ---- entry point ------------------------------------------------------------------------ */

/* The public form of a stored form (which is freed). */
static char *public_of(char *stored)
{
	if (!stored)
		return NULL;
	char *r = text_public(stored);
	free(stored);
	return r;
}

char *mask_apply(enum mask_field field, const char *value, enum mask_level level)
{
	if (!value)
		return NULL;
	char *s = sanitize(value);
	if (level == MASK_FULL)
		return s;
	char *r = NULL;
	switch (field) {
	case MASK_NAME: r = mask_name(s); break;
	case MASK_PHONE: r = level == MASK_PUBLIC ? NULL : mask_phone_staff(s); break;
	case MASK_IDNO: r = level == MASK_PUBLIC ? NULL : mask_idno_staff(s); break;
	case MASK_ADDRESS: r = mask_address_staff(s); break;
	case MASK_TEXT: r = text_staff(s, NULL); break;
	case MASK_LABEL: r = label_staff(s, NULL); break;
	}
	if (level == MASK_PUBLIC && (field == MASK_ADDRESS || field == MASK_TEXT || field == MASK_LABEL))
		r = public_of(r);
	free(s);
	return r;
}
