/* field.h — the Chinese labels of the fields a client sends (route queries and bodies, machine
 * actions' bodies), so that an error can name the field in words a cadre reads ("说明：不能为空")
 * next to the field's code name (the error's `field` member stays the code name).  One table
 * (field.c); tests/unit/test_field.c checks that every parameter of every route and every machine
 * action has a label, so a new field cannot arrive without one.  Pure. */
#ifndef QD_CORE_FIELD_H
#define QD_CORE_FIELD_H

/* The label of a field by its full name as errors name it ("note", "reporter.phone"; a numbered
 * form block "p2_phone" has the label of "phone"), or NULL
 * when the table has none (static storage). */
const char *field_zh(const char *name);
/* The i-th entry of the table (its name; *zh its label), or NULL past the end: for the test of
 * its order and for documentation. */
const char *field_label_at(int i, const char **zh);

#endif
