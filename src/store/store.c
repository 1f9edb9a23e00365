/* store.c — opening the database, migrations, the per-thread readers and the writer thread
 * with group commit (see store.h for the contract), and the threads that keep work off the
 * writer's commit path while it runs: the answerer (on_done after each commit), the indexer
 * (search indexing in slices) and the checkpointer (WAL checkpoints). */
#include "store/internal.h"
#include "store/audit.h"
#include "store/payload.h"
#include "base/date.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/mem.h"
#include "store/cache.h"
#include "store/db.h"
#include "store/db_pg.h"
#include "store/pg.h"
#include "store/schema.h"
#include "store/search.h"
#include "store/upgrade.h"
#include "store/vocab.h"
#include "store/tx.h"
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int store_connect(const char *path, int readonly, int create, db_conn **out, struct qd_err *err)
{
	int flags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		qd_fail(err, QD_EINTERNAL, "db", "无法打开数据库 %s：%s", "cannot open database %s: %s", path,
			db ? sqlite3_errmsg(db) : "out of memory", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close_v2(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	const char *pragmas = readonly ? "PRAGMA foreign_keys=ON; PRAGMA cache_size=-4000;"
				       : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
					 "PRAGMA foreign_keys=ON; PRAGMA cache_size=-8000;";
	db_conn *c = db_wrap_lite(db);
	if (db_exec(c, pragmas, err)) {
		db_close(c);
		return -1;
	}
	payload_sql_register(db); /* qd_payload(): the text of either stored form (store/payload.h) */
	*out = c;
	return 0;
}

int store_migrate(db_conn *dbc, const unsigned char *key, int64_t now, struct qd_err *err)
{
	int64_t have = 0;
	sqlite3_stmt *st = NULL;
	sqlite3 *db = db_lite(dbc);
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			have = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (have > schema_count())
		return qd_fail(err, QD_EINTERNAL, "db", "数据库版本（%lld）比程序新", "database schema %lld is newer than this program",
			       (long long)have, (long long)have);
	for (int n = (int)have + 1; n <= schema_count(); n++) {
		char set[128];
		snprintf(set, sizeof set,
			 "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%d');", n);
		if (db_exec(dbc, "BEGIN IMMEDIATE", err))
			return -1;
		if (db_exec(dbc, schema_migration(n), err) || upgrade_step(dbc, n, key, now, err) || db_exec(dbc, set, err)) {
			db_exec(dbc, "ROLLBACK", NULL);
			return -1;
		}
		if (db_exec(dbc, "COMMIT", err))
			return -1;
		log_info("schema migrated to version %d", n);
	}
	for (int i = 0; schema_extra_ddl(i); i++) /* registered kinds' tables (schema_register) */
		if (db_exec(dbc, schema_extra_ddl(i), err))
			return -1;
	return 0;
}

static int key_load(struct store *s, const char *key_path, int create, struct qd_err *err)
{
	int fd = open(key_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		randombytes_buf(s->key, sizeof s->key);
		fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, s->key, sizeof s->key) != (ssize_t)sizeof s->key || fsync(fd)) {
			if (fd >= 0)
				close(fd);
			return qd_fail(err, QD_EINTERNAL, "key", "无法写入密钥文件 %s", "cannot write key file %s",
				       key_path, key_path);
		}
		close(fd);
		return 0;
	}
	if (fd < 0)
		return qd_fail(err, QD_EINTERNAL, "key", "无法读取密钥文件 %s（先运行 qingdan init）",
			       "cannot read key file %s (run qingdan init first)", key_path, key_path);
	close(fd);
	return store_key_read(key_path, s->key, err);
}

int store_key_read(const char *path, unsigned char key[crypto_secretbox_KEYBYTES], struct qd_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return qd_fail(err, QD_EINTERNAL, "key", "无法读取密钥文件 %s（先运行 qingdan init）",
			       "cannot read key file %s (run qingdan init first)", path, path);
	unsigned char extra;
	ssize_t n = read(fd, key, crypto_secretbox_KEYBYTES);
	ssize_t more = read(fd, &extra, 1);
	close(fd);
	if (n != (ssize_t)crypto_secretbox_KEYBYTES || more != 0)
		return qd_fail(err, QD_EINTERNAL, "key", "密钥文件 %s 已损坏", "key file %s is damaged", path, path);
	return 0;
}

static void reader_free(void *p)
{
	struct store_rd *rd = p;
	cache_free(rd->cache);
	db_close(rd->db);
	free(rd);
}

