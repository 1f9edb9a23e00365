/* sign.h — the signed chain head (issue 9 §7): an Ed25519 key pair in two files, the head
 * (seq, hash, time, key id) signed with it, and the one-line JSON form in which a signed head
 * leaves the database (the heads file, the webhook, the chain_sig table's rows read back).
 * What signs and when is store/signer.h; what verifies a log against heads is store/heads.h. */
#ifndef QD_STORE_SIGN_H
#define QD_STORE_SIGN_H
#include "base/err.h"
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#define SIGN_KEY_ID_HEX 16 /* the key id: the first 8 bytes of the public key, in hex */
#define SIGN_LINE_MAX 1024 /* a head's line is ~330 bytes; a longer line is refused, named */

struct sign_key {
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char id[SIGN_KEY_ID_HEX + 1];
};

/* The public keys a verifier trusts (a .pub file may list several: the old and the new key
 * after a rotation).  Grows as needed. */
struct sign_pubs {
	unsigned char (*pk)[crypto_sign_PUBLICKEYBYTES];
	int n, cap;
};

struct signed_head {
	int64_t seq;            /* the event the head is at (≥ 1) */
	unsigned char hash[32]; /* that event's hash */
	int64_t at;             /* when it was signed, ms since the epoch */
	char key[SIGN_KEY_ID_HEX + 1];
	unsigned char sig[crypto_sign_BYTES];
};

/* Create a new key pair: the secret key at path (0600, O_EXCL: an existing file is an error,
 * never overwritten) and the public key at path + ".pub" (one hex line).  0 or -1. */
int sign_key_create(const char *path, struct qd_err *err);
/* Load the secret key at path (64 bytes) into k (the public key and id derived).  0 or -1. */
int sign_key_load(const char *path, struct sign_key *k, struct qd_err *err);
/* Wipe k. */
void sign_key_wipe(struct sign_key *k);
/* The default key path: key_path + ".sign" when a personal-data key file is named, else
 * db + ".sign".  Caller frees. */
char *sign_key_default(const char *db, const char *key_path);

/* Parse one line of a .pub file (without its newline) into pk: 64 lowercase hex digits.  1 if
 * the line holds a key, 0 if it is blank or a comment (#…), -1 (err names "sign-pub") if
 * malformed. */
int sign_pub_parse(const char *line, size_t n, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                   struct qd_err *err);
/* Read every key of the .pub file at path into p (appended).  0 or -1 (a malformed line, named
 * by number, or no key at all). */
int sign_pubs_load(const char *path, struct sign_pubs *p, struct qd_err *err);
void sign_pubs_free(struct sign_pubs *p);

/* Sign h (seq, hash, at already set) with k: sets h->key and h->sig. */
void sign_head(const struct sign_key *k, struct signed_head *h);
/* 1 when h's signature verifies under one of p's keys whose id is h->key, else 0. */
int sign_head_verify(const struct sign_pubs *p, const struct signed_head *h);

/* h as one line of JSON, without a newline: {"v":1,"seq":…,"hash":"…","at":…,"key":"…","sig":"…"}
 * (caller frees). */
char *sign_head_format(const struct signed_head *h);
/* Parse a line (n bytes, no newline) in that form into h.  Strict: an object with exactly
 * those members, v = 1, seq ≥ 1, at ≥ 0, lowercase hex of the right lengths; -1 with err naming
 * the member at fault otherwise (the signature is not checked here: sign_head_verify). */
int sign_head_parse(const char *line, size_t n, struct signed_head *h, struct qd_err *err);

#endif
