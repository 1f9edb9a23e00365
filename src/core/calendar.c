/* calendar.c — the Chinese working-day calendar: the shipped State Council holiday schedules
 * (2022–2027), the working-day arithmetic over a set of special days, and (at the end) the names
 * of the day kinds.
 *
 * Representation: a struct calendar holds its special days sorted by date, one per date, plus a
 * prefix sum of how much each special day changes the plain Monday–Friday count (a holiday on a
 * weekday: -1; a 调休 working Saturday/Sunday: +1; anything else: 0).  With that,
 *
 *     cum(d) = (Mondays–Fridays up to d) + (adjustments of special days ≤ d)
 *
 * is a non-decreasing count of working days, computed in O(log n), and
 *   - workdays_between(from, to) = cum(to) - cum(from);
 *   - add_workdays(start, n)     = the first d with cum(d) ≥ cum(start) + n, found by an
 *                                  exponential then binary search: O(log span · log n).
 * A NULL calendar behaves as one with no special days (plain Monday–Friday). */
#include "core/calendar.h"
#include "core/names.h"
#include "base/date.h"
#include "base/mem.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct calendar {
	size_t n;
	struct cal_day *days; /* sorted by date, unique; names owned (xstrdup) or NULL */
	int32_t *adj;         /* adj[i] = sum of adjustments of days[0 .. i-1]; n + 1 entries */
};

/* ---------------------------------------------------------------------------------------------
 * Shipped data.
 *
 * Transcribed from the 国务院办公厅 notices 关于20XX年部分节假日安排的通知:
 *   2022: 国办发明电〔2021〕11号 (2021-10-25)    2023: 国办发明电〔2022〕16号 (2022-12-08)
 *   2024: 国办发明电〔2023〕7号  (2023-10-25)    2025: 国办发明电〔2024〕12号 (2024-11-12)
 *   2026: notice of 2025-11-04
 *   2027: PROVISIONAL — not yet published when this table was written; derived below from the
 *         rules.  An administrator corrects it in the calendar table (editable at runtime) once
 *         the notice appears.
 * Every day a notice names as off is a CAL_HOLIDAY (weekend days inside a block included); the
 * weekend days it names as worked are CAL_WORKDAY, carrying the name of the holiday they pay for.
 * Where a notice only says "与周末连休" (2024 元旦, 2024 端午) just the named day is listed: the
 * adjacent weekend is an ordinary weekend.
 *
 * Day numbers are computed at compile time (Hinnant's days_from_civil for years ≥ 0); the unit
 * test checks entries against date_from_ymd().
 * ------------------------------------------------------------------------------------------- */
#define CAL_Y_(y, m) ((y) - ((m) <= 2))
#define CAL_YMD(y, m, d)                                                                       \
	((int32_t)(365 * CAL_Y_(y, m) + CAL_Y_(y, m) / 4 - CAL_Y_(y, m) / 100 + CAL_Y_(y, m) / 400 + \
		   (153 * ((m) + ((m) > 2 ? -3 : 9)) + 2) / 5 + (d) - 1 - 719468))
#define OFF(y, m, d, nm) { CAL_YMD(y, m, d), CAL_HOLIDAY, nm }
#define ON(y, m, d, nm) { CAL_YMD(y, m, d), CAL_WORKDAY, nm }

static const char YD[] = "元旦";
static const char CJ[] = "春节";
static const char QM[] = "清明节";
static const char LD[] = "劳动节";
static const char DW[] = "端午节";
static const char ZQ[] = "中秋节";
static const char GQ[] = "国庆节";
static const char ZQGQ[] = "中秋节、国庆节"; /* 2023: one combined block */
static const char GQZQ[] = "国庆节、中秋节"; /* 2025: one combined block */