/* The same for a PostgreSQL database: its schema checked and migrated (pg.c, which refuses an
 * unsafe server), the writer's connection, the chain head from chain_head.  The key file is
 * never in the database: --key names it (init creates it). */
static int store_open_pg(struct store *s, const struct store_opts *o, struct qd_err *err)
{
	int version = 0;
	if (pg_key_named(o->key_path, err) || key_load(s, o->key_path, o->create, err) ||
	    pg_schema_apply(o->path, &version, err) || db_pg_open(o->path, &s->wdb, err))
		return -1;
	s->pg = 1;
	if (s->batch_max > PG_BATCH_MAX)
		s->batch_max = PG_BATCH_MAX;
	for (int i = 0; schema_extra_ddl(i); i++) /* registered kinds' tables (schema_register) */
		if (db_exec(s->wdb, schema_extra_ddl(i), err))
			return -1;
	return store_chain_load(s, err);
}

/* Refuse a key that does not open the database's sealed personal data (one value is enough):
 * a server would seal new data with it, and the record would hold values nobody can read. */
static int store_key_opens(struct store *s, const char *kp, struct qd_err *err)
{
	db_stmt *st = db_prepare(s->wdb, "SELECT coalesce(nullif(name, ''), nullif(phone, ''), nullif(id_no, ''), "
					 "nullif(address, '')) AS v FROM problem_pii WHERE coalesce(nullif(name, ''), "
					 "nullif(phone, ''), nullif(id_no, ''), nullif(address, '')) IS NOT NULL LIMIT 1");
	if (!st)
		return db_fail(s->wdb, err);
	int ok = 1;
	if (db_step(st) == DB_ROW) {
		char *plain = unseal_with(s->key, db_col_text(st, 0));
		ok = plain != NULL;
		plain_free(plain);
	}
	if (db_done(st))
		return db_fail(s->wdb, err);
	return ok ? 0
		  : qd_fail(err, QD_EINVAL, "key", "密钥文件 %s 打不开此数据库中加密的个人信息",
			    "the key file %s does not open this database's sealed personal data", kp, kp);
}

int store_open(struct store **out, const struct store_opts *o, struct qd_err *err)
{
	/* SQLite's memory statistics take a process-wide mutex on every allocation; nothing reads
	 * them.  Must precede the first connection (later calls are refused, harmlessly). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sodium_init() < 0)
		return qd_fail(err, QD_EINTERNAL, NULL, "libsodium 初始化失败", "libsodium failed to start");
	struct stat sb;
	int pg = pg_is_uri(o->path);
	if (!pg && !o->create && stat(o->path, &sb) != 0)
		return qd_fail(err, QD_ENOTFOUND, "db", "数据库 %s 不存在（先运行 qingdan init）",
			       "database %s does not exist (run qingdan init first)", o->path, o->path);
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(o->path);
	s->queue_max = o->queue_max > 0 ? o->queue_max : 4096;
	s->batch_max = o->batch_max > 0 ? o->batch_max : 2048;
	s->audit_days = o->audit_days > 0 ? o->audit_days : AUDIT_DEFAULT_DAYS;
	if (s->audit_days < AUDIT_MIN_DAYS) {
		free(s->path);
		free(s);
		return qd_fail(err, QD_EINVAL, "audit-days", "审计日志至少保存 %d 天", "the audit log is kept at least %d days",
			       AUDIT_MIN_DAYS, AUDIT_MIN_DAYS);
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv_work, NULL);
	pthread_cond_init(&s->cv_bg, NULL);
	pthread_cond_init(&s->cv_ans, NULL);
	pthread_mutex_init(&s->wlock, NULL);
	pthread_key_create(&s->reader_key, reader_free);
	char kp[4096];
	if (pg) {
		if (store_open_pg(s, o, err) || store_key_opens(s, o->key_path, err) || store_vocab_check(err)) {
			store_close(s);
			return -1;
		}
	} else if (snprintf(kp, sizeof kp, "%s.key", o->path) >= (int)sizeof kp) { /* never a cut key path */
		store_close(s);
		return qd_fail(err, QD_EINVAL, "db", "数据库路径过长", "database path too long");
	} else if (key_load(s, o->key_path ? o->key_path : kp, o->create, err) ||
	    store_connect(o->path, 0, o->create, &s->wdb, err) || store_migrate(s->wdb, s->key, o->now, err) ||
	    store_chain_load(s, err) || store_key_opens(s, o->key_path ? o->key_path : kp, err) ||
	    store_vocab_check(err)) {
		store_close(s);
		return -1;
	}
	event_defaults_load(s->wdb); /* before any request thread trims a payload (problem.c) */
	s->wrd.s = s;
	s->wrd.db = s->wdb;
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store_writer_stop(s);
	audit_free(s->audit);
	struct store_rd *r = pthread_getspecific(s->reader_key);
	if (r) {
		reader_free(r);
		pthread_setspecific(s->reader_key, NULL);
	}
	pthread_key_delete(s->reader_key);
	db_close(s->wdb);
	calendar_free(s->cal);
	sodium_memzero(s->key, sizeof s->key);
	free(s->path);
	free(s);
}

