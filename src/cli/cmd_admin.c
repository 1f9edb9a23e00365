/* cmd_admin.c — the three administrators on the host (等保2.0 separation of duties): the first
 * ones init makes, `qingdan admin restore` (a locked-out or lost administrator back: a new
 * password, the lock cleared, the role granted again, recorded as an event by the system and a
 * `host` row of the audit log), and `qingdan audit` (the audit log read on the host). */
#include "base/buf.h"
#include "base/date.h"
#include "base/rand.h"
#include "cli/cli.h"
#include "core/audit.h"
#include "core/role.h"
#include "store/audit.h"
#include "store/write.h"
#include "web/auth.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first administrators init makes on the root unit: one per duty. */
static const struct {
	const char *username, *name;
	enum role role;
} first_admins[] = {
    {"sysadmin", "系统管理员", ROLE_ADMIN},
    {"secadmin", "安全管理员", ROLE_SECURITY_ADMIN},
    {"auditadmin", "审计管理员", ROLE_AUDIT_ADMIN},
};

/* A new random password: 16 bytes, base64url (22 characters). */
static void new_password(char *out, size_t n)
{
	unsigned char raw[16];
	rand_bytes(raw, sizeof raw);
	sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int cli_first_admins(struct store *s, int64_t now, int64_t root, struct qd_err *err)
{
	char pw[3][40];
	for (size_t i = 0; i < sizeof first_admins / sizeof first_admins[0]; i++) {
		struct store_write *w = store_write_new(SW_USER_CREATE, 0, NULL, 0);
		w->console = 1;
		w->u.user.username = first_admins[i].username;
		w->u.user.display_name = first_admins[i].name;
		w->u.user.unit_id = root;
		w->u.user.role = (int)first_admins[i].role;
		new_password(pw[i], sizeof pw[i]);
		auth_hash_password(pw[i], w->u.user.pw_hash, sizeof w->u.user.pw_hash);
		int rc = store_write_run(s, now, w, err);
		store_write_free(w);
		if (rc)
			return -1;
	}
	for (size_t i = 0; i < sizeof first_admins / sizeof first_admins[0]; i++)
		printf("administrator %s (%s, %s): initial password %s\n", first_admins[i].username,
		       first_admins[i].name, role_name(first_admins[i].role), pw[i]);
	return 0;
}

static int restore(struct cli_opts *o)
{
	int role = o->role ? role_parse(o->role) : -1;
	if (!o->username || (o->role && role < 0)) {
		fprintf(stderr,
		        "qingdan admin restore: --username is required; --role must be a role (admin, "
		        "security_admin, audit_admin …)\n");
		return 2;
	}
	const char *given = o->password ? o->password : getenv("QD_PASSWORD");
	char made[40];
	if (!given)
		new_password(made, sizeof made);
	const char *pw = given ? given : made;
	struct qd_err err;
	if (auth_password_ok(pw, "password", &err)) {
		fprintf(stderr, "qingdan admin restore: %s\n", err.en);
		return 2;
	}
	struct store_write *w = store_write_new(SW_USER_RESTORE, 0, NULL, 0);
	w->console = 1;
	w->u.restore.username = o->username;
	w->u.restore.role = role;
	w->u.restore.unit_id = o->unit ? atoll(o->unit) : 0;
	auth_hash_password(pw, w->u.restore.pw_hash, sizeof w->u.restore.pw_hash);
	struct store *s = cli_open(o, 0);
	if (!s) {
		store_write_free(w);
		return 1;
	}
	int rc = store_write_run(s, o->now, w, &err);
	if (!rc) { /* the host's act, in the audit log beside the event */
		char detail[160];
		snprintf(detail, sizeof detail, "restore %s%s%s", o->username,
		         w->u.restore.regranted ? ", granted again " : "",
		         w->u.restore.regranted ? o->role : "");
		struct audit_entry e = {.at = o->now,
		                        .username = "host",
		                        .method = "CLI",
		                        .route = "qingdan admin restore",
		                        .entity_id = w->id,
		                        .kind = AUDIT_HOST,
		                        .outcome = AUDIT_OK,
		                        .detail = detail};
		store_audit_add(s, &e);
		printf("admin restore: %s (id %lld): password %s, lock cleared%s%s\n", o->username,
		       (long long)w->id, given ? "set" : made,
		       w->u.restore.regranted ? ", role granted again: " : "",
		       w->u.restore.regranted ? o->role : "");
	} else {
		fprintf(stderr, "qingdan admin restore: %s\n", err.en);
	}
	store_write_free(w);
	store_close(s);
	return rc ? 1 : 0;
}

int cmd_admin(struct cli_opts *o, const char *sub)
{
	if (!sub || strcmp(sub, "restore") != 0) {
		fprintf(stderr, "qingdan admin: say restore (qingdan admin --help)\n");
		return 2;
	}
	return restore(o);
}

/* CSV cell as api_audit.c writes it (RFC 4180, formulas defused). */
static void csv_cell(const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putchar('"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		putchar('\'');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	if (quote)
		putchar('"');
}

int cmd_audit(struct cli_opts *o)
{
	struct audit_filter f = {.kind = -1, .outcome = -1, .limit = o->limit > 0 ? o->limit : 100};
	int32_t day;
	if (o->from && date_parse(o->from, &day) == 0)
		f.from_ms = date_china_midnight_ms(day);
	else if (o->from) {
		fprintf(stderr, "qingdan audit: --from must be a date YYYY-MM-DD\n");
		return 2;
	}
	if (o->to && date_parse(o->to, &day) == 0)
		f.to_ms = date_china_midnight_ms(day + 1);
	else if (o->to) {
		fprintf(stderr, "qingdan audit: --to must be a date YYYY-MM-DD\n");
		return 2;
	}
	f.username = o->username;
	f.client = o->client;
	if (o->kind && (f.kind = audit_kind_parse(o->kind)) < 0) {
		fprintf(stderr, "qingdan audit: unknown --kind '%s'\n", o->kind);
		return 2;
	}
	if (o->outcome && (f.outcome = audit_outcome_parse(o->outcome)) < 0) {
		fprintf(stderr, "qingdan audit: unknown --outcome '%s' (ok, denied, failed)\n", o->outcome);
		return 2;
	}
	struct store *s = cli_open(o, 0);
	if (!s)
		return 1;
	json_t *rows = store_audit_list(store_reader(s), &f, NULL);
	if (!rows) {
		fprintf(stderr, "qingdan audit: cannot read the audit log\n");
		store_close(s);
		return 1;
	}
	static const char *const cols[] = {"id",     "at",     "user_id",   "username", "client",
	                                   "method", "route",  "entity_id", "kind",     "outcome",
	                                   "status", "detail", NULL};
	if (o->csv)
		for (int i = 0; cols[i]; i++)
			printf("%s%s", i ? "," : "", cols[i]);
	if (o->csv)
		printf("\r\n");
	size_t k;
	json_t *r;
	json_array_foreach(rows, k, r)
	{
		if (!o->csv) {
			char *line = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
			puts(line);
			free(line);
			continue;
		}
		for (int i = 0; cols[i]; i++) {
			json_t *v = json_object_get(r, cols[i]);
			char num[32];
			const char *t = json_is_string(v) ? json_string_value(v) : "";
			if (json_is_integer(v)) {
				snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
				t = num;
			}
			if (i)
				putchar(',');
			csv_cell(t);
		}
		printf("\r\n");
	}
	json_decref(rows);
	store_close(s);
	return 0;
}
