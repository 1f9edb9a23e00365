/* mask.h — the masking of residents' personal data (SPEC §4): names, phone numbers, ID numbers,
 * addresses, household labels, and every number and known name inside free text.  Every outward
 * path (public pages, public API, staff without the personal-data right, exports, logs) and the
 * stored projections pass personal values and free text through these functions.  Pure: no I/O.
 * This comment is the reference for what is masked and how (the README points here).
 *
 * Levels:
 *   MASK_PUBLIC  anything the public can see
 *   MASK_STAFF   staff without the personal-data right; also the stored form of free text
 *   MASK_FULL    staff with the right (the read is audited by the caller)
 *
 * What each field becomes:
 *   field         PUBLIC                       STAFF                       FULL
 *   MASK_NAME     张*, 欧阳**, J*** (NULL       same as PUBLIC              unchanged
 *                 when anonymous: caller)
 *   MASK_PHONE    NULL (never shown)           138****5678, 0716-****4567  unchanged
 *   MASK_IDNO     NULL (never shown)           4210**********1234          unchanged
 *   MASK_ADDRESS  cut after village/group (…村, …组, …社区, …队, …屯; NULL   unchanged
 *                 when none is found), numbers in the rest as in MASK_TEXT
 *   MASK_TEXT     mask_text_public(mask_text)  mask_text(value, NULL)      unchanged
 *   MASK_LABEL    mask_text_public(mask_label) mask_label(value, NULL)     unchanged
 *
 * Numbers in free text.  The text is looked at through a per-character normalisation; the output
 * keeps the writer's own characters everywhere except inside a masked span, which is replaced
 * whole (separators included) by the canonical masked form below.
 *   Digits: ASCII, full-width and every other script with a decimal value (Arabic-Indic,
 *     Devanagari, mathematical 𝟏 …); characters whose compatibility form is digits with only
 *     ( ) . , around them (① … ⑳ ⑴ ⒈ ¹ ₁ 🄁); other number signs with a whole value 0-20
 *     (❶ ⓫); Chinese numerals 〇零一二三四五六七八九幺两兩 and the capitals 壹贰貳叁參肆伍陆陸柒捌玖.
 *     Chinese numerals count only where 7 or more of them stand together (joined by separators):
 *     一二三, 三三两两, 二〇二二年 are ordinary text.
 *   A run is digit groups joined by up to 3 separator characters: any white space, zero-width
 *     and other format characters (Cf), combining marks, dashes and minus signs (- ‐ – — − －
 *     …), dots (. ． 。 · ・ •), underscores (_ ＿), slashes (/ ／ \), commas (, ， 、) and brackets
 *     (( ) （ ） [ ] 【 】 〔 〕 〈 〉 《 》 { }).  Not colons: 10:30 is a time.  A leading + / ＋
 *     belongs to the run; an X after the last group may end an ID number.
 *   Within a run, from the left, the longest span of whole groups (≤ 19 digits) that is one of
 *   these is taken (tried in this order, so a mobile or ID number is never an amount):
 *     mobile     1[3-9] + 9 digits, optionally after 86 / +86 / 0086      138****5678
 *     ID         18 digits, 17 + X, or 15 (split into groups: the birth   4210**********1234
 *                date must be plausible)                                   4210**********123X
 *     +number    + and 8-15 digits                                         +44******0958
 *     landline   area code 0 + 2-3 digits as its own group (or in          0716-****4567
 *                brackets), then 7-8 digits; or 10-12 digits from 0
 *     bank card  16-19 digits, one group or groups of 4                    6222***********1234
 *     date       yyyymmdd, yyyy-mm-dd (also . and /) for years 1900-2099  readable
 *                with a real month and day; years before 年 (2021、2022年)
 *     amount     at most 10 digits followed (after white space) by a unit readable
 *                (元 万 亿 吨 亩 米 公里 公斤 % ‰ 户 人 个 ㎡ kg km m …) or
 *                preceded by ¥ ￥ $ 人民币 RMB; thousands and decimal forms
 *                (1,234,567元, 12345.67万元)
 *   Groups taken by none of these are gathered between the taken spans: when 7 or more digits
 *   stand together that way (an amount glued to them counts with them), they are masked as an
 *   unknown number: stars for all but the last 3 (7 digits) or 4 digits: 8765 4321 → ****4321.
 *   When a masked form would follow a digit directly, a space is put between them.
 * Every masked number therefore holds at least 4 consecutive '*' and at least one digit, and
 * shows at most 4 digits on either side.  Name masks (张*, 欧阳**) hold fewer stars and no digit.
 *
 * House numbers: the digits between a place word (村 组 社区 小区 路 街 巷 弄 栋 单元 …) and a
 * house-number word (号 室 栋 幢 单元 楼 户) become stars — 东湾村一组18号 → 东湾村一组**号,
 * 幸福小区3栋2单元501室 → 幸福小区*栋*单元***室 — since an exact address is cut to its village or
 * group; group numbers (2组), dates (7月18号) and document numbers (第3号) stay.
 *
 * Known names (struct mask_names, the item's reporter and parties): every occurrence of each
 * name of 2+ characters in the text — also with white space or zero-width characters between
 * its characters, Latin names case-insensitively on word boundaries — becomes its MASK_NAME form
 * (张三 → 张*, 欧阳娜娜 → 欧阳**).  For Chinese names of 3+ characters the given name alone
 * (2+ characters: 小明 of 张小明) becomes ** too; for Latin names of several words each word of
 * 3+ letters alone becomes stars.  A space keeps a name's mask off digits, + - X and '*', so that
 * it never reads as a masked number.
 *
 * mask_text is idempotent and its output is valid UTF-8 for any input.  Identifiers and
 * timestamps are not free text and are never passed here. */
