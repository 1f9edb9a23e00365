/* audit.c — the audit log (audit.h): the bounded queue, the audit writer thread on its own
 * connection, the purge past the retention, and the reads of GET /api/v1/audit and `qingdan
 * audit`.  Written by hand, not by the event writer: the log must keep up with a flood of
 * refused requests without slowing a single intake, so it is batched apart from the record,
 * bounded in memory, and lossy only in a way it reports (the `dropped` row). */
#include "store/audit.h"
#include "base/log.h"
#include "base/mem.h"
#include "core/audit.h"
#include "store/db.h"
#include "store/db_pg.h"
#include "store/internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MS 86400000LL
#define PURGE_EVERY_MS 3600000LL /* purge at most once an hour of the entries' time */

/* A queued entry: the strings copied after the struct, in one allocation. */
struct qentry {
	struct audit_entry e;
	char text[];
};

struct audit_log {
	struct store *s;
	db_conn *db; /* the audit writer's own connection */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stopping;
	struct qentry **q; /* AUDIT_QUEUE_MAX slots */
	int n;
	int64_t dropped_pending; /* dropped since the last summary row (under mu) */
	int64_t queued, dropped; /* since the start (under mu) */
	int64_t retention_ms;
	int64_t purged_at; /* the entries' time of the last purge */
};

static struct qentry *entry_copy(const struct audit_entry *e)
{
	const char *src[5] = {e->username, e->client, e->method, e->route, e->detail};
	size_t len = 0;
	for (int i = 0; i < 5; i++)
		len += (src[i] ? strlen(src[i]) : 0) + 1;
	struct qentry *q = xmalloc(sizeof *q + len);
	q->e = *e;
	char *p = q->text;
	const char **dst[5] = {&q->e.username, &q->e.client, &q->e.method, &q->e.route, &q->e.detail};
	for (int i = 0; i < 5; i++) {
		size_t l = src[i] ? strlen(src[i]) : 0;
		memcpy(p, src[i] ? src[i] : "", l);
		p[l] = 0;
		*dst[i] = p;
		p += l + 1;
	}
	return q;
}

