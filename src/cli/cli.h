/* cli.h — the command-line commands (one file each) and their shared option parsing. */
#ifndef QD_CLI_H
#define QD_CLI_H
#include "base/date.h"
#include "store/store.h"

struct cli_opts {
	const char *db;
	const char *key;
	const char *listen;
	const char *to;
	const char *from; /* migrate: the SQLite file */
	int threads;
	int max_per_ip;
	/* serve: limits that hold behind a proxy (web/server.h) */
	int max_per_client, head_timeout, request_timeout;
	char *trusted_proxy; /* every --trusted-proxy joined with ","; owned (cmd_serve frees it) */
	int queue;
	/* serve: logins and sessions (web/auth.c) */
	int secure_cookie;
	int64_t session_idle_s, session_max_s, login_rows;
	/* user add */
	const char *username, *name, *unit, *role, *password;
	/* init: the root unit */
	const char *root, *kind;
	const char *today; /* --today YYYY-MM-DD (serve, demo): the clock shifted so that today is that day */
	const char *clock_at; /* --clock YYYY-MM-DDTHH:MM:SS (serve): the clock frozen at that China time */
	/* the signed record (issue 9 §7): the signing key (init, serve; default beside the key),
	 * what serve writes signed heads to, how often, and what check verifies against */
	const char *sign_key, *sign_pub, *heads, *heads_file, *heads_webhook;
	int sign_every;
	/* audit: its filters (from, to, username and kind above too) */
	const char *outcome, *client;
	int limit;
	int csv;
	int audit_days; /* serve: the audit log's retention (store_opts.audit_days) */
	int help;
	int quiet;
	/* time: read once per command (main.c), passed to everything the command writes */
	struct clock clock; /* the real clock, shifted by --today or frozen by --clock */
	int64_t now;        /* clock_now(&clock) at the command's start */
};

/* Parse --flag value pairs after the command name; prints the error and returns -1. */
int cli_parse(int argc, char **argv, struct cli_opts *o, const char *allowed);
/* Open the store named by --db (and --key); prints the error and returns NULL. */
struct store *cli_open(const struct cli_opts *o, int create);

/* The signing key's path: --sign-key, else beside the personal-data key (sign_key_default).
 * Caller frees. */
char *cli_sign_key_path(const struct cli_opts *o);

/* serve's signed record (serve_sign.c): start the signer and the webhook sender the options ask
 * for (*wh NULL when none); prints the error and returns -1.  Stop them after the writer. */
struct webhook;
int serve_sign_start(const struct cli_opts *o, struct store *s, struct webhook **wh);
void serve_sign_stop(struct store *s, struct webhook *wh);

int cmd_init(struct cli_opts *o);
int cmd_serve(struct cli_opts *o);
int cmd_demo(struct cli_opts *o);
int cmd_user(struct cli_opts *o, const char *sub);
int cmd_check(struct cli_opts *o);
int cmd_remask(struct cli_opts *o);
int cmd_backup(struct cli_opts *o);
int cmd_log(struct cli_opts *o);
int cmd_schema(struct cli_opts *o);
int cmd_migrate(struct cli_opts *o);
int cmd_admin(struct cli_opts *o, const char *sub);
int cmd_audit(struct cli_opts *o);
/* init: the first system, security and audit administrators on the root unit, their initial
 * passwords printed (cmd_admin.c).  0 or -1 with err. */
int cli_first_admins(struct store *s, int64_t now, int64_t root, struct qd_err *err);

/* Build the demo (units, users, problems across the loop) into an initialised store: the loop
 * walked over the 70 days before the day of now (ms), each step at its own past time. */
int demo_build(struct store *s, int64_t now, int quiet, struct qd_err *err);

#endif
