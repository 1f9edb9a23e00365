/* schema.h — migrations and the list of projection tables (see schema.c). */
#ifndef QD_SCHEMA_H
#define QD_SCHEMA_H

struct schema_table {
	const char *name;
	const char *key;          /* conflict column */
	const char *const *cols;  /* NULL-terminated */
	const char *const *texts; /* free-text columns (sealed in the record, masked here), or NULL */
	const char *label;        /* a household-label column (masked as a label), or NULL */
};

/* The subtree two levels down that a unit path lies in, as an SQL expression over column col:
 * "/1/5/23/" → "/1/5/", "/1/5/" → "/1/5/", "/1/" → "/1/", NULL → NULL.  Migration 5 indexes
 * the task paths by it and store/task.c's township-sized lists query by it: one spelling, so
 * SQLite matches the query with the index. */
#define PATH_L2(col)                                                                               \
	"substr(" col ", 1, instr(substr(" col ", instr(substr(" col ", 2), '/') + 2), '/') + "      \
	"instr(substr(" col ", 2), '/') + 1)"
/* The same for PostgreSQL (schema_pg.c's index, store/task.c's query): immutable, so an
 * expression index can hold it.  A path of one level gives '/1//', which no two-level subtree
 * equals, as PATH_L2's '/1/' does not. */
#define PG_PATH_L2(col) "('/' || split_part(" col ", '/', 2) || '/' || split_part(" col ", '/', 3) || '/')"

int schema_count(void);
/* Migration n (1-based) as SQL text, or NULL. */
const char *schema_migration(int n);
const struct schema_table *schema_tables(int *n);
const struct schema_table *schema_table(const char *name);
/* Add the projection table of a kind configured outside schema.c (store_kind_register), with
 * the DDL that creates it (CREATE TABLE IF NOT EXISTS …, run by store_migrate after the
 * migrations).  Before any store is opened; t and ddl must outlive the process's stores.
 * 0, or -1 when the registry is full (8 tables). */
int schema_register(const struct schema_table *t, const char *ddl);
/* The DDL of the i-th registered table, or NULL past the last. */
const char *schema_extra_ddl(int i);

/* The free-text columns of t (texts, then the label) into out[0..max); returns the count. */
int schema_text_cols(const struct schema_table *t, const char **out, int max);
/* 1 when col of t is free text, 2 when it is the household label, 0 otherwise. */
int schema_is_text(const struct schema_table *t, const char *col);

#endif
