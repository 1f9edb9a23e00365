/* test_calendar.c — unit tests for core/calendar: the shipped holiday data (sorted, weekdays,
 * names, statutory-day balance per year) and the working-day arithmetic (调休 days, deadlines
 * across 国庆/春节, overrides, add_workdays ⇄ workdays_between consistency). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/mem.h"
#include "core/calendar.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct calendar *shipped_cal;
static struct calendar *plain_cal;

static int group_setup(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *d = calendar_shipped(&n);
	shipped_cal = calendar_new(d, n);
	plain_cal = calendar_new(NULL, 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	calendar_free(shipped_cal);
	calendar_free(plain_cal);
	return 0;
}

static int32_t D(const char *s)
{
	int32_t d;
	if (date_parse(s, &d) != 0) {
		fail_msg("bad date literal %s", s);
	}
	return d;
}

/* Compare dates as strings so failures are readable. */
#define assert_date(got, want)                                                                  \
	do {                                                                                        \
		char buf_[11];                                                                          \
		assert_string_equal(date_format((got), buf_), (want));                                  \
	} while (0)

/* ---- ordinary days ---- */

static void test_plain_weekdays_and_weekends(void **state)
{
	(void)state;
	/* 2022-03-07 is a Monday; no special days in March 2022. */
	for (int i = 0; i < 7; i++) {
		int32_t d = D("2022-03-07") + i;
		int want = i < 5;
		assert_int_equal(calendar_is_workday(shipped_cal, d), want);
		assert_int_equal(calendar_is_workday(plain_cal, d), want);
		assert_int_equal(calendar_is_workday(NULL, d), want);
		const char *name = "x";
		assert_int_equal(calendar_special(shipped_cal, d, &name), 0);
		assert_null(name);
	}
	/* far outside the shipped range: plain rules */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2031-06-02")), 1); /* Monday */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2031-06-01")), 0); /* Sunday */
	assert_int_equal(calendar_is_workday(shipped_cal, D("1999-12-31")), 1); /* Friday */
}

static void test_plain_arithmetic(void **state)
{
	(void)state;
	int32_t fri = D("2022-03-11");
	assert_date(calendar_add_workdays(plain_cal, fri, 0), "2022-03-11");
	assert_date(calendar_add_workdays(plain_cal, fri, 1), "2022-03-14");
	assert_date(calendar_add_workdays(plain_cal, fri, 5), "2022-03-18");
	assert_date(calendar_add_workdays(plain_cal, fri, 6), "2022-03-21");
	/* from a Saturday: the Saturday itself is not counted */
	assert_date(calendar_add_workdays(plain_cal, D("2022-03-12"), 1), "2022-03-14");
	assert_date(calendar_add_workdays(NULL, D("2022-03-13"), 2), "2022-03-15");
	assert_int_equal(calendar_workdays_between(plain_cal, fri, D("2022-03-18")), 5);
	assert_int_equal(calendar_workdays_between(plain_cal, fri, fri), 0);
	assert_int_equal(calendar_workdays_between(plain_cal, D("2022-03-18"), fri), 0);
	assert_int_equal(calendar_workdays_between(plain_cal, D("2022-03-12"), D("2022-03-13")), 0);
	/* a whole non-leap year from a Friday (2021-12-31) to 2022-12-31: 260 weekdays */
	assert_int_equal(calendar_workdays_between(plain_cal, D("2021-12-31"), D("2022-12-31")), 260);
	/* dates before 1970 work too */
	assert_date(calendar_add_workdays(plain_cal, D("1969-12-26"), 1), "1969-12-29");
	assert_int_equal(calendar_workdays_between(plain_cal, D("1969-12-24"), D("1970-01-07")), 10);
}

/* ---- the shipped schedules ---- */