static int insert(db_conn *db, const struct audit_entry *e)
{
	db_stmt *st =
	    db_prepare(db, "INSERT INTO audit(at, user_id, username, client, method, route, entity_id, kind, "
	                   "outcome, status, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	if (!st)
		return -1;
	db_bind_int(st, 1, e->at);
	db_bind_int(st, 2, e->user_id);
	db_bind_text(st, 3, e->username ? e->username : "");
	db_bind_text(st, 4, e->client ? e->client : "");
	db_bind_text(st, 5, e->method ? e->method : "");
	db_bind_text(st, 6, e->route ? e->route : "");
	db_bind_int(st, 7, e->entity_id);
	db_bind_text(st, 8,
	             audit_kind_name((enum audit_kind)e->kind) ? audit_kind_name((enum audit_kind)e->kind)
	                                                       : "");
	db_bind_text(st, 9,
	             audit_outcome_name((enum audit_outcome)e->outcome)
	                 ? audit_outcome_name((enum audit_outcome)e->outcome)
	                 : "");
	db_bind_int(st, 10, e->status);
	db_bind_text(st, 11, e->detail ? e->detail : "");
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	if (db_done(st))
		rc = -1;
	return rc;
}

/* Write one batch (and the summary of what was dropped before it) in one transaction; the
 * purge rides along once an hour.  Returns the entries that could not be written. */
static int flush(struct audit_log *a, struct qentry **batch, int n, int64_t dropped)
{
	struct store *s = a->s;
	int64_t last_at = n ? batch[n - 1]->e.at : 0;
	struct qd_err err;
	if (s->pg && db_pg_broken(a->db) && db_pg_reconnect(a->db))
		return n;
	if (!s->pg)
		pthread_mutex_lock(&s->wlock); /* one SQLite writer at a time in this process (internal.h) */
	int bad = db_exec(a->db, "BEGIN", &err);
	for (int i = 0; !bad && i < n; i++)
		bad = insert(a->db, &batch[i]->e);
	if (!bad && dropped) {
		char detail[96];
		snprintf(detail, sizeof detail, "%lld entries dropped: the audit queue was full",
		         (long long)dropped);
		struct audit_entry d = {
		    .at = last_at, .kind = AUDIT_DROPPED, .outcome = AUDIT_FAILED, .detail = detail};
		bad = insert(a->db, &d);
	}
	if (!bad && last_at && (!a->purged_at || last_at - a->purged_at >= PURGE_EVERY_MS)) {
		db_stmt *st = db_prepare(a->db, "DELETE FROM audit WHERE at < ?");
		if (st) {
			db_bind_int(st, 1, last_at - a->retention_ms);
			bad = db_step(st) != DB_DONE;
			if (db_done(st))
				bad = 1;
		} else {
			bad = 1;
		}
		if (!bad)
			a->purged_at = last_at;
	}
	if (!bad)
		bad = db_exec(a->db, "COMMIT", &err);
	if (bad) {
		log_error("audit: %d entries not written: %s", n, db_errmsg(a->db));
		db_exec(a->db, "ROLLBACK", NULL);
	}
	if (!s->pg)
		pthread_mutex_unlock(&s->wlock);
	return bad ? n : 0;
}

static void *audit_main(void *arg)
{
	struct audit_log *a = arg;
	struct qentry **batch = xmalloc(sizeof(struct qentry *) * AUDIT_QUEUE_MAX);
	pthread_mutex_lock(&a->mu);
	for (;;) {
		if (!a->stopping && a->n < AUDIT_BATCH) {
			struct timespec t;
			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_nsec += AUDIT_FLUSH_MS * 1000000L;
			t.tv_sec += t.tv_nsec / 1000000000L;
			t.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&a->cv, &a->mu, &t);
		}
		int n = a->n;
		int64_t dropped = a->dropped_pending;
		memcpy(batch, a->q, sizeof(struct qentry *) * (size_t)n);
		a->n = 0;
		a->dropped_pending = 0;
		int stop = a->stopping;
		pthread_mutex_unlock(&a->mu);
		int lost = n || dropped ? flush(a, batch, n, dropped) : 0;
		for (int i = 0; i < n; i++)
			free(batch[i]);
		pthread_mutex_lock(&a->mu);
		if (lost) { /* counted, and said in the next summary row */
			a->dropped += lost;
			a->dropped_pending += lost + dropped;
		}
		if (stop && !a->n)
			break;
	}
	pthread_mutex_unlock(&a->mu);
	free(batch);
	return NULL;
}

struct audit_log *audit_start(struct store *s, int days)
{
	struct audit_log *a = xcalloc(1, sizeof *a);
	struct qd_err err;
	a->s = s;
	a->retention_ms = (int64_t)(days < AUDIT_MIN_DAYS ? AUDIT_MIN_DAYS : days) * DAY_MS;
	a->q = xmalloc(sizeof(struct qentry *) * AUDIT_QUEUE_MAX);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (s->pg ? db_pg_open(s->path, &a->db, &err) : store_connect(s->path, 0, 0, &a->db, &err)) {
		log_error("audit: %s", err.en);
		a->db = NULL;
		return a; /* stopped: every entry is counted as dropped */
	}
	if (!s->pg) /* an audit row is lost at worst with the last 100 ms before a power cut */
		db_exec(a->db, "PRAGMA synchronous=NORMAL", NULL);
	if (pthread_create(&a->thread, NULL, audit_main, a)) {
		log_error("audit: cannot start its thread");
		return a;
	}
	pthread_setname_np(a->thread, "qd-audit");
	a->running = 1;
	return a;
}

void audit_stop(struct audit_log *a)
{
	if (!a)
		return;
	if (a->running) {
		pthread_mutex_lock(&a->mu);
		a->stopping = 1;
		pthread_cond_signal(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->thread, NULL);
		a->running = 0;
	}
	for (int i = 0; i < a->n; i++)
		free(a->q[i]);
	a->n = 0;
	db_close(a->db);
	a->db = NULL;
}

void audit_free(struct audit_log *a)
{
	if (!a)
		return;
	audit_stop(a);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a->q);
	free(a);
}

