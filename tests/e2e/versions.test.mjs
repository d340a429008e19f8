// The minimum-version rule (the seed: "an OIDC connection needs Lock 11.16 or higher") made
// first-class: a connection this widget cannot serve is shown disabled with its reason,
// announced by `unsupported_connection` and the console, and refused if anything tries to
// log in with it; `Latch.supports` gives custom buttons the same verdict. Also the languages
// (English built in, the others as packs), Arabic right to left, and the README's screenshots
// of the modal.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, startServers } from '../support/servers.mjs';
import {
  grace, launchBrowser, loginAtProvider, openPage, safetyTimer, waitForEvent,
} from './support.mjs';

safetyTimer('tests/e2e/versions.test.mjs');

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = join(REPO_ROOT, 'www', 'screenshots');
const VERSION = (await readFile(join(REPO_ROOT, 'Cargo.toml'), 'utf8')).match(/^version = "(.+)"$/m)[1];

let servers;
let browser;
let packs;

before(async () => {
  // Language packs an app hosts itself (languageBaseUrl): one with markup in a text, one
  // that is not a pack at all, and code where a pack should be (a module that would mark the
  // page if it ever ran, under the name of a pack as JSON and as a script).
  packs = await mkdtemp(join(tmpdir(), 'latch-packs-'));
  for (const dir of ['own', 'bad', 'code']) await mkdir(join(packs, dir));
  await writeFile(join(packs, 'own', 'fr.json'), JSON.stringify({ title: '<b>Bienvenue</b>', madeUpLabel: 'x' }));
  await writeFile(join(packs, 'bad', 'fr.json'), JSON.stringify({ title: 'Se connecter', retryLabel: 42 }));
  const code = `window.__pwned = (window.__pwned ?? 0) + 1;\nexport default ${JSON.stringify({ title: 'Pwned' })};\n`;
  await writeFile(join(packs, 'code', 'fr.json'), code);
  await writeFile(join(packs, 'code', 'fr.js'), code);
  const clientConfigs = {
    'latch-spa': {
      id: 'latch-spa',
      tenant: 'local',
      strategies: [
        { name: 'oidc', connections: [{ name: 'local-oidc', display_name: 'Local OIDC' }] },
        {
          name: 'samlp',
          connections: [
            { name: 'future-corp', display_name: 'Future Corp', min_widget_version: '99.0' },
            { name: 'mtls-bank', display_name: 'mTLS Bank', requires: ['mtls'] },
            // DPoP is a capability of the DPoP build (latch-login/dpop, issue 27), which
            // serves a connection that requires it, its logins bound to the widget's key.
            { name: 'dpop-bank', display_name: 'DPoP Bank', requires: ['dpop'] },
          ],
        },
      ],
    },
  };
  const mounts = [{ prefix: '/packs/', dir: packs }];
  [servers, browser] = await Promise.all([startServers({ clientConfigs, mounts }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await rm(packs, { recursive: true, force: true });
});

async function openApp(t, options = {}, { colorScheme = 'light', build } = {}) {
  const opened = await openPage(browser, { setup: { options, build } });
  t.after(() => opened.context.close());
  const warnings = [];
  opened.page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const navigations = [];
  const packRequests = [];
  opened.page.on('request', (r) => {
    if (r.isNavigationRequest()) navigations.push(r.url());
    const { pathname } = new URL(r.url());
    if (/^\/(pkg\/lang|packs)\//.test(pathname)) packRequests.push(pathname);
  });
  await opened.page.emulateMedia({ colorScheme });
  await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
  await waitForEvent(opened.page, 'signin ready');
  return { ...opened, warnings, navigations, packRequests };
}

const unsupportedEvents = (page) => page.evaluate(
  () => window.latchEvents.filter((e) => e.name === 'unsupported_connection').map((e) => e.payload),
);

test('a connection the widget cannot serve is shown disabled, with why, and announced', async (t) => {
  const { page, pageErrors, warnings } = await openApp(t, { container: null });
  const buttons = await page.$$eval('.latch button.latch-connection', (all) => all.map((b) => ({
    name: b.dataset.connection,
    disabled: b.disabled,
    reason: b.querySelector('.latch-reason')?.textContent ?? null,
  })));
  assert.deepEqual(buttons, [
    { name: 'local-oidc', disabled: false, reason: null },
    { name: 'future-corp', disabled: true, reason: 'Needs latch-login 99.0.0 or newer' },
    { name: 'mtls-bank', disabled: true, reason: 'Needs mtls support' },
    { name: 'dpop-bank', disabled: true, reason: 'Needs dpop support' },
  ]);
  assert.deepEqual(await unsupportedEvents(page), [
    {
      supported: false,
      connection: 'future-corp', strategy: 'samlp', required: '99.0.0', actual: VERSION, missing: [],
      reason: 'needs latch-login 99.0.0 or newer',
    },
    {
      supported: false,
      connection: 'mtls-bank', strategy: 'samlp', required: '0.1.0', actual: VERSION, missing: ['mtls'],
      reason: 'needs mtls support',
    },
    {
      supported: false,
      connection: 'dpop-bank', strategy: 'samlp', required: '0.1.0', actual: VERSION, missing: ['dpop'],
      reason: 'needs dpop support',
    },
  ]);
  assert.ok(warnings.some((w) => w.includes('future-corp') && w.includes('99.0.0')), warnings.join('\n'));
  assert.ok(warnings.some((w) => w.includes('mtls-bank') && w.includes('mtls')), warnings.join('\n'));
  await page.locator('.latch').screenshot({ path: join(SCREENSHOTS, 'unsupported.png') });
  assert.deepEqual(pageErrors, []);
});

test('the DPoP build serves a connection that requires dpop; the default build says which capability it lacks', async (t) => {
  const { page, pageErrors, warnings } = await openApp(t, { container: null }, { build: 'dpop' });
  const buttons = await page.$$eval('.latch button.latch-connection', (all) => all.map((b) => ({
    name: b.dataset.connection,
    disabled: b.disabled,
  })));
  assert.deepEqual(buttons.filter((b) => b.name.endsWith('-bank')), [
    { name: 'mtls-bank', disabled: true },
    { name: 'dpop-bank', disabled: false },
  ]);
  assert.deepEqual((await unsupportedEvents(page)).map((e) => e.connection), ['future-corp', 'mtls-bank']);
  assert.ok(!warnings.some((w) => w.includes('dpop-bank')), warnings.join('\n'));
  const verdicts = await page.evaluate(async () => {
    const { supports } = window.latch.constructor;
    return [await supports({ strategy: 'waad', requires: ['dpop'] }), await supports({ strategy: 'waad', requires: ['mtls'] })];
  });
  assert.deepEqual(verdicts.map((v) => v.supported), [true, false]);
  assert.deepEqual(pageErrors, []);
});

test('logging in with an unsupported connection is refused before anything happens', async (t) => {
  const { page, pageErrors, navigations } = await openApp(t);
  const before = navigations.length;
  await page.evaluate(() => window.latch.login({ connection: 'future-corp' }));
  await grace(page);
  assert.equal((await unsupportedEvents(page)).length, 4, 'announced again for the attempt');
  assert.equal(navigations.length, before, 'the page went nowhere');
  const refused = await page.evaluate(() => window.latch.authorizeUrl({ connection: 'mtls-bank' }).then(
    () => null,
    (e) => e,
  ));
  assert.equal(refused.error, 'unsupported_connection');
  assert.match(refused.errorDescription, /mtls-bank.*mtls/);
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage).some((k) => k.startsWith('latch.tx.'))), false,
    'no transaction was stored for it');

  // The supported one still logs in.
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer });
  assert.equal((await waitForEvent(page, 'authenticated')).connection, 'local-oidc');
  assert.deepEqual(pageErrors, []);
});

