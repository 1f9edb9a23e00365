/* store.h — the durable store: the only interface to the database (the only place with SQL is
 * src/store/).  One backend today (embedded SQLite, WAL, synchronous=FULL); the interface keeps
 * SQL out of the layers above so a PostgreSQL backend can follow.
 *
 * Writes: every change is a command run on ONE writer thread.  The writer takes every command
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
 * Reads: each thread gets its own read-only connection (store_reader), so readers never wait
 * for the writer (WAL).
 *
 * Ownership: json_t values returned by query functions belong to the caller (json_decref). */
#ifndef QD_STORE_H
#define QD_STORE_H
#include "base/err.h"
#include <jansson.h>
#include <stdint.h>

struct store;    /* opaque */
struct store_tx; /* the writer's view inside a command */
struct sqlite3;

struct store_opts {
	const char *path;      /* database file */
	const char *key_path;  /* personal-data key file; NULL = path + ".key" */
	int create;            /* 1: create the database and key (init); 0: both must exist */
	int queue_max;         /* max commands waiting for the writer (0 = 4096) */
	int batch_max;         /* max commands per transaction (0 = 2048) */
	int64_t now;           /* the time of this opening (ms): the `at` of events a migration writes */
};

int store_open(struct store **out, const struct store_opts *o, struct qd_err *err);
void store_close(struct store *s);
const char *store_path(const struct store *s);

/* --- writing ------------------------------------------------------------------------------ */

typedef int (*store_cmd_fn)(struct store_tx *tx, void *arg, struct qd_err *err);

/* A queued command.  The caller owns it and keeps it alive until on_done has been called. */
struct store_cmd {
	store_cmd_fn fn;
	void *arg;
	void (*on_done)(struct store_cmd *c); /* called on the writer thread after commit */
	void *ctx;
	int64_t now;                          /* its time, ms since the epoch (> 0, set by the submitter) */
	int rc;                               /* result of fn, or -1 if the commit failed */
	struct qd_err err;
	struct store_cmd *next;               /* queue link (store-owned while queued) */
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

/* Inside a command: append an event and apply it to the current-state tables.  payload is a
 * JSON object (borrowed); its "rows" member ({"table": {col: value}}) says what to upsert.
 * Returns the event's seq, or -1 with err. */
int64_t store_emit(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
		   int64_t entity_id, json_t *payload, struct qd_err *err);
/* store_emit for the common case: one row of one table (entity = table).  Takes ownership of
 * row and of extra (more payload members, may be NULL).  0 or -1. */
int store_emit_row(struct store_tx *tx, int64_t actor, const char *kind, const char *table, int64_t id,
		   json_t *row, json_t *extra, struct qd_err *err);
/* Next id for a table (ids come from the writer, so events carry them). */
int64_t store_next_id(struct store_tx *tx, const char *table);
struct sqlite3 *store_tx_db(struct store_tx *tx);
struct store *store_tx_store(struct store_tx *tx);
/* The command's time (ms since the epoch): the `at` of its events. */
int64_t store_tx_now(struct store_tx *tx);
/* The command's day in China (UTC+8): the day of the dates it computes. */
int32_t store_tx_today(struct store_tx *tx);
/* Inside a command: run fn as a step of it at its own time now (a generator of history — the
 * demo, a ledger import — writing many past days in one transaction).  A failing step fails the
 * command.  The command's own time is restored afterwards.  0 or -1 with err. */
int store_tx_run(struct store_tx *tx, int64_t now, store_cmd_fn fn, void *arg, struct qd_err *err);

/* Operational writes (sessions, login failures): not events, but still through the writer. */

/* --- reading ------------------------------------------------------------------------------ */

/* This thread's read-only connection (opened on first use, closed at thread exit). */
struct sqlite3 *store_reader(struct store *s);

/* --- personal data -------------------------------------------------------------------------- */

/* Encrypt plaintext (NUL-terminated) → base64 "nonce||ciphertext" (caller frees). */
char *store_seal(struct store *s, const char *plain);
/* Decrypt; NULL on tampering/garbage (caller frees). */
char *store_open_sealed(struct store *s, const char *sealed);
/* The keyed hash of a reporter's phone number (hex into hex[33]) for the exact lookup by the
 * personal-data right; -1 when phone is not a valid phone number. */
int store_phone_hash(struct store *s, const char *phone, char hex[33]);

#endif
