/* date.h — civil dates as day numbers (days since 1970-01-01, proleptic Gregorian), the clock.
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

/* Wall clock in milliseconds since the epoch. */
int64_t clock_now_ms(void);
/* Today's date in China (UTC+8).  The environment variable QD_TODAY=YYYY-MM-DD pins it, so tests
 * and demos can stand on a chosen day; it is read once. */
int32_t clock_today(void);
/* Pin today to day (the demo generator walks through past days); -1 unpins.  While pinned,
 * clock_now_ms() returns a time on that day (09:00 China time plus the real minutes and
 * seconds), so events and rows carry consistent dates. */
void clock_pin(int32_t day);
/* Format ms-since-epoch as RFC 3339 in UTC+8 ("2022-07-19T09:30:00+08:00") into out (≥ 26). */
char *clock_format_ms(int64_t ms, char *out);

#endif
