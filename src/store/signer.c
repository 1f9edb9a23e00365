/* signer.c — the chain-head signer thread (store/signer.h).  It reads the head on its own
 * connection (SQLite: the last event, as a WAL reader; PostgreSQL: chain_head, which every
 * server's writer moves under its row lock), and when the head is past the last seq this key
 * signed (chain_sig, shared by every server) it signs it, inserts it into chain_sig (on SQLite
 * under the store's write lock, as every writer of this process), appends it to the heads file
 * (write + fsync: the line is on disk before the next head is signed) and hands it to the
 * callback (the webhook).
 *
 * Election (PostgreSQL): pg_try_advisory_lock(SIGNER_LOCK) on the signer's own connection — a
 * session lock, held as long as that connection lives and released by PostgreSQL when it ends
 * (the process exits, is killed, or the network drops it).  A server that does not hold it
 * tries again at each interval.  A failed statement closes the connection (and so gives up the
 * lock); the next interval connects again.  SQLite has one serving process: it is elected. */
#include "store/signer.h"
#include "base/date.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/db_pg.h"
#include "store/internal.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The signer's advisory lock: "qd" + 9 (pg.c's migrations hold "qd" + 1). */
#define SIGNER_LOCK 0x71640009
#define SIGNER_DEMAND_WAIT_S 10

struct signer {
	struct store *s;
	struct sign_key key;
	int every_s;
	int heads_fd; /* -1 when no heads file */
	char *heads_path;
	void (*on_signed)(const struct signed_head *h, void *arg);
	void *arg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stopping;
	int elected; /* under mu */
	/* on demand: a request number asked and the last one answered, with its result (under mu) */
	int64_t asked, answered;
	int demand_rc;
	struct signed_head demand_head;
	struct qd_err demand_err;
	db_conn *db;
};

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void drop_db(struct signer *g)
{
	db_close(g->db); /* on PostgreSQL this gives up the election too */
	g->db = NULL;
	pthread_mutex_lock(&g->mu);
	g->elected = 0;
	pthread_mutex_unlock(&g->mu);
}

static int connect_db(struct signer *g, struct qd_err *err)
{
	if (g->db)
		return 0;
	return g->s->pg ? db_pg_open(g->s->path, &g->db, err) : store_connect(g->s->path, 0, 0, &g->db, err);
}

/* Take the election if free (PostgreSQL), 1 when held. */
static int elect(struct signer *g)
{
	int held = 1;
	if (g->s->pg) {
		pthread_mutex_lock(&g->mu);
		held = g->elected;
		pthread_mutex_unlock(&g->mu);
		if (held)
			return 1;
		int64_t got = db_int(g->db, "SELECT CASE WHEN pg_try_advisory_lock(?) THEN 1 ELSE 0 END",
		                     SIGNER_LOCK, 0);
		if (got < 0) {
			drop_db(g);
			return 0;
		}
		held = got == 1;
		if (held)
			log_info("signer: elected (this server signs the chain head)");
	}
	pthread_mutex_lock(&g->mu);
	g->elected = held;
	pthread_mutex_unlock(&g->mu);
	return held;
}

static int head_read(struct signer *g, int64_t *seq, unsigned char hash[32], struct qd_err *err)
{
	db_stmt *st = db_prepare(g->db, g->s->pg ? "SELECT seq, hash FROM chain_head WHERE one = 1"
	                                         : "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1");
	if (!st)
		return db_fail(g->db, err);
	*seq = 0;
	if (db_step(st) == DB_ROW) {
		size_t n = 0;
		const void *h = db_col_blob(st, 1, &n);
		*seq = db_col_int64(st, 0);
		if (n == 32)
			memcpy(hash, h, 32);
		else if (*seq)
			*seq = -1;
	}
	if (db_done(st) || *seq < 0)
		return qd_fail(err, QD_EINTERNAL, "chain_head", "无法读取链头", "cannot read the chain head");
	return 0;
}

