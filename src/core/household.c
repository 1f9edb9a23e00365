/* household.c — the resident's name inside a household label (contract in core/household.h).
 * A label is "[place…]NAME[家|户|之家][…]": the place ends at the last 村, 组, 社区, 队, 屯, 号 or 室;
 * the name ends at the first 家, 户 or bracket; it is a name when it is 2–4 CJK characters, or
 * Latin letters and spaces.  The name then masks the visit's note too (store/text.c). */
#include "core/household.h"
#include "base/mem.h"
#include "base/utf8.h"
#include <stdint.h>
#include <string.h>

static int cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x00B7;
}

static int latin(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '.' || c == '-';
}

char *household_name(const char *label)
{
	if (!label || !utf8_valid(label, strlen(label)))
		return NULL;
	static const char *const places[] = {"社区", "村", "组", "队", "屯", "号", "室", NULL};
	const char *start = label;
	for (int i = 0; places[i]; i++)
		for (const char *p = strstr(label, places[i]); p; p = strstr(p + 1, places[i]))
			if (p + strlen(places[i]) > start)
				start = p + strlen(places[i]);
	/* the name ends at the first 家 / 户 (之家, 家（…）, 户主 …) or bracket */
	size_t n = strlen(start);
	static const char *const ends[] = {"之家", "家", "户", "（", "(", "，", ",", NULL};
	for (int i = 0; ends[i]; i++) {
		const char *e = strstr(start, ends[i]);
		if (e && (size_t)(e - start) < n)
			n = (size_t)(e - start);
	}
	while (n && start[0] == ' ')
		start++, n--;
	while (n && start[n - 1] == ' ')
		n--;
	size_t chars = 0, i = 0;
	int all_cjk = 1, all_latin = 1;
	while (i < n) {
		uint32_t c;
		i += (size_t)utf8_decode(start + i, &c);
		chars++;
		all_cjk &= cjk(c);
		all_latin &= latin(c);
	}
	if ((all_cjk && chars >= 2 && chars <= 4) || (all_latin && chars >= 3 && chars <= 40))
		return xstrndup(start, n);
	return NULL;
}
