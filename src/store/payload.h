/* payload.h — the stored form of an event payload (schema 7).
 *
 * The canonical payload is compact JSON text; it is what the hash chain covers (event_hash),
 * whichever form the row holds.  Since schema 7 the writer stores it compressed: a BLOB whose
 * first byte names the format — 1: a raw deflate stream (RFC 1951) primed with the preset
 * dictionary of event_dict.c; 2 (written now): a zstd frame (RFC 8878) without its magic number,
 * compressed with the same dictionary as raw content.  Rows written before schema 7 hold the text
 * itself as TEXT; nothing is converted.  The column's type tells the two apart (PostgreSQL holds every payload packed, in bytea), so every
 * reader goes through payload_column.  The SQL function qd_payload(payload) (registered on every
 * connection the store opens) gives the text of either form, for queries and debugging. */
#ifndef QD_STORE_PAYLOAD_H
#define QD_STORE_PAYLOAD_H
#include "base/err.h"
#include <jansson.h>
#include "store/db.h"
#include <sqlite3.h>
#include <stddef.h>

/* The stored formats (the first byte), the one new payloads are written in and its level
 * (measured by bench/payload.c: docs/benchmarks.md).  A format is never changed once released:
 * the payloads written in it are read in it for ever. */
#define PAYLOAD_DEFLATE 1
#define PAYLOAD_ZSTD 2
#define PAYLOAD_FORMAT PAYLOAD_ZSTD
#define PAYLOAD_LEVEL 5
/* The longest text a zstd payload may claim to hold (its frame states its size): larger is corrupt. */
#define PAYLOAD_MAX_TEXT (64u << 20)

/* The dictionary of a format (*len bytes, static), or NULL for an unknown format. */
const char *payload_dict(int format, size_t *len);
/* The generated dictionaries behind it: deflate's (event_dict.c, scripts/make-event-dict) and
 * zstd's (event_dict_zstd.c, scripts/make-event-dict-zstd). */
const char *event_dict_deflate(size_t *len);
const char *event_dict_zstd(size_t *len);

/* The stored form of text (n bytes) in format (PAYLOAD_DEFLATE: level 1–9; PAYLOAD_ZSTD: level
 * 1–19): a new buffer of *len bytes (free), or NULL for an unknown format or level, or when the
 * library fails (out of memory). */
unsigned char *payload_pack_with(const char *text, size_t n, int format, int level, size_t *len);

/* payload_pack_with(text, n, PAYLOAD_FORMAT, PAYLOAD_LEVEL, len). */
unsigned char *payload_pack(const char *text, size_t n, size_t *len);

/* The text of a stored compressed payload (data, n bytes): a new NUL-terminated string (free),
 * or NULL with err set (QD_EINTERNAL, "事件内容已损坏") when it is not a payload this program
 * wrote: unknown format byte, invalid or truncated stream or frame, trailing bytes, a NUL
 * inside the text, a zstd frame claiming more than PAYLOAD_MAX_TEXT.  Deflate's output grows as
 * needed (it expands at most ~1,032-fold); zstd's is allocated at the size its frame states. */
char *payload_unpack(const void *data, size_t n, struct qd_err *err);

/* The text of column col of a row of st holding event.payload, either form: a new string
 * (free), or NULL with err set when the column is NULL or corrupt. */
char *payload_column(db_stmt *st, int col, struct qd_err *err);

/* The same, parsed: a new JSON value (decref), or NULL with err set when the column is NULL,
 * corrupt or not JSON.  For every reader that wants the payload's fields (history, originals,
 * check's replay and log). */
json_t *payload_json(db_stmt *st, int col, struct qd_err *err);

/* Bind text (taken: freed here) to parameter col in the stored form: packed as a BLOB.  0, or
 * -1 with err set when it cannot be packed. */
int payload_bind(db_stmt *st, int col, char *text, struct qd_err *err);

/* Register qd_payload(x) on db: the text of a stored payload (TEXT as it is, a compressed BLOB
 * inflated; NULL for NULL; an SQL error for a corrupt one).  SQLITE_OK or an SQLite code. */
int payload_sql_register(sqlite3 *db);

#endif
