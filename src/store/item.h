/* item.h (store) — items of any machine kind (core/machine.h) in the store, generically: load a
 * row into the kind's struct through the descriptor's column table, take an action (the machine
 * decides), record it as the event "<kind>.<action>", and read an item's history from the log.
 * Tasks are the first kind (store/task.c names task_kind); a new kind is a struct store_kind
 * naming its table — no act, load, save or history code of its own.
 *
 * The event of an action carries, besides the rows it writes ({"rows": {table: {id, the
 * MC_WRITTEN columns the action changed, updated_at, and any column the kind's hook adds}}}):
 * "action", "from", "to", the body's free-text fields (P_TEXT / P_STR) sealed (store/text.h) when
 * not empty, and its other fields as given.  Before schema 6 the row held every MC_WRITTEN
 * column, changed or not: a superset of the change, which replays to the same projection, so
 * old logs replay unchanged (an UPDATE of the columns a row names, store/event.c). */
#ifndef QD_STORE_ITEM_H
#define QD_STORE_ITEM_H
#include "base/row.h"
#include "core/machine.h"
#include "core/role.h"
#include "store/store.h"
#include <jansson.h>

struct schema_table; /* store/schema.h (private): a kind's projection table */

/* Who acts: user id and grants (the command recomputes scope on the item as it is now). */
struct actor {
	int64_t user_id;
	const struct grant *grants;
	int ngrants;
};

struct store_kind;

/* A kind's own check that needs the database, run after machine_may and before machine_act
 * (tasks: the unit, handler and leader of an assignment exist and fit).  It may add columns to
 * the event's row (row: the JSON object, not yet holding the machine's columns).  0 or -1. */
typedef int (*store_kind_hook)(struct store_tx *tx, const struct store_kind *k, const void *item, int action,
			       const json_t *body, json_t *row, struct qd_err *err);

struct store_kind {
	const struct machine *m;
	const char *table;          /* its projection table (also the event entity) */
	const char *path_any;       /* column holding the origin unit's path (NULL: path_handling) */
	const char *path_handling;  /* column holding the handling unit's path (may be NULL in a row) */
	store_kind_hook before_act; /* NULL = none */
	/* The residents' names known for the item (masking its events' free text), a new JSON array;
	 * NULL = none. */
	json_t *(*names)(struct store_rd *rd, const unsigned char *key, int64_t id);
	/* A kind configured outside store/schema.c: its projection table and DDL, registered by
	 * store_kind_register (NULL for the built-in task table). */
	const struct schema_table *schema;
	const char *ddl;
	/* What the kind adds to an action's event from the item after it (tasks: a follow-up's
	 * attempt number, channel and outcome, for the history); NULL = nothing. */
	void (*event_more)(const struct store_kind *k, const void *item, int action, json_t *extra);
};

/* Register k's table (schema_register) so events of the kind are applied and replayed by check;
 * before any store is opened.  0, or -1 with err. */
int store_kind_register(const struct store_kind *k, struct qd_err *err);

/* The kind's struct from a row of its table (a JSON object or a list row): every column of the
 * descriptor; absent or unknown values take the column's default.  item has m->size bytes. */
void store_item_from_row(const struct machine *m, const struct row *row, void *item);
/* The columns an action may write (MC_WRITTEN), as a new JSON object (caller owns). */
json_t *store_item_row(const struct machine *m, const void *item);
/* The id and the MC_WRITTEN columns whose value differs between before and after (two items of
 * m), as a new JSON object (caller owns): what an action changed. */
json_t *store_item_row_diff(const struct machine *m, const void *before, const void *after);
/* The row of item id of kind k (every column of its table; caller owns), or NULL. */
json_t *store_item_get(struct store_rd *rd, const struct store_kind *k, int64_t id);
/* Load item id of kind k and its scope paths (≥ 128 bytes each; "" when NULL).  0, or -1 with
 * QD_ENOTFOUND naming "id". */
int store_item_read(struct store_rd *rd, const struct store_kind *k, int64_t id, void *item, char *path_any,
		    char *path_handling, struct qd_err *err);
/* The item's events, oldest first, without their rows; free text in its masked form, each with
 * seq, at, actor_id, actor_name (masked for a resident) and kind.  A new array, or NULL when the
 * query fails (logged).  A kind without a machine (k->m NULL: the problems' events, read by
 * store/problem.c) names only its table; its events' other fields are given as they are. */
json_t *store_item_history(struct store_rd *rd, const struct store_kind *k, int64_t id);
/* The machine actor of a (store) actor on an item with these paths. */
struct machine_actor store_item_actor(const struct actor *a, const char *path_any, const char *path_handling);

#endif
