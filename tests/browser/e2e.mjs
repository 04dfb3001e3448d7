// End-to-end test of the web pages in headless Debian Chromium, driven by
// playwright-core. It starts `imeiflow serve --demo` (its own simulated
// supplier and a fresh database in a temporary folder), then walks the path a
// new user takes: log in, paste 500 IMEIs, preview, confirm, watch the job
// reach 100% without reloading, search 100 of them on /orders, download the
// CSV, see a job paused by the daily cap resume when the cap is raised on
// /settings; Back from the preview, a 500-row uploaded sheet to results
// checked against the database and back as the sheet, two items needing
// review resolved in bulk; log out. A screenshot of each page goes to
// SCREENSHOT_DIR.
//
// Usage: node e2e.mjs IMEIFLOW_BINARY SCREENSHOT_DIR
// Exits 0 when every check passed; prints what failed otherwise.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
function startDemo(folder, extra = [], extraEnv = {}) {
  const child = spawn(binary, ['serve', '--demo', '--demo-dir', folder, '--demo-cap', demoCap,
    '--listen', '127.0.0.1:0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IMEIFLOW_LOG_LEVEL: 'warn', ...extraEnv },
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

// Waits until `condition` (async, polled every 500 ms) holds; fails naming
// `what` after `timeoutMs`.
async function waitUntil(condition, what, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// The rows of a CSV text (RFC 4180: quoted cells, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

// `imeiflow orders --json` on the demo database with `flags`: the orders.
function ordersOf(dbPath, flags) {
  const out = execFileSync(binary, ['--db', dbPath, 'orders', '--json', '--limit', '100000', ...flags],
    { env: { ...process.env, IMEIFLOW_LOG_LEVEL: 'warn' }, encoding: 'utf8' });
  return JSON.parse(out).orders;
}

// Issue 12's "done when": Back from the preview keeps a paste and a file;
// a 500-row uploaded CSV with a Stock No and a Colour column (shuffled
// IMEIs) runs to results; the job page's tiles and result summary equal
// the database's figures (`imeiflow orders --json` with the same filters);
// the FMI figure's link filters the orders to that count; the job's sheet
// comes back with its own columns and rows, in order, and the results.
async function uploadedSheetToResults(page, url, dbPath, shot) {
  // Back after a paste: the textarea's lines and the service are kept.
  const pasted = Array.from({ length: 30 }, (_, i) => imei(i + 30001));
  await page.goto(`${url}/submit`);
  await page.fill('#imeis', pasted.join('\n'));
  await page.selectOption('#service_id', '1739');
  await page.click('#preview');
  check((await page.textContent('#valid-count')).trim() === '30', 'the paste previews 30 valid IMEIs');
  await page.click('#back');
  const kept = (await page.inputValue('#imeis')).split(/\r?\n/).filter((l) => l);
  check(kept.length === 30 && kept.every((l, i) => l === pasted[i]), 'Back keeps the pasted lines, in order');
  check((await page.inputValue('#service_id')) === '1739', 'Back keeps the chosen service');
  await shot('08-back-after-paste');

  // The upload: 500 shuffled IMEIs with a Stock No and a Colour.
  const colours = ['black', 'white', 'blue', 'red', 'green'];
  const sheetImeis = Array.from({ length: 500 }, (_, i) => imei(i + 20001));
  let seed = 12;
  for (let i = sheetImeis.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [sheetImeis[i], sheetImeis[j]] = [sheetImeis[j], sheetImeis[i]];
  }
  const uploaded = sheetImeis.map((m, i) => [`S-${String(i + 1).padStart(4, '0')}`, m, colours[i % 5]]);
  const csvText = `Stock No,IMEI,Colour\r\n${uploaded.map((r) => r.join(',')).join('\r\n')}\r\n`;
  await page.goto(`${url}/submit`);
  await page.fill('#imeis', '');
  await page.setInputFiles('input[name="file"]',
    { name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csvText) });
  await page.selectOption('#service_id', '1739');
  await page.click('#preview');
  check((await page.textContent('#valid-count')).trim() === '500', 'the uploaded sheet previews 500 valid IMEIs');
  await shot('09-preview-upload');
  await page.click('#back');
  const keptFile = (await page.textContent('#kept-file')).replace(/\s+/g, ' ');
  check(keptFile.includes('stock.csv') && keptFile.includes('500'),
    `Back keeps the file choice (${keptFile.trim()})`);
  check((await page.inputValue('#service_id')) === '1739', 'and the service');
  await shot('10-back-after-upload');
  await page.click('#preview');
  check((await page.textContent('#valid-count')).trim() === '500', 'the kept file previews again');
  await page.click('#confirm');
  const jobPath = new URL(page.url()).pathname;
  const jobId = jobPath.split('/').pop();
  check(/^\d+$/.test(jobId), `the upload's job (${jobPath})`);

  // Results: wait until the database holds a final result for every order.
  await waitUntil(() => {
    const orders = ordersOf(dbPath, ['--job', jobId]);
    return orders.length === 500 && orders.every((o) => o.status === 'completed' || o.status === 'rejected');
  }, 'every order of the job has its final result', 180000);
  await page.goto(`${url}${jobPath}`);
  const tile = async (key) => Number((await page.textContent(`#tile-${key}`)).trim().replace(/,/g, ''));
  const all = ordersOf(dbPath, ['--job', jobId]);
  const completed = all.filter((o) => o.status === 'completed').length;
  const rejected = all.filter((o) => o.status === 'rejected').length;
  check(await tile('completed') === completed, `the completed tile equals the database (${completed})`);
  check(await tile('rejected') === rejected, `the rejected tile equals the database (${rejected})`);
  check(await tile('pending') === 0, 'no order is pending');
  const figures = await page.locator('#job-summary a').evaluateAll((links) => links.map((a) => ({
    n: Number(a.querySelector('strong').textContent.replace(/,/g, '')),
    label: a.textContent.replace(/\s+/g, ' ').trim(),
    href: a.getAttribute('href'),
  })));
  check(figures.some((f) => f.href.includes('fmi=on')), 'the summary has an FMI on figure');
  for (const f of figures) {
    const flags = [];
    for (const [name, value] of new URL(f.href, url).searchParams) flags.push(`--${name}`, value);
    const n = ordersOf(dbPath, flags).length;
    check(f.n === n, `the figure "${f.label}" equals the database (${n})`);
  }
  await shot('11-job-upload-results');

  // The FMI on figure's link: the orders page counts as many.
  const fmiOn = figures.find((f) => f.href.includes('fmi=on'));
  await page.click(`#job-summary a[href="${fmiOn.href}"]`);
  await page.waitForLoadState('load');
  const total = Number((await page.textContent('#orders-total')).trim().match(/^[\d,]+/)[0].replace(/,/g, ''));
  check(total === fmiOn.n, `the orders filtered by FMI on count ${fmiOn.n} (saw ${total})`);
  const shown = await page.locator('#orders tbody tr').count();
  check(shown === Math.min(fmiOn.n, 100), `and list them (${shown} on the first page)`);
  await shot('12-orders-fmi-on');

  // The job's sheet: its own columns and rows in order, the results added.
  await page.goto(`${url}${jobPath}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#job-sheet-download')]);
  const rows = parseCsv(readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, ''));
  check(JSON.stringify(rows[0]) === JSON.stringify(['Stock No', 'IMEI', 'Colour', 'Result', 'Carrier',
    'SIM-lock', 'FMI', 'Blacklist', 'Code / reason', 'Price']), `the sheet's header (${rows[0].join(' | ')})`);
  const body = rows.slice(1);
  check(body.length === 500, `the sheet has the 500 uploaded rows (${body.length})`);
  check(body.every((r, i) => r[0] === uploaded[i][0] && r[1] === `="${uploaded[i][1]}"` && r[2] === uploaded[i][2]),
    'in the uploaded order, each IMEI a text cell for Excel');
  const byImei = new Map(all.map((o) => [o.imei, o]));
  check(body.every((r, i) => (byImei.get(uploaded[i][1]).status === 'completed') === (r[3] === 'Completed')),
    'each row carries its own result');
}

// Starts imeiflow-sim (built next to imeiflow) with `options`; resolves with
// the child and its URL.
function startSim(options) {
  const child = spawn(join(dirname(binary), 'imeiflow-sim'), ['--listen', '127.0.0.1:0', ...options],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const listening = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (listening) resolve({ child, url: listening[1] });
    });
    child.on('exit', (code) => reject(new Error(`imeiflow-sim exited with ${code}`)));
  });
}

// Stops a child process and waits until it has exited.
function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// `imeiflow review --json` on the demo database: the items awaiting review.
function reviewItems(dbPath) {
  const out = execFileSync(binary, ['--db', dbPath, 'review', '--json'],
    { env: { ...process.env, IMEIFLOW_LOG_LEVEL: 'warn' }, encoding: 'utf8' });
  return JSON.parse(out).items;
}

// Two items whose call a supplier cut after ordering (a second simulator,
// every answer reset) need review; both are resolved in one bulk decision on
// /review. The demo is stopped meanwhile (its dispatcher would take the
// job to its own supplier) and started again on the same database.
async function bulkReview(page, demo, folder, shot) {
  const dbPath = join(folder, 'imeiflow.db');
  await stop(demo.child);
  const faulty = await startSim(['--fault-reset', '1']);
  const two = [imei(40001), imei(40002)];
  const file = join(folder, 'two.txt');
  writeFileSync(file, `${two.join('\n')}\n`);
  const submit = spawnSync(binary, ['--db', dbPath, 'submit', '--yes', '--service', '1739', '--wait', file], {
    encoding: 'utf8',
    timeout: 120000,
    env: {
      ...process.env, IMEIFLOW_LOG_LEVEL: 'warn', IMEIFLOW_UPSTREAM_URL: faulty.url,
      IMEIFLOW_UPSTREAM_USER: 'demo', IMEIFLOW_UPSTREAM_API_KEY: 'DEMO-0000-0000-0000-0000',
      IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES: 'false',
    },
  });
  await stop(faulty.child);
  const before = reviewItems(dbPath);
  check(before.length === 2 && two.every((m) => before.some((i) => i.imei === m)),
    `the two cut calls need review (${before.length}; submit said: ${submit.stdout.trim().split('\n').pop()})`);

  // Started again as a shop whose supplier takes a duplicate order: it does
  // not resend the two by itself to learn whether they were charged.
  const again = await startDemo(folder, ['--keep'], { IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES: 'false' });
  await page.goto(`${again.url}/review`);
  if (new URL(page.url()).pathname === '/login') {
    await page.fill('input[name="username"]', again.user);
    await page.fill('input[name="password"]', again.password);
    await page.click('button[type="submit"]');
  }
  check(new URL(page.url()).pathname === '/review', 'the review page opens');
  check((await page.textContent('#review-count')).trim() === '2', 'it counts the two items');
  for (const item of before) {
    const words = (await page.textContent(`#review-item-${item.item} details summary`)).trim();
    const raw = (await page.textContent(`#review-item-${item.item} .raw-reason`)).trim();
    check(words.length > 0 && words !== item.reason && raw === item.reason,
      `item ${item.item}'s reason in plain words ("${words}"), the raw text behind a toggle`);
  }
  await shot('13-review-two');
  for (const item of before) await page.check(`input[name="item_id"][value="${item.item}"]`);
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#review-bulk button[value="submitted"]');
  await page.waitForSelector('#review-empty');
  check(reviewItems(dbPath).length === 0, 'one bulk decision resolved both (imeiflow review --json lists none)');
  await shot('14-review-resolved');
  return again;
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
  await uploadedSheetToResults(page, demo.url, join(folder, 'imeiflow.db'), shot);
  demo = await bulkReview(page, demo, folder, shot);

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
