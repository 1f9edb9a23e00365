/* page_problems.h — the problem list for a browser (page_problems.c): GET /problems (search,
 * filters, sort, pages) and GET /problems.csv (the same list view through the one exporter).
 * Routes in routes.c; both take GET /api/v1/problems' right and parameter spec. */
#ifndef QD_WEB_PAGE_PROBLEMS_H
#define QD_WEB_PAGE_PROBLEMS_H
#include "base/err.h"
#include "web/req.h"

/* GET /problems: the list the API's query gives this reader (api_problem_list: its scope, its
 * filters, the audited lookup by the reporter's phone for a holder of the personal-data right),
 * a row per problem linking to /problems/{id}; a refused query (an unknown unit, a phone without
 * the right …) shows the filter form again with the error summary, its status the error's. */
void page_problems(struct req *r);
/* The same page for a query the dispatcher refused (err names the field). */
void page_problems_invalid(struct req *r, const struct qd_err *err);
/* GET /problems.csv: the list view as CSV (web/export_csv.h): every match unless limit or offset
 * asks for a page; more than LIST_CSV_MAX_ROWS refused (413) naming q. */
void page_problems_csv(struct req *r);

#endif
