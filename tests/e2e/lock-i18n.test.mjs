// Issue 26, items 5, 9 and 10: a Lock page's words and looks. A page written as Lock's docs
// write it (pkg/compat.js where Lock's script tag was, `new Auth0Lock(...)`) with a
// `languageDictionary` in Lock's nested shape; social strategies with Lock's names, brand
// colours and marks (simple-icons files beside the widget, fetched only for the buttons on
// screen); and every language code Lock 14 ships, `pt-br` and right-to-left ones included.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startServers } from '../support/servers.mjs';
import { launchBrowser, openPage, safetyTimer, waitForEvent } from './support.mjs';
import { STRICT_CSP as CSP, outside } from './checks.mjs';

safetyTimer('tests/e2e/lock-i18n.test.mjs');

/** A tenant shaped as Auth0 serves it, with social connections Lock knows (two with a mark in
 *  simple-icons, one without) beside an enterprise one. */
const LOCK_CLIENT = 'lock-i18n';
const CLIENT_CONFIGS = {
  [LOCK_CLIENT]: {
    id: LOCK_CLIENT,
    tenant: 'acme',
    strategies: [
      { name: 'google-oauth2', connections: [{ name: 'google-oauth2' }] },
      { name: 'github', connections: [{ name: 'github' }] },
      { name: 'linkedin', connections: [{ name: 'linkedin' }] },
      { name: 'oidc', connections: [{ name: 'local-oidc', display_name: 'Local OpenID Provider', domain: 'example.com' }] },
    ],
  },
};

/** A page as Lock's README writes one: Lock's CDN script tag replaced by pkg/compat.js, then
 *  `new Auth0Lock(clientId, domain, options)` and `lock.show()`, with the arguments of
 *  sessionStorage['latch-e2e'] (set by the test). It records the widget's events in
 *  window.latchEvents. */
const LOCK_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A Lock page</title></head>
<body>
  <script src="/pkg/compat.js"></script>
  <script>
    var setup = JSON.parse(sessionStorage.getItem('latch-e2e'));
    var lock = new Auth0Lock(setup.clientId, setup.domain, setup.options);
    window.latchEvents = [];
    ['show', 'signin ready', 'authenticated', 'authorization_error', 'unrecoverable_error'].forEach(function (name) {
      lock.on(name, function (payload) { window.latchEvents.push({ name: name, payload: payload }); });
    });
    lock.show();
  </script>
</body>
</html>
`;

let pages;
let servers;
let strict;
let browser;

before(async () => {
  pages = await mkdtemp(join(tmpdir(), 'latch-lock-pages-'));
  await writeFile(join(pages, 'lock.html'), LOCK_PAGE);
  const mounts = [{ prefix: '/lock/', dir: pages }];
  [servers, strict, browser] = await Promise.all([
    startServers({ clientConfigs: CLIENT_CONFIGS, mounts }),
    startServers({ clientConfigs: CLIENT_CONFIGS, webHeaders: { 'Content-Security-Policy': CSP } }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await Promise.all([servers?.close(), strict?.close()]);
  await rm(pages, { recursive: true, force: true });
});

/** Opens the Lock page with `options` (a fresh context, closed when the test ends); returns
 *  the page, its errors, its console warnings and the pathnames it requested. */
async function openLockPage(t, options, { clientId = LOCK_CLIENT, viewport } = {}) {
  const setup = { clientId, domain: servers.issuer, options };
  const opened = await openPage(browser, { setup, contextOptions: viewport ? { viewport } : {} });
  t.after(() => opened.context.close());
  const { page } = opened;
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${servers.webUrl}/lock/lock.html`);
  return { ...opened, warnings, requests };
}