static const struct cal_day shipped[] = {
	/* ---- 2022 ---- */
	/* 元旦: 1月1日至3日放假，共3天。 */
	OFF(2022, 1, 1, YD), OFF(2022, 1, 2, YD), OFF(2022, 1, 3, YD),
	/* 春节: 1月31日至2月6日放假调休，共7天。1月29日（星期六）、1月30日（星期日）上班。 */
	ON(2022, 1, 29, CJ), ON(2022, 1, 30, CJ),
	OFF(2022, 1, 31, CJ), OFF(2022, 2, 1, CJ), OFF(2022, 2, 2, CJ), OFF(2022, 2, 3, CJ),
	OFF(2022, 2, 4, CJ), OFF(2022, 2, 5, CJ), OFF(2022, 2, 6, CJ),
	/* 清明节: 4月3日至5日放假调休，共3天。4月2日（星期六）上班。 */
	ON(2022, 4, 2, QM), OFF(2022, 4, 3, QM), OFF(2022, 4, 4, QM), OFF(2022, 4, 5, QM),
	/* 劳动节: 4月30日至5月4日放假调休，共5天。4月24日（星期日）、5月7日（星期六）上班。 */
	ON(2022, 4, 24, LD),
	OFF(2022, 4, 30, LD), OFF(2022, 5, 1, LD), OFF(2022, 5, 2, LD), OFF(2022, 5, 3, LD),
	OFF(2022, 5, 4, LD),
	ON(2022, 5, 7, LD),
	/* 端午节: 6月3日至5日放假，共3天。 */
	OFF(2022, 6, 3, DW), OFF(2022, 6, 4, DW), OFF(2022, 6, 5, DW),
	/* 中秋节: 9月10日至12日放假，共3天。 */
	OFF(2022, 9, 10, ZQ), OFF(2022, 9, 11, ZQ), OFF(2022, 9, 12, ZQ),
	/* 国庆节: 10月1日至7日放假调休，共7天。10月8日（星期六）、10月9日（星期日）上班。 */
	OFF(2022, 10, 1, GQ), OFF(2022, 10, 2, GQ), OFF(2022, 10, 3, GQ), OFF(2022, 10, 4, GQ),
	OFF(2022, 10, 5, GQ), OFF(2022, 10, 6, GQ), OFF(2022, 10, 7, GQ),
	ON(2022, 10, 8, GQ), ON(2022, 10, 9, GQ),

	/* ---- 2023 ---- */
	/* 元旦: 2022年12月31日至2023年1月2日放假调休，共3天。 */
	OFF(2022, 12, 31, YD), OFF(2023, 1, 1, YD), OFF(2023, 1, 2, YD),
	/* 春节: 1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。 */
	OFF(2023, 1, 21, CJ), OFF(2023, 1, 22, CJ), OFF(2023, 1, 23, CJ), OFF(2023, 1, 24, CJ),
	OFF(2023, 1, 25, CJ), OFF(2023, 1, 26, CJ), OFF(2023, 1, 27, CJ),
	ON(2023, 1, 28, CJ), ON(2023, 1, 29, CJ),
	/* 清明节: 4月5日放假，共1天。 */
	OFF(2023, 4, 5, QM),
	/* 劳动节: 4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。 */
	ON(2023, 4, 23, LD),
	OFF(2023, 4, 29, LD), OFF(2023, 4, 30, LD), OFF(2023, 5, 1, LD), OFF(2023, 5, 2, LD),
	OFF(2023, 5, 3, LD),
	ON(2023, 5, 6, LD),
	/* 端午节: 6月22日至24日放假调休，共3天。6月25日（星期日）上班。 */
	OFF(2023, 6, 22, DW), OFF(2023, 6, 23, DW), OFF(2023, 6, 24, DW), ON(2023, 6, 25, DW),
	/* 中秋节、国庆节: 9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。 */
	OFF(2023, 9, 29, ZQGQ), OFF(2023, 9, 30, ZQGQ), OFF(2023, 10, 1, ZQGQ),
	OFF(2023, 10, 2, ZQGQ), OFF(2023, 10, 3, ZQGQ), OFF(2023, 10, 4, ZQGQ),
	OFF(2023, 10, 5, ZQGQ), OFF(2023, 10, 6, ZQGQ),
	ON(2023, 10, 7, ZQGQ), ON(2023, 10, 8, ZQGQ),

	/* ---- 2024 ---- */
	/* 元旦: 1月1日放假，与周末连休。 */
	OFF(2024, 1, 1, YD),
	/* 春节: 2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
	 * (除夕 2月9日 is a working day; the notice only encourages units to give it off.) */
	ON(2024, 2, 4, CJ),
	OFF(2024, 2, 10, CJ), OFF(2024, 2, 11, CJ), OFF(2024, 2, 12, CJ), OFF(2024, 2, 13, CJ),
	OFF(2024, 2, 14, CJ), OFF(2024, 2, 15, CJ), OFF(2024, 2, 16, CJ), OFF(2024, 2, 17, CJ),
	ON(2024, 2, 18, CJ),
	/* 清明节: 4月4日至6日放假调休，共3天。4月7日（星期日）上班。 */
	OFF(2024, 4, 4, QM), OFF(2024, 4, 5, QM), OFF(2024, 4, 6, QM), ON(2024, 4, 7, QM),
	/* 劳动节: 5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。 */
	ON(2024, 4, 28, LD),
	OFF(2024, 5, 1, LD), OFF(2024, 5, 2, LD), OFF(2024, 5, 3, LD), OFF(2024, 5, 4, LD),
	OFF(2024, 5, 5, LD),
	ON(2024, 5, 11, LD),
	/* 端午节: 6月10日放假，与周末连休。 */
	OFF(2024, 6, 10, DW),
	/* 中秋节: 9月15日至17日放假调休，共3天。9月14日（星期六）上班。 */
	ON(2024, 9, 14, ZQ), OFF(2024, 9, 15, ZQ), OFF(2024, 9, 16, ZQ), OFF(2024, 9, 17, ZQ),
	/* 国庆节: 10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。 */
	ON(2024, 9, 29, GQ),
	OFF(2024, 10, 1, GQ), OFF(2024, 10, 2, GQ), OFF(2024, 10, 3, GQ), OFF(2024, 10, 4, GQ),
	OFF(2024, 10, 5, GQ), OFF(2024, 10, 6, GQ), OFF(2024, 10, 7, GQ),
	ON(2024, 10, 12, GQ),

	/* ---- 2025 (first year under the 2024 revision: 春节 and 劳动节 each one day longer) ---- */
	/* 元旦: 1月1日（周三）放假1天，不调休。 */
	OFF(2025, 1, 1, YD),
	/* 春节: 1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
	 *       1月26日（周日）、2月8日（周六）上班。 */
	ON(2025, 1, 26, CJ),
	OFF(2025, 1, 28, CJ), OFF(2025, 1, 29, CJ), OFF(2025, 1, 30, CJ), OFF(2025, 1, 31, CJ),
	OFF(2025, 2, 1, CJ), OFF(2025, 2, 2, CJ), OFF(2025, 2, 3, CJ), OFF(2025, 2, 4, CJ),
	ON(2025, 2, 8, CJ),
	/* 清明节: 4月4日（周五）至6日（周日）放假，共3天。 */
	OFF(2025, 4, 4, QM), OFF(2025, 4, 5, QM), OFF(2025, 4, 6, QM),
	/* 劳动节: 5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。 */
	ON(2025, 4, 27, LD),
	OFF(2025, 5, 1, LD), OFF(2025, 5, 2, LD), OFF(2025, 5, 3, LD), OFF(2025, 5, 4, LD),
	OFF(2025, 5, 5, LD),
	/* 端午节: 5月31日（周六）至6月2日（周一）放假，共3天。 */
	OFF(2025, 5, 31, DW), OFF(2025, 6, 1, DW), OFF(2025, 6, 2, DW),
	/* 国庆节、中秋节: 10月1日（周三）至8日（周三）放假调休，共8天。
	 *       9月28日（周日）、10月11日（周六）上班。 */
	ON(2025, 9, 28, GQZQ),
	OFF(2025, 10, 1, GQZQ), OFF(2025, 10, 2, GQZQ), OFF(2025, 10, 3, GQZQ),
	OFF(2025, 10, 4, GQZQ), OFF(2025, 10, 5, GQZQ), OFF(2025, 10, 6, GQZQ),
	OFF(2025, 10, 7, GQZQ), OFF(2025, 10, 8, GQZQ),
	ON(2025, 10, 11, GQZQ),

	/* ---- 2026 ---- */
	/* 元旦: 1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。 */
	OFF(2026, 1, 1, YD), OFF(2026, 1, 2, YD), OFF(2026, 1, 3, YD), ON(2026, 1, 4, YD),
	/* 春节: 2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
	 *       2月14日（周六）、2月28日（周六）上班。 */
	ON(2026, 2, 14, CJ),
	OFF(2026, 2, 15, CJ), OFF(2026, 2, 16, CJ), OFF(2026, 2, 17, CJ), OFF(2026, 2, 18, CJ),
	OFF(2026, 2, 19, CJ), OFF(2026, 2, 20, CJ), OFF(2026, 2, 21, CJ), OFF(2026, 2, 22, CJ),
	OFF(2026, 2, 23, CJ),
	ON(2026, 2, 28, CJ),
	/* 清明节: 4月4日（周六）至6日（周一）放假，共3天。 */
	OFF(2026, 4, 4, QM), OFF(2026, 4, 5, QM), OFF(2026, 4, 6, QM),
	/* 劳动节: 5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。 */
	OFF(2026, 5, 1, LD), OFF(2026, 5, 2, LD), OFF(2026, 5, 3, LD), OFF(2026, 5, 4, LD),
	OFF(2026, 5, 5, LD),
	ON(2026, 5, 9, LD),
	/* 端午节: 6月19日（周五）至21日（周日）放假，共3天。 */
	OFF(2026, 6, 19, DW), OFF(2026, 6, 20, DW), OFF(2026, 6, 21, DW),
	/* 国庆节 (workday before 中秋 in date order): 9月20日（周日）上班。 */
	ON(2026, 9, 20, GQ),
	/* 中秋节: 9月25日（周五）至27日（周日）放假，共3天。 */
	OFF(2026, 9, 25, ZQ), OFF(2026, 9, 26, ZQ), OFF(2026, 9, 27, ZQ),
	/* 国庆节: 10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。 */
	OFF(2026, 10, 1, GQ), OFF(2026, 10, 2, GQ), OFF(2026, 10, 3, GQ), OFF(2026, 10, 4, GQ),
	OFF(2026, 10, 5, GQ), OFF(2026, 10, 6, GQ), OFF(2026, 10, 7, GQ),
	ON(2026, 10, 10, GQ),

	/* ---- 2027: PROVISIONAL (derived, not the published notice) ----
	 * Statutory days (全国年节及纪念日放假办法, 2024 revision): 元旦 1, 春节 4 (除夕–初三),
	 * 清明 1, 劳动节 2 (5/1–5/2), 端午 1, 中秋 1, 国庆 3 (10/1–10/3); statutory days falling on a
	 * weekend are made up on weekdays.  Practice since 2025: 春节 除夕 through 初七 (8 days),
	 * 劳动节 5 days, 国庆 7 days, other festivals 1 day (3 with an adjacent weekend), no more than
	 * 6 consecutive working days around a holiday.  2027 has the same weekday layout as 2021.
	 * Lunar dates: 除夕 Feb 5 (Fri), 春节 Feb 6; 清明 Apr 5 (Mon); 端午 Jun 9 (Wed);
	 * 中秋 Sep 15 (Wed).  Least certain: which two weekend days 春节 borrows (chosen: Jan 31 Sun
	 * and Feb 13 Sat, keeping the block 除夕–初七 and every run of work ≤ 5 days; Feb 20 Sat
	 * instead of Feb 13, making a 10-day break, is the main alternative) and the one 劳动节
	 * borrows (chosen: May 8 Sat, as 2025/2026 picked the side with the shorter run; alternative
	 * Apr 25 Sun). */
	/* 元旦: 1月1日（周五）至3日（周日），共3天。 */
	OFF(2027, 1, 1, YD), OFF(2027, 1, 2, YD), OFF(2027, 1, 3, YD),
	/* 春节: 2月5日（除夕、周五）至12日（初七、周五）放假调休，共8天。1月31日（周日）、2月13日（周六）上班。 */
	ON(2027, 1, 31, CJ),
	OFF(2027, 2, 5, CJ), OFF(2027, 2, 6, CJ), OFF(2027, 2, 7, CJ), OFF(2027, 2, 8, CJ),
	OFF(2027, 2, 9, CJ), OFF(2027, 2, 10, CJ), OFF(2027, 2, 11, CJ), OFF(2027, 2, 12, CJ),
	ON(2027, 2, 13, CJ),
	/* 清明节: 4月3日（周六）至5日（周一），共3天。 */
	OFF(2027, 4, 3, QM), OFF(2027, 4, 4, QM), OFF(2027, 4, 5, QM),
	/* 劳动节: 5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。 */
	OFF(2027, 5, 1, LD), OFF(2027, 5, 2, LD), OFF(2027, 5, 3, LD), OFF(2027, 5, 4, LD),
	OFF(2027, 5, 5, LD),
	ON(2027, 5, 8, LD),
	/* 端午节: 6月9日（周三）放假1天。 */
	OFF(2027, 6, 9, DW),
	/* 中秋节: 9月15日（周三）放假1天。 */
	OFF(2027, 9, 15, ZQ),
	/* 国庆节: 10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。 */
	ON(2027, 9, 26, GQ),
	OFF(2027, 10, 1, GQ), OFF(2027, 10, 2, GQ), OFF(2027, 10, 3, GQ), OFF(2027, 10, 4, GQ),
	OFF(2027, 10, 5, GQ), OFF(2027, 10, 6, GQ), OFF(2027, 10, 7, GQ),
	ON(2027, 10, 9, GQ),
};

