/* mem.h — allocation wrappers with one out-of-memory policy: abort with a message.
 * Callers never check for NULL.  Nothing outside mem.c calls malloc/calloc/realloc/strdup;
 * libraries that allocate for us (jansson) are pointed at these wrappers by mem_init(). */
#ifndef QD_MEM_H
#define QD_MEM_H
#include <stddef.h>

/* Return memory owned by the caller (free with free()).  Never NULL: abort on OOM. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Start-up of every binary and test harness that uses jansson, before its first JSON call:
 * jansson allocates through xmalloc/free, so its out-of-memory is ours (abort), not a NULL
 * that a json_pack or json_dumps caller would have to check.  Idempotent. */
void mem_init(void);

#endif
