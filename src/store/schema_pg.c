/* schema_pg.c — the PostgreSQL schema as numbered, append-only migrations (issue 8; the SQLite
 * ones are schema.c).  Never edit a migration that has shipped: add the next one.  Each backend
 * numbers its own: PostgreSQL's 1 is the end state of SQLite's 1–8, table for table and column
 * for column (tests/api/test_pg_schema.py compares the two), with these differences, each for a
 * reason of the engine:
 *   - every INTEGER is bigint (ids, and times in ms since the epoch, which pass 2^31), BLOB is
 *     bytea; the event payload is always the packed form (bytea, store/payload.h);
 *   - paths, codes, dates, states, kinds and roles are COLLATE "C": lists compare and range-scan
 *     them byte for byte, as SQLite does (a path range, filter.c where_subtree, needs it);
 *   - the table `user` keeps its name, quoted (a reserved word in PostgreSQL);
 *   - text search is pg_trgm GIN on the columns themselves (no FTS tables, no triggers, no
 *     batched indexer: the index is kept in the writing transaction); it needs a UTF-8 LC_CTYPE,
 *     which pg.c checks before migrating (docs/postgres.md, "Chinese substring search");
 *   - meta.org_version is bumped by one statement trigger per table and announced with
 *     pg_notify('qd_org', …) at commit, for the readers of every server (store/cache.c's role);
 *   - chain_head: one row, locked FOR UPDATE by a batch of writes, holding the hash chain's head
 *     and the id counters, so that several servers keep one chain (issue 8 §2). */
#include "store/schema_pg.h"
#include "store/schema.h"
#include <stddef.h>

#define PG_ORG_BUMP(name, t)                                                                               \
	"CREATE TRIGGER " name "_org AFTER INSERT OR UPDATE OR DELETE ON " t " FOR EACH STATEMENT "        \
	"EXECUTE FUNCTION qd_org_bump();\n"

