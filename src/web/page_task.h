/* page_task.h — the task pages (page_task.c): the list, its CSV, the task, an action from its
 * form.  Routes in routes.c; each takes the API route's rights and parameter spec. */
#ifndef QD_WEB_PAGE_TASK_H
#define QD_WEB_PAGE_TASK_H
#include "base/err.h"
#include "web/req.h"

/* GET /tasks: the list (the query of GET /api/v1/tasks, with the views mine and unit as links). */
void page_tasks(struct req *r);
/* The list page again with the error summary, for a query the dispatcher refused (status from err). */
void page_tasks_invalid(struct req *r, const struct qd_err *err);
/* GET /tasks.csv: the same list view as CSV (web/export_csv.h): every match unless limit or
 * offset asks for a page; more than 10,000 is refused (413) naming q. */
void page_tasks_csv(struct req *r);
/* GET /tasks/{id}: the task page; a task outside the caller's scope answers 403, none 404. */
void page_task(struct req *r);
void page_task_invalid(struct req *r, const struct qd_err *err);
/* POST /tasks/{id}/{action}: api_task_action; success → 303 /tasks/{id}?done=<action>, refusal →
 * the task page with the error summary and the submitted values (r->form), status from the error. */
void page_task_act(struct req *r);
/* The same page for a refusal by the dispatcher (a field out of the action's spec, CSRF …). */
void page_task_act_invalid(struct req *r, const struct qd_err *err);

#endif
