/* audit.h — the audit log (等保2.0 安全审计): an operational table `audit` (schema 9 / PG 3),
 * not part of the replayed record, with a writer of its own.
 *
 * store_audit_add never blocks and never touches the database: it copies the entry into a
 * bounded in-memory queue (AUDIT_QUEUE_MAX entries) that the audit writer thread flushes on its
 * own connection every AUDIT_FLUSH_MS or AUDIT_BATCH entries, in one transaction.  When the
 * queue is full the entry is counted as dropped, and the next flush writes one `dropped` row
 * saying how many — so a flood of failed logins costs the event writer nothing but a mutex and
 * a copy.  The same thread purges rows older than the retention (store_opts.audit_days:
 * default 365, never less than AUDIT_MIN_DAYS).  Without a running writer (the CLI) an entry is
 * written at once on the store's own connection. */
#ifndef QD_STORE_AUDIT_H
#define QD_STORE_AUDIT_H
#include "store/store.h"
#include <jansson.h>
#include <stdint.h>

#define AUDIT_QUEUE_MAX 8192
#define AUDIT_BATCH 512
#define AUDIT_FLUSH_MS 100
#define AUDIT_MIN_DAYS 180
#define AUDIT_DEFAULT_DAYS 365

/* One entry; strings are copied by store_audit_add (NULL = ""), never cut: each grows as needed. */
struct audit_entry {
	int64_t at;      /* ms since the epoch (the request's time) */
	int64_t user_id; /* 0: nobody logged in, or the host */
	const char *username;
	const char *client;
	const char *method;
	const char *route;
	int64_t entity_id;
	int kind;        /* enum audit_kind (core/audit.h) */
	int outcome;     /* enum audit_outcome */
	unsigned status; /* HTTP status, 0 for the host */
	const char *detail;
};

/* Queue e (copied).  0, or -1 when the queue was full and e was counted as dropped. */
int store_audit_add(struct store *s, const struct audit_entry *e);
/* Entries queued so far and dropped so far, since the store was opened (for /metrics and tests). */
void store_audit_counts(struct store *s, int64_t *queued, int64_t *dropped);

/* What to read: 0 / NULL / -1 leave a filter out. */
struct audit_filter {
	int64_t from_ms, to_ms; /* at in [from_ms, to_ms) */
	int64_t user_id;
	const char *username, *client;
	int kind, outcome; /* -1: any */
	int limit, offset;
};
/* The rows matching f, newest first, as a new array of objects with the table's columns, or
 * NULL on a database error.  *total (when non-NULL) gets the count of all matches. */
json_t *store_audit_list(struct store_rd *rd, const struct audit_filter *f, int64_t *total);

/* The audit writer (store.c starts it with the writer, stops it after): 0 or -1. */
struct audit_log;
struct audit_log *audit_start(struct store *s, int days);
/* Flush what is queued and stop (later entries are counted as dropped); NULL is fine. */
void audit_stop(struct audit_log *a);
/* audit_stop, then free a (store_close); NULL is fine. */
void audit_free(struct audit_log *a);

#endif
