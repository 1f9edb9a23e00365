/* mask.c — mask_apply(): masking of residents' names, phone numbers, ID numbers, addresses and
 * of phone/ID numbers inside free text (SPEC §4, contract in core/mask.h).
 *
 * Written by hand because nothing packaged does this job: regex engines (POSIX regex, PCRE)
 * match bytes or code points but cannot normalise full-width digits, try every grouping of
 * separated digit groups against "is this a mobile / landline / ID number", or produce the
 * partial staff masks; and there is no library for Chinese compound surnames.  The scanner
 * decodes the text into code points once and walks it left to right.
 *
 * Text rules, in short: a "run" is digits (0-9, ０-９) split into groups by single separators
 * (space, ideographic space, dash-like characters), optionally led by + / ＋ and optionally
 * ending in X (ID check character).  Inside a run, the longest sequence of whole groups that
 * normalises to a plausible number is masked, left to right:
 *   mobile    1[3-9] + 9 digits, optional 86 / +86 / 0086 prefix, any grouping;
 *   landline  0 + 2-3 digit area code as one group, a separator, 7-8 more digits; also
 *             with the area code in brackets: (0716)1234567;
 *   ID        17 digits + digit/X, or 15 digits (when split by separators, the birth date
 *             must look like a date, so lists of small numbers are not taken for IDs);
 *   +number   + followed by 8-15 digits (an international phone number).
 * A contiguous group of 11 or more digits is always masked even when it matches none of these
 * (bank card numbers, mistyped IDs): no 11-digit run ever leaves at PUBLIC or STAFF.
 * Amounts, years, percentages and postcodes are shorter than that and stay untouched. */
#include "core/mask.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HIDDEN "【已隐藏】"

/* ---- code points ---------------------------------------------------------------------- */

/* A valid UTF-8 string decoded into code points; off[i] is the byte offset of cp[i] and
 * off[n] the total length. */
struct text {
	const char *s;
	uint32_t *cp;
	size_t *off;
	size_t n;
};

static void text_init(struct text *t, const char *s)
{
	size_t len = strlen(s);
	t->s = s;
	t->cp = xmalloc((len + 1) * sizeof *t->cp);
	t->off = xmalloc((len + 1) * sizeof *t->off);
	t->n = 0;
	size_t i = 0;
	while (i < len) {
		t->off[t->n] = i;
		i += (size_t)utf8_decode(s + i, &t->cp[t->n]);
		t->n++;
	}
	t->off[t->n] = len;
}

static void text_free(struct text *t)
{
	free(t->cp);
	free(t->off);
}

static void put_cp(struct buf *b, const struct text *t, size_t i)
{
	buf_put(b, t->s + t->off[i], t->off[i + 1] - t->off[i]);
}

/* A copy of v with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
 * The contract asks callers for valid UTF-8; this keeps the output valid when one does not. */
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
		size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
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

/* 0-9 for ASCII and full-width digits, -1 otherwise. */
static int digit_val(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 0xFF10 && c <= 0xFF19)
		return (int)(c - 0xFF10);
	return -1;
}

/* A separator allowed (singly) between digit groups. */
static bool is_sep(uint32_t c)
{
	return c == ' ' || c == '-' || c == 0x00A0 || c == 0x3000 || c == 0xFF0D || c == 0x2212 ||
	       (c >= 0x2010 && c <= 0x2015);
}

static bool is_plus(uint32_t c)
{
	return c == '+' || c == 0xFF0B;
}

static bool is_x(uint32_t c)
{
	return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58;
}

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x00A0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0xFEFF;
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
	while (*a < *z && is_space(t->cp[*a]))
		(*a)++;
	while (*z > *a && is_space(t->cp[*z - 1]))
		(*z)--;
}

static void put_stars(struct buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(b, '*');
}

/* ---- numbers ---------------------------------------------------------------------------- */

enum kind { K_NONE, K_MOBILE, K_LANDLINE, K_ID, K_INTL, K_LONG };

