/* i18n.h — the reader's language: the message catalogs i18n/zh_CN/ and i18n/en/ (one .txt file per page or
 * area) (embedded at build by scripts/embed) and the lookups pages use for every string they show. Chinese is
 * the default; English is one switch away (/lang, a cookie).  适老化 mode (r->elder) takes a message's
 * plainer "<key>.elder" variant where the catalog has one.
 *
 * Keys are area.name (task.accept, common.save).  The names of core's vocabularies are keys
 * <vocabulary>.<code> in i18n/<lang>/vocab.txt (state, action, role, unit_kind, urgency, tier,
 * source, outcome, satisfaction, channel, attempt, cal_kind, audit_kind, audit_outcome,
 * token_scope; "state" holds the task states and the problem states, which share their words).
 * tests/api/test_i18n.py checks every tr("…") literal in src/ against both catalogs and that the
 * two have the same keys; tests/unit/test_i18n.c that every code of core's tables has a name. */
#ifndef QD_WEB_I18N_H
#define QD_WEB_I18N_H

#include "core/lang.h" /* enum lang { LANG_ZH, LANG_EN, LANG__N } and their codes, lang_names */

struct req;

/* The reader's text for key: r->lang's catalog; in 适老化 mode (r->elder) the key
 * "<key>.elder" where the catalog has one.  A key missing from either catalog fails a test
 * (every tr("…") literal in src/ is checked against both); at run time it is logged and the
 * key itself returned.  The text is static (never freed). */
const char *tr(const struct req *r, const char *key);
const char *tr_lang(enum lang lang, int elder, const char *key);
/* The name of a vocabulary's code in the reader's language: the message "<vocab>.<code>"
 * (tr_code(r, "state", "in_progress") → 办理中).  Missing: logged, code returned; NULL code → "". */
const char *tr_code(const struct req *r, const char *vocab, const char *code);
const char *tr_code_lang(enum lang lang, int elder, const char *vocab, const char *code);
/* The same without a fallback or a log line: NULL when the catalog has no "<vocab>.<code>". */
const char *tr_code_find(enum lang lang, int elder, const char *vocab, const char *code);
/* 1 when key is in lang's catalog (no fallback), else 0. */
int tr_has(enum lang lang, const char *key);
/* The language's tag for <html lang>: "zh-CN" or "en". */
const char *lang_tag(enum lang lang);

#endif
