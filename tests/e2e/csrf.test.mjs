// csrf.test.mjs — a cross-site form POST without the CSRF token is refused (403) and changes
// nothing.  The attacker's page is served here on another 127.0.0.1 port: the same site as the
// server for the browser (ports do not make sites), so the SameSite=Lax session cookie is sent
// and only the synchroniser token stands in the way.  The victim is logged in in the same browser
// profile and presses the attacker's button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as h from './harness.mjs';

const skip = h.skipReason();
let env, evil, evilUrl;
let forms = new Map(); // path on the attacker's site → the HTML of its page

before(async () => {
  if (skip) return;
  env = await h.setup();
  evil = http.createServer((q, s) => {
    const body = forms.get(q.url.split('?')[0]);
    s.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    s.end(body || 'not here');
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  evilUrl = `http://127.0.0.1:${evil.address().port}`;
});
after(async () => {
  evil?.close();
  await env?.close();
});

/** An attacker's page at evilUrl + p whose one button posts fields to the server's action. */
function attackerPage(p, action, fields, enctype = 'application/x-www-form-urlencoded') {
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  forms.set(p, `<!doctype html><html lang="en"><title>win a prize</title><form method="post" enctype="${enctype}" ` +
    `action="${esc(env.url + action)}">${inputs}<button id="go" type="submit">claim</button></form></html>`);
  return evilUrl + p;
}

/** The victim, on the attacker's page, presses the button: the response of the cross-site POST. */
async function press(page, url) {
  await page.goto(url);
  const [resp] = await Promise.all([page.waitForNavigation(), page.locator('#go').click()]);
  return resp;
}

test('a cross-site POST /logout without the token is refused and the victim stays logged in', { skip }, async () => {
  const ctx = await h.desktop(env);
  const page = await h.newPage(ctx);
  await h.login(page, 'grid');
  assert.equal(new URL(page.url()).pathname, '/work');
  const resp = await press(page, attackerPage('/logout', '/logout', {}));
  assert.equal(resp.status(), 403, 'the forged logout is refused with 403');
  assert.match(resp.headers()['content-type'] || '', /^text\/html/, 'as a page');
  assert.equal(await h.statusOf(ctx, '/work'), 200, 'still logged in: /work answers 200');
  // a made-up token is no better than none
  const forged = await press(page, attackerPage('/logout2', '/logout', { csrf: '0123456789abcdef0123456789abcdef' }));
  assert.equal(forged.status(), 403, 'a made-up token is refused with 403');
  assert.equal(await h.statusOf(ctx, '/work'), 200, 'still logged in');
  await ctx.close();
});

test('a cross-site POST to a JSON API route with the session cookie and no token is refused', { skip }, async () => {
  const ctx = await h.desktop(env);
  const page = await h.newPage(ctx);
  await h.login(page, 'dispatch');
  const resp = await press(page, attackerPage('/api', '/api/v1/logout', { '{"a":"': '"}' }, 'text/plain'));
  assert.equal(resp.status(), 403, 'POST /api/v1/logout by a cross-site form is refused with 403');
  assert.equal(await h.statusOf(ctx, '/work'), 200, 'still logged in');
  await ctx.close();
});

test('a cross-site POST of a task action without the token is refused and the task is unchanged', { skip }, async () => {
  const handler = await h.api(env, 'handler');
  const list = await handler.get('/api/v1/tasks?state=assigned&limit=50');
  const task = (list.body.items || []).find((t) => (t.actions || []).includes('accept'));
  assert.ok(task, 'the demo handler has an assigned task to accept');
  const before_ = await handler.get(`/api/v1/tasks/${task.id}/history`);

  const ctx = await h.phone(env);
  const page = await h.newPage(ctx);
  await h.login(page, 'handler');
  const resp = await press(page, attackerPage('/accept', `/tasks/${task.id}/accept`, { note: 'forged' }));
  assert.equal(resp.status(), 403, `POST /tasks/${task.id}/accept without the token is refused with 403`);
  const now = await handler.get(`/api/v1/tasks/${task.id}`);
  assert.equal(now.body.state, 'assigned', 'the task is still assigned');
  const after_ = await handler.get(`/api/v1/tasks/${task.id}/history`);
  assert.deepEqual(after_.body, before_.body, 'its history is unchanged');

  // The control: the same cross-site form carrying the victim's real token (as the site's own
  // forms do; read here from the header's logout form) is taken — the refusal was the token's.
  await page.goto('/work');
  const token = await page.locator('input[type=hidden][name=csrf]').first().getAttribute('value');
  assert.match(token || '', /^[0-9a-f]{32}$/, "the site's forms carry a token");
  const ok = await press(page, attackerPage('/accept-with-token', `/tasks/${task.id}/accept`, { csrf: token, note: '' }));
  assert.equal(new URL(ok.url()).pathname, `/tasks/${task.id}`, 'with the token the action goes through to the task page');
  assert.equal((await handler.get(`/api/v1/tasks/${task.id}`)).body.state, 'in_progress', 'and the task is accepted');
  await ctx.close();
});

test('a cross-site login form (login CSRF) without the token is refused', { skip }, async () => {
  const ctx = await h.desktop(env);
  const page = await h.newPage(ctx);
  await page.goto('/login'); // the victim has seen the login form: a pre-session cookie
  const resp = await press(page, attackerPage('/login', '/login', { username: 'analyst', password: h.PASSWORD }));
  assert.equal(resp.status(), 403, 'the forged login is refused with 403');
  const w = await ctx.request.get('/work', { maxRedirects: 0 });
  assert.equal(w.status(), 303, 'the victim is not logged in as the attacker: /work still sends to /login');
  await ctx.close();
});