struct num {
	enum kind kind;
	const char *d; /* normalised ASCII digits (prefix stripped) */
	size_t len;    /* digits in d */
	size_t area;   /* K_LANDLINE: digits of the area code, the leading 0 included */
	bool x;        /* K_ID: the check character X follows the len digits */
	bool plus;     /* the match starts at the + sign */
};

static bool is_mobile(const char *d, size_t len)
{
	return len == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

static int two(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

static bool plausible_date(const char *mm_dd)
{
	int m = two(mm_dd), d = two(mm_dd + 2);
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* 17 digits (the 18th is checked by the caller): region, birth year 18xx-20xx, month, day. */
static bool plausible_id18(const char *d)
{
	return d[0] >= '1' && d[0] <= '9' && (two(d + 6) >= 18 && two(d + 6) <= 20) &&
	       plausible_date(d + 10);
}

static bool plausible_id15(const char *d)
{
	return d[0] >= '1' && d[0] <= '9' && plausible_date(d + 8);
}

/* Area-code length of a Chinese landline number (0 included): 010 and 02x are three digits,
 * every other area code four. */
static size_t area_len(const char *d)
{
	return d[1] == '1' || d[1] == '2' ? 3 : 4;
}

/* The staff form of a number: first and last digits kept, the middle as one * per digit. */
static void put_staff(struct buf *b, const struct num *m)
{
	const char *d = m->d;
	size_t n = m->len;
	switch (m->kind) {
	case K_MOBILE:
		buf_put(b, d, 3);
		buf_puts(b, "****");
		buf_put(b, d + 7, 4);
		break;
	case K_LANDLINE:
		buf_put(b, d, m->area);
		buf_putc(b, '-');
		put_stars(b, n - m->area - 4);
		buf_put(b, d + n - 4, 4);
		break;
	case K_ID:
		buf_put(b, d, 4);
		if (m->x) {
			put_stars(b, n - 7);
			buf_put(b, d + n - 3, 3);
			buf_putc(b, 'X');
		} else {
			put_stars(b, n - 8);
			buf_put(b, d + n - 4, 4);
		}
		break;
	case K_INTL:
		buf_putc(b, '+');
		buf_put(b, d, 3);
		put_stars(b, n - 7);
		buf_put(b, d + n - 4, 4);
		break;
	case K_LONG: {
		size_t keep = n >= 15 ? 4 : 3;
		buf_put(b, d, keep);
		put_stars(b, n - keep - 4);
		buf_put(b, d + n - 4, 4);
		break;
	}
	case K_NONE:
		break;
	}
}

/* ---- free text -------------------------------------------------------------------------- */

/* One group of a run: digits at code points [start, end), their normalised form at
 * digits[dstart .. dstart+nd). */
struct group {
	size_t start, end, dstart, nd;
};

struct scan {
	const struct text *t;
	struct buf *out;
	enum mask_level level;
	bool star_stray;      /* digits that are not part of a match become * (PHONE/IDNO fields) */
	char *digits;         /* normalised digits of the current run */
	struct group *groups; /* groups of the current run */
};

/* Write the masked form of m.  A staff mask starts with a digit; when the output already ends
 * with one (a +86 number or a bracketed area code glued to other digits) a space goes between,
 * so that the kept digits never read as part of a longer number. */
static void put_masked(struct scan *sc, const struct num *m)
{
	struct buf *b = sc->out;
	if (sc->level == MASK_PUBLIC) {
		buf_puts(b, HIDDEN);
		return;
	}
	if (b->len > 0) {
		const unsigned char *e = (const unsigned char *)b->p + b->len;
		bool digit = (e[-1] >= '0' && e[-1] <= '9') ||
			     (b->len >= 3 && e[-3] == 0xEF && e[-2] == 0xBC && e[-1] >= 0x90 && e[-1] <= 0x99);
		if (digit && m->kind != K_INTL)
			buf_putc(b, ' ');
	}
	put_staff(b, m);
}

/* Copy code points [from, to) to the output. */
static void put_plain(struct scan *sc, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (sc->star_stray && digit_val(sc->t->cp[i]) >= 0)
			buf_putc(sc->out, '*');
		else
			put_cp(sc->out, sc->t, i);
	}
}

/* Classify groups [i, j] of a run of ng groups.  plus: the run starts with + ; has_x: the last
 * group is followed by X. */
static struct num classify(const struct scan *sc, size_t i, size_t j, size_t ng, bool plus, bool has_x)
{
	const struct group *g = sc->groups;
	const char *d = sc->digits + g[i].dstart;
	size_t len = g[j].dstart + g[j].nd - g[i].dstart;
	bool single = i == j;
	struct num m = {.kind = K_NONE, .d = d, .len = len};

	if (plus && i == 0) {
		m.plus = true;
		if (len == 13 && d[0] == '8' && d[1] == '6' && is_mobile(d + 2, 11)) {
			m.kind = K_MOBILE;
			m.d = d + 2;
			m.len = 11;
			return m;
		}
		if (len >= 8 && len <= 15) {
			m.kind = K_INTL;
			return m;
		}
		m.plus = false; /* a plus sign that leads no phone number: text */
	}
	if (len == 13 && d[0] == '8' && d[1] == '6' && is_mobile(d + 2, 11)) {
		m.kind = K_MOBILE;
		m.d = d + 2;
		m.len = 11;
		return m;
	}
	if (len == 15 && memcmp(d, "0086", 4) == 0 && is_mobile(d + 4, 11)) {
		m.kind = K_MOBILE;
		m.d = d + 4;
		m.len = 11;
		return m;
	}
	if (is_mobile(d, len)) {
		m.kind = K_MOBILE;
		return m;
	}
	if (len == 17 && has_x && j == ng - 1 && (single || plausible_id18(d))) {
		m.kind = K_ID;
		m.x = true;
		return m;
	}
	if ((len == 18 && (single || plausible_id18(d))) || (len == 15 && (single || plausible_id15(d)))) {
		m.kind = K_ID;
		return m;
	}
	if (!single && d[0] == '0' && d[1] != '0' && (g[i].nd == 3 || g[i].nd == 4) &&
	    len - g[i].nd >= 7 && len - g[i].nd <= 8) {
		m.kind = K_LANDLINE;
		m.area = g[i].nd;
		return m;
	}
	if (single && len >= 11) {
		m.kind = K_LONG;
		return m;
	}
	return m;
}

/* Longest interval of groups that a number can span: mobile with 0086 is 15 digits, an ID 18. */
#define MAX_NUM_DIGITS 18

/* Mask the run starting at code point p (a digit, or + followed by a digit); returns the
 * index of the first code point after it. */
static size_t scan_run(struct scan *sc, size_t p)
{
	const struct text *t = sc->t;
	size_t q = p, ng = 0, nd = 0;
	bool plus = false;
	if (is_plus(t->cp[q])) {
		plus = true;
		q++;
	}
	for (;;) {
		struct group *g = &sc->groups[ng++];
		g->start = q;
		g->dstart = nd;
		int v;
		while (q < t->n && (v = digit_val(t->cp[q])) >= 0) {
			sc->digits[nd++] = (char)('0' + v);
			q++;
		}
		g->end = q;
		g->nd = nd - g->dstart;
		if (q + 1 < t->n && is_sep(t->cp[q]) && digit_val(t->cp[q + 1]) >= 0) {
			q++;
			continue;
		}
		break;
	}
	size_t run_end = q;
	bool has_x = q < t->n && is_x(t->cp[q]);

	size_t cursor = p; /* code points before this are written */
	size_t i = 0;
	while (i < ng) {
		size_t jmax = i, total = sc->groups[i].nd;
		while (jmax + 1 < ng && total + sc->groups[jmax + 1].nd <= MAX_NUM_DIGITS)
			total += sc->groups[++jmax].nd;
		struct num m = {.kind = K_NONE};
		size_t j = jmax;
		for (;; j--) {
			m = classify(sc, i, j, ng, plus, has_x);
			if (m.kind != K_NONE || j == i)
				break;
		}
		if (m.kind == K_NONE) {
			i++;
			continue;
		}
		size_t start = m.plus ? p : sc->groups[i].start;
		size_t end = sc->groups[j].end + (m.x ? 1 : 0);
		put_plain(sc, cursor, start);
		put_masked(sc, &m);
		cursor = end;
		i = j + 1;
	}
	if (cursor < run_end)
		put_plain(sc, cursor, run_end);
	return cursor > run_end ? cursor : run_end;
}

/* A landline written with its area code in brackets — (0716)1234567, （027）8765 4321 —
 * starting at the bracket p.  Returns the index after it (and fills *m), or 0. */
static size_t scan_paren_landline(struct scan *sc, size_t p, struct num *m)
{
	const struct text *t = sc->t;
	size_t q = p + 1, nd = 0, area;
	int v;
	while (q < t->n && nd < 5 && (v = digit_val(t->cp[q])) >= 0) {
		sc->digits[nd++] = (char)('0' + v);
		q++;
	}
	if (nd < 3 || nd > 4 || sc->digits[0] != '0' || sc->digits[1] == '0' || q >= t->n ||
	    (t->cp[q] != ')' && t->cp[q] != 0xFF09))
		return 0;
	area = nd;
	q++;
	if (q + 1 < t->n && is_sep(t->cp[q]) && digit_val(t->cp[q + 1]) >= 0)
		q++;
	while (q < t->n && nd - area <= 8) {
		if ((v = digit_val(t->cp[q])) >= 0) {
			sc->digits[nd++] = (char)('0' + v);
			q++;
		} else if (nd > area && q + 1 < t->n && is_sep(t->cp[q]) && digit_val(t->cp[q + 1]) >= 0) {
			q++;
		} else {
			break;
		}
	}
	if (nd - area < 7 || nd - area > 8)
		return 0;
	*m = (struct num){.kind = K_LANDLINE, .d = sc->digits, .len = nd, .area = area};
	return q;
}

/* Append the masked form of code points [a, z) of t to out. */
static void mask_text_into(struct buf *out, const struct text *t, size_t a, size_t z, enum mask_level level,
			   bool star_stray)
{
	struct scan sc = {
		.t = t,
		.out = out,
		.level = level,
		.star_stray = star_stray,
		.digits = xmalloc(t->n + 1),
		.groups = xmalloc((t->n + 1) * sizeof(struct group)),
	};
	/* Runs never reach past z: callers pass z = t->n or a cut that ends on a non-digit. */
	size_t i = a;
	while (i < z) {
		uint32_t c = t->cp[i];
		if (digit_val(c) >= 0 || (is_plus(c) && i + 1 < t->n && digit_val(t->cp[i + 1]) >= 0)) {
			i = scan_run(&sc, i);
			continue;
		}
		struct num m;
		size_t end;
		if ((c == '(' || c == 0xFF08) && (end = scan_paren_landline(&sc, i, &m)) != 0) {
			put_masked(&sc, &m);
			i = end;
			continue;
		}
		put_cp(out, t, i);
		i++;
	}
	free(sc.digits);
	free(sc.groups);
}

static char *mask_text(const char *s, enum mask_level level)
{
	struct text t;
	text_init(&t, s);
	struct buf b;
	buf_init(&b);
	mask_text_into(&b, &t, 0, t.n, level, false);
	text_free(&t);
	return buf_take(&b);
}

/* ---- names ------------------------------------------------------------------------------ */

/* Compound (two-character) surnames, simplified and common traditional forms. */
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
	bool latin = a < z && is_latin_letter(t.cp[a]);

	/* Characters that carry identity, and their count. */
	size_t letters = 0;
	for (size_t i = a; i < z; i++)
		if (!is_space(t.cp[i]) && !is_name_sep(t.cp[i]))
			letters++;
	size_t keep = letters <= 1 ? 0 : 1;
	if (letters >= 3 && !latin) {
		uint32_t first[2];
		size_t k = 0;
		for (size_t i = a; i < z && k < 2; i++)
			if (!is_space(t.cp[i]) && !is_name_sep(t.cp[i]))
				first[k++] = t.cp[i];
		if (is_compound(first[0], first[1]))
			keep = 2;
	}

	struct buf b;
	buf_init(&b);
	size_t seen = 0;
	for (size_t i = a; i < z; i++) {
		uint32_t c = t.cp[i];
		if (is_space(c)) {
			if (latin && !is_space(t.cp[i - 1]))
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

/* ---- phone and ID fields ---------------------------------------------------------------- */

/* When [a, z) holds nothing but digits (and, if letters_ok, Latin letters), separators,
 * brackets and + signs, returns the normalised digits/letters (upper case) and sets *plus when
 * it starts with a + sign; otherwise returns NULL (the value is text, not one number). */
static char *field_token(const struct text *t, size_t a, size_t z, bool letters_ok, bool *plus)
{
	char *d = xmalloc(z - a + 1);
	size_t n = 0;
	*plus = a < z && is_plus(t->cp[a]);
	for (size_t i = a; i < z; i++) {
		uint32_t c = t->cp[i];
		int v = digit_val(c);
		if (v >= 0) {
			d[n++] = (char)('0' + v);
		} else if (letters_ok && c < 0x80 && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
			d[n++] = (char)(c & ~0x20u);
		} else if (letters_ok && is_x(c)) {
			d[n++] = 'X';
		} else if (!(is_sep(c) || is_space(c) || is_plus(c) || c == '(' || c == ')' || c == 0xFF08 ||
			     c == 0xFF09)) {
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
		mask_text_into(&b, &t, a, z, MASK_STAFF, true);
	} else {
		struct num m = {.kind = K_NONE, .d = d, .len = strlen(d)};
		if (m.len == 13 && memcmp(d, "86", 2) == 0 && is_mobile(d + 2, 11)) {
			m.d += 2;
			m.len -= 2;
		} else if (m.len == 15 && memcmp(d, "0086", 4) == 0 && is_mobile(d + 4, 11)) {
			m.d += 4;
			m.len -= 4;
		} else if (plus && m.len >= 2 && memcmp(d, "86", 2) == 0) {
			m.d += 2;
			m.len -= 2;
		}
		if (is_mobile(m.d, m.len)) {
			m.kind = K_MOBILE;
		} else if (m.len >= 10 && m.len <= 12 && m.d[0] == '0' && m.len - area_len(m.d) >= 7) {
			m.kind = K_LANDLINE;
			m.area = area_len(m.d);
		} else if (m.len >= 8) {
			m.kind = K_LONG;
		}
		if (m.kind == K_NONE)
			put_stars(&b, m.len);
		else
			put_staff(&b, &m);
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
		mask_text_into(&b, &t, a, z, MASK_STAFF, true);
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

static char *mask_address(const char *s, enum mask_level level)
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
	mask_text_into(&b, &t, a, z, level, false);
	text_free(&t);
	free(head);
	return buf_take(&b);
}

/* ---- entry point ------------------------------------------------------------------------ */

char *mask_apply(enum mask_field field, const char *value, enum mask_level level)
{
	if (!value)
		return NULL;
	char *s = sanitize(value);
	if (level == MASK_FULL)
		return s;
	char *r = NULL;
	switch (field) {
	case MASK_NAME:
		r = mask_name(s);
		break;
	case MASK_PHONE:
		r = level == MASK_PUBLIC ? NULL : mask_phone_staff(s);
		break;
	case MASK_IDNO:
		r = level == MASK_PUBLIC ? NULL : mask_idno_staff(s);
		break;
	case MASK_ADDRESS:
		r = mask_address(s, level);
		break;
	case MASK_TEXT:
		r = mask_text(s, level);
		break;
	}
	free(s);
	return r;
}
