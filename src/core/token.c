/* token.c — API token scopes: code names and Chinese labels (see token.h). */
#include "core/token.h"
#include "core/names.h"
#include <stddef.h>

const char *const token_scope_names[TOKEN_SCOPE__COUNT + 1] = {
	[TOKEN_READ] = "read", [TOKEN_WRITE] = "write", [TOKEN_SCOPE__COUNT] = NULL};
const char *const token_scope_zh[TOKEN_SCOPE__COUNT + 1] = {
	[TOKEN_READ] = "只读", [TOKEN_WRITE] = "读写", [TOKEN_SCOPE__COUNT] = NULL};

int token_scope_parse(const char *s)
{
	return names_find(token_scope_names, TOKEN_SCOPE__COUNT, s);
}