test('Latch.supports gives custom buttons the same verdict', async (t) => {
  const { page } = await openApp(t);
  const verdicts = await page.evaluate(async () => {
    const { supports } = window.latch.constructor;
    return {
      oidc: await supports({ name: 'corp', strategy: 'oidc' }),
      future: await supports({ name: 'f', strategy: 'oidc', min_widget_version: '99' }),
      mtls: await supports({ strategy: 'waad', requires: ['mtls'] }),
      dpop: await supports({ strategy: 'waad', requires: ['dpop'] }),
      bad: await supports({ strategy: 'oidc', requires: 'mtls' }).catch((e) => e),
    };
  });
  // One shape whatever the verdict, as the published types say (src/core/typescript.rs).
  assert.deepEqual(verdicts.oidc, {
    connection: 'corp', strategy: 'oidc', required: null, actual: VERSION, missing: [], reason: null, supported: true,
  });
  assert.equal(verdicts.future.supported, false);
  assert.equal(verdicts.future.required, '99.0.0');
  assert.deepEqual(verdicts.mtls.missing, ['mtls']);
  assert.deepEqual(verdicts.dpop.missing, ['dpop'], 'the default build; latch-login/dpop has it');
  assert.equal(verdicts.bad.error, 'invalid_option');
});

/** axe-core's WCAG 2.x A/AA rules; the violations, compactly. */
async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

test('Arabic is right to left and passes axe', async (t) => {
  const { page, pageErrors } = await openApp(t, { container: null, language: 'ar' });
  const panel = await page.$eval('.latch', (el) => ({
    lang: el.lang,
    dir: el.dir,
    title: el.querySelector('.latch-title').textContent,
    first: el.querySelector('.latch-connection .latch-label').textContent,
    direction: getComputedStyle(el).direction,
  }));
  assert.deepEqual(panel, {
    lang: 'ar', dir: 'rtl', title: 'تسجيل الدخول', first: 'المتابعة باستخدام Local OIDC', direction: 'rtl',
  });
  assert.deepEqual(await axe(page), []);
  await page.locator('.latch').screenshot({ path: join(SCREENSHOTS, 'modal-arabic.png') });
  assert.deepEqual(pageErrors, []);
});

