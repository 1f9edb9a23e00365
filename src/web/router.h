/* router.h — the declarative route table and the parameter specs the dispatcher enforces
 * before any handler runs: authentication, the route's right, and every query/body parameter
 * (known name, type, range, length, UTF-8, required).  Handlers then read typed values. */
#ifndef QD_WEB_ROUTER_H
#define QD_WEB_ROUTER_H
#include "core/machine.h"
#include "core/param.h"
#include "web/req.h"

enum auth_need { AUTH_PUBLIC, AUTH_LOGIN };

struct route {
	const char *method;
	const char *pattern;       /* "/api/v1/tasks/{id}/{word}" */
	void (*handler)(struct req *r);
	enum auth_need auth;
	unsigned rights;           /* any of these rights (over some unit) is required; 0 = none */
	const struct param *query; /* NULL-name terminated, or NULL */
	const struct param *body;  /* NULL-name terminated, or NULL (no body accepted) */
	const char *help;
	/* A page route's form shown again when the dispatcher refuses what was submitted (a field
	 * out of its spec, a missing CSRF token …): it renders the form from r->form with the error
	 * summary naming err's field, and answers.  NULL for the API's routes (they answer JSON). */
	void (*invalid)(struct req *r, const struct qd_err *err);
};

/* A page (HTML for a browser) rather than the JSON API: every route whose path does not start
 * with /api/.  Pages answer errors as pages, take form bodies, and carry the CSRF check. */
int route_is_page(const struct route *rt);

const struct route *routes_table(int *n);
/* The machine whose actions route rt takes ({action} in the path names one; the body is that
 * action's spec, core/machine.h), or NULL for an ordinary route. */
const struct machine *routes_machine(const struct route *rt);
/* Find the route for method + path; fills r->path_id/path_word.  *method_ok = 0 when the path
 * exists under another method. */
const struct route *router_match(struct req *r, const char *method, const char *path, int *path_found);
/* Validate query and body against the route's specs; 0 or -1 with err naming the field.  On a
 * machine's action route: an unknown action is refused naming "action", and the body is checked
 * against that action's spec for names, types and bounds (its required fields are the machine's
 * to check, after state and rights: machine_act). */
int router_validate(struct req *r, struct qd_err *err);
/* Check the request target as it came on the wire, before libmicrohttpd decodes it: its path
 * (up to '?') is printable ASCII without spaces or backslashes, every %XX is well formed and none
 * decodes to a byte the routes could be fooled by (NUL and other control bytes, '/', '\\', '.',
 * '%', bytes >= 0x80), and no segment is "." or "..".  0, or -1 with err (field "path").  So
 * /tasks/1%00 and /tasks/ID/assign%00garbage never reach the router as /tasks/1 and .../assign. */
int router_target_check(const char *uri, struct qd_err *err);

#endif