test("item 5: a Lock page with Lock's nested languageDictionary shows the widget with the mapped texts", async (t) => {
  const { page, pageErrors, warnings } = await openLockPage(t, {
    languageDictionary: {
      title: 'Acme Login',
      signUpTitle: 'Join Acme',
      loginSubmitLabel: 'Go on',
      databaseEnterpriseAlternativeLoginInstructions: 'or',
      error: { login: { blocked_user: 'You are blocked.', 'hrd.not_matching_email': 'Use your Acme email.' } },
    },
  });
  await waitForEvent(page, 'signin ready');
  assert.equal(await page.textContent('.latch .latch-title'), 'Acme Login');
  assert.equal((await page.textContent('.latch form.latch-hrd button[type="submit"]')).trim(), 'Go on');
  const events = await page.evaluate(() => window.latchEvents.map((e) => e.name));
  assert.equal(events.includes('unrecoverable_error'), false, events.join());
  // The keys the widget has no text for are ignored, and named once.
  const ignored = warnings.filter((w) => w.includes('languageDictionary'));
  assert.equal(ignored.length, 1, warnings.join('\n'));
  for (const key of ['signUpTitle', 'databaseEnterpriseAlternativeLoginInstructions', 'error.login.blocked_user']) {
    assert.ok(ignored[0].includes(`\`${key}\``), ignored[0]);
  }
  assert.equal(ignored[0].includes('loginSubmitLabel'), false, 'mapped keys are not named');
  assert.deepEqual(pageErrors, []);
});

/** The social button of `connection`: its text, its accent, and its icon (an image's
 *  address and whether it loaded, or the initial). */
function socialButton(page, connection) {
  return page.evaluate((name) => {
    const button = document.querySelector(`.latch button.latch-connection[data-connection="${name}"]`);
    const icon = button.querySelector('.latch-icon');
    return {
      label: button.querySelector('.latch-label').textContent,
      accent: button.style.getPropertyValue('--latch-button-accent'),
      image: icon.tagName === 'IMG' ? { src: icon.getAttribute('src'), loaded: icon.complete && icon.naturalWidth > 0 } : null,
      initial: icon.tagName === 'IMG' ? null : icon.textContent,
    };
  }, connection);
}

/** Waits until every brand's mark on the page has loaded (or failed). */
function marksSettled(page) {
  return page.waitForFunction(() => [...document.querySelectorAll('.latch img.latch-mark')]
    .every((img) => img.getAttribute('src') && img.complete));
}

test("item 9: google-oauth2 shows as Lock shows it: \"Google\", Google's colour and mark, the mark a file of pkg/", async (t) => {
  const { page, pageErrors, requests } = await openLockPage(t, {});
  await waitForEvent(page, 'signin ready');
  await marksSettled(page);
  const google = await socialButton(page, 'google-oauth2');
  assert.equal(google.label, 'Continue with Google');
  assert.equal(google.accent, '#4285f4');
  assert.equal(google.initial, null);
  assert.ok(google.image.loaded, JSON.stringify(google));
  assert.equal(new URL(google.image.src).pathname, '/pkg/marks/google.svg');
  const github = await socialButton(page, 'github');
  assert.equal(github.label, 'Continue with GitHub');
  assert.equal(new URL(github.image.src).pathname, '/pkg/marks/github.svg');
  // simple-icons has no LinkedIn mark: its initial, on LinkedIn's colour.
  const linkedin = await socialButton(page, 'linkedin');
  assert.deepEqual([linkedin.label, linkedin.initial, linkedin.image, linkedin.accent], ['Continue with LinkedIn', 'L', null, '#0077b5']);
  // Only the marks of the buttons on screen are fetched.
  const marks = requests.filter((p) => p.startsWith('/pkg/marks/')).sort();
  assert.deepEqual(marks, ['/pkg/marks/github.svg', '/pkg/marks/google.svg']);
  assert.deepEqual(pageErrors, []);
});