static void test_guoqing_2022(void **state)
{
	(void)state;
	const char *name = NULL;
	assert_int_equal(calendar_is_workday(shipped_cal, D("2022-10-08")), 1); /* Saturday */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2022-10-09")), 1); /* Sunday */
	assert_int_equal(calendar_special(shipped_cal, D("2022-10-08"), &name), CAL_WORKDAY);
	assert_string_equal(name, "国庆节");
	for (int32_t d = D("2022-10-01"); d <= D("2022-10-07"); d++) {
		assert_int_equal(calendar_is_workday(shipped_cal, d), 0);
		assert_int_equal(calendar_special(shipped_cal, d, &name), CAL_HOLIDAY);
		assert_string_equal(name, "国庆节");
	}
	assert_int_equal(calendar_is_workday(shipped_cal, D("2022-09-30")), 1);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2022-10-10")), 1);
	/* deadline: Sep 30 is day 1, Oct 8 day 2, Oct 9 day 3 */
	int32_t s = D("2022-09-29");
	assert_date(calendar_add_workdays(shipped_cal, s, 1), "2022-09-30");
	assert_date(calendar_add_workdays(shipped_cal, s, 2), "2022-10-08");
	assert_date(calendar_add_workdays(shipped_cal, s, 3), "2022-10-09");
	assert_date(calendar_add_workdays(shipped_cal, s, 4), "2022-10-10");
	/* counted from inside the holiday */
	assert_date(calendar_add_workdays(shipped_cal, D("2022-10-03"), 1), "2022-10-08");
	assert_int_equal(calendar_workdays_between(shipped_cal, s, D("2022-10-09")), 3);
	assert_int_equal(calendar_workdays_between(shipped_cal, D("2022-09-30"), D("2022-10-07")), 0);
	/* 15 working days from 2022-09-26 (a Monday) */
	assert_date(calendar_add_workdays(shipped_cal, D("2022-09-26"), 15), "2022-10-20");
}

static void test_chunjie_2023(void **state)
{
	(void)state;
	/* 春节: Jan 21–27 off, Jan 28 (Sat) and Jan 29 (Sun) worked */
	for (int32_t d = D("2023-01-21"); d <= D("2023-01-27"); d++)
		assert_int_equal(calendar_is_workday(shipped_cal, d), 0);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2023-01-28")), 1);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2023-01-29")), 1);
	int32_t s = D("2023-01-19"); /* Thursday */
	assert_date(calendar_add_workdays(shipped_cal, s, 1), "2023-01-20");
	assert_date(calendar_add_workdays(shipped_cal, s, 2), "2023-01-28");
	assert_date(calendar_add_workdays(shipped_cal, s, 3), "2023-01-29");
	assert_date(calendar_add_workdays(shipped_cal, s, 4), "2023-01-30");
	assert_date(calendar_add_workdays(shipped_cal, s, 10), "2023-02-07");
	/* 元旦 2023 started on 2022-12-31 */
	const char *name = NULL;
	assert_int_equal(calendar_special(shipped_cal, D("2022-12-31"), &name), CAL_HOLIDAY);
	assert_string_equal(name, "元旦");
	assert_date(calendar_add_workdays(shipped_cal, D("2022-12-30"), 1), "2023-01-03");
	/* 中秋国庆 2023: Sep 29–Oct 6 off, Oct 7–8 worked */
	assert_int_equal(calendar_special(shipped_cal, D("2023-09-29"), &name), CAL_HOLIDAY);
	assert_string_equal(name, "中秋节、国庆节");
	assert_date(calendar_add_workdays(shipped_cal, D("2023-09-28"), 1), "2023-10-07");
	assert_date(calendar_add_workdays(shipped_cal, D("2023-09-28"), 3), "2023-10-09");
}

