// One step of the registration flow in Debian's headless Chromium with
// JavaScript disabled, driven by tests/events/browser_flow.py (which holds
// the SMTP sink and reads the e-mails between steps).
//
//   node tests/events/browser.mjs STEP BASE_URL [ARG...]
//
// Steps:
//   create EMAIL PASSWORD          a coordinator creates session vc2027-b1
//   register                       a visitor (no account) registers in Spanish
//   confirm LINK OUT_FILE          opens the e-mailed link, confirms, downloads the .ics
//   reschedule EMAIL PASSWORD      the coordinator moves the session a week
//   cancel LINK                    the visitor cancels from the personal page
// Prints "ok - <what>" lines; exits 1 on failure (screenshot next to OUT_DIR).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const [step, base, ...args] = process.argv.slice(2);
const TIMEOUT = 15_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
const ok = (m) => console.log(`ok - ${m}`);

async function signIn(email, password) {
  await page.goto(`${base}/en/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
  ok(`signed in as ${email}`);
}

async function submit(selector = 'form.stack button[type=submit]') {
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return resp;
}

try {
  if (step === 'create') {
    await signIn(args[0], args[1]);
    await page.goto(`${base}/en/events/new?series=vc2020`);
    await page.fill('#s-id', 'vc2027-b1');
    await page.fill('#s-number', '14');
    await page.fill('#s-date', '2099-05-07');
    await page.fill('#s-time', '10:00');
    await page.fill('#s-tz', 'America/Montevideo');
    await page.fill('#s-dur', '90');
    await page.selectOption('#s-lang', 'es');
    await page.fill('#s-title-es', 'Aprender en línea con poca conexión');
    await page.fill('#s-title-en', 'Learning online on slow connections');
    await page.fill('#s-cap', '50');
    await page.check('#s-ch-zoom');
    await page.check('#s-ch-youtube_live');
    await page.fill('#s-zu', 'https://zoom.example/j/5550001');
    await page.fill('#s-zp', 'browser-pass');
    await submit();
    assert.match(page.url(), /\/en\/events\/vc2027-b1$/);
    assert.ok(!(await page.content()).includes('browser-pass'), 'join details on a public page');
    assert.ok((await page.content()).includes('YouTube Live'), 'the channels ticked are shown');
    ok('the coordinator created the session with the form');
  } else if (step === 'register') {
    await page.goto(`${base}/es/events/vc2027-b1`);
    await page.fill('#reg-name', 'Beatriz Núñez');
    await page.fill('#reg-email', 'beatriz@example.org');
    await page.selectOption('#reg-country', 'UY');
    await page.selectOption('#reg-lang', 'es');
    // Without consent: refused, in Spanish, with the values kept.
    await submit('form[action$="/register"] button[type=submit]');
    let html = await page.content();
    assert.ok(html.includes('debe aceptar para inscribirse'), 'consent message in Spanish');
    assert.equal(await page.inputValue('#reg-name'), 'Beatriz Núñez');
    ok('missing consent refused beside the field, values kept');
    await page.check('#reg-consent');
    await submit('form[action$="/register"] button[type=submit]');
    html = await page.content();
    assert.ok(html.includes('Revise su correo'), 'check-your-inbox page');
    ok('the visitor registered without an account or JavaScript');
  } else if (step === 'confirm') {
    const [link, out] = args;
    await page.goto(link);
    await submit('form[action$="/registrations/confirm"] button');
    const state = await page.getAttribute('td[data-state]', 'data-state');
    assert.equal(state, 'confirmed');
    const join = await page.textContent('pre.join');
    assert.ok(join.includes('zoom.example/j/5550001') && join.includes('browser-pass'), join);
    ok('confirmed from the e-mailed link; the join details are on the personal page');
    const href = await page.getAttribute('a[href$=".ics?lang=es"]', 'href');
    let text;
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 5_000 }),
        page.click(`a[href="${href}"]`),
      ]);
      await download.saveAs(out);
      text = fs.readFileSync(out, 'utf8');
      ok('the .ics downloaded by the browser');
    } catch {
      // Chromium shows text/calendar served inline instead of downloading it.
      const resp = await page.goto(`${base}${href}`);
      assert.match(resp.headers()['content-type'], /^text\/calendar/);
      text = await resp.text();
      fs.writeFileSync(out, text);
      ok('the .ics opened by the browser');
    }
    assert.ok(text.startsWith('BEGIN:VCALENDAR'), text.slice(0, 80));
  } else if (step === 'reschedule') {
    await signIn(args[0], args[1]);
    await page.goto(`${base}/en/events/vc2027-b1/edit`);
    await page.fill('#s-date', '2099-05-14');
    await page.selectOption('#s-status', 'rescheduled');
    await submit();
    assert.match(page.url(), /\/en\/events\/vc2027-b1$/);
    assert.ok((await page.content()).includes('2099-05-14'));
    ok('the coordinator rescheduled the session with the form');
  } else if (step === 'cancel') {
    await page.goto(args[0]);
    await submit('form[action$="/registrations/cancel"] button');
    assert.equal(await page.getAttribute('td[data-state]', 'data-state'), 'cancelled');
    ok('the visitor cancelled from the personal page');
  } else {
    throw new Error(`unknown step ${step}`);
  }
} catch (e) {
  console.error(`not ok - ${step}: ${e.stack || e}`);
  try {
    await page.screenshot({ path: `/tmp/faro-browser-${step}.png`, fullPage: true });
  } catch {}
  await browser.close();
  process.exit(1);
}
await browser.close();
