// Faro browser walk: drives Debian's headless Chromium through the site with
// JavaScript disabled, the way a person without scripts would use it.
//
//   FARO_BASE_URL=http://127.0.0.1:8099 node tests/browser/walk.mjs
//
// Env: FARO_BASE_URL (required), CHROMIUM_PATH (default /usr/bin/chromium),
// FARO_SCREENSHOTS (folder for the screenshots of every public page at both
// widths in all three languages; default target/browser-walk).
// Prints "ok - <step>" per step; on failure prints the error, saves
// tests/browser/failure.png, closes the browser and exits 1.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const RUN_TIMEOUT_MS = 240_000;
const ACTION_TIMEOUT_MS = 15_000;
const LANGS = ['es', 'en', 'pt'];
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FAILURE_PNG = path.join(HERE, 'failure.png');
const SHOTS = process.env.FARO_SCREENSHOTS || path.join(HERE, '..', '..', 'target', 'browser-walk');

const rawBase = process.env.FARO_BASE_URL;
if (!rawBase) {
  console.error('FARO_BASE_URL is not set (e.g. FARO_BASE_URL=http://127.0.0.1:8099)');
  process.exit(2);
}
const base = rawBase.replace(/\/+$/, '');
const url = (p) => `${base}${p}`;

const started = Date.now();
let browser;
let page; // the page in use, for the failure screenshot
let passed = 0;

function ok(msg) {
  passed += 1;
  console.log(`ok - ${msg}`);
}

async function newContext(options = {}) {
  const context = await browser.newContext({ javaScriptEnabled: false, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  return context;
}

async function goto(p, expectedStatus = 200) {
  const response = await page.goto(url(p), { waitUntil: 'load' });
  assert.ok(response, `no response for ${p}`);
  assert.equal(response.status(), expectedStatus, `HTTP status of ${p}`);
  return response;
}

// Click something that navigates, and wait until the new document has loaded.
async function clickAndWait(locator, description) {
  const count = await locator.count();
  assert.equal(count, 1, `expected exactly one ${description}, found ${count}`);
  const before = page.url();
  await Promise.all([
    page.waitForURL((u) => u.href !== before, { waitUntil: 'load' }),
    locator.click(),
  ]);
}

// Submit a form that may answer at the same address (a refused POST shown
// again), and wait until the new document has loaded.
async function submitAndWait(locator, description) {
  const count = await locator.count();
  assert.equal(count, 1, `expected exactly one ${description}, found ${count}`);
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }),
    locator.click(),
  ]);
  await page.waitForLoadState('load');
}

const current = () => new URL(page.url());
const htmlLang = () => page.evaluate(() => document.documentElement.lang);
const text = async (locator) => ((await locator.textContent()) ?? '').trim();

async function assertLangLinks() {
  const links = page.locator('nav.langs a');
  assert.equal(await links.count(), 3, 'nav.langs should have three links');
  for (const l of LANGS) {
    const a = page.locator(`nav.langs a[hreflang="${l}"]`);
    assert.equal(await a.count(), 1, `nav.langs link hreflang=${l}`);
    const href = await a.getAttribute('href');
    assert.ok(href && href.startsWith(`/${l}/`), `nav.langs ${l} link href ${href}`);
  }
}

async function countryCells() {
  const rows = page.locator('table.directory tbody tr');
  const n = await rows.count();
  assert.ok(n > 0, 'directory table has no rows');
  return page.locator('table.directory tbody tr td:nth-child(3)').allTextContents()
    .then((cells) => {
      assert.equal(cells.length, n, 'every row should have a country cell');
      return cells.map((c) => c.trim());
    });
}

