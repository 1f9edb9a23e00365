/* cmd_user.c — `qingdan user add | grant | passwd`. */
#include "cli/cli.h"
#include "core/role.h"
#include "store/write.h"
#include "web/auth.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_user(struct cli_opts *o, const char *sub)
{
	if (!sub || (strcmp(sub, "add") != 0 && strcmp(sub, "grant") != 0 && strcmp(sub, "passwd") != 0)) {
		fprintf(stderr, "qingdan user: say add, grant or passwd (qingdan user --help)\n");
		return 2;
	}
	int role = o->role ? role_parse(o->role) : -1;
	if (o->role && role < 0) {
		fprintf(stderr, "qingdan user %s: unknown role '%s'\n", sub, o->role);
		return 1;
	}
	enum store_write_kind kind = !strcmp(sub, "add") ? SW_USER_CREATE : !strcmp(sub, "grant") ? SW_GRANT_ADD : SW_PASSWORD_SET;
	if (kind == SW_USER_CREATE && (!o->username || !o->name || !o->unit || role < 0)) {
		fprintf(stderr, "qingdan user %s: --username, --name, --unit and --role are required\n", sub);
		return 1;
	}
	if (kind == SW_GRANT_ADD && (role < 0 || !o->unit)) {
		fprintf(stderr, "qingdan user %s: --role and --unit are required\n", sub);
		return 1;
	}
	/* The operator at the console: no scope to check (actor 0, the system). */
	struct store_write *w = store_write_new(kind, 0, NULL, 0);
	w->console = 1;
	char *hash = kind == SW_USER_CREATE ? w->u.user.pw_hash : w->u.password.pw_hash;
	size_t hash_size = kind == SW_USER_CREATE ? sizeof w->u.user.pw_hash : sizeof w->u.password.pw_hash;
	if (kind == SW_USER_CREATE) {
		w->u.user.username = o->username;
		w->u.user.display_name = o->name;
		w->u.user.unit_id = atoll(o->unit);
		w->u.user.role = role;
	} else if (kind == SW_GRANT_ADD) {
		w->u.grant.username = o->username;
		w->u.grant.role = (enum role)role;
		w->u.grant.unit_id = atoll(o->unit);
	} else {
		w->u.password.username = o->username;
	}
	if (kind != SW_GRANT_ADD) {
		const char *pw = o->password ? o->password : getenv("QD_PASSWORD");
		struct qd_err err;
		if (auth_password_ok(pw, "password", &err)) {
			fprintf(stderr, "qingdan user: %s (use --password or QD_PASSWORD)\n", err.en);
			store_write_free(w);
			return 2;
		}
		auth_hash_password(pw, hash, hash_size);
	}
	struct store *s = cli_open(o, 0);
	if (!s) {
		store_write_free(w);
		return 1;
	}
	struct qd_err err;
	int rc = store_write_run(s, o->now, w, &err);
	if (rc)
		fprintf(stderr, "qingdan user %s: %s\n", sub, err.en);
	else
		printf("user %s: ok (id %lld)\n", sub, (long long)w->id);
	store_write_free(w);
	store_close(s);
	return rc ? 1 : 0;
}
