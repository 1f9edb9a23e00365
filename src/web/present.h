/* present.h — how stored rows leave the server: personal data masked (core/mask.c), overdue
 * derived, and each task's allowed actions for the caller. */
#ifndef QD_WEB_PRESENT_H
#define QD_WEB_PRESENT_H
#include "store/task.h"
#include "web/req.h"

/* Mask free text in a problem row for staff (modifies and returns row). */
json_t *present_problem(struct req *r, json_t *row);
/* Mask a task row's text, add "overdue" and "actions" (modifies and returns row). */
json_t *present_task(struct req *r, json_t *row);
/* Present every element of an array with fn. */
json_t *present_all(struct req *r, json_t *arr, json_t *(*fn)(struct req *, json_t *));
/* The row writer for task lists: the same masking, overdue, actions and hidden columns as
 * present_task, written straight to JSON text. */
struct row_writer present_task_writer(struct req *r);
/* The actor view of the caller on a task whose scope paths are given. */
struct task_actor present_actor(struct req *r, const char *origin_path, const char *unit_path);

#endif