const char *store_path(const struct store *s)
{
	return s->path;
}

/* This thread's last try to open its PostgreSQL reader connection failed (store_db_lost). */
static _Thread_local int reader_unreachable;

struct store_rd *store_reader(struct store *s)
{
	struct store_rd *rd = pthread_getspecific(s->reader_key);
	if (!rd) {
		struct qd_err err;
		db_conn *db;
		if (s->pg ? db_pg_open(s->path, &db, &err) : store_connect(s->path, 1, 0, &db, &err)) {
			log_error("reader: %s", err.en);
			reader_unreachable = s->pg;
			return NULL;
		}
		reader_unreachable = 0;
		rd = xcalloc(1, sizeof *rd);
		rd->s = s;
		rd->db = db;
		rd->cache = cache_new();
		pthread_setspecific(s->reader_key, rd);
	} else if (s->pg && db_pg_broken(rd->db)) {
		db_pg_reconnect(rd->db); /* (its cache asks the version row again: cache_fresh) */
	}
	return rd;
}

void store_request_begin(struct store *s)
{
	struct store_rd *rd = pthread_getspecific(s->reader_key);
	if (rd)
		cache_request(rd->cache);
}

int store_db_lost(struct store *s)
{
	if (!s->pg)
		return 0;
	struct store_rd *rd = pthread_getspecific(s->reader_key);
	return rd ? db_pg_broken(rd->db) : reader_unreachable;
}

struct store *store_rd_store(struct store_rd *rd)
{
	return rd->s;
}

/* --- the writer ------------------------------------------------------------------------------ */

int64_t store_next_id(struct store_tx *tx, const char *table)
{
	struct store *s = tx->s;
	for (int i = 0; i < s->nids; i++)
		if (strcmp(s->ids[i].table, table) == 0)
			return s->ids[i].next++;
	const struct schema_table *t = schema_table(table);
	if (!t || s->nids == STORE_MAX_IDGEN)
		return -1;
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) + 1 FROM \"%s\"", t->name); /* sql-ident */
	int64_t next = db_int(s->wdb, sql, 0, 0);
	if (next < 1)
		return -1;
	snprintf(s->ids[s->nids].table, sizeof s->ids[0].table, "%s", t->name);
	s->ids[s->nids].next = next + 1;
	s->nids++;
	return next;
}

db_conn *store_tx_db(struct store_tx *tx)
{
	return tx->s->wdb;
}

struct store_rd *store_tx_rd(struct store_tx *tx)
{
	return &tx->s->wrd;
}

struct store *store_tx_store(struct store_tx *tx)
{
	return tx->s;
}

int64_t store_tx_now(struct store_tx *tx)
{
	return tx->now;
}

int32_t store_tx_today(struct store_tx *tx)
{
	return date_china_day(tx->now);
}

int store_tx_run(struct store_tx *tx, int64_t now, store_cmd_fn fn, void *arg, struct qd_err *err)
{
	if (now <= 0)
		return qd_fail(err, QD_EINTERNAL, NULL, "内部错误：命令没有时间", "internal error: a command without its time");
	int64_t own = tx->now;
	tx->now = now;
	int rc = fn(tx, arg, err);
	tx->now = own;
	return rc;
}

/* After a commit without a writer thread (the CLI): index new problems for search at once.
 * With a writer thread the indexer does it (indexer_main). */
static void index_new_problems(struct store *s)
{
	if (s->pg)
		return; /* PostgreSQL's trigram indexes follow every write themselves */
	struct qd_err err;
	int n;
	while ((n = search_catch_up(s->wdb, 20000, &err)) > 0)
		;
	if (n < 0)
		log_error("search index: %s", err.en);
	s->data_version = db_int(s->wdb, "PRAGMA data_version", 0, 0);
}

static int64_t mono_us(void) /* operational: the writer's figures, never domain time */
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A statement without results on the writer's connection, prepared once (the savepoint around
 * each command: parsing it again for every command cost a few percent of the writer). */
static int wexec(db_conn *db, const char *sql)
{
	db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	int rc = db_step(st);
	return db_done(st) || rc != DB_DONE ? -1 : 0;
}