#undef ON
#undef OFF
#undef CAL_YMD
#undef CAL_Y_

const struct cal_day *calendar_shipped(size_t *n)
{
	if (n)
		*n = sizeof shipped / sizeof shipped[0];
	return shipped;
}

int calendar_shipped_first_year(void)
{
	return 2022;
}

int calendar_shipped_last_year(void)
{
	return 2027;
}

/* ---------------------------------------------------------------------------------------------
 * Building a calendar.
 * ------------------------------------------------------------------------------------------- */

static int is_special_kind(int kind)
{
	return kind == CAL_HOLIDAY || kind == CAL_WORKDAY;
}

/* Monday–Friday, ignoring special days. */
static int plain_workday(int64_t date)
{
	return date_weekday((int32_t)date) <= 5;
}

/* How a special day changes the plain count: -1, 0 or +1. */
static int adjustment(const struct cal_day *d)
{
	int eff = d->kind == CAL_WORKDAY;
	return eff - plain_workday(d->date);
}

struct order {
	int32_t date;
	size_t idx; /* position in the caller's array: later wins */
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Entries whose kind is neither CAL_HOLIDAY nor CAL_WORKDAY (e.g. 0) mark the date ordinary:
 * they cancel earlier entries for that date and are not kept. */
struct calendar *calendar_new(const struct cal_day *days, size_t n)
{
	struct calendar *c = xcalloc(1, sizeof *c);
	struct order *ord = NULL;
	if (n && days) {
		ord = xmalloc(n * sizeof *ord);
		for (size_t i = 0; i < n; i++) {
			ord[i].date = days[i].date;
			ord[i].idx = i;
		}
		qsort(ord, n, sizeof *ord, cmp_order);
	} else {
		n = 0;
	}
	c->days = xmalloc((n ? n : 1) * sizeof *c->days);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && ord[i + 1].date == ord[i].date)
			continue; /* a later entry for the same date overrides this one */
		const struct cal_day *src = &days[ord[i].idx];
		if (!is_special_kind((int)src->kind))
			continue;
		struct cal_day *dst = &c->days[c->n++];
		dst->date = src->date;
		dst->kind = src->kind;
		dst->name = src->name ? xstrdup(src->name) : NULL;
	}
	free(ord);
	c->adj = xmalloc((c->n + 1) * sizeof *c->adj);
	c->adj[0] = 0;
	for (size_t i = 0; i < c->n; i++)
		c->adj[i + 1] = c->adj[i] + adjustment(&c->days[i]);
	return c;
}

