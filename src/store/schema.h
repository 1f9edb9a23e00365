/* schema.h — migrations and the list of projection tables (see schema.c). */
#ifndef QD_SCHEMA_H
#define QD_SCHEMA_H

struct schema_table {
	const char *name;
	const char *key;          /* conflict column */
	const char *const *cols;  /* NULL-terminated */
};

int schema_count(void);
/* Migration n (1-based) as SQL text, or NULL. */
const char *schema_migration(int n);
const struct schema_table *schema_tables(int *n);
const struct schema_table *schema_table(const char *name);

#endif
