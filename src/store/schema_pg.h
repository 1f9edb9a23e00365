/* schema_pg.h — store-internal: the PostgreSQL backend's numbered migrations (schema_pg.c),
 * applied by pg.c.  Not for use outside src/store/. */
#ifndef QD_STORE_SCHEMA_PG_H
#define QD_STORE_SCHEMA_PG_H

/* How many migrations there are: the schema version a migrated database ends at. */
int schema_pg_count(void);
/* Migration n (1-based): SQL text, or NULL when there is none. */
const char *schema_pg_migration(int n);

#endif
