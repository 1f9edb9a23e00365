/* text.h (store) — free text that people type (descriptions, titles, measures, notes, reasons,
 * visit notes, household labels) in the record and in the projections.
 *
 * The record (event payloads) holds the original sealed with the personal-data key:
 *     "description": {"sealed": "<base64>"}            the original
 *     "title":       {"sealed": "<base64>", "cut": 60}  the first 60 characters of its masked form
 * so the hash chain covers the original without exposing it.  An event that writes free text
 * for an item carries the names of the item's residents known at that moment, sealed too:
 *     "names": {"sealed": "<base64 of a JSON array of names>"}
 * (the reporter's own name also comes from the same event's problem_pii row).  The projections
 * hold only the masked form (core/mask.h), derived when the event is applied — by the writer,
 * and identically by `check`'s replay and by `remask`.  A plain string in a text column (events
 * written before schema 4, or a bug) is treated as an original and masked too, so the
 * projections never hold free text unmasked. */
#ifndef QD_STORE_TEXT_H
#define QD_STORE_TEXT_H
#include "store/store.h"
#include <jansson.h>

/* The record form of free text: {"sealed": …}, or "" for NULL / empty text (nothing to hide).
 * text_seal (inside a command) also remembers the plaintext for applying the command's event. */
json_t *text_seal(struct store_tx *tx, const char *plain);
json_t *text_seal_key(const unsigned char *key, const char *plain);
/* As text_seal, with the projection cut to max_chars characters after masking. */
json_t *text_seal_cut(struct store_tx *tx, const char *plain, int max_chars);
/* Put the names of the item's residents into payload["names"], sealed.  names is a JSON array of
 * strings (stolen); nothing is added when it is empty. */
void text_put_names(struct store_tx *tx, json_t *payload, json_t *names);
/* The same outside a command (the upgrade of old events). */
void text_put_names_key(const unsigned char *key, json_t *payload, json_t *names);
/* The original of a record value (sealed object or plain string); NULL when v holds no text or
 * cannot be opened.  tx (may be NULL): the live command, whose own seals need no opening.  Free
 * with plain_free(). */
char *text_original(const unsigned char *key, const struct store_tx *tx, json_t *v);
/* The residents' names known to an event payload (payload.names and rows.problem_pii.name):
 * a JSON array of strings (caller owns; plaintext — keep it inside the store). */
json_t *text_names(const unsigned char *key, const struct store_tx *tx, json_t *payload);
/* The stored (masked) form of a record value: masked with names (a JSON array, may be NULL),
 * as a household label when label is set, then cut.  NULL when v holds no text. */
char *text_project(const unsigned char *key, const struct store_tx *tx, json_t *v, int label, json_t *names);
/* 1 when v is a record value of free text (sealed object or string). */
int text_is(json_t *v);

/* The originals of an item's free text, from the record: {column: latest original, …,
 * "events": [{seq, kind, note, reason}]} for entity "problem", "task" or "visit".  Plaintext:
 * only for the audited personal-data routes (caller owns). */
json_t *store_originals(struct store_tx *tx, const char *entity, int64_t id);
/* The audited read of an item's personal data: its originals (store_originals; for a problem
 * also the reporter's name, phone, ID number and address) into *out, and a pii.read event
 * naming the fields read, in the same transaction.  0 or -1. */
int store_pii_read(struct store_tx *tx, int64_t actor, const char *entity, int64_t id, json_t **out,
		   struct qd_err *err);
/* The personal-data key (for masking event text at read time inside the store). */
const unsigned char *store_key(struct store *s);

#endif
