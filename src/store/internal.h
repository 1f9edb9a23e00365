/* internal.h — what the store's own files share: the store struct, the writer's transaction
 * view, projection and chain helpers.  Not for use outside src/store/. */
#ifndef QD_STORE_INTERNAL_H
#define QD_STORE_INTERNAL_H
#include "core/calendar.h"
#include "core/task.h"
#include "store/org.h"
#include "store/store.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include "store/db.h"

#define STORE_MAX_IDGEN 16

/* The writer's background work (store.c has the why): search indexing in slices of
 * INDEX_SLICE_IDLE rows while the writer is idle (no batch for INDEX_QUIET_MS), lagging a busy writer by at most INDEX_LAG rows
 * (then a slice of INDEX_SLICE rows after each batch); a passive WAL checkpoint every CKPT_PAGES
 * pages, a restart once the WAL holds CKPT_RESTART_PAGES.  A slice is the longest a queued
 * command waits for the indexer (slices of 2,000 rows took 28–53 ms on the bench machine; the
 * longest slice is in /metrics, and bench/run reports it). */
#define INDEX_SLICE 500
#define INDEX_SLICE_IDLE 500
#define INDEX_LAG 100000
#define INDEX_QUIET_MS 20
#define CKPT_PAGES 1000
#define CKPT_RESTART_PAGES 4000
#define CKPT_BUSY_MS 200
/* PostgreSQL (store.c): at most PG_BATCH_MAX commands a batch — each command's savepoint is a
 * subtransaction, and past 64 in one transaction PostgreSQL's snapshots overflow to
 * pg_subtrans, slowing every reader on primary and standbys; reconnecting a lost writer's
 * connection after PG_RETRY_MS, doubling up to PG_RETRY_MAX_MS. */
#define PG_BATCH_MAX 64
#define PG_RETRY_MS 50
#define PG_RETRY_MAX_MS 2000

/* A read handle (store.h): the connection it reads and the store it belongs to. */
struct store_rd {
	struct store *s;
	db_conn *db;
	struct rd_cache *cache; /* a reader's own (store/cache.h); NULL for the writer's and stack handles */
	/* The writer's handle: the last unit store_unit_get read in the running command, until the
	 * command emits an event (store_emit_text) — intake checks the actor's right over the unit and
	 * then reads it again for its path: one query (a round trip on PostgreSQL) instead of two. */
	int memo_ok;
	struct unit memo;
};

struct store {
	char *path;
	db_conn *wdb; /* the writer's connection */
	struct store_rd wrd; /* the read handle over wdb (store_tx_rd) */
	pthread_mutex_t mu;
	pthread_cond_t cv_work;
	pthread_t writer;
	int writer_running, stopping;
	int writer_idle; /* the writer waits for work (under mu) */
	/* Whoever writes to the database in this process holds wlock: the writer for each batch
	 * (BEGIN → COMMIT), the indexer for each slice, the checkpointer for a restart.  An
	 * in-process mutex, so no one waits in SQLite's busy handler (which sleeps in ms steps). */
	pthread_mutex_t wlock;
	/* background threads of a running writer (store.c): search indexing and WAL checkpoints,
	 * each on its own connection; they wait on cv_bg (under mu) */
	pthread_cond_t cv_bg;
	pthread_t indexer, checkpointer;
	int bg_running, bg_stopping;
	db_conn *idb, *cdb;         /* the indexer's and the checkpointer's connections */
	int64_t problem_top;        /* highest problem id committed (set by the writer, under mu) */
	int64_t batch_no;           /* batches committed (under mu) */
	int wal_pages;              /* pages in the WAL after the last commit (wal hook, under mu) */
	struct store_stats stats;   /* under mu */
	/* committed batches waiting to be answered by the answerer thread (under mu) */
	pthread_cond_t cv_ans;
	pthread_t answerer;
	int answerer_running, ans_stopping;
	struct store_cmd *ans_head, *ans_tail;
	struct store_cmd *head, *tail;
	int qlen, queue_max, batch_max;
	/* chain state, owned by the writer */
	int64_t last_seq;
	int64_t data_version;
	int pg;                /* the database is PostgreSQL (path is its URI) */
	atomic_llong commit_gen; /* batches this process committed (readers' caches look again: cache.c) */
	int pg_retry_ms;       /* PostgreSQL: the writer's back-off while its connection is lost */
	int64_t pg_retry_at;   /* monotonic µs of the next try */
	/* the writer's copy of the rules (calendar, limits); rules_valid = 0 reloads them */
	struct calendar *cal;
	struct urgency_limit limits[URG__COUNT];
	int rules_valid; /* PRAGMA data_version when the chain state was last known good */
	unsigned char last_hash[32];
	struct {
		char table[32];
		int64_t next;
	} ids[STORE_MAX_IDGEN];
	int nids;
	struct audit_log *audit; /* the audit writer of a running server (store/audit.h), NULL in the CLI */
	int audit_days;          /* its retention (store_opts.audit_days) */
	pthread_key_t reader_key;
	unsigned char key[crypto_secretbox_KEYBYTES];
	struct signer *signer; /* the chain-head signer of a serving process, or NULL (store/signer.c) */
};