/* --- the writer on PostgreSQL ------------------------------------------------------------------
 * Several servers write one database: each batch locks the one chain_head row (FOR UPDATE) for
 * its transaction, so batches of every server follow one another on the chain, and takes the
 * head from it.  When the head is not where this server left it another server wrote meanwhile:
 * the id counters and the rules in memory are stale (store_next_id reads max(id) again — under
 * the lock, so no two servers hand out one id).  A connection found lost is connected again
 * before a batch, with back-off (PG_RETRY_MS doubling to PG_RETRY_MAX_MS): while it cannot be,
 * every command is answered 503 at once rather than wait. */

static int pg_batch_begin(struct store *s, struct qd_err *err)
{
	if (db_pg_broken(s->wdb)) {
		int64_t now = mono_us();
		if (now < s->pg_retry_at || db_pg_reconnect(s->wdb)) {
			if (now >= s->pg_retry_at) {
				s->pg_retry_ms = s->pg_retry_ms ? s->pg_retry_ms * 2 : PG_RETRY_MS;
				if (s->pg_retry_ms > PG_RETRY_MAX_MS)
					s->pg_retry_ms = PG_RETRY_MAX_MS;
				s->pg_retry_at = now + (int64_t)s->pg_retry_ms * 1000;
				log_error("writer: the database is unreachable; next try in %d ms", s->pg_retry_ms);
			}
			return qd_fail(err, QD_EBUSY, NULL, "数据库暂时无法连接，请稍后重试",
				       "the database cannot be reached for now, retry later");
		}
		log_info("writer: connected to the database again");
		s->pg_retry_ms = 0;
	}
	if (db_exec(s->wdb, "BEGIN", err))
		return -1;
	db_stmt *st = db_prepare(s->wdb, "SELECT seq, hash FROM chain_head WHERE one = 1 FOR UPDATE");
	int64_t seq = -1;
	unsigned char h[32] = {0};
	if (st && db_step(st) == DB_ROW) {
		seq = db_col_int64(st, 0);
		size_t n = 0;
		const void *p = db_col_blob(st, 1, &n);
		if (n == 32)
			memcpy(h, p, 32);
	}
	if (db_done(st) || seq < 0) {
		db_fail(s->wdb, err);
		db_exec(s->wdb, "ROLLBACK", NULL);
		return -1;
	}
	if (seq != s->last_seq || memcmp(h, s->last_hash, 32) != 0) {
		s->last_seq = seq;
		memcpy(s->last_hash, h, 32);
		s->nids = 0;
		s->rules_valid = 0;
	}
	return 0;
}

static int pg_chain_store(struct store *s, struct qd_err *err)
{
	db_stmt *st = db_prepare(s->wdb, "UPDATE chain_head SET seq = ?, hash = ? WHERE one = 1");
	if (!st)
		return db_fail(s->wdb, err);
	db_bind_int(st, 1, s->last_seq);
	db_bind_blob(st, 2, s->last_hash, 32);
	int rc = db_step(st);
	if (db_done(st) || rc != DB_DONE)
		return db_fail(s->wdb, err);
	return 0;
}

