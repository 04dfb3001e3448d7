// End-to-end test of the web pages in headless Debian Chromium, driven by
// playwright-core. It starts `imeiflow serve --demo` (its own simulated
// supplier and a fresh database in a temporary folder), then walks the path a
// new user takes: log in, paste 500 IMEIs, preview, confirm, watch the job
// reach 100% without reloading, search 100 of them on /orders, download the
// CSV, see a job paused by the daily cap resume when the cap is raised on
// /settings, log out. A screenshot of each page goes to SCREENSHOT_DIR.
//
// Usage: node e2e.mjs IMEIFLOW_BINARY SCREENSHOT_DIR
// Exits 0 when every check passed; prints what failed otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [binary, screenshotDir] = process.argv.slice(2);
if (!binary || !screenshotDir) {
  console.error('usage: node e2e.mjs IMEIFLOW_BINARY SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(screenshotDir, { recursive: true });

// A valid IMEI from a counter: 14 digits and the Luhn check digit.
function imei(n) {
  const body = String(35000000000000 + n * 7919).padStart(14, '0');
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(body[13 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

// The demo's daily cap: the 500 IMEIs of the main flow ($40.00) fit, the 200
// more of pausedJobAndSettings ($16.00) do not.
const demoCap = '45.00';

// A job over the daily cap is paused with its reason and no ETA; an admin
// raises the cap on /settings (a bad amount first: the form keeps it), and the
// job resumes to 100% without a restart.
async function pausedJobAndSettings(page, url, shot) {
  const imeis = Array.from({ length: 200 }, (_, i) => imei(i + 10001));
  await page.goto(`${url}/submit`);
  await page.fill('#imeis', imeis.join('\n'));
  await page.selectOption('#service_id', '1739');
  await page.click('#preview');
  await page.click('#confirm');
  const jobPath = new URL(page.url()).pathname;
  await page.waitForFunction(() => document.querySelector('#job-paused')?.hidden === false, null,
    { timeout: 60000, polling: 250 });
  const reason = (await page.textContent('#job-paused-reason')).trim();
  check(reason === `daily cap of $${demoCap} reached; resumes at 00:00 UTC or when the cap is raised`,
    `a job over the daily cap says it is paused and why (${reason})`);
  check((await page.textContent('#job-state')).trim() === 'paused', 'its state is paused');
  check((await page.textContent('#job-eta')).trim() === '-', 'no ETA is shown while paused');
  await shot('cap-1-job-paused');

  await page.goto(`${url}/settings`);
  check((await page.textContent('#cap-value')).trim() === `$${demoCap}`, 'the settings page shows the cap in force');
  check((await page.textContent('#cap-source')).includes('configuration file'), 'and where it comes from');
  await shot('cap-2-settings');
  await page.fill('#daily-cap', 'plenty');
  await page.click('#save-settings');
  check((await page.textContent('#settings-error')).includes('Daily cap'), 'a bad amount names the field');
  check((await page.inputValue('#daily-cap')) === 'plenty', 'the form keeps what was typed');
  await page.fill('#daily-cap', '2000.00');
  await page.click('#save-settings');
  check((await page.textContent('#cap-value')).trim() === '$2,000.00', 'the raised cap is in force');
  check((await page.textContent('#cap-source')).includes('set on this page by'), 'set on this page, by whom');
  await shot('cap-3-settings-raised');

  await page.goto(`${url}${jobPath}`);
  await page.waitForFunction(() => document.querySelector('#progress')?.dataset.percent === '100', null,
    { timeout: 120000, polling: 250 });
  check((await page.locator('#job-paused').isHidden()), 'the job resumed without a restart and finished');
  await shot('cap-4-job-resumed');
}

// Starts the demo server and resolves with its URL and demo credentials.
function startDemo(folder) {
  const child = spawn(binary, ['serve', '--demo', '--demo-dir', folder, '--demo-cap', demoCap,
    '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IMEIFLOW_LOG_LEVEL: 'warn' },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${out}`)), 30000);
    const onData = (chunk) => {
      out += chunk;
      const login = out.match(/open (http:\/\/127\.0\.0\.1:\d+)\/ and log in with user (\S+), password (\S+)/);
      if (login) {
        clearTimeout(timer);
        resolve({ child, url: login[1], user: login[2], password: login[3] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
  });
}

// Rejected before, shown before paying: once rejections of `ordered` are in
// (the demo supplier rejects 5%), submitting them again with 20 fresh IMEIs
// lists the rejected ones with their reasons, and leaving them out (the
// default) orders only the fresh ones.
async function checkRejectedBefore(page, url, ordered, shot) {
  const fresh = Array.from({ length: 20 }, (_, i) => imei(10000 + i));
  // Preview again until the first results are in: the condition is the
  // rejected-before count on the preview itself (polled once a second, 60 s).
  for (let tries = 0; ; tries++) {
    await page.goto(`${url}/submit`);
    await page.fill('#imeis', [...ordered, ...fresh].join('\n'));
    await page.selectOption('#service_id', '1739');
    await page.click('#preview');
    if ((await page.locator('#rejected-count').count()) > 0) break;
    check(tries < 60, 'results with rejections arrive within a minute');
    await page.waitForTimeout(1000);
  }
  const rejected = Number((await page.textContent('#rejected-count')).trim().replace(/,/g, ''));
  check(rejected > 0, `the preview counts the IMEIs rejected before (${rejected})`);
  check((await page.locator('#rejected-reasons li').count()) > 0, 'the preview names the top rejection reasons');
  await page.click('#rejected-before summary');
  const listed = await page.locator('#rejected-list tbody tr').evaluateAll(
    (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  check(listed.length === Math.min(rejected, 200) && listed.every((r) => ordered.includes(r[1]) && r[2].length > 0),
    'the list shows each rejected IMEI with its reason');
  check(await page.isChecked('#skip-rejected'), 'leaving them out is ticked by default');
  check((await page.textContent('#to-order')).trim() === '20', 'left out, only the 20 fresh IMEIs are to order');
  check((await page.textContent('#estimated-cost')).trim() === '$1.60', 'the estimate counts only the fresh IMEIs');
  await shot('05b-preview-rejected-before');
  await page.click('#confirm');
  // Confirm recomputes: a result that arrived since the preview is left out too.
  const flash = await page.textContent('.flash');
  const leftOut = Number((flash.match(/([\d,]+) rejected before left out/) || [0, '0'])[1].replace(/,/g, ''));
  check(flash.includes('20 IMEIs queued') && leftOut >= rejected,
    `the job holds only the fresh IMEIs (${flash.trim()})`);
}

const folder = mkdtempSync(join(tmpdir(), 'imeiflow-e2e-'));
let demo;
let browser;
try {
  demo = await startDemo(folder);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

  // Unauthenticated: redirected to the login page.
  await page.goto(`${demo.url}/orders`);
  check(new URL(page.url()).pathname === '/login', 'a page without a session redirects to /login');
  await shot('01-login');
  await page.fill('input[name="username"]', demo.user);
  await page.fill('input[name="password"]', 'not the password');
  await page.click('button[type="submit"]');
  check(new URL(page.url()).pathname === '/login', 'a wrong password stays on /login');
  await page.fill('input[name="username"]', demo.user);
  await page.fill('input[name="password"]', demo.password);
  await page.click('button[type="submit"]');
  check(new URL(page.url()).pathname === '/orders', 'the demo credentials log in, back to the page asked for');
  await page.goto(`${demo.url}/`);
  check((await page.locator('#logout').count()) === 1, 'the dashboard shows the logout button');
  await shot('02-dashboard');

  // Submit 500 IMEIs and one bad line.
  const imeis = Array.from({ length: 500 }, (_, i) => imei(i + 1));
  await page.goto(`${demo.url}/submit`);
  await page.fill('#imeis', `${imeis.join('\n')}\n12345\n`);
  const options = await page.locator('#service_id option').evaluateAll(
    (els) => els.map((e) => e.value).filter((v) => v));
  check(options.length > 0, `the service picker lists the cached services (${options.length})`);
  await page.selectOption('#service_id', options.includes('1739') ? '1739' : options[0]);
  await shot('03-submit');
  await page.click('#preview');
  check((await page.textContent('#valid-count')).trim() === '500', 'the preview counts 500 valid IMEIs');
  check((await page.locator('#invalid-list').textContent()).includes('12345'),
    'the preview lists the invalid line');
  check(/\$\d/.test(await page.textContent('#estimated-cost')), 'the preview shows an estimated cost');
  await shot('04-preview');

  // Confirm, then watch the bar reach 100% over server-sent events.
  await page.click('#confirm');
  const jobPath = new URL(page.url()).pathname;
  check(/^\/jobs\/\d+$/.test(jobPath), `confirm leads to the job page (${jobPath})`);
  check((await page.locator('.flash').count()) > 0, 'a flash message says what was queued');
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations++; });
  await page.waitForFunction(
    () => document.querySelector('#progress')?.dataset.percent === '100', null,
    { timeout: 120000, polling: 250 });
  check(navigations === 0, 'the progress reached 100% without reloading the page');
  check((await page.textContent('#progress')).includes('100%'), 'the bar says 100%');
  await page.waitForFunction(() => !/\bqueued\b/.test(document.querySelector('#items')?.textContent || 'queued'),
    null, { timeout: 10000, polling: 250 });
  check(navigations === 0, 'the item table shows the outcomes, still without a reload');
  await shot('05-job-done');
  await checkRejectedBefore(page, demo.url, imeis, shot);

  // Search 100 of them on /orders.
  const wanted = imeis.slice(0, 100);
  await page.goto(`${demo.url}/orders`);
  await page.fill('#imei-search', wanted.join(', '));
  await page.click('#search');
  await page.waitForLoadState('load');
  const rows = await page.locator('#orders tbody tr').count();
  check(rows === 100, `searching 100 IMEIs shows 100 orders (saw ${rows})`);
  await shot('06-orders');

  // Download the CSV for tools (the supplier layout) of that selection.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv-tools')]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  check(csv[0] === 'SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE',
    'the CSV has the supplier layout header');
  const csvImeis = new Set(csv.slice(1).map((line) => line.split(',')[1]));
  check(wanted.every((i) => csvImeis.has(i)), `the CSV holds the 100 searched IMEIs (${csv.length - 1} rows)`);

  await pausedJobAndSettings(page, demo.url, shot);

  // Log out: the session no longer opens pages.
  await page.click('#logout');
  check(new URL(page.url()).pathname === '/login', 'logout leads to /login');
  await page.goto(`${demo.url}/`);
  check(new URL(page.url()).pathname === '/login', 'after logout the dashboard needs a login again');
  await shot('07-logged-out');
  console.log('browser: all checks passed');
} catch (err) {
  console.error(`browser: ${err.message}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  if (demo) demo.child.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
}
