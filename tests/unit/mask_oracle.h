/* mask_oracle.h — an independent model of "how many digits stand together unmasked" in the
 * output of core/mask.c, shared by tests/unit/test_mask.c (property tests) and
 * tests/fuzz/fuzz_mask.c (invariants).  Header-only (static functions), so that each test
 * program carries its own copy and no test code goes into libqingdan.
 *
 * It is written apart from mask.c on purpose and follows the rules of core/mask.h, not the
 * scanner's code: digits are code points with a decimal value (uc_decimal_value) or whose NFKC
 * form (u32_normalize) is ASCII digits with only ( ) . , around them, plus Chinese numerals where
 * 7 or more stand together; separators are exactly the ones the rules list (white space, Cf,
 * Pd and −, the dots, underscores, slashes, commas and brackets), up to 3 in a row.  Masked
 * forms count as no digits: 4 or more '*' with the digits a form shows around them (at most 4
 * ASCII digits on either side, a + before, an area code and '-' before, an X after).  Within a
 * run, dates (yyyymmdd, yyyy-mm-dd / . / slash, years before 年) stand apart; what is left is
 * cut into segments between them, and oracle_max_digits() returns the largest segment —
 * ignoring segments that read as amounts when skip_amounts is set (followed by a unit, or
 * preceded by a currency sign).  Needs libunistring (-lunistring). */
#ifndef QD_MASK_ORACLE_H
#define QD_MASK_ORACLE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>

#include "base/utf8.h"

enum { O_OTHER, O_DIGIT, O_CN, O_SEP, O_MASKED };

struct oracle_cp {
	uint32_t cp;
	int kind;
	size_t nd;
	char d[8];
	size_t off; /* byte offset in the string */
};

