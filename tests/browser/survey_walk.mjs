// Faro survey walk (issue 14): headless Chromium with JavaScript disabled.
// A coordinator invites SENA and reads its access code; SENA's staff open the
// survey by the code in Portuguese, answer two pages, leave, resume on
// another "device" (a new browser context), see a question appear through
// `relevant`, fail a `constraint` with the form's Portuguese message, and
// submit; the coordinator sees the tracking change and the result.
//
//   FARO_BASE_URL=… FARO_TEST_COORDINATOR=… FARO_TEST_PASSWORD=… node tests/browser/survey_walk.mjs

import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = (process.env.FARO_BASE_URL || '').replace(/\/+$/, '');
if (!base) {
  console.error('FARO_BASE_URL is not set');
  process.exit(2);
}
const ID = 'member_survey_2020';
const url = (p) => `${base}${p}`;
let browser;
let page;
let passed = 0;
const ok = (m) => { passed += 1; console.log(`ok - ${m}`); };

async function context() {
  const c = await browser.newContext({ javaScriptEnabled: false });
  c.setDefaultTimeout(15_000);
  return c;
}

async function goto(p, status = 200) {
  const r = await page.goto(url(p), { waitUntil: 'load' });
  assert.equal(r.status(), status, `HTTP status of ${p}`);
}

// Clicks a submit button and waits for the next document.
async function click(locator, what) {
  assert.equal(await locator.count(), 1, `exactly one ${what}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

const text = async (sel) => ((await page.locator(sel).first().textContent()) ?? '').trim();
const next = () => page.locator('button[name="action"][value="next"]');

async function enterCode(code) {
  await goto(`/pt/surveys/${ID}`);
  await page.fill('#s-code', code);
  await click(page.locator('form[action$="/code"] button[type="submit"]'), 'code button');
  assert.ok(new URL(page.url()).pathname.endsWith(`/answer/sena`), `after the code: ${page.url()}`);
}

async function walk() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

  // The coordinator invites SENA and reads the code, shown once.
  const coord = await context();
  page = await coord.newPage();
  await goto('/en/login');
  await page.fill('#email', process.env.FARO_TEST_COORDINATOR);
  await page.fill('#password', process.env.FARO_TEST_PASSWORD);
  await click(page.locator('form.stack button[type="submit"]'), 'login button');
  await goto(`/en/surveys/${ID}`);
  await page.check('input[name="institution"][value="sena"]');
  await click(page.locator('form[action$="/invite"] button[type="submit"]'), 'invite button');
  const code = await text('code.access-code');
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{1,4}){6}$/, `a printable code: ${code}`);
  assert.equal(await text('#n-not-started'), '1');
  const coordPage = page;
  ok('coordinator invites SENA and sees its access code and the tracking (1 not started)');

  // SENA, first device: two pages, then leaves.
  const first = await context();
  page = await first.newPage();
  await enterCode(code);
  assert.match(await text('h1'), /Encuesta|Pesquisa|Survey/);
  assert.ok((await page.content()).includes('Reconstrução'), 'the note in Portuguese');
  await click(next(), 'next on page 1');
  await page.check('input[name="affected"][value="yes"]');
  assert.equal(await page.locator('textarea[name="effects"]').count(), 0, 'hidden before relevant');
  await click(next(), 'next on page 2');
  assert.equal(await page.locator('textarea[name="effects"]').count(), 1, 'relevant made it appear');
  ok('answers two pages by code; a question appears through relevant');
  await page.fill('textarea[name="effects"]', 'curto');
  await click(next(), 'next with a short answer');
  assert.ok((await page.content()).includes('Escreva pelo menos 10 caracteres.'), 'the form\'s message in Portuguese');
  assert.equal(await page.inputValue('textarea[name="effects"]'), 'curto', 'the value is kept');
  ok('a constraint fails with the form\'s own message in Portuguese');
  await page.fill('textarea[name="effects"]', 'Fechamos os centros e passamos ao ensino a distância.');
  await click(next(), 'next with a valid answer');
  await first.close();

  // SENA, another device: resumes with the code.
  const second = await context();
  page = await second.newPage();
  await enterCode(code);
  await goto(`/pt/surveys/${ID}/answer/sena?page=1`);
  assert.equal(await page.inputValue('textarea[name="effects"]'), 'Fechamos os centros e passamos ao ensino a distância.');
  ok('resumes from another device with the code, answers kept');
  await click(next(), 'next from page 2');
  await page.check('input[name="strategies"][value="online"]');
  await click(next(), 'next from strategies');
  await page.fill('textarea[name="strategy_detail.0.strategy_description"]', 'Cursos online para aprendizes');
  await click(next(), 'next from the repeat');
  await page.fill('textarea[name="demands"]', 'Formação de docentes em competências digitais');
  await click(next(), 'next to review');
  assert.ok(new URL(page.url()).search.includes('page=review'));
  await click(page.locator('form[action$="/submit"] button[type="submit"]'), 'submit button');
  assert.equal(await page.locator('#submitted').count(), 1, 'submitted');
  ok('reviews and submits');

  // The coordinator sees it.
  page = coordPage;
  await goto(`/en/surveys/${ID}`);
  assert.equal(await text('#n-submitted'), '1');
  assert.equal(await text('#tracking tr[data-institution="sena"] td.status'), 'Submitted');
  await goto(`/en/surveys/${ID}/results`);
  assert.equal(await text('#n-responses'), '1');
  assert.ok((await page.content()).includes('Distance and online training'));
  ok('coordinator sees the tracking change and the result');
  await browser.close();
}

try {
  await walk();
  console.log(`${passed} passed, 0 failed`);
  process.exit(0);
} catch (err) {
  console.error(`not ok - ${err && err.stack ? err.stack : err}`);
  if (page) console.error(`# at ${page.url()}`);
  if (browser) await browser.close().catch(() => {});
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
}
