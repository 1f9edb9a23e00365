// loop.test.mjs — the whole staff loop through the pages on a 360×740 phone, with JavaScript on
// and then off: the grid worker records a visit and the problem raised (/visits/new); the
// dispatcher finds it in the triage queue (/triage), links it as a duplicate of an earlier problem
// of the same village, makes a task of the earlier one and assigns it (unit, person, leader), past
// the "check your answers" page; the handler accepts, posts progress, completes; the grid worker
// records the follow-up verdict; the dispatcher signs it off.  What happened is read back from the
// JSON API (bearer tokens) and from the page a person sees.
//
// Each step is a test of its own.  A step whose page does not exist yet (404) is reported skipped
// with the reason, never passed; the state the next step needs is then made through the API, so
// every page that exists is still tried.  A step that fails is made good the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.mjs';

const skip = h.skipReason();
let env, ids, api = {};
const runs = []; // each mode's state, its browser contexts closed at the end
before(async () => {
  if (skip) return;
  env = await h.setup();
  for (const u of ['grid', 'dispatch', 'handler', 'leader']) api[u] = await h.api(env, u);
  const all = await h.units(api.grid);
  const village = api.grid.me.unit_id;
  const group = all.find((u) => u.parent_id === village && u.kind === 'group');
  ids = { village, group: group?.id ?? village, town: api.handler.me.unit_id, handler: api.handler.me.id, leader: api.leader.me.id };
  for (const r of runs) await r.seed();
});

const STATE_ZH = { assigned: '已交办', in_progress: '办理中', completed: '已办结', signed_off: '已销号' };
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // China time

