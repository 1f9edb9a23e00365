/* param.h — the spec of a set of named parameters (a route's query or body, a machine action's
 * body) and its checker: known name, type, range, length, UTF-8, required.  It lives in core so
 * that a machine (core/machine.h) can hold its actions' body specs; web/router.h uses it for the
 * routes.  Pure: checks a jansson value, no I/O.
 *
 * Not in this file: reading a query string (web/router.c turns each argument into a JSON value
 * and hands it to param_check_value). */
#ifndef QD_CORE_PARAM_H
#define QD_CORE_PARAM_H
#include "base/err.h"
#include <jansson.h>
#include <stdint.h>

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
	const char *const *enums;  /* P_ENUM, NULL-terminated */
	const struct param *sub;   /* P_OBJ */
	const char *help;
};

/* Flags of params_check. */
enum {
	PARAMS_SHAPE_ONLY = 1u << 0, /* check names, types and bounds; leave required fields (present
				      * and not blank) to a later params_check without the flag */
};

/* Validate one JSON object against a NULL-name-terminated spec (spec NULL: no field known).
 * Field names in errors are prefix + name (prefix "" at the top, "reporter." nested).
 * 0, or -1 with err (QD_EINVAL) naming the field. */
int params_check(json_t *obj, const struct param *spec, const char *prefix, unsigned flags, struct qd_err *err);
/* params_check with flags 0. */
int params_check_json(json_t *obj, const struct param *spec, const char *prefix, struct qd_err *err);
/* Validate one value against p (required-blank text refused unless PARAMS_SHAPE_ONLY).  0 or -1. */
int param_check_value(json_t *v, const struct param *p, const char *prefix, unsigned flags, struct qd_err *err);
/* Fail with QD_EINVAL naming prefix + name: "<field>：<zh>" / "<field>: <en>".  Returns -1. */
int param_fail(struct qd_err *err, const char *prefix, const char *name, const char *zh, const char *en);
/* The parameter called name in spec, or NULL. */
const struct param *param_find(const struct param *spec, const char *name);

/* Typed reads of a validated body (NULL body: nothing given).  Absent and null read as the
 * default; param_enum answers the index of the value in names (NULL-terminated), or dflt. */
const char *param_str(const json_t *body, const char *name);
int64_t param_int(const json_t *body, const char *name, int64_t dflt);
int param_bool(const json_t *body, const char *name, int dflt);
int param_enum(const json_t *body, const char *name, const char *const *names, int dflt);
/* 1 when body has name with a non-null value. */
int param_given(const json_t *body, const char *name);

#endif