async function walk() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  console.log(`# chromium ${browser.version()}, base ${base}`);

  const ctx = await newContext({ locale: 'en-US' });
  page = await ctx.newPage();

  // 1. The three home pages, each in its own language.
  const h1s = {};
  for (const lang of LANGS) {
    await goto(`/${lang}/`);
    assert.equal(await htmlLang(), lang, `document.documentElement.lang on /${lang}/`);
    const h1 = page.locator('h1');
    assert.equal(await h1.count(), 1, `one h1 on /${lang}/`);
    h1s[lang] = await text(h1);
    assert.notEqual(h1s[lang], '', `h1 on /${lang}/ is empty`);
    await assertLangLinks();
  }
  assert.equal(new Set(Object.values(h1s)).size, 3, `h1 texts should differ: ${JSON.stringify(h1s)}`);
  ok(`home pages es/en/pt have their lang, distinct h1s and language links (${JSON.stringify(h1s)})`);

  // 2. The root negotiates the language from Accept-Language.
  {
    const ptCtx = await newContext({ locale: 'pt-BR' });
    const enPage = page;
    page = await ptCtx.newPage();
    await goto('/');
    assert.equal(current().pathname, '/pt/', 'root with Accept-Language pt-BR');
    assert.equal(await htmlLang(), 'pt');
    await ptCtx.close();
    page = enPage;
  }
  ok('/ with locale pt-BR lands on /pt/');

  // 3. Main navigation to the directory.
  await goto('/en/');
  await clickAndWait(page.locator('nav.main a[href$="/en/institutions"]'), 'nav.main link to /en/institutions');
  assert.equal(current().pathname, '/en/institutions');
  assert.equal(current().search, '');
  ok('nav.main link goes to /en/institutions');

  // 4. Language switch keeps the page.
  await clickAndWait(page.locator('nav.langs a[hreflang="es"]'), 'nav.langs link hreflang=es');
  assert.equal(current().pathname, '/es/institutions');
  assert.equal(await htmlLang(), 'es');
  ok('language link switches /en/institutions to /es/institutions with html[lang=es]');

  // 5. Filter by country with the form (a plain GET form, no JS).
  {
    const select = page.locator('form.filters select#f-country');
    const option = select.locator('option[value="BR"]');
    assert.equal(await text(option), 'Brasil (6)', 'label of the BR option');
    await select.selectOption('BR');
    await clickAndWait(page.locator('form.filters button[type="submit"]'), 'filter submit button');
    const u = current();
    assert.equal(u.pathname, '/es/institutions');
    assert.equal(u.searchParams.get('country'), 'BR', `country=BR in ${u.href}`);
    const total = await text(page.locator('p.total'));
    assert.match(total, /\b6\b/, `p.total "${total}" should say 6`);
    const cells = await countryCells();
    assert.equal(cells.length, 6, 'six rows for Brasil');
    for (const c of cells) assert.equal(c, 'Brasil', `country cell "${c}"`);
    const senai = page.locator('table.directory tbody a', { hasText: /^SENAI$/ });
    assert.equal(await senai.count(), 1, 'a SENAI link in the table');
    ok(`filter country=BR: "${total}", ${cells.length} rows all "Brasil", SENAI listed`);
  }

  // 6. Switching language keeps the filter.
  {
    await clickAndWait(page.locator('nav.langs a[hreflang="en"]'), 'nav.langs link hreflang=en');
    const u = current();
    assert.equal(u.pathname, '/en/institutions');
    assert.equal(u.searchParams.get('country'), 'BR', `country=BR kept in ${u.href}`);
    assert.equal(await htmlLang(), 'en');
    const cells = await countryCells();
    assert.equal(cells.length, 6, 'six rows for Brazil');
    for (const c of cells) assert.equal(c, 'Brazil', `country cell "${c}"`);
    ok('language link to en keeps country=BR; country cells read "Brazil"');
  }

  // 7. A profile page with its structured data.
  {
    await clickAndWait(page.locator('table.directory tbody a', { hasText: /^SENAI$/ }), 'SENAI link');
    assert.ok(current().pathname.endsWith('/en/institutions/senai'), `profile URL ${page.url()}`);
    const h1 = await text(page.locator('h1'));
    assert.ok(h1.includes('SENAI'), `profile h1 "${h1}" should contain SENAI`);
    const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
    assert.ok(scripts.length > 0, 'no application/ld+json script');
    const types = scripts.map((s, i) => {
      let data;
      assert.doesNotThrow(() => { data = JSON.parse(s); }, `JSON-LD #${i} does not parse`);
      return data['@type'];
    });
    assert.ok(types.includes('EducationalOrganization'), `JSON-LD @type values: ${JSON.stringify(types)}`);
    ok(`profile /en/institutions/senai: h1 "${h1}", JSON-LD EducationalOrganization`);
  }

  // 8. Unknown language: a 404 that still offers the three languages.
  {
    await goto('/xx/', 404);
    for (const l of LANGS) {
      const n = await page.locator(`a[href="/${l}/"]`).count();
      assert.ok(n > 0, `404 page should link to /${l}/`);
    }
    ok('/xx/ answers 404 with links to /es/, /en/, /pt/');
  }

  // 9. Keyboard: the first Tab reaches the skip link.
  {
    await goto('/en/institutions');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? { tag: el.tagName, cls: el.className, href: el.getAttribute('href'), skip: el.matches('a.skip') } : null;
    });
    assert.ok(focused && focused.skip, `first Tab should focus a.skip, focused ${JSON.stringify(focused)}`);
    ok(`first Tab on /en/institutions focuses the skip link (href ${focused.href})`);
  }

  // 10. Accessibility: axe-core's WCAG 2 A/AA rules (contrast, labels,
  //     landmarks, names) find nothing on the main pages. axe needs script,
  //     so this context alone runs JavaScript (and bypasses our CSP).
  {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const axePath = require.resolve('axe-core/axe.min.js');
    const ctx = await newContext({ javaScriptEnabled: true, bypassCSP: true });
    const previous = page;
    page = await ctx.newPage();
    const checked = [];
    // The checker itself must be able to fail: a page with an unlabelled
    // field and low contrast.
    await page.setContent('<html lang="en"><body><main><input type="text"><p style="color:#bbb;background:#fff">faint</p></main></body></html>');
    await page.addScriptTag({ path: axePath });
    // eslint-disable-next-line no-undef
    const bad = await page.evaluate(async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations.map((v) => v.id));
    assert.ok(bad.includes('label') && bad.includes('color-contrast'), `axe should flag a bad page: ${bad}`);
    const pages = ['/es/', '/en/institutions?country=BR', '/pt/institutions/senai', '/en/search?q=training', '/es/login', '/xx/',
      '/en/resources', '/es/resources/r-cinterfor-videoconference-series-page', '/pt/events', '/en/events/vc2020-04'];
    // The resource form, as a signed-in editor sees it.
    if (process.env.FARO_TEST_EDITOR && process.env.FARO_TEST_PASSWORD) {
      await page.goto(url('/en/login'), { waitUntil: 'load' });
      await page.fill('#email', process.env.FARO_TEST_EDITOR);
      await page.fill('#password', process.env.FARO_TEST_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.locator('form.stack button[type="submit"]').click()]);
      pages.push('/en/resources/new');
    }
    for (const p of pages) {
      await page.goto(url(p), { waitUntil: 'load' });
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return { passes: r.passes.length, violations: r.violations.map((v) => `${v.id}: ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.html}`) };
      });
      assert.ok(result.passes > 5, `axe ran no checks on ${p}`);
      assert.deepEqual(result.violations, [], `axe violations on ${p}`);
      checked.push(p);
    }
    await ctx.close();
    page = previous;
    ok(`axe-core finds no WCAG 2.1 A/AA violations on ${checked.length} pages`);
  }

  // 11. An institution editor signs in, edits the profile, sees the change
  //     and its history, and signs out — all without JavaScript.
  const editor = process.env.FARO_TEST_EDITOR;
  const password = process.env.FARO_TEST_PASSWORD;
  if (editor && password) {
    await goto('/es/login');
    await page.fill('#email', editor);
    await page.fill('#password', password);
    await clickAndWait(page.locator('form.stack button[type="submit"]'), 'login button');
    assert.equal(current().pathname, '/es/', `after login ${page.url()}`);
    assert.ok((await text(page.locator('.who'))).includes(editor), 'the header shows the signed-in account');
    await goto('/es/institutions/sena');
    await clickAndWait(page.locator('a.button[href$="/institutions/sena/edit"]'), 'edit link');
    const description = 'Descripción escrita en el navegador, sin JavaScript.';
    await page.fill('#description_es', description);
    await page.fill('#reason', 'prueba del navegador');
    await clickAndWait(page.locator('form.stack button[type="submit"]'), 'save button');
    assert.equal(current().pathname, '/es/institutions/sena', `after saving ${page.url()}`);
    assert.equal(await text(page.locator('p.description')), description);
    await goto('/es/institutions/sena/history');
    const history = await text(page.locator('table.changes'));
    assert.ok(history.includes(description) && history.includes('prueba del navegador'), 'history shows the change and its reason');
    // A resource added from the form, linked to a session of the series.
    await goto('/es/resources');
    await clickAndWait(page.locator('a[href="/es/resources/new"]'), 'new resource link');
    await page.selectOption('#r-type', 'session_recording');
    await page.fill('#r-title-es', 'Grabación de la sesión 4');
    await page.fill('#r-langs', 'es');
    await page.check('#ses-vc2020-04');
    await page.fill('#r-reason', 'prueba del navegador');
    await clickAndWait(page.locator('form.stack button[type="submit"]'), 'save resource button');
    assert.equal(current().pathname, '/es/resources/r-grabacion-de-la-sesion-4', `after saving ${page.url()}`);
    assert.equal(await text(page.locator('h1')), 'Grabación de la sesión 4');
    await clickAndWait(page.locator('a[href="/es/events/vc2020-04"]'), 'related session link');
    assert.ok((await text(page.locator('main'))).includes('Grabación de la sesión 4'), 'the session lists the resource');
    // Editors cannot reach another institution's form.
    await goto('/es/institutions/senai/edit', 403);
    await goto('/es/institutions');
    await clickAndWait(page.locator('.who button[type="submit"]'), 'sign-out button');
    assert.equal(current().pathname, '/es/', `after sign-out ${page.url()}`);
    assert.ok((await text(page.locator('.who'))).includes('Iniciar sesión'), 'signed out');
    ok('editor signs in, edits SENA, sees the change and its history, adds a resource linked to session 4, is refused SENAI, signs out');
  }

  await noSidewaysScroll();
  await filtersFold();
  const coordinator = process.env.FARO_TEST_COORDINATOR;
  if (coordinator && password) await correctionFlow(coordinator, password);

  await browser.close();
  browser = undefined;
}

