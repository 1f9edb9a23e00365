/* present_item.h — what every machine kind's presenter shares (core/machine.h): the actions a
 * viewer may take on an item now, and its derived overdue, written from the machine's table.
 * Tasks are presented this way too (present_task.c).  A new kind needs no presenter code: a struct
 * item_presenter (its field table, with the computed fields below, and its store kind) whose
 * audience and prepare are present_item_audience / present_item_prepare. */
#ifndef QD_PRESENT_ITEM_H
#define QD_PRESENT_ITEM_H
#include "base/buf.h"
#include "core/machine.h"
#include "present/present.h"
#include "store/item.h"

/* Append the JSON array of the names of the actions actor may take on item now (machine_allowed);
 * [] for the anonymous public (actor NULL). */
void present_item_actions(struct buf *out, const struct machine *m, const void *item,
			  const struct machine_actor *actor);
/* Append true/false: the item is overdue on today (machine_overdue). */
void present_item_overdue(struct buf *out, const struct machine *m, const void *item, int32_t today);

/* A presenter of a machine kind: the presenter first (the compute functions find the kind
 * through it), then the kind whose row it writes. */
struct item_presenter {
	struct presenter p;
	const struct store_kind *k;
};

/* Staff with the read right over the item's origin or handling unit (AUD_STAFF); a resident
 * (AUD_OWNER: the route gives them only their own items); the anonymous public (AUD_PUBLIC: the
 * route gives them only disclosed items); anyone else: not shown. */
unsigned present_item_audience(struct pctx *c);
/* The item's struct and the viewer as the machine's actor, into the scratch. */
void present_item_prepare(struct pctx *c);
/* Computed fields (PF_C) of an item presenter: actions, overdue, state_zh. */
void present_item_c_actions(struct pctx *c, struct buf *out);
void present_item_c_overdue(struct pctx *c, struct buf *out);
void present_item_c_state_zh(struct pctx *c, struct buf *out);

/* The presenter of a kind's history events (store_item_history rows): the presenter first, then
 * the machine whose actions the events record.  Its table holds the event's own fields and one
 * PF_SPREAD_OF(…, present_item_event_body); its audience is present_item_event_audience. */
struct item_event_presenter {
	struct presenter p;
	const struct machine *m;
};

/* An event is seen with the audience of the item it belongs to (the parent given to
 * present_write_list by the history route). */
unsigned present_item_event_audience(struct pctx *c);
/* PF_SPREAD: the event's body fields, by the spec of its action (machine_action_body): free text
 * (P_STR, P_TEXT) in the audience's form, booleans, integers, ids, enums and dates typed; fields
 * the event does not carry are left out; nothing for an event that is no action (create, an
 * audit). */
void present_item_event_body(struct pctx *c, struct buf *out);

#endif
