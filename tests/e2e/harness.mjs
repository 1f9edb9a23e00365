// harness.mjs — what every browser test (tests/e2e/*.test.mjs, run by `node --test`) shares: the
// real qingdan server on a demo database, Debian's Chromium driven by playwright-core, phone and
// desktop contexts, logging in through the login page, axe-core, and a bearer-token API client for
// setting up and checking state beneath the pages.
//
// Hand-written (not @playwright/test): the project's test runner is Node's own (`node --test`,
// whose TAP tests/run counts like every other tier), and the only npm packages are playwright-core
// and axe-core (package-lock.json); the browser is never one a test tool downloads.
//
//   import * as h from './harness.mjs';
//   const skip = h.skipReason();              // a string when the browser tests cannot run here
//   let env;
//   before(async () => { env = await h.setup(); });   // server + browser, once per test file
//   after(async () => { await env?.close(); });
//   test('…', { skip }, async () => { const ctx = await h.phone(env); … });
//
// Environment: QD_BIN (the binary; default $BUILD/qingdan, BUILD default build), CHROMIUM (default
// /usr/bin/chromium), QD_TEST_BACKEND=pg (or QD_BACKEND=pg) with QD_TEST_PG (a cluster URI, as
// tests/run starts one): the server on a new PostgreSQL database instead of SQLite.  Every server
// runs under timeout(1) (QD_E2E_SERVER_SECONDS, default 300): it stops by itself even when this
// process is killed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const BIN = process.env.QD_BIN || path.join(ROOT, process.env.BUILD || 'build', 'qingdan');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'qingdan-demo';
const AXE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const PLAYWRIGHT = path.join(HERE, 'node_modules', 'playwright-core');
const SERVER_SECONDS = Number(process.env.QD_E2E_SERVER_SECONDS || 300);
// The flags the machine needs (docs: a closed network refuses Chromium's background connections).
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here (a string: every test is then reported skipped with it),
 * or undefined when they can. */
export function skipReason() {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (scripts/install-deps installs Debian's chromium)`;
  if (!fs.existsSync(PLAYWRIGHT) || !fs.existsSync(AXE))
    return 'tests/e2e/node_modules is missing (scripts/install-deps runs npm ci there)';
  if (!fs.existsSync(BIN)) return `no qingdan binary at ${BIN} (make all)`;
  return undefined;
}

const backendPg = () => (process.env.QD_TEST_BACKEND || process.env.QD_BACKEND) === 'pg';

function run(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000, ...opts });
  if (r.status !== 0) throw new Error(`qingdan ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r;
}

function psql(uri, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', uri, '-c', sql],
    { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
}

function pgUri(base, db) {
  const u = new URL(base);
  u.pathname = '/' + db;
  return u.toString();
}

let pgCount = 0;

/** A demo database in a new temporary directory (SQLite), or a new database in QD_TEST_PG's
 * cluster (PostgreSQL); returns { dir, dbArgs, cleanup }. */
function demoDatabase(extra = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-e2e-'));
  if (!backendPg()) {
    const db = path.join(dir, 'demo.db');
    run(['demo', '--db', db, '--quiet', ...extra]);
    return { dir, dbArgs: ['--db', db], cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.QD_TEST_PG;
  if (!base) throw new Error('QD_TEST_BACKEND=pg needs QD_TEST_PG (tests/run starts a cluster)');
  const name = `qd_e2e_${process.pid}_${++pgCount}`;
  psql(pgUri(base, 'postgres'), `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  const key = path.join(dir, 'demo.key');
  const uri = pgUri(base, name);
  run(['demo', '--db', uri, '--key', key, '--quiet', ...extra]);
  return {
    dir, dbArgs: ['--db', uri, '--key', key],
    cleanup: () => {
      try { psql(pgUri(base, 'postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const live = new Set();
process.on('exit', () => { for (const p of live) try { p.kill('SIGKILL'); } catch { /* gone */ } });

/** Starts `qingdan serve` on a fresh demo database, on an ephemeral 127.0.0.1 port (learned from
 * the "http://127.0.0.1:PORT" line it prints, as tests/api/qd.py does), within 20 s or throws.
 * opts.today: `--today` for demo and serve.  Returns { url, port, log, stop() }: stop() ends the
 * server (SIGTERM, then SIGKILL after 10 s) and removes its database. */
export async function startServer(opts = {}) {
  const today = opts.today ? ['--today', opts.today] : [];
  const db = demoDatabase(today);
  const log = path.join(db.dir, 'serve.log');
  const err = fs.openSync(log, 'a');
  const proc = spawn('timeout', ['-k', '5', String(SERVER_SECONDS), BIN, 'serve', ...db.dbArgs,
    '--listen', '127.0.0.1:0', ...today], { stdio: ['ignore', 'pipe', err] });
  fs.closeSync(err);
  live.add(proc);
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error('the server did not start within 20 s: ' + seen)), 20000);
    function fail(e) { clearTimeout(timer); proc.kill('SIGKILL'); reject(e); }
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      seen += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => fail(new Error(`the server exited (${code}) before listening: ` +
      seen + fs.readFileSync(log, 'utf8').slice(-2000))));
  });
  proc.stdout.resume();
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
      await gone;
      clearTimeout(t);
    }
    live.delete(proc);
    db.cleanup();
  };
  return { url: `http://127.0.0.1:${port}`, port, log, stop };
}

