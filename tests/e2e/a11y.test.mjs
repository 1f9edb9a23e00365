// a11y.test.mjs — axe-core on every page type reachable, on a phone: 0 serious or critical
// violations; every form control labelled; Tab reaches the page's primary action; no violation of
// the page's Content-Security-Policy.  A page type that does not exist yet (404) is reported
// skipped, naming it — never passed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.mjs';

const skip = h.skipReason();
let env, taskId;
before(async () => {
  if (skip) return;
  env = await h.setup();
  const handler = await h.api(env, 'handler');
  taskId = ((await handler.get('/api/v1/tasks?limit=20')).body.items || [])[0]?.id;
});
after(async () => { await env?.close(); });

/** Checks the page as it is now: axe, labels, CSP, and (when it has one) Tab to .btn-primary. */
async function check(page, what) {
  const v = await h.axe(page);
  assert.deepEqual(v, [], `${what}: serious/critical axe violations:\n${h.axeReport(v)}`);
  assert.deepEqual(await h.unlabelledControls(page), [], `${what}: every form control has a label`);
  assert.deepEqual(page.csp, [], `${what}: no Content-Security-Policy violation`);
  assert.equal(await page.locator('main#main').count(), 1, `${what}: one <main id="main">`);
  assert.ok((await page.locator('h1').count()) >= 1, `${what}: a heading`);
  const primary = page.locator('main .btn-primary:visible');
  if (await primary.count()) {
    await page.locator('body').focus().catch(() => {});
    await page.evaluate(() => document.activeElement?.blur());
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => !!document.activeElement?.matches('main .btn-primary'));
    }
    assert.ok(reached, `${what}: Tab reaches the primary action`);
    // the focused control is visibly marked (an outline or a box shadow)
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    });
    assert.ok(ring, `${what}: the focused primary action shows a focus ring`);
  }
}

/** Opens p as user (or logged out) on a phone and checks it; skips when the page is missing. */
async function pageTest(t, { user, p, status = 200, what }) {
  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  try {
    if (user) await h.login(page, user);
    const resp = await page.goto(p);
    if (status !== 404 && resp.status() === 404) return t.skip(`${p} does not exist yet (404)`);
    assert.equal(resp.status(), status, `${p} answers ${status}`);
    assert.match(resp.headers()['content-type'] || '', /^text\/html/, `${p} is a page`);
    await check(page, what);
  } finally {
    await ctx.close();
  }
}

test('the landing page (/) logged out', { skip }, (t) => pageTest(t, { p: '/', what: 'landing' }));

test('the login form with an error', { skip }, async (t) => {
  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  try {
    await h.login(page, 'unithead', 'wrong-password');
    assert.equal(await page.locator('.error-summary[role=alert]').count(), 1, 'the error summary is there');
    await check(page, 'login error');
    // the field the summary names is tied to its message
    const href = await page.locator('.error-summary a[href^="#f-"]').first().getAttribute('href');
    const field = page.locator(href);
    const desc = await field.getAttribute('aria-describedby');
    if (desc) assert.equal(await page.locator(`[id="${desc.split(' ')[0]}"]`).count(), 1, 'aria-describedby points at the message');
  } finally {
    await ctx.close();
  }
});

for (const user of ['grid', 'dispatch', 'handler', 'unithead', 'leader', 'supervisor', 'analyst', 'admin', 'security', 'auditor'])
  test(`/work as ${user}`, { skip }, (t) => pageTest(t, { user, p: '/work', what: `/work as ${user}` }));

test('the task list (/tasks) as handler', { skip }, (t) => pageTest(t, { user: 'handler', p: '/tasks', what: 'task list' }));
test('a task page (/tasks/{id}) as handler', { skip }, (t) =>
  pageTest(t, { user: 'handler', p: `/tasks/${taskId}`, what: 'task page' }));
test('the triage queue (/triage) as dispatch', { skip }, (t) => pageTest(t, { user: 'dispatch', p: '/triage', what: 'triage' }));
test('the visit form (/visits/new) as grid', { skip }, (t) => pageTest(t, { user: 'grid', p: '/visits/new', what: 'visit form' }));
test('the problem list (/problems) as dispatch', { skip }, (t) => pageTest(t, { user: 'dispatch', p: '/problems', what: 'problem list' }));
test('the 404 page', { skip }, async (t) => {
  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  try {
    await h.login(page, 'grid');
    const resp = await page.goto('/no/such/page');
    assert.equal(resp.status(), 404);
    assert.match(resp.headers()['content-type'] || '', /^text\/html/, 'a page for a person, not JSON');
    assert.ok((await page.locator('main a[href="/work"]').count()) >= 1, 'with a link to /work');
    await check(page, '404 page');
  } finally {
    await ctx.close();
  }
});
