/* heads.c — `qingdan check --heads` (store/heads.h): a rewritten, forged or truncated log up to
 * the last signed head.  Whoever holds the data directory can rewrite the log and recompute
 * every hash, and `check` then finds a consistent chain; what such a rewrite cannot match is a
 * head signed before it and kept elsewhere: the event at that seq no longer has that hash (or
 * no longer exists).  A head whose signature fails is a forgery (a line written by someone
 * without the key); it proves nothing and is reported, not used. */
#include "store/heads.h"
#include "store/db.h"
#include "store/db_pg.h"
#include "store/internal.h"
#include "store/pg.h"
#include "store/sign.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(FILE *out, const char *fmt, long long a, long long b)
{
	if (out)
		fprintf(out, fmt, a, b);
}

int store_check_heads(const char *db, const char *heads_path, const char *pub_path, struct heads_report *r,
                      FILE *out, struct qd_err *err)
{
	memset(r, 0, sizeof *r);
	struct sign_pubs pubs = {0};
	db_conn *c = NULL;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	int rc = -1;
	if (sign_pubs_load(pub_path, &pubs, err))
		goto out;
	f = fopen(heads_path, "re");
	if (!f) {
		qd_fail(err, QD_ENOTFOUND, "heads", "无法读取链头文件 %s", "cannot read the heads file %s",
		        heads_path, heads_path);
		goto out;
	}
	int pg = pg_is_uri(db);
	if (!pg && access(db, R_OK) != 0) {
		qd_fail(err, QD_ENOTFOUND, "db", "数据库 %s 不存在", "database %s does not exist", db, db);
		goto out;
	}
	if (pg ? db_pg_open(db, &c, err) : store_connect(db, 1, 0, &c, err))
		goto out;
	r->log_last = db_int(c, "SELECT coalesce(max(seq), 0) FROM event", 0, 0);
	int64_t last_seen = 0; /* highest seq among the heads with a good signature */
	ssize_t len;
	int64_t no = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		no++;
		if (len && line[len - 1] == '\n')
			len--;
		if (len == 0)
			continue;
		r->heads++;
		struct signed_head h;
		struct qd_err pe;
		if (sign_head_parse(line, (size_t)len, &h, &pe)) {
			r->malformed++;
			if (out)
				fprintf(out, "  line %lld: not a signed head (%s: %s)\n", (long long)no,
				        pe.field, pe.en);
			if (!r->first_bad)
				r->first_bad = no;
			continue;
		}
		if (!sign_head_verify(&pubs, &h)) {
			r->forged++;
			say(out,
			    "  line %lld: FORGED head at seq %lld: its signature does not verify under the "
			    "trusted keys\n",
			    no, h.seq);
			if (!r->first_bad)
				r->first_bad = h.seq;
			continue;
		}
		if (h.seq > last_seen)
			last_seen = h.seq;
		db_stmt *st = db_prepare(c, "SELECT hash FROM event WHERE seq = ?");
		if (!st) {
			db_fail(c, err);
			goto out;
		}
		db_bind_int(st, 1, h.seq);
		int found = db_step(st) == DB_ROW, same = 0;
		if (found) {
			size_t n = 0;
			const void *hh = db_col_blob(st, 0, &n);
			same = n == 32 && memcmp(hh, h.hash, 32) == 0;
		}
		if (db_done(st)) {
			db_fail(c, err);
			goto out;
		}
		if (same) {
			r->verified++;
			if (h.seq > r->last_signed)
				r->last_signed = h.seq;
		} else if (found) {
			r->rewritten++;
			say(out, "  line %lld: REWRITTEN: the event at signed seq %lld has another hash\n",
			    no, h.seq);
			if (!r->first_bad || h.seq < r->first_bad)
				r->first_bad = h.seq;
		} else if (h.seq > r->log_last) {
			r->truncated = 1; /* reported once, below */
		} else {
			r->rewritten++;
			say(out, "  line %lld: REWRITTEN: the signed event %lld is missing from the log\n",
			    no, h.seq);
			if (!r->first_bad || h.seq < r->first_bad)
				r->first_bad = h.seq;
		}
	}
	if (r->truncated) {
		say(out, "  TRUNCATED: the log ends at seq %lld, a head was signed at seq %lld\n",
		    r->log_last, last_seen);
		if (!r->first_bad)
			r->first_bad = r->log_last + 1;
	}
	if (out)
		fprintf(out,
		        "signed heads: %s (%lld heads, %lld verified, last signed seq %lld of %lld; %lld "
		        "forged, %lld "
		        "rewritten, %lld malformed%s)\n",
		        r->heads && r->verified == r->heads && !r->truncated ? "ok" : "FAILED",
		        (long long)r->heads, (long long)r->verified, (long long)r->last_signed,
		        (long long)r->log_last, (long long)r->forged, (long long)r->rewritten,
		        (long long)r->malformed, r->truncated ? ", truncated" : "");
	if (!r->heads)
		qd_fail(err, QD_EINVAL, "heads", "链头文件 %s 中没有签名链头",
		        "the heads file %s holds no signed head", heads_path, heads_path);
	else if (r->verified != r->heads || r->truncated)
		qd_fail(err, QD_EINTERNAL, "heads", "签名链头校验未通过", "the signed heads do not verify");
	else
		rc = 0;
out:
	free(line);
	if (f)
		fclose(f);
	db_close(c);
	sign_pubs_free(&pubs);
	return rc;
}
