/* tx.h — the store's own write steps: the functions that take the writer's transaction
 * (struct store_tx *), of which the write commands (store/write.c) are made.  Private to
 * src/store — and to the store's tests and bench/gen, which build databases with them — so that
 * the interface the layers above see (store.h, write.h and the query headers) is what a second
 * backend must implement, and nothing else; tests/api/test_layers.py keeps it so.  The types
 * these take are declared in the public headers included here. */
#ifndef QD_STORE_TX_H
#define QD_STORE_TX_H
#include "store/item.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/session.h"
#include "store/store.h"
#include "store/task.h"
#include "store/visit.h"

/* --- the command: events, ids, its time and its read handle (store.c, event.c) ------------------- */

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

/* The writer's read handle inside a command (reads see the transaction's own writes). */
struct store_rd *store_tx_rd(struct store_tx *tx);

struct store *store_tx_store(struct store_tx *tx);

/* The command's time (ms since the epoch): the `at` of its events. */
int64_t store_tx_now(struct store_tx *tx);

/* The command's day in China (UTC+8): the day of the dates it computes. */
int32_t store_tx_today(struct store_tx *tx);

/* Inside a command: run fn as a step of it at its own time now (a generator of history — the
 * demo, a ledger import — writing many past days in one transaction).  A failing step fails the
 * command.  The command's own time is restored afterwards.  0 or -1 with err. */
int store_tx_run(struct store_tx *tx, int64_t now, store_cmd_fn fn, void *arg, struct qd_err *err);


/* --- units, users, grants, categories, calendar and limits (org.c) ------------------------------- */

/* Writers.  *id receives the new id.  Errors name the field (QD_EINVAL / QD_ENOTFOUND). */
int store_unit_create(struct store_tx *tx, int64_t actor, int64_t parent_id, const char *name,
		      const char *kind, const char *peer_group, int64_t *id, struct qd_err *err);

int store_user_create(struct store_tx *tx, int64_t actor, const char *username,
		      const char *display_name, int64_t unit_id, const char *pw_hash, int64_t *id,
		      struct qd_err *err);

int store_grant_add(struct store_tx *tx, int64_t actor, int64_t user_id, enum role role,
		    int64_t unit_id, struct qd_err *err);

int store_grant_revoke(struct store_tx *tx, int64_t actor, int64_t user_id, enum role role,
		       int64_t unit_id, struct qd_err *err);

int store_category_create(struct store_tx *tx, int64_t actor, int64_t parent_id, const char *name,
			  int64_t *id, struct qd_err *err);

/* kind 0 removes an override (the day becomes ordinary). */
int store_calendar_set(struct store_tx *tx, int64_t actor, int32_t date, int kind,
		       const char *name, struct qd_err *err);

/* Seed the calendar from the shipped data and the default limits (init). */
int store_org_seed(struct store_tx *tx, struct qd_err *err);

int store_limits_set(struct store_tx *tx, int64_t actor, const struct urgency_limit l[URG__COUNT],
		     struct qd_err *err);
/* Set the hand-off units (store/org.h store_handoff_units) to ids[0..n): each a department or
 * company (400 naming unit_ids otherwise, or inside a township), none twice; n = 0: none. */
int store_handoff_set(struct store_tx *tx, int64_t actor, const int64_t *ids, int n, struct qd_err *err);

/* Inside a command: the calendar and urgency limits in force (cached by the writer, reloaded
 * after they change).  The calendar belongs to the store. */
const struct calendar *store_tx_calendar(struct store_tx *tx);

void store_tx_limits(struct store_tx *tx, struct urgency_limit out[URG__COUNT]);


/* --- problems (problem.c) ------------------------------------------------------------------------ */

/* Intake: one event (problem + sealed personal data).  *id and code (≥ 16 bytes) receive the
 * new problem's id and tracking code. */
int store_problem_create(struct store_tx *tx, int64_t actor, const struct problem_new *p,
			 int64_t *id, char *code, struct qd_err *err);

/* Intake in two halves.  store_problem_prepare, on any thread (the request's), before the
 * command: the problem's and the personal data's rows but for what only the writer knows, every
 * value sealed, the phone hashed, the reporter's and the description's masked forms computed
 * (exactly as applying the event computes them) — none of it needs the database.  Then, on the
 * writer, store_problem_create_prepared checks what the database must say (the unit, category,
 * visit), assigns the id and code and emits the event.  pp belongs to the caller (free with
 * store_problem_prep_free), prepared for the command's own time `now` (else refused:
 * store_problem_prep_fits). */
struct problem_prep;
struct problem_prep *store_problem_prepare(struct store *s, int64_t actor, const struct problem_new *p, int64_t now);
int store_problem_create_prepared(struct store_tx *tx, const struct problem_new *p, struct problem_prep *pp,
				  int64_t *id, char *code, struct qd_err *err);
void store_problem_prep_free(struct problem_prep *pp);
/* 1 when pp was prepared for this command (its store and time). */
int store_problem_prep_fits(const struct problem_prep *pp, struct store_tx *tx);

int store_problem_merge(struct store_tx *tx, int64_t actor, int64_t id, int64_t into,
			struct qd_err *err);

int store_problem_decline(struct store_tx *tx, int64_t actor, int64_t id, const char *reason,
			  struct qd_err *err);