/* The signature this key made of seq, if any, into h: 1 found, 0 none, -1 error. */
static int existing(struct signer *g, int64_t seq, struct signed_head *h)
{
	db_stmt *st = db_prepare(g->db, "SELECT hash, at, sig FROM chain_sig WHERE seq = ? AND key_id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, seq);
	db_bind_text(st, 2, g->key.id);
	int found = 0;
	if (db_step(st) == DB_ROW) {
		size_t hn = 0, sn = 0;
		const void *hh = db_col_blob(st, 0, &hn), *ss = db_col_blob(st, 2, &sn);
		if (hn == 32 && sn == crypto_sign_BYTES) {
			h->seq = seq;
			memcpy(h->hash, hh, 32);
			h->at = db_col_int64(st, 1);
			memcpy(h->key, g->key.id, sizeof h->key);
			memcpy(h->sig, ss, sn);
			found = 1;
		}
	}
	return db_done(st) ? -1 : found;
}

static void heads_append(struct signer *g, const struct signed_head *h)
{
	if (g->heads_fd < 0)
		return;
	char *line = sign_head_format(h);
	size_t n = strlen(line);
	line = xrealloc(line, n + 2);
	line[n++] = '\n';
	const char *p = line;
	size_t left = n;
	int bad = 0;
	while (left && !bad) {
		ssize_t w = write(g->heads_fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			bad = 1;
		else {
			p += w;
			left -= (size_t)w;
		}
	}
	if (bad || fsync(g->heads_fd))
		log_error("signer: cannot append head seq %lld to %s: %s (the table chain_sig and the next "
		          "head still "
		          "hold it)",
		          (long long)h->seq, g->heads_path, strerror(errno));
	free(line);
}

/* Sign the head if it moved past this key's last signature (or force: whatever it is).  *out
 * gets the head signed, or the existing signature of an unmoved head when force.  1 signed,
 * 0 nothing to do, -1 error (the connection is dropped). */
static int sign_once(struct signer *g, int force, struct signed_head *out, struct qd_err *err)
{
	if (connect_db(g, err))
		return -1;
	struct signed_head h = {0};
	if (head_read(g, &h.seq, h.hash, err))
		goto fail;
	if (h.seq == 0) {
		if (force)
			return qd_fail(err, QD_ENOTFOUND, "event", "事件日志为空，没有链头可签",
			               "the event log is empty: no head to sign");
		return 0;
	}
	struct signed_head old = {0};
	int have = existing(g, h.seq, &old);
	if (have < 0)
		goto fail_db;
	if (have) {
		if (out)
			*out = old;
		return 0;
	}
	if (!force) {
		db_stmt *st =
		    db_prepare(g->db, "SELECT coalesce(max(seq), 0) FROM chain_sig WHERE key_id = ?");
		int64_t last = -1;
		if (st) {
			db_bind_text(st, 1, g->key.id);
			if (db_step(st) == DB_ROW)
				last = db_col_int64(st, 0);
			if (db_done(st))
				last = -1;
		}
		if (last < 0)
			goto fail_db;
		if (last >= h.seq)
			return 0; /* another server signed a later head already */
	}
	h.at = clock_now_ms();
	sign_head(&g->key, &h);
	int lite = !g->s->pg;
	if (lite)
		pthread_mutex_lock(&g->s->wlock); /* every writer of this process holds it (store.c) */
	db_stmt *st =
	    db_prepare(g->db, "INSERT INTO chain_sig(seq, key_id, hash, at, sig) VALUES(?, ?, ?, ?, ?) "
	                      "ON CONFLICT DO NOTHING");
	int ok = 0;
	int64_t added = 0;
	if (st) {
		db_bind_int(st, 1, h.seq);
		db_bind_text(st, 2, h.key);
		db_bind_blob(st, 3, h.hash, 32);
		db_bind_int(st, 4, h.at);
		db_bind_blob(st, 5, h.sig, sizeof h.sig);
		ok = db_step(st) == DB_DONE;
		added = db_changes(g->db);
		ok &= db_done(st) == 0;
	}
	if (lite)
		pthread_mutex_unlock(&g->s->wlock);
	if (!ok)
		goto fail_db;
	if (!added) { /* another server signed this seq at the same moment: take its signature */
		if (existing(g, h.seq, &h) != 1)
			goto fail_db;
		if (out)
			*out = h;
		return 0;
	}
	heads_append(g, &h);
	if (g->on_signed)
		g->on_signed(&h, g->arg);
	if (out)
		*out = h;
	return 1;
fail_db:
	db_fail(g->db, err);
fail:
	log_error("signer: %s", err->en);
	drop_db(g);
	return -1;
}

static void *signer_main(void *arg)
{
	struct signer *g = arg;
	int64_t next = 0;
	pthread_mutex_lock(&g->mu);
	while (!g->stopping) {
		int64_t now = mono_ms();
		if (g->asked > g->answered) {
			int64_t ask = g->asked;
			pthread_mutex_unlock(&g->mu);
			struct signed_head h = {0};
			struct qd_err e = {0};
			int rc = sign_once(g, 1, &h, &e);
			pthread_mutex_lock(&g->mu);
			g->demand_rc = rc < 0 ? -1 : 0;
			g->demand_head = h;
			g->demand_err = e;
			g->answered = ask;
			pthread_cond_broadcast(&g->cv);
			continue;
		}
		if (now >= next) {
			pthread_mutex_unlock(&g->mu);
			struct qd_err e = {0};
			if (!connect_db(g, &e)) {
				if (elect(g))
					sign_once(g, 0, NULL, &e);
			} else {
				log_error("signer: %s", e.en);
			}
			pthread_mutex_lock(&g->mu);
			next = now + (int64_t)g->every_s * 1000;
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t wait = next - now;
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (wait % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&g->cv, &g->mu, &ts);
	}
	int last = g->elected;
	pthread_mutex_unlock(&g->mu);
	struct qd_err e = {0};
	if (last && g->db)
		sign_once(g, 0, NULL, &e); /* the last commits, after the writer drained its queue */
	return NULL;
}

int signer_start(struct store *s, const struct signer_opts *o, struct qd_err *err)
{
	if (s->signer)
		return qd_fail(err, QD_EINTERNAL, NULL, "签名线程已在运行", "the signer runs already");
	if (o->every_s < 1 || o->every_s > 60)
		return qd_fail(err, QD_EINVAL, "sign-every", "签名间隔应为 1 到 60 秒",
		               "the signing interval must be 1 to 60 s");
	struct signer *g = xcalloc(1, sizeof *g);
	g->s = s;
	g->every_s = o->every_s;
	g->heads_fd = -1;
	g->on_signed = o->on_signed;
	g->arg = o->arg;
	if (sign_key_load(o->key_path, &g->key, err))
		goto fail;
	if (o->heads_file) {
		g->heads_path = xstrdup(o->heads_file);
		g->heads_fd = open(o->heads_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (g->heads_fd < 0) {
			qd_fail(err, QD_EINVAL, "heads-file", "无法打开链头文件 %s",
			        "cannot open the heads file %s", o->heads_file, o->heads_file);
			goto fail;
		}
	}
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->thread, NULL, signer_main, g)) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		qd_fail(err, QD_EINTERNAL, NULL, "无法启动签名线程", "cannot start the signer thread");
		goto fail;
	}
	s->signer = g;
	log_info("signer: key %s, every %d s%s%s", g->key.id, g->every_s,
	         o->heads_file ? ", heads file " : "", o->heads_file ? o->heads_file : "");
	return 0;
fail:
	if (g->heads_fd >= 0)
		close(g->heads_fd);
	free(g->heads_path);
	sign_key_wipe(&g->key);
	free(g);
	return -1;
}

void signer_stop(struct store *s)
{
	struct signer *g = s->signer;
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stopping = 1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	s->signer = NULL;
	db_close(g->db);
	if (g->heads_fd >= 0)
		close(g->heads_fd);
	free(g->heads_path);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	sign_key_wipe(&g->key);
	free(g);
}

int signer_elected(struct store *s)
{
	struct signer *g = s->signer;
	if (!g)
		return 0;
	pthread_mutex_lock(&g->mu);
	int e = g->elected;
	pthread_mutex_unlock(&g->mu);
	return e;
}

int store_sign_head_now(struct store *s, struct signed_head *out, struct qd_err *err)
{
	struct signer *g = s->signer;
	if (!g)
		return qd_fail(err, QD_EINTERNAL, "sign-key", "没有运行中的签名线程（无签名密钥？）",
		               "no signer runs (no signing key?)");
	pthread_mutex_lock(&g->mu);
	int64_t ask = ++g->asked;
	pthread_cond_broadcast(&g->cv);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += SIGNER_DEMAND_WAIT_S;
	int rc = 0;
	while (g->answered < ask && !g->stopping && rc == 0)
		rc = pthread_cond_timedwait(&g->cv, &g->mu, &ts);
	int result = -1;
	if (g->answered >= ask) {
		result = g->demand_rc;
		if (result == 0)
			*out = g->demand_head;
		else if (err)
			*err = g->demand_err;
	} else {
		qd_fail(err, QD_EBUSY, NULL, "签名链头超时", "signing the head timed out");
	}
	pthread_mutex_unlock(&g->mu);
	return result;
}
