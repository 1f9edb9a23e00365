/* similar.c — character-bigram Jaccard similarity of two texts (core/similar.h says why this and
 * not a database's measure).  Hand-written: a sort and a merge of two arrays, nothing a library
 * would save. */
#include "core/similar.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <stdlib.h>
#include <string.h>

/* The code point as compared, or 0 when it is skipped (space, punctuation, symbol, mask). */
static uint32_t fold(uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII */
		c -= 0xFEE0;
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			return c + 32;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			return c;
		return 0; /* controls, spaces, ASCII punctuation, the masks' '*' */
	}
	if ((c >= 0x2000 && c <= 0x206F) || /* general punctuation: “” — … */
	    (c >= 0x3000 && c <= 0x303F) || /* CJK symbols and punctuation: 、。「」【】 */
	    (c >= 0xFE30 && c <= 0xFE4F) || /* CJK compatibility forms */
	    (c >= 0xFF00 && c <= 0xFF65) || /* the rest of the half- and full-width forms' punctuation */
	    c == 0x00A0 || c == 0x00B7)
		return 0;
	return c;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void similar_set(struct similar_set *s, const char *text)
{
	s->v = NULL;
	s->n = 0;
	if (!text || !*text)
		return;
	size_t len = strlen(text), n = 0;
	s->v = xmalloc((len + 1) * sizeof *s->v); /* at most one bigram per byte */
	uint32_t prev = 0, first = 0;
	int chars = 0;
	for (const char *p = text; *p;) {
		uint32_t c;
		p += utf8_decode(p, &c);
		c = fold(c);
		if (!c)
			continue;
		if (chars++ == 0)
			first = c;
		else
			s->v[n++] = (uint64_t)prev << 32 | c;
		prev = c;
	}
	if (chars == 1)
		s->v[n++] = (uint64_t)first << 32;
	qsort(s->v, n, sizeof *s->v, cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || s->v[k - 1] != s->v[i])
			s->v[k++] = s->v[i];
	s->n = k;
}

void similar_free(struct similar_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int similar_score(const struct similar_set *a, const struct similar_set *b)
{
	size_t i = 0, j = 0, both = 0;
	while (i < a->n && j < b->n) {
		if (a->v[i] == b->v[j])
			both++, i++, j++;
		else if (a->v[i] < b->v[j])
			i++;
		else
			j++;
	}
	size_t any = a->n + b->n - both;
	return any ? (int)(both * 100 / any) : 0;
}

int similar_texts(const char *a, const char *b)
{
	struct similar_set x, y;
	similar_set(&x, a);
	similar_set(&y, b);
	int s = similar_score(&x, &y);
	similar_free(&x);
	similar_free(&y);
	return s;
}
