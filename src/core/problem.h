/* problem.h — problems (the problem list): states, sources, and validation of what a resident
 * or cadre reports (phone numbers, ID numbers).  Pure. */
#ifndef QD_PROBLEM_H
#define QD_PROBLEM_H

extern const char *const problem_states[];  /* new assigned merged declined, NULL-terminated */
extern const char *const problem_sources[]; /* visit web hotline meeting import, NULL-terminated */

/* 1 if s is a plausible phone number: a mobile (11 digits, 1[3-9]…) or a landline
 * (0 + area code + 7–8 digits), allowing spaces, dashes, a +86/86 prefix, full-width digits. */
int problem_phone_valid(const char *s);
/* The digits that identify a valid phone number s (its +86 / 86 prefix dropped) into out
 * (≥ 16 bytes): the same for every way of writing it.  0, or -1 when s is not valid. */
int problem_phone_key(const char *s, char out[16]);
/* 1 if s is a resident ID number: 18 characters with a valid GB 11643 check digit. */
int problem_idno_valid(const char *s);

#endif
