/* deadline.h — the deadline block every kind of item carries (tasks today; disputes, projects,
 * contracts, patrol findings later), the urgencies and their limits, and the rules derived from
 * the block once for every kind: overdue, response in time, completion on time.  The machine
 * (core/machine.h) finds the block in an item through its descriptor, and its generic effects
 * (start the clock, respond, complete, ask / grant / deny an extension) change only this block.
 * Pure: no I/O.
 *
 * Overdue is derived, never stored: an item in an open state (the machine's state table says
 * which) is overdue on `today` once past its deadline; an item in a done state was completed
 * late when completed_on > deadline. */
#ifndef QD_CORE_DEADLINE_H
#define QD_CORE_DEADLINE_H
#include "core/calendar.h"
#include <stdint.h>

enum urgency { URG_URGENT, URG_NORMAL, URG_COMPLEX, URG__COUNT };

/* Limits in working days per urgency (configurable; see deadline_default_limits). */
struct urgency_limit {
	int respond;        /* accept or return within this many working days */
	int complete;       /* complete within this many working days */
	int max_extensions; /* extensions allowed */
};

/* Day numbers (base/date.h); 0 = not set. */
struct deadline {
	int32_t assigned_on;  /* the clock started */
	int32_t respond_by;   /* respond (accept or return) by */
	int32_t deadline;     /* complete by */
	int32_t responded_on; /* day accepted or returned */
	int32_t completed_on;
	int extensions_used;  /* decided extension requests (granted or denied) */
	int max_extensions;   /* fixed when the clock starts, from the urgency's limit */
	int extension_days;   /* working days asked in the pending request; 0 = none */
};

/* The limits of the SPEC: urgent (1, 3), normal (2, 15), complex (2, 30, one extension). */
void deadline_default_limits(struct urgency_limit out[URG__COUNT]);
/* Start the clock on today under limit l: assigned, respond-by and deadline (working days),
 * extensions allowed; any earlier response is forgotten. */
void deadline_start(struct deadline *d, const struct calendar *cal, int32_t today, const struct urgency_limit *l);
/* Overdue on today: open and past the deadline, or done and completed after it. */
int deadline_overdue(const struct deadline *d, int open, int done, int32_t today);
/* 1 when the response came by respond_by (0 when late or not yet responded, or no clock). */
int deadline_responded_in_time(const struct deadline *d);
/* 1 when completed on or before the deadline (0 when late, not completed, or no clock). */
int deadline_completed_on_time(const struct deadline *d);
/* 1 when one more extension may be asked. */
int deadline_extension_left(const struct deadline *d);

#endif
