/* heads.h — `qingdan check --heads FILE`: the event log of a database verified against signed
 * chain heads kept outside it (store/sign.h's lines, as `serve --heads-file` appends them). */
#ifndef QD_STORE_HEADS_H
#define QD_STORE_HEADS_H
#include "base/err.h"
#include <stdint.h>
#include <stdio.h>

struct heads_report {
	int64_t heads;       /* lines read */
	int64_t verified;    /* heads whose signature verified and whose event has their hash */
	int64_t forged;      /* signature fails (or a key the verifier does not trust) */
	int64_t rewritten;   /* the event at the head's seq has another hash */
	int64_t malformed;   /* lines that are not a signed head */
	int truncated;       /* the log ends before the last signed seq */
	int64_t last_signed; /* highest seq of a verified signature */
	int64_t log_last;    /* the log's last seq */
	int64_t first_bad;   /* seq (or line, for a malformed one) of the first problem, 0 if none */
};

/* Verify every head in heads_path with the public keys of pub_path (a .pub file, one key a
 * line) against the event log of db (a SQLite file or a postgres:// URI): each signature, and
 * that the event at each head's seq exists with that hash (the hash chain, which `check`
 * verifies, then covers everything before it).  Prints each problem and a summary to out.  0
 * when every head verifies and the file held at least one, -1 otherwise (err set). */
int store_check_heads(const char *db, const char *heads_path, const char *pub_path, struct heads_report *r,
                      FILE *out, struct qd_err *err);

#endif
