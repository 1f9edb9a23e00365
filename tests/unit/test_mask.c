/* test_mask.c — unit tests for mask_apply() (core/mask.c): names, phone and ID fields,
 * addresses, and phone/ID numbers inside free text at every level. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/utf8.h"
#include "core/mask.h"

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
	check(MASK_PHONE, "0716-1234567", MASK_STAFF, "0716-***4567");
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
	check(MASK_PHONE, "座机 0716-1234567 转 801", MASK_STAFF, "座机 0716-***4567 转 ***");
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
	check(MASK_TEXT, "编号66(0716)1234567", MASK_STAFF, "编号66 0716-***4567");
}

static void test_text_separators(void **state)
{
	(void)state;
	check(MASK_TEXT, "手机 138-1234-5678 座机 0716-1234567", MASK_PUBLIC, "手机 【已隐藏】 座机 【已隐藏】");
	check(MASK_TEXT, "手机 138-1234-5678 座机 0716-1234567", MASK_STAFF, "手机 138****5678 座机 0716-***4567");
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
	for (int f = MASK_NAME; f <= MASK_TEXT; f++)
		for (int l = MASK_PUBLIC; l <= MASK_FULL; l++)
			assert_null(mask_apply((enum mask_field)f, NULL, (enum mask_level)l));
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
		for (int f = MASK_NAME; f <= MASK_TEXT; f++)
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

int main(void)
{
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
	};
	return cmocka_run_group_tests(mask, NULL, NULL);
}
