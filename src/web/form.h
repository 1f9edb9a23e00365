/* form.h — a page's submitted form (application/x-www-form-urlencoded, or multipart/form-data
 * through web/multipart.h) turned into the JSON object a route's parameter spec (core/param.h)
 * checks, so forms and the JSON API go through the same validation:
 *   P_STR / P_TEXT / P_ENUM / P_DATE  a string;
 *   P_INT / P_ID                       an integer ("-"? and 1 to 18 digits; else a field error);
 *   P_BOOL                             "on" / "1" / "true" → true, "0" / "false" → false;
 *   P_IDS                              repeated names and/or comma lists of ids → an array;
 *   P_OBJ                              "obj.member" names → a nested object;
 *   a name the spec does not know      a string (the spec check then refuses it by name).
 * An empty value of a field is no value (absent: an optional field's default, a required
 * field's "is required").  The field "csrf" is taken out and handed back on its own.  Every
 * submitted field is also kept as text (name → the value; repeated values joined with ","), so
 * a refused form can be shown again with what was typed.
 *
 * Strict and bounded, failing loudly and never truncating: at most FORM_MAX_FIELDS fields; a
 * name is 1 to FORM_MAX_NAME bytes of [A-Za-z0-9_.-]; a value at most FORM_MAX_VALUE bytes once
 * decoded; '+' is a space, %XX needs two hex digits, raw bytes outside printable ASCII are
 * refused, and a decoded NUL or invalid UTF-8 is an error naming the field. */
#ifndef QD_WEB_FORM_H
#define QD_WEB_FORM_H
#include "base/err.h"
#include "core/param.h"
#include <jansson.h>
#include <stddef.h>

#define FORM_MAX_FIELDS 256
#define FORM_MAX_NAME 63
#define FORM_MAX_VALUE 65536

struct form {
	json_t *json; /* the typed object for the spec check (owned), NULL when parsing failed */
	json_t *text; /* every field but csrf, name → text (owned); what was read before a failure */
	char *csrf;   /* the csrf field's value (owned), NULL when the form has none */
};

/* Parse an application/x-www-form-urlencoded body (len bytes) typed by spec (NULL: no field
 * known).  0, or -1 with err (QD_EINVAL naming the field, or "body" when no field can be named,
 * "csrf" when it is given twice).  Either way f holds what was read: release it with form_free. */
int form_parse_urlencoded(const char *body, size_t len, const struct param *spec, struct form *f,
                          struct qd_err *err);
/* The same for a multipart/form-data body with content_type's boundary: text parts are fields;
 * a file part with nothing chosen (empty filename and content) is skipped, any other is refused
 * naming its field (no form takes files yet: issue 11). */
int form_parse_multipart(const char *content_type, const char *body, size_t len, const struct param *spec,
                         struct form *f, struct qd_err *err);
/* Release what f holds (and zero it); f may be zeroed already. */
void form_free(struct form *f);

#endif
