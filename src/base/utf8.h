/* utf8.h — UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). */
#ifndef QD_UTF8_H
#define QD_UTF8_H
#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..n) is valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_count(const char *s);
/* Make s valid UTF-8 in place: every byte that does not start a complete, valid sequence
 * becomes '?'.  For text cut by a fixed-size buffer or quoted from bad input. */
void utf8_sanitize(char *s);
/* Length in bytes of the first max_chars code points of valid UTF-8 s. */
size_t utf8_prefix(const char *s, size_t max_chars);
/* Decode one code point at s (valid UTF-8 assumed); returns bytes consumed (≥1). */
int utf8_decode(const char *s, uint32_t *cp);
/* Encode cp into out (≥4 bytes); returns bytes written. */
int utf8_encode(uint32_t cp, char *out);

#endif
