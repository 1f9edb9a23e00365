/* filter.c — WHERE clauses built from fixed fragments with bound values; the scope clause.
 * Nothing here has a fixed maximum: the bound values, the scope's subtrees and the range bounds
 * all grow with the caller's grants (a supervision group covering 20 or 60 units is normal). */
#include "store/filter.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/scope.h"
#include "store/db.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

void where_init(struct where *w)
{
	buf_init(&w->sql);
	buf_puts(&w->sql, " WHERE 1=1"); /* 1=1, 1=0: true and false in both SQL dialects */
	w->n = w->cap = 0;
	w->v = NULL;
}

void where_free(struct where *w)
{
	buf_free(&w->sql);
	for (int i = 0; i < w->n; i++)
		free(w->v[i].s);
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

static struct where_val *where_push(struct where *w)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->v = xrealloc(w->v, (size_t)w->cap * sizeof *w->v);
	}
	return &w->v[w->n++];
}

void where_and(struct where *w, const char *frag)
{
	buf_puts(&w->sql, " AND (");
	buf_puts(&w->sql, frag); /* sql: where_and's fragment, checked as SQL at its callers */
	buf_puts(&w->sql, ")");
}

void where_int(struct where *w, int64_t v)
{
	struct where_val *x = where_push(w);
	x->is_int = 1;
	x->i = v;
	x->s = NULL;
}

void where_str(struct where *w, const char *s)
{
	struct where_val *x = where_push(w);
	x->is_int = 0;
	x->i = 0;
	x->s = xstrdup(s);
}

void where_bind(struct where *w, db_stmt *st, int first)
{
	/* Every "?" of the clause has its value (the page's LIMIT/OFFSET follow them). */
	assert(db_param_count(st) >= first - 1 + w->n);
	for (int i = 0; i < w->n; i++) {
		if (w->v[i].is_int)
			db_bind_int(st, first + i, w->v[i].i);
		else
			db_bind_text(st, first + i, w->v[i].s);
	}
}

/* Upper bound of a path range: "/1/5/" → "/1/50" (the last '/' becomes '0', the next byte).
 * Caller frees; as long as the path, whatever its length. */
static char *upper(const char *path)
{
	char *up = xstrdup(path);
	size_t l = strlen(up);
	if (l)
		up[l - 1] = '0';
	return up;
}

/* Append "(col >= path AND col < upper)" for each column, OR-joined onto b, binding the bounds. */
static void subtree_terms(struct where *w, struct buf *b, const char *path, const char *col1, const char *col2)
{
	char *up = upper(path);
	for (int c = 0; c < 2; c++) {
		const char *col = c ? col2 : col1;
		if (!col)
			continue;
		/* sql-ident: a column name its callers pass as a literal */
		buf_printf(b, "%s(%s >= ? AND %s < ?)", b->len ? " OR " : "", col, col);
		where_str(w, path);
		where_str(w, up);
	}
	free(up);
}

void where_scope(struct where *w, const struct list_filter *f, const char *col1, const char *col2)
{
	/* Only the outermost subtrees the right is granted on (core/scope.h); at most one per grant. */
	const char **paths = xcalloc((size_t)f->ngrants + 1, sizeof *paths);
	int np = scope_subtrees(f->grants, f->ngrants, f->right, paths, f->ngrants);
	if (np <= 0) {
		free(paths);
		buf_puts(&w->sql, " AND 1=0");
		return;
	}
	struct buf b;
	buf_init(&b);
	for (int j = 0; j < np; j++)
		subtree_terms(w, &b, paths[j], col1, col2);
	where_and(w, b.p); /* one clause for all subtrees: a union of ranges */
	buf_free(&b);
	free(paths);
}

void where_subtree(struct where *w, const char *path, const char *col1, const char *col2)
{
	struct buf b;
	buf_init(&b);
	subtree_terms(w, &b, path, col1, col2);
	where_and(w, b.p);
	buf_free(&b);
}

json_t *where_page(db_conn *db, const char *sql, struct where *w, const struct list_filter *f, int *more)
{
	db_stmt *st = db_prepare(db, sql);
	*more = 0;
	if (!st)
		return NULL;
	json_t *arr = json_array();
	where_bind(w, st, 1);
	db_bind_int(st, w->n + 1, f->limit + 1);
	db_bind_int(st, w->n + 2, f->offset);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n++ == f->limit) {
			*more = 1;
			rc = DB_DONE;
			break;
		}
		json_array_append_new(arr, db_row_json(st));
	}
	if (rc != DB_DONE) {
		log_error("list query failed: %s", db_errmsg(db));
		json_decref(arr);
		arr = NULL;
	}
	db_done(st);
	return arr;
}

int64_t where_count(db_conn *db, const char *sql, struct where *w)
{
	db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	where_bind(w, st, 1);
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	db_done(st);
	return n;
}

void fts_like_make(struct fts_like *l, const char *q)
{
	struct buf ix, ex;
	buf_init(&ix);
	buf_init(&ex);
	buf_putc(&ix, '%');
	buf_putc(&ex, '%');
	int run = 0, longest = 0;
	l->wild = 0;
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_') {
			l->wild = 1;
			run = 0;
			buf_putc(&ix, '_');
		} else {
			buf_putc(&ix, *p); /* a backslash is plain here: the index pattern has no escape */
			if ((*p & 0xC0) != 0x80 && ++run > longest) /* a character starts here */
				longest = run;
		}
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&ex, '\\');
		buf_putc(&ex, *p);
	}
	buf_putc(&ix, '%');
	buf_putc(&ex, '%');
	l->index = longest >= 3 ? buf_take(&ix) : (buf_free(&ix), NULL);
	l->exact = buf_take(&ex);
}

void fts_like_free(struct fts_like *l)
{
	free(l->index);
	free(l->exact);
	l->index = l->exact = NULL;
}