/** Launches Debian's Chromium headless with the machine's flags (playwright-core gives it a fresh
 * user data directory). */
export async function launch() {
  const { chromium } = await import(path.join(PLAYWRIGHT, 'index.mjs'));
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30000 });
}

/** The server and the browser of one test file: { server, browser, url, close() }. */
export async function setup(opts = {}) {
  const server = await startServer(opts);
  let browser;
  try {
    browser = await launch();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server, browser, url: server.url,
    close: async () => { await browser.close().catch(() => {}); await server.stop(); },
  };
}

async function context(env, base, opts) {
  const { js = true, ...rest } = opts;
  const ctx = await env.browser.newContext({ baseURL: env.url, locale: 'zh-CN', javaScriptEnabled: js, ...base, ...rest });
  ctx.setDefaultTimeout(10000);
  ctx.setDefaultNavigationTimeout(15000);
  return ctx;
}

/** A phone: 360×740 CSS px, device scale 2, touch.  opts.js = false: JavaScript disabled; other
 * opts go to browser.newContext. */
export function phone(env, opts = {}) {
  return context(env, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, opts);
}

/** A desktop window of 1280×800. */
export function desktop(env, opts = {}) {
  return context(env, { viewport: { width: 1280, height: 800 } }, opts);
}

/** A new page of ctx that records what the page itself logs about its Content-Security-Policy
 * (page.csp: the messages). */
export async function newPage(ctx) {
  const page = await ctx.newPage();
  page.csp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.csp.push(m.text()); });
  return page;
}

/** Logs user in through the login form (/login), as a person would: the user name and password
 * typed into #f-username and #f-password, the form's submit button pressed.  Returns the response
 * of the page landed on. */
export async function login(page, user, password = PASSWORD, next) {
  const first = await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  if (first.status() !== 200) throw new Error(`GET /login answered ${first.status()}, not the login page`);
  await page.locator('#f-username').fill(user);
  await page.locator('#f-password').fill(password);
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.locator('form:has(#f-password) [type=submit]').first().click(),
  ]);
  return resp;
}

/** Logs out through the header's logout form (POST /logout). */
export async function logout(page) {
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/logout"] [type=submit]').first().click()]);
}

let axeSource;
/** Runs axe-core on the page; returns its serious and critical violations as
 * [{ id, impact, help, nodes: [target…] }].  axe is put into the page with page.evaluate(source)
 * (a DevTools evaluation, which the pages' CSP does not govern; page.addScriptTag would insert an
 * inline <script>, which the CSP rightly refuses), so the page is tested with its real CSP on. */
export async function axe(page) {
  axeSource ??= fs.readFileSync(AXE, 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A one-line account of axe violations for an assertion message. */
export function axeReport(violations) {
  return violations.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(', ')}`).join('\n');
}

/** Every form control of the page (input except hidden/submit/button, select, textarea) that has
 * no accessible label: <label for>, a wrapping label, aria-label or aria-labelledby.  Returns
 * descriptions of the unlabelled ones. */
export async function unlabelledControls(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
      const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) bad.push(`${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}]#${el.id}`);
    }
    return bad;
  });
}