/* Run a batch of commands in one transaction; each in its own savepoint.  Called with wlock. */
static void run_batch(struct store *s, struct store_cmd *batch)
{
	struct store_tx tx = {s, 0, NULL, 0, 0};
	struct qd_err err;
	int64_t t0 = mono_us();
	int began = s->pg ? pg_batch_begin(s, &err) == 0 : db_exec(s->wdb, "BEGIN IMMEDIATE", &err) == 0;
	int64_t seq0 = s->last_seq;
	/* Another connection may have written since our last commit.  When the chain head moved
	 * (another process — the CLI — wrote events) the chain head, id counters and rules in
	 * memory are stale; when it did not (our own indexer and checkpointer, a remask), every row
	 * they are derived from is as it was: each of them is written by events only. */
	if (began && !s->pg) {
		int64_t dv = db_int(s->wdb, "PRAGMA data_version", 0, 0);
		if (dv != s->data_version) {
			int64_t seq = s->last_seq;
			unsigned char h[32];
			memcpy(h, s->last_hash, 32);
			store_chain_load(s, NULL);
			if (s->last_seq != seq || memcmp(h, s->last_hash, 32) != 0) {
				s->nids = 0;
				s->rules_valid = 0;
			}
			s->data_version = dv;
		}
	}
	int ncmd = 0, sp_open = 0;
	for (struct store_cmd *c = batch; c; c = c->next) {
		ncmd++;
		qd_err_clear(&c->err);
		if (!began) {
			c->rc = -1;
			c->err = err;
			continue;
		}
		if (c->now <= 0) { /* a submitter that forgot the time: refused, not given the wall clock */
			c->rc = qd_fail(&c->err, QD_EINTERNAL, NULL, "内部错误：命令没有时间",
					"internal error: a command without its time");
			continue;
		}
		int64_t seq = s->last_seq;
		unsigned char hash[32];
		memcpy(hash, s->last_hash, 32);
		s->wrd.memo_ok = 0; /* a command reads anew (store_rd.memo) */
		/* PostgreSQL: each statement is a round trip, so the previous command's RELEASE went
		 * with this SAVEPOINT (below) */
		if (!s->pg || !sp_open)
			wexec(s->wdb, "SAVEPOINT cmd");
		tx.now = c->now; /* each command at its own time */
		c->rc = c->fn(&tx, c->arg, &c->err);
		tx_forget(&tx); /* plaintexts of seals never emitted (a failed command) */
		if (c->rc) {
			if (c->err.code == QD_OK)
				qd_fail(&c->err, QD_EINTERNAL, NULL, "内部错误", "internal error");
			wexec(s->wdb, "ROLLBACK TO cmd");
			s->last_seq = seq;
			memcpy(s->last_hash, hash, 32);
		}
		if (!s->pg)
			wexec(s->wdb, "RELEASE cmd");
		else if (c->next)
			sp_open = db_exec(s->wdb, "RELEASE cmd; SAVEPOINT cmd", NULL) == 0;
		else
			wexec(s->wdb, "RELEASE cmd");
	}
	int64_t t1 = mono_us();
	if (began) {
		/* PostgreSQL: the head moves in the database with the batch (pg_chain_store) */
		int bad = s->pg && s->last_seq != seq0 && pg_chain_store(s, &err);
		if (!bad && db_exec(s->wdb, "COMMIT", &err)) {
			log_error("commit failed: %s", err.en);
			bad = 1;
		}
		if (!bad)
			atomic_fetch_add(&s->commit_gen, 1);
		if (bad) { /* nothing of the batch is committed */
			db_exec(s->wdb, "ROLLBACK", NULL);
			int lost = s->pg && db_pg_broken(s->wdb);
			if (lost) /* whatever each command saw of it, the connection was lost: retry later */
				qd_fail(&err, QD_EBUSY, NULL, "数据库连接中断，请稍后重试",
					"the database connection was lost, retry later");
			for (struct store_cmd *c = batch; c; c = c->next) {
				c->rc = -1;
				c->err = err;
			}
			s->nids = 0;
			s->rules_valid = 0;
			if (!lost) /* (PostgreSQL's next batch reads the head again anyway) */
				store_chain_load(s, NULL);
		}
	}
	free(tx.plain);
	int64_t t2 = mono_us();
	int64_t top = 0;
	for (int i = 0; i < s->nids; i++)
		if (strcmp(s->ids[i].table, "problem") == 0)
			top = s->ids[i].next - 1;
	pthread_mutex_lock(&s->mu);
	s->stats.batches++;
	s->stats.commands += ncmd;
	s->stats.tx_us += t2 - t0;
	s->stats.commit_us += t2 - t1;
	if (top > s->problem_top)
		s->problem_top = top;
	s->batch_no++;
	if (s->bg_running)
		pthread_cond_broadcast(&s->cv_bg); /* the indexer may be waiting for this batch */
	pthread_mutex_unlock(&s->mu);
	if (!s->bg_running)
		index_new_problems(s);
}

/* Answer each command of a committed batch. */
static void answer_batch(struct store *s, struct store_cmd *batch)
{
	int64_t t0 = mono_us();
	struct store_cmd *c = batch;
	while (c) {
		struct store_cmd *next = c->next; /* on_done may free c */
		c->next = NULL;
		if (c->on_done)
			c->on_done(c);
		c = next;
	}
	pthread_mutex_lock(&s->mu);
	s->stats.answer_us += mono_us() - t0;
	pthread_mutex_unlock(&s->mu);
}

