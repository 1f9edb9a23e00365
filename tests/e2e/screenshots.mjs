// screenshots.mjs — `make screenshots`: the README's pictures, taken in Debian's Chromium from the
// real server on a fresh demo database, as the demo users, into docs/screenshots/*.png.  A page
// that does not exist yet (404, or the login page itself missing) is skipped, saying so; the
// script fails only when the server or the browser cannot start.
import fs from 'node:fs';
import path from 'node:path';
import * as h from './harness.mjs';

const OUT = path.join(h.ROOT, 'docs', 'screenshots');
// [file, user (null: logged out), path, device]
const SHOTS = [
  ['landing-phone.png', null, '/', 'phone'],
  ['landing-desktop.png', null, '/', 'desktop'],
  ['workbench-grid-phone.png', 'grid', '/work', 'phone'],
  ['visit-form-phone.png', 'grid', '/visits/new', 'phone'],
  ['triage-queue.png', 'dispatch', '/triage', 'desktop'],
  ['task-list-handler.png', 'handler', '/tasks', 'desktop'],
  ['task-page-phone.png', 'handler', '/tasks/{task}', 'phone'],
  ['admin-users.png', 'admin', '/admin/users', 'desktop'],
];

const reason = h.skipReason();
if (reason) {
  console.error(`screenshots: cannot run: ${reason}`);
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });
const env = await h.setup();
let taken = 0;
try {
  const handler = await h.api(env, 'handler');
  const task = ((await handler.get('/api/v1/tasks?state=in_progress&limit=5')).body.items || [])[0]?.id;
  for (const [file, user, p0, device] of SHOTS) {
    const p = p0.replace('{task}', String(task));
    const ctx = await (device === 'phone' ? h.phone(env) : h.desktop(env));
    const page = await h.newPage(ctx);
    try {
      if (user) {
        try {
          await h.login(page, user);
        } catch (e) {
          console.log(`screenshots: skip ${file}: cannot log in as ${user} (${e.message.split('\n')[0]})`);
          continue;
        }
      }
      const resp = await page.goto(p);
      if (resp.status() === 404 || !/^text\/html/.test(resp.headers()['content-type'] || '')) {
        console.log(`screenshots: skip ${file}: ${p} is not a page yet (${resp.status()})`);
        continue;
      }
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(OUT, file), fullPage: device === 'phone' ? false : true });
      console.log(`screenshots: ${file} ← ${p}${user ? ' as ' + user : ''} (${device})`);
      taken++;
    } finally {
      await ctx.close();
    }
  }
} finally {
  await env.close();
}
console.log(`screenshots: ${taken} of ${SHOTS.length} taken into docs/screenshots/`);
