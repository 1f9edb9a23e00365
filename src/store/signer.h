/* signer.h — the chain-head signer of `qingdan serve` (issue 9 §7): one thread on its own
 * connection that signs the head of the event log (store/sign.h) when it has moved, every
 * `every_s` seconds and on demand, and keeps the signed heads in the chain_sig table, in an
 * append-only heads file and through a callback (the webhook, cli/heads_webhook.c).  On
 * PostgreSQL several servers may run: only the one holding the signer's advisory lock on its
 * connection signs on schedule; the others try for it at each interval, so when its holder dies
 * (its connection closes) another takes over. */
#ifndef QD_STORE_SIGNER_H
#define QD_STORE_SIGNER_H
#include "store/sign.h"
#include "store/store.h"

struct signer_opts {
	const char *key_path;   /* the secret signing key (store/sign.h sign_key_load) */
	int every_s;            /* seconds between looks at the head (1–60) */
	const char *heads_file; /* NULL, or a file each signed head is appended to (one line, fsync'd) */
	/* called on the signer's thread after each new signed head is stored (may be NULL) */
	void (*on_signed)(const struct signed_head *h, void *arg);
	void *arg;
};

/* Start the signer on s (one per store).  The key is loaded and the heads file opened here, so
 * a bad key or an unwritable file is refused at start.  0 or -1. */
int signer_start(struct store *s, const struct signer_opts *o, struct qd_err *err);
/* Stop it: an elected signer signs the head one last time if it moved (call after the writer
 * has stopped, so the last commits are covered).  Nothing when no signer runs. */
void signer_stop(struct store *s);
/* Whether this process's signer holds the election (always 1 on SQLite once it runs). */
int signer_elected(struct store *s);

/* Sign the head now, whether or not this server is the elected one — for a published bulletin,
 * whose footer is to print the signed head it returns (the bulletins are a later issue) — and
 * wait for it (at most 10 s): *out is the head signed (or the head's existing signature when it
 * has not moved since).  0, or -1 (no signer running, the database unreachable, timed out). */
int store_sign_head_now(struct store *s, struct signed_head *out, struct qd_err *err);

#endif
