/* cookie.h — reading one cookie out of a request's Cookie header, strictly (RFC 6265 §4.2).
 *
 * Hand-written instead of libmicrohttpd's MHD_COOKIE_KIND: MHD's cookie parsing is lenient (it
 * skips what it cannot read, keeps the first of two cookies of one name, and accepts bytes the
 * grammar excludes), and it cannot be run, or fuzzed, apart from a live connection.  This is a
 * pure function of the header text (fuzz target tests/fuzz/fuzz_cookie.c). */
#ifndef QD_WEB_COOKIE_H
#define QD_WEB_COOKIE_H
#include <stddef.h>

/* The value of the cookie called name in header (a Cookie header's value: "a=1; b=2") into out
 * (n bytes, NUL-terminated; a DQUOTEd value without its quotes).  The whole header must be a
 * cookie-string of RFC 6265 §4.2.1: cookie-pairs separated by exactly "; ", each a token name,
 * '=' and a value of cookie-octets (no space, '"', ',', ';', '\\' or control byte), optionally
 * in double quotes.  Answers
 *    0  found (out holds the value, possibly "");
 *   -1  absent: header NULL or empty, or no cookie of that name (out "");
 *   -2  malformed: the header breaks the grammar, name appears twice (a cookie planted for a
 *       parent domain must not shadow ours), or the value does not fit in out — never
 *       truncated (out "").
 * Names compare case-sensitively. */
int cookie_get(const char *header, const char *name, char *out, size_t n);

#endif
