/* main.c — `qingdan COMMAND [options]`: the command table, help, and the one place that exits. */
#include "base/date.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "store/pg.h"
#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	const char *flags; /* allowed flags, space separated */
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{"init", "db key root kind sign-key", "qingdan init --db FILE [--key FILE] [--sign-key FILE] [--root 名称 [--kind county]]",
	 "Create a new database, its personal-data key file (FILE.key unless --key) and its Ed25519 signing key for the chain heads (beside the key file: FILE.sign, or KEY.sign with --key, unless --sign-key; its public key in the same name + .pub — keep the signing key on another host in production: docs/security.md §5).  --root names the top of the unit tree (a county by default, --kind another unit kind), prints its id, and makes on it the three administrators whose duties are kept apart (等保2.0): sysadmin (系统管理员: units, users, settings), secadmin (安全管理员: grants, the personal-data right, unlocking) and auditadmin (审计管理员: the audit log), printing each one's initial password.  If any of it fails, nothing is left behind."},
	{"serve", "db key listen threads max-per-ip max-per-client head-timeout request-timeout trusted-proxy queue audit-days today clock sign-key sign-every heads-file heads-webhook secure-cookie session-idle session-max login-rows", "qingdan serve --db FILE [--listen 127.0.0.1:8080] [--threads N] [--max-per-ip N] [--max-per-client N] [--head-timeout S] [--request-timeout S] [--trusted-proxy CIDR[,CIDR…]]… [--queue N] [--audit-days N] [--today YYYY-MM-DD | --clock YYYY-MM-DDTHH:MM:SS] [--sign-key FILE] [--sign-every SECONDS] [--heads-file FILE] [--heads-webhook URL] [--secure-cookie] [--session-idle SECONDS] [--session-max SECONDS] [--login-rows N]",
	 "Serve the JSON API (and /healthz, /metrics) until SIGINT/SIGTERM.  Limits: --max-per-ip N open connections per peer address (default 256; a trusted proxy is held only by the total, 1024); --max-per-client N requests in flight per client (default 128; over it 429 with Retry-After); --head-timeout S the request line and headers must arrive within S seconds (default 10), --request-timeout S the whole request within S (default 30) — a connection past its deadline is closed, however slowly it keeps sending; a body declared over 64 KiB is refused (413) before it is read.  --trusted-proxy CIDR (repeatable, or a comma list; IPv4 or IPv6, e.g. 127.0.0.1 or 10.0.0.0/24): the addresses of your nginx; from them the client is the right-most X-Forwarded-For address that is not a trusted proxy (or X-Real-IP), and the per-client limits, login back-off and audit log use it.  From any other peer those headers are ignored.  With a signing key (init makes one beside the key file; --sign-key names another) the server signs the chain head when it moved, every --sign-every seconds (1–60, default 60; on PostgreSQL one elected server signs), into the table chain_sig, appended to --heads-file FILE (one line a head, fsync'd; check --heads reads it) and POSTed as JSON to --heads-webhook URL (retried with back-off).  --audit-days N keeps the audit log N days (default 365; fewer than 180 is refused).  Logins and sessions: --secure-cookie marks the session cookie Secure (behind TLS); --session-idle S ends a session unused for S seconds (default 1800), --session-max S any session S seconds after its login (default 43200); --login-rows N bounds the login back-off table (default 10000; the oldest rows go).  --today YYYY-MM-DD runs the server's clock shifted by whole days so that today (China time) is that day, time still flowing: what is written is dated from it, and overdue is judged against it (for tests and demos).  --clock YYYY-MM-DDTHH:MM:SS freezes the server's clock at that instant, China time (UTC+8): every request reads exactly that time, so two servers given the same requests write the same times (for tests: the differential test runs two backends on one frozen clock)."},
	{"demo", "db key quiet today sign-key", "qingdan demo --db FILE [--today YYYY-MM-DD]",
	 "Create FILE (if absent) and fill it with the demo: the seed's units, 第八巡回指导组, one user per role, a few hundred problems walked through the loop over the 70 days before today (or before --today YYYY-MM-DD)."},
	{"user", "db key username name unit role password", "qingdan user add --db FILE --username U --name 姓名 --unit UNIT_ID --role ROLE [--password P]\n       qingdan user grant --db FILE --username U --role ROLE --unit UNIT_ID\n       qingdan user passwd --db FILE --username U [--password P]",
	 "Manage users from the command line (the password is read from QD_PASSWORD or --password)."},
	{"admin", "db key username role unit password", "qingdan admin restore --db FILE --username U [--role ROLE [--unit UNIT_ID]] [--password P]",
	 "Restore a locked-out or lost administrator from the host: a new password (QD_PASSWORD, --password, or a random one printed), every login lock cleared, and --role granted again on --unit (default: the user's own unit) when the user no longer holds it.  Recorded as an event by the system (user.restore) and as a host row of the audit log."},
	{"audit", "db key from to username kind outcome client limit csv", "qingdan audit --db FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--username U] [--kind KIND] [--outcome ok|denied|failed] [--client ADDR] [--limit N] [--csv]",
	 "Print the audit log, newest first (--limit, default 100): one JSON object a line, or CSV with --csv.  Kinds: login, denied, write, grant, pii, audit, host, dropped."},
	{"check", "db key heads sign-pub sign-key", "qingdan check --db FILE [--key FILE] [--heads HEADS_FILE [--sign-pub FILE]]",
	 "Verify the database: SQLite integrity, full-text indexes, the event hash chain, and that the current-state tables equal a replay of the event log (free text masked under this program's rules; the key opens the sealed originals).  --heads FILE also verifies every signed head in FILE (as serve --heads-file writes it) with the public keys of --sign-pub (default: the signing key's .pub beside the key file): a head whose signature fails is reported FORGED, an event at a signed seq with another hash (or missing) REWRITTEN, a log ending before the last signed seq TRUNCATED."},
	{"remask", "db key", "qingdan remask --db FILE [--key FILE]",
	 "Rebuild the masked free text of the current-state tables from the sealed originals in the event log, under this program's masking rules (after an upgrade that improves them).  Changes no event."},
	{"log", "db", "qingdan log --db FILE",
	 "Print the event log, oldest first, one JSON object a line (seq, at, actor, kind, entity, entity_id, payload, hash): the payloads are stored compressed, so this is the readable view of the record.  Sealed values stay sealed."},
	{"backup", "db to", "qingdan backup --db FILE --to COPY",
	 "Online backup (safe while serving).  The key file is not copied: keep it apart."},
	{"migrate", "from to key", "qingdan migrate --from FILE|sqlite://FILE --to postgres://USER:PASSWORD@HOST:PORT/DATABASE [--key FILE]",
	 "Move a SQLite database into an empty PostgreSQL database: the SQLite file is opened as any command opens it (its migrations apply first, with the key), the target gets its schema (as qingdan schema) and must hold no row; every table is copied in one PostgreSQL transaction (COPY), and before it commits the event log is read back, every payload unpacked and the hash chain recomputed and compared with SQLite's head, and every table's row count compared.  Any difference rolls it all back, naming the first bad event or table.  Prints the rows per table and the time taken.  The personal-data key (FILE.key, or --key) is not put in the database: the PostgreSQL deployment needs it."},
	{"schema", "db", "qingdan schema --db postgres://USER:PASSWORD@HOST:PORT/DATABASE",
	 "Check a PostgreSQL database (fsync, full_page_writes and synchronous_commit on; UTF8 with a character type under which Chinese is text) and create or upgrade qingdan's schema in it; prints the schema version.  init, serve, demo, user, check, remask and log take a postgres:// database too (with --key FILE where the personal-data key is needed: it is never in the database); backup works on SQLite files only (back PostgreSQL up with its own tools: docs/operations.md)."},
};