#ifndef QD_MASK_H
#define QD_MASK_H
#include <stddef.h>

enum mask_field { MASK_NAME, MASK_PHONE, MASK_IDNO, MASK_ADDRESS, MASK_TEXT, MASK_LABEL };
enum mask_level { MASK_PUBLIC, MASK_STAFF, MASK_FULL };
/* Names known to belong to the item's residents (reporter, parties): masked inside text too.
 * v[0..n) may hold NULL or empty entries (ignored); the strings stay the caller's. */
struct mask_names {
	const char *const *v;
	size_t n;
};

/* The stored form of free text (what the database projections hold, what staff without the
 * personal-data right see): numbers masked in their staff form, known names masked (张*).
 * names may be NULL.  Caller frees.  Input need not be valid UTF-8 (invalid bytes → U+FFFD).
 * NULL text gives NULL. */
char *mask_text(const char *text, const struct mask_names *names);
/* The public form of text already in stored form: every masked number (the shapes mask_text
 * writes, e.g. 138****5678: a maximal token of ASCII digits, + - X and '*' holding 4
 * consecutive '*' and a digit) becomes 【已隐藏】; everything else unchanged.  Caller frees.
 * Invalid UTF-8 bytes become U+FFFD; NULL gives NULL. */
char *mask_text_public(const char *stored);
/* A household label (走访的户名, e.g. "张三家", "3组李四户", "王五"): the resident's name in it masked
 * (张*家, 3组李*户, 王*), numbers masked as in mask_text, known names too.  The name is the first
 * stretch of 2+ Han (or Latin) characters after the last place marker (村 组 队 社区 号 栋 …) of its
 * word, without a trailing 家 / 户 / 家庭; a surname alone (张家) is kept.  Caller frees; NULL
 * gives NULL. */
char *mask_label(const char *label, const struct mask_names *names);
/* The resident's name inside a household label, as mask_label finds it (张三家 → 张三), or NULL
 * when the label names nobody recognisably: a known name for masking the visit's note.  Caller
 * frees. */
char *mask_label_name(const char *label);
/* Returns a new string owned by the caller (free()), or NULL when the value must not appear at
 * this level (or value is NULL).  NAME/PHONE/IDNO/ADDRESS as in the table above.  MASK_TEXT:
 * STAFF = mask_text(v, NULL), PUBLIC = mask_text_public(mask_text(v, NULL)), FULL = unchanged.
 * MASK_LABEL likewise with mask_label.  Invalid UTF-8 bytes become U+FFFD at every level. */
char *mask_apply(enum mask_field field, const char *value, enum mask_level level);

#endif