// --- the API beneath the pages (bearer tokens: no cookie, so no CSRF token is involved) ----------

/** A bearer-token client of env's server for user: { token, get(path), post(path, body), me }.
 * get/post return { status, body } (body parsed JSON or null). */
export async function api(env, user, password = PASSWORD) {
  const call = async (method, p, body, token) => {
    const r = await fetch(env.url + p, {
      method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(15000),
    });
    const text = await r.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, body: parsed };
  };
  const l = await call('POST', '/api/v1/login', { username: user, password });
  if (l.status !== 200) throw new Error(`API login ${user}: ${l.status} ${JSON.stringify(l.body)}`);
  const token = l.body.token;
  const c = { token, get: (p) => call('GET', p, null, token), post: (p, b) => call('POST', p, b || {}, token) };
  c.me = (await c.get('/api/v1/me')).body;
  return c;
}

/** The units of the tree (flattened [{ id, name, kind, parent_id, … }]). */
export async function units(client) {
  const r = await client.get('/api/v1/units');
  const out = [];
  const walk = (x) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === 'object') {
      if ('id' in x && 'name' in x) out.push(x);
      for (const v of Object.values(x)) if (v && typeof v === 'object') walk(v);
    }
  };
  walk(r.body);
  return out;
}

/** The status of GET path in ctx (its cookies), without following redirects. */
export async function statusOf(ctx, p) {
  const r = await ctx.request.get(p, { maxRedirects: 0 });
  return r.status();
}

// --- forms ------------------------------------------------------------------------------------

/** Sets the control named name inside form (a Locator) to value, whatever kind it is: a text
 * field or textarea is filled, a select gets the option whose value (or else label) is value, a
 * radio group gets the radio of that value (true/false also match 1/0, yes/no, on), a checkbox is
 * checked for a true value.  Throws naming the field when the form has no such control. */
export async function setField(form, name, value) {
  const el = form.locator(`[name="${name}"]:not([type=hidden])`);
  const n = await el.count();
  if (n === 0) throw new Error(`the form has no control named "${name}"`);
  const first = el.first();
  const tag = await first.evaluate((e) => e.tagName.toLowerCase());
  const type = ((await first.getAttribute('type')) || '').toLowerCase();
  const v = String(value);
  const alts = v === 'true' ? ['true', '1', 'yes', 'on'] : v === 'false' ? ['false', '0', 'no', 'off'] : [v];
  if (tag === 'select') {
    const values = await first.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
    const hit = values.find(([ov]) => alts.includes(ov)) || values.find(([, ot]) => ot.includes(v));
    if (!hit) throw new Error(`the select "${name}" has no option ${v} (has ${values.map((x) => x[0]).join(', ')})`);
    await first.selectOption(hit[0]);
  } else if (type === 'radio') {
    for (const a of alts) {
      const r = form.locator(`input[type=radio][name="${name}"][value="${a}"]`);
      if (await r.count()) { await r.first().check(); return; }
    }
    throw new Error(`the radios "${name}" have no value ${v}`);
  } else if (type === 'checkbox') {
    if (n > 1) {
      const c = form.locator(`input[type=checkbox][name="${name}"][value="${v}"]`);
      if (!(await c.count())) throw new Error(`the checkboxes "${name}" have no value ${v}`);
      await c.first().check();
    } else if (alts.includes('true') || alts.includes(await first.getAttribute('value'))) await first.check();
    else await first.uncheck();
  } else {
    await first.fill(v);
  }
}

/** Fills form (a Locator) from fields ({name: value}; a null value leaves the control alone),
 * presses its primary submit button (.btn-primary, else the first submit) and waits for the page
 * it leads to.  Returns that page's response. */
export async function submit(page, form, fields = {}) {
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) await setField(form, k, v);
  let btn = form.locator('[type=submit].btn-primary');
  if (!(await btn.count())) btn = form.locator('[type=submit]');
  const [resp] = await Promise.all([page.waitForNavigation(), btn.first().click()]);
  return resp;
}

/** The visible text of the page's <main> (or body). */
export async function mainText(page) {
  const m = page.locator('main');
  return (await m.count()) ? m.first().innerText() : page.locator('body').innerText();
}
