/* date.h — civil dates as day numbers (days since 1970-01-01, proleptic Gregorian), the China day
 * of a time, and the clock (real or shifted) that time is read from.
 * Day numbers make working-day arithmetic and comparisons plain integer work. */
#ifndef QD_DATE_H
#define QD_DATE_H
#include <stdint.h>

int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* 1 = Monday … 7 = Sunday (ISO). */
int date_weekday(int32_t days);
/* Parse exactly "YYYY-MM-DD" (a real calendar date); 0 on success, -1 otherwise. */
int date_parse(const char *s, int32_t *out);
/* Write "YYYY-MM-DD" into out (≥ 11 bytes); returns out. */
char *date_format(int32_t days, char *out);

/* The machine's wall clock in milliseconds since the epoch.  Only for operational things (log
 * lines, uptime, timers) and for reading a struct clock: domain time (the `at` of events, the
 * dates a command computes) is an argument, taken from a struct clock once per request or CLI
 * command and carried by the command (store.h). */
int64_t clock_now_ms(void);
/* The day in China (UTC+8) of a time in milliseconds since the epoch. */
int32_t date_china_day(int64_t ms);
/* Midnight at the start of day in China (UTC+8), in milliseconds since the epoch. */
int64_t date_china_midnight_ms(int32_t day);

/* The clock a server or a CLI command reads its time from: the real clock, or the real clock
 * shifted by whole days so that today is a chosen date (`qingdan serve --today`), for tests and
 * demos — time still flows.  Zero-initialised, it is the real clock. */
struct clock {
	int64_t shift_ms;
};
/* Shift c so that today (in China) is day from now on. */
void clock_set_today(struct clock *c, int32_t day);
/* Now on c, in milliseconds since the epoch. */
int64_t clock_now(const struct clock *c);
/* Format ms-since-epoch as RFC 3339 in UTC+8 ("2022-07-19T09:30:00+08:00") into out (≥ 26). */
char *clock_format_ms(int64_t ms, char *out);

#endif
