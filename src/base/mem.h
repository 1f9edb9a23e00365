/* mem.h — allocation wrappers with one out-of-memory policy: abort with a message.
 * Callers never check for NULL. */
#ifndef QD_MEM_H
#define QD_MEM_H
#include <stddef.h>

/* Return memory owned by the caller (free with free()).  Never NULL: abort on OOM. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
