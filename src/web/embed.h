/* embed.h — the data scripts/embed generates into build/gen/embed.c at build: the files of web/
 * (stylesheet, script) and the message catalogs of i18n/.  Read through web/i18n.h (tr) and
 * web/page.h (page_asset_*); nothing else includes this. */
#ifndef QD_WEB_EMBED_H
#define QD_WEB_EMBED_H
#include <stddef.h>

struct embed_asset {
	const char *name;  /* "app.css" */
	const char *ctype; /* its Content-Type */
	const char *data;
	size_t len;
	const char *hash; /* 16 hex digits of its SHA-256: the ?v= of its URL and its ETag */
	const char *url;  /* "/static/<name>?v=<hash>" */
};

struct embed_msg {
	const char *key, *text;
};

struct embed_catalog {
	const struct embed_msg *msgs; /* sorted by key, bytewise (strcmp) */
	int n;
};

extern const struct embed_asset embed_assets[]; /* NULL-name terminated */
extern const int embed_nassets;
extern const struct embed_catalog embed_catalogs[]; /* [LANG__N] in the order of enum lang */

#endif