static void test_chunjie_2024(void **state)
{
	(void)state;
	/* 春节: Feb 10–17 off, Feb 4 (Sun) and Feb 18 (Sun) worked; 除夕 Feb 9 is a working day */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2024-02-04")), 1);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2024-02-09")), 1);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2024-02-18")), 1);
	for (int32_t d = D("2024-02-10"); d <= D("2024-02-17"); d++)
		assert_int_equal(calendar_is_workday(shipped_cal, d), 0);
	assert_date(calendar_add_workdays(shipped_cal, D("2024-02-02"), 1), "2024-02-04");
	assert_date(calendar_add_workdays(shipped_cal, D("2024-02-02"), 2), "2024-02-05");
	int32_t s = D("2024-02-07"); /* Wednesday */
	assert_date(calendar_add_workdays(shipped_cal, s, 1), "2024-02-08");
	assert_date(calendar_add_workdays(shipped_cal, s, 2), "2024-02-09");
	assert_date(calendar_add_workdays(shipped_cal, s, 3), "2024-02-18");
	assert_date(calendar_add_workdays(shipped_cal, s, 4), "2024-02-19");
	assert_int_equal(calendar_workdays_between(shipped_cal, D("2024-02-01"), D("2024-02-29")), 17);
	/* 2024 元旦 and 端午 were "与周末连休": the weekend stays ordinary */
	assert_int_equal(calendar_special(shipped_cal, D("2023-12-31"), NULL), 0);
	assert_int_equal(calendar_special(shipped_cal, D("2024-01-01"), NULL), CAL_HOLIDAY);
	assert_date(calendar_add_workdays(shipped_cal, D("2024-06-07"), 1), "2024-06-11");
}

static void test_chunjie_2025(void **state)
{
	(void)state;
	/* 春节 Jan 28–Feb 4 off (8 days, first year with 除夕 statutory); Jan 26 (Sun), Feb 8 (Sat) */
	int32_t s = D("2025-01-24"); /* Friday */
	assert_date(calendar_add_workdays(shipped_cal, s, 1), "2025-01-26");
	assert_date(calendar_add_workdays(shipped_cal, s, 2), "2025-01-27");
	assert_date(calendar_add_workdays(shipped_cal, s, 3), "2025-02-05");
	assert_date(calendar_add_workdays(shipped_cal, s, 6), "2025-02-08");
	assert_date(calendar_add_workdays(shipped_cal, s, 7), "2025-02-10");
	/* 劳动节 May 1–5 off, Apr 27 (Sun) worked, no Saturday after */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2025-04-27")), 1);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2025-05-10")), 0);
	assert_date(calendar_add_workdays(shipped_cal, D("2025-04-30"), 1), "2025-05-06");
	/* 国庆节、中秋节: Oct 1–8 off, Sep 28 (Sun) and Oct 11 (Sat) worked */
	assert_date(calendar_add_workdays(shipped_cal, D("2025-09-26"), 1), "2025-09-28");
	assert_date(calendar_add_workdays(shipped_cal, D("2025-09-30"), 1), "2025-10-09");
	assert_date(calendar_add_workdays(shipped_cal, D("2025-09-30"), 3), "2025-10-11");
}

static void test_2026(void **state)
{
	(void)state;
	const char *name = NULL;
	/* 元旦 Jan 1–3, Jan 4 (Sun) worked */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2026-01-02")), 0);
	assert_int_equal(calendar_special(shipped_cal, D("2026-01-04"), &name), CAL_WORKDAY);
	assert_string_equal(name, "元旦");
	/* 春节 Feb 15–23, Feb 14 (Sat) and Feb 28 (Sat) worked */
	assert_date(calendar_add_workdays(shipped_cal, D("2026-02-13"), 1), "2026-02-14");
	assert_date(calendar_add_workdays(shipped_cal, D("2026-02-13"), 2), "2026-02-24");
	assert_date(calendar_add_workdays(shipped_cal, D("2026-02-24"), 4), "2026-02-28");
	/* 劳动节 May 1–5, May 9 (Sat) worked */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2026-05-09")), 1);
	assert_int_equal(calendar_is_workday(shipped_cal, D("2026-05-05")), 0);
	/* 端午 Jun 19–21 and 中秋 Sep 25–27 */
	assert_int_equal(calendar_is_workday(shipped_cal, D("2026-06-19")), 0);
	assert_int_equal(calendar_special(shipped_cal, D("2026-09-25"), &name), CAL_HOLIDAY);
	assert_string_equal(name, "中秋节");
	/* 国庆 Oct 1–7, Sep 20 (Sun) and Oct 10 (Sat) worked */
	assert_date(calendar_add_workdays(shipped_cal, D("2026-09-18"), 1), "2026-09-20");
	assert_date(calendar_add_workdays(shipped_cal, D("2026-09-24"), 1), "2026-09-28");
	int32_t s = D("2026-09-30"); /* Wednesday */
	assert_date(calendar_add_workdays(shipped_cal, s, 1), "2026-10-08");
	assert_date(calendar_add_workdays(shipped_cal, s, 2), "2026-10-09");
	assert_date(calendar_add_workdays(shipped_cal, s, 3), "2026-10-10");
	assert_date(calendar_add_workdays(shipped_cal, s, 4), "2026-10-12");
	assert_int_equal(calendar_workdays_between(shipped_cal, D("2026-09-18"), D("2026-10-12")), 12);
}

