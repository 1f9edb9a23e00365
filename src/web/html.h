/* html.h — the one HTML writer: a printf with typed conversions, so text reaches a page only
 * escaped for where it lands.  Every page (src/web/page_*.c) writes HTML through html_printf;
 * scripts/check-format (run by every build) parses the format string of every call and refuses
 * any conversion not listed here — there is no bare %s.
 *
 *   %h   const char *  HTML text: & < > " ' escaped (NULL writes nothing)
 *   %a   const char *  an attribute value inside double quotes: the same escaping, and control
 *                      bytes dropped (write the quotes in the format: value="%a")
 *   %u   const char *  a URL component (query value, path segment): percent-encoded except
 *                      A-Z a-z 0-9 - _ . ~ (NULL writes nothing)
 *   %j   const char *  a JSON string, quotes included, safe inside <script type="application/json">
 *                      (< > & U+2028 U+2029 escaped) — data for the progressive-enhancement
 *                      script; NULL writes null
 *   %d   int           decimal
 *   %ld  long          decimal
 *   %lld long long     decimal (int64_t ids: cast)
 *   %zu  size_t        decimal
 *   %%                 a percent sign
 *
 * Anything else in a format is a programming error the checker catches at build; at run time it
 * aborts with the format (log_error + abort) rather than guess. */
#ifndef QD_WEB_HTML_H
#define QD_WEB_HTML_H
#include "base/buf.h"
#include <stdarg.h>

void html_printf(struct buf *b, const char *fmt, ...);
void html_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The escapers html_printf uses, for a caller that has a length (not NUL-terminated) text. */
void html_text_n(struct buf *b, const char *s, size_t n);

#endif
