/* similar.h — how alike two problem descriptions are, for the dispatcher's likely duplicates
 * (web/page_triage.c): the Jaccard index of their character-bigram sets, over the masked text the
 * store holds.  Pure: no I/O.
 *
 * Why bigrams computed here and not the databases' own measure: the two backends have no common
 * one.  SQLite's FTS5 trigram index answers substring queries but gives no similarity score, and
 * PostgreSQL's pg_trgm builds its trigrams from words of alphanumeric characters as the database's
 * locale classifies them, so Chinese text (no spaces; under the C locale not even "alphanumeric")
 * yields few or no trigrams.  Chinese words are mostly two characters long: overlapping pairs of
 * characters are the usual unit of Chinese text matching, and one function in core gives the same
 * answer on both backends.  The store only selects the candidates (same unit, within the window:
 * store_problem_nearby); the score is this. */
#ifndef QD_CORE_SIMILAR_H
#define QD_CORE_SIMILAR_H
#include <stddef.h>
#include <stdint.h>

/* A problem whose score against another is at least this (percent) is a likely duplicate.
 * Measured on the demo data (`qingdan demo`, 320 problems): the 777 pairs of different problems of
 * one unit within 90 days score 0–9 (625 of them 0); six reports of a demo problem retold in
 * other, shorter words (tests/unit/test_similar.c) score 17–37; identical texts 100. */
#define SIMILAR_THRESHOLD 15
/* Likely duplicates are looked for within this many days of the problem (either side). */
#define SIMILAR_WINDOW_DAYS 90

/* The distinct bigrams of a text (sorted).  Owned by the caller: similar_free. */
struct similar_set {
	uint64_t *v;
	size_t n;
};

/* The bigram set of text (valid UTF-8, may be NULL): ASCII letters folded to lower case, full-width
 * ASCII to its half-width form; spaces, punctuation (ASCII and CJK), symbols and the masks' '*'
 * skipped, so "138****1234" and "路灯，坏了" compare by what they say.  A text of one
 * character gives that character alone as its set. */
void similar_set(struct similar_set *s, const char *text);
void similar_free(struct similar_set *s);
/* The Jaccard index of a and b in percent (0–100): |a ∩ b| * 100 / |a ∪ b|, rounded down; 0 when
 * both are empty. */
int similar_score(const struct similar_set *a, const struct similar_set *b);
/* similar_score of two texts. */
int similar_texts(const char *a, const char *b);

#endif
