/* payload.c — packing and unpacking stored event payloads (store/payload.h): zlib's raw deflate
 * with a preset dictionary (deflateSetDictionary), one small function each way, called where
 * the text is bound (store_emit) and where it is read (every SELECT of event.payload).
 * The streams are kept per thread (below); bench/payload.c measures the cost per event at each
 * level (docs/benchmarks.md). */
#include "store/payload.h"
#include "base/mem.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* One deflate and one inflate stream per thread, set up on first use and reset per call: a
 * stream's state (~270 KB at the default memLevel 8) is allocated with mmap by malloc, and
 * setting one up per call cost ~300 µs (bench/payload.c).  Freed when the
 * thread ends (the key's destructor).  What remains per call is priming the dictionary: its
 * cost grows with the dictionary's size, hence a 4 KB one (bench/payload.c, docs/benchmarks.md). */
struct zs {
	z_stream d, i;
	int d_level; /* 0: d not set up */
	int i_ok;
};
static pthread_key_t zs_key;
static pthread_once_t zs_once = PTHREAD_ONCE_INIT;

static void zs_free(void *p)
{
	struct zs *z = p;
	if (z->d_level)
		deflateEnd(&z->d);
	if (z->i_ok)
		inflateEnd(&z->i);
	free(z);
}

static void zs_key_make(void)
{
	if (pthread_key_create(&zs_key, zs_free) != 0)
		abort(); /* only when the process is out of keys: a bug */
}

static struct zs *zs_get(void)
{
	pthread_once(&zs_once, zs_key_make);
	struct zs *z = pthread_getspecific(zs_key);
	if (!z) {
		z = xcalloc(1, sizeof *z);
		pthread_setspecific(zs_key, z);
	}
	return z;
}

/* The thread's deflate stream at level, reset, primed with dictionary d; NULL when zlib fails. */
static z_stream *deflater(int level, const char *d, size_t dn)
{
	struct zs *z = zs_get();
	if (z->d_level && z->d_level != level) {
		deflateEnd(&z->d);
		z->d_level = 0;
	}
	if (!z->d_level) {
		memset(&z->d, 0, sizeof z->d);
		/* raw deflate (negative bits: no zlib header or checksum, the hash covers the text)
		 * with a 4 KB window, the dictionary's size (payloads are ~300 B), and memLevel 6:
		 * the smaller state is quicker to reset and prime (bench/payload.c) and gives the same
		 * bytes.  inflate reads any window size, so these may change; the dictionary may not. */
		if (deflateInit2(&z->d, level, Z_DEFLATED, -12, 6, Z_DEFAULT_STRATEGY) != Z_OK)
			return NULL;
		z->d_level = level;
	} else if (deflateReset(&z->d) != Z_OK) {
		return NULL;
	}
	return deflateSetDictionary(&z->d, (const Bytef *)d, (uInt)dn) == Z_OK ? &z->d : NULL;
}

unsigned char *payload_pack_with(const char *text, size_t n, int dict, int level, size_t *len)
{
	size_t dn = 0;
	const char *d = payload_dict(dict, &dn);
	z_stream *z = d && level >= 1 && level <= 9 ? deflater(level, d, dn) : NULL;
	if (!z)
		return NULL;
	size_t cap = 1 + deflateBound(z, (uLong)n);
	unsigned char *out = xmalloc(cap);
	out[0] = (unsigned char)dict;
	z->next_in = (Bytef *)(uintptr_t)text;
	z->avail_in = (uInt)n;
	z->next_out = out + 1;
	z->avail_out = (uInt)(cap - 1);
	if (deflate(z, Z_FINISH) != Z_STREAM_END) { /* deflateBound is enough for one Z_FINISH */
		free(out);
		return NULL;
	}
	*len = 1 + z->total_out;
	return out;
}

unsigned char *payload_pack(const char *text, size_t n, size_t *len)
{
	return payload_pack_with(text, n, PAYLOAD_DICT, PAYLOAD_LEVEL, len);
}

static char *corrupt(struct qd_err *err, const char *why)
{
	qd_fail(err, QD_EINTERNAL, "payload", "事件内容已损坏（%s）", "stored event payload is corrupt (%s)", why, why);
	return NULL;
}

char *payload_unpack(const void *data, size_t n, struct qd_err *err)
{
	const unsigned char *p = data;
	size_t dn = 0;
	const char *d = n ? payload_dict(p[0], &dn) : NULL;
	if (!d)
		return corrupt(err, n ? "unknown dictionary" : "empty");
	struct zs *zz = zs_get();
	z_stream *z = &zz->i;
	if (!zz->i_ok) {
		memset(z, 0, sizeof *z);
		if (inflateInit2(z, -15) != Z_OK)
			return corrupt(err, "inflateInit");
		zz->i_ok = 1;
	} else if (inflateReset(z) != Z_OK) {
		return corrupt(err, "inflateReset");
	}
	if (inflateSetDictionary(z, (const Bytef *)d, (uInt)dn) != Z_OK)
		return corrupt(err, "dictionary");
	size_t cap = 4 * n + 256, len = 0;
	char *out = xmalloc(cap);
	z->next_in = (Bytef *)(uintptr_t)(p + 1);
	z->avail_in = (uInt)(n - 1);
	int rc;
	for (;;) {
		z->next_out = (Bytef *)out + len;
		z->avail_out = (uInt)(cap - 1 - len); /* one byte kept for the NUL */
		rc = inflate(z, Z_NO_FLUSH);
		len = cap - 1 - z->avail_out;
		if (rc != Z_OK || z->avail_out != 0)
			break;
		cap *= 2; /* the output filled the buffer: grow (never a silent cut) */
		out = xrealloc(out, cap);
	}
	int trailing = z->avail_in != 0;
	if (rc != Z_STREAM_END || trailing || memchr(out, 0, len)) {
		free(out);
		return corrupt(err, rc == Z_STREAM_END ? (trailing ? "trailing bytes" : "NUL in text")
						       : rc == Z_BUF_ERROR || rc == Z_OK ? "truncated" : "invalid deflate");
	}
	out[len] = 0;
	return out;
}

char *payload_column(sqlite3_stmt *st, int col, struct qd_err *err)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_TEXT:
		return xstrdup((const char *)sqlite3_column_text(st, col));
	case SQLITE_BLOB:
		return payload_unpack(sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), err);
	default:
		return corrupt(err, "not text or blob");
	}
}

