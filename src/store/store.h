/* store.h — the durable store: the only interface to the database (the only place with SQL is
 * src/store/).  One backend today (embedded SQLite, WAL, synchronous=FULL); the interface keeps
 * SQL out of the layers above so a PostgreSQL backend can follow.
 *
 * Writes: every change is a command run on ONE writer thread; the layers above ask for one with a
 * struct store_write (store/write.h: who, which write, typed arguments).  The writer takes every command
 * waiting in the queue, runs them in one transaction (each inside its own savepoint, so one
 * failing command changes nothing and does not disturb the others), commits once, and only
 * then reports each command done: group commit.  A command changes state only by emitting
 * events (store_emit): the event is appended to the hash-chained log and applied to the
 * current-state tables in the same transaction.
 *
 * Time is an argument: every command carries its `now` (set by whoever submits it — the web
 * layer reads its clock once per request, the CLI once per command).  The writer runs each
 * command at its own time: its events carry it (`at`) and every date it computes (assignment,
 * deadlines, completion …) is the China day of it (store_tx_today).  Nothing in src/store or
 * src/core reads the clock for domain time.
 *
 * Reads: through a read handle (struct store_rd, opaque): each thread gets its own, over its own
 * read-only connection (store_reader), so readers never wait for the writer (WAL); inside a
 * command the writer's handle (store_tx_rd) reads what the transaction has written so far.  Every
 * query function of the store headers takes one; no database type is visible above src/store.
 *
 * Ownership: json_t values returned by query functions belong to the caller (json_decref). */
#ifndef QD_STORE_H
#define QD_STORE_H
#include "base/err.h"
#include <jansson.h>
#include <stdint.h>

struct store;    /* opaque */
struct store_tx; /* the writer's view inside a command */
struct store_rd; /* a read handle (opaque): one per thread, or the writer's inside a command */

struct store_opts {
	const char *path;      /* database file */
	const char *key_path;  /* personal-data key file; NULL = path + ".key" */
	int create;            /* 1: create the database and key (init); 0: both must exist */
	int queue_max;         /* max commands waiting for the writer (0 = 4096) */
	int batch_max;         /* max commands per transaction (0 = 2048) */
	int64_t now;           /* the time of this opening (ms): the `at` of events a migration writes */
	int audit_days;        /* the audit log's retention in days (0 = 365; less than 180 is refused) */
};

int store_open(struct store **out, const struct store_opts *o, struct qd_err *err);
void store_close(struct store *s);
const char *store_path(const struct store *s);

/* --- writing ------------------------------------------------------------------------------ */

typedef int (*store_cmd_fn)(struct store_tx *tx, void *arg, struct qd_err *err);

/* A queued command.  The caller owns it and keeps it alive until on_done has been called.
 * Layers above the store do not write fn: they point the command at a struct store_write
 * (store_write_cmd, store/write.h), whose typed arguments the store's own command runs.  fn is
 * for the store's commands (write.c) and its unit tests; store_run(fn) for the CLI's one bulk job
 * (the demo). */
struct store_cmd {
	store_cmd_fn fn;
	void *arg;
	void (*on_done)(struct store_cmd *c); /* called after commit, in commit order (the answerer
	                                       * thread of a running writer; inline in the CLI) */
	void *ctx;
	int64_t now;                          /* its time, ms since the epoch (> 0, set by the submitter) */
	int rc;                               /* result of fn, or -1 if the commit failed */
	struct qd_err err;
	struct store_cmd *next;               /* queue link (store-owned while queued) */
	int64_t queued_us;                    /* store-owned: when it was queued (monotonic) */
};

/* Start the writer thread (serve).  Without it, store_run executes inline (CLI). */
int store_writer_start(struct store *s);
void store_writer_stop(struct store *s);
/* Queue cmd (cmd->now set); on_done runs after its transaction commits (or fails).  Returns -1
 * with QD_EBUSY when the queue is full — nothing was queued. */
int store_submit(struct store *s, struct store_cmd *cmd, struct qd_err *err);
/* Run fn as one command at time now (ms since the epoch) and wait for its commit.  0 or -1 with
 * err. */
int store_run(struct store *s, int64_t now, store_cmd_fn fn, void *arg, struct qd_err *err);
/* Queue length now (for /metrics and overload decisions). */
int store_queue_len(struct store *s);

/* What the writer and its background threads have done since the writer started (for
 * /metrics and the benchmarks; times in microseconds, monotonic clock). */
struct store_stats {
	int64_t batches, commands;  /* transactions committed, commands run in them */
	int64_t tx_us;              /* inside the writer's transactions (BEGIN → COMMIT returned) */
	int64_t commit_us;          /* of which COMMIT (the fsync of the WAL) */
	int64_t answer_us;          /* answering the callers after each commit (on_done) */
	int64_t wait_max_us;        /* the longest a command waited in the queue for its batch */
	int64_t index_rows, index_slices, index_us, index_slice_max_us; /* search indexing */
	int64_t checkpoints, checkpoint_us, restarts; /* WAL checkpoints (restarts: with the writer held) */
	int64_t wal_pages, wal_pages_max; /* pages in the WAL after the last commit, and the most seen */
};
/* Copy the figures into out; reset = 1 also resets the maxima (wait_max_us, index_slice_max_us,
 * wal_pages_max), so a reader sees the worst since its last read. */
void store_stats(struct store *s, struct store_stats *out, int reset);

/* --- reading ------------------------------------------------------------------------------ */

/* This thread's read handle over its own read-only connection (opened on first use, closed at
 * thread exit; owned by the store); NULL when the connection cannot be opened (logged). */
struct store_rd *store_reader(struct store *s);
/* The store a read handle reads. */
struct store *store_rd_store(struct store_rd *rd);
/* Whether this thread's connection to the database was found lost (PostgreSQL; SQLite: never):
 * a request that failed meanwhile answers 503, not 500 (web/server.c). */
int store_db_lost(struct store *s);
/* A request begins on this thread: what its read handle caches is checked again at first use
 * (PostgreSQL reads its version row once per request; SQLite's check is free anyway). */
void store_request_begin(struct store *s);

/* --- personal data -------------------------------------------------------------------------- */

/* Encrypt plaintext (NUL-terminated) → base64 "nonce||ciphertext" (caller frees). */
char *store_seal(struct store *s, const char *plain);
/* Decrypt; NULL on tampering/garbage (caller frees). */
char *store_open_sealed(struct store *s, const char *sealed);
/* The keyed hash of a reporter's phone number (hex into hex[33]) for the exact lookup by the
 * personal-data right; -1 when phone is not a valid phone number. */
int store_phone_hash(struct store *s, const char *phone, char hex[33]);
/* A 32-byte subkey of the personal-data key for another purpose of the server (libsodium
 * crypto_kdf: id and the 8-character context name the purpose; e.g. the CSRF key, web/csrf.h):
 * every server holding the key file derives the same, and the subkey reveals nothing of the key. */
void store_derive_key(struct store *s, unsigned long long id, const char ctx[8], unsigned char out[32]);

#endif
