/* payload.c — packing and unpacking stored event payloads (store/payload.h), one small function
 * each way, called where the text is bound (store_emit) and where it is read (every SELECT of
 * event.payload).  Two stored formats, told apart by their first byte: 1, zlib's raw deflate
 * with a preset dictionary (deflateSetDictionary; schema 7's first form, still read), and 2,
 * zstd with a trained dictionary digested once per process (ZSTD_CDict / ZSTD_DDict), written
 * since: deflate primed its dictionary for every event (~8 µs of its ~17), zstd references the
 * digested one (~4 µs an event at level 5).  The contexts are kept per thread (below);
 * bench/payload.c measures the cost per event at each level of each format (docs/benchmarks.md). */
#include "store/payload.h"
#include "base/mem.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/* One deflate and one inflate stream per thread, set up on first use and reset per call: a
 * stream's state (~270 KB at the default memLevel 8) is allocated with mmap by malloc, and
 * setting one up per call cost ~300 µs (bench/payload.c).  Freed when the
 * thread ends (the key's destructor).  What remains per call is priming the dictionary: its
 * cost grows with the dictionary's size, hence a 4 KB one (bench/payload.c, docs/benchmarks.md). */
struct zs {
	z_stream d, i;
	int d_level; /* 0: d not set up */
	int i_ok;
	ZSTD_CCtx *zc; /* zstd's contexts, made on first use */
	int zc_level;  /* the level zc's parameters and dictionary are set for (0: none yet) */
	ZSTD_DCtx *zd;
	const ZSTD_DDict *zdd; /* the process's DDict, once looked up (no lock per event) */
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
	ZSTD_freeCCtx(z->zc);
	ZSTD_freeDCtx(z->zd);
	free(z);
}

const char *payload_dict(int format, size_t *len)
{
	switch (format) {
	case PAYLOAD_DEFLATE:
		return event_dict_deflate(len);
	case PAYLOAD_ZSTD:
		return event_dict_zstd(len);
	default:
		return NULL;
	}
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

static unsigned char *deflate_pack(const char *text, size_t n, int level, size_t *len)
{
	size_t dn = 0;
	const char *d = payload_dict(PAYLOAD_DEFLATE, &dn);
	z_stream *z = level >= 1 && level <= 9 ? deflater(level, d, dn) : NULL;
	if (!z)
		return NULL;
	size_t cap = 1 + deflateBound(z, (uLong)n);
	unsigned char *out = xmalloc(cap);
	out[0] = PAYLOAD_DEFLATE;
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

/* zstd's digested dictionaries: one CDict per level (made on first use, kept for the process:
 * read-only and shared by every thread, as zstd allows) and one DDict. */
#define ZSTD_LEVELS 19
static ZSTD_CDict *cdicts[ZSTD_LEVELS + 1];
static ZSTD_DDict *ddict;
static pthread_mutex_t dict_lock = PTHREAD_MUTEX_INITIALIZER;

static const ZSTD_CDict *cdict(int level)
{
	pthread_mutex_lock(&dict_lock);
	if (!cdicts[level]) {
		size_t dn = 0;
		const char *d = payload_dict(PAYLOAD_ZSTD, &dn);
		/* zstd copies the 16 KB and digests it (a trained dictionary: its entropy tables and
		 * content, event_dict_zstd.c); small inputs then reference it rather than copy its tables */
		cdicts[level] = ZSTD_createCDict(d, dn, level);
	}
	const ZSTD_CDict *c = cdicts[level];
	pthread_mutex_unlock(&dict_lock);
	return c;
}

static const ZSTD_DDict *ddict_get(void)
{
	pthread_mutex_lock(&dict_lock);
	if (!ddict) {
		size_t dn = 0;
		const char *d = payload_dict(PAYLOAD_ZSTD, &dn);
		ddict = ZSTD_createDDict(d, dn);
	}
	const ZSTD_DDict *dd = ddict;
	pthread_mutex_unlock(&dict_lock);
	return dd;
}

/* The stored form drops the frame's 4-byte magic number (the format byte says what follows);
 * unpacking puts it back.  The frame keeps its content size (the reader allocates exactly) and
 * carries no checksum or dictionary id: the hash chain covers the text. */
#define ZSTD_MAGIC_LEN 4

static unsigned char *zstd_pack(const char *text, size_t n, int level, size_t *len)
{
	if (level < 1 || level > ZSTD_LEVELS)
		return NULL;
	struct zs *z = zs_get();
	if (!z->zc && !(z->zc = ZSTD_createCCtx()))
		return NULL;
	/* The parameters and the dictionary stay with the context (ZSTD_compress2 keeps them from
	 * frame to frame): set when the level changes, not per event.  ZSTD_compress2 honours them
	 * (ZSTD_compress_usingCDict would write the dictionary's 4-byte id into every frame: ~27
	 * bytes a task). */
	if (z->zc_level != level) {
		const ZSTD_CDict *cd = cdict(level);
		z->zc_level = 0;
		if (!cd || ZSTD_isError(ZSTD_CCtx_reset(z->zc, ZSTD_reset_session_and_parameters)) ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_checksumFlag, 0)) ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_dictIDFlag, 0)) ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_contentSizeFlag, 1)) ||
		    ZSTD_isError(ZSTD_CCtx_refCDict(z->zc, cd)))
			return NULL;
		z->zc_level = level;
	}
	size_t cap = 1 + ZSTD_compressBound(n);
	unsigned char *out = xmalloc(cap);
	size_t r = ZSTD_compress2(z->zc, out + 1, cap - 1, text, n);
	if (ZSTD_isError(r) || r < ZSTD_MAGIC_LEN) {
		free(out);
		return NULL;
	}
	out[0] = PAYLOAD_ZSTD;
	memmove(out + 1, out + 1 + ZSTD_MAGIC_LEN, r - ZSTD_MAGIC_LEN);
	*len = 1 + r - ZSTD_MAGIC_LEN;
	return out;
}

