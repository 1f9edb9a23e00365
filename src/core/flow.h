/* flow.h — the words of the pages' own flows, which are vocabulary like any other (one place,
 * src/core; the routes' enum parameters point here): the steps of making a task from the triage
 * queue, and what an administrator's page says was just saved.  Pure. */
#ifndef QD_CORE_FLOW_H
#define QD_CORE_FLOW_H

/* The steps of making a task (the triage form's go field), NULL-terminated, in order. */
extern const char *const triage_steps[];
enum triage_step { ST_DETAILS, ST_PEOPLE, ST_CHECK, ST_CONFIRM };
/* What an administrator's form just saved (?done= on the page it goes back to: its banner). */
extern const char *const admin_done_names[];

#endif
