// Browser tests: the real motcua binary, Debian's Chromium driven by
// playwright-core, and axe-core checking every public page against WCAG 2.1
// AA on a 360 px phone and a desktop viewport. Also checks what a person
// would notice: the page language, one h1, no sideways scrolling on a phone,
// no errors in the console, and the feedback form used as a person uses it.
// citizenFlow walks the citizen's whole path (register, search, submit a
// dossier with two files, receipt, my dossiers, public lookup signed out);
// officerFlow checks the administration pages as the demo agency admin.
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
  { name: 'register', path: '/dang-ky', lang: 'vi' },
  { name: 'login', path: '/dang-nhap', lang: 'vi' },
  { name: 'forgot', path: '/quen-mat-khau', lang: 'vi' },
  { name: 'lookup', path: '/tra-cuu', lang: 'vi' },
  // a well-formed code that no dossier has: the form again, with the error
  { name: 'lookup-unknown', path: '/tra-cuu?ma=000.00.00.H43-000000-0000', lang: 'vi', status: 404 },
  // public statistics: charts (SVG role=img) beside their tables, filters; a bad period is a 400
  { name: 'stats', path: '/thong-ke?period=2026', lang: 'vi' },
  { name: 'stats-bad-period', path: '/thong-ke?period=2026-13', lang: 'vi', status: 400 },
  // a receipt's public verification with a tag that is not the server's: the "not valid" page
  { name: 'receipt-verify-invalid', path: '/bien-lai/xac-thuc?ma=000.00.00.H43-000000-0000&so=BL000000-00000000&t=00000000000000000000000000000000', lang: 'vi', status: 404 },
];
// Pages behind sign-in are checked inside the flows: /tai-khoan and
// /ho-so-cua-toi in citizenFlow, /quan-tri/... in officerFlow.

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
    // axe 4.14 no longer reports these, but a label or aria-describedby
    // pointing at a duplicated id reads out the wrong element
    dupIds: [...new Set([...document.querySelectorAll('[id]')].map(e => e.id)
      .filter((id, i, all) => all.indexOf(id) !== i))],
  }));
  tap(facts.lang === want.lang, `${label}: <html lang="${want.lang}">`, `got ${facts.lang}`);
  tap(facts.h1 === 1, `${label}: exactly one h1`, `got ${facts.h1}`);
  tap(facts.overflow <= 0, `${label}: no sideways scrolling`, `${facts.overflow}px too wide`);
  tap(facts.dupIds.length === 0, `${label}: ids are unique`, facts.dupIds.join(' '));
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
        const real = errors.filter(e => !/status of 404/.test(e) && !(p.status && e.includes(`status of ${p.status}`)));
        tap(real.length === 0, `${label}: no console errors`, real.join('\n'));
      }
      await feedbackFlow(page, server.base, vp.name);
      await suggestFlow(page, server.base, vp.name);
      await citizenFlow(page, server.base, vp.name);
      await officerFlow(page, server, vp.name);
      await officerBackOfficeFlow(page, server, vp.name);
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

// ---- the citizen's path (issue 5) ----

// One made-up person per viewport. A CCCD is 12 digits: the province of
// registration (037, Ninh Bình), a century and sex digit (0: man born
// 1900-1999, 1: woman born 1900-1999), the last two digits of the birth
// year, then six more digits. The birth date must agree with the year.
const PEOPLE = {
  phone: { name: 'Trần Thị Mai Hương', cccd: '037195000101', born: '12/03/1995',
    phone: '0912 345 678', email: 'mai.huong@example.vn', address: 'Số 5 đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình' },
  desktop: { name: 'Phạm Văn Đức', cccd: '037088000202', born: '27/11/1988',
    phone: '0983 456 789', email: 'pham.duc@example.vn', address: 'Thôn Đông, xã Gia Viễn, tỉnh Ninh Bình' },
};
const PASSWORD = 'Hoa sen nở 2024 tháng sáu';