unsigned char *payload_pack_with(const char *text, size_t n, int format, int level, size_t *len)
{
	switch (format) {
	case PAYLOAD_DEFLATE:
		return deflate_pack(text, n, level, len);
	case PAYLOAD_ZSTD:
		return zstd_pack(text, n, level, len);
	default:
		return NULL;
	}
}

unsigned char *payload_pack(const char *text, size_t n, size_t *len)
{
	return payload_pack_with(text, n, PAYLOAD_FORMAT, PAYLOAD_LEVEL, len);
}

static char *corrupt(struct qd_err *err, const char *why)
{
	qd_fail(err, QD_EINTERNAL, "payload", "事件内容已损坏（%s）", "stored event payload is corrupt (%s)", why, why);
	return NULL;
}

static char *inflate_unpack(const unsigned char *p, size_t n, struct qd_err *err)
{
	size_t dn = 0;
	const char *d = payload_dict(PAYLOAD_DEFLATE, &dn);
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

/* A frame of n bytes without its magic (the stored form, after the format byte): its text. */
static char *zstd_unpack(const unsigned char *p, size_t n, struct qd_err *err)
{
	struct zs *z = zs_get();
	if (!z->zdd)
		z->zdd = ddict_get();
	const ZSTD_DDict *dd = z->zdd;
	if (!dd || (!z->zd && !(z->zd = ZSTD_createDCtx())))
		return corrupt(err, "zstd context");
	/* the magic back in front: a small copy (payloads are ~100–400 B stored) */
	unsigned char *frame = xmalloc(n + ZSTD_MAGIC_LEN);
	uint32_t magic = ZSTD_MAGICNUMBER; /* little-endian on the page, as zstd writes it */
	for (int i = 0; i < ZSTD_MAGIC_LEN; i++)
		frame[i] = (unsigned char)(magic >> (8 * i));
	memcpy(frame + ZSTD_MAGIC_LEN, p, n);
	size_t fn = n + ZSTD_MAGIC_LEN;
	char *out = NULL;
	const char *why = NULL;
	unsigned long long size = ZSTD_getFrameContentSize(frame, fn);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
		why = "invalid zstd frame";
	} else if (ZSTD_findFrameCompressedSize(frame, fn) != fn) {
		why = ZSTD_isError(ZSTD_findFrameCompressedSize(frame, fn)) ? "truncated" : "trailing bytes";
	} else if (size > (unsigned long long)PAYLOAD_MAX_TEXT) {
		why = "too large";
	} else {
		out = xmalloc((size_t)size + 1);
		size_t r = ZSTD_decompress_usingDDict(z->zd, out, (size_t)size, frame, fn, dd);
		if (ZSTD_isError(r) || r != size)
			why = "invalid zstd frame";
		else if (memchr(out, 0, r))
			why = "NUL in text";
		else
			out[r] = 0;
	}
	free(frame);
	if (why) {
		free(out);
		return corrupt(err, why);
	}
	return out;
}

char *payload_unpack(const void *data, size_t n, struct qd_err *err)
{
	const unsigned char *p = data;
	if (!n)
		return corrupt(err, "empty");
	switch (p[0]) {
	case PAYLOAD_DEFLATE:
		return inflate_unpack(p, n, err);
	case PAYLOAD_ZSTD:
		return zstd_unpack(p + 1, n - 1, err);
	default:
		return corrupt(err, "unknown format");
	}
}

char *payload_column(db_stmt *st, int col, struct qd_err *err)
{
	if (!st->lite) { /* PostgreSQL's event.payload is bytea: every row packed (pg_migrate.c) */
		size_t n = 0;
		const void *b = db_col_blob(st, col, &n);
		return b ? payload_unpack(b, n, err) : corrupt(err, "not text or blob");
	}
	switch (sqlite3_column_type(st->lite, col)) {
	case SQLITE_TEXT:
		return xstrdup((const char *)sqlite3_column_text(st->lite, col));
	case SQLITE_BLOB:
		return payload_unpack(sqlite3_column_blob(st->lite, col), (size_t)sqlite3_column_bytes(st->lite, col), err);
	default:
		return corrupt(err, "not text or blob");
	}
}

json_t *payload_json(db_stmt *st, int col, struct qd_err *err)
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

int payload_bind(db_stmt *st, int col, char *text, struct qd_err *err)
{
	size_t n = 0;
	unsigned char *b = payload_pack(text, strlen(text), &n);
	free(text);
	if (!b)
		return qd_fail(err, QD_EINTERNAL, NULL, "事件无法压缩", "event payload cannot be compressed");
	if (!st->lite) {
		db_bind_blob(st, col, b, n);
		free(b);
		return 0;
	}
	return sqlite3_bind_blob64(st->lite, col, b, n, free) == SQLITE_OK ? 0 : qd_fail(err, QD_EINTERNAL, NULL, "事件无法写入", "event payload cannot be bound");
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