void calendar_free(struct calendar *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free((char *)c->days[i].name);
	free(c->days);
	free(c->adj);
	free(c);
}

/* ---------------------------------------------------------------------------------------------
 * Queries.
 * ------------------------------------------------------------------------------------------- */

/* Number of special days with date ≤ d. */
static size_t count_upto(const struct calendar *c, int64_t d)
{
	size_t lo = 0, hi = c ? c->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->days[mid].date <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct cal_day *find(const struct calendar *c, int32_t date)
{
	size_t k = count_upto(c, date);
	if (k > 0 && c->days[k - 1].date == date)
		return &c->days[k - 1];
	return NULL;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Mondays–Fridays in [E, d] where E = day -3 (Monday 1969-12-29); negative for d < E - 1.
 * Only differences matter. */
static int64_t plain_cum(int64_t d)
{
	int64_t x = d + 3 + 1; /* days in [E, d] */
	int64_t q = floor_div(x, 7);
	int64_t r = x - 7 * q; /* 0..6 */
	return 5 * q + (r < 5 ? r : 5);
}

/* Working days in [E, d] (up to a constant): non-decreasing in d. */
static int64_t cum(const struct calendar *c, int64_t d)
{
	int64_t v = plain_cum(d);
	if (c)
		v += c->adj[count_upto(c, d)];
	return v;
}

int calendar_is_workday(const struct calendar *c, int32_t date)
{
	const struct cal_day *s = find(c, date);
	if (s)
		return s->kind == CAL_WORKDAY;
	return plain_workday(date);
}

int calendar_special(const struct calendar *c, int32_t date, const char **name)
{
	const struct cal_day *s = find(c, date);
	if (name)
		*name = s ? s->name : NULL;
	return s ? (int)s->kind : 0;
}

static int32_t clamp32(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (int32_t)v;
}

/* Smallest d in (lo, hi] with cum(d) ≥ target, given cum(lo) < target ≤ cum(hi). */
static int64_t bisect(const struct calendar *c, int64_t lo, int64_t hi, int64_t target)
{
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (cum(c, mid) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* n ≥ 1: the n-th working day after start.  n == 0: start.  n < 0 (an extension): the |n|-th
 * working day before start. */
int32_t calendar_add_workdays(const struct calendar *c, int32_t start, int n)
{
	if (n == 0)
		return start;
	if (n > 0) {
		int64_t target = cum(c, start) + n;
		int64_t lo = start, step = n, hi = (int64_t)start + step;
		while (cum(c, hi) < target) {
			lo = hi;
			step *= 2;
			hi = (int64_t)start + step;
		}
		return clamp32(bisect(c, lo, hi, target));
	}
	/* Backwards: the target day d has cum(d) = cum(start - 1) - |n| + 1 and is a working day,
	 * i.e. it is the smallest d with cum(d) ≥ that value. */
	int64_t base = (int64_t)start - 1;
	int64_t target = cum(c, base) + n + 1;
	int64_t hi = base, step = -(int64_t)n, lo = base - step;
	while (cum(c, lo) >= target) {
		hi = lo;
		step *= 2;
		lo = base - step;
	}
	return clamp32(bisect(c, lo, hi, target));
}

int calendar_workdays_between(const struct calendar *c, int32_t from, int32_t to)
{
	if (to <= from)
		return 0;
	int64_t v = cum(c, to) - cum(c, from);
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* Names of the day kinds (see calendar.h). */
const char *const cal_kind_names[CAL_KIND__COUNT + 1] = {
	[CAL_ORDINARY] = "ordinary", [CAL_HOLIDAY] = "holiday", [CAL_WORKDAY] = "workday", [CAL_KIND__COUNT] = NULL};
const char *const cal_kind_zh[CAL_KIND__COUNT + 1] = {
	[CAL_ORDINARY] = "普通日", [CAL_HOLIDAY] = "法定节假日", [CAL_WORKDAY] = "调休上班", [CAL_KIND__COUNT] = NULL};

const char *cal_kind_name(enum cal_kind k)
{
	return (unsigned)k < CAL_KIND__COUNT ? cal_kind_names[k] : NULL;
}

int cal_kind_parse(const char *s)
{
	return names_find(cal_kind_names, CAL_KIND__COUNT, s);
}