/** The API's way through each task action, for a step that could not be done on its page. */
const viaApi = {
  accept: (t) => api.handler.post(`/api/v1/tasks/${t}/accept`, {}),
  progress: (t) => api.handler.post(`/api/v1/tasks/${t}/progress`, { note: '已安排施工', progress: 50 }),
  complete: (t) => api.handler.post(`/api/v1/tasks/${t}/complete`, { outcome: 'resolved', note: '已修补完毕' }),
  follow_up: (t) => api.grid.post(`/api/v1/tasks/${t}/follow_up`, { solved: true, satisfaction: 'satisfied', channel: 'in_person' }),
  sign_off: (t) => api.dispatch.post(`/api/v1/tasks/${t}/sign_off`, {}),
};
const ORDER = ['accept', 'progress', 'complete', 'follow_up', 'sign_off'];
async function byApi(action, t) {
  const r = await viaApi[action](t);
  assert.ok(r.status >= 200 && r.status < 300, `${action} through the API (${r.status} ${JSON.stringify(r.body)})`);
}

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';
  const tag = js ? 'JSON' : 'JSOFF';
  const s = { done: new Set(), ctx: {} }; // this run's items and what is done

  /** A logged-in phone page of user for this run (one browser context per user). */
  async function as(user) {
    if (!s.ctx[user]) {
      s.ctx[user] = await h.phone(env, { js });
      const p = await h.newPage(s.ctx[user]);
      await h.login(p, user);
      assert.equal(new URL(p.url()).pathname, '/work', `${user} logs in`);
      s.ctx[user].main = p;
    }
    return s.ctx[user].main;
  }

  /** Goes to p; returns the response, or skips t (and returns null) when the page is missing. */
  async function open(t, page, p) {
    const resp = await page.goto(p);
    if (resp.status() === 404) { t.skip(`${p} does not exist yet (404)`); return null; }
    assert.equal(resp.status(), 200, `${p} answers 200`);
    assert.deepEqual(page.csp, [], 'no Content-Security-Policy violation');
    return resp;
  }

  /** After a form's POST: no error summary, and the page a person lands on. */
  async function landed(page, resp, what) {
    const summary = page.locator('.error-summary');
    if (await summary.count()) assert.fail(`${what}: the form came back with an error: ${await summary.innerText()}`);
    assert.equal(resp.status(), 200, `${what}: lands on a page (status ${resp.status()})`);
  }

  const problemBy = async (text) =>
    ((await api.dispatch.get(`/api/v1/problems?q=${encodeURIComponent(text)}&limit=5`)).body.items || [])[0];

  s.seed = async () => {
    // the earlier problem of the same village the new one duplicates (another resident raised it)
    s.masterText = `一组村道坑洼雨天积水${tag}甲`;
    const m = await api.grid.post('/api/v1/problems', { unit_id: ids.group, description: s.masterText });
    assert.ok(m.status === 201 && m.body?.id, `the earlier problem is logged (${m.status} ${JSON.stringify(m.body)})`);
    s.master = m.body.id;
    s.text = `一组村道坑洼雨天积水出行不便${tag}乙`;
  };
  runs.push(s);

  test(`visit: the grid worker records a visit and the problem raised (${mode})`, { skip }, async (t) => {
    const page = await as('grid');
    if (!(await open(t, page, '/visits/new'))) return;
    await page.goto('/work');
    const link = page.locator('main a[href="/visits/new"]');
    assert.ok((await link.count()) >= 1, "the grid worker's workbench links to the visit form");
    await Promise.all([page.waitForNavigation(), link.first().click()]);
    const form = page.locator('form[action="/visits"]');
    assert.equal(await form.count(), 1, 'the visit form posts to /visits');
    const date = form.locator('[name="visited_on"]');
    if ((await date.count()) && !(await date.inputValue())) await date.fill(today());
    const names = await form.locator('[name]').evaluateAll((els) => els.map((e) => e.getAttribute('name')));
    const desc = names.find((n) => /description/.test(n));
    assert.ok(desc, `the visit form has a field for the problem raised (fields: ${names.join(', ')})`);
    const who = names.find((n) => /^p1_name$/.test(n)); // the resident who raised it (masked 李** on every page)
    const resp = await h.submit(page, form, { unit_id: String(ids.group), household: '李*家', note: '走访李家，反映村道问题', [desc]: s.text,
      ...(who ? { [who]: '李建华' } : {}) });
    await landed(page, resp, 'the visit');
    const p = await problemBy(s.text);
    assert.ok(p, 'the problem raised is logged');
    assert.equal(p.state, 'new', 'the problem is new, waiting for triage');
    s.problem = p.id;
  });

  test(`triage: the dispatcher finds the problem in the queue and links it to the earlier one (${mode})`, { skip }, async (t) => {
    if (!s.problem) {
      const r = await api.grid.post('/api/v1/problems', { unit_id: ids.group, description: s.text });
      s.problem = r.body.id;
    }
    const page = await as('dispatch');
    if (!(await open(t, page, '/triage'))) return;
    const row = page.locator(`main a[href="/problems/${s.problem}"]`);
    assert.ok((await row.count()) >= 1, 'the triage queue lists the new problem');
    await Promise.all([page.waitForNavigation(), row.first().click()]);
    assert.equal(new URL(page.url()).pathname, `/problems/${s.problem}`, 'its problem page');
    const forms = page.locator(`form[action="/problems/${s.problem}/merge"]`);
    assert.ok((await forms.count()) >= 1, 'the problem page offers to link it to a master item');
    const suggested = forms.filter({ has: page.locator(`input[name="into"][value="${s.master}"]`) });
    let resp;
    if (await suggested.count()) resp = await h.submit(page, suggested.first()); // a likely duplicate, offered
    else resp = await h.submit(page, forms.first(), { into: String(s.master) });
    await landed(page, resp, 'linking the duplicate');
    const b = await api.dispatch.get(`/api/v1/problems/${s.problem}`);
    assert.equal(b.body.state, 'merged', 'the new problem is linked to the earlier one');
  });

  test(`triage: the dispatcher makes a task and assigns it, past "check your answers" (${mode})`, { skip }, async (t) => {
    const page = await as('dispatch');
    if (!(await open(t, page, `/triage/${s.master}`))) return;
    // the triage page's "make a task", then its steps: details → people → check your answers → confirm
    let form = page.locator('main form[action="/triage/task"]').filter({ has: page.locator('[type=submit].btn-primary') });
    assert.ok(await form.count(), 'the triage page offers to make a task of the problem');
    let resp = await h.submit(page, form.last());
    const steps = [
      { title: `一组村道修补${tag}`, unit_id: String(ids.town), urgency: 'normal' }, // details
      { handler_id: String(ids.handler), leader_id: String(ids.leader) },           // people
    ];
    let sawCheck = false;
    for (let i = 0; i < 5 && !/^\/tasks\/\d+$/.test(new URL(page.url()).pathname); i++) {
      await landed(page, resp, `the task form, step ${i + 1}`);
      form = page.locator('main form[action="/triage/task"]').filter({ has: page.locator('[type=submit].btn-primary') }).last();
      const want = steps[i] || {};
      const fields = {};
      for (const [k, v] of Object.entries(want))
        if (await form.locator(`[name="${k}"]:not([type=hidden])`).count()) fields[k] = v;
      if (!Object.keys(fields).length && !sawCheck) {
        // "check your answers": the deadline it yields, before confirming
        assert.match(await h.mainText(page), /\d{4}-\d{2}-\d{2}|\d+月\d+日/, '"check your answers" shows the deadline it yields');
        sawCheck = true;
      }
      resp = await h.submit(page, form, fields);
    }
    assert.ok(sawCheck, 'the steps passed a "check your answers" page');
    await landed(page, resp, 'making the task');
    const m = /^\/tasks\/(\d+)$/.exec(new URL(page.url()).pathname);
    assert.ok(m, `lands on the task's page (at ${page.url()})`);
    s.task = Number(m[1]);
    const task = (await api.dispatch.get(`/api/v1/tasks/${s.task}`)).body;
    assert.equal(task.state, 'assigned', 'the task is assigned');
    assert.equal(task.handler_id, ids.handler, 'to the handler chosen');
    assert.ok((await h.mainText(page)).includes(STATE_ZH.assigned), `the page shows ${STATE_ZH.assigned}`);
  });

  const STEPS = {
    accept: { user: 'handler', fields: {}, state: 'in_progress', what: 'the handler accepts' },
    progress: { user: 'handler', fields: { note: '已安排施工队', progress: '50' }, state: 'in_progress', what: 'the handler posts progress' },
    complete: { user: 'handler', fields: { outcome: 'resolved', note: '已修补完毕' }, state: 'completed', what: 'the handler completes it as resolved' },
    follow_up: { user: 'grid', fields: { solved: 'true', satisfaction: 'satisfied', channel: 'in_person' }, state: 'completed', what: 'the grid worker records the verdict' },
    sign_off: { user: 'dispatch', fields: {}, state: 'signed_off', what: 'the dispatcher signs it off' },
  };

  for (const action of ORDER) {
    const st = STEPS[action];
    test(`${action}: ${st.what} (${mode})`, { skip }, async (t) => {
      if (!s.task) { // triage did not make it: the API makes and assigns the task
        const r = await api.dispatch.post('/api/v1/tasks', { problem_ids: [s.master], title: `一组村道修补${tag}`, urgency: 'normal',
          unit_id: ids.town, handler_id: ids.handler, leader_id: ids.leader });
        assert.ok(r.body?.id, `the task made through the API (${r.status} ${JSON.stringify(r.body)})`);
        s.task = r.body.id;
      }
      for (const before_ of ORDER.slice(0, ORDER.indexOf(action))) // what earlier steps left undone
        if (!s.done.has(before_)) { await byApi(before_, s.task); s.done.add(before_); }
      const page = await as(st.user);
      try {
        if (!(await open(t, page, `/tasks/${s.task}`))) return;
        const form = page.locator(`form[action="/tasks/${s.task}/${action}"]`);
        assert.equal(await form.count(), 1, `the task page offers "${action}" to ${st.user}`);
        if (action === 'follow_up' && s.problem) { // the duplicate's resident is asked too, masked
          const contacts = form.locator('.contacts');
          assert.equal(await contacts.locator(`a[href="/problems/${s.problem}"]`).count(), 1, "the follow-up lists the duplicate's resident");
          const text = await contacts.innerText();
          assert.ok(text.includes('李**') && !text.includes('李建华'), `…masked (${text})`);
        }
        const resp = await h.submit(page, form, st.fields);
        await landed(page, resp, action);
        assert.equal(new URL(page.url()).pathname, `/tasks/${s.task}`, "back on the task's page");
        s.done.add(action);
        const task = (await api.dispatch.get(`/api/v1/tasks/${s.task}`)).body;
        assert.equal(task.state, st.state, `the task is ${st.state}`);
        if (action === 'progress') assert.equal(task.progress, 50, 'at 50 %');
        if (action === 'follow_up') assert.equal(task.satisfaction, 'satisfied', 'the verdict is recorded');
        assert.ok((await h.mainText(page)).includes(STATE_ZH[st.state]), `the page shows ${STATE_ZH[st.state]}`);
        if (['accept', 'complete', 'sign_off'].includes(action))
          assert.equal(await page.locator(`form[action="/tasks/${s.task}/${action}"]`).count(), 0, `"${action}" is no longer offered once done`);
      } finally {
        if (!s.done.has(action)) { s.done.add(action); await byApi(action, s.task); }
      }
    });
  }

  test(`the task's problem shows the task's status, and the task its history (${mode})`, { skip }, async (t) => {
    const page = await as('dispatch');
    if (!(await open(t, page, `/problems/${s.master}`))) return;
    const text = await h.mainText(page);
    assert.ok(text.includes(STATE_ZH.signed_off), `the problem's page shows its task ${STATE_ZH.signed_off}`);
    assert.ok((await page.locator(`main a[href="/tasks/${s.task}"]`).count()) >= 1, "and links to the task");
    if (!(await open(t, page, `/tasks/${s.task}`))) return;
    const hist = (await api.dispatch.get(`/api/v1/tasks/${s.task}/history`)).body;
    const n = (hist.events || []).length;
    assert.ok(n >= 6, `the event log has the loop's events (${n})`);
    const entries = await page.locator('main li, main tr').count();
    assert.ok(entries >= n, `the task page's timeline lists them (${entries} rows for ${n} events)`);
  });
}

after(async () => {
  for (const r of runs) for (const c of Object.values(r.ctx)) await c.close().catch(() => {});
  await env?.close();
});
