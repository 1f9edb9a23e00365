/* test_mask.c — unit tests for core/mask.c: mask_apply() for names, phone and ID fields,
 * addresses, household labels and free text at every level; mask_text()/mask_text_public() on
 * one table of every number form (separators, digit scripts, Chinese numerals, prefixes, IDs,
 * cards, landlines, unknown numbers) and of the readable ones (amounts, dates, years, times),
 * with known names; and property tests over that table (idempotence, and no 7 digits standing
 * together unmasked by mask_oracle.h's independent model, dates and amounts aside). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "base/utf8.h"
#include "base/mem.h"
#include "core/mask.h"
#include "mask_oracle.h"

/* Assert mask_apply(field, in, level) returns exactly want (NULL: returns NULL). */
static void check(enum mask_field field, const char *in, enum mask_level level, const char *want)
{
	char *got = mask_apply(field, in, level);
	if (!want) {
		if (got)
			print_error("mask_apply(%d, \"%s\", %d) = \"%s\", want NULL\n", field, in, level, got);
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_true(utf8_valid(got, strlen(got)));
	assert_string_equal(got, want);
	free(got);
}

/* Text must come back unchanged at every level. */
static void check_untouched(const char *in)
{
	check(MASK_TEXT, in, MASK_PUBLIC, in);
	check(MASK_TEXT, in, MASK_STAFF, in);
	check(MASK_TEXT, in, MASK_FULL, in);
}

/* ---- names ---- */

static void test_name_two_chars(void **state)
{
	(void)state;
	check(MASK_NAME, "张三", MASK_PUBLIC, "张*");
	check(MASK_NAME, "张三", MASK_STAFF, "张*");
	check(MASK_NAME, "张三", MASK_FULL, "张三");
}

static void test_name_three_chars(void **state)
{
	(void)state;
	check(MASK_NAME, "张小明", MASK_PUBLIC, "张**");
	check(MASK_NAME, "李建国", MASK_STAFF, "李**");
}

static void test_name_compound_surname(void **state)
{
	(void)state;
	check(MASK_NAME, "欧阳娜娜", MASK_PUBLIC, "欧阳**");
	check(MASK_NAME, "司马光", MASK_PUBLIC, "司马*");
	check(MASK_NAME, "诸葛亮", MASK_STAFF, "诸葛*");
	check(MASK_NAME, "上官婉儿", MASK_PUBLIC, "上官**");
	check(MASK_NAME, "第五伦", MASK_PUBLIC, "第五*");
	/* Not compound: 张三丰 keeps only 张. */
	check(MASK_NAME, "张三丰", MASK_PUBLIC, "张**");
}

static void test_name_compound_two_chars(void **state)
{
	(void)state;
	/* A two-character name is surname + one given character, even when it reads as 欧阳. */
	check(MASK_NAME, "欧阳", MASK_PUBLIC, "欧*");
}

static void test_name_single_char(void **state)
{
	(void)state;
	check(MASK_NAME, "张", MASK_PUBLIC, "*");
	check(MASK_NAME, "J", MASK_STAFF, "*");
}

static void test_name_latin(void **state)
{
	(void)state;
	check(MASK_NAME, "John", MASK_PUBLIC, "J***");
	check(MASK_NAME, "John Smith", MASK_STAFF, "J*** *****");
	check(MASK_NAME, "Anne-Marie", MASK_PUBLIC, "A***-*****");
}

static void test_name_whitespace(void **state)
{
	(void)state;
	check(MASK_NAME, "  张小明 \t", MASK_PUBLIC, "张**");
	check(MASK_NAME, "\u3000欧阳娜娜\u3000", MASK_PUBLIC, "欧阳**");
	check(MASK_NAME, "  John   Smith  ", MASK_PUBLIC, "J*** *****");
	check(MASK_NAME, "张 三", MASK_PUBLIC, "张*");
	check(MASK_NAME, "   ", MASK_PUBLIC, "");
	check(MASK_NAME, "阿依古丽·买买提", MASK_PUBLIC, "阿***·***");
}

/* ---- phone field ---- */

static void test_phone_levels(void **state)
{
	(void)state;
	check(MASK_PHONE, "13812345678", MASK_PUBLIC, NULL);
	check(MASK_PHONE, "13812345678", MASK_STAFF, "138****5678");
	check(MASK_PHONE, "13812345678", MASK_FULL, "13812345678");
}

static void test_phone_prefix_and_groups(void **state)
{
	(void)state;
	check(MASK_PHONE, "+86 138 1234 5678", MASK_STAFF, "138****5678");
	check(MASK_PHONE, "+86 138 1234 5678", MASK_PUBLIC, NULL);
	check(MASK_PHONE, "+86 138 1234 5678", MASK_FULL, "+86 138 1234 5678");
	check(MASK_PHONE, "138-1234-5678", MASK_STAFF, "138****5678");
	check(MASK_PHONE, "8613812345678", MASK_STAFF, "138****5678");
	check(MASK_PHONE, " 0086-13812345678 ", MASK_STAFF, "138****5678");
}

static void test_phone_fullwidth(void **state)
{
	(void)state;
	check(MASK_PHONE, "１３８１２３４５６７８", MASK_STAFF, "138****5678");
	check(MASK_PHONE, "１３８１２３４５６７８", MASK_PUBLIC, NULL);
	check(MASK_PHONE, "１３８１２３４５６７８", MASK_FULL, "１３８１２３４５６７８");
}

static void test_phone_landline(void **state)
{
	(void)state;
	/* Every staff mask holds 4 stars (mask_text_public recognises that shape), also for a
	 * 7-digit local number: 0716-***4567 before. */
	check(MASK_PHONE, "0716-1234567", MASK_STAFF, "0716-****4567");
	check(MASK_PHONE, "027-87654321", MASK_STAFF, "027-****4321");
	check(MASK_PHONE, "0716-1234567", MASK_PUBLIC, NULL);
}

static void test_phone_odd_values(void **state)
{
	(void)state;
	/* Extra words: the number is still masked, and no stray digit survives. */
	check(MASK_PHONE, "13812345678（本人）", MASK_STAFF, "138****5678（本人）");
	check(MASK_PHONE, "无", MASK_STAFF, "无");
	check(MASK_PHONE, "12345", MASK_STAFF, "*****");
	check(MASK_PHONE, "座机 0716-1234567 转 801", MASK_STAFF, "座机 0716-****4567 转 ***");
}

/* ---- ID field ---- */

static void test_idno(void **state)
{
	(void)state;
	check(MASK_IDNO, "421023199001011234", MASK_PUBLIC, NULL);
	check(MASK_IDNO, "421023199001011234", MASK_STAFF, "4210**********1234");
	check(MASK_IDNO, "421023199001011234", MASK_FULL, "421023199001011234");
}

static void test_idno_x(void **state)
{
	(void)state;
	check(MASK_IDNO, "42102319900101123X", MASK_STAFF, "4210**********123X");
	check(MASK_IDNO, "42102319900101123x", MASK_STAFF, "4210**********123X");
	check(MASK_IDNO, "42102319900101123X", MASK_PUBLIC, NULL);
	check(MASK_IDNO, "42102319900101123x", MASK_FULL, "42102319900101123x");
}

static void test_idno_old_and_spaced(void **state)
{
	(void)state;
	check(MASK_IDNO, "421023900101123", MASK_STAFF, "4210*******1123");
	check(MASK_IDNO, " 421023 19900101 1234 ", MASK_STAFF, "4210**********1234");
	check(MASK_IDNO, "４２１０２３１９９００１０１１２３Ｘ", MASK_STAFF, "4210**********123X");
}

/* ---- addresses ---- */

static void test_address_cut(void **state)
{
	(void)state;
	check(MASK_ADDRESS, "湖北省监利市周老嘴镇新河口村三组12号", MASK_PUBLIC, "湖北省监利市周老嘴镇新河口村三组");
	check(MASK_ADDRESS, "湖北省监利市周老嘴镇新河口村三组12号", MASK_STAFF, "湖北省监利市周老嘴镇新河口村三组");
	check(MASK_ADDRESS, "湖北省监利市周老嘴镇新河口村三组12号", MASK_FULL,
	      "湖北省监利市周老嘴镇新河口村三组12号");
	check(MASK_ADDRESS, "监利市容城镇玉沙社区东门路8号3栋", MASK_PUBLIC, "监利市容城镇玉沙社区");
	check(MASK_ADDRESS, "红城乡新沟村七队23号", MASK_PUBLIC, "红城乡新沟村七队");
	check(MASK_ADDRESS, "城南街道荆江居委会5栋201", MASK_PUBLIC, "城南街道荆江居委会");
	check(MASK_ADDRESS, "黑龙江省某县李家屯15号", MASK_STAFF, "黑龙江省某县李家屯");
}

static void test_address_no_marker(void **state)
{
	(void)state;
	check(MASK_ADDRESS, "监利市容城镇玉沙路8号", MASK_PUBLIC, NULL);
	check(MASK_ADDRESS, "监利市容城镇玉沙路8号", MASK_STAFF, NULL);
	check(MASK_ADDRESS, "监利市容城镇玉沙路8号", MASK_FULL, "监利市容城镇玉沙路8号");
}

/* ---- free text ---- */

static void test_text_phone_between_chinese(void **state)
{
	(void)state;
	check(MASK_TEXT, "请联系王师傅13812345678处理", MASK_PUBLIC, "请联系王师傅【已隐藏】处理");
	check(MASK_TEXT, "请联系王师傅13812345678处理", MASK_STAFF, "请联系王师傅138****5678处理");
	check(MASK_TEXT, "请联系王师傅13812345678处理", MASK_FULL, "请联系王师傅13812345678处理");
}

static void test_text_two_numbers(void **state)
{
	(void)state;
	check(MASK_TEXT, "电话13812345678，备用13987654321。", MASK_PUBLIC, "电话【已隐藏】，备用【已隐藏】。");
	check(MASK_TEXT, "电话13812345678，身份证421023199001011234", MASK_STAFF,
	      "电话138****5678，身份证4210**********1234");
	/* Two numbers one space apart are two matches, not one 22-digit number. */
	check(MASK_TEXT, "13812345678 13987654321", MASK_PUBLIC, "【已隐藏】 【已隐藏】");
	check(MASK_TEXT, "13812345678 13987654321", MASK_STAFF, "138****5678 139****4321");
}

static void test_text_fullwidth(void **state)
{
	(void)state;
	check(MASK_TEXT, "手机：１３８１２３４５６７８。", MASK_PUBLIC, "手机：【已隐藏】。");
	check(MASK_TEXT, "手机：１３８１２３４５６７８。", MASK_STAFF, "手机：138****5678。");
	check(MASK_TEXT, "手机：１３８ １２３４ ５６７８", MASK_PUBLIC, "手机：【已隐藏】");
}

static void test_text_prefix(void **state)
{
	(void)state;
	check(MASK_TEXT, "联系+86 138 1234 5678谢谢", MASK_PUBLIC, "联系【已隐藏】谢谢");
	check(MASK_TEXT, "联系+86 138 1234 5678谢谢", MASK_STAFF, "联系138****5678谢谢");
	check(MASK_TEXT, "联系＋８６－１３８１２３４５６７８", MASK_PUBLIC, "联系【已隐藏】");
	check(MASK_TEXT, "联系86 13812345678", MASK_STAFF, "联系138****5678");
	check(MASK_TEXT, "联系+8613812345678", MASK_PUBLIC, "联系【已隐藏】");
	/* Glued to other digits: the staff mask is set apart so the digits do not run together. */
	check(MASK_TEXT, "编号66＋8613812345678", MASK_STAFF, "编号66 138****5678");
	check(MASK_TEXT, "编号66(0716)1234567", MASK_STAFF, "编号66 0716-****4567");
}

static void test_text_separators(void **state)
{
	(void)state;
	check(MASK_TEXT, "手机 138-1234-5678 座机 0716-1234567", MASK_PUBLIC, "手机 【已隐藏】 座机 【已隐藏】");
	check(MASK_TEXT, "手机 138-1234-5678 座机 0716-1234567", MASK_STAFF, "手机 138****5678 座机 0716-****4567");
	check(MASK_TEXT, "拨1 3 8 1 2 3 4 5 6 7 8", MASK_PUBLIC, "拨【已隐藏】");
	check(MASK_TEXT, "拨027 8765 4321。", MASK_STAFF, "拨027-****4321。");
	check(MASK_TEXT, "电话：(0716)1234567", MASK_PUBLIC, "电话：【已隐藏】");
	check(MASK_TEXT, "电话：（027）8765 4321，", MASK_STAFF, "电话：027-****4321，");
	check_untouched("（见附件(1)）、(2022)");
}

static void test_text_id_numbers(void **state)
{
	(void)state;
	check(MASK_TEXT, "身份证号42102319900101123X，已核实", MASK_PUBLIC, "身份证号【已隐藏】，已核实");
	check(MASK_TEXT, "身份证号42102319900101123x，已核实", MASK_STAFF, "身份证号4210**********123X，已核实");
	check(MASK_TEXT, "身份证 421023 19900101 1234", MASK_STAFF, "身份证 4210**********1234");
	check(MASK_TEXT, "旧证421023900101123", MASK_PUBLIC, "旧证【已隐藏】");
}

static void test_text_amounts_untouched(void **state)
{
	(void)state;
	check_untouched("完成8.84亿元，占全年预算的58.2%");
	check_untouched("2022年7月19日");
	check_untouched("3658立方米");
	check_untouched("邮编433300，监利市");
	check_untouched("2022-07-19 至 2022-08-01，共14天");
	check_untouched("2022-07-19 2022-08-01");
	check_untouched("第1 2 3组");
	check_untouched("投资1200000元（120万元）");
	check_untouched("服务热线12345");
}

static void test_text_long_runs(void **state)
{
	(void)state;
	/* A bank card number matches no phone/ID pattern but is 11+ contiguous digits. */
	check(MASK_TEXT, "卡号6222021234567890123", MASK_PUBLIC, "卡号【已隐藏】");
	check(MASK_TEXT, "卡号6222021234567890123", MASK_STAFF, "卡号6222***********0123");
}

static void test_full_identical(void **state)
{
	(void)state;
	const char *in = "王某（13812345678，421023199001011234）住新河口村三组12号，+86 139 8765 4321";
	check(MASK_TEXT, in, MASK_FULL, in);
	check(MASK_NAME, " 张三 ", MASK_FULL, " 张三 ");
	check(MASK_ADDRESS, in, MASK_FULL, in);
}

static void test_null_value(void **state)
{
	(void)state;
	for (int f = MASK_NAME; f <= MASK_LABEL; f++)
		for (int l = MASK_PUBLIC; l <= MASK_FULL; l++)
			assert_null(mask_apply((enum mask_field)f, NULL, (enum mask_level)l));
	assert_null(mask_text(NULL, NULL));
	assert_null(mask_text_public(NULL));
	assert_null(mask_label(NULL, NULL));
}

static void test_output_valid_utf8(void **state)
{
	(void)state;
	const char *inputs[] = {
		"",
		"张",
		"+",
		"＋８６",
		"1 3 8 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9",
		"欧阳娜娜１３８１２３４５６７８X组村社区",
		"\xF0\x9F\x98\x80 emoji 13812345678 \xF0\x9F\x98\x80",
		"\xE6\xB5\x8B\xE8\xAF", /* truncated sequence: the contract is broken, output must not be */
		"\xFF\xFE 13812345678 \xC0\xAF",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
		for (int f = MASK_NAME; f <= MASK_LABEL; f++)
			for (int l = MASK_PUBLIC; l <= MASK_FULL; l++) {
				char *out = mask_apply((enum mask_field)f, inputs[i], (enum mask_level)l);
				if (out) {
					assert_true(utf8_valid(out, strlen(out)));
					if (l != MASK_FULL)
						assert_null(strstr(out, "13812345678"));
				}
				free(out);
			}
	check(MASK_TEXT, "\xFF" "13812345678", MASK_PUBLIC, "\xEF\xBF\xBD【已隐藏】");
}

/* ---- mask_text / mask_text_public: one table of every form ---- */

static const char *const n_zhangsan[] = {"张三"};
static const char *const n_xiaoming[] = {"张小明"};
static const char *const n_ouyang[] = {"欧阳娜娜"};
static const char *const n_latin[] = {"John Smith"};
static const char *const n_several[] = {"张三", "", NULL, "李", "王小红"};
static const struct mask_names NM_ZHANGSAN = {n_zhangsan, 1};
static const struct mask_names NM_XIAOMING = {n_xiaoming, 1};
static const struct mask_names NM_OUYANG = {n_ouyang, 1};
static const struct mask_names NM_LATIN = {n_latin, 1};
static const struct mask_names NM_SEVERAL = {n_several, 5};

struct text_case {
	const char *in;
	const struct mask_names *names;
	const char *staff;  /* mask_text(in, names) */
	const char *public; /* mask_text_public(staff) */
};

#define SAME(s) s, NULL, s, s /* readable, no names: unchanged in both forms */

/* clang-format off */
static const struct text_case text_cases[] = {
	/* separators between the groups of a mobile number */
	{"电话138.1234.5678", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话138  1234  5678。", NULL, "电话138****5678。", "电话【已隐藏】。"},
	{"电话 138 - 1234 - 5678 找我", NULL, "电话 138****5678 找我", "电话 【已隐藏】 找我"},
	{"电话\t138\t1234\t5678", NULL, "电话\t138****5678", "电话\t【已隐藏】"},
	{"138\u200b1234\u200b5678", NULL, "138****5678", "【已隐藏】"},
	{"138\u20601234\u20605678", NULL, "138****5678", "【已隐藏】"},
	{"138\ufeff1234\ufeff5678", NULL, "138****5678", "【已隐藏】"},
	{"138\u00ad1234\u00ad5678", NULL, "138****5678", "【已隐藏】"},
	{"1\u200b3\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8", NULL, "138****5678", "【已隐藏】"},
	{"号码138_1234_5678", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码138/1234/5678", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码138，1234，5678，", NULL, "号码138****5678，", "号码【已隐藏】，"},
	{"号码138、1234、5678", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码(138)(1234)(5678)", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码【138】【1234】【5678】", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码138\u30001234\u00a05678", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码138–1234—5678", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码138−1234－5678", NULL, "号码138****5678", "号码【已隐藏】"},
	{"号码138 ) ( 1234", NULL, "号码138 ) ( 1234", "号码138 ) ( 1234"}, /* 7 digits, 4 separators */
	/* digits of every form */
	{"电话①③⑧①②③④⑤⑥⑦⑧", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话⑴⑶⑻⑴⑵⑶⑷⑸⑹⑺⑻", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话⒈⒊⒏⒈⒉⒊⒋⒌⒍⒎⒏", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话¹³⁸¹²³⁴⁵⁶⁷⁸", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话１３８１２３４５６７８", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话١٣٨١٢٣٤٥٦٧٨", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话❶❸❽❶❷❸❹❺❻❼❽", NULL, "电话138****5678", "电话【已隐藏】"},
	{"卡号⑩⑩⑩⑩⑩⑩⑩⑩", NULL, "卡号1010********1010", "卡号【已隐藏】"},
	{"电话幺三八一二三四五六七八", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话一三八 一二三四 五六七八", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话壹叁捌壹贰叁肆伍陆柒捌", NULL, "电话138****5678", "电话【已隐藏】"},
	{"电话〇七一六 一二三四五六七", NULL, "电话0716-****4567", "电话【已隐藏】"},
	{"138 1234 ５６７８", NULL, "138****5678", "【已隐藏】"},
	/* prefixes */
	{"+86 138 1234 5678", NULL, "138****5678", "【已隐藏】"},
	{"拨0086-13812345678", NULL, "拨138****5678", "拨【已隐藏】"},
	{"拨86 13812345678", NULL, "拨138****5678", "拨【已隐藏】"},
	{"拨＋８６１３８１２３４５６７８", NULL, "拨138****5678", "拨【已隐藏】"},
	{"伦敦+44 20 7946 0958", NULL, "伦敦+44******0958", "伦敦【已隐藏】"},
	/* ID numbers */
	{"身份证421023199001011234", NULL, "身份证4210**********1234", "身份证【已隐藏】"},
	{"身份证42102319900101123X。", NULL, "身份证4210**********123X。", "身份证【已隐藏】。"},
	{"身份证42102319900101123x", NULL, "身份证4210**********123X", "身份证【已隐藏】"},
	{"身份证 421023 19900101 123X", NULL, "身份证 4210**********123X", "身份证 【已隐藏】"},
	{"身份证4210 2319 9001 0112 34", NULL, "身份证4210**********1234", "身份证【已隐藏】"},
	{"老身份证421023900101123", NULL, "老身份证4210*******1123", "老身份证【已隐藏】"},
	/* bank cards: first 4 and last 4 kept */
	{"卡号6222021234567890", NULL, "卡号6222********7890", "卡号【已隐藏】"},
	{"卡号6222021234567890123", NULL, "卡号6222***********0123", "卡号【已隐藏】"},
	{"卡号6222 0212 3456 7890", NULL, "卡号6222********7890", "卡号【已隐藏】"},
	{"卡号6222 0212 3456 7890 123", NULL, "卡号6222***********0123", "卡号【已隐藏】"},
	{"卡号6222-0212-3456-7890-123", NULL, "卡号6222***********0123", "卡号【已隐藏】"},
	/* landlines */
	{"座机0716-1234567", NULL, "座机0716-****4567", "座机【已隐藏】"},
	{"座机027 8765 4321", NULL, "座机027-****4321", "座机【已隐藏】"},
	{"座机(0716)1234567", NULL, "座机0716-****4567", "座机【已隐藏】"},
	{"座机（027）87654321。", NULL, "座机027-****4321。", "座机【已隐藏】。"},
	{"座机07161234567", NULL, "座机0716-****4567", "座机【已隐藏】"},
	{"座机8765 4321", NULL, "座机****4321", "座机【已隐藏】"},
	{"座机8765-4321", NULL, "座机****4321", "座机【已隐藏】"},
	/* unknown numbers of 7-10 digits */
	{"编号1234567", NULL, "编号****567", "编号【已隐藏】"},
	{"编号12345678", NULL, "编号****5678", "编号【已隐藏】"},
	{"编号123 456 789", NULL, "编号*****6789", "编号【已隐藏】"},
	{"编号1234567890", NULL, "编号******7890", "编号【已隐藏】"},
	{"第1、2、3、4、5、6、7组", NULL, "第****567组", "第【已隐藏】组"},
	{"编号1234567890123", NULL, "编号*********0123", "编号【已隐藏】"},
	/* amounts and measures stay readable */
	{SAME("补助1234567元")},
	{SAME("投资12345.67万元")},
	{SAME("￥1234567")},
	{SAME("RMB 1234567")},
	{SAME("运输3000000吨")},
	{SAME("1,234,567 元")},
	{SAME("占95%")},
	{SAME("完成8.84亿元，占全年预算的58.2%，共99.53万吨")},
	{SAME("面积1234567㎡")},
	{SAME("共1234567人")},
	{"13812345678元", NULL, "138****5678元", "【已隐藏】元"}, /* a mobile is never an amount */
	{"12345678901元", NULL, "*******8901元", "【已隐藏】元"},  /* nor 11 digits */
	/* dates, years, times, short numbers */
	{SAME("20220701")},
	{SAME("2022-07-01")},
	{SAME("2022.07.01")},
	{SAME("2022/7/1")},
	{SAME("二〇二二年七月")},
	{SAME("二〇二二年七月一日")},
	{SAME("2022年7月19日")},
	{SAME("2021、2022、2023年")},
	{SAME("2022-07-19 2022-08-01")},
	{SAME("1998年出生")},
	/* house numbers: an exact address is cut to its village or group */
	{"第3组12号", NULL, "第3组**号", "第3组**号"},
	{"家住东湾村一组18号", NULL, "家住东湾村一组**号", "家住东湾村一组**号"},
	{"人民路25号门面", NULL, "人民路**号门面", "人民路**号门面"},
	{"幸福小区3栋2单元501室", NULL, "幸福小区*栋*单元***室", "幸福小区*栋*单元***室"},
	{SAME("东湾村2组村民")},
	{SAME("7月18号开会")},
	{SAME("第3号文件")},
	{SAME("一二三")},
	{SAME("三三两两")},
	{SAME("上午10:30到场")},
	{SAME("2022-07-01 10:30")},
	{SAME("服务热线12345")},
	{SAME("一五一十地说了")},
	{"20221301", NULL, "****1301", "【已隐藏】"}, /* no month 13: not a date */
	/* several numbers, glued ones, Chinese numerals after a number */
	{"手机13812345678，座机0716-1234567，身份证42102319900101123X，卡号6222021234567890123", NULL,
	 "手机138****5678，座机0716-****4567，身份证4210**********123X，卡号6222***********0123",
	 "手机【已隐藏】，座机【已隐藏】，身份证【已隐藏】，卡号【已隐藏】"},
	{"13812345678一直打不通", NULL, "138****5678一直打不通", "【已隐藏】一直打不通"},
	{"编号66＋8613812345678", NULL, "编号66 138****5678", "编号66 【已隐藏】"},
	{"2022-07-01 13812345678", NULL, "2022-07-01 138****5678", "2022-07-01 【已隐藏】"},
	{"8765 4321 补助3000元", NULL, "****4321 补助3000元", "【已隐藏】 补助3000元"},
	/* a date before a masked number keeps its digits off the form (idempotence); the public
	 * token takes the date with it */
	{"2022-07-01-1234567", NULL, "2022-07-01-****567", "【已隐藏】"},
	/* known names */
	{"张三说他家漏水", &NM_ZHANGSAN, "张*说他家漏水", "张*说他家漏水"},
	{"张 三来过两次", &NM_ZHANGSAN, "张*来过两次", "张*来过两次"},
	{"张\u200b三", &NM_ZHANGSAN, "张*", "张*"},
	{"张三13812345678", &NM_ZHANGSAN, "张* 138****5678", "张* 【已隐藏】"},
	{"张小明和小明都来了", &NM_XIAOMING, "张**和**都来了", "张**和**都来了"},
	{"欧阳娜娜反映，娜娜也在", &NM_OUYANG, "欧阳**反映，**也在", "欧阳**反映，**也在"},
	{"john smith called; Smith again, Smithson not", &NM_LATIN, "J*** ***** called; ***** again, Smithson not",
	 "J*** ***** called; ***** again, Smithson not"},
	{"张三和王小红，李四", &NM_SEVERAL, "张*和王**，李四", "张*和王**，李四"},
	/* a name's stars kept off digits: they would read as a masked number */
	{"John Smith13812345678", &NM_LATIN, "J*** ***** 138****5678", "J*** ***** 【已隐藏】"},
	{"2022.08.02John Smith来过", &NM_LATIN, "2022.08.02 J*** *****来过", "2022.08.02 J*** *****来过"},
	{SAME("张三说他家漏水")}, /* no names given */
	/* already masked text stays as it is */
	{"138****5678", NULL, "138****5678", "【已隐藏】"},
	{"电话138****5678，座机0716-****4567", NULL, "电话138****5678，座机0716-****4567", "电话【已隐藏】，座机【已隐藏】"},
};
/* clang-format on */

static void test_text_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++) {
		const struct text_case *tc = &text_cases[i];
		char *staff = mask_text(tc->in, tc->names);
		char *pub = mask_text_public(staff);
		if (strcmp(staff, tc->staff) != 0 || strcmp(pub, tc->public) != 0)
			print_error(
			    "case %zu \"%s\":\n  staff  \"%s\" want \"%s\"\n  public \"%s\" want \"%s\"\n", i,
			    tc->in, staff, tc->staff, pub, tc->public);
		assert_string_equal(staff, tc->staff);
		assert_string_equal(pub, tc->public);
		if (!tc->names) { /* mask_apply is the same thing */
			check(MASK_TEXT, tc->in, MASK_STAFF, tc->staff);
			check(MASK_TEXT, tc->in, MASK_PUBLIC, tc->public);
			check(MASK_TEXT, tc->in, MASK_FULL, tc->in);
		}
		free(staff);
		free(pub);
	}
}

/* Properties over the whole table: idempotence, valid UTF-8, the public form holds no masked
 * number, and no 7 digits stand together unmasked (dates and amounts aside). */
static void test_text_table_properties(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++) {
		const struct text_case *tc = &text_cases[i];
		char *staff = mask_text(tc->in, tc->names);
		char *again = mask_text(staff, tc->names);
		char *again_plain = mask_text(staff, NULL);
		char *pub = mask_text_public(staff);
		char *pub2 = mask_text_public(pub);
		if (strcmp(again, staff) != 0)
			print_error("case %zu not idempotent: \"%s\" → \"%s\"\n", i, staff, again);
		assert_string_equal(again, staff);
		assert_string_equal(again_plain, staff);
		assert_string_equal(pub2, pub);
		assert_true(utf8_valid(staff, strlen(staff)));
		assert_true(utf8_valid(pub, strlen(pub)));
		assert_false(oracle_masked_number(pub));
		size_t ds = oracle_max_digits(staff, true), dp = oracle_max_digits(pub, true);
		if (ds >= 7 || dp >= 7)
			print_error("case %zu: %zu/%zu digits together in \"%s\" / \"%s\"\n", i, ds, dp,
			            staff, pub);
		assert_true(ds < 7);
		assert_true(dp < 7);
		free(staff);
		free(again);
		free(again_plain);
		free(pub);
		free(pub2);
	}
}

static void test_text_public_shapes(void **state)
{
	(void)state;
	const char *const in[][2] = {
	    {"138****5678", "【已隐藏】"},
	    {"0716-****4567转801", "【已隐藏】转801"},
	    {"+44******0958", "【已隐藏】"},
	    {"4210**********123X号", "【已隐藏】号"},
	    {"****567", "【已隐藏】"},
	    {"张*、欧阳**、J*** *****", "张*、欧阳**、J*** *****"},
	    {"****", "****"},             /* no digit: not a masked number */
	    {"138***5678", "138***5678"}, /* three stars: not a shape mask_text writes */
	    {"\xFF 138****5678", "\xEF\xBF\xBD 【已隐藏】"},
	};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		char *got = mask_text_public(in[i][0]);
		assert_string_equal(got, in[i][1]);
		free(got);
	}
}