static void usage(FILE *f)
{
	fprintf(f, "qingdan — 清单：下基层、察民情、解民忧、暖民心 closed-loop service lists\n\nUsage:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nqingdan COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
	mem_init();
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	const struct command *c = NULL;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			c = &commands[i];
	if (!c) {
		fprintf(stderr, "qingdan: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return 2;
	}
	int first = 2;
	const char *sub = NULL;
	if ((!strcmp(c->name, "user") || !strcmp(c->name, "admin")) && argc > 2 && argv[2][0] != '-') {
		sub = argv[2];
		first = 3;
	}
	struct cli_opts o = {0};
	if (cli_parse(argc - first, argv + first, &o, c->flags))
		return 2;
	if (o.help) {
		printf("Usage: %s\n\n%s\n", c->usage, c->help);
		return 0;
	}
	if (!strcmp(c->name, "migrate")) { /* --from and --to, no --db */
		if (!o.from || !o.to) {
			fprintf(stderr, "qingdan migrate: --from FILE and --to postgres://… are required\nUsage: %s\n", c->usage);
			return 2;
		}
		o.now = clock_now(&o.clock);
		return cmd_migrate(&o);
	}
	if (!o.db) {
		fprintf(stderr, "qingdan %s: --db FILE is required\nUsage: %s\n", c->name, c->usage);
		return 2;
	}
	if (o.today) {
		int32_t day;
		if (date_parse(o.today, &day)) {
			fprintf(stderr, "qingdan %s: --today must be a date YYYY-MM-DD\n", c->name);
			return 2;
		}
		clock_set_today(&o.clock, day);
	}
	if (o.clock_at) {
		int64_t at;
		if (o.today) {
			fprintf(stderr, "qingdan %s: --clock 与 --today 只能选其一 (--clock and --today cannot be given together)\n",
				c->name);
			return 2;
		}
		if (clock_parse_china(o.clock_at, &at)) {
			fprintf(stderr, "qingdan %s: --clock 须为中国时间 YYYY-MM-DDTHH:MM:SS，如 2022-07-04T09:30:00 "
					"(--clock must be a China time YYYY-MM-DDTHH:MM:SS, e.g. 2022-07-04T09:30:00)\n",
				c->name);
			return 2;
		}
		clock_freeze(&o.clock, at);
	}
	o.now = clock_now(&o.clock); /* the command's time: read once, passed to what it writes */
	int rc;
	/* Commands that take either backend (through store_open), schema PostgreSQL's alone; the
	 * rest read SQLite files themselves. */
	int either = !strcmp(c->name, "init") || !strcmp(c->name, "serve") || !strcmp(c->name, "demo") ||
		     !strcmp(c->name, "user") || !strcmp(c->name, "check") || !strcmp(c->name, "remask") ||
		     !strcmp(c->name, "log") || !strcmp(c->name, "admin") || !strcmp(c->name, "audit");
	if (!pg_is_uri(o.db) && !strcmp(c->name, "schema")) {
		fprintf(stderr, "qingdan schema: --db 须为 postgres:// 地址；SQLite 数据库在打开时自动迁移 "
				"(--db must be a postgres:// URI; a SQLite database is migrated when it is opened)\n");
		return 2;
	}
	if (pg_is_uri(o.db) && !either && strcmp(c->name, "schema") != 0) {
		fprintf(stderr, "qingdan %s: 此命令尚不支持 PostgreSQL 数据库（init、serve、demo、user、check、remask、log、schema 与 migrate 支持） "
				"(this command does not take a postgres:// database yet: init, serve, demo, user, check, remask, log, schema and migrate do)\n",
			c->name);
		return 2;
	}
	if (!strcmp(c->name, "init"))
		rc = cmd_init(&o);
	else if (!strcmp(c->name, "serve"))
		rc = cmd_serve(&o);
	else if (!strcmp(c->name, "demo"))
		rc = cmd_demo(&o);
	else if (!strcmp(c->name, "user"))
		rc = cmd_user(&o, sub);
	else if (!strcmp(c->name, "check"))
		rc = cmd_check(&o);
	else if (!strcmp(c->name, "remask"))
		rc = cmd_remask(&o);
	else if (!strcmp(c->name, "log"))
		rc = cmd_log(&o);
	else if (!strcmp(c->name, "schema"))
		rc = cmd_schema(&o);
	else if (!strcmp(c->name, "admin"))
		rc = cmd_admin(&o, sub);
	else if (!strcmp(c->name, "audit"))
		rc = cmd_audit(&o);
	else
		rc = cmd_backup(&o);
	return rc;
}
