/* cli.c — option parsing and store opening shared by the commands; init, schema, migrate, check, remask, log, backup. */
#include "cli/cli.h"
#include "base/mem.h"
#include "store/pg.h"
#include "store/check.h"
#include "store/org.h"
#include "store/heads.h"
#include "store/remask.h"
#include "store/sign.h"
#include "store/write.h"
#include "base/mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_parse(int argc, char **argv, struct cli_opts *o, const char *allowed)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = 1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "qingdan: unexpected argument '%s'\n", a);
			return -1;
		}
		const char *name = a + 2;
		size_t n = strlen(name);
		const char *p = strstr(allowed, name);
		while (p && !((p == allowed || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)))
			p = strstr(p + 1, name);
		if (!p || !n) {
			fprintf(stderr, "qingdan: unknown option '%s'\n", a);
			return -1;
		}
		if (!strcmp(name, "quiet")) {
			o->quiet = 1;
			continue;
		}
		if (!strcmp(name, "csv")) {
			o->csv = 1;
			continue;
		}
		if (!strcmp(name, "secure-cookie")) {
			o->secure_cookie = 1;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "qingdan: option '%s' needs a value\n", a);
			return -1;
		}
		const char *v = argv[++i];
		if (!strcmp(name, "db")) o->db = v;
		else if (!strcmp(name, "key")) o->key = v;
		else if (!strcmp(name, "listen")) o->listen = v;
		else if (!strcmp(name, "to")) o->to = v;
		else if (!strcmp(name, "from")) o->from = v;
		else if (!strcmp(name, "threads")) o->threads = atoi(v);
		else if (!strcmp(name, "max-per-ip")) o->max_per_ip = atoi(v);
		else if (!strcmp(name, "max-per-client")) o->max_per_client = atoi(v);
		else if (!strcmp(name, "head-timeout")) o->head_timeout = atoi(v);
		else if (!strcmp(name, "request-timeout")) o->request_timeout = atoi(v);
		else if (!strcmp(name, "trusted-proxy")) { /* repeatable: the lists are joined */
			size_t had = o->trusted_proxy ? strlen(o->trusted_proxy) : 0, vn = strlen(v);
			o->trusted_proxy = xrealloc(o->trusted_proxy, had + vn + 2);
			if (had)
				o->trusted_proxy[had++] = ',';
			memcpy(o->trusted_proxy + had, v, vn + 1);
		}
		else if (!strcmp(name, "queue")) o->queue = atoi(v);
		else if (!strcmp(name, "session-idle")) o->session_idle_s = atoll(v);
		else if (!strcmp(name, "session-max")) o->session_max_s = atoll(v);
		else if (!strcmp(name, "login-rows")) o->login_rows = atoll(v);
		else if (!strcmp(name, "username")) o->username = v;
		else if (!strcmp(name, "name")) o->name = v;
		else if (!strcmp(name, "unit")) o->unit = v;
		else if (!strcmp(name, "role")) o->role = v;
		else if (!strcmp(name, "password")) o->password = v;
		else if (!strcmp(name, "today")) o->today = v;
		else if (!strcmp(name, "clock")) o->clock_at = v;
		else if (!strcmp(name, "root")) o->root = v;
		else if (!strcmp(name, "kind")) o->kind = v;
		else if (!strcmp(name, "sign-key")) o->sign_key = v;
		else if (!strcmp(name, "sign-pub")) o->sign_pub = v;
		else if (!strcmp(name, "heads")) o->heads = v;
		else if (!strcmp(name, "heads-file")) o->heads_file = v;
		else if (!strcmp(name, "heads-webhook")) o->heads_webhook = v;
		else if (!strcmp(name, "sign-every")) {
			char *end = NULL;
			long every = strtol(v, &end, 10);
			o->sign_every = *v && end && !*end && every >= 1 && every <= 60 ? (int)every : -1; /* -1: refused by serve */
		}
		else if (!strcmp(name, "outcome")) o->outcome = v;
		else if (!strcmp(name, "client")) o->client = v;
		else if (!strcmp(name, "limit")) o->limit = atoi(v);
		else if (!strcmp(name, "audit-days")) o->audit_days = atoi(v);
	}
	return 0;
}

struct store *cli_open(const struct cli_opts *o, int create)
{
	struct store_opts so = {.path = o->db, .key_path = o->key, .create = create, .queue_max = o->queue, .now = o->now,
				.audit_days = o->audit_days};
	struct store *s = NULL;
	struct qd_err err;
	if (store_open(&s, &so, &err)) {
		fprintf(stderr, "qingdan: %s\n", err.en);
		return NULL;
	}
	return s;
}

char *cli_sign_key_path(const struct cli_opts *o)
{
	return o->sign_key ? xstrdup(o->sign_key) : sign_key_default(o->db, o->key);
}

