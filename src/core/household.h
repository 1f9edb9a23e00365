/* household.h — the resident's name inside a household label of a visit (走访的户名):
 * "张三家" → 张三, "3组李四户" → 李四, "王五" → 王五.  Pure. */
#ifndef QD_CORE_HOUSEHOLD_H
#define QD_CORE_HOUSEHOLD_H

/* The name part of label (2–4 Chinese characters, or a Latin name), or NULL when the label
 * names nobody recognisably.  Caller frees. */
char *household_name(const char *label);

#endif
