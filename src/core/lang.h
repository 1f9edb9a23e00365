/* lang.h — the languages of the pages: their code names (the one vocabulary: the route table's
 * /lang?to= takes exactly these; web/i18n.h indexes its catalogs by enum lang).  Pure. */
#ifndef QD_CORE_LANG_H
#define QD_CORE_LANG_H

enum lang { LANG_ZH, LANG_EN, LANG__N };

/* "zh", "en", indexed by enum lang, NULL-terminated. */
extern const char *const lang_names[LANG__N + 1];
/* Parse a language code; -1 if unknown. */
int lang_parse(const char *s);

#endif
