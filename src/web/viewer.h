/* viewer.h — the caller of a request as a presenter's viewer (present/present.h), and the
 * answers that write entities through their presenters. */
#ifndef QD_WEB_VIEWER_H
#define QD_WEB_VIEWER_H
#include "present/present.h"
#include "web/req.h"

/* The caller of r (its user, rights and today). */
struct viewer req_viewer(struct req *r);
/* Answer status with row presented by p (row is taken); 404 naming field when the caller may
 * not see it. */
void req_present(struct req *r, unsigned status, const struct presenter *p, json_t *row);

#endif