// An online procedure with exactly two required papers and one optional
// one ("... (nếu có)"), found by typing its name without diacritics.
// ("Đăng ký khai sinh", 1.001193, asks for ~30 papers: see the report.)
const PROCEDURE = { typed: 'dang ky du thi tot nghiep', name: 'Đăng ký dự thi tốt nghiệp trung học phổ thông' };

const DOSSIER_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}$/;
const DATE = /\b\d{2}\/\d{2}\/\d{4}\b/;

// The smallest PDF that is a PDF: header, one empty page, xref, trailer.
function tinyPdf() {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'];
  let body = '%PDF-1.4\n';
  const offsets = objs.map((o, i) => { const at = body.length; body += `${i + 1} 0 obj\n${o}\nendobj\n`; return at; });
  const xref = body.length;
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) body += `${String(at).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// A 1x1 PNG: signature, IHDR, IDAT, IEND with their real CRCs.
const tinyPng = () => Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// What the public lookup shows instead of a name: the first word whole, then
// each other word's first letter followed by a star per remaining letter.
function maskName(full) {
  const [first, ...rest] = full.split(/\s+/);
  return [first, ...rest.map(w => { const cs = [...w]; return cs[0] + '*'.repeat(cs.length - 1); })].join(' ');
}

// axe and the other checks, then a screenshot named after the step.
async function look(page, vp, step) {
  await check(page, `${step} @${vp}`, { lang: 'vi' });
  await page.screenshot({ path: join(shots, `${step}-${vp}.png`), fullPage: true });
}

// Opens a page by its address, as a bookmark would, expecting 200.
async function openAs(page, url, label) {
  const resp = await page.goto(url);
  tap(resp.status() === 200, `${label}: ${new URL(url).pathname} is HTTP 200`, `got ${resp.status()}`);
}

// Clicks something that loads a new page and waits for it.
async function clickAndLoad(page, locator, url) {
  await Promise.all([page.waitForURL(url), locator.click()]);
}

async function citizenFlow(page, base, vp) {
  const me = PEOPLE[vp];
  await register(page, base, vp, me);
  const code = await searchAndOpen(page, base, vp);
  const dossier = await submitDossier(page, vp, me, code);
  if (!dossier) return;
  await downloadReceipt(page, vp, dossier);
  await myDossiers(page, vp, dossier);
  await publicLookup(page, vp, me, dossier);
}

// 1. Registration: first with mistakes, then properly.
async function register(page, base, vp, me) {
  await page.goto(`${base}/`);
  await clickAndLoad(page, page.locator('header .who a[href="/dang-ky"]'), /\/dang-ky$/);
  // The person mistypes: an 11-digit CCCD, a birth year that is not the
  // CCCD's, a landline-looking number, a short password, no consent.
  await page.fill('#f-full_name', me.name);
  await page.fill('#f-id_number', me.cccd.slice(0, 11));
  await page.fill('#f-birth_date', '01/01/2001');
  await page.fill('#f-phone', '024 3825 1234');
  await page.fill('#f-email', me.email);
  await page.fill('#f-address', me.address);
  await page.fill('#f-password', 'ngan');
  await clickAndLoad(page, page.locator('form.form button[type=submit]'), /\/dang-ky$/);
  for (const f of ['id_number', 'phone', 'password', 'consent']) {
    const msg = page.locator(`.field.invalid #e-${f}`);
    tap(await msg.isVisible() && (await msg.innerText()).trim().length > 0,
      `register @${vp}: the ${f} problem is shown beside the field`);
    tap(await page.getAttribute(`#f-${f}`, 'aria-invalid') === 'true', `register @${vp}: #f-${f} is aria-invalid`);
  }
  tap(await page.locator('.errors li').count() >= 4, `register @${vp}: the problems are listed at the top`,
    `got ${await page.locator('.errors li').count()}`);
  tap(await page.inputValue('#f-full_name') === me.name && await page.inputValue('#f-id_number') === me.cccd.slice(0, 11)
    && await page.inputValue('#f-email') === me.email, `register @${vp}: what was typed is kept`);
  await look(page, vp, 'register-errors');

  // Now properly.
  await page.fill('#f-id_number', me.cccd);
  await page.fill('#f-birth_date', me.born);
  await page.fill('#f-phone', me.phone);
  await page.fill('#f-password', PASSWORD);
  await page.check('#f-consent');
  await clickAndLoad(page, page.locator('form.form button[type=submit]'), /\/tai-khoan/);
  // Registration signs the person in and shows the account page.
  tap(/\/tai-khoan\?xong=dang-ky$/.test(page.url()), `register @${vp}: signed in on the account page`, page.url());
  tap((await page.locator('header .me').innerText()).trim() === me.name, `register @${vp}: the header shows the name`);
  await look(page, vp, 'account');
}

