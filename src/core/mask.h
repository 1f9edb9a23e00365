/* mask.h — the one masking function for residents' personal data (SPEC §4).  Every outward
 * path (public pages, public API, staff API without the personal-data right, exports, logs)
 * passes personal values and free text through mask_apply().  Pure: no I/O.
 *
 * Levels:
 *   MASK_PUBLIC  anything the public can see
 *   MASK_STAFF   staff without the personal-data right
 *   MASK_FULL    staff with the right (the read is audited by the caller)
 *
 * What each field becomes:
 *   field         PUBLIC                    STAFF                     FULL
 *   MASK_NAME     张*, 欧阳**, J*** (NULL    same as PUBLIC            unchanged
 *                 when anonymous: caller)
 *   MASK_PHONE    NULL (never shown)        138****1234               unchanged
 *   MASK_IDNO     NULL (never shown)        4210**********1234        unchanged
 *   MASK_ADDRESS  cut after village/group   cut after village/group   unchanged
 *                 (…村, …组, …社区, …队, …屯);
 *                 NULL when none is found
 *   MASK_TEXT     phone/ID numbers inside   phone/ID numbers inside   unchanged
 *                 the text → 【已隐藏】       the text → 138****1234 /
 *                                           4210**********1234
 * Numbers in free text are found even when written with spaces or dashes between digits,
 * with full-width digits (０-９), or with a +86 / 86 prefix. */
#ifndef QD_MASK_H
#define QD_MASK_H

enum mask_field { MASK_NAME, MASK_PHONE, MASK_IDNO, MASK_ADDRESS, MASK_TEXT };
enum mask_level { MASK_PUBLIC, MASK_STAFF, MASK_FULL };

/* Returns a new string owned by the caller (free()), or NULL when the value must not appear at
 * this level (or value is NULL).  value must be valid UTF-8. */
char *mask_apply(enum mask_field field, const char *value, enum mask_level level);

#endif
