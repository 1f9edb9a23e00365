/* machine.c — the generic functions of the machine type (core/machine.h): the order of checks
 * every action of every kind goes through, the allowed actions, overdue from the deadline block,
 * names, and the generic guards and effects over the deadline block. */
#include "core/machine.h"
#include "core/names.h"
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

int machine_check(const struct machine *m, struct qd_err *err)
{
#define BAD(...) return qd_fail(err, QD_EINTERNAL, "machine", __VA_ARGS__)
	if (!m->kind || !m->zh || m->nstates < 1 || m->nactions < 1 || m->nactions > 32)
		BAD("状态机描述不完整", "machine %s: kind, states or actions (1..32) missing", m->kind ? m->kind : "?");
	for (int s = 0; s < m->nstates; s++)
		if (!m->state_names[s] || !*m->state_names[s] || !m->state_zh[s])
			BAD("状态缺少名称", "machine %s: state %d has no name", m->kind, s);
	for (int a = 0; a < m->nactions; a++) {
		const struct machine_action *x = &m->actions[a];
		if (!m->action_names[a] || !*m->action_names[a] || !m->action_zh[a] || !x->right || !x->body)
			BAD("操作缺少名称、权限或请求体", "machine %s: action %d has no name, right or body spec", m->kind, a);
		for (int i = 0; x->body[i].name; i++)
			if (x->body[i].type == P_ENUM && (!x->body[i].enums || !x->body[i].enums[0]))
				BAD("枚举字段缺少取值", "machine %s: action %s field %s has no values", m->kind,
				    m->action_names[a], x->body[i].name);
		if (strlen(m->kind) + 1 + strlen(m->action_names[a]) >= MACHINE_EVENT_KIND_MAX)
			BAD("事件类型名过长", "machine %s: event kind %s.%s is too long", m->kind, m->kind, m->action_names[a]);
		int used = 0;
		for (int t = 0; t < m->ntransitions; t++)
			used |= m->transitions[t].action == a;
		if (!used)
			BAD("操作没有转换", "machine %s: action %s is in no transition", m->kind, m->action_names[a]);
	}
	for (int t = 0; t < m->ntransitions; t++) {
		const struct machine_transition *x = &m->transitions[t];
		if ((unsigned)x->from >= (unsigned)m->nstates || (unsigned)x->to >= (unsigned)m->nstates ||
		    (unsigned)x->action >= (unsigned)m->nactions || !x->help_zh)
			BAD("转换引用了不存在的状态或操作", "machine %s: transition %d is out of range", m->kind, t);
		if (machine_transition(m, x->from, x->action) != x)
			BAD("同一状态的同一操作重复", "machine %s: (%s, %s) twice", m->kind, m->state_names[x->from],
			    m->action_names[x->action]);
	}
	if (m->state_off + sizeof(int) > m->size ||
	    (m->deadline_off >= 0 && (size_t)m->deadline_off + sizeof(struct deadline) > m->size) ||
	    (m->urgency_off >= 0 && (size_t)m->urgency_off + sizeof(int) > m->size))
		BAD("偏移超出结构", "machine %s: an offset lies outside the struct", m->kind);
	int has_state = 0;
	for (int c = 0; c < m->ncols; c++) {
		const struct machine_col *x = &m->cols[c];
		size_t w = x->type == MC_ID ? sizeof(int64_t) : x->type == MC_DATE ? sizeof(int32_t) : sizeof(int);
		if (!x->name || x->off + w > m->size || (x->type == MC_ENUM && !x->names))
			BAD("列描述无效", "machine %s: column %d is invalid", m->kind, c);
		has_state |= x->type == MC_STATE && x->off == m->state_off && (x->flags & MC_WRITTEN);
	}
	if (!has_state)
		BAD("缺少状态列", "machine %s: no written state column at the state offset", m->kind);
#undef BAD
	return 0;
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
	struct machine_ctx ctx = *c;
	ctx.actor = actor;
	for (int i = 0; i < MACHINE_EFFECTS && a->effects[i]; i++)
		a->effects[i](m, n, b, &ctx);
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
	return names_find(m->state_names, m->nstates, s);
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
	return names_find(m->action_names, m->nactions, s);
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