// Issue 11 item 3: no public page scrolls sideways on a phone (390 px) or a
// laptop (1280 px), in any language.
const PUBLIC_PAGES = [
  '/', '/institutions', '/institutions/sena', '/institutions/sena/history',
  '/observatory', '/observatory/measures/m-senai-medical-material',
  '/observatory/measures/m-senai-medical-material/history', '/observatory/codebook',
  '/observatory/charts', '/observatory/corrections', '/resources',
  '/resources/r-cinterfor-technical-note-covid19', '/courses',
  '/courses/c-cinterfor-quality-apprenticeship', '/events', '/events/vc2020-04',
  '/events/series/vc2020', '/search?q=sena', '/data', '/surveys', '/reports', '/login',
];

async function noSidewaysScroll() {
  for (const width of [390, 1280]) {
    const context = await newContext({ viewport: { width, height: 800 } });
    page = await context.newPage();
    for (const lang of LANGS) {
      for (const p of PUBLIC_PAGES) {
        await goto(`/${lang}${p}`);
        const [scroll, inner] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          window.innerWidth,
        ]);
        assert.ok(scroll <= inner, `/${lang}${p} scrolls sideways at ${width} px: ${scroll} > ${inner}`);
        const slug = p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
        await page.screenshot({ path: path.join(SHOTS, `${width}-${lang}-${slug}.png`), fullPage: true });
      }
    }
    await context.close();
  }
  ok(`no page scrolls sideways at 390 px or 1280 px (${PUBLIC_PAGES.length} pages × 3 languages; screenshots in ${SHOTS})`);
}