json_t *payload_json(sqlite3_stmt *st, int col, struct qd_err *err)
{
	char *text = payload_column(st, col, err);
	if (!text)
		return NULL;
	json_t *p = json_loads(text, 0, NULL);
	free(text);
	if (!p)
		qd_fail(err, QD_EINTERNAL, NULL, "事件内容不是 JSON", "payload is not JSON");
	return p;
}

int payload_bind(sqlite3_stmt *st, int col, char *text, struct qd_err *err)
{
	size_t n = 0;
	unsigned char *b = payload_pack(text, strlen(text), &n);
	free(text);
	if (!b)
		return qd_fail(err, QD_EINTERNAL, NULL, "事件无法压缩", "event payload cannot be compressed");
	return sqlite3_bind_blob64(st, col, b, n, free) == SQLITE_OK ? 0 : qd_fail(err, QD_EINTERNAL, NULL, "事件无法写入", "event payload cannot be bound");
}

static void sql_payload(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_NULL:
		return; /* NULL */
	case SQLITE_BLOB: {
		struct qd_err e;
		char *t = payload_unpack(sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]), &e);
		if (t)
			sqlite3_result_text(cx, t, -1, free);
		else
			sqlite3_result_error(cx, e.en, -1);
		return;
	}
	default:
		sqlite3_result_value(cx, argv[0]);
	}
}

int payload_sql_register(sqlite3 *db)
{
	return sqlite3_create_function_v2(db, "qd_payload", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_payload,
					  NULL, NULL, NULL);
}