int cmd_init(struct cli_opts *o)
{
	if (access(o->db, F_OK) == 0) {
		fprintf(stderr, "qingdan init: %s already exists\n", o->db);
		return 1;
	}
	if (o->kind && !o->root) {
		fprintf(stderr, "qingdan init: --kind needs --root\n");
		return 2;
	}
	char *sk = cli_sign_key_path(o);
	if (access(sk, F_OK) == 0) {
		fprintf(stderr, "qingdan init: 签名密钥 %s 已存在 (the signing key %s already exists)\n", sk, sk);
		free(sk);
		return 1;
	}
	struct store *s = cli_open(o, 1);
	if (!s) {
		free(sk);
		return 1;
	}
	struct qd_err err;
	struct store_write *w = store_write_new(SW_ORG_SEED, 0, NULL, 0);
	w->console = 1;
	int rc = store_write_run(s, o->now, w, &err);
	store_write_free(w);
	int64_t root = 0;
	if (!rc && o->root) {
		w = store_write_new(SW_UNIT_CREATE, 0, NULL, 0);
		w->console = 1;
		w->u.unit.parent_id = 0;
		w->u.unit.name = o->root;
		w->u.unit.kind = o->kind ? o->kind : "county";
		rc = store_write_run(s, o->now, w, &err);
		root = w->id;
		store_write_free(w);
	}
	if (!rc && root) /* the three administrators, one per duty (cmd_admin.c) */
		rc = cli_first_admins(s, o->now, root, &err);
	store_close(s);
	if (!rc)
		rc = sign_key_create(sk, &err);
	if (rc) {
		/* What init made goes again: a half-made database is not left for the next try. */
		int named = !err.field[0] || !strncmp(err.en, err.field, strlen(err.field)); /* "name: …" already */
		fprintf(stderr, "qingdan init: %s%s%s\n", named ? "" : err.field, named ? "" : ": ", err.en);
		static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
		for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
			struct buf p;
			buf_init(&p);
			buf_printf(&p, "%s%s", o->db, suffix[i]); /* fmt: a file name for unlink() */
			unlink(p.p);
			buf_free(&p);
		}
		struct buf k;
		buf_init(&k);
		/* fmt: a file name for unlink() */
		buf_printf(&k, "%s%s", o->key ? o->key : o->db, o->key ? "" : ".key");
		unlink(k.p);
		buf_reset(&k);
		buf_printf(&k, "%s.pub", sk); /* fmt: a file name for unlink() */
		unlink(k.p);
		unlink(sk);
		buf_free(&k);
		free(sk);
		return 1;
	}
	char *shown = pg_uri_shown(o->db); /* never a password on the terminal */
	printf("created %s (key %s%s, signing key %s, public key %s.pub)\n", shown, o->key ? o->key : o->db,
	       o->key ? "" : ".key", sk, sk);
	free(shown);
	free(sk);
	if (root)
		printf("root unit %lld: %s (%s)\n", (long long)root, o->root, o->kind ? o->kind : "county");
	return 0;
}

int cmd_schema(struct cli_opts *o)
{
	struct qd_err err;
	int version = 0;
	if (pg_schema_apply(o->db, &version, &err)) {
		int named = !err.field[0] || !strcmp(err.field, "db");
		fprintf(stderr, "qingdan schema: %s%s%s\n", named ? "" : err.field, named ? "" : ": ", err.en);
		return 1;
	}
	printf("schema version %d (PostgreSQL)\n", version);
	return 0;
}

int cmd_migrate(struct cli_opts *o)
{
	struct qd_err err;
	struct pg_migrate_opts mo = {.from = o->from, .key_path = o->key, .to = o->to, .now = o->now, .out = stdout};
	if (pg_migrate(&mo, &err)) {
		fprintf(stderr, "qingdan migrate: %s\n", err.en);
		return 1;
	}
	return 0;
}

int cmd_check(struct cli_opts *o)
{
	struct check_report r;
	struct qd_err err;
	int rc = store_check(o->db, o->key, &r, stdout, &err);
	if (rc && (err.code == QD_ENOTFOUND || !strcmp(err.field, "key")))
		fprintf(stderr, "qingdan check: %s\n", err.en);
	if (o->heads) { /* the log against the signed heads kept elsewhere (store/heads.h) */
		struct heads_report hr;
		struct qd_err he;
		char *pub = NULL;
		if (!o->sign_pub) {
			char *sk = cli_sign_key_path(o);
			struct buf b;
			buf_init(&b);
			buf_printf(&b, "%s.pub", sk); /* fmt: a file name, not page text */
			pub = b.p;
			free(sk);
		}
		if (store_check_heads(o->db, o->heads, o->sign_pub ? o->sign_pub : pub, &hr, stdout, &he)) {
			rc = -1;
			if (strcmp(he.field, "heads") != 0 || !hr.heads)
				fprintf(stderr, "qingdan check: %s\n", he.en);
		}
		free(pub);
	} else if (o->sign_pub) {
		fprintf(stderr, "qingdan check: --sign-pub 须与 --heads 同用 (--sign-pub goes with --heads)\n");
		return 2;
	}
	printf("%s\n", rc ? "check FAILED" : "check passed");
	return rc ? 1 : 0;
}

int cmd_remask(struct cli_opts *o)
{
	struct qd_err err;
	int64_t events = 0, changed = 0;
	if (!pg_is_uri(o->db) && access(o->db, F_OK) != 0) {
		fprintf(stderr, "qingdan remask: %s does not exist\n", o->db);
		return 1;
	}
	if (store_remask(o->db, o->key, o->now, &events, &changed, &err)) {
		fprintf(stderr, "qingdan remask: %s\n", err.en);
		return 1;
	}
	char *shown = pg_uri_shown(o->db);
	printf("remasked %s: %lld events re-projected, %lld rows changed (no event changed)\n", shown,
	       (long long)events, (long long)changed);
	free(shown);
	return 0;
}

int cmd_log(struct cli_opts *o)
{
	struct qd_err err;
	if (store_log(o->db, stdout, &err)) {
		fprintf(stderr, "qingdan log: %s\n", err.en);
		return 1;
	}
	return 0;
}

int cmd_backup(struct cli_opts *o)
{
	if (!o->to) {
		fprintf(stderr, "qingdan backup: --to FILE is required\n");
		return 2;
	}
	struct qd_err err;
	if (store_backup(o->db, o->to, &err)) {
		fprintf(stderr, "qingdan backup: %s\n", err.en);
		return 1;
	}
	printf("backed up %s to %s (copy the key file %s.key separately)\n", o->db, o->to, o->db);
	return 0;
}