static void test_2027_provisional_present(void **state)
{
	(void)state;
	assert_int_equal(calendar_shipped_first_year(), 2022);
	assert_int_equal(calendar_shipped_last_year(), 2027);
	/* the statutory days themselves cannot move, whatever the published 调休 turns out to be */
	const char *dates[] = {"2027-01-01", "2027-02-05", "2027-02-06", "2027-02-08", "2027-04-05",
			       "2027-05-03", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-04"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		assert_int_equal(calendar_is_workday(shipped_cal, D(dates[i])), 0);
}

/* ---- shipped data invariants ---- */

static void test_shipped_sorted_unique(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *d = calendar_shipped(&n);
	assert_true(n > 200);
	for (size_t i = 1; i < n; i++) {
		if (d[i - 1].date >= d[i].date) {
			char a[11], b[11];
			fail_msg("not sorted/unique at %zu: %s then %s", i, date_format(d[i - 1].date, a),
				 date_format(d[i].date, b));
		}
	}
	/* everything inside the covered years (元旦 2023 begins on 2022-12-31) */
	int y, m, dd;
	date_to_ymd(d[0].date, &y, &m, &dd);
	assert_int_equal(y, calendar_shipped_first_year());
	date_to_ymd(d[n - 1].date, &y, &m, &dd);
	assert_int_equal(y, calendar_shipped_last_year());
	/* the compile-time day numbers agree with date_from_ymd */
	assert_int_equal(d[0].date, date_from_ymd(2022, 1, 1));
	assert_int_equal(d[n - 1].date, date_from_ymd(2027, 10, 9));
}

static const char *const known_names[] = {"元旦",   "春节",   "清明节",         "劳动节",
					  "端午节", "中秋节", "国庆节",         "中秋节、国庆节",
					  "国庆节、中秋节"};

static void test_shipped_kinds_weekdays_names(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *d = calendar_shipped(&n);
	for (size_t i = 0; i < n; i++) {
		char buf[11];
		date_format(d[i].date, buf);
		if (d[i].kind != CAL_HOLIDAY && d[i].kind != CAL_WORKDAY)
			fail_msg("%s: bad kind %d", buf, (int)d[i].kind);
		if (d[i].kind == CAL_WORKDAY && date_weekday(d[i].date) < 6)
			fail_msg("%s: 调休 working day is not a Saturday/Sunday", buf);
		if (!d[i].name || !d[i].name[0])
			fail_msg("%s: no holiday name", buf);
		int known = 0;
		for (size_t k = 0; k < sizeof known_names / sizeof known_names[0]; k++)
			known |= strcmp(d[i].name, known_names[k]) == 0;
		if (!known)
			fail_msg("%s: unknown holiday name %s", buf, d[i].name);
	}
}

/* Holidays come in blocks of consecutive days under one name; every 调休 day lies within two
 * weeks of a block of the same name. */
static void test_shipped_blocks(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *d = calendar_shipped(&n);
	int blocks = 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i].kind != CAL_HOLIDAY)
			continue;
		if (i > 0 && d[i - 1].kind == CAL_HOLIDAY && d[i - 1].date == d[i].date - 1) {
			if (strcmp(d[i - 1].name, d[i].name) != 0)
				fail_msg("adjacent holidays with different names at index %zu", i);
		} else {
			blocks++;
		}
	}
	/* 2022: 7, 2023: 6, 2024: 7, 2025: 6, 2026: 7, 2027: 7 */
	assert_int_equal(blocks, 40);
	for (size_t i = 0; i < n; i++) {
		if (d[i].kind != CAL_WORKDAY)
			continue;
		int near = 0;
		for (size_t j = 0; j < n; j++)
			if (d[j].kind == CAL_HOLIDAY && strcmp(d[j].name, d[i].name) == 0 &&
			    abs(d[j].date - d[i].date) <= 14)
				near = 1;
		if (!near) {
			char buf[11];
			fail_msg("%s: 调休 day far from any %s block", date_format(d[i].date, buf),
				 d[i].name);
		}
	}
}

