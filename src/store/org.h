/* org.h — the organisation in the store: units, users and their grants, categories, the
 * working-day calendar and settings.  Writers (taking struct store_tx) run inside a command on
 * the writer thread and emit events — they are what the write commands of store/write.h are made
 * of, called only inside src/store; readers take a read handle (store.h). */
#ifndef QD_STORE_ORG_H
#define QD_STORE_ORG_H
#include "core/calendar.h"
#include "core/role.h"
#include "core/task.h"
#include "store/store.h"

struct unit {
	int64_t id, parent_id;
	char name[260];  /* 64 characters (b_unit) of up to 4 bytes each */
	char kind[24];
	char path[128];
};

/* Readers.  The list functions return a new array, or NULL when the query fails (logged) —
 * never a short list; the caller answers an error. */
int store_unit_get(struct store_rd *rd, int64_t id, struct unit *u, struct qd_err *err);
/* How many units have no parent (the roots of the tree: one county), or -1 on an error. */
int64_t store_unit_roots(struct store_rd *rd);
json_t *store_unit_list(struct store_rd *rd);
json_t *store_category_list(struct store_rd *rd);
json_t *store_user_list(struct store_rd *rd);
json_t *store_user_get(struct store_rd *rd, int64_t id);
int64_t store_user_by_name(struct store_rd *rd, const char *username);
/* All active grants of a user, however many: *out receives an array of the returned count
 * (caller frees with free(); NULL when there are none).  -1 on a database error (logged),
 * *out NULL. */
int store_user_grants(struct store_rd *rd, int64_t user_id, struct grant **out);
json_t *store_calendar_list(struct store_rd *rd, int year);
/* Build a calendar from the table (caller frees with calendar_free). */
struct calendar *store_calendar_load(struct store_rd *rd);
void store_limits_load(struct store_rd *rd, struct urgency_limit out[URG__COUNT]);
/* The hand-off units: the units a dispatcher may assign tasks to outside their own subtree
 * (core/scope.h scope_may_assign) — those the administrator set (setting handoff_units;
 * *configured = 1), else the default (scope_handoff_default: the departments and companies
 * directly under the county).  A new array of {id, name, kind, path}, or NULL on an error. */
json_t *store_handoff_units(struct store_rd *rd, int *configured);

#endif
