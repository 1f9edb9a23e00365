// login.test.mjs — logging in and out through the pages on a phone (360×740), with JavaScript on
// and again with it off: / shows the login form; a demo user lands on /work; a wrong password
// gives the error summary (role=alert) linking to the field, the user name kept, the password not
// echoed; logout ends the session (/work then sends to /login).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.mjs';

const skip = h.skipReason();
let env;
before(async () => { if (!skip) env = await h.setup(); });
after(async () => { await env?.close(); });

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  test(`/ on a phone shows the login form, Chinese by default (${mode})`, { skip }, async () => {
    const ctx = await h.phone(env, { js });
    const page = await h.newPage(ctx);
    const resp = await page.goto('/');
    assert.equal(resp.status(), 200, 'GET / answers 200');
    assert.match(resp.headers()['content-type'] || '', /^text\/html/, 'GET / is a page');
    assert.match((await page.locator('html').getAttribute('lang')) || '', /^zh/, '<html lang> is Chinese');
    await assert.doesNotReject(page.locator('#f-username').waitFor({ state: 'visible' }), 'a user name field');
    assert.equal(await page.locator('#f-password').getAttribute('type'), 'password', 'a password field');
    for (const id of ['f-username', 'f-password'])
      assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `#${id} has a <label for>`);
    const btn = page.locator('form:has(#f-password) [type=submit]').first();
    const box = await btn.boundingBox();
    assert.ok(box && box.height >= 44, `the login button is at least 44 px high (${box && box.height})`);
    assert.ok(box.x >= 0 && box.x + box.width <= 360, 'the login button fits the 360-px screen');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `no sideways scrolling on a phone (page is ${wide} px wide)`);
    assert.deepEqual(page.csp, [], 'no Content-Security-Policy violation');
    await ctx.close();
  });

  test(`a demo user logs in and lands on /work, then logs out (${mode})`, { skip }, async () => {
    const ctx = await h.phone(env, { js });
    const page = await h.newPage(ctx);
    const resp = await h.login(page, 'grid');
    assert.equal(new URL(page.url()).pathname, '/work', `lands on /work (at ${page.url()})`);
    assert.equal(resp.status(), 200, '/work answers 200');
    const header = await page.locator('header').first().innerText();
    assert.match(header, /周立新|grid/, 'the header names the user');
    assert.equal(await h.statusOf(ctx, '/work'), 200, 'the session holds: /work again is 200');
    await h.logout(page);
    const after_ = await ctx.request.get('/work', { maxRedirects: 0 });
    assert.equal(after_.status(), 303, 'after logout /work redirects');
    assert.match(after_.headers().location || '', /^\/login(\?|$)/, 'to the login page');
    await ctx.close();
  });

  test(`a wrong password shows the error summary linking to the field, the name kept (${mode})`, { skip }, async () => {
    const ctx = await h.phone(env, { js });
    const page = await h.newPage(ctx);
    const user = js ? 'analyst' : 'supervisor'; // a name of its own each time: 3 free failures per name
    const resp = await h.login(page, user, 'not-the-password');
    assert.ok(resp.status() === 401 || resp.status() === 200, `the form again (status ${resp.status()})`);
    assert.notEqual(new URL(page.url()).pathname, '/work', 'not logged in');
    const summary = page.locator('.error-summary[role=alert]');
    assert.equal(await summary.count(), 1, 'one error summary with role=alert');
    assert.ok(await summary.isVisible(), 'the error summary is visible');
    const links = summary.locator('a[href^="#f-"]');
    assert.ok((await links.count()) >= 1, 'the summary links to a field');
    const target = (await links.first().getAttribute('href')).slice(1);
    assert.equal(await page.locator(`[id="${target}"]`).count(), 1, `the link's field #${target} is on the page`);
    assert.ok((await links.first().innerText()).trim().length > 0, 'the link names the field');
    assert.equal(await page.locator('#f-username').inputValue(), user, 'the user name is kept');
    assert.equal(await page.locator('#f-password').inputValue(), '', 'the password is not sent back');
    // Following the link moves to the field (a fragment link: works without JavaScript too).
    // (with JavaScript the enhancement focuses the field in place instead of following the link)
    await links.first().click();
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert.ok(new URL(page.url()).hash === `#${target}` || focused === target,
      `the link goes to the field (hash ${new URL(page.url()).hash}, focus #${focused})`);
    // and the right password then works from this same form
    await page.locator('#f-password').fill(h.PASSWORD);
    await Promise.all([page.waitForNavigation(), page.locator('form:has(#f-password) [type=submit]').first().click()]);
    assert.equal(new URL(page.url()).pathname, '/work', 'the right password from the re-shown form lands on /work');
    await ctx.close();
  });
}