/* The value of a Chinese numeral, -1 otherwise (the list in core/mask.h). */
static int oracle_cn_value(uint32_t c)
{
	static const struct {
		uint32_t cp;
		int v;
	} t[] = {
	    {0x3007, 0}, {0x96F6, 0}, {0x4E00, 1}, {0x4E8C, 2}, {0x4E09, 3}, {0x56DB, 4}, {0x4E94, 5},
	    {0x516D, 6}, {0x4E03, 7}, {0x516B, 8}, {0x4E5D, 9}, {0x5E7A, 1}, {0x4E24, 2}, {0x5169, 2},
	    {0x58F9, 1}, {0x8D30, 2}, {0x8CB3, 2}, {0x53C1, 3}, {0x53C3, 3}, {0x8086, 4}, {0x4F0D, 5},
	    {0x9646, 6}, {0x9678, 6}, {0x67D2, 7}, {0x634C, 8}, {0x7396, 9},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (t[i].cp == c)
			return t[i].v;
	return -1;
}

static bool oracle_is_sep(uint32_t c)
{
	static const char listed[] = "-−.．。·・•_＿/／\\,，、()（）[]【】〔〕〈〉《》{}";
	if (uc_is_property_white_space(c) || uc_is_general_category(c, UC_CATEGORY_Z) ||
	    uc_is_general_category(c, UC_CATEGORY_Cf) || uc_is_general_category(c, UC_CATEGORY_Pd))
		return true;
	char e[5] = {0};
	e[utf8_encode(c, e)] = 0;
	return strstr(listed, e) != NULL;
}

/* Digits of c by the rules, or 0. */
static size_t oracle_digits(uint32_t c, char *d)
{
	int v = uc_decimal_value(c);
	if (v >= 0) {
		d[0] = (char)('0' + v);
		return 1;
	}
	uint32_t buf[32];
	size_t len = sizeof buf / sizeof *buf;
	uint32_t *r = u32_normalize(UNINORM_NFKC, &c, 1, buf, &len);
	size_t n = 0;
	bool ok = r != NULL;
	for (size_t i = 0; ok && i < len; i++) {
		if (r[i] >= '0' && r[i] <= '9' && n < 7)
			d[n++] = (char)r[i];
		else if (r[i] != '(' && r[i] != ')' && r[i] != '.' && r[i] != ',')
			ok = false;
	}
	if (r && r != buf)
		free(r);
	return ok ? n : 0;
}

static int oracle_two(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

static bool oracle_date(int y, int m, int d)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= (m == 2 && !leap ? 28 : days[m - 1]);
}

static bool oracle_starts(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

static bool oracle_unit_after(const char *s)
{
	static const char *const u[] = {"元", "角",   "万", "亿", "千", "百", "吨",   "亩",   "米", "公里",
	                                "里", "公斤", "克", "斤", "升", "方", "平方", "立方", "%",  "％",
	                                "‰",  "度",   "户", "人", "个", "次", "件",   "辆",   "台", "头",
	                                "只", "株",   "棵", "间", "套", "块", "kg",   "km",   "m",  "㎡"};
	for (int k = 0; k < 3 && (*s == ' ' || oracle_starts(s, "\u3000")); k++)
		s += *s == ' ' ? 1 : 3;
	for (size_t i = 0; i < sizeof u / sizeof *u; i++)
		if (oracle_starts(s, u[i]))
			return true;
	return false;
}

static bool oracle_currency_before(const char *s, size_t off)
{
	static const char *const c[] = {"¥", "￥", "$", "人民币", "RMB"};
	while (off > 0 && s[off - 1] == ' ')
		off--;
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		size_t n = strlen(c[i]);
		if (off >= n && memcmp(s + off - n, c[i], n) == 0)
			return true;
	}
	return false;
}

/* s holds a masked number: a token of ASCII digits, + - X and '*' with "****" and a digit. */
static bool oracle_masked_number(const char *s)
{
	while (*s) {
		size_t run = 0, stars = 0;
		bool digit = false;
		while ((*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == 'X' || *s == '*') {
			run = *s == '*' ? run + 1 : 0;
			stars = run > stars ? run : stars;
			digit = digit || (*s >= '0' && *s <= '9');
			s++;
		}
		if (stars >= 4 && digit)
			return true;
		if (*s)
			s++;
	}
	return false;
}

struct oracle_group {
	size_t a, z; /* code points [a, z) */
	size_t nd;
	char d[64];
	bool gone; /* a date: stands apart */
};

/* The largest number of digits standing together unmasked in s (valid UTF-8). */
static size_t oracle_max_digits(const char *s, bool skip_amounts)
{
	size_t len = strlen(s), n = 0, best = 0;
	struct oracle_cp *c = calloc(len + 1, sizeof *c);
	for (size_t i = 0; i < len; n++) {
		c[n].off = i;
		i += (size_t)utf8_decode(s + i, &c[n].cp);
		int v = oracle_cn_value(c[n].cp);
		if (v >= 0) {
			c[n].kind = O_CN;
			c[n].nd = 1;
			c[n].d[0] = (char)('0' + v);
		} else if ((c[n].nd = oracle_digits(c[n].cp, c[n].d)) > 0) {
			c[n].kind = O_DIGIT;
		} else if (oracle_is_sep(c[n].cp)) {
			c[n].kind = O_SEP;
		}
	}
	c[n].off = len;
	/* Masked forms: 4 or more '*' with what a form shows around them — up to 4 ASCII digits
	 * before (after a + sign, before a '-'), up to 4 after (and an X). */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && c[j].cp == '*')
			j++;
		if (j - i < 4) {
			i = j > i ? j : i + 1;
			continue;
		}
		size_t a = i, z = j;
		if (a > 0 && c[a - 1].cp == '-') { /* an area code: 0716-****4567 */
			size_t b = a - 1, k = 0;
			while (k < 4 && b > 0 && c[b - 1].cp >= '0' && c[b - 1].cp <= '9') {
				b--;
				k++;
			}
			if (k >= 3 && c[b].cp == '0')
				a = b;
		} else {
			for (int k = 0; k < 4 && a > 0 && c[a - 1].cp >= '0' && c[a - 1].cp <= '9'; k++)
				a--;
		}
		if (a > 0 && c[a - 1].cp == '+')
			a--;
		for (int k = 0; k < 4 && z < n && c[z].cp >= '0' && c[z].cp <= '9'; k++)
			z++;
		if (z < n && c[z].cp == 'X')
			z++;
		for (size_t k = a; k < z; k++)
			c[k].kind = O_MASKED;
		i = z;
	}
	/* Chinese numerals: digits only where 7 or more stand together. */
	for (size_t i = 0; i < n;) {
		if (c[i].kind != O_CN) {
			i++;
			continue;
		}
		size_t j = i, count = 0;
		for (;;) {
			while (j < n && c[j].kind == O_CN) {
				count++;
				j++;
			}
			size_t k = j;
			while (k < n && k - j < 3 && c[k].kind == O_SEP)
				k++;
			if (k > j && k < n && c[k].kind == O_CN) {
				j = k;
				continue;
			}
			break;
		}
		if (count < 7)
			for (size_t k = i; k < j; k++)
				if (c[k].kind == O_CN)
					c[k].kind = O_OTHER;
		i = j;
	}
	/* Runs of groups. */
	struct oracle_group *g = calloc(n + 1, sizeof *g);
	for (size_t i = 0; i < n;) {
		if (c[i].kind != O_DIGIT && c[i].kind != O_CN) {
			i++;
			continue;
		}
		size_t ng = 0, q = i;
		for (;;) {
			struct oracle_group *gr = &g[ng++];
			memset(gr, 0, sizeof *gr);
			gr->a = q;
			while (q < n && (c[q].kind == O_DIGIT || c[q].kind == O_CN)) {
				for (size_t k = 0; k < c[q].nd; k++, gr->nd++)
					if (gr->nd < sizeof gr->d)
						gr->d[gr->nd] = c[q].d[k];
				q++;
			}
			gr->z = q;
			size_t k = q;
			while (k < n && k - q < 3 && c[k].kind == O_SEP)
				k++;
			if (k > q && k < n && (c[k].kind == O_DIGIT || c[k].kind == O_CN)) {
				q = k;
				continue;
			}
			break;
		}
		/* Dates stand apart. */
		for (size_t k = 0; k < ng; k++) {
			struct oracle_group *x = &g[k];
			if (x->nd == 8 && oracle_date(atoi((char[5]){x->d[0], x->d[1], x->d[2], x->d[3], 0}),
			                              oracle_two(x->d + 4), oracle_two(x->d + 6))) {
				x->gone = true;
			} else if (k + 2 < ng && x->nd == 4 && g[k + 1].nd >= 1 && g[k + 1].nd <= 2 &&
			           g[k + 2].nd >= 1 && g[k + 2].nd <= 2 && g[k + 1].a == x->z + 1 &&
			           g[k + 2].a == g[k + 1].z + 1) {
				int y = atoi((char[5]){x->d[0], x->d[1], x->d[2], x->d[3], 0});
				int m = g[k + 1].nd == 2 ? oracle_two(g[k + 1].d) : g[k + 1].d[0] - '0';
				int d = g[k + 2].nd == 2 ? oracle_two(g[k + 2].d) : g[k + 2].d[0] - '0';
				if (oracle_date(y, m, d)) {
					x->gone = g[k + 1].gone = g[k + 2].gone = true;
					k += 2;
				}
			}
		}
		const char *after = s + c[g[ng - 1].z].off;
		if (*after == ' ')
			after++;
		if (oracle_starts(after, "年"))
			for (size_t k = ng; k-- > 0;) {
				int y = g[k].nd == 4
				            ? atoi((char[5]){g[k].d[0], g[k].d[1], g[k].d[2], g[k].d[3], 0})
				            : 0;
				if (y < 1900 || y > 2099)
					break;
				g[k].gone = true;
			}
		/* Segments between dates. */
		for (size_t k = 0; k < ng;) {
			if (g[k].gone) {
				k++;
				continue;
			}
			size_t e = k, digits = 0;
			while (e < ng && !g[e].gone)
				digits += g[e++].nd;
			bool amount = (e == ng && oracle_unit_after(s + c[g[e - 1].z].off)) ||
			              (k == 0 && oracle_currency_before(s, c[g[0].a].off));
			if (!(skip_amounts && amount) && digits > best)
				best = digits;
			k = e;
		}
		i = q;
	}
	free(g);
	free(c);
	return best;
}

#endif
