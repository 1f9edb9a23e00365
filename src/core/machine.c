/* machine.c — the generic functions of the machine type (core/machine.h): the order of checks
 * every action of every kind goes through, the allowed actions, overdue from the deadline block,
 * names, and the generic guards and effects over the deadline block. */
#include "core/machine.h"
#include "base/mem.h"
#include <stdlib.h>
#include <string.h>

int machine_state(const struct machine *m, const void *item)
{
	int s;
	memcpy(&s, (const char *)item + m->state_off, sizeof s);
	return s;
}

static void set_state(const struct machine *m, void *item, int s)
{
	memcpy((char *)item + m->state_off, &s, sizeof s);
}

struct deadline *machine_deadline(const struct machine *m, void *item)
{
	return m->deadline_off < 0 ? NULL : (struct deadline *)((char *)item + m->deadline_off);
}

const struct deadline *machine_deadline_c(const struct machine *m, const void *item)
{
	return m->deadline_off < 0 ? NULL : (const struct deadline *)((const char *)item + m->deadline_off);
}

static int urgency_of(const struct machine *m, const void *item)
{
	int u = URG_NORMAL;
	if (m->urgency_off >= 0)
		memcpy(&u, (const char *)item + m->urgency_off, sizeof u);
	return (unsigned)u < URG__COUNT ? u : URG_NORMAL;
}

const struct machine_transition *machine_transition(const struct machine *m, int state, int action)
{
	for (int i = 0; i < m->ntransitions; i++)
		if (m->transitions[i].from == state && m->transitions[i].action == action)
			return &m->transitions[i];
	return NULL;
}

const struct param *machine_action_body(const struct machine *m, int action)
{
	return (unsigned)action < (unsigned)m->nactions ? m->actions[action].body : NULL;
}

int machine_may(const struct machine *m, const void *item, int action, const struct machine_actor *actor,
		const json_t *body, struct qd_err *err)
{
	if ((unsigned)action >= (unsigned)m->nactions)
		return qd_fail(err, QD_EINVAL, "action", "未知的操作", "unknown action");
	int s = machine_state(m, item);
	const struct machine_transition *tr = machine_transition(m, s, action);
	if (!tr)
		return qd_fail(err, QD_ECONFLICT, "action", "%s当前状态（%s）不能进行“%s”",
			       "action '%s' is not allowed while the %s is %s", m->zh, machine_state_zh(m, s),
			       machine_action_zh(m, action), machine_action_name(m, action), m->kind,
			       machine_state_name(m, s));
	const struct machine_action *a = &m->actions[action];
	unsigned rights = a->on_handling_unit ? actor->rights_handling : actor->rights_any;
	if (!(rights & a->right))
		return qd_fail(err, QD_EPERM, "action", "您没有对该%s进行“%s”的权限", "you may not '%s' this %s",
			       m->zh, machine_action_zh(m, action), machine_action_name(m, action), m->kind);
	return a->guard ? a->guard(m, item, actor, body, err) : 0;
}

unsigned machine_allowed(const struct machine *m, const void *item, const struct machine_actor *actor)
{
	unsigned mask = 0;
	for (int a = 0; a < m->nactions && a < 32; a++)
		if (machine_may(m, item, a, actor, NULL, NULL) == 0)
			mask |= 1u << a;
	return mask;
}

int machine_act(const struct machine *m, void *item, int action, const json_t *body,
		const struct machine_actor *actor, const struct machine_ctx *c, struct qd_err *err)
{
	if (machine_may(m, item, action, actor, body, err))
		return -1;
	const struct machine_action *a = &m->actions[action];
	json_t *empty = body ? NULL : json_object();
	json_t *b = body ? (json_t *)body : empty;
	int rc = -1;
	if (!json_is_object(b)) {
		qd_fail(err, QD_EINVAL, "body", "请求体须为 JSON 对象", "the body must be a JSON object");
		goto out;
	}
	if (params_check_json(b, a->body, "", err))
		goto out;
	if (a->check && a->check(m, item, actor, b, err))
		goto out;
	void *n = xmalloc(m->size);
	memcpy(n, item, m->size);
	set_state(m, n, machine_transition(m, machine_state(m, item), action)->to);
	for (int i = 0; i < MACHINE_EFFECTS && a->effects[i]; i++)
		a->effects[i](m, n, b, c);
	memcpy(item, n, m->size);
	free(n);
	rc = 0;
out:
	json_decref(empty);
	return rc;
}

int machine_is_open(const struct machine *m, int state)
{
	return (unsigned)state < (unsigned)m->nstates && (m->state_flags[state] & MS_OPEN);
}

int machine_overdue(const struct machine *m, const void *item, int32_t today)
{
	const struct deadline *d = machine_deadline_c(m, item);
	int s = machine_state(m, item);
	if (!d || (unsigned)s >= (unsigned)m->nstates)
		return 0;
	return deadline_overdue(d, m->state_flags[s] & MS_OPEN, m->state_flags[s] & MS_DONE, today);
}

static int parse(const char *const *names, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (names[i] && names[i][0] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *machine_state_name(const struct machine *m, int s)
{
	return (unsigned)s < (unsigned)m->nstates ? m->state_names[s] : "?";
}

const char *machine_state_zh(const struct machine *m, int s)
{
	return (unsigned)s < (unsigned)m->nstates ? m->state_zh[s] : "?";
}

int machine_state_parse(const struct machine *m, const char *s)
{
	return parse(m->state_names, m->nstates, s);
}

const char *machine_action_name(const struct machine *m, int a)
{
	return (unsigned)a < (unsigned)m->nactions ? m->action_names[a] : "?";
}

const char *machine_action_zh(const struct machine *m, int a)
{
	return (unsigned)a < (unsigned)m->nactions ? m->action_zh[a] : "?";
}

int machine_action_parse(const struct machine *m, const char *s)
{
	return parse(m->action_names, m->nactions, s);
}

/* --- generic guards and effects over the deadline block ------------------------------------- */

int machine_guard_extension_left(const struct machine *m, const void *item, const struct machine_actor *actor,
				 const json_t *body, struct qd_err *err)
{
	const struct deadline *d = machine_deadline_c(m, item);
	if (d && !deadline_extension_left(d))
		return qd_fail(err, QD_ECONFLICT, "action", "该%s的延期次数已用完（允许%d次）",
			       "no extension left for this %s (%d allowed)", m->zh, d->max_extensions, m->kind,
			       d->max_extensions);
	return 0;
}

void machine_fx_start_clock(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	deadline_start(machine_deadline(m, item), c->cal, c->today, &c->limits[urgency_of(m, item)]);
}

void machine_fx_respond(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	machine_deadline(m, item)->responded_on = c->today;
}

void machine_fx_complete(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct deadline *d = machine_deadline(m, item);
	d->completed_on = c->today;
	d->extension_days = 0;
}

void machine_fx_ask_extension(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	machine_deadline(m, item)->extension_days = (int)param_int(body, "days", 0);
}

void machine_fx_grant_extension(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct deadline *d = machine_deadline(m, item);
	d->deadline = calendar_add_workdays(c->cal, d->deadline, d->extension_days);
	d->extensions_used++;
	d->extension_days = 0;
}

void machine_fx_deny_extension(const struct machine *m, void *item, const json_t *body, const struct machine_ctx *c)
{
	struct deadline *d = machine_deadline(m, item);
	d->extension_days = 0;
	d->extensions_used++;
}