static void test_text_invalid_utf8(void **state)
{
	(void)state;
	char *got = mask_text("\xFF\xFE张三\xC0\xAF"
	                      "13812345678\xE6\xB5",
	                      &NM_ZHANGSAN);
	assert_true(utf8_valid(got, strlen(got)));
	assert_string_equal(got, "\xEF\xBF\xBD\xEF\xBF\xBD张*\xEF\xBF\xBD\xEF\xBF\xBD"
	                         "138****5678\xEF\xBF\xBD\xEF\xBF\xBD");
	free(got);
}

/* ---- household labels ---- */

static void test_label(void **state)
{
	/* the name found in a label (it masks the visit's note too) */
	static const char *const names[][2] = {{"张三家", "张三"}, {"3组李四户", "李四"}, {"新河口村三组12号欧阳娜娜家", "欧阳娜娜"},
					       {"张家", NULL}, {"", NULL}};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *got = mask_label_name(names[i][0]);
		if (!names[i][1])
			assert_null(got);
		else
			assert_string_equal(got, names[i][1]);
		free(got);
	}

	(void)state;
	static const char *const n_wang[] = {"王小红"};
	const struct mask_names nm = {n_wang, 1};
	const struct {
		const char *in;
		const struct mask_names *names;
		const char *want;
	} cases[] = {
	    {"张三家", NULL, "张*家"},
	    {"3组李四户", NULL, "3组李*户"},
	    {"王五", NULL, "王*"},
	    {"欧阳娜娜户", NULL, "欧阳**户"},
	    {"张小明家庭", NULL, "张**家庭"},
	    {"张家", NULL, "张家"}, /* a surname alone is kept */
	    {"新河口村三组12号李四家", NULL, "新河口村三组**号李*家"},
	    {"三组张三家（低保户）", NULL, "三组张*家（低保户）"},
	    {"3栋201室王五家", NULL, "3栋***室王*家"},
	    {"李四家 13812345678", NULL, "李*家 138****5678"},
	    {"赵六家，邻居王小红", &nm, "赵*家，邻居王**"},
	    {"John Smith家", NULL, "J*** *****家"},
	    {"", NULL, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = mask_label(cases[i].in, cases[i].names);
		if (strcmp(got, cases[i].want) != 0)
			print_error("label \"%s\" = \"%s\", want \"%s\"\n", cases[i].in, got, cases[i].want);
		assert_string_equal(got, cases[i].want);
		char *again = mask_label(got, cases[i].names);
		assert_string_equal(again, got);
		free(again);
		free(got);
		if (!cases[i].names) {
			check(MASK_LABEL, cases[i].in, MASK_STAFF, cases[i].want);
			check(MASK_LABEL, cases[i].in, MASK_FULL, cases[i].in);
		}
	}
	check(MASK_LABEL, "李四家 13812345678", MASK_PUBLIC, "李*家 【已隐藏】");
	check(MASK_LABEL, "张三家", MASK_PUBLIC, "张*家");
}