// Issue 11 item 3: on a phone the filters come above the results, in a
// block that folds (<details>); on a laptop they are the sidebar.
const FACETED = ['/observatory', '/resources', '/courses', '/search?q=sena'];

async function filtersFold() {
  for (const width of [390, 1280]) {
    const context = await newContext({ viewport: { width, height: 800 } });
    page = await context.newPage();
    for (const lang of LANGS) {
      for (const p of FACETED) {
        await goto(`/${lang}${p}`);
        const refine = page.locator('aside.facets details.refine');
        assert.equal(await refine.count(), 1, `/${lang}${p}: one folding filter block`);
        const box = await refine.boundingBox();
        const results = await page.locator('.search-layout > .results').boundingBox();
        assert.ok(box && results, `/${lang}${p}: filters and results are shown`);
        if (width === 390) {
          assert.ok(box.y < results.y, `/${lang}${p} at 390 px: filters (y ${box.y}) above results (y ${results.y})`);
        } else {
          assert.ok(box.x > results.x, `/${lang}${p} at 1280 px: filters beside the results`);
        }
      }
    }
    // Folding works without scripts.
    await goto('/es/observatory');
    const summary = page.locator('details.refine > summary');
    await summary.click();
    assert.equal(await page.locator('details.refine').getAttribute('open'), null, 'the block folds');
    await summary.click();
    assert.notEqual(await page.locator('details.refine').getAttribute('open'), null, 'and unfolds');
    await context.close();
  }
  ok(`filters fold above the results at 390 px and sit beside them at 1280 px (${FACETED.length} pages × 3 languages)`);
}

// Issue 11 item 10: a visitor's refused suggestion keeps their text, the
// error beside its field; a coordinator picks a field, edits its current
// value, previews the diff, applies it, and the public log says what
// changed. At both widths, in all three languages, without JavaScript.
const URL_ERROR = {
  es: 'debe ser una dirección que comience con http:// o https://',
  en: 'must be an address starting with http:// or https://',
  pt: 'deve ser um endereço que comece com http:// ou https://',
};

