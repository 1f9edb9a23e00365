/* names.h — finding a code name in one of core's name tables (states, actions, roles, kinds …):
 * the one lookup every *_parse function of src/core uses.  Pure. */
#ifndef QD_CORE_NAMES_H
#define QD_CORE_NAMES_H

/* The index of s among names[0..n-1] (n < 0: up to the table's NULL terminator), or -1 when s
 * is NULL or not there.  "" entries (an enum's "unset" member) never match. */
int names_find(const char *const *names, int n, const char *s);
/* names[v] of a NULL-terminated table, or NULL when v is outside it. */
const char *names_at(const char *const *names, int v);

#endif
