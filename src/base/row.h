/* row.h — a read-only view of one row of named columns, for code that must not know where the
 * row comes from: a JSON object (base/row.c) or a database result row (store/db.c).  The
 * presenters (src/present/) read rows only through this.
 *
 * find() is called with column names that are string literals: implementations may cache by
 * the pointer.  Values stay valid until the row moves on. */
#ifndef QD_BASE_ROW_H
#define QD_BASE_ROW_H
#include <jansson.h>
#include <stdint.h>

enum row_type { ROW_NULL, ROW_INT, ROW_REAL, ROW_TEXT, ROW_JSON };

struct row_ops {
	int (*find)(void *impl, const char *col);      /* column index, or -1 when absent */
	enum row_type (*type)(void *impl, int i);
	int64_t (*integer)(void *impl, int i);
	double (*real)(void *impl, int i);
	const char *(*text)(void *impl, int i);        /* UTF-8, NUL-terminated */
	json_t *(*json)(void *impl, int i);            /* ROW_JSON: a nested array or object (borrowed) */
};

struct row {
	const struct row_ops *ops;
	void *impl;
};

/* Typed access by column name (absent or NULL → def / NULL). */
int row_has(const struct row *r, const char *col);
int row_is_null(const struct row *r, const char *col);
int64_t row_int(const struct row *r, const char *col, int64_t def);
const char *row_text(const struct row *r, const char *col);
json_t *row_json(const struct row *r, const char *col);

/* A row over a JSON object (borrowed; it must outlive the row).  Members that are arrays or
 * objects are ROW_JSON. */
struct row_jsonimpl {
	json_t *obj;
	const char *keys[64];
	int nkeys;
};
void row_from_json(struct row *r, struct row_jsonimpl *impl, json_t *obj);

#endif