/* Set or change the category of a new problem (the event problem.classify): 409 naming "id" when
 * it is not new, 404 naming "category_id" when there is no such category. */
int store_problem_classify(struct store_tx *tx, int64_t actor, int64_t id, int64_t category_id,
			   struct qd_err *err);

/* Link problems to a task (state → assigned), inside the task's creation. */
int store_problem_link(struct store_tx *tx, int64_t actor, int64_t id, int64_t task_id,
		       struct qd_err *err);

/* The reporter's personal data in clear (name, phone, id_no, address; null when not given)
 * into o.  Plaintext: for the audited read only. */
void store_problem_reporter(struct store_tx *tx, int64_t id, json_t *o);


/* --- sessions and logins (session.c) ------------------------------------------------------------- */

/* A failed login counted under the throttle key (a name's or an address's, web/auth.c): the wait
 * after it per core/backoff.h with free_failures tolerated; a new key evicts the oldest beyond
 * max_rows. */
int store_login_fail(struct store_tx *tx, const unsigned char key[32], int free_failures, int64_t max_rows,
		     struct qd_err *err);
/* A successful login clears its name's counter. */
int store_login_clear(struct store_tx *tx, const unsigned char key[32], struct qd_err *err);

int store_password_set(struct store_tx *tx, int64_t user_id, const char *pw_hash, struct qd_err *err);
/* Unlock user_id: the back-off of their name cleared (login_throttle).  0 or -1. */
int store_credential_clear(struct store_tx *tx, int64_t user_id, struct qd_err *err);

struct session_new {
	int64_t user_id;
	const char *kind, *scope, *label; /* "session" | "token"; "read" | "write" */
	unsigned char hash[32];
	int64_t expires_at; /* ms */
};
/* A new session row; *id its id. */
int store_session_create(struct store_tx *tx, const struct session_new *n, int64_t *id, struct qd_err *err);
/* Logout: the session with this token hash ends (on every server: the trigger bumps org_version). */
int store_session_revoke(struct store_tx *tx, const unsigned char hash[32], struct qd_err *err);
/* The token id ends; owner > 0: only when it is owner's (else 404, as for no such token). */
/* A new TOTP secret (base32, plain: sealed here) for user_id, not on until confirmed. */
int store_totp_enrol(struct store_tx *tx, int64_t user_id, const char *secret, struct qd_err *err);
/* Switch user_id's TOTP on, if its sealed secret is still sealed (the one a code was checked
 * against: a new enrolment in between makes it a conflict). */
int store_totp_confirm(struct store_tx *tx, int64_t user_id, const char *sealed, int64_t step, struct qd_err *err);
/* A code of TOTP step was used by user_id: 0, or 401 naming totp when that step or a later one
 * already was (two logins racing with one code: the second loses). */
int store_totp_used(struct store_tx *tx, int64_t user_id, int64_t step, struct qd_err *err);
/* The unit path of the owner of token id (404 "id" when there is no such token). */
int store_token_owner_path(struct store_tx *tx, int64_t id, char *path, size_t n, struct qd_err *err);
int store_token_revoke(struct store_tx *tx, int64_t id, int64_t owner, struct qd_err *err);
/* The session was used now (coarse: the caller touches at most once a minute). */
int store_session_touch(struct store_tx *tx, const unsigned char hash[32], struct qd_err *err);


/* --- tasks (task.c) ------------------------------------------------------------------------------ */

/* Create a task from problems that are still new; they become assigned to it.  The actor needs
 * the triage right over every problem (or, for the immediate tier, the problem-create right). */
int store_task_create(struct store_tx *tx, const struct actor *a, const struct task_new *t,
		      int64_t *id, struct qd_err *err);

/* Take an action (core/task.h) on task id: store_item_act on task_kind with the body made from in
 * (task_input_body). */
int store_task_act(struct store_tx *tx, const struct actor *a, int64_t id, enum task_action action,
		   const struct task_input *in, struct qd_err *err);


/* --- visits (visit.c) ---------------------------------------------------------------------------- */

int store_visit_create(struct store_tx *tx, int64_t actor, int64_t unit_id, const char *visited_on,
		       const char *household, const char *note, int64_t *id, struct qd_err *err);


/* --- any machine kind (item.c) ------------------------------------------------------------------- */

/* Create an item of kind k: item (its initial state; id assigned here into *id and the item)
 * with every column of the descriptor, the columns in cols (stolen: scope paths, creator, free
 * text already sealed …) and updated_at, as the event "<kind>.create" with {"to": state} and the
 * members of extra (stolen, may be NULL: e.g. the residents' sealed names).  The actor needs right
 * over the item's paths (as given in cols), else QD_EPERM naming "unit_id".  0 or -1. */
int store_item_create(struct store_tx *tx, const struct store_kind *k, const struct actor *a, void *item,
		      json_t *cols, json_t *extra, unsigned right, int64_t *id, struct qd_err *err);

/* Take action on item id of kind k with body (NULL: none): scope from the actor's grants over
 * the item's paths, machine_may, the kind's hook, machine_act (today, the calendar and limits of
 * the transaction), then the event.  0 or -1 with err. */
int store_item_act(struct store_tx *tx, const struct store_kind *k, const struct actor *a, int64_t id, int action,
		   const json_t *body, struct qd_err *err);


#endif
