/* calendar.h — the Chinese working-day calendar (pure: no I/O).
 *
 * A day is a working day when it is Monday–Friday and not a statutory holiday, or when it is a
 * weekend day worked in exchange (调休上班).  The special days are data: calendar_shipped()
 * returns the State Council's schedules for 2022–2027 compiled into the binary; the store seeds
 * its calendar table from it at `init`, an administrator can change single days, and the server
 * builds a struct calendar from that table.
 *
 * Deadlines: a limit of N working days counted from day D ends on the N-th working day after D
 * (D itself is not counted, whatever it is).  A task is overdue on the day after its deadline. */
#ifndef QD_CALENDAR_H
#define QD_CALENDAR_H
#include <stddef.h>
#include <stdint.h>

enum cal_kind {
	CAL_ORDINARY = 0, /* not a special day (an administrator's change back to the rule) */
	CAL_HOLIDAY = 1, /* 法定节假日 (incl. the weekend days folded into the holiday block) */
	CAL_WORKDAY = 2, /* 调休上班: a Saturday/Sunday worked in exchange */
	CAL_KIND__COUNT
};

/* The one vocabulary of day kinds: code names ("holiday") indexed by enum cal_kind,
 * NULL-terminated (usable as a route parameter's enum list), and their Chinese labels. */
extern const char *const cal_kind_names[CAL_KIND__COUNT + 1];
extern const char *const cal_kind_zh[CAL_KIND__COUNT + 1];
/* Code name of k; NULL when out of range.  Static storage. */
const char *cal_kind_name(enum cal_kind k);
/* The kind named s; -1 when s is NULL or not a name. */
int cal_kind_parse(const char *s);

struct cal_day {
	int32_t date;       /* day number, see base/date.h */
	enum cal_kind kind;
	const char *name;   /* 春节, 国庆节 … (static or owned by the calendar) */
};

struct calendar; /* opaque */

/* The shipped special days, sorted by date; *n receives the count.  Static storage. */
const struct cal_day *calendar_shipped(size_t *n);
/* First and last year the shipped data covers (2022, 2027). */
int calendar_shipped_first_year(void);
int calendar_shipped_last_year(void);

/* Build a calendar from special days (any order; copied, names duplicated).  Caller frees. */
struct calendar *calendar_new(const struct cal_day *days, size_t n);
void calendar_free(struct calendar *c);

/* 1 if date is a working day, else 0. */
int calendar_is_workday(const struct calendar *c, int32_t date);
/* The kind of a special day, or 0 when the date is an ordinary weekday/weekend day;
 * *name (if non-NULL) receives the holiday name or NULL. */
int calendar_special(const struct calendar *c, int32_t date, const char **name);
/* The n-th working day after start (n ≥ 1); start + 0 working days = start when n == 0. */
int32_t calendar_add_workdays(const struct calendar *c, int32_t start, int n);
/* Working days in the half-open interval (from, to]; 0 when to ≤ from. */
int calendar_workdays_between(const struct calendar *c, int32_t from, int32_t to);

#endif