// 2. Search without diacritics from the home page and open the procedure.
async function searchAndOpen(page, base, vp) {
  await page.goto(`${base}/`);
  await page.fill('#q', PROCEDURE.typed);
  await clickAndLoad(page, page.locator('form.search button[type=submit]'), /\/thu-tuc\?q=/);
  const hit = page.locator('ol.hits a', { hasText: PROCEDURE.name }).first();
  tap(await hit.count() === 1, `search @${vp}: "${PROCEDURE.typed}" finds "${PROCEDURE.name}"`);
  await look(page, vp, 'citizen-search');
  await clickAndLoad(page, hit, /\/thu-tuc\/\d\.\d{6}$/);
  const code = page.url().split('/').pop();
  await look(page, vp, 'citizen-procedure');
  return code;
}

// 3. The online form: prefilled from the profile, an agency, two files.
async function submitDossier(page, vp, me, code) {
  const button = page.locator(`a[href="/thu-tuc/${code}/nop"]`);
  tap(await button.innerText() === 'Nộp hồ sơ trực tuyến', `procedure @${vp}: offers online submission`);
  await clickAndLoad(page, button, /\/nop$/);
  const prefilled = { '#f-name': me.name, '#f-id_number': me.cccd, '#f-birth_date': me.born,
    '#f-phone': me.phone.replace(/ /g, ''), '#f-email': me.email, '#f-address': me.address };
  for (const [sel, want] of Object.entries(prefilled)) {
    const got = await page.inputValue(sel);
    tap(got === want, `dossier form @${vp}: ${sel} prefilled from the profile`, `got "${got}", want "${want}"`);
  }
  await look(page, vp, 'dossier-form');
  // The person picks the (only) agency offered, attaches the two papers
  // the procedure requires and leaves the optional third one out.
  const agencies = await page.locator('#f-agency option:not([value=""])').count();
  tap(agencies >= 1, `dossier form @${vp}: agencies to choose from`, `got ${agencies}`);
  await page.selectOption('#f-agency', { index: 1 });
  await page.setInputFiles('#f-doc_0', { name: 'phieu-dang-ky.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await page.setInputFiles('#f-doc_1', { name: 'can-cuoc.png', mimeType: 'image/png', buffer: tinyPng() });
  await page.fill('#f-notes', 'Em đăng ký dự thi tại điểm thi gần nhà.');
  await clickAndLoad(page, page.locator('button[name=action][value=submit]'), /\/ho-so\//);
  const dossier = (await page.locator('.done .facts strong').innerText().catch(() => '')).trim();
  tap(DOSSIER_CODE.test(dossier), `dossier @${vp}: confirmation shows the dossier code`, `"${dossier}" at ${page.url()}`);
  const due = await page.locator('.done .facts').innerText().catch(() => '');
  tap(DATE.test(due), `dossier @${vp}: confirmation shows a due date`, due);
  await look(page, vp, 'dossier-done');
  return DOSSIER_CODE.test(dossier) ? dossier : null;
}

// 4. The receipt (biên nhận) downloads as a PDF.
async function downloadReceipt(page, vp, dossier) {
  const link = page.locator(`.done a[href="/ho-so/${dossier}/bien-nhan.pdf"]`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const pdf = readFileSync(await download.path());
  tap(pdf.subarray(0, 5).toString('latin1') === '%PDF-' && pdf.length > 2000 && pdf.length < 2e6,
    `receipt @${vp}: ${download.suggestedFilename()} is a PDF (${pdf.length} bytes)`,
    `starts ${JSON.stringify(pdf.subarray(0, 8).toString('latin1'))}`);
}

// 5. "Hồ sơ của tôi" lists it; its page lists the two papers.
async function myDossiers(page, vp, dossier) {
  await clickAndLoad(page, page.locator('header a[href="/ho-so-cua-toi"]'), /\/ho-so-cua-toi$/);
  const row = page.locator('tbody tr', { has: page.locator(`a[href="/ho-so/${dossier}"]`) });
  tap(await row.count() === 1, `my dossiers @${vp}: the dossier is listed`);
  const status = (await row.locator('td').nth(2).innerText().catch(() => '')).trim();
  tap(/^\p{L}[\p{L} ,]+$/u.test(status), `my dossiers @${vp}: status in words`, `"${status}"`);
  await look(page, vp, 'my-dossiers');
  await clickAndLoad(page, row.locator(`a[href="/ho-so/${dossier}"]`), new RegExp(`/ho-so/${dossier.replace(/\./g, '\\.')}$`));
  const files = await page.locator('section[aria-labelledby=files-title] li').allInnerTexts();
  tap(files.length === 2 && /phieu-dang-ky\.pdf/.test(files.join()) && /can-cuoc\.png/.test(files.join()),
    `dossier @${vp}: both papers are listed`, files.join('\n'));
  const history = await page.locator('section[aria-labelledby=events-title] li').allInnerTexts();
  tap(history.length >= 1 && history.every(h => !h.includes('()')), `dossier @${vp}: history has no empty notes`, history.join('\n'));
  await look(page, vp, 'dossier');
}

// 6. Signed out, anyone can look the dossier up by its code.
async function publicLookup(page, vp, me, dossier) {
  await clickAndLoad(page, page.locator('header form.signout button'), /\/$/);
  tap(await page.locator('header .me').count() === 0, `sign out @${vp}: the header no longer shows a name`);
  await clickAndLoad(page, page.locator('nav a[href="/tra-cuu"]'), /\/tra-cuu$/);
  await page.fill('#ma', dossier);
  await clickAndLoad(page, page.locator('form.lookup button[type=submit]'), /\/tra-cuu\?ma=/);
  const facts = await page.locator('.facts').innerText().catch(() => '');
  tap(facts.includes(dossier) && facts.includes(PROCEDURE.name), `lookup @${vp}: shows the code and the procedure`, facts);
  tap(/Mới|Đã tiếp nhận/.test(facts), `lookup @${vp}: shows the status`, facts);
  tap(facts.includes(maskName(me.name)), `lookup @${vp}: shows the masked name ${maskName(me.name)}`, facts);
  const all = await page.locator('body').innerText();
  tap(!all.includes(me.name) && !all.includes(me.cccd), `lookup @${vp}: never the full name or the CCCD`);
  await look(page, vp, 'lookup-found');
}

// ---- an officer's pages ----

// The demo agency administrator signs in and opens the administration pages.
async function officerFlow(page, server, vp) {
  const accounts = readFileSync(join(server.dir, 'demo-accounts.tsv'), 'utf8').trim().split('\n').map(l => l.split('\t'));
  const [login, password] = accounts.find(a => a[2] === 'agency-admin');
  await page.goto(`${server.base}/dang-nhap`);
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await clickAndLoad(page, page.locator('form.form button[type=submit]'), /\/tai-khoan/);
  tap(await page.locator('header .me').count() === 1, `officer @${vp}: signed in`);
  await openAs(page, `${server.base}/quan-tri/thu-tuc`, `officer @${vp}`);
  await look(page, vp, 'admin-procedures');
  await clickAndLoad(page, page.locator('main ul li a').first(), /\/quan-tri\/thu-tuc\/\d\.\d{6}$/);
  await look(page, vp, 'admin-procedure');
  await openAs(page, `${server.base}/quan-tri/tai-khoan`, `officer @${vp}`);
  await look(page, vp, 'admin-accounts');
  await clickAndLoad(page, page.locator('header form.signout button'), /\/$/);
  // The official calendar (/quan-tri/lich): the system admin's editor, then
  // its error state (an add without a date or name); agency admins only read it.
  const [sysLogin, sysPassword] = accounts.find(a => a[2] === 'sysadmin');
  await page.goto(`${server.base}/dang-nhap`);
  await page.fill('#f-login', sysLogin);
  await page.fill('#f-password', sysPassword);
  await clickAndLoad(page, page.locator('form.form button[type=submit]'), /\/tai-khoan/);
  await openAs(page, `${server.base}/quan-tri/lich?nam=2027`, `sysadmin @${vp}`);
  await look(page, vp, 'admin-calendar');
  await clickAndLoad(page, page.locator('section[aria-labelledby=h-new] button[type=submit]'), /\/quan-tri\/lich/);
  tap(await page.locator('.errors').count() === 1, `calendar @${vp}: an empty add shows its errors`);
  await look(page, vp, 'admin-calendar-errors');
  await clickAndLoad(page, page.locator('header form.signout button'), /\/$/);
}

// ---- the one-stop back office (issue 6) ----

// A citizen files online; the desk asks for a supplement; the citizen
// supplements on the dossier page; the desk receives; the leader assigns
// the specialist, who submits for approval; the leader approves; the desk
// hands back the result; the public lookup shows status 10. Every officer
// page is checked with axe on both viewports. Accounts: demo-accounts.tsv.
const BO_PROCEDURE = '1.002099'; // so-tu-phap, fully online, four papers

async function signIn(page, base, login, password) {
  await page.goto(`${base}/dang-nhap`);
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await clickAndLoad(page, page.locator('form.form button[type=submit]'), /\/tai-khoan/);
}

async function signOut(page) {
  await clickAndLoad(page, page.locator('header form.signout button'), /\/$/);
}

// Submits the action form named action on the open officer dossier page;
// fill(form) types what the action needs. True when the page confirms it.
async function officerAct(page, vp, action, fill) {
  const form = page.locator(`form.action:has(input[name=action][value=${action}])`);
  const there = await form.count() === 1;
  tap(there, `back office @${vp}: the ${action} form is offered`);
  if (!there) return false;
  if (fill) await fill(form);
  await clickAndLoad(page, form.locator('button[type=submit]'), new RegExp(`xong=${action}$`));
  const ok = await page.locator('main .notice[role=status]').count() === 1;
  tap(ok, `back office @${vp}: ${action} is confirmed on the page`);
  return ok;
}

async function officerBackOfficeFlow(page, server, vp) {
  const base = server.base;
  const accounts = readFileSync(join(server.dir, 'demo-accounts.tsv'), 'utf8').trim().split('\n').map(l => l.split('\t'));
  const who = role => accounts.find(a => a[2] === role && (role === 'citizen' || a[3] === 'so-tu-phap'));
  const [citizen, citizenPw] = who('citizen');
  const desk = who('desk'), specialist = who('specialist'), leader = who('leader');

  // 1. The citizen files the dossier online, a paper in every slot.
  await signIn(page, base, citizen, citizenPw);
  await openAs(page, `${base}/thu-tuc/${BO_PROCEDURE}/nop`, `back office @${vp}`);
  for (const [sel, v] of [['#f-name', 'Nguyễn Thị Lan'], ['#f-id_number', '037190000303'], ['#f-birth_date', '05/05/1990'],
    ['#f-phone', '0912000303'], ['#f-address', 'Số 3 đường Trần Hưng Đạo, tỉnh Ninh Bình']])
    if (await page.locator(sel).count() && !(await page.inputValue(sel))) await page.fill(sel, v);
  await page.selectOption('#f-agency', 'so-tu-phap');
  const slots = await page.locator('form.form input[type=file]').all();
  for (const [i, f] of slots.entries()) await f.setInputFiles({ name: `giay-to-${i + 1}.pdf`, mimeType: 'application/pdf', buffer: tinyPdf() });
  await clickAndLoad(page, page.locator('button[name=action][value=submit]'), /\/ho-so\//);
  const code = (await page.locator('.done .facts strong').innerText().catch(() => '')).trim();
  tap(DOSSIER_CODE.test(code), `back office @${vp}: the citizen's dossier has a code`, `"${code}" at ${page.url()}`);
  await signOut(page);
  if (!DOSSIER_CODE.test(code)) return;
  const dossierUrl = `${base}/can-bo/ho-so/${code}`;

  // 2. The desk finds it in "Chờ tiếp nhận" and asks for a supplement.
  await signIn(page, base, desk[0], desk[1]);
  await clickAndLoad(page, page.locator('header a[href="/can-bo"]'), /\/can-bo$/);
  await look(page, vp, 'officer-home');
  await clickAndLoad(page, page.locator('a[href="/can-bo/ho-so?hang=new"]').first(), /hang=new/);
  await look(page, vp, 'officer-queue');
  await page.fill('#q', code);
  await clickAndLoad(page, page.locator('form.search button[type=submit]'), /q=/);
  const row = page.locator(`tbody a[href="/can-bo/ho-so/${code}"]`);
  tap(await row.count() === 1, `back office @${vp}: the search by code finds the dossier`);
  await clickAndLoad(page, row, new RegExp(`/can-bo/ho-so/${code.replace(/\./g, '\\.')}$`));
  await look(page, vp, 'officer-dossier');
  await officerAct(page, vp, 'request_supplement', f => f.locator('textarea[name=items]').fill('Bản sao Giấy đăng ký hoạt động có chứng thực\nGiấy tờ chứng minh trụ sở'));
  await look(page, vp, 'officer-supplement-asked');
  await openAs(page, `${base}/can-bo/tiep-nhan`, `back office @${vp}`);
  await look(page, vp, 'officer-desk-entry');
  await signOut(page);

  // 3. The citizen reads the list and sends the papers.
  await signIn(page, base, citizen, citizenPw);
  await openAs(page, `${base}/ho-so/${code}`, `back office @${vp}`);
  const asked = await page.locator('.asked').innerText().catch(() => '');
  tap(asked.includes('Giấy tờ chứng minh trụ sở'), `back office @${vp}: the citizen sees what to supplement`, asked);
  await look(page, vp, 'citizen-supplement');
  await page.locator('form[action$="/bo-sung"] input[type=file]').first().setInputFiles({ name: 'bo-sung.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await clickAndLoad(page, page.locator('form[action$="/bo-sung"] button[type=submit]'), /bo-sung=1$/);
  tap(await page.locator('main .notice[role=status]').count() === 1, `back office @${vp}: the supplement is confirmed`);
  await signOut(page);

  // 4-8. Receive, assign, appraise, approve, hand back.
  const steps = [
    [desk, 'receive'],
    [leader, 'assign', f => f.locator('select[name=assignee]').selectOption({ index: 1 })],
    [specialist, 'submit_approval'],
    [leader, 'approve'],
    [desk, 'return_result'],
  ];
  for (const [acct, action, fill] of steps) {
    await signIn(page, base, acct[0], acct[1]);
    await openAs(page, dossierUrl, `back office @${vp}`);
    const ok = await officerAct(page, vp, action, fill);
    if (action === 'assign' || action === 'approve') await look(page, vp, `officer-${action}`);
    await signOut(page);
    if (!ok) return;
  }

  // 9. Anyone can see the result was handed back (status 10).
  await page.goto(`${base}/tra-cuu?ma=${encodeURIComponent(code)}`);
  const facts = await page.locator('.facts').innerText().catch(() => '');
  tap(facts.includes('Đã trả kết quả'), `back office @${vp}: the lookup shows status 10`, facts);
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
