/* page_work.h — the pages of part work (issue 10): the workbench (page_work.c), the visit form
 * (page_visit.c) and the problem page (page_problem.c).  Their routes are in routes.c. */
#ifndef QD_WEB_PAGE_WORK_H
#define QD_WEB_PAGE_WORK_H
#include "base/err.h"
#include "web/req.h"

/* GET /work: the logged-in user's workbench, a section per list their roles and rights call
 * for (counts and first rows, as the API's lists give them). */
void page_work(struct req *r);

#define VISIT_PROBLEMS 10 /* problem blocks one visit form holds (p1_ … p10_); more are refused by name */

/* GET /visits/new: the form recording a visit and the problems raised on it. */
void page_visit_new(struct req *r);
/* POST /visits: the visit and its problems in one write (all or nothing); 303 to /work with the
 * banner, or the form again with the error summary (and with one more problem block when the
 * "add another problem" button was pressed: nothing written). */
void page_visit_create(struct req *r);
/* The route's invalid(): the visit form again, what was typed kept, err named. */
void page_visit_invalid(struct req *r, const struct qd_err *err);

/* GET /problems/{id}: the problem (through its presenter), its task, its timeline, the triage
 * actions the reader may take. */
void page_problem(struct req *r);
/* POST /problems/{id}/merge and /decline: api_problem_merge / api_problem_decline through the
 * answer hook; 303 to the problem's page, or the page again with the error summary. */
void page_problem_merge(struct req *r);
void page_problem_decline(struct req *r);
void page_problem_invalid(struct req *r, const struct qd_err *err);

#endif
