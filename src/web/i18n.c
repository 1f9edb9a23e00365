/* i18n.c — message lookup in the embedded catalogs (web/i18n.h).  scripts/embed sorts each
 * catalog by key at build, so a lookup is a binary search: no table is built at start and none
 * is scanned per call.  A key is compared as the concatenation of its parts (prefix,
 * ".", suffix …) so "<key>.elder" and "<vocab>.<code>" are found without building the key in a
 * buffer (no length limit on keys). */
#include "web/i18n.h"
#include "base/log.h"
#include "web/embed.h"
#include "web/req.h"
#include <string.h>

/* Compare the key made of parts[0..n-1] joined (NULL parts skipped) with s, as strcmp would. */
static int cmp_parts(const char *const *parts, int n, const char *s)
{
	for (int i = 0; i < n; i++) {
		const char *p = parts[i];
		if (!p)
			continue;
		for (; *p; p++, s++) {
			if (*s != *p)
				return (unsigned char)*p < (unsigned char)*s ? -1 : 1;
		}
	}
	return *s ? -1 : 0;
}

/* The text of the key parts[0] ‖ … ‖ parts[n-1] in lang's catalog, or NULL. */
static const char *find(enum lang lang, const char *const *parts, int n)
{
	if ((unsigned)lang >= LANG__N)
		lang = LANG_ZH;
	const struct embed_catalog *c = &embed_catalogs[lang];
	int lo = 0, hi = c->n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int d = cmp_parts(parts, n, c->msgs[mid].key);
		if (d == 0)
			return c->msgs[mid].text;
		if (d < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}

static enum lang lang_of(const struct req *r)
{
	return r && (unsigned)r->lang < LANG__N ? (enum lang)r->lang : LANG_ZH;
}

int tr_has(enum lang lang, const char *key)
{
	const char *k[] = {key};
	return key && find(lang, k, 1) != NULL;
}

const char *tr_lang(enum lang lang, int elder, const char *key)
{
	if (!key)
		return "";
	const char *plain[] = {key}, *plainer[] = {key, ".elder"};
	const char *t = elder ? find(lang, plainer, 2) : NULL;
	if (!t)
		t = find(lang, plain, 1);
	if (!t) {
		log_warn("i18n: no message %s in the %s catalog", key, lang_tag(lang));
		return key;
	}
	return t;
}

const char *tr(const struct req *r, const char *key)
{
	return tr_lang(lang_of(r), r ? r->elder : 0, key);
}

const char *tr_code_find(enum lang lang, int elder, const char *vocab, const char *code)
{
	if (!code || !vocab)
		return NULL;
	const char *plain[] = {vocab, ".", code}, *plainer[] = {vocab, ".", code, ".elder"};
	const char *t = elder ? find(lang, plainer, 4) : NULL;
	return t ? t : find(lang, plain, 3);
}

const char *tr_code_lang(enum lang lang, int elder, const char *vocab, const char *code)
{
	if (!code)
		return "";
	const char *t = tr_code_find(lang, elder, vocab, code);
	if (!t) {
		log_warn("i18n: no name for %s %s in the %s catalog", vocab, code, lang_tag(lang));
		return code;
	}
	return t;
}

const char *tr_code(const struct req *r, const char *vocab, const char *code)
{
	return tr_code_lang(lang_of(r), r ? r->elder : 0, vocab, code);
}

const char *lang_tag(enum lang lang)
{
	return lang == LANG_EN ? "en" : "zh-CN";
}
