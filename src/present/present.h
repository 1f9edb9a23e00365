/* present.h — the one way entities leave the server.  Every outward path (the JSON API today;
 * pages, exports, Open311, bulletins and printed notices later) writes an entity only through
 * its presenter: a table in code of the entity's outward fields, each with the audiences that
 * may see it.  A field that is not in the table cannot be written, whatever the row holds.
 *
 * Audiences (one per viewer and row, decided by the presenter's audience rule):
 *   AUD_PUBLIC  anyone, without login (public lists, notices) — free text in its public form
 *               (numbers 【已隐藏】), no tracking codes, nothing flagged not-for-disclosure
 *   AUD_OWNER   the resident who submitted the item (or the user looking at themself) — the
 *               public form of free text, plus their own tracking code and choices
 *   AUD_STAFF   staff with the read right over the item's unit — free text in its stored
 *               (masked) form: 138****1234, names 张*
 *   AUD_PII     staff with the personal-data right, through the audited routes only — the
 *               originals (present_problem_pii …); no other presenter has a PII field
 *
 * The stored form is what the database holds (store/text.h: masked when written); the
 * presenters never unmask, they only narrow further.  Rows come as struct row (base/row.h):
 * a JSON object or a database result row. */
#ifndef QD_PRESENT_H
#define QD_PRESENT_H
#include "base/buf.h"
#include "base/row.h"
#include <jansson.h>
#include <stdint.h>

enum audience { AUD_PUBLIC = 1u, AUD_OWNER = 2u, AUD_STAFF = 4u, AUD_PII = 8u };
#define AUD_ALL (AUD_PUBLIC | AUD_OWNER | AUD_STAFF)
#define AUD_KNOWN (AUD_OWNER | AUD_STAFF)

/* Who is looking. */
struct viewer {
	int64_t user_id;  /* 0 = the anonymous public */
	unsigned rights;  /* the union of the viewer's rights (core/role.h) */
	/* The viewer's rights over one unit path (NULL path → 0). */
	unsigned (*rights_on)(const struct viewer *v, const char *path);
	void *ctx;        /* for rights_on */
	int32_t today;    /* day number (base/date.h): overdue is derived against it */
};

/* The kind of a field says how its value goes out, so a client can rely on the type whatever the
 * row holds: integers as integers, booleans as true/false, dates as "YYYY-MM-DD", timestamps as
 * RFC 3339 in China time ("2026-12-01T09:30:05+08:00"), enums as their code names, and an absent
 * value — NULL, "", a 0 id or day — as null, never "".  A value of another type than its kind
 * (a store bug) goes out as null rather than as something of the wrong type. */
enum pkind {
	PF_VALUE,     /* the column's value as it is (a nested JSON array such as a user's rights) */
	PF_TEXT,      /* free text in stored form: as it is for staff, the public form otherwise; "" → null */
	PF_BOOL,      /* an integer column as true/false; NULL → null */
	PF_COMPUTED,  /* written by compute() */
	PF_NESTED,    /* a JSON array member of the row, each element through nested */
	PF_INTEGER,   /* an integer (a count, a percentage, a sequence number); NULL → null */
	PF_IDENT,     /* an id: a positive integer; 0 and NULL (none, or the system) → null */
	PF_STRING,    /* a one-line string or an enum's code name; "" and NULL → null */
	PF_DAY,       /* a date "YYYY-MM-DD", from its text or a day number; 0, "" and NULL → null */
	PF_TIMESTAMP, /* milliseconds since the epoch as RFC 3339 +08:00 (seconds); 0 and NULL → null */
	PF_TRISTATE,  /* -1 (not asked) or NULL → null, 0 → false, any other integer → true */
	PF_SPREAD,    /* zero or more members, written by compute() through present_member (e.g. the
	               * body fields of a history event, by its action's spec: present_item.h) */
};

struct presenter;
struct pctx;

struct pfield {
	const char *name;   /* the outward key */
	const char *column; /* the row's column (NULL = name) */
	unsigned audience;  /* AUD_* bits that may see it */
	enum pkind kind;
	void (*compute)(struct pctx *c, struct buf *out); /* PF_COMPUTED: append one JSON value */
	const struct presenter *nested;                   /* PF_NESTED */
};