/* Masking runs on the writer thread for every intake: a 100-character description with one
 * phone number must take well under 10 µs (about 1 µs at -O2; the figure is printed).  The
 * bound is loose for loaded machines, and off under the sanitizers (QD_SANITIZED). */
static void test_text_speed(void **state)
{
	(void)state;
	const char *desc =
	    "村口三组的路灯坏了三盏，晚上出行很不方便，老人和孩子经过时容易摔倒，已经持续两个多星期了。"
	    "请尽快安排电工来维修，联系电话13812345678，我白天一直都在家，谢谢！希望村委会能够重视，早日修好"
	    "吧。";
	assert_int_equal(utf8_count(desc), 100);
	enum { N = 20000 };
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < N; i++)
		free(mask_text(desc, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	double us = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3 / N;
	print_message("# mask_text: %.2f µs per %zu-character description\n", us, utf8_count(desc));
	if (!getenv("QD_SANITIZED"))
		assert_true(us < 100);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest mask[] = {
		cmocka_unit_test(test_name_two_chars),
		cmocka_unit_test(test_name_three_chars),
		cmocka_unit_test(test_name_compound_surname),
		cmocka_unit_test(test_name_compound_two_chars),
		cmocka_unit_test(test_name_single_char),
		cmocka_unit_test(test_name_latin),
		cmocka_unit_test(test_name_whitespace),
		cmocka_unit_test(test_phone_levels),
		cmocka_unit_test(test_phone_prefix_and_groups),
		cmocka_unit_test(test_phone_fullwidth),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_phone_odd_values),
		cmocka_unit_test(test_idno),
		cmocka_unit_test(test_idno_x),
		cmocka_unit_test(test_idno_old_and_spaced),
		cmocka_unit_test(test_address_cut),
		cmocka_unit_test(test_address_no_marker),
		cmocka_unit_test(test_text_phone_between_chinese),
		cmocka_unit_test(test_text_two_numbers),
		cmocka_unit_test(test_text_fullwidth),
		cmocka_unit_test(test_text_prefix),
		cmocka_unit_test(test_text_separators),
		cmocka_unit_test(test_text_id_numbers),
		cmocka_unit_test(test_text_amounts_untouched),
		cmocka_unit_test(test_text_long_runs),
		cmocka_unit_test(test_full_identical),
		cmocka_unit_test(test_null_value),
		cmocka_unit_test(test_output_valid_utf8),
		cmocka_unit_test(test_text_table),
		cmocka_unit_test(test_text_table_properties),
		cmocka_unit_test(test_text_public_shapes),
		cmocka_unit_test(test_text_invalid_utf8),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_text_speed),
	};
	return cmocka_run_group_tests(mask, NULL, NULL);
}