int store_audit_add(struct store *s, const struct audit_entry *e)
{
	struct audit_log *a = s->audit;
	if (!a) { /* no server running (the CLI): written at once, on the store's connection */
		int rc = insert(s->wdb, e);
		if (rc)
			log_error("audit: not written: %s", db_errmsg(s->wdb));
		return rc;
	}
	/* the copy is made before the lock (the lock stays short): a slot reserved empty under the
	 * lock and filled after it could be taken by the flusher in between (UBSan found that) */
	struct qentry *q = entry_copy(e);
	pthread_mutex_lock(&a->mu);
	int rc = 0;
	if (!a->running || a->stopping || a->n >= AUDIT_QUEUE_MAX) {
		a->dropped++;
		a->dropped_pending++;
		rc = -1;
	} else {
		a->q[a->n++] = q;
		a->queued++;
		if (a->n >= AUDIT_BATCH)
			pthread_cond_signal(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	if (rc)
		free(q);
	return rc;
}

void store_audit_counts(struct store *s, int64_t *queued, int64_t *dropped)
{
	*queued = *dropped = 0;
	struct audit_log *a = s->audit;
	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	*queued = a->queued;
	*dropped = a->dropped;
	pthread_mutex_unlock(&a->mu);
}

/* --- reading ---------------------------------------------------------------------------------- */

/* The row's user name: the one submitted (a failed login) or the user's, looked up when read —
 * the hook on the request's path stores only the id. */
#define WHO "(CASE WHEN a.username <> '' THEN a.username ELSE coalesce(u.username, '') END)"
#define FROM " FROM audit a LEFT JOIN \"user\" u ON u.id = a.user_id"

/* The WHERE of f, its parameters bound from index 1 by bind_filter(). */
static void where(struct buf *q, const struct audit_filter *f)
{
	buf_puts(q, " WHERE 1=1");
	if (f->from_ms)
		buf_puts(q, " AND a.at >= ?");
	if (f->to_ms)
		buf_puts(q, " AND a.at < ?");
	if (f->user_id)
		buf_puts(q, " AND a.user_id = ?");
	if (f->username)
		buf_puts(q, " AND " WHO " = ?");
	if (f->client)
		buf_puts(q, " AND a.client = ?");
	if (f->kind >= 0)
		buf_puts(q, " AND a.kind = ?");
	if (f->outcome >= 0)
		buf_puts(q, " AND a.outcome = ?");
}

static int bind_filter(db_stmt *st, const struct audit_filter *f)
{
	int i = 1;
	if (f->from_ms)
		db_bind_int(st, i++, f->from_ms);
	if (f->to_ms)
		db_bind_int(st, i++, f->to_ms);
	if (f->user_id)
		db_bind_int(st, i++, f->user_id);
	if (f->username)
		db_bind_text(st, i++, f->username);
	if (f->client)
		db_bind_text(st, i++, f->client);
	if (f->kind >= 0)
		db_bind_text(st, i++, audit_kind_name((enum audit_kind)f->kind));
	if (f->outcome >= 0)
		db_bind_text(st, i++, audit_outcome_name((enum audit_outcome)f->outcome));
	return i;
}

json_t *store_audit_list(struct store_rd *rd, const struct audit_filter *f, int64_t *total)
{
	db_conn *db = rd->db;
	struct buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT a.id, a.at, a.user_id, " WHO
	             " AS username, a.client, a.method, a.route, a.entity_id, a.kind, "
	             "a.outcome, a.status, a.detail" FROM);
	where(&q, f);
	buf_puts(&q, " ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?");
	db_stmt *st = db_prepare(db, q.p);
	buf_free(&q);
	if (!st)
		return NULL;
	int i = bind_filter(st, f);
	db_bind_int(st, i++, f->limit > 0 ? f->limit : 50);
	db_bind_int(st, i, f->offset);
	json_t *rows = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, db_row_json(st));
	if (db_done(st)) {
		json_decref(rows);
		return NULL;
	}
	if (total) {
		buf_init(&q);
		buf_puts(&q, "SELECT count(*)" FROM);
		where(&q, f);
		st = db_prepare(db, q.p);
		buf_free(&q);
		*total = -1;
		if (st) {
			(void)bind_filter(st, f);
			if (db_step(st) == DB_ROW)
				*total = db_col_int64(st, 0);
			if (db_done(st))
				*total = -1;
		}
		if (*total < 0) {
			json_decref(rows);
			return NULL;
		}
	}
	return rows;
}