/* Statutory days per holiday (全国年节及纪念日放假办法): before 2025 元旦1 春节3 清明1 劳动节1
 * 端午1 中秋1 国庆3 (11); from 2025 春节4 劳动节2 (13).  A statutory day falling on a weekend is
 * made up on a weekday, so for every (year, holiday): weekday days off − 调休 working days ==
 * statutory days.  This catches a missing or extra day in the table. */
static int statutory(int year, const char *name)
{
	int new_rules = year >= 2025;
	if (!strcmp(name, "春节"))
		return new_rules ? 4 : 3;
	if (!strcmp(name, "劳动节"))
		return new_rules ? 2 : 1;
	if (!strcmp(name, "国庆节"))
		return 3;
	if (!strcmp(name, "中秋节、国庆节") || !strcmp(name, "国庆节、中秋节"))
		return 4;
	return 1;
}

static void test_shipped_statutory_balance(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *d = calendar_shipped(&n);
	int first = calendar_shipped_first_year(), last = calendar_shipped_last_year();
	for (int year = first; year <= last; year++) {
		int total = 0;
		for (size_t k = 0; k < sizeof known_names / sizeof known_names[0]; k++) {
			const char *name = known_names[k];
			int off = 0, on = 0, any = 0;
			for (size_t i = 0; i < n; i++) {
				int y, m, dd;
				date_to_ymd(d[i].date, &y, &m, &dd);
				if (y != year || strcmp(d[i].name, name) != 0)
					continue;
				any = 1;
				if (d[i].kind == CAL_WORKDAY)
					on++;
				else if (date_weekday(d[i].date) <= 5)
					off++;
			}
			if (!any)
				continue;
			if (off - on != statutory(year, name))
				fail_msg("%d %s: %d weekdays off − %d worked ≠ %d statutory", year, name,
					 off, on, statutory(year, name));
			total += off - on;
		}
		assert_int_equal(total, year >= 2025 ? 13 : 11);
	}
}

/* The festival days themselves (lunar/solar dates, independent of the 调休 choices) are holidays
 * carrying the festival's name; from 2025 除夕 and May 2 are statutory too. */
