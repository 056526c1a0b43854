// Browser tests: the real motcua binary, Debian's Chromium driven by
// playwright-core, and axe-core checking every public page against WCAG 2.1
// AA on a 360 px phone and a desktop viewport. Also checks what a person
// would notice: the page language, one h1, no sideways scrolling on a phone,
// no errors in the console, and the feedback form used as a person uses it.
// Prints TAP ("ok N - ..." / "not ok N - ...") and screenshots to
// build/browser/. Later issues add their pages to PAGES and FLOWS.
//
//   MOTCUA_BIN=build/motcua node tests/browser/run.mjs
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = resolve(process.env.MOTCUA_BIN || join(root, 'build/motcua'));
const shots = join(root, 'build/browser');
const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  { name: 'desktop', width: 1366, height: 900 },
];

// Pages anyone can open. lang is the expected <html lang>.
const PAGES = [
  { name: 'home', path: '/', lang: 'vi' },
  { name: 'home-en', path: '/?lang=en', lang: 'en' }, // the choice sticks (a cookie)...
  { name: 'feedback-en', path: '/gop-y', lang: 'en' },
  { name: 'home-vi', path: '/?lang=vi', lang: 'vi' }, // ...until switched back
  { name: 'feedback', path: '/gop-y', lang: 'vi' },
  { name: 'not-found', path: '/khong-co-trang-nay', lang: 'vi', status: 404 },
  { name: 'procedures', path: '/thu-tuc', lang: 'vi' },
  { name: 'search', path: '/thu-tuc?q=dang+ky+khai+sinh', lang: 'vi' },
  { name: 'search-facet', path: '/thu-tuc?q=khai+sinh&cap=commune', lang: 'vi' },
  { name: 'procedure', path: '/thu-tuc/1.001193', lang: 'vi' },
  { name: 'agencies', path: '/co-quan', lang: 'vi' },
  { name: 'agency', path: '/co-quan/so-tu-phap', lang: 'vi' },
  { name: 'fields', path: '/linh-vuc', lang: 'vi' },
  { name: 'field', path: '/linh-vuc/ho-tich', lang: 'vi' },
];

let n = 0, failed = 0;
function tap(ok, name, detail) {
  n++;
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) for (const line of String(detail).split('\n')) console.log(`# ${line}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-browser-'));
  execFileSync(bin, ['init', '--data', dir, '--demo'], { stdio: 'ignore' });
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--data', dir, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { proc, base, dir }; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('motcua did not start');
}

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s): ${v.nodes.slice(0, 3).map(x => x.target.join(' ')).join(', ')}`);
  });
}

// Checks one loaded page as a person and as axe would.
async function check(page, label, want) {
  const v = await axe(page);
  tap(v.length === 0, `${label}: no WCAG 2.1 AA violations`, v.join('\n'));
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelectorAll('h1').length,
    overflow: document.scrollingElement.scrollWidth - window.innerWidth,
  }));
  tap(facts.lang === want.lang, `${label}: <html lang="${want.lang}">`, `got ${facts.lang}`);
  tap(facts.h1 === 1, `${label}: exactly one h1`, `got ${facts.h1}`);
  tap(facts.overflow <= 0, `${label}: no sideways scrolling`, `${facts.overflow}px too wide`);
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const vp of VIEWPORTS) {
      const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height },
        isMobile: !!vp.isMobile, hasTouch: !!vp.hasTouch, deviceScaleFactor: vp.deviceScaleFactor || 1,
        bypassCSP: true, locale: 'vi-VN' });
      const page = await ctx.newPage();
      const errors = [];
      page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', e => errors.push(String(e)));
      for (const p of PAGES) {
        const label = `${p.name} @${vp.name}`;
        errors.length = 0;
        const resp = await page.goto(server.base + p.path);
        tap(resp.status() === (p.status || 200), `${label}: HTTP ${p.status || 200}`, `got ${resp.status()}`);
        await check(page, label, p);
        await page.screenshot({ path: join(shots, `${p.name}-${vp.name}.png`), fullPage: true });
        const real = errors.filter(e => !/status of 404/.test(e));
        tap(real.length === 0, `${label}: no console errors`, real.join('\n'));
      }
      await feedbackFlow(page, server.base, vp.name);
      await suggestFlow(page, server.base, vp.name);
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.proc.kill('SIGTERM');
    await new Promise(r => server.proc.on('exit', r));
    rmSync(server.dir, { recursive: true, force: true });
  }
}

// The góp ý form as a person fills it: first with mistakes, then properly.
async function feedbackFlow(page, base, vp) {
  await page.goto(`${base}/gop-y`);
  await page.fill('#f-name', 'A');
  await page.fill('#f-contact', 'không phải email');
  await page.click('button[type=submit]');
  const errorsShown = await page.locator('.errors li').count();
  tap(errorsShown === 4, `feedback @${vp}: four problems listed after a bad submit`, `got ${errorsShown}`);
  tap(await page.inputValue('#f-contact') === 'không phải email', `feedback @${vp}: typed text kept`);
  await check(page, `feedback-errors @${vp}`, { lang: 'vi' });
  await page.screenshot({ path: join(shots, `feedback-errors-${vp}.png`), fullPage: true });
  await page.fill('#f-name', 'Nguyễn Thị Hoa');
  await page.fill('#f-contact', '0912 345 678');
  await page.fill('#f-subject', 'Không tìm thấy thủ tục cấp đổi giấy phép lái xe');
  await page.fill('#f-body', 'Tôi gõ "cap doi giay phep lai xe" nhưng không ra kết quả nào.');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/gop-y\/GY-/);
  const ref = await page.locator('.facts strong').innerText();
  tap(/^GY-\d{6}-[A-Z0-9]{6}$/.test(ref), `feedback @${vp}: confirmation shows the reference`, ref);
  await check(page, `feedback-done @${vp}`, { lang: 'vi' });
  await page.screenshot({ path: join(shots, `feedback-done-${vp}.png`), fullPage: true });
}

// Suggestions under the search box: typed without diacritics, chosen with
// the keyboard, they open the procedure; the list is an accessible combobox.
async function suggestFlow(page, base, vp) {
  await page.goto(`${base}/`);
  await page.click('#q');
  await page.keyboard.type('dang ky khai sinh', { delay: 20 });
  const first = page.locator('.suggest [role=option]').first();
  await first.waitFor({ timeout: 10000 });
  const text = await first.innerText();
  tap(/khai sinh/i.test(text), `suggest @${vp}: first suggestion is about khai sinh`, text);
  tap(await page.getAttribute('#q', 'aria-expanded') === 'true', `suggest @${vp}: combobox says it is expanded`);
  await check(page, `suggest-open @${vp}`, { lang: 'vi' });
  await page.screenshot({ path: join(shots, `suggest-${vp}.png`), fullPage: true });
  await page.keyboard.press('ArrowDown');
  const active = await page.getAttribute('#q', 'aria-activedescendant');
  tap(!!active && active.endsWith('-0'), `suggest @${vp}: arrow key selects the first option`, String(active));
  await Promise.all([page.waitForURL(/\/thu-tuc\/\d\.\d{6}$/), page.keyboard.press('Enter')]);
  tap(/\/thu-tuc\/\d\.\d{6}$/.test(page.url()), `suggest @${vp}: Enter opens the procedure`, page.url());
}

main().then(() => {
  console.log(`1..${n}`);
  console.log(`# ${n - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}).catch(e => {
  tap(false, 'browser tests ran', e.stack || e);
  console.log(`1..${n}`);
  process.exit(1);
});
