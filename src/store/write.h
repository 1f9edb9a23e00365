/* write.h — the store's write commands, as the layers above ask for them: a struct store_write
 * says who writes (the user and their grants), which write, and its typed arguments.  The caller
 * fills one and submits it (store_write_submit, or store_write_run to wait for it); the writer
 * thread runs it inside its transaction — the scope it needs is checked there, with core/scope.h,
 * against the items as they are now — and leaves the results (a new id, the tracking code, the
 * originals of an audited read) in the struct.  No code of the caller runs on the writer thread.
 *
 * Strings are borrowed: the caller keeps them alive until the write is done (the web layer's come
 * from the request, which outlives its write).  The one owned result is out (store_write_clear).
 *
 * What each write checks on the writer (besides what its store function validates):
 *   SW_UNIT_CREATE, SW_USER_CREATE                                  admin right over the unit
 *   SW_GRANT_ADD, SW_GRANT_REVOKE   the grant rules (core/scope.h scope_grant_check): not one's
 *                                   own, grant right over the unit and over the user's unit
 *   SW_USER_UNLOCK                  grant right over the user's unit, not oneself
 *   SW_USER_RESTORE                 the console only (qingdan admin restore)
 *   SW_CATEGORY_CREATE, SW_CALENDAR_SET, SW_LIMITS_SET              county administrator
 *   SW_VISIT_CREATE                                                 visit right over the unit
 *   SW_PROBLEM_INTAKE          problem-create right over the unit (a resident: a village,
 *                              community or group — core/scope.h scope_resident_files_for)
 *   SW_HANDOFF_SET             county administrator
 *   SW_PROBLEM_MERGE/DECLINE/CLASSIFY   triage right over the problem's unit (and the original
 *                              visible)
 *   SW_PII_READ, SW_PHONE_LOOKUP   the personal-data right over the item / somewhere
 *   SW_TASK_CREATE, SW_TASK_ACT    the state machine's rights (store/task.c, core/task.c); an
 *                              assignment's unit inside the triage right's subtrees or one of the
 *                              hand-off units (core/scope.h scope_may_assign)
 * A write from the console (console = 1: the CLI's operator, actor 0) is not scope-checked. */
#ifndef QD_STORE_WRITE_H
#define QD_STORE_WRITE_H
#include "base/err.h"
#include "core/calendar.h"
#include "core/role.h"
#include "core/task.h"
#include "store/problem.h"
#include "store/store.h"
#include "store/task.h"
#include <jansson.h>
#include <stdint.h>

#define WRITE_MAX_PROBLEMS 100 /* problems one task gathers: the route's bound (web/routes.c) */
#define WRITE_MAX_HANDOFF 200  /* hand-off units one setting names: the route's bound (web/routes.c) */

enum store_write_kind {
	SW_ORG_SEED,        /* init: the shipped calendar and default limits */
	SW_UNIT_CREATE,     /* u.unit → id */
	SW_CATEGORY_CREATE, /* u.category → id */
	SW_USER_CREATE,     /* u.user → id; with u.user.role ≥ 0 also that grant on u.user.unit_id */
	SW_GRANT_ADD,       /* u.grant (by id, or by u.grant.username) → id = the user */
	SW_GRANT_REVOKE,    /* u.grant */
	SW_PASSWORD_SET,    /* u.password (by u.password.username) → id = the user */
	SW_CALENDAR_SET,    /* u.day */
	SW_LIMITS_SET,      /* u.limit: one urgency's limits, the others kept */
	SW_HANDOFF_SET,     /* u.handoff: the hand-off units, all of them */
	SW_VISIT_CREATE,    /* u.visit → id; and the problems raised on it (u.visit.intakes) */
	SW_PROBLEM_INTAKE,  /* u.intake → id, code, task_id (immediate) */
	SW_PROBLEM_MERGE,   /* u.triage (id into) */
	SW_PROBLEM_DECLINE, /* u.triage (id reason) */
	SW_PROBLEM_CLASSIFY, /* u.triage (id category_id) */
	SW_PHONE_LOOKUP,    /* u.lookup: the audit event of a lookup by the reporter's phone */
	SW_PII_READ,        /* u.pii → out: the item's personal data and originals (audited) */
	SW_TASK_CREATE,     /* u.task → id (and the assignment, when assign) */
	SW_TASK_ACT,        /* u.act */
	SW_LOGIN,           /* u.login: the attempt recorded; ok → a session with hash (id) */
	SW_LOGOUT,          /* u.session.hash revoked */
	SW_TOTP_ENROL,      /* u.totp.secret (plain base32): the actor's new TOTP secret, sealed, off */
	SW_TOTP_CONFIRM,    /* u.totp.sealed: the actor's TOTP on, if that secret is still theirs */
	SW_TOKEN_CREATE,    /* u.session: an API token for the actor → id */
	SW_TOKEN_REVOKE,    /* u.session.id revoked (the actor's own, or any with u.session.any) */
	SW_SESSION_TOUCH,   /* u.session.hash used now (its idle clock restarts) */
	SW_USER_UNLOCK,     /* u.grant.user_id: the user's login back-off and lock cleared → id */
	SW_USER_RESTORE,    /* u.restore: an administrator restored from the host → id */
};