static void test_festival_days_are_holidays(void **state)
{
	(void)state;
	static const struct {
		const char *date, *name;
	} fest[] = {
		{"2022-01-01", "元旦"},   {"2022-02-01", "春节"},   {"2022-04-05", "清明节"},
		{"2022-05-01", "劳动节"}, {"2022-06-03", "端午节"}, {"2022-09-10", "中秋节"},
		{"2022-10-01", "国庆节"}, {"2023-01-01", "元旦"},   {"2023-01-22", "春节"},
		{"2023-04-05", "清明节"}, {"2023-05-01", "劳动节"}, {"2023-06-22", "端午节"},
		{"2023-09-29", "中秋节"}, {"2023-10-03", "国庆节"}, {"2024-01-01", "元旦"},
		{"2024-02-10", "春节"},   {"2024-04-04", "清明节"}, {"2024-05-01", "劳动节"},
		{"2024-06-10", "端午节"}, {"2024-09-17", "中秋节"}, {"2024-10-01", "国庆节"},
		{"2025-01-01", "元旦"},   {"2025-01-28", "春节"},   {"2025-01-29", "春节"},
		{"2025-04-04", "清明节"}, {"2025-05-02", "劳动节"}, {"2025-05-31", "端午节"},
		{"2025-10-06", "中秋节"}, {"2025-10-03", "国庆节"}, {"2026-01-01", "元旦"},
		{"2026-02-16", "春节"},   {"2026-02-17", "春节"},   {"2026-04-05", "清明节"},
		{"2026-05-02", "劳动节"}, {"2026-06-19", "端午节"}, {"2026-09-25", "中秋节"},
		{"2026-10-03", "国庆节"}, {"2027-01-01", "元旦"},   {"2027-02-05", "春节"},
		{"2027-02-06", "春节"},   {"2027-04-05", "清明节"}, {"2027-05-02", "劳动节"},
		{"2027-06-09", "端午节"}, {"2027-09-15", "中秋节"}, {"2027-10-03", "国庆节"},
	};
	for (size_t i = 0; i < sizeof fest / sizeof fest[0]; i++) {
		const char *name = NULL;
		if (calendar_special(shipped_cal, D(fest[i].date), &name) != CAL_HOLIDAY || !name ||
		    !strstr(name, fest[i].name))
			fail_msg("%s should be a %s holiday", fest[i].date, fest[i].name);
	}
}

/* Rule since the 2024 revision: no more than 6 consecutive working days around holidays.  The
 * published 2025/2026 schedules satisfy it; the derived 2027 one must too. */
static void test_max_six_day_runs_from_2025(void **state)
{
	(void)state;
	int run = 0, worst = 0;
	for (int32_t d = D("2025-01-01"); d <= D("2027-12-31"); d++) {
		run = calendar_is_workday(shipped_cal, d) ? run + 1 : 0;
		if (run > worst)
			worst = run;
	}
	assert_true(worst <= 6);
}

/* ---- arithmetic properties ---- */

static void test_add_between_consistency(void **state)
{
	(void)state;
	struct calendar *cals[] = {shipped_cal, plain_cal};
	for (size_t k = 0; k < 2; k++) {
		struct calendar *c = cals[k];
		for (int32_t s = D("2021-11-01"); s <= D("2028-02-28"); s += 3) {
			for (int n = 0; n <= 45; n++) {
				int32_t e = calendar_add_workdays(c, s, n);
				if (n == 0) {
					assert_int_equal(e, s);
					continue;
				}
				assert_true(e > s);
				assert_int_equal(calendar_is_workday(c, e), 1);
				assert_int_equal(calendar_workdays_between(c, s, e), n);
				assert_int_equal(calendar_workdays_between(c, s, e - 1), n - 1);
				/* backwards: n working days before e lands on the last working day ≤ s */
				int32_t p = calendar_is_workday(c, s) ? s : calendar_add_workdays(c, s, -1);
				assert_int_equal(calendar_add_workdays(c, e, -n), p);
			}
		}
	}
}

/* workdays_between agrees with a day-by-day count and is additive. */
static void test_between_matches_naive_count(void **state)
{
	(void)state;
	int32_t a = D("2021-12-20"), b = D("2028-01-10");
	int naive = 0;
	for (int32_t d = a + 1; d <= b; d++)
		naive += calendar_is_workday(shipped_cal, d);
	assert_int_equal(calendar_workdays_between(shipped_cal, a, b), naive);
	for (int32_t m = a; m <= b; m += 37)
		assert_int_equal(calendar_workdays_between(shipped_cal, a, m) +
					 calendar_workdays_between(shipped_cal, m, b),
				 naive);
	/* 2023: 365 days, 260 weekdays, 11 statutory on weekdays … counted directly */
	int y23 = 0;
	for (int32_t d = D("2023-01-01"); d <= D("2023-12-31"); d++)
		y23 += calendar_is_workday(shipped_cal, d);
	assert_int_equal(calendar_workdays_between(shipped_cal, D("2022-12-31"), D("2023-12-31")), y23);
	assert_int_equal(y23, 249);
}