/* The plaintext behind a sealed value this command made (text_seal): applying the command's own
 * event reads it here instead of opening what it has just sealed.  Cleared after each event. */
struct tx_plain {
	char *sealed; /* the sealed text (base64): a hit needs the very same ciphertext */
	char *plain;
	char *masked; /* its projection, computed before the writer (intake), or NULL */
};

struct store_tx {
	struct store *s;
	int64_t now; /* the running command's time (store_cmd.now; store_tx_run changes it for a step) */
	struct tx_plain *plain;
	int nplain, capplain;
};

/* The writer's connection inside a command (store-internal: SQL of the command functions). */
db_conn *store_tx_db(struct store_tx *tx);

/* Remask on db, inside the caller's transaction (store/remask.h): *events re-projected,
 * *changed rows whose text changed.  0 or -1. */
int store_remask_db(db_conn *db, const unsigned char *key, int64_t *events, int64_t *changed, struct qd_err *err);

/* Store-internal queries on a connection (the public ones take a struct store_rd). */
int store_category_exists(db_conn *db, int64_t id);
int store_user_active(db_conn *db, int64_t id);
/* The reporters' names of problems ids[0..n) (deduplicated JSON array of plaintext strings,
 * caller owns; for masking them inside text — keep it inside the store). */
json_t *store_problem_names(db_conn *db, const unsigned char *key, const int64_t *ids, int n);
/* The same for every problem a task gathers. */
json_t *store_task_names(db_conn *db, const unsigned char *key, int64_t task_id);

/* Remember plain as the original of the sealed text sealed, and masked (may be NULL) as its
 * projection under the names of the event that carries it — computed off the writer, exactly as
 * applying the event would (copies are kept until the event is applied). */
void tx_remember(struct store_tx *tx, const char *sealed, const char *plain, const char *masked);
/* The original of sealed if this command sealed it, else NULL (borrowed); tx may be NULL. */
const char *tx_recall(const struct store_tx *tx, const char *sealed);
/* Its remembered projection, or NULL (borrowed). */
const char *tx_recall_masked(const struct store_tx *tx, const char *sealed);
/* Forget every remembered plaintext (zeroed). */
void tx_forget(struct store_tx *tx);

/* Open a connection with the project's pragmas (WAL, synchronous=FULL, foreign keys). */
int store_connect(const char *path, int readonly, int create, db_conn **out, struct qd_err *err);
/* Apply pending migrations on db; 0 or -1.  key (the personal-data key) is needed by the
 * migrations that seal what is stored (schema 4); NULL refuses them.  now (ms) is the `at` of an
 * event a migration writes (record.reseal); 0 only for a database known to be empty. */
int store_migrate(db_conn *db, const unsigned char *key, int64_t now, struct qd_err *err);
/* Apply the rows of one event payload ({"rows": {...}}) to db.  insert = 1 when the event
 * creates its rows (kind "*.create"): they are inserted without looking for them first.  Free
 * text in the rows is opened with key and projected in its masked form (store/text.h). */
