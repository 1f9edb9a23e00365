/* date.h — civil dates as day numbers (days since 1970-01-01, proleptic Gregorian), the China day
 * of a time, and the clock (real, shifted or frozen) that time is read from.
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

/* The clock a server or a CLI command reads its time from: the real clock; the real clock
 * shifted by whole days so that today is a chosen date (`qingdan serve --today`), for tests and
 * demos — time still flows; or frozen at one instant (`qingdan serve --clock`): every read gives
 * exactly that time, so two servers fed the same requests write the same times (the differential
 * test, tests/api/test_differential.py).  Zero-initialised, it is the real clock. */
struct clock {
	int64_t shift_ms;
	int frozen;       /* nonzero: every read is at_ms (shift_ms unused) */
	int64_t at_ms;
};
/* Shift c so that today (in China) is day from now on. */
void clock_set_today(struct clock *c, int32_t day);
/* Freeze c at ms (since the epoch): from now on every read of c gives exactly ms. */
void clock_freeze(struct clock *c, int64_t ms);
/* Now on c, in milliseconds since the epoch. */
int64_t clock_now(const struct clock *c);
/* Parse exactly "YYYY-MM-DDTHH:MM:SS", a time in China (UTC+8), into ms since the epoch: a real
 * calendar date (as date_parse), hours 00–23, minutes and seconds 00–59; 0 on success, -1
 * otherwise. */
int clock_parse_china(const char *s, int64_t *out);
/* Format ms-since-epoch as RFC 3339 in UTC+8 ("2022-07-19T09:30:00+08:00") into out (≥ 26). */
char *clock_format_ms(int64_t ms, char *out);

#endif