struct store_write {
	enum store_write_kind kind;
	/* who writes */
	int64_t actor;                         /* user id; 0 = the system (console) */
	struct grant *grants;                  /* the actor's grants, all of them (owned): scope is
						* checked with them */
	int ngrants;
	int console;                           /* 1: the operator at the console, no scope checks */
	int actor_grants;                      /* 1: the grants actor holds in the store now, read on
						* the writer (the demo acting as its users) */
	union {
		struct {
			int64_t parent_id;
			const char *name, *kind, *peer_group;
		} unit;
		struct {
			int64_t parent_id;
			const char *name;
		} category;
		struct {
			const char *username, *display_name;
			int64_t unit_id;
			char pw_hash[256];
			int role; /* console: also grant this role on unit_id; -1 = none */
		} user;
		struct {
			int64_t user_id;         /* 0: the user named username */
			const char *username;
			enum role role;
			int64_t unit_id;
		} grant;
		struct {
			const char *username;
			char pw_hash[256];
		} password;
		struct {
			int32_t date;
			int kind; /* enum cal_kind; 0 removes an override */
			const char *name;
		} day;
		struct {
			enum urgency urgency;
			int respond, complete, max_extensions;
		} limit;
		struct {
			int64_t unit_ids[WRITE_MAX_HANDOFF];
			int n;
		} handoff;
		struct {
			int64_t unit_id;
			const char *visited_on, *household, *note;
			/* The problems raised on the visit (the visit form, web/page_visit.c): SW_PROBLEM_INTAKE
			 * writes (owned, freed with w) run after the visit in the same command, each with
			 * visit_id set to the new visit — all of it written, or none.  failed (a result) is
			 * the index of the intake that was refused, -1 when none was. */
			struct store_write **intakes;
			int nintakes;
			int failed;
		} visit;
		struct {
			struct problem_new p;
			int immediate;        /* solved on the spot: a task of the immediate tier too */
			const char *measures; /* immediate: what was done */
			struct problem_prep *prep; /* store_write_prepare's work (owned), or NULL */
		} intake;
		struct {
			int64_t id, into, category_id;
			const char *reason;
		} triage;
		struct {
			char phone_hash[33];
		} lookup;
		struct {
			const char *entity; /* "problem" "task" "visit" */
			int64_t id;
		} pii;
		struct {
			struct task_new tn;
			int64_t problem_ids[WRITE_MAX_PROBLEMS];
			int assign;               /* assign at once, with in */
			struct task_input in;
		} task;
		struct {
			int64_t id;
			enum task_action action;
			const json_t *body;   /* the action's body as the route validated it (the web) */
			struct task_input in; /* body NULL: the body made from in (the demo) */
		} act;
		struct {
			int64_t user_id;         /* 0: no such (active) user — only the failure is counted */
			int ok;
			unsigned char hash[32];  /* the new session's token hash (ok) */
			unsigned char name_key[32], addr_key[32]; /* the throttle keys (web/auth.c) */
			int64_t session_ms;      /* how long a session may last at most */
			int64_t max_rows;        /* the bound of the throttle table */
			int64_t totp_step;       /* ok with a one-time code: its step, now used; 0: none */
		} login;
		struct {
			const char *username;
			char pw_hash[256]; /* the new password */
			int role;          /* enum role re-granted on unit_id when the user no longer
					    * holds it; -1: none */
			int64_t unit_id;   /* 0: the user's own unit */
			int regranted;     /* result: 1 when the grant had to be made again */
		} restore;
		struct {
			const char *secret; /* enrol: base32, plain */
			const char *sealed; /* confirm: the sealed secret the code was checked against */
			int64_t step;       /* confirm: the code's TOTP step (used: no replay) */
		} totp;
		struct {
			unsigned char hash[32];
			const char *label, *scope;
			int64_t days; /* token lifetime */
			int64_t id;   /* revoke: the token */
			int any;      /* revoke: any user's (the security administrator) */
		} session;
	} u;
	/* results */
	int64_t id;      /* the new item (creates) or the user written (grant, password) */
	int64_t task_id; /* intake of an immediate problem: its task */
	char code[16];   /* intake: the tracking code */
	json_t *out;     /* SW_PII_READ: the originals (owned; store_write_clear) */
};

/* A write of kind by actor with grants g[0..ng) copied (all of them), the rest zero (task inputs
 * initialised, user role -1).  The caller owns it (free with store_write_free). */
struct store_write *store_write_new(enum store_write_kind kind, int64_t actor, const struct grant *g, int ng);
/* Free w and what it owns (NULL is fine). */
void store_write_free(struct store_write *w);
/* Before submitting w (on the caller's thread, e.g. the request's): do the part of the write
 * that needs no database — for an intake, sealing, masking, the phone hash and the rows of its
 * event (store/tx.h store_problem_prepare) — so the writer thread only checks, numbers and
 * appends.  now is the time the command will run at (store_cmd.now).  Optional: a write not
 * prepared is prepared on the writer. */
void store_write_prepare(struct store *s, struct store_write *w, int64_t now);
/* Point cmd at w: on_done, ctx are the caller's to set; then store_submit(s, cmd).  The writer
 * runs w inside its transaction and sets cmd->rc / cmd->err; w's results are set on success. */
void store_write_cmd(struct store_cmd *cmd, struct store_write *w);
/* Inside a command: run w as a step of it at its own time now (store_tx_run: a generator of
 * history — the demo — writing many past days in one transaction).  A failing step fails the
 * command.  0 or -1 with err. */
int store_tx_write(struct store_tx *tx, int64_t now, struct store_write *w, struct qd_err *err);
/* Run w as one command at time now (ms since the epoch) and wait for its commit (the CLI).  0 or
 * -1 with err. */
int store_write_run(struct store *s, int64_t now, struct store_write *w, struct qd_err *err);

#endif
