/* sql_params.c — SQLite's ? and ?N as PostgreSQL's $N, and LIKE as ILIKE (store/sql_params.h).  Written by hand: a
 * scanner of five states (SQL, 'string', "identifier", -- comment, block comment) is smaller
 * than any SQL parser library, and neither libpq nor SQLite offers this rewrite.
 * fmt-file: the raw buf_put here copy the statement's own text around its parameters. */
#include "store/sql_params.h"
#include <ctype.h>
#include <strings.h>

#define SQL_PARAMS_MAX 32767

int sql_params_pg(const char *sql, struct buf *out, int *nparams)
{
	int max = 0;
	const char *p = sql;
	while (*p) {
		char c = *p;
		if (c == '\'' || c == '"') { /* a string or identifier: its quote doubled inside */
			const char *q = p + 1;
			for (;;) {
				if (!*q)
					return -1;
				if (*q == c) {
					if (q[1] == c) {
						q += 2;
						continue;
					}
					break;
				}
				q++;
			}
			buf_put(out, p, (size_t)(q + 1 - p));
			p = q + 1;
		} else if (c == '-' && p[1] == '-') {
			const char *q = p;
			while (*q && *q != '\n')
				q++;
			buf_put(out, p, (size_t)(q - p));
			p = q;
		} else if (c == '/' && p[1] == '*') {
			const char *q = p + 2;
			while (*q && !(*q == '*' && q[1] == '/'))
				q++;
			if (!*q)
				return -1;
			buf_put(out, p, (size_t)(q + 2 - p));
			p = q + 2;
		} else if (c == '?') {
			p++;
			int n = 0;
			if (isdigit((unsigned char)*p)) {
				while (isdigit((unsigned char)*p)) {
					n = n * 10 + (*p++ - '0');
					if (n > SQL_PARAMS_MAX)
						return -1;
				}
				if (n == 0)
					return -1;
			} else {
				n = max + 1;
				if (n > SQL_PARAMS_MAX)
					return -1;
			}
			if (n > max)
				max = n;
			buf_printf(out, "$%d", n);
		} else if ((c == ':' || c == '@' || c == '$') && (isalpha((unsigned char)p[1]) || p[1] == '_')) {
			/* a named parameter in SQLite; "::" (a PostgreSQL cast) never gets here with a letter
			 * after the first colon, only after the second, which is the case below */
			if (c == ':' && p > sql && p[-1] == ':') {
				buf_putc(out, c);
				p++;
				continue;
			}
			return -1;
		} else if ((isalpha((unsigned char)c) || c == '_') && (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			/* a word: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's ILIKE does */
			const char *q = p;
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			if (q - p == 4 && strncasecmp(p, "LIKE", 4) == 0)
				buf_putc(out, 'I'); /* the word itself follows as written */
			buf_put(out, p, (size_t)(q - p));
			p = q;
		} else {
			buf_putc(out, c);
			p++;
		}
	}
	*nparams = max;
	return 0;
}
