/* router.h — the declarative route table and the parameter specs the dispatcher enforces
 * before any handler runs: authentication, the route's right, and every query/body parameter
 * (known name, type, range, length, UTF-8, required).  Handlers then read typed values. */
#ifndef QD_WEB_ROUTER_H
#define QD_WEB_ROUTER_H
#include "web/req.h"

enum ptype {
	P_STR,   /* one-line text: maxlen code points, no control characters */
	P_TEXT,  /* multi-line text: maxlen code points */
	P_INT,   /* integer in [min, max] */
	P_ID,    /* positive integer */
	P_BOOL,  /* JSON true/false; in a query "true"/"false"/"1"/"0" */
	P_ENUM,  /* one of enums */
	P_DATE,  /* YYYY-MM-DD, a real date */
	P_IDS,   /* array of 1..max positive integers, no duplicates */
	P_OBJ,   /* nested object validated by sub */
};

struct param {
	const char *name;
	enum ptype type;
	int required;
	int64_t min, max;          /* P_INT range; P_STR/P_TEXT max code points (min ignored); P_IDS max items */
	const char *const *enums;  /* P_ENUM */
	const struct param *sub;   /* P_OBJ */
	const char *help;
};

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
};

const struct route *routes_table(int *n);
/* Find the route for method + path; fills r->path_id/path_word.  *method_ok = 0 when the path
 * exists under another method. */
const struct route *router_match(struct req *r, const char *method, const char *path, int *path_found);
/* Validate query and body against the route's specs; 0 or -1 with err naming the field. */
int router_validate(struct req *r, struct qd_err *err);
/* Validate one JSON object against a spec (also used for nested objects). */
int params_check_json(json_t *obj, const struct param *spec, const char *prefix, struct qd_err *err);

#endif
