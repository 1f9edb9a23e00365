// switches.test.mjs — the language switch (中文 ↔ English, a cookie that sticks across navigation
// and a new page load) and the 适老化 switch (html.elder, larger type), as a logged-in user on a
// phone, with JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.mjs';

const skip = h.skipReason();
let env;
before(async () => { if (!skip) env = await h.setup(); });
after(async () => { await env?.close(); });

/** Presses the header's switch to path?param=value (a link, or a form with that hidden field)
 * and waits for the page it leads back to. */
async function flip(page, p, param, value) {
  const sel = `a[href^="${p}?"][href*="${param}=${value}"], form[action^="${p}"]:has(input[name="${param}"][value^="${value}"]) [type=submit]`;
  const el = page.locator(sel);
  assert.ok((await el.count()) >= 1, `the page offers the switch ${p}?${param}=${value}`);
  const box = await el.first().boundingBox();
  assert.ok(box && box.height >= 44, `the switch ${p} is at least 44 px high (${box && box.height})`);
  const [resp] = await Promise.all([page.waitForNavigation(), el.first().click()]);
  return resp;
}

const lang = (page) => page.locator('html').getAttribute('lang');

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  test(`the language switch gives English that sticks, and back to 中文 (${mode})`, { skip }, async () => {
    const ctx = await h.phone(env, { js });
    const page = await h.newPage(ctx);
    await h.login(page, 'handler');
    assert.equal(new URL(page.url()).pathname, '/work');
    assert.match(await lang(page), /^zh/, 'Chinese first');
    const zhTitle = await page.title();
    assert.match(zhTitle, /\p{Script=Han}/u, `the Chinese page's title is Chinese (${zhTitle})`);

    const resp = await flip(page, '/lang', 'to', 'en');
    assert.equal(resp.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/work', 'the switch comes back to the same page');
    assert.equal(await lang(page), 'en', '<html lang=en>');
    const enTitle = await page.title();
    assert.notEqual(enTitle, zhTitle, 'the title is translated');
    assert.doesNotMatch(enTitle, /\p{Script=Han}/u, `the English title has no Chinese (${enTitle})`);
    const nav = await page.locator('header').first().innerText();
    assert.match(nav, /[A-Za-z]{3}/, 'the header is in English');

    // across navigation: another page of the site
    await page.goto('/tasks');
    assert.equal(await lang(page), 'en', 'still English on /tasks');
    // and a new page load in a new tab of the same browser profile (the cookie)
    const again = await h.newPage(ctx);
    await again.goto('/work');
    assert.equal(await lang(again), 'en', 'still English in a new tab');
    await again.close();

    await page.goto('/work');
    await flip(page, '/lang', 'to', 'zh');
    assert.match(await lang(page), /^zh/, 'back to 中文');
    assert.equal(await page.title(), zhTitle, 'the Chinese title again');
    await page.reload();
    assert.match(await lang(page), /^zh/, 'Chinese sticks too');
    assert.deepEqual(page.csp, [], 'no Content-Security-Policy violation');
    await ctx.close();
  });

  test(`the 适老化 switch sets html.elder with larger type, and off again (${mode})`, { skip }, async () => {
    const ctx = await h.phone(env, { js });
    const page = await h.newPage(ctx);
    await h.login(page, 'grid');
    const fontSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    const elder = () => page.evaluate(() => document.documentElement.classList.contains('elder'));
    assert.equal(await elder(), false, 'not in 适老化 mode at first');
    const normal = await fontSize();

    await flip(page, '/elder', 'on', '1');
    assert.equal(new URL(page.url()).pathname, '/work', 'the switch comes back to the same page');
    assert.equal(await elder(), true, '<html class="elder">');
    const big = await fontSize();
    assert.ok(big > normal, `larger type on body (${normal}px → ${big}px)`);
    await page.goto('/tasks');
    assert.equal(await elder(), true, 'still 适老化 on the next page');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `larger type still fits the phone (page is ${wide} px wide)`);

    await flip(page, '/elder', 'on', '0');
    assert.equal(await elder(), false, 'off again');
    assert.equal(await fontSize(), normal, 'the normal size again');
    await ctx.close();
  });
}