test('item 9: under a strict Content-Security-Policy (img-src self) the ES module shows the marks too', async (t) => {
  const opened = await openPage(browser, { setup: { clientId: LOCK_CLIENT, options: {} } });
  t.after(() => opened.context.close());
  const { page, pageErrors } = opened;
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(`${strict.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  await marksSettled(page);
  const google = await socialButton(page, 'google-oauth2');
  assert.equal(google.label, 'Continue with Google');
  assert.ok(google.image.loaded, JSON.stringify(google));
  assert.equal(new URL(google.image.src).pathname, '/pkg/marks/google.svg');
  assert.deepEqual(violations, []);
  assert.deepEqual(pageErrors, []);
});

test('an English page without a social connection Lock knows loads no mark, no pack and no table of them', async (t) => {
  const { page, pageErrors, requests } = await openLockPage(t, {}, { clientId: 'latch-spa' });
  await waitForEvent(page, 'signin ready');
  assert.equal(await page.locator('.latch button.latch-connection').count() > 0, true);
  assert.equal(await page.locator('.latch img.latch-mark').count(), 0);
  const lazy = requests.filter((p) => p.startsWith('/pkg/marks/') || p.startsWith('/pkg/lang/') || p.endsWith('latch-assets.mjs'));
  assert.deepEqual(lazy, []);
  assert.deepEqual(pageErrors, []);
});

test("item 10: language 'pt-br' on a Lock page speaks Brazilian Portuguese, from its own pack alone", async (t) => {
  const { page, pageErrors, requests } = await openLockPage(t, { language: 'pt-br' });
  await waitForEvent(page, 'signin ready');
  assert.equal(await page.textContent('.latch .latch-title'), 'Entrar');
  assert.equal(await page.textContent('.latch button[data-connection="google-oauth2"] .latch-label'), 'Continuar com Google');
  assert.deepEqual(await page.evaluate(() => [document.querySelector('.latch').lang, document.querySelector('.latch').dir]), ['pt-br', 'ltr']);
  assert.deepEqual(requests.filter((p) => p.startsWith('/pkg/lang/')), ['/pkg/lang/pt-br.json']);
  const events = await page.evaluate(() => window.latchEvents.map((e) => e.name));
  assert.equal(events.includes('unrecoverable_error'), false, events.join());
  assert.deepEqual(pageErrors, []);
});

test("item 10: 'he' and 'fa' lay the widget out right to left, in their own words; 'zh-tw' and Lock's 'ua' are accepted", async (t) => {
  for (const [language, title, dir, pack] of [
    ['he', 'התחברות', 'rtl', 'he'],
    ['fa', 'ورود', 'rtl', 'fa'],
    ['zh-tw', '登入', 'ltr', 'zh-tw'],
    ['ua', 'Вхід', 'ltr', 'uk'],
  ]) {
    const { page, pageErrors, requests } = await openLockPage(t, { language });
    await waitForEvent(page, 'signin ready');
    assert.equal(await page.textContent('.latch .latch-title'), title, language);
    assert.equal(await page.evaluate(() => document.querySelector('.latch').dir), dir, language);
    assert.deepEqual(requests.filter((p) => p.startsWith('/pkg/lang/')), [`/pkg/lang/${pack}.json`]);
    assert.deepEqual(pageErrors, []);
  }
});

test('the social buttons with marks stay inside the panel at 375 and 1280 px, light and dark, left to right and right to left', async (t) => {
  const shots = join(tmpdir(), 'latch-lock-i18n-shots');
  await mkdir(shots, { recursive: true });
  for (const width of [375, 1280]) {
    for (const colorScheme of ['light', 'dark']) {
      for (const language of ['en', 'he']) {
        const { page, pageErrors, context } = await openLockPage(t, { language }, { viewport: { width, height: 800 } });
        await page.emulateMedia({ colorScheme });
        await waitForEvent(page, 'signin ready');
        await marksSettled(page);
        const where = `${width} px, ${colorScheme}, ${language}`;
        assert.equal(await page.locator('.latch img.latch-mark').count(), 2, where);
        assert.deepEqual(await page.evaluate(outside), [], where);
        // Each mark sits inside its own button.
        const marksInside = await page.evaluate(() => [...document.querySelectorAll('.latch img.latch-mark')].every((img) => {
          const m = img.getBoundingClientRect();
          const b = img.closest('button').getBoundingClientRect();
          return m.width > 0 && m.left >= b.left && m.right <= b.right && m.top >= b.top && m.bottom <= b.bottom;
        }));
        assert.ok(marksInside, where);
        await writeFile(join(shots, `${width}-${colorScheme}-${language}.png`), await page.locator('.latch').screenshot());
        assert.deepEqual(pageErrors, []);
        await context.close();
      }
    }
  }
});