static void test_backwards(void **state)
{
	(void)state;
	assert_date(calendar_add_workdays(shipped_cal, D("2022-10-10"), -1), "2022-10-09");
	assert_date(calendar_add_workdays(shipped_cal, D("2022-10-10"), -3), "2022-09-30");
	assert_date(calendar_add_workdays(shipped_cal, D("2022-10-08"), -1), "2022-09-30");
	assert_date(calendar_add_workdays(plain_cal, D("2022-03-14"), -1), "2022-03-11");
	assert_date(calendar_add_workdays(plain_cal, D("2022-03-13"), -1), "2022-03-11");
}

static void test_large_n(void **state)
{
	(void)state;
	/* 365 working days and more: still exact (checked against the day-by-day count) */
	int32_t s = D("2022-01-01");
	for (int n = 100; n <= 1400; n += 131) {
		int32_t e = calendar_add_workdays(shipped_cal, s, n);
		assert_int_equal(calendar_workdays_between(shipped_cal, s, e), n);
		assert_int_equal(calendar_is_workday(shipped_cal, e), 1);
	}
	/* far beyond the data: plain weeks */
	assert_date(calendar_add_workdays(shipped_cal, D("2030-01-04"), 260), "2031-01-03");
}

/* ---- overrides and construction ---- */

static void test_overrides_appended(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *sh = calendar_shipped(&n);
	struct cal_day *days = malloc((n + 5) * sizeof *days);
	assert_non_null(days);
	memcpy(days, sh, n * sizeof *days);
	char name[] = "防汛停工";
	days[n + 0] = (struct cal_day){D("2022-10-08"), CAL_HOLIDAY, "国庆节"};   /* Sat: worked → off */
	days[n + 1] = (struct cal_day){D("2022-03-09"), CAL_HOLIDAY, name};      /* a Wednesday */
	days[n + 2] = (struct cal_day){D("2022-03-12"), CAL_WORKDAY, "补班"};    /* a Saturday */
	days[n + 3] = (struct cal_day){D("2022-10-03"), (enum cal_kind)0, NULL}; /* cancel: ordinary */
	days[n + 4] = (struct cal_day){D("2022-03-09"), CAL_HOLIDAY, "再次覆盖"}; /* later wins */
	struct calendar *c = calendar_new(days, n + 5);
	name[0] = 'X'; /* names are copied */
	free(days);

	const char *got = NULL;
	assert_int_equal(calendar_is_workday(c, D("2022-10-08")), 0);
	assert_int_equal(calendar_special(c, D("2022-10-08"), &got), CAL_HOLIDAY);
	assert_int_equal(calendar_is_workday(c, D("2022-10-09")), 1); /* untouched */
	assert_int_equal(calendar_is_workday(c, D("2022-03-09")), 0);
	assert_int_equal(calendar_special(c, D("2022-03-09"), &got), CAL_HOLIDAY);
	assert_string_equal(got, "再次覆盖");
	assert_int_equal(calendar_is_workday(c, D("2022-03-12")), 1);
	assert_int_equal(calendar_special(c, D("2022-10-03"), &got), 0); /* Monday, made ordinary */
	assert_null(got);
	assert_int_equal(calendar_is_workday(c, D("2022-10-03")), 1);

	/* arithmetic follows the overrides */
	assert_date(calendar_add_workdays(c, D("2022-03-08"), 1), "2022-03-10");
	assert_date(calendar_add_workdays(c, D("2022-03-10"), 2), "2022-03-12");
	assert_date(calendar_add_workdays(c, D("2022-09-29"), 2), "2022-10-03");
	assert_date(calendar_add_workdays(c, D("2022-09-29"), 3), "2022-10-09");
	assert_int_equal(calendar_workdays_between(c, D("2022-03-06"), D("2022-03-13")), 5);
	calendar_free(c);
}

