/* date.c — day-number conversions (Howard Hinnant's civil-from-days algorithm), the China day of
 * a time, and the clock (real, shifted by whole days, or frozen at an instant). */
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

int date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7 + 3) % 7); /* 0 = Monday */
	return w + 1;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Digits read by hand, the day checked against its month: this runs for every date of every
 * row a list writes, so no atoi and no round trip through date_to_ymd. */
int date_parse(const char *s, int32_t *out)
{
	if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1; /* e.g. 2023-02-30 */
	*out = date_from_ymd(y, m, d);
	return 0;
}

/* Write n decimal digits of v (zero-padded, high digits dropped). */
static void put_digits(char *o, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
}

char *date_format(int32_t days, char *out)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d, 2);
	out[10] = 0;
	return out;
}

int64_t clock_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define DAY_MS 86400000LL
#define CHINA_MS (8LL * 3600000)

int32_t date_china_day(int64_t ms)
{
	int64_t t = ms + CHINA_MS;
	return (int32_t)(t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS));
}

int64_t date_china_midnight_ms(int32_t day)
{
	return (int64_t)day * DAY_MS - CHINA_MS;
}

void clock_set_today(struct clock *c, int32_t day)
{
	c->frozen = 0;
	c->shift_ms = (int64_t)(day - date_china_day(clock_now_ms())) * DAY_MS;
}

void clock_freeze(struct clock *c, int64_t ms)
{
	c->frozen = 1;
	c->at_ms = ms;
	c->shift_ms = 0;
}

int64_t clock_now(const struct clock *c)
{
	return c->frozen ? c->at_ms : clock_now_ms() + c->shift_ms;
}

int clock_parse_china(const char *s, int64_t *out)
{
	char day[11];
	int32_t d;
	if (!s || strnlen(s, 20) != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return -1;
	for (int i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return -1;
	memcpy(day, s, 10);
	day[10] = 0;
	int hh = digits(s + 11, 2), mm = digits(s + 14, 2), ss = digits(s + 17, 2);
	if (date_parse(day, &d) || hh > 23 || mm > 59 || ss > 59)
		return -1;
	*out = date_china_midnight_ms(d) + ((int64_t)hh * 3600 + (int64_t)mm * 60 + ss) * 1000;
	return 0;
}

char *clock_format_ms(int64_t ms, char *out)
{
	/* Arithmetic, not gmtime_r: the presenters write two timestamps per row, and glibc's
	 * gmtime_r takes the time-zone lock every call. */
	int64_t t = (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)) + 8LL * 3600;
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sod = t - days * 86400;
	date_format((int32_t)days, out);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(sod / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(sod / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(sod % 60), 2);
	memcpy(out + 19, "+08:00", 7);
	return out;
}
