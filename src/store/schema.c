/* schema.c — the database schema as numbered, append-only migrations (commented SQL text).
 * Never edit a migration that has shipped: add the next one.  meta.schema_version records the
 * last one applied.  Tables are either the event log, projections of it (rebuilt and compared
 * by `qingdan check`), or operational (sessions, credentials: not part of the record).  A
 * projection column's DEFAULT is part of the record (create events leave out a value equal to
 * it, migration 5): never change one. */
#include "store/schema.h"
#include <assert.h>
#include <stddef.h>
#include <string.h>

/* Migration 5: the triggers that bump meta.org_version after any change to table t. */
#define ORG_BUMP_ON(t, op)                                                                         \
	"CREATE TRIGGER " t "_" op "_org AFTER " op " ON " t " BEGIN UPDATE meta SET "             \
	"value = CAST(value AS INTEGER) + 1 WHERE key = 'org_version'; END;\n"
#define ORG_BUMP(t) ORG_BUMP_ON(t, "insert") ORG_BUMP_ON(t, "update") ORG_BUMP_ON(t, "delete")

static const char *const migrations[] = {
	/* 1: the record, the organisation, the loop. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"

	/* The event log is the record.  hash = SHA-256(prev_hash || canonical event). */
	"CREATE TABLE event(\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  at INTEGER NOT NULL,          -- ms since the epoch\n"
	"  actor INTEGER NOT NULL,       -- user id; 0 = the system\n"
	"  kind TEXT NOT NULL,           -- 'problem.create', 'task.accept' …\n"
	"  entity TEXT NOT NULL,\n"
	"  entity_id INTEGER NOT NULL,\n"
	"  payload TEXT NOT NULL,        -- compact JSON, hashed exactly as stored\n"
	"  prev_hash BLOB NOT NULL,\n"
	"  hash BLOB NOT NULL);\n"
	"CREATE INDEX event_entity ON event(entity, entity_id, seq);\n"

	/* Projections. */
	"CREATE TABLE unit(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent_id INTEGER REFERENCES unit(id),\n"
	"  name TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,           -- county township department company village community group\n"
	"  peer_group TEXT NOT NULL DEFAULT '',\n"
	"  path TEXT NOT NULL UNIQUE,    -- '/1/5/23/': ancestors and self; a subtree is a path range\n"
	"  created_at INTEGER NOT NULL);\n"
	"CREATE TABLE user(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  username TEXT NOT NULL UNIQUE,\n"
	"  display_name TEXT NOT NULL,\n"
	"  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
	"  active INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at INTEGER NOT NULL);\n"
	"CREATE TABLE user_grant(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES user(id),\n"
	"  role TEXT NOT NULL,\n"
	"  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
	"  active INTEGER NOT NULL DEFAULT 1,\n"
	"  UNIQUE(user_id, role, unit_id));\n"
	"CREATE TABLE category(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent_id INTEGER REFERENCES category(id),\n"
	"  name TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL);\n"
	"CREATE TABLE calendar_day(\n"
	"  date TEXT PRIMARY KEY,        -- YYYY-MM-DD\n"
	"  kind INTEGER NOT NULL,        -- 0 ordinary (override removed), 1 holiday, 2 worked weekend day\n"
	"  name TEXT NOT NULL DEFAULT '');\n"
	"CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
	"CREATE TABLE visit(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
	"  unit_path TEXT NOT NULL,\n"
	"  cadre_id INTEGER NOT NULL REFERENCES user(id),\n"
	"  visited_on TEXT NOT NULL,\n"
	"  household TEXT NOT NULL DEFAULT '', -- masked label of the household (e.g. 张*家)\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL);\n"
	"CREATE INDEX visit_unit ON visit(unit_path, visited_on);\n"
	"CREATE TABLE problem(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  code TEXT NOT NULL UNIQUE,    -- the resident's tracking code\n"
	"  unit_id INTEGER NOT NULL REFERENCES unit(id), -- village/group where it was raised\n"
	"  unit_path TEXT NOT NULL,\n"
	"  category_id INTEGER REFERENCES category(id),\n"
	"  source TEXT NOT NULL,         -- visit web hotline meeting import\n"
	"  description TEXT NOT NULL,\n"
	"  state TEXT NOT NULL,          -- new assigned merged declined\n"
	"  task_id INTEGER REFERENCES task(id),\n"
	"  merged_into INTEGER REFERENCES problem(id),\n"
	"  decline_reason TEXT,\n"
	"  visit_id INTEGER REFERENCES visit(id),\n"
	"  anonymous INTEGER NOT NULL DEFAULT 0,\n"
	"  no_disclose INTEGER NOT NULL DEFAULT 0,\n"
	"  reporter_masked TEXT,         -- 张* (NULL when anonymous or not given)\n"
	"  created_by INTEGER NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL);\n"
	"CREATE INDEX problem_list ON problem(unit_path, created_at);\n"
	"CREATE INDEX problem_state ON problem(state, created_at);\n"
	"CREATE INDEX problem_task ON problem(task_id);\n"
	/* Residents' personal data: sealed (libsodium secretbox, base64), never plaintext. */
	"CREATE TABLE problem_pii(\n"
	"  problem_id INTEGER PRIMARY KEY REFERENCES problem(id),\n"
	"  name TEXT, phone TEXT, id_no TEXT, address TEXT);\n"
	"CREATE VIRTUAL TABLE problem_fts USING fts5(description, content='problem', content_rowid='id',"
	" tokenize='trigram');\n"
	"CREATE TRIGGER problem_fts_ins AFTER INSERT ON problem BEGIN\n"
	"  INSERT INTO problem_fts(rowid, description) VALUES (new.id, new.description); END;\n"
	"CREATE TRIGGER problem_fts_upd AFTER UPDATE OF description ON problem BEGIN\n"
	"  INSERT INTO problem_fts(problem_fts, rowid, description) VALUES('delete', old.id, old.description);\n"
	"  INSERT INTO problem_fts(rowid, description) VALUES (new.id, new.description); END;\n"
	"CREATE TABLE task(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  title TEXT NOT NULL,\n"
	"  measures TEXT NOT NULL DEFAULT '',\n"
	"  state TEXT NOT NULL,\n"
	"  tier TEXT NOT NULL,\n"
	"  urgency TEXT NOT NULL,\n"
	"  category_id INTEGER REFERENCES category(id),\n"
	"  origin_unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
	"  origin_path TEXT NOT NULL,\n"
	"  unit_id INTEGER REFERENCES unit(id),   -- handling unit\n"
	"  unit_path TEXT,\n"
	"  handler_id INTEGER REFERENCES user(id),\n"
	"  leader_id INTEGER REFERENCES user(id),\n"
	"  assigned_on TEXT, respond_by TEXT, deadline TEXT, responded_on TEXT,\n"
	"  completed_on TEXT, signed_off_on TEXT,\n"
	"  extensions_used INTEGER NOT NULL DEFAULT 0,\n"
	"  max_extensions INTEGER NOT NULL DEFAULT 0,\n"
	"  extension_days INTEGER NOT NULL DEFAULT 0,\n"
	"  outcome TEXT NOT NULL DEFAULT '',\n"
	"  solved INTEGER NOT NULL DEFAULT -1,\n"
	"  satisfaction TEXT NOT NULL DEFAULT '',\n"
	"  unreachable_days INTEGER NOT NULL DEFAULT 0,\n"
	"  last_unreachable_on TEXT,\n"
	"  followed_up INTEGER NOT NULL DEFAULT 0,\n"
	"  progress INTEGER NOT NULL DEFAULT 0,\n"
	"  reopen_count INTEGER NOT NULL DEFAULT 0,\n"
	"  exception INTEGER NOT NULL DEFAULT 0,\n"
	"  created_by INTEGER NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL);\n"
	"CREATE INDEX task_state_deadline ON task(state, deadline);\n"
	"CREATE INDEX task_unit_deadline ON task(unit_path, deadline);\n"
	"CREATE INDEX task_origin_deadline ON task(origin_path, deadline);\n"
	"CREATE INDEX task_handler ON task(handler_id, state);\n"
	"CREATE VIRTUAL TABLE task_fts USING fts5(title, measures, content='task', content_rowid='id',"
	" tokenize='trigram');\n"
	"CREATE TRIGGER task_fts_ins AFTER INSERT ON task BEGIN\n"
	"  INSERT INTO task_fts(rowid, title, measures) VALUES (new.id, new.title, new.measures); END;\n"
	"CREATE TRIGGER task_fts_upd AFTER UPDATE OF title, measures ON task BEGIN\n"
	"  INSERT INTO task_fts(task_fts, rowid, title, measures) VALUES('delete', old.id, old.title, old.measures);\n"
	"  INSERT INTO task_fts(rowid, title, measures) VALUES (new.id, new.title, new.measures); END;\n"

	/* Operational: not part of the record, not replayed. */
	"CREATE TABLE credential(\n"
	"  user_id INTEGER PRIMARY KEY REFERENCES user(id),\n"
	"  pw_hash TEXT NOT NULL,        -- argon2id (libsodium crypto_pwhash_str)\n"
	"  failed INTEGER NOT NULL DEFAULT 0,\n"
	"  locked_until INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE TABLE session(\n"
	"  token_hash BLOB PRIMARY KEY,  -- SHA-256 of the token; the token itself is never stored\n"
	"  user_id INTEGER NOT NULL REFERENCES user(id),\n"
	"  kind TEXT NOT NULL,           -- session | token\n"
	"  label TEXT NOT NULL DEFAULT '',\n"
	"  created_at INTEGER NOT NULL,\n"
	"  expires_at INTEGER NOT NULL,\n"
	"  revoked INTEGER NOT NULL DEFAULT 0);\n",

	/* 2: new problems are indexed for text search in batches by the writer after their commit
	 * (src/store/search.c), not by a trigger inside the intake transaction: one FTS5 segment
	 * per batch instead of one per group commit.  meta.fts_problem_upto is the highest problem
	 * id indexed; searches cover the rest by a plain substring scan. */
	"DROP TRIGGER problem_fts_ins;\n"
	"INSERT INTO meta(key, value) SELECT 'fts_problem_upto', coalesce(max(id), 0) FROM problem;\n",

	/* 3: task lists read in deadline order and filter by scope on the index alone: the paths
	 * ride along in the (state, deadline) and (deadline) indexes, so rows outside the scope
	 * are skipped without touching the table, and no list needs a sort. */
	"DROP INDEX task_state_deadline;\n"
	"CREATE INDEX task_state_deadline ON task(state, deadline, unit_path, origin_path);\n"
	"CREATE INDEX task_deadline ON task(deadline, unit_path, origin_path);\n",

	/* 4: the record seals the free text people type; the projections hold it masked only
	 * (store/text.h).  The work is code, not SQL — it needs the personal-data key: events are
	 * rewritten with their text sealed, the hash chain is recomputed (a record.reseal event keeps
	 * the old head) and the projections are remasked (store/upgrade.c). */
	"-- see upgrade_seal_record() in src/store/upgrade.c\n"
	/* The keyed hash of the reporter's phone (store/seal.c): the exact lookup by phone for the
	 * personal-data right goes through it; search never sees a number.  Its index is kept like
	 * the text index, in batches after commit (search.c): an index on problem_pii itself, one
	 * random leaf per intake, cost a fifth of durable intake throughput.  Rows above
	 * meta.fts_problem_upto are found by a range scan of problem_pii. */
	"ALTER TABLE problem_pii ADD COLUMN phone_hash TEXT;\n"
	"CREATE TABLE phone_index(phone_hash TEXT NOT NULL, problem_id INTEGER NOT NULL,\n"
	"  PRIMARY KEY(phone_hash, problem_id)) WITHOUT ROWID;\n",

	/* 5 (issue 7, the list read path): meta.org_version counts every change to what a read
	 * handle caches (store/cache.c: sessions, grants, units, users' names) — bumped by these
	 * triggers in the writing transaction itself, whoever writes (the server, the CLI, a replay),
	 * so a reader that sees a new data version reads the counter and drops its caches.  And the
	 * township-sized task lists (a subtree two levels down: a township or a county department,
	 * as a filter or as the caller's one subtree) walk only their own tasks in deadline order:
	 * the two indexes key the subtree of each path (PATH_L2, store/schema.h, spelled there
	 * once for the index and the query) after the state; a list merges the two (store/task.c). */
	"INSERT OR REPLACE INTO meta(key, value) VALUES('org_version', '1');\n"
	ORG_BUMP("unit") ORG_BUMP("user") ORG_BUMP("user_grant") ORG_BUMP("category") ORG_BUMP("session")
	"CREATE INDEX task_state_unit_l2 ON task(state, " PATH_L2("unit_path") ", deadline, unit_path, origin_path);\n"
	"CREATE INDEX task_state_origin_l2 ON task(state, " PATH_L2("origin_path") ", deadline, unit_path, origin_path);\n",

	/* 6: smaller events (store/event.c, store/item.h), no change to any table: an action's row
	 * carries the columns it changed, not the whole row; a create's rows leave out what INSERT
	 * gives anyway (NULL, or the column's DEFAULT — so no DEFAULT of a projection column may
	 * ever change); prev_hash is stored empty (it is the previous event's hash).  Old events
	 * are left as they are: a full row is a superset of the change and replays the same, and
	 * check accepts either prev_hash.  The version is raised so that an older program refuses
	 * the database instead of misreading its chain. */
	"-- the event format of schema 6: nothing to convert\n",

	/* 7: event payloads stored deflated with a preset dictionary (store/payload.h): a BLOB of
	 * the dictionary's version byte and a raw deflate stream; the hash stays over the
	 * canonical text.  Old events stay TEXT (the column's type tells the forms apart), nothing
	 * is converted.  The version is raised so that an older program refuses the database
	 * instead of reading a BLOB as text. */
	"-- the event payload form of schema 7: nothing to convert\n",

	/* 8 (issue 7, storage and intake): the text indexes keep which rows hold a trigram and no
	 * longer where in the row (detail=none: ~300 bytes a task less, and less for the indexer to
	 * merge); search asks them with LIKE, which FTS5 answers from the trigrams and then checks
	 * against the text itself (store/filter.h fts_like), where it used a phrase MATCH that needs
	 * the positions.  Rebuilt here from the projections: tasks whole, problems up to
	 * meta.fts_problem_upto (the indexer does the rest, search.c).  And new event payloads are
	 * written in format 2, zstd with a trained dictionary (store/payload.h); rows of format 1 and
	 * TEXT stay as they are.  The version is raised so that an older program refuses the
	 * database instead of failing on a payload it cannot read. */
	"DROP TRIGGER problem_fts_upd;\n"
	"DROP TABLE problem_fts;\n"
	"CREATE VIRTUAL TABLE problem_fts USING fts5(description, content='problem', content_rowid='id',"
	" tokenize='trigram', detail='none', columnsize=0);\n"
	"INSERT INTO problem_fts(rowid, description) SELECT id, description FROM problem\n"
	"  WHERE id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto');\n"
	"CREATE TRIGGER problem_fts_upd AFTER UPDATE OF description ON problem BEGIN\n"
	"  INSERT INTO problem_fts(problem_fts, rowid, description) VALUES('delete', old.id, old.description);\n"
	"  INSERT INTO problem_fts(rowid, description) VALUES (new.id, new.description); END;\n"
	"DROP TRIGGER task_fts_ins;\n"
	"DROP TRIGGER task_fts_upd;\n"
	"DROP TABLE task_fts;\n"
	"CREATE VIRTUAL TABLE task_fts USING fts5(title, measures, content='task', content_rowid='id',"
	" tokenize='trigram', detail='none', columnsize=0);\n"
	"INSERT INTO task_fts(task_fts) VALUES('rebuild');\n"
	"CREATE TRIGGER task_fts_ins AFTER INSERT ON task BEGIN\n"
	"  INSERT INTO task_fts(rowid, title, measures) VALUES (new.id, new.title, new.measures); END;\n"
	"CREATE TRIGGER task_fts_upd AFTER UPDATE OF title, measures ON task BEGIN\n"
	"  INSERT INTO task_fts(task_fts, rowid, title, measures) VALUES('delete', old.id, old.title, old.measures);\n"
	"  INSERT INTO task_fts(rowid, title, measures) VALUES (new.id, new.title, new.measures); END;\n",

	/* 9 (issue 9, loop): a verdict records who gave it and how (core/task.h enum verdict_channel),
	 * and each follow-up is an attempt counted in its round — written by the task machine's
	 * effects, replayed by check like every task column (old events carry none: NULL, '' and 0). */
	"ALTER TABLE task ADD COLUMN verdict_by INTEGER REFERENCES user(id);\n"
	"ALTER TABLE task ADD COLUMN verdict_channel TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE task ADD COLUMN follow_up_attempts INTEGER NOT NULL DEFAULT 0;\n"
	/* 9 (issue 9, signed record): the chain heads the signer signed (store/signer.c), one row
	 * per (seq, key): the head's hash, when it was signed (ms) and the Ed25519 signature.  An
	 * operational table — not replayed by check, whose --heads verifies the copies kept
	 * elsewhere: a copy inside the database is rewritten by whoever rewrites the log. */
	"CREATE TABLE chain_sig(\n"
	"  seq INTEGER NOT NULL,\n"
	"  key_id TEXT NOT NULL,\n"
	"  hash BLOB NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  sig BLOB NOT NULL,\n"
	"  PRIMARY KEY (seq, key_id));\n"
	/* 9 (issue 9, admin): the audit log (store/audit.c) — an operational table, not part of the
	 * replayed record (check leaves it alone): written by the audit writer's own thread and
	 * connection in batches, purged past the retention (≥ 180 days).  Who (id and name; for a
	 * failed login the name submitted), from where, what (method, route, entity), how it ended. */
	"CREATE TABLE audit(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at INTEGER NOT NULL,               -- ms since the epoch\n"
	"  user_id INTEGER NOT NULL DEFAULT 0, -- 0: nobody logged in (or the host)\n"
	"  username TEXT NOT NULL DEFAULT '',\n"
	"  client TEXT NOT NULL DEFAULT '',    -- the client's address\n"
	"  method TEXT NOT NULL DEFAULT '',\n"
	"  route TEXT NOT NULL DEFAULT '',     -- the path asked\n"
	"  entity_id INTEGER NOT NULL DEFAULT 0,\n"
	"  kind TEXT NOT NULL,                 -- core/audit.h audit_kind_names\n"
	"  outcome TEXT NOT NULL,              -- ok | denied | failed\n"
	"  status INTEGER NOT NULL DEFAULT 0,  -- the HTTP status\n"
	"  detail TEXT NOT NULL DEFAULT '');\n"
	"CREATE INDEX audit_at ON audit(at);\n"
	"CREATE INDEX audit_user_at ON audit(user_id, at);\n"
	/* 9 (issue 9, logins and tokens): failed logins are counted per submitted name and per client
	 * address in login_throttle (operational, bounded: store/session.c evicts the oldest rows
	 * beyond LOGIN_THROTTLE_ROWS), keyed by a SHA-256 so no typed name is kept; the old
	 * credential.failed / locked_until are no longer read.  A session gets an id (what
	 * GET /tokens lists and /tokens/{id}/revoke names; rows from before 9 get minus their rowid:
	 * they were made before login events named their session, and check knows them by it), a
	 * scope (read | write, core/token.h) and the coarse time of its last use (written at most
	 * once a minute, web/auth.c), which must not drop every reader's cache: the update trigger
	 * of migration 5 now fires only for the columns a cache holds. */
	"CREATE TABLE login_throttle(\n"
	"  key BLOB PRIMARY KEY,         -- SHA-256 of 'name:' + the lower-cased name, or 'addr:' + address\n"
	"  failures INTEGER NOT NULL,\n"
	"  last_at INTEGER NOT NULL,     -- ms: the last counted failure\n"
	"  until_at INTEGER NOT NULL);   -- ms: backed off until\n"
	"CREATE INDEX login_throttle_last ON login_throttle(last_at);\n"
	"ALTER TABLE session ADD COLUMN id INTEGER;\n"
	"ALTER TABLE session ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';\n"
	"ALTER TABLE session ADD COLUMN last_used INTEGER NOT NULL DEFAULT 0;\n"
	"UPDATE session SET id = -rowid, last_used = created_at;\n"
	"CREATE UNIQUE INDEX session_id ON session(id);\n"
	"CREATE INDEX session_by_user ON session(user_id);\n"
	"DROP TRIGGER session_update_org;\n"
	"CREATE TRIGGER session_update_org AFTER UPDATE OF token_hash, user_id, kind, scope, expires_at, revoked\n"
	"  ON session BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'org_version'; END;\n"
	/* 9 (issue 9, totp): a user's optional one-time-code secret (RFC 6238, web/totp.c), sealed
	 * with the database key (store/seal.c), whether it is on (set once a code confirmed it), and the
	 * 30-s step of the last code accepted (a code is good once: RFC 6238 §5.2). */
	"ALTER TABLE credential ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';  -- sealed base32; '': none\n"
	"ALTER TABLE credential ADD COLUMN totp_on INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE credential ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;  -- the last step used: no replay\n",
	/* 10 (issue 10, the pages): two partial indexes.  The new problems of one village by time —
	 * the candidates the triage queue compares each of its rows with (store_problem_nearby with
	 * only_new): a few dozen where problem_list would walk every problem of the village's window
	 * (about 1,400 of them at 1,000,000 tasks), and the index holds only what is waiting for
	 * triage.  And the duplicates of a problem by its merged_into: a task's follow-up reaches the
	 * residents of the problems merged into its problems, down every merge chain
	 * (store/problem.c store_task_duplicates). */
	"CREATE INDEX problem_new_near ON problem(unit_path, created_at) WHERE state = 'new';\n"
	"CREATE INDEX problem_merged ON problem(merged_into) WHERE merged_into IS NOT NULL;\n",
};