/* One field of a table, by kind (the tables in present_*.c are written with these). */
#define PF_K(name, column, aud, kind) {name, column, aud, kind, NULL, NULL}
#define PF_V(name, aud) PF_K(name, NULL, aud, PF_VALUE)
#define PF_T(name, aud) PF_K(name, NULL, aud, PF_TEXT)
#define PF_B(name, aud) PF_K(name, NULL, aud, PF_BOOL)
#define PF_INT(name, aud) PF_K(name, NULL, aud, PF_INTEGER)
#define PF_ID(name, aud) PF_K(name, NULL, aud, PF_IDENT)
#define PF_STR(name, aud) PF_K(name, NULL, aud, PF_STRING)
#define PF_STR_AS(name, column, aud) PF_K(name, column, aud, PF_STRING)
#define PF_DATE(name, aud) PF_K(name, NULL, aud, PF_DAY)
#define PF_TIME(name, aud) PF_K(name, NULL, aud, PF_TIMESTAMP)
#define PF_TRIBOOL(name, aud) PF_K(name, NULL, aud, PF_TRISTATE)
#define PF_C(name, aud, fn) {name, NULL, aud, PF_COMPUTED, fn, NULL}
#define PF_N(name, aud, presenter) {name, NULL, aud, PF_NESTED, NULL, presenter}
#define PF_SPREAD_OF(aud, fn) {"*", NULL, aud, PF_SPREAD, fn, NULL}
#define PF_END {NULL, NULL, 0, PF_VALUE, NULL, NULL}

struct presenter {
	const char *entity;
	const struct pfield *fields; /* terminated by a field with name NULL */
	/* The viewer's audience for this row (one AUD_* bit), 0 when the row is not shown.
	 * c->parent is the audience of the enclosing entity for nested rows, else 0. */
	unsigned (*audience)(struct pctx *c);
	/* Per-row state for computed fields (may be NULL); scratch has PRESENT_SCRATCH bytes. */
	void (*prepare)(struct pctx *c);
};

#define PRESENT_SCRATCH 512

/* Presenting one row. */
struct pctx {
	const struct presenter *p;
	const struct viewer *v;
	const struct row *row;
	unsigned parent; /* audience of the enclosing entity (nested rows), else 0 */
	unsigned aud;    /* this row's audience */
	int members;     /* members written so far (present_member) */
	_Alignas(16) unsigned char scratch[PRESENT_SCRATCH];
};

/* Inside present_write: start the member name of the object being written (the comma, the
 * quoted name, the colon); the caller appends its value.  name is an identifier (not escaped). */
void present_member(struct pctx *c, struct buf *out, const char *name);
/* Inside present_write: append column i of c->row as a value of kind (one of the kinds that read
 * a column: PF_VALUE, PF_TEXT and the typed kinds) for c's audience. */
void present_value(struct pctx *c, int i, enum pkind kind, struct buf *out);

/* Write row as a JSON object to out; returns 1, or 0 (writing nothing) when the viewer may not
 * see the row. */
int present_write(const struct presenter *p, const struct viewer *v, const struct row *row, unsigned parent,
		  struct buf *out);
/* Write the rows of a JSON array the viewer may see as a JSON array; returns how many. */
int present_write_list(const struct presenter *p, const struct viewer *v, json_t *rows, unsigned parent,
		       struct buf *out);
/* The same, as a new JSON object (caller owns), or NULL.  row is borrowed. */
json_t *present_json(const struct presenter *p, const struct viewer *v, json_t *row);
/* Every row of the array that the viewer may see, presented (new array; rows borrowed). */
json_t *present_json_list(const struct presenter *p, const struct viewer *v, json_t *rows);
/* The audience of a row for the viewer, as the presenter decides it (0 = not shown). */
unsigned present_audience(const struct presenter *p, const struct viewer *v, const struct row *row,
			  unsigned parent);
/* The outward field names of p for one audience, as a NULL-terminated static list in *out
 * (up to max); returns the count.  For tests and docs. */
int present_fields(const struct presenter *p, unsigned audience, const char **out, int max);

/* The audience rule of a personal-data presenter whose row has a unit_path: AUD_PII with the
 * pii right over that unit, else 0. */
unsigned present_audience_pii(struct pctx *c);

/* The presenters, one per entity (present_*.c). */
extern const struct presenter present_problem;
extern const struct presenter present_problem_detail; /* one problem: also its master and its task's state */
extern const struct presenter present_problem_pii;
extern const struct presenter *const present_task; /* an item presenter (present_item.h): one task */
extern const struct presenter *const present_task_list; /* the same kind's list fields (GET /tasks) */
extern const struct presenter present_task_pii;
extern const struct presenter *const present_event; /* a task's history events (present_item.h) */
extern const struct presenter present_visit;
extern const struct presenter present_visit_pii;
extern const struct presenter present_unit;
extern const struct presenter present_category;
extern const struct presenter present_user;
extern const struct presenter present_grant;
extern const struct presenter present_calendar_day;
extern const struct presenter present_token;
/* A row of the audit log (present_audit.c): seen only with the audit right. */
extern const struct presenter present_audit;
extern const struct presenter present_token_row; /* GET /tokens: never the token */

#endif