static const char *const migrations[] = {
	/* 1: the schema of SQLite's migrations 1–8, in one step */
	"CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
	"CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);\n"

	/* The record: append-only, hash-chained. */
	"CREATE TABLE event(\n"
	"  seq bigint PRIMARY KEY,\n"
	"  at bigint NOT NULL,\n"
	"  actor bigint NOT NULL,\n"
	"  kind text COLLATE \"C\" NOT NULL,\n"
	"  entity text COLLATE \"C\" NOT NULL,\n"
	"  entity_id bigint NOT NULL,\n"
	"  payload bytea NOT NULL,\n"
	"  prev_hash bytea NOT NULL,\n"
	"  hash bytea NOT NULL);\n"
	"CREATE INDEX event_entity ON event(entity, entity_id, seq);\n"
	"CREATE TABLE chain_head(\n"
	"  one integer PRIMARY KEY CHECK (one = 1),\n"
	"  seq bigint NOT NULL,\n"
	"  hash bytea NOT NULL);\n"
	"INSERT INTO chain_head VALUES (1, 0, ''::bytea);\n"

	/* Projections. */
	"CREATE TABLE unit(\n"
	"  id bigint PRIMARY KEY,\n"
	"  parent_id bigint REFERENCES unit(id),\n"
	"  name text NOT NULL,\n"
	"  kind text COLLATE \"C\" NOT NULL,\n"
	"  peer_group text COLLATE \"C\" NOT NULL DEFAULT '',\n"
	"  path text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  created_at bigint NOT NULL);\n"
	"CREATE TABLE \"user\"(\n"
	"  id bigint PRIMARY KEY,\n"
	"  username text NOT NULL UNIQUE,\n"
	"  display_name text NOT NULL,\n"
	"  unit_id bigint NOT NULL REFERENCES unit(id),\n"
	"  active bigint NOT NULL DEFAULT 1,\n"
	"  created_at bigint NOT NULL);\n"
	"CREATE TABLE user_grant(\n"
	"  id bigint PRIMARY KEY,\n"
	"  user_id bigint NOT NULL REFERENCES \"user\"(id),\n"
	"  role text COLLATE \"C\" NOT NULL,\n"
	"  unit_id bigint NOT NULL REFERENCES unit(id),\n"
	"  active bigint NOT NULL DEFAULT 1,\n"
	"  UNIQUE(user_id, role, unit_id));\n"
	"CREATE TABLE category(\n"
	"  id bigint PRIMARY KEY,\n"
	"  parent_id bigint REFERENCES category(id),\n"
	"  name text NOT NULL,\n"
	"  created_at bigint NOT NULL);\n"
	"CREATE TABLE calendar_day(\n"
	"  date text COLLATE \"C\" PRIMARY KEY,\n"
	"  kind bigint NOT NULL,\n"
	"  name text NOT NULL DEFAULT '');\n"
	"CREATE TABLE setting(key text PRIMARY KEY, value text NOT NULL);\n"
	"CREATE TABLE visit(\n"
	"  id bigint PRIMARY KEY,\n"
	"  unit_id bigint NOT NULL REFERENCES unit(id),\n"
	"  unit_path text COLLATE \"C\" NOT NULL,\n"
	"  cadre_id bigint NOT NULL REFERENCES \"user\"(id),\n"
	"  visited_on text COLLATE \"C\" NOT NULL,\n"
	"  household text NOT NULL DEFAULT '',\n"
	"  note text NOT NULL DEFAULT '',\n"
	"  created_at bigint NOT NULL);\n"
	"CREATE INDEX visit_unit ON visit(unit_path, visited_on);\n"
	"CREATE TABLE task(\n"
	"  id bigint PRIMARY KEY,\n"
	"  title text NOT NULL,\n"
	"  measures text NOT NULL DEFAULT '',\n"
	"  state text COLLATE \"C\" NOT NULL,\n"
	"  tier text COLLATE \"C\" NOT NULL,\n"
	"  urgency text COLLATE \"C\" NOT NULL,\n"
	"  category_id bigint REFERENCES category(id),\n"
	"  origin_unit_id bigint NOT NULL REFERENCES unit(id),\n"
	"  origin_path text COLLATE \"C\" NOT NULL,\n"
	"  unit_id bigint REFERENCES unit(id),\n"
	"  unit_path text COLLATE \"C\",\n"
	"  handler_id bigint REFERENCES \"user\"(id),\n"
	"  leader_id bigint REFERENCES \"user\"(id),\n"
	"  assigned_on text COLLATE \"C\", respond_by text COLLATE \"C\", deadline text COLLATE \"C\",\n"
	"  responded_on text COLLATE \"C\", completed_on text COLLATE \"C\", signed_off_on text COLLATE \"C\",\n"
	"  extensions_used bigint NOT NULL DEFAULT 0,\n"
	"  max_extensions bigint NOT NULL DEFAULT 0,\n"
	"  extension_days bigint NOT NULL DEFAULT 0,\n"
	"  outcome text COLLATE \"C\" NOT NULL DEFAULT '',\n"
	"  solved bigint NOT NULL DEFAULT -1,\n"
	"  satisfaction text COLLATE \"C\" NOT NULL DEFAULT '',\n"
	"  unreachable_days bigint NOT NULL DEFAULT 0,\n"
	"  last_unreachable_on text COLLATE \"C\",\n"
	"  followed_up bigint NOT NULL DEFAULT 0,\n"
	"  progress bigint NOT NULL DEFAULT 0,\n"
	"  reopen_count bigint NOT NULL DEFAULT 0,\n"
	"  exception bigint NOT NULL DEFAULT 0,\n"
	"  created_by bigint NOT NULL,\n"
	"  created_at bigint NOT NULL,\n"
	"  updated_at bigint NOT NULL);\n"
	/* SQLite sorts NULL first; so do these indexes and the lists that read them */
	"CREATE INDEX task_unit_deadline ON task(unit_path, deadline NULLS FIRST);\n"
	"CREATE INDEX task_origin_deadline ON task(origin_path, deadline NULLS FIRST);\n"
	"CREATE INDEX task_handler ON task(handler_id, state);\n"
	"CREATE INDEX task_state_deadline ON task(state, deadline NULLS FIRST, unit_path, origin_path);\n"
	"CREATE INDEX task_deadline ON task(deadline NULLS FIRST, unit_path, origin_path);\n"
	"CREATE INDEX task_state_unit_l2 ON task(state, " PG_PATH_L2("unit_path") ", deadline NULLS FIRST, unit_path, origin_path);\n"
	"CREATE INDEX task_state_origin_l2 ON task(state, " PG_PATH_L2("origin_path") ", deadline NULLS FIRST, unit_path, origin_path);\n"
	"CREATE INDEX task_text ON task USING gin (title gin_trgm_ops, measures gin_trgm_ops);\n"
	"CREATE TABLE problem(\n"
	"  id bigint PRIMARY KEY,\n"
	"  code text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  unit_id bigint NOT NULL REFERENCES unit(id),\n"
	"  unit_path text COLLATE \"C\" NOT NULL,\n"
	"  category_id bigint REFERENCES category(id),\n"
	"  source text COLLATE \"C\" NOT NULL,\n"
	"  description text NOT NULL,\n"
	"  state text COLLATE \"C\" NOT NULL,\n"
	"  task_id bigint REFERENCES task(id),\n"
	"  merged_into bigint REFERENCES problem(id),\n"
	"  decline_reason text,\n"
	"  visit_id bigint REFERENCES visit(id),\n"
	"  anonymous bigint NOT NULL DEFAULT 0,\n"
	"  no_disclose bigint NOT NULL DEFAULT 0,\n"
	"  reporter_masked text,\n"
	"  created_by bigint NOT NULL,\n"
	"  created_at bigint NOT NULL,\n"
	"  updated_at bigint NOT NULL);\n"
	"CREATE INDEX problem_list ON problem(unit_path, created_at);\n"
	"CREATE INDEX problem_state ON problem(state, created_at);\n"
	"CREATE INDEX problem_task ON problem(task_id);\n"
	"CREATE INDEX problem_text ON problem USING gin (description gin_trgm_ops);\n"
	"CREATE TABLE problem_pii(\n"
	"  problem_id bigint PRIMARY KEY REFERENCES problem(id),\n"
	"  name text, phone text, id_no text, address text, phone_hash text COLLATE \"C\");\n"
	"CREATE TABLE phone_index(phone_hash text COLLATE \"C\" NOT NULL, problem_id bigint NOT NULL,\n"
	"  PRIMARY KEY(phone_hash, problem_id));\n"

	/* Operational: not part of the record, not replayed. */
	"CREATE TABLE credential(\n"
	"  user_id bigint PRIMARY KEY REFERENCES \"user\"(id),\n"
	"  pw_hash text NOT NULL,\n"
	"  failed bigint NOT NULL DEFAULT 0,\n"
	"  locked_until bigint NOT NULL DEFAULT 0);\n"
	"CREATE TABLE session(\n"
	"  token_hash bytea PRIMARY KEY,\n"
	"  user_id bigint NOT NULL REFERENCES \"user\"(id),\n"
	"  kind text COLLATE \"C\" NOT NULL,\n"
	"  label text NOT NULL DEFAULT '',\n"
	"  created_at bigint NOT NULL,\n"
	"  expires_at bigint NOT NULL,\n"
	"  revoked bigint NOT NULL DEFAULT 0);\n"

	/* What a reader caches (sessions, grants, units, users' names) changed: count it, and tell
	 * every server's readers at commit. */
	"INSERT INTO meta(key, value) VALUES ('org_version', '1');\n"
	"CREATE FUNCTION qd_org_bump() RETURNS trigger LANGUAGE plpgsql AS $$\n"
	"DECLARE v bigint;\n"
	"BEGIN\n"
	"  UPDATE meta SET value = (CAST(value AS bigint) + 1)::text WHERE key = 'org_version'\n"
	"    RETURNING CAST(value AS bigint) INTO v;\n"
	"  PERFORM pg_notify('qd_org', v::text);\n"
	"  RETURN NULL;\n"
	"END $$;\n" PG_ORG_BUMP("unit", "unit") PG_ORG_BUMP("user", "\"user\"")
		PG_ORG_BUMP("user_grant", "user_grant") PG_ORG_BUMP("category", "category") PG_ORG_BUMP("session", "session"),

	/* 2 (issue 8, serving): the search by phone reads problem_pii itself — SQLite keeps a batched
	 * phone_index beside it (search.c), which no writer here maintains. */
	"CREATE INDEX problem_pii_phone ON problem_pii(phone_hash, problem_id);\n",

	/* 3 (issue 9, loop): who recorded the round's verdict, its channel, the follow-up attempts
	 * (SQLite migration 9). */
	"ALTER TABLE task ADD COLUMN verdict_by bigint REFERENCES \"user\"(id);\n"
	"ALTER TABLE task ADD COLUMN verdict_channel text COLLATE \"C\" NOT NULL DEFAULT '';\n"
	"ALTER TABLE task ADD COLUMN follow_up_attempts bigint NOT NULL DEFAULT 0;\n"
	/* 3 (issue 9, signed record): SQLite's migration 9 — the signed chain heads, shared by
	 * every server (the elected signer writes them, store/signer.c). */
	"CREATE TABLE chain_sig(\n"
	"  seq bigint NOT NULL,\n"
	"  key_id text COLLATE \"C\" NOT NULL,\n"
	"  hash bytea NOT NULL,\n"
	"  at bigint NOT NULL,\n"
	"  sig bytea NOT NULL,\n"
	"  PRIMARY KEY (seq, key_id));\n"
	/* 3 (issue 9, admin): the audit log (store/audit.c), operational like SQLite's migration 9;
	 * the id an identity, so several servers append to one table without a counter of ours. */
	"CREATE TABLE audit(\n"
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
	"  at bigint NOT NULL,\n"
	"  user_id bigint NOT NULL DEFAULT 0,\n"
	"  username text NOT NULL DEFAULT '',\n"
	"  client text NOT NULL DEFAULT '',\n"
	"  method text NOT NULL DEFAULT '',\n"
	"  route text NOT NULL DEFAULT '',\n"
	"  entity_id bigint NOT NULL DEFAULT 0,\n"
	"  kind text NOT NULL,\n"
	"  outcome text NOT NULL,\n"
	"  status bigint NOT NULL DEFAULT 0,\n"
	"  detail text NOT NULL DEFAULT '');\n"
	"CREATE INDEX audit_at ON audit(at);\n"
	"CREATE INDEX audit_user_at ON audit(user_id, at);\n"
	/* 3 (issue 9, logins and tokens): SQLite's migration 9 — login_throttle, a session's id,
	 * scope and last use, and the session trigger fired only by the columns a cache holds. */
	"CREATE TABLE login_throttle(\n"
	"  key bytea PRIMARY KEY,\n"
	"  failures bigint NOT NULL,\n"
	"  last_at bigint NOT NULL,\n"
	"  until_at bigint NOT NULL);\n"
	"CREATE INDEX login_throttle_last ON login_throttle(last_at);\n"
	"ALTER TABLE session ADD COLUMN id bigint;\n"
	"ALTER TABLE session ADD COLUMN scope text COLLATE \"C\" NOT NULL DEFAULT 'write';\n"
	"ALTER TABLE session ADD COLUMN last_used bigint NOT NULL DEFAULT 0;\n"
	"UPDATE session SET id = -s.n, last_used = session.created_at FROM\n"
	"  (SELECT token_hash, row_number() OVER (ORDER BY created_at, token_hash) AS n FROM session) s\n"
	"  WHERE session.token_hash = s.token_hash;\n"
	"CREATE UNIQUE INDEX session_id ON session(id);\n"
	"CREATE INDEX session_by_user ON session(user_id);\n"
	"DROP TRIGGER session_org ON session;\n"
	"CREATE TRIGGER session_org AFTER INSERT OR UPDATE OF token_hash, user_id, kind, scope, expires_at, revoked\n"
	"  OR DELETE ON session FOR EACH STATEMENT EXECUTE FUNCTION qd_org_bump();\n"
	/* 3 (issue 9, totp): SQLite's migration 9 — the sealed one-time-code secret and its switch. */
	"ALTER TABLE credential ADD COLUMN totp_secret text NOT NULL DEFAULT '';\n"
	"ALTER TABLE credential ADD COLUMN totp_on bigint NOT NULL DEFAULT 0;\n"
	"ALTER TABLE credential ADD COLUMN totp_step bigint NOT NULL DEFAULT 0;\n",

	/* 4 (issue 10, the pages): SQLite's migration 10 — the new problems of one village by time
	 * (the candidates the triage queue compares its rows with) and the duplicates of a problem by
	 * merged_into (a task's follow-up reaches their residents). */
	"CREATE INDEX problem_new_near ON problem(unit_path, created_at) WHERE state = 'new';\n"
	"CREATE INDEX problem_merged ON problem(merged_into) WHERE merged_into IS NOT NULL;\n",
};

int schema_pg_count(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *schema_pg_migration(int n)
{
	return n >= 1 && n <= schema_pg_count() ? migrations[n - 1] : NULL;
}