int schema_count(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *schema_migration(int n)
{
	return n >= 1 && n <= schema_count() ? migrations[n - 1] : NULL;
}

/* Tables that are projections of the event log, with their conflict keys and columns.  The
 * writer upserts event rows into them and `check` compares them with a replay. */
static const char *const unit_cols[] = {"id", "parent_id", "name", "kind", "peer_group", "path", "created_at", NULL};
static const char *const user_cols[] = {"id", "username", "display_name", "unit_id", "active", "created_at", NULL};
static const char *const grant_cols[] = {"id", "user_id", "role", "unit_id", "active", NULL};
static const char *const category_cols[] = {"id", "parent_id", "name", "created_at", NULL};
static const char *const calendar_cols[] = {"date", "kind", "name", NULL};
static const char *const setting_cols[] = {"key", "value", NULL};
static const char *const visit_cols[] = {"id", "unit_id", "unit_path", "cadre_id", "visited_on", "household", "note", "created_at", NULL};
static const char *const problem_cols[] = {
	"id", "code", "unit_id", "unit_path", "category_id", "source", "description", "state", "task_id",
	"merged_into", "decline_reason", "visit_id", "anonymous", "no_disclose", "reporter_masked",
	"created_by", "created_at", "updated_at", NULL};
static const char *const pii_cols[] = {"problem_id", "name", "phone", "id_no", "address", "phone_hash", NULL};
static const char *const task_cols[] = {
	"id", "title", "measures", "state", "tier", "urgency", "category_id", "origin_unit_id",
	"origin_path", "unit_id", "unit_path", "handler_id", "leader_id", "assigned_on", "respond_by",
	"deadline", "responded_on", "completed_on", "signed_off_on", "extensions_used", "max_extensions",
	"extension_days", "outcome", "solved", "satisfaction", "unreachable_days", "last_unreachable_on",
	"followed_up", "progress", "reopen_count", "exception", "created_by", "created_at", "updated_at",
	"verdict_by", "verdict_channel", "follow_up_attempts", NULL};

/* Free text people type: sealed in the record, masked in the projection (store/text.h). */
static const char *const visit_texts[] = {"note", NULL};
static const char *const problem_texts[] = {"description", "decline_reason", NULL};
static const char *const task_texts[] = {"title", "measures", NULL};

static const struct schema_table tables[] = {
	{"unit", "id", unit_cols, NULL, NULL},
	{"user", "id", user_cols, NULL, NULL},
	{"user_grant", "id", grant_cols, NULL, NULL},
	{"category", "id", category_cols, NULL, NULL},
	{"calendar_day", "date", calendar_cols, NULL, NULL},
	{"setting", "key", setting_cols, NULL, NULL},
	{"visit", "id", visit_cols, visit_texts, "household"},
	{"task", "id", task_cols, task_texts, NULL},
	{"problem", "id", problem_cols, problem_texts, NULL},
	{"problem_pii", "problem_id", pii_cols, NULL, NULL},
};

/* Tables of kinds registered at run time (store_kind_register: a machine kind configured outside
 * this file, today the test-only kinds): appended after the built-in ones, with their DDL. */
#define SCHEMA_EXTRA 8
static struct schema_table all[sizeof tables / sizeof tables[0] + SCHEMA_EXTRA];
static const char *extra_ddl[SCHEMA_EXTRA];
static int nextra;

const struct schema_table *schema_tables(int *n)
{
	*n = (int)(sizeof tables / sizeof tables[0]);
	if (!nextra)
		return tables;
	*n += nextra;
	return all;
}

const struct schema_table *schema_table(const char *name)
{
	int n;
	const struct schema_table *t = schema_tables(&n);
	for (int i = 0; i < n; i++) {
		const char *a = t[i].name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return &t[i];
	}
	return NULL;
}

int schema_register(const struct schema_table *t, const char *ddl)
{
	if (schema_table(t->name))
		return 0;
	if (nextra == SCHEMA_EXTRA)
		return -1;
	if (!nextra)
		memcpy(all, tables, sizeof tables);
	all[sizeof tables / sizeof tables[0] + (size_t)nextra] = *t;
	extra_ddl[nextra++] = ddl;
	return 0;
}

const char *schema_extra_ddl(int i)
{
	return i >= 0 && i < nextra ? extra_ddl[i] : NULL;
}

int schema_text_cols(const struct schema_table *t, const char **out, int max)
{
	int n = 0;
	for (int i = 0; t->texts && t->texts[i]; i++) {
		assert(n < max); /* callers size out for every table's free-text columns */
		if (n < max)
			out[n++] = t->texts[i];
	}
	if (t->label) {
		assert(n < max);
		if (n < max)
			out[n++] = t->label;
	}
	return n;
}

int schema_is_text(const struct schema_table *t, const char *col)
{
	if (t->label && strcmp(t->label, col) == 0)
		return 2;
	for (int i = 0; t->texts && t->texts[i]; i++)
		if (strcmp(t->texts[i], col) == 0)
			return 1;
	return 0;
}
