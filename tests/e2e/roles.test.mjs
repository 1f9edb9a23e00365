// roles.test.mjs — pages refuse what the route table refuses: a grid worker at an administrator's
// page gets the 403 page (the dispatcher's "no right" message, in Chinese), and a handler at the
// page of a task outside their scope gets what the API answers for it (404 "任务不存在": the
// project does not tell an outsider that an item exists), without a word of the task.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.mjs';

const skip = h.skipReason();
let env;
before(async () => { if (!skip) env = await h.setup(); });
after(async () => { await env?.close(); });

// Administrator pages of the plan (/admin/...); the first that the system administrator can open
// is the one tried.
const ADMIN_PAGES = ['/admin/users', '/admin/units', '/admin/categories', '/admin/calendar', '/admin'];

test('a grid worker at an administrator page is refused with the 403 page', { skip }, async (t) => {
  const admin = await h.desktop(env);
  const ap = await h.newPage(admin);
  await h.login(ap, 'admin');
  let target;
  for (const p of ADMIN_PAGES) if ((await h.statusOf(admin, p)) === 200) { target = p; break; }
  await admin.close();
  if (!target) return t.skip(`no administrator page yet (none of ${ADMIN_PAGES.join(' ')} answers 200 to admin)`);

  const grid = await h.api(env, 'grid');
  const apiAnswer = await grid.get('/api/v1/users'); // the same right (RIGHT_ADMIN) on the API
  assert.equal(apiAnswer.status, 403);

  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  await h.login(page, 'grid');
  const resp = await page.goto(target);
  assert.equal(resp.status(), 403, `grid at ${target}: 403`);
  assert.match(resp.headers()['content-type'] || '', /^text\/html/, 'a page, not JSON');
  const text = await h.mainText(page);
  assert.ok(text.includes(apiAnswer.body.message_zh), `the page says "${apiAnswer.body.message_zh}" (it says: ${text.slice(0, 200)})`);
  assert.ok((await page.locator('main a[href="/work"]').count()) >= 1, 'with a link back to /work');
  assert.equal(await page.locator('form[action^="/admin"]').count(), 0, "none of the administrator's forms");
  const v = await h.axe(page);
  assert.deepEqual(v, [], h.axeReport(v));
  await ctx.close();
});

test("a handler at a task page outside their scope is refused as the API refuses it", { skip }, async () => {
  const dispatch = await h.api(env, 'dispatch');
  const handler = await h.api(env, 'handler');
  const all = (await dispatch.get('/api/v1/tasks?limit=200')).body.items || [];
  const mine = new Set(((await handler.get('/api/v1/tasks?limit=200')).body.items || []).map((x) => x.id));
  const other = all.find((x) => !mine.has(x.id) && x.unit_id !== null);
  assert.ok(other, 'a task of another unit in the demo');
  const apiAnswer = await handler.get(`/api/v1/tasks/${other.id}`);
  assert.ok(apiAnswer.status === 403 || apiAnswer.status === 404, `the API refuses it (${apiAnswer.status})`);
  const full = await dispatch.get(`/api/v1/tasks/${other.id}`);

  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  await h.login(page, 'handler');
  const resp = await page.goto(`/tasks/${other.id}`);
  assert.equal(resp.status(), apiAnswer.status, `the page answers ${apiAnswer.status} as the API does`);
  assert.match(resp.headers()['content-type'] || '', /^text\/html/, 'a page, not JSON');
  const text = await h.mainText(page);
  assert.ok(text.includes(apiAnswer.body.message_zh), `the page says "${apiAnswer.body.message_zh}"`);
  assert.ok(!text.includes(full.body.title), 'nothing of the task is shown');
  assert.equal(await page.locator(`form[action^="/tasks/${other.id}/"]`).count(), 0, 'no action is offered');
  // and an action posted anyway (with a real token from this reader's own page) is refused too
  await page.goto('/work');
  const token = await page.locator('input[type=hidden][name=csrf]').first().getAttribute('value');
  const post = await ctx.request.post(`/tasks/${other.id}/accept`, { form: { csrf: token || '' }, maxRedirects: 0 });
  assert.ok(post.status() === 403 || post.status() === 404, `POST /tasks/${other.id}/accept refused (${post.status()})`);
  assert.equal((await dispatch.get(`/api/v1/tasks/${other.id}`)).body.state, full.body.state, 'the task is unchanged');
  await ctx.close();
});

test('a logged-out reader at /work is sent to the login page, and back after logging in', { skip }, async () => {
  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  await page.goto('/tasks');
  const u = new URL(page.url());
  assert.equal(u.pathname, '/login', 'sent to /login');
  assert.equal(u.searchParams.get('next'), '/tasks', 'with next=/tasks');
  await page.locator('#f-username').fill('handler');
  await page.locator('#f-password').fill(h.PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('form:has(#f-password) [type=submit]').first().click()]);
  assert.equal(new URL(page.url()).pathname, '/tasks', 'lands on the page asked for');
  await ctx.close();
});