static void *writer_main(void *arg)
{
	struct store *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->head && !s->stopping) {
			s->writer_idle = 1;
			pthread_cond_broadcast(&s->cv_bg); /* idle: the indexer's turn */
			pthread_cond_wait(&s->cv_work, &s->mu);
		}
		s->writer_idle = 0;
		if (!s->head && s->stopping) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		struct store_cmd *batch = s->head, *last = s->head;
		int n = 1;
		while (last->next && n < s->batch_max) {
			last = last->next;
			n++;
		}
		s->head = last->next;
		if (!s->head)
			s->tail = NULL;
		last->next = NULL;
		s->qlen -= n;
		/* the queue: head and tail both set or both NULL; qlen counts what hangs off head */
		assert(!s->head == !s->tail && s->qlen >= 0 && (s->qlen == 0) == !s->head);
		int64_t waited = mono_us() - batch->queued_us; /* the first queued waited longest */
		if (waited > s->stats.wait_max_us)
			s->stats.wait_max_us = waited;
		pthread_mutex_unlock(&s->mu);
		pthread_mutex_lock(&s->wlock);
		run_batch(s, batch);
		pthread_mutex_unlock(&s->wlock);
		/* answered on the answerer thread, while this one runs the next batch */
		struct store_cmd *end = batch;
		while (end->next)
			end = end->next;
		pthread_mutex_lock(&s->mu);
		if (s->ans_tail)
			s->ans_tail->next = batch;
		else
			s->ans_head = batch;
		s->ans_tail = end;
		pthread_cond_signal(&s->cv_ans);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

/* Answering the callers of committed batches (on_done: in the server, resuming their
 * connections) on a thread of its own, so the writer goes on to its next batch meanwhile.
 * Stopped after the writer, once everything committed is answered. */
static void *answerer_main(void *arg)
{
	struct store *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->ans_head && !s->ans_stopping)
			pthread_cond_wait(&s->cv_ans, &s->mu);
		struct store_cmd *batch = s->ans_head;
		if (!batch)
			break;
		s->ans_head = s->ans_tail = NULL;
		pthread_mutex_unlock(&s->mu);
		answer_batch(s, batch);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* --- background work of a running writer: search indexing and WAL checkpoints ---------------- */

/* Search indexing (search.c) runs on its own connection in slices, each its own transaction
 * taken between two of the writer's batches (wlock): a queued command waits for at most one
 * slice.  While the writer is idle the indexer catches up (slices of INDEX_SLICE_IDLE rows);
 * idle means no batch for INDEX_QUIET_MS; while it is busy the index may lag by up to INDEX_LAG rows — a burst of intake is indexed
 * after it, in larger and so cheaper slices, and searches stay complete meanwhile: problem.c
 * matches the rows above the index's mark by substring, about 0.5 µs a row, so 50 ms at the
 * most — then one slice of INDEX_SLICE rows follows each batch until it is back under
 * (internal.h). */

static void *indexer_main(void *arg)
{
	struct store *s = arg;
	int64_t upto = search_indexed_upto(s->idb), seen = -1, stuck = -1;
	pthread_mutex_lock(&s->mu);
	while (!s->bg_stopping) {
		int64_t behind = s->problem_top - upto;
		int idle = s->writer_idle && !s->head;
		if (behind <= 0 || stuck == s->batch_no || (!idle && (behind < INDEX_LAG || s->batch_no == seen))) {
			pthread_cond_wait(&s->cv_bg, &s->mu);
			continue;
		}
		if (idle && behind < INDEX_LAG) {
			/* idle between two requests of a burst is not idle: wait for a quiet INDEX_QUIET_MS */
			int64_t b = s->batch_no;
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += INDEX_QUIET_MS * 1000000L;
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			while (!s->bg_stopping && s->batch_no == b && s->writer_idle && !s->head &&
			       pthread_cond_timedwait(&s->cv_bg, &s->mu, &ts) == 0)
				;
			if (s->bg_stopping || s->batch_no != b || !s->writer_idle || s->head)
				continue;
		}
		seen = s->batch_no;
		pthread_mutex_unlock(&s->mu);
		struct qd_err err;
		pthread_mutex_lock(&s->wlock);
		int64_t t0 = mono_us();
		int n = search_catch_up(s->idb, idle ? INDEX_SLICE_IDLE : INDEX_SLICE, &err);
		int64_t dt = mono_us() - t0;
		pthread_mutex_unlock(&s->wlock);
		if (n < 0)
			log_error("search index: %s", err.en);
		int64_t now = search_indexed_upto(s->idb);
		pthread_mutex_lock(&s->mu);
		s->stats.index_rows += now > upto ? now - upto : 0;
		s->stats.index_slices++;
		s->stats.index_us += dt;
		if (dt > s->stats.index_slice_max_us)
			s->stats.index_slice_max_us = dt;
		/* nothing to index (ids of commands that failed) or an error: again after the next batch */
		stuck = n <= 0 ? seen : -1;
		upto = now;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* WAL checkpoints run on their own connection, never inside the writer's COMMIT (SQLite's
 * automatic checkpoint is off while the writer runs): a PASSIVE checkpoint, concurrent with the
 * writer, once CKPT_PAGES pages are in the WAL past the last one.  A passive checkpoint never
 * resets the WAL by itself — the writer starts it over only when it finds every frame copied —
 * so under steady load the file would grow without bound: once it holds CKPT_RESTART_PAGES, the
 * checkpointer holds the writer (wlock) for a RESTART checkpoint (copying what the passive one
 * left, waiting at most CKPT_BUSY_MS for readers), after which the next commit writes the WAL
 * from its start.  journal_size_limit cuts the file back after a restart if it ever grew past
 * it (a long reader holding off restarts).  Durability is the writer's: its COMMIT fsyncs the
 * WAL (synchronous=FULL); a checkpoint only copies committed pages into the database file.
 * (CKPT_*: internal.h) */

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	struct store *s = arg;
	pthread_mutex_lock(&s->mu);
	s->wal_pages = pages;
	s->stats.wal_pages = pages;
	if (pages > s->stats.wal_pages_max)
		s->stats.wal_pages_max = pages;
	if (pages >= CKPT_PAGES)
		pthread_cond_broadcast(&s->cv_bg);
	pthread_mutex_unlock(&s->mu);
	return SQLITE_OK;
}