int projection_apply(db_conn *db, const unsigned char *key, json_t *payload, int insert, struct qd_err *err);
/* Put back the time stamps a schema 6 event leaves out (store/event.c): updated_at of each row
 * of a table that has one, and created_at of each created row (creates = 1), as at.  For an
 * event stored without prev_hash (schema 6) only; events before it name every stamp. */
void event_stamps_fill(json_t *payload, int64_t at, int creates);
/* The same for the live writer: originals this command sealed come from tx (no decryption). */
int projection_apply_tx(struct store_tx *tx, json_t *payload, int insert, struct qd_err *err);

/* Only the free-text columns of the payload's rows, re-projected under the current masking
 * rules onto rows that exist (remask). */
int projection_apply_texts(db_conn *db, const unsigned char *key, json_t *payload, struct qd_err *err);

/* Sealing with a key (seal.c): base64 of nonce ‖ box.  unseal_with returns NULL on a wrong key,
 * damage or garbage.  Both results are the caller's (free plaintext with plain_free). */
char *seal_with(const unsigned char key[crypto_secretbox_KEYBYTES], const char *plain);
char *unseal_with(const unsigned char key[crypto_secretbox_KEYBYTES], const char *sealed);
/* The keyed hash of a phone number (hex, 32 characters + NUL): the same for every way of
 * writing the number; -1 when phone is not a valid phone number. */
int phone_hash_with(const unsigned char key[crypto_secretbox_KEYBYTES], const char *phone, char hex[33]);
/* Zero and free plaintext (NULL is fine). */
void plain_free(char *p);
/* Read the key file at path into key; 0 or -1 with err. */
int store_key_read(const char *path, unsigned char key[crypto_secretbox_KEYBYTES], struct qd_err *err);
/* 1 when an event of this kind creates its rows ("unit.create", "problem.create" …). */
int event_creates(const char *kind);
/* hash = SHA-256(prev || canonical(seq, at, actor, kind, entity, entity_id, payload)). */
void event_hash(const unsigned char prev[32], int64_t seq, int64_t at, int64_t actor,
		const char *kind, const char *entity, int64_t entity_id, const char *payload,
		unsigned char out[32]);
/* A payload serialised off the writer (event.c): its canonical text (json_dumps, compact, sorted
 * keys) with holes where values only the writer knows go (an id, a code, a unit path).  Put
 * payload_hole(slot) (slot 0–9) where such a value goes, make the template (NULL unless exactly
 * `holes` holes were found: then serialise on the writer), and on the writer fill it with the
 * values' JSON texts (vals[slot]) — the same text json_dumps makes of the payload with the values
 * in place. */
#define PAYLOAD_TPL_HOLES 8
struct payload_tpl {
	char *text;
	int n;
	struct {
		size_t at, len;
		int slot;
	} hole[PAYLOAD_TPL_HOLES];
};
json_t *payload_hole(int slot);
struct payload_tpl *payload_tpl_new(json_t *payload, int holes);
char *payload_tpl_fill(const struct payload_tpl *t, const char *const *vals);
void payload_tpl_free(struct payload_tpl *t);
/* What the record leaves out of a payload (schema 6, event.c): a create's columns equal to what
 * INSERT gives anyway (creates = 1), and the time stamps equal to the event's time at — done by
 * store_emit, and by whoever serialises a payload themself (a template made off the writer), who
 * then puts the stamps back (event_stamps_fill) before the rows are applied.  db reads a table's defaults the first time (NULL: only what is loaded already —
 * event_defaults_load, at open — so a request thread never uses a connection of the writer's). */
void event_payload_trim(db_conn *db, json_t *payload, int creates, int64_t at);
void event_defaults_load(db_conn *db);
/* store_emit with the payload's canonical text already made (text stolen: e.g. a filled
 * template, trimmed with event_payload_trim); payload is the rows that text records, stamps
 * filled (applied to the projections as they are: INSERT gives what the trim left out). */
int64_t store_emit_text(struct store_tx *tx, int64_t actor, const char *kind, const char *entity,
			int64_t entity_id, json_t *payload, char *text, struct qd_err *err);
/* Load last_seq/last_hash from the log. */
int store_chain_load(struct store *s, struct qd_err *err);

#endif
