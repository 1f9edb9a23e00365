/* cmd_user.c — `qingdan user add | grant | passwd`. */
#include "cli/cli.h"
#include "core/role.h"
#include "store/org.h"
#include "store/session.h"
#include "web/auth.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct user_arg {
	const struct cli_opts *o;
	const char *sub;
	char hash[256];
	int64_t id;
};

static int user_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct user_arg *a = arg;
	const struct cli_opts *o = a->o;
	sqlite3 *db = store_tx_db(tx);
	int role = o->role ? role_parse(o->role) : -1;
	if (o->role && role < 0)
		return qd_fail(err, QD_EINVAL, "role", "角色无效", "unknown role '%s'", o->role);
	if (!strcmp(a->sub, "add")) {
		if (!o->username || !o->name || !o->unit || role < 0)
			return qd_fail(err, QD_EINVAL, "username", "缺少参数", "--username, --name, --unit and --role are required");
		if (store_user_create(tx, 0, o->username, o->name, atoll(o->unit), a->hash, &a->id, err))
			return -1;
		return store_grant_add(tx, 0, a->id, (enum role)role, atoll(o->unit), err);
	}
	a->id = o->username ? store_user_by_name(db, o->username) : 0;
	if (a->id <= 0)
		return qd_fail(err, QD_ENOTFOUND, "username", "用户不存在", "no such user");
	if (!strcmp(a->sub, "grant")) {
		if (role < 0 || !o->unit)
			return qd_fail(err, QD_EINVAL, "role", "缺少参数", "--role and --unit are required");
		return store_grant_add(tx, 0, a->id, (enum role)role, atoll(o->unit), err);
	}
	return store_password_set(tx, a->id, a->hash, err);
}

int cmd_user(struct cli_opts *o, const char *sub)
{
	if (!sub || (strcmp(sub, "add") != 0 && strcmp(sub, "grant") != 0 && strcmp(sub, "passwd") != 0)) {
		fprintf(stderr, "qingdan user: say add, grant or passwd (qingdan user --help)\n");
		return 2;
	}
	struct user_arg a = {o, sub, "", 0};
	if (strcmp(sub, "grant") != 0) {
		const char *pw = o->password ? o->password : getenv("QD_PASSWORD");
		struct qd_err err;
		if (auth_password_ok(pw, "password", &err)) {
			fprintf(stderr, "qingdan user: %s (use --password or QD_PASSWORD)\n", err.en);
			return 2;
		}
		auth_hash_password(pw, a.hash, sizeof a.hash);
	}
	struct store *s = cli_open(o, 0);
	if (!s)
		return 1;
	struct qd_err err;
	int rc = store_run(s, o->now, user_cmd, &a, &err);
	if (rc)
		fprintf(stderr, "qingdan user %s: %s\n", sub, err.en);
	else
		printf("user %s: ok (id %lld)\n", sub, (long long)a.id);
	store_close(s);
	return rc ? 1 : 0;
}