async function correctionFlow(coordinator, password) {
  const m = '/observatory/measures/m-senai-medical-material';
  for (const width of [390, 1280]) {
    for (const lang of LANGS) {
      const context = await newContext({ viewport: { width, height: 800 } });
      page = await context.newPage();
      await goto(`/${lang}${m}`);
      const what = `Browser walk ${width} ${lang}: the notes should cite the source.`;
      await page.fill('#fix-what', what);
      await page.fill('#fix-src', 'ftp://example.org/source');
      const send = page.locator(`form[action="/${lang}${m}/corrections"] button[type="submit"]`);
      await clickAndWait(send, 'send suggestion');
      assert.equal(await page.inputValue('#fix-what'), what, 'the refused suggestion keeps the text');
      assert.equal(await page.inputValue('#fix-src'), 'ftp://example.org/source');
      assert.equal(await text(page.locator('#fix-src-err')), URL_ERROR[lang], `${lang}: the error beside the field`);
      assert.equal(await page.locator('#fix-src').getAttribute('aria-invalid'), 'true');
      await page.fill('#fix-src', 'https://example.org/source');
      await submitAndWait(page.locator(`form[action="/${lang}${m}/corrections"] button[type="submit"]`), 'send suggestion again');
      await goto(`/${lang}/login`);
      await page.fill('#email', coordinator);
      await page.fill('#password', password);
      await clickAndWait(page.locator('form.stack button[type="submit"]'), 'login button');
      await goto(`/${lang}/observatory/corrections?status=pending`);
      const article = page.locator('article.correction', { hasText: what });
      assert.equal(await article.count(), 1, `${lang}: the suggestion is in the pending queue`);
      const id = (await article.getAttribute('id')).slice(1);
      await clickAndWait(article.locator(`a[href="/${lang}/observatory/corrections/${id}"]`), 'review link');
      const options = await page.locator('#column option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(options.includes('notes') && !options.includes('status') && !options.includes('reviewed_by'), `fields: ${options}`);
      await page.selectOption('#column', 'notes');
      await clickAndWait(page.locator('form[method="get"] button[type="submit"]'), 'choose field');
      const before = await page.inputValue('#value');
      assert.ok(before.length > 0, 'the current value is pre-filled');
      const added = ` Source checked by the walk (${width} ${lang}).`;
      await page.fill('#value', before + added);
      await page.fill('#note', `walk ${width} ${lang}`);
      await submitAndWait(page.locator('button[value="preview"]'), 'preview button');
      assert.equal(await text(page.locator('.diff-text ins')), added.trim(), 'the diff shows what is added');
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scroll <= inner, `review page scrolls sideways at ${width} px`);
      await page.screenshot({ path: path.join(SHOTS, `${width}-${lang}-correction-preview.png`), fullPage: true });
      await clickAndWait(page.locator('button[value="apply"]'), 'apply button');
      assert.equal(current().pathname, `/${lang}/observatory/corrections`, `after applying ${page.url()}`);
      const changed = await text(page.locator(`#c${id} ul.changed`));
      assert.ok(changed.includes(added.trim()), `${lang}: the log says what changed: ${changed}`);
      await context.close();
    }
  }
  ok('a refused suggestion keeps its text with the error beside the field; a coordinator previews and applies a correction, and the log says what changed (390 and 1280 px × 3 languages)');
}

async function fail(err) {
  console.error(`not ok - ${err && err.stack ? err.stack : err}`);
  if (page && !page.isClosed()) {
    try {
      await page.screenshot({ path: FAILURE_PNG, fullPage: true, timeout: 5_000 });
      console.error(`# screenshot of ${page.url()} saved to ${FAILURE_PNG}`);
    } catch (e) {
      console.error(`# could not save screenshot: ${e.message}`);
    }
  }
  if (browser) await browser.close().catch(() => {});
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
}

let timer;
const timeout = new Promise((_, reject) => {
  timer = setTimeout(
    () => reject(new Error(`whole run exceeded ${RUN_TIMEOUT_MS / 1000} s`)),
    RUN_TIMEOUT_MS,
  );
});

try {
  await Promise.race([walk(), timeout]);
  clearTimeout(timer);
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, 0 failed`);
  process.exit(0);
} catch (err) {
  clearTimeout(timer);
  await fail(err);
}
