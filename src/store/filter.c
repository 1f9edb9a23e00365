/* filter.c — WHERE clauses built from fixed fragments with bound values; the scope clause. */
#include "store/filter.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <stdlib.h>
#include <string.h>

void where_init(struct where *w)
{
	buf_init(&w->sql);
	buf_puts(&w->sql, " WHERE 1");
	w->n = 0;
}

void where_free(struct where *w)
{
	buf_free(&w->sql);
	for (int i = 0; i < w->n; i++)
		free(w->v[i].s);
	w->n = 0;
}

void where_and(struct where *w, const char *frag)
{
	buf_puts(&w->sql, " AND (");
	buf_puts(&w->sql, frag);
	buf_puts(&w->sql, ")");
}

void where_int(struct where *w, int64_t v)
{
	if (w->n < FILTER_MAX_BINDS) {
		w->v[w->n].is_int = 1;
		w->v[w->n].i = v;
		w->v[w->n].s = NULL;
		w->n++;
	}
}

void where_str(struct where *w, const char *s)
{
	if (w->n < FILTER_MAX_BINDS) {
		w->v[w->n].is_int = 0;
		w->v[w->n].s = xstrdup(s);
		w->n++;
	}
}

void where_bind(struct where *w, sqlite3_stmt *st, int first)
{
	for (int i = 0; i < w->n; i++) {
		if (w->v[i].is_int)
			sqlite3_bind_int64(st, first + i, w->v[i].i);
		else
			sqlite3_bind_text(st, first + i, w->v[i].s, -1, SQLITE_TRANSIENT);
	}
}

/* Upper bound of a path range: "/1/5/" → "/1/50" (the last '/' becomes '0', the next byte). */
static void upper(const char *path, char *out, size_t n)
{
	size_t l = strlen(path);
	if (l >= n)
		l = n - 1;
	memcpy(out, path, l);
	out[l] = 0;
	if (l)
		out[l - 1] = '0';
}

void where_scope(struct where *w, const struct list_filter *f, const char *col1, const char *col2)
{
	/* Keep only the outermost subtrees the right is granted on. */
	const char *paths[16];
	int np = 0;
	for (int i = 0; i < f->ngrants; i++) {
		if (!(role_rights(f->grants[i].role) & f->right))
			continue;
		const char *p = f->grants[i].path;
		int covered = 0;
		for (int j = 0; j < np; j++) {
			if (strncmp(p, paths[j], strlen(paths[j])) == 0)
				covered = 1;
			else if (strncmp(paths[j], p, strlen(p)) == 0)
				paths[j] = p; /* p is an ancestor: widen */
		}
		if (!covered && np < 16)
			paths[np++] = p;
	}
	if (!np) {
		buf_puts(&w->sql, " AND 0");
		return;
	}
	struct buf b;
	buf_init(&b);
	for (int j = 0; j < np; j++) {
		char up[140];
		upper(paths[j], up, sizeof up);
		for (int c = 0; c < 2; c++) {
			const char *col = c ? col2 : col1;
			if (!col)
				continue;
			buf_printf(&b, "%s(%s >= ? AND %s < ?)", b.len ? " OR " : "", col, col);
			where_str(w, paths[j]);
			where_str(w, up);
		}
	}
	where_and(w, b.p);
	buf_free(&b);
}

char *fts_phrase(const char *q)
{
	struct buf b;
	buf_init(&b);
	buf_putc(&b, '"');
	for (const char *p = q; *p; p++) {
		if (*p == '"')
			buf_putc(&b, '"');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '"');
	return buf_take(&b);
}
