/* token.h — what an API token may do: its scopes (read: only GET routes; write: every route the
 * user's rights allow), code names and Chinese labels.  Pure.  The one vocabulary: the route
 * table (web/routes.c) accepts exactly token_scope_names, the store keeps the name, the
 * dispatcher (web/auth.c) refuses a read token on any route that is not a GET. */
#ifndef QD_CORE_TOKEN_H
#define QD_CORE_TOKEN_H

enum token_scope {
	TOKEN_READ,  /* 只读 */
	TOKEN_WRITE, /* 读写 */
	TOKEN_SCOPE__COUNT
};

/* Code names indexed by enum token_scope, NULL-terminated; and the Chinese labels. */
extern const char *const token_scope_names[TOKEN_SCOPE__COUNT + 1];
extern const char *const token_scope_zh[TOKEN_SCOPE__COUNT + 1];

/* The scope named s; -1 when s is NULL or no scope's name. */
int token_scope_parse(const char *s);

#endif
