/* api.h — the JSON API handlers (one file per noun: api_org.c, api_problem.c, api_task.c,
 * api_visit.c; login in auth.c).  The route table is in routes.c. */
#ifndef QD_WEB_API_H
#define QD_WEB_API_H
#include "store/list.h"
#include "web/req.h"

void api_units(struct req *r);
void api_unit_create(struct req *r);
void api_categories(struct req *r);
void api_category_create(struct req *r);
void api_users(struct req *r);
void api_user_create(struct req *r);
void api_user_grant(struct req *r);
void api_user_revoke(struct req *r);
void api_user_unlock(struct req *r);
void api_calendar(struct req *r);
void api_calendar_set(struct req *r);
void api_limits(struct req *r);
void api_limits_set(struct req *r);
void api_handoff(struct req *r);
void api_handoff_set(struct req *r);
void api_routes(struct req *r);

void api_visits(struct req *r);
void api_visit_create(struct req *r);
void api_visit_get(struct req *r);
void api_visit_pii(struct req *r);

void api_problems(struct req *r);
/* The problem list of the request's query (the filters of GET /api/v1/problems) read by answer:
 * answer(r, f) gets the filter filled and confined by api_list_filter — with the reporter's
 * phone hash and the personal-data right's scope after the audited lookup (SW_PHONE_LOOKUP, on
 * the writer; answer then runs from the write's finish) when reporter_phone is given.  A refusal
 * (reporter_phone without the personal-data right, a phone that is not one, an unknown unit) is
 * answered the API's way (req_fail / req_error: an answer hook sees it) and answer is not called.
 * api_problems answers JSON; the list page (web/page_problems.c) renders the page. */
typedef void api_problem_answer(struct req *r, struct list_filter *f);
void api_problem_list(struct req *r, api_problem_answer *answer);
void api_problem_create(struct req *r);
/* The intake write of one problem from body (an object of POST /problems' spec, validated by it:
 * web/routes.c b_problem) by r's caller, with the rules every intake follows — a valid phone and
 * ID number, measures for a problem solved on the spot, which a resident may not claim — and its
 * personal data sealed (store_write_prepare).  The write (caller owns; its strings are body's,
 * which must outlive it), or NULL with err naming the field as the API names it ("reporter.phone",
 * "measures", "tier").  POST /problems and the visit form (web/page_visit.c) both use it. */
struct store_write *api_problem_intake(struct req *r, json_t *body, struct qd_err *err);
void api_problem_get(struct req *r);
void api_problem_pii(struct req *r);
void api_problem_merge(struct req *r);
void api_problem_decline(struct req *r);
/* POST /problems/{id}/classify {category_id}: set or change a new problem's category (the event
 * problem.classify); answers the problem. */
void api_problem_classify(struct req *r);

void api_tasks(struct req *r);
void api_task_create(struct req *r);
void api_task_get(struct req *r);
void api_task_history(struct req *r);
void api_task_action(struct req *r);
void api_task_pii(struct req *r);

/* The audited read of an item's personal data and original text (api_pii.c): needs the pii
 * right over origin_path or unit_path (either may be NULL); answers through presenter p. */
struct presenter;
void api_pii(struct req *r, const char *entity, int64_t id, const char *origin_path, const char *unit_path,
	     const struct presenter *p);
/* Fill a list filter from the query (limit, offset, unit_id …) and the
 * caller's scope for right; sort is the index of ?sort= in the route's own sort enum (0 when
 * absent).  Answers 4xx and returns -1 on a bad value (e.g. unknown unit). */
int api_list_filter(struct req *r, struct list_filter *f, unsigned right, char *unit_path_buf);
/* Common answer after a write: the command's error, or run ok(r). */
void api_created(struct req *r, const char *kind, int64_t id);

/* The audit log (api_audit.c): GET /audit, and the hook the server calls once per answered
 * request (on completion) to record what the log keeps (core/audit.h). */
void api_audit(struct req *r);
void api_audit_request(struct req *r);

#endif