static void *checkpointer_main(void *arg)
{
	struct store *s = arg;
	int done = 0; /* frames copied by the last checkpoint (of the WAL as it then was) */
	pthread_mutex_lock(&s->mu);
	while (!s->bg_stopping) {
		if (s->wal_pages < done) /* the WAL was started over */
			done = 0;
		if (s->wal_pages - done < CKPT_PAGES) {
			pthread_cond_wait(&s->cv_bg, &s->mu);
			continue;
		}
		pthread_mutex_unlock(&s->mu);
		int64_t t0 = mono_us();
		int log = 0, ckpt = 0, restart = 0;
		int rc = sqlite3_wal_checkpoint_v2(db_lite(s->cdb), NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &ckpt);
		if (rc == SQLITE_OK && log >= CKPT_RESTART_PAGES) {
			restart = 1;
			pthread_mutex_lock(&s->wlock);
			rc = sqlite3_wal_checkpoint_v2(db_lite(s->cdb), NULL, SQLITE_CHECKPOINT_RESTART, &log, &ckpt);
			pthread_mutex_unlock(&s->wlock);
		}
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_error("checkpoint: %s", db_errmsg(s->cdb));
		int64_t dt = mono_us() - t0;
		pthread_mutex_lock(&s->mu);
		s->stats.checkpoints++;
		s->stats.restarts += restart && rc == SQLITE_OK;
		s->stats.checkpoint_us += dt;
		/* what it copied counts as done; a failure waits for the next commit's pages */
		done = rc == SQLITE_OK && ckpt > 0 ? ckpt : s->wal_pages;
		if (restart && rc == SQLITE_OK)
			done = 0, s->wal_pages = 0;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void bg_close(struct store *s)
{
	db_close(s->idb);
	db_close(s->cdb);
	s->idb = s->cdb = NULL;
}

/* Start the indexer and the checkpointer; 0, or -1 (nothing left running). */
static int bg_start(struct store *s)
{
	struct qd_err err;
	if (store_connect(s->path, 0, 0, &s->idb, &err) || store_connect(s->path, 0, 0, &s->cdb, &err)) {
		log_error("writer: %s", err.en);
		bg_close(s);
		return -1;
	}
	/* the index is derived data (its mark commits with it): a lost slice is indexed again */
	db_exec(s->idb, "PRAGMA synchronous=NORMAL", NULL);
	sqlite3_busy_timeout(db_lite(s->cdb), CKPT_BUSY_MS);
	db_exec(s->wdb, "PRAGMA journal_size_limit=67108864", NULL);
	s->problem_top = db_int(s->wdb, "SELECT coalesce(max(id), 0) FROM problem", 0, 0);
	s->bg_stopping = 0;
	s->wal_pages = 0;
	if (pthread_create(&s->indexer, NULL, indexer_main, s)) {
		bg_close(s);
		return -1;
	}
	pthread_setname_np(s->indexer, "qd-indexer");
	if (pthread_create(&s->checkpointer, NULL, checkpointer_main, s)) {
		pthread_mutex_lock(&s->mu);
		s->bg_stopping = 1;
		pthread_cond_broadcast(&s->cv_bg);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->indexer, NULL);
		bg_close(s);
		return -1;
	}
	pthread_setname_np(s->checkpointer, "qd-checkpoint");
	sqlite3_wal_hook(db_lite(s->wdb), wal_hook, s); /* replaces the automatic checkpoint */
	s->bg_running = 1;
	return 0;
}

static void bg_stop(struct store *s)
{
	if (!s->bg_running)
		return;
	pthread_mutex_lock(&s->mu);
	s->bg_stopping = 1;
	pthread_cond_broadcast(&s->cv_bg);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->indexer, NULL);
	pthread_join(s->checkpointer, NULL);
	s->bg_running = 0;
	bg_close(s);
	sqlite3_wal_autocheckpoint(db_lite(s->wdb), 1000); /* the CLI's way again */
}