test('every language renders its own words, from its pack alone; an unknown one is an invalid_option', async (t) => {
  const seen = {};
  for (const language of ['en', 'es', 'fr', 'de', 'ja', 'ar']) {
    const { page, context, packRequests, pageErrors } = await openApp(t, { language });
    const [lang, title] = await page.$eval('.latch', (el) => [el.lang, el.querySelector('.latch-title').textContent]);
    seen[language] = [lang, title, packRequests];
    assert.deepEqual(pageErrors, []);
    await context.close();
  }
  // English is in the wasm: a page in English fetches no pack, any other page only its own.
  assert.deepEqual(seen, {
    en: ['en', 'Log in', []],
    es: ['es', 'Iniciar sesión', ['/pkg/lang/es.json']],
    fr: ['fr', 'Se connecter', ['/pkg/lang/fr.json']],
    de: ['de', 'Anmelden', ['/pkg/lang/de.json']],
    ja: ['ja', 'ログイン', ['/pkg/lang/ja.json']],
    ar: ['ar', 'تسجيل الدخول', ['/pkg/lang/ar.json']],
  });
  const opened = await openPage(browser, { setup: { options: { language: 'tlh' } } });
  t.after(() => opened.context.close());
  await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
  const error = await waitForEvent(opened.page, 'unrecoverable_error');
  assert.equal(error.error, 'invalid_option');
  assert.match(error.errorDescription, /language/);
});

/** What the panel says, and whether anything in it is markup. */
const panel = (page) => page.$eval('.latch', (el) => ({
  lang: el.lang,
  title: el.querySelector('.latch-title').textContent,
  markup: el.querySelectorAll('b').length,
  button: el.querySelector('.latch-connection .latch-label').textContent,
}));

test("languageBaseUrl: an app's own pack is used as text; one that cannot be read leaves English, said in the console", async (t) => {
  const own = await openApp(t, { language: 'fr-CA', languageBaseUrl: `${servers.webUrl}/packs/own/` });
  assert.deepEqual(own.packRequests, ['/packs/own/fr.json']);
  assert.deepEqual(await panel(own.page), {
    lang: 'fr', title: '<b>Bienvenue</b>', markup: 0, button: 'Continue with Local OIDC',
  }, 'the texts the pack has, as text; English for those it lacks');
  assert.deepEqual(own.warnings.filter((w) => w.includes('language pack')), []);

  for (const [base, why] of [['/packs/bad', '`retryLabel`'], ['/packs/none', '/packs/none/fr.json: HTTP status 404']]) {
    const { page, warnings, pageErrors } = await openApp(t, { language: 'fr', languageBaseUrl: `${servers.webUrl}${base}` });
    assert.deepEqual(await panel(page), { lang: 'en', title: 'Log in', markup: 0, button: 'Continue with Local OIDC' });
    assert.ok(warnings.some((w) => w.includes('`fr` language pack') && w.includes(why)), warnings.join('\n'));
    // The login itself does not depend on its words.
    await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
    await loginAtProvider(page, { issuer: servers.issuer });
    const done = await waitForEvent(page, 'authenticated');
    assert.equal(done.connection, 'local-oidc');
    assert.deepEqual(pageErrors, []);
  }
});

test('languageBaseUrl: a pack is read as data and never run: code served there leaves English, said in the console; a base that is not https is refused', async (t) => {
  const { page, warnings, packRequests, pageErrors } = await openApp(t, { language: 'fr', languageBaseUrl: `${servers.webUrl}/packs/code` });
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null, 'nothing of the pack ran');
  assert.deepEqual(await panel(page), { lang: 'en', title: 'Log in', markup: 0, button: 'Continue with Local OIDC' });
  assert.ok(warnings.some((w) => w.includes('`fr` language pack could not be read (not JSON)')), warnings.join('\n'));
  assert.deepEqual(packRequests, ['/packs/code/fr.json'], 'fetched as the JSON file, never imported as a script');
  assert.deepEqual(pageErrors, []);

  // The packs come with the page's words: from where the domain could be, and nowhere else.
  for (const base of ['http://cdn.example.com/packs', 'https://user:secret@cdn.example.com/packs', 'data:text/javascript,', '/packs/own']) {
    const opened = await openPage(browser, { setup: { options: { language: 'fr', languageBaseUrl: base } } });
    t.after(() => opened.context.close());
    await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
    const error = await waitForEvent(opened.page, 'unrecoverable_error');
    assert.equal(error.error, 'invalid_option', base);
    assert.match(error.errorDescription, /languageBaseUrl/, base);
  }
});

for (const colorScheme of ['light', 'dark']) {
  test(`screenshot of the modal in the ${colorScheme} scheme`, async (t) => {
    const { page, pageErrors } = await openApp(t, { container: null, allowedConnections: ['local-oidc'] }, { colorScheme });
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.latch')).backgroundColor);
    assert.equal(bg, colorScheme === 'dark' ? 'rgb(22, 27, 34)' : 'rgb(255, 255, 255)');
    await page.locator('.latch').screenshot({ path: join(SCREENSHOTS, `modal-${colorScheme}.png`) });
    assert.deepEqual(pageErrors, []);
  });
}