static void test_new_unsorted_and_names(void **state)
{
	(void)state;
	struct cal_day days[] = {
		{D("2024-05-03"), CAL_HOLIDAY, "劳动节"},
		{D("2024-04-28"), CAL_WORKDAY, "劳动节"},
		{D("2024-05-01"), CAL_HOLIDAY, NULL},
		{D("2024-05-02"), CAL_HOLIDAY, "劳动节"},
		{D("2024-04-28"), CAL_WORKDAY, "劳动节调休"},
	};
	struct calendar *c = calendar_new(days, sizeof days / sizeof days[0]);
	const char *got = "x";
	assert_int_equal(calendar_special(c, D("2024-05-01"), &got), CAL_HOLIDAY);
	assert_null(got);
	assert_int_equal(calendar_special(c, D("2024-04-28"), &got), CAL_WORKDAY);
	assert_string_equal(got, "劳动节调休");
	assert_int_equal(calendar_special(c, D("2024-05-02"), NULL), CAL_HOLIDAY);
	assert_date(calendar_add_workdays(c, D("2024-04-26"), 1), "2024-04-28");
	assert_date(calendar_add_workdays(c, D("2024-04-30"), 1), "2024-05-06");
	calendar_free(c);
	calendar_free(NULL);
	c = calendar_new(NULL, 0);
	assert_int_equal(calendar_special(c, D("2024-05-01"), NULL), 0);
	calendar_free(c);
}

/* date_parse takes exactly the real dates of 1900–2199 written YYYY-MM-DD, and each parses to the
 * day that date_format writes back; clock_format_ms agrees with gmtime_r (+8 h) to the second. */
static void test_date_text(void **state)
{
	(void)state;
	int32_t d;
	for (int32_t day = date_from_ymd(1900, 1, 1); day <= date_from_ymd(2199, 12, 31); day++) {
		char s[11];
		date_format(day, s);
		if (date_parse(s, &d) != 0 || d != day)
			fail_msg("date_parse(%s) does not give back day %d", s, (int)day);
	}
	static const char *const bad[] = {"2023-02-29", "2023-02-30", "2024-02-30", "2023-04-31", "2023-13-01",
					  "2023-00-10", "2023-01-00", "1899-12-31", "2200-01-01", "2023-1-01",
					  "2023/01/01", "2023-01-011", "20230101", "", "2", "2023-01-0a", "２０２３-01-01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (date_parse(bad[i], &d) == 0)
			fail_msg("date_parse accepts %s", bad[i]);
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_int_not_equal(date_parse("1900-02-29", &d), 0);
	assert_int_not_equal(date_parse(NULL, &d), 0);
	for (int64_t ms = -86400000LL * 3; ms < 7000000000000LL; ms += 86399937LL * 7 + 1234) {
		char s[32], want[80];
		time_t t = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)) + 8 * 3600;
		struct tm tm;
		gmtime_r(&t, &tm);
		snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		assert_string_equal(clock_format_ms(ms, s), want);
	}
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_text),
		cmocka_unit_test(test_plain_weekdays_and_weekends),
		cmocka_unit_test(test_plain_arithmetic),
		cmocka_unit_test(test_guoqing_2022),
		cmocka_unit_test(test_chunjie_2023),
		cmocka_unit_test(test_chunjie_2024),
		cmocka_unit_test(test_chunjie_2025),
		cmocka_unit_test(test_2026),
		cmocka_unit_test(test_2027_provisional_present),
		cmocka_unit_test(test_shipped_sorted_unique),
		cmocka_unit_test(test_shipped_kinds_weekdays_names),
		cmocka_unit_test(test_shipped_blocks),
		cmocka_unit_test(test_shipped_statutory_balance),
		cmocka_unit_test(test_festival_days_are_holidays),
		cmocka_unit_test(test_max_six_day_runs_from_2025),
		cmocka_unit_test(test_add_between_consistency),
		cmocka_unit_test(test_between_matches_naive_count),
		cmocka_unit_test(test_backwards),
		cmocka_unit_test(test_large_n),
		cmocka_unit_test(test_overrides_appended),
		cmocka_unit_test(test_new_unsorted_and_names),
	};
	return cmocka_run_group_tests_name("calendar", tests, group_setup, group_teardown);
}
