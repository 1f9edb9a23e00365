/* multipart.h — multipart/form-data (RFC 7578) over a whole request body already in memory:
 * the boundary from the Content-Type, then each part's Content-Disposition (name, filename) and
 * Content-Type, handed to a callback with the part's bytes.
 *
 * Hand-written instead of libmicrohttpd's post processor: that one needs a live connection and
 * streams pieces of values into callbacks as they arrive; the dispatcher already holds the whole
 * body (bounded by --max-body) and wants a pure, strict function it can fuzz apart from a
 * connection (tests/fuzz/fuzz_multipart.c). */
#ifndef QD_WEB_MULTIPART_H
#define QD_WEB_MULTIPART_H
#include "base/err.h"
#include <stddef.h>

#define MP_MAX_BOUNDARY 70 /* RFC 2046 §5.1.1 */
#define MP_MAX_PARTS 256   /* parts in one body */
#define MP_MAX_HEADER 2048 /* bytes of one part's header block */
#define MP_MAX_NAME 255    /* bytes of a part's name or filename */

struct mp_part {
	const char *name;     /* Content-Disposition name, non-empty (NUL-terminated) */
	const char *filename; /* filename, or NULL when the part is not a file ("" is a file input
	                       * with nothing chosen) */
	const char *ctype;    /* the part's Content-Type, or NULL when it has none */
	const char *data;     /* the part's bytes (inside the body; may hold NUL) */
	size_t len;
};

/* Called once per part, in order; the strings live only during the call.  0 to go on, or -1
 * with err filled (the parse stops and answers -1 with that err). */
typedef int (*mp_part_fn)(void *ctx, const struct mp_part *part, struct qd_err *err);

/* The boundary of a Content-Type "multipart/form-data; boundary=…" (quoted or not; 1 to 70
 * characters of RFC 2046's bchars, no trailing space; given once) into out.  0, or -1 with err
 * (QD_EINVAL, field "Content-Type"). */
int multipart_boundary(const char *content_type, char out[MP_MAX_BOUNDARY + 1], struct qd_err *err);

/* Parse body (len bytes) as multipart/form-data with the boundary of content_type, calling fn
 * for each part.  Strict: the body starts with the first delimiter (no preamble) and ends with
 * the close delimiter, optionally followed by CRLF; each part has a header block of at most
 * MP_MAX_HEADER bytes with exactly one Content-Disposition "form-data" with a non-empty name
 * (quoted or a token) and an optional filename, at most one Content-Type, no other header
 * (RFC 7578 §4.7 forbids Content-Transfer-Encoding), no filename* (§4.2); at most MP_MAX_PARTS
 * parts.  0, or -1 with err (QD_EINVAL naming the part's name once it is known, else "body"; or
 * fn's error). */
int multipart_parse(const char *content_type, const char *body, size_t len, mp_part_fn fn, void *ctx,
                    struct qd_err *err);

#endif