static void answerer_stop(struct store *s)
{
	if (!s->answerer_running)
		return;
	pthread_mutex_lock(&s->mu);
	s->ans_stopping = 1;
	pthread_cond_signal(&s->cv_ans);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->answerer, NULL);
	s->answerer_running = 0;
}

int store_writer_start(struct store *s)
{
	if (s->writer_running)
		return 0;
	if (!s->pg && bg_start(s)) /* PostgreSQL indexes and checkpoints by itself */
		return -1;
	s->stopping = 0;
	s->ans_stopping = 0;
	if (pthread_create(&s->answerer, NULL, answerer_main, s)) {
		bg_stop(s);
		return -1;
	}
	pthread_setname_np(s->answerer, "qd-answerer");
	s->answerer_running = 1;
	if (pthread_create(&s->writer, NULL, writer_main, s)) {
		answerer_stop(s);
		bg_stop(s);
		return -1;
	}
	/* Named, to be found in top, perf and bench/run (which reads the writer's CPU by name). */
	pthread_setname_np(s->writer, "qd-writer");
	s->writer_running = 1;
	audit_free(s->audit); /* the audit log's own writer, beside the event writer (store/audit.h) */
	s->audit = audit_start(s, s->audit_days);
	return 0;
}

void store_writer_stop(struct store *s)
{
	if (!s->writer_running)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_signal(&s->cv_work);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->writer, NULL);
	s->writer_running = 0;
	answerer_stop(s);
	bg_stop(s);
	audit_stop(s->audit); /* what is queued is written; entries after this are counted as dropped */
}

void store_stats(struct store *s, struct store_stats *out, int reset)
{
	pthread_mutex_lock(&s->mu);
	*out = s->stats;
	if (reset) {
		s->stats.wait_max_us = 0;
		s->stats.index_slice_max_us = 0;
		s->stats.wal_pages_max = s->stats.wal_pages;
	}
	pthread_mutex_unlock(&s->mu);
}

int store_submit(struct store *s, struct store_cmd *cmd, struct qd_err *err)
{
	cmd->next = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->stopping) {
		pthread_mutex_unlock(&s->mu);
		return qd_fail(err, QD_EBUSY, NULL, "服务正在停止，请稍后重试", "busy: the server is stopping, retry later");
	}
	if (s->qlen >= s->queue_max) {
		pthread_mutex_unlock(&s->mu);
		return qd_fail(err, QD_EBUSY, NULL, "系统繁忙，请稍后重试", "busy: the write queue is full, retry later");
	}
	assert(!s->head == !s->tail);
	if (s->tail)
		s->tail->next = cmd;
	else
		s->head = cmd;
	s->tail = cmd;
	s->qlen++;
	cmd->queued_us = mono_us();
	assert(s->qlen <= s->queue_max);
	pthread_cond_signal(&s->cv_work);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

int store_queue_len(struct store *s)
{
	pthread_mutex_lock(&s->mu);
	int n = s->qlen;
	pthread_mutex_unlock(&s->mu);
	return n;
}

struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
};

static void waiter_done(struct store_cmd *c)
{
	struct waiter *w = c->ctx;
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int store_run(struct store *s, int64_t now, store_cmd_fn fn, void *arg, struct qd_err *err)
{
	struct store_cmd c = {.fn = fn, .arg = arg, .now = now};
	if (!s->writer_running) {
		pthread_mutex_lock(&s->wlock);
		run_batch(s, &c);
		pthread_mutex_unlock(&s->wlock);
		answer_batch(s, &c);
	} else {
		struct waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
		c.ctx = &w;
		c.on_done = waiter_done;
		if (store_submit(s, &c, err))
			return -1;
		pthread_mutex_lock(&w.mu);
		while (!w.done)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
	}
	if (c.rc && err)
		*err = c.err;
	return c.rc;
}
