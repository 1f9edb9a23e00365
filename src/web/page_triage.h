/* page_triage.h — the dispatcher's triage pages (page_triage.c), as the route table names them.
 * Every handler answers a page (or a 303 after a successful POST); the dispatcher has checked the
 * login, RIGHT_TRIAGE and the parameters before any of them runs. */
#ifndef QD_WEB_PAGE_TRIAGE_H
#define QD_WEB_PAGE_TRIAGE_H
#include "base/err.h"
#include "core/flow.h"
#include "web/req.h"


/* GET /triage: the new problems in the caller's triage scope, oldest first, a page at a time
 * (limit, offset, unit_id), each with its likely duplicates, checkboxes to make a task of many. */
void page_triage_queue(struct req *r);
/* GET /triage/{id}: one new problem — its likely duplicates with "duplicate of this" buttons, a
 * master by number, classify (its category), decline with reason, make a task (with any new
 * duplicates ticked in). */
void page_triage_problem(struct req *r);
/* POST /triage/{id}/merge {into}: api_problem_merge through the answer hook — 303 to
 * /problems/{id}, or the triage page again with the error summary. */
void page_triage_merge(struct req *r);
/* POST /triage/{id}/decline {reason}: api_problem_decline, answered like page_triage_merge. */
void page_triage_decline(struct req *r);
/* POST /triage/{id}/classify {category_id}: api_problem_classify — 303 back to /triage/{id} (the
 * problem stays new), or the triage page again with the error summary. */
void page_triage_classify(struct req *r);
/* The triage page again with err's summary: the invalid renderer of the three POSTs above. */
void page_triage_problem_invalid(struct req *r, const struct qd_err *err);
/* POST /triage/task {problem_ids, go, title, measures, category_id, unit_id, tier, urgency,
 * handler_id, leader_id}: make a task in steps that keep every answer in hidden fields — the
 * details (go=details), the people of the chosen unit (go=people), "check your answers" with the
 * deadline it yields (go=check), then go=confirm: api_task_create through the answer hook, 303
 * to /tasks/{id}, or the step whose field was refused with the error summary. */
void page_triage_task(struct req *r);
/* The step of the refused field again from the submitted form (the invalid renderer). */
void page_triage_task_invalid(struct req *r, const struct qd_err *err);

#endif
