// The widget as a page sees it: a whole login under a strict Content-Security-Policy (no
// 'unsafe-inline' for scripts or styles, only 'wasm-unsafe-eval'), and axe-core's
// accessibility rules on the modal in light and dark colour schemes.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { startServers } from '../support/servers.mjs';
import {
  grace, launchBrowser, loginAtProvider, openPage, safetyTimer, waitForEvent,
} from './support.mjs';
import { STRICT_CSP as CSP } from './checks.mjs';

safetyTimer('tests/e2e/widget.test.mjs');

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let strict;
let plain;
let browser;

before(async () => {
  [strict, plain, browser] = await Promise.all([
    startServers({ webHeaders: { 'Content-Security-Policy': CSP } }),
    startServers(),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await strict?.close();
  await plain?.close();
});

test('a whole login works under a strict CSP without a single violation', async (t) => {
  const { context, page, pageErrors } = await openPage(browser, {
    setup: { options: { theme: { primaryColor: '#0a7d3e' } } },
  });
  t.after(() => context.close());
  // Every violation of every page in this context, the provider's pages excepted.
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const violations = [];
  const collect = async () => {
    if (page.url().startsWith(strict.webUrl)) violations.push(...await page.evaluate(() => window.cspViolations));
  };
  const responses = [];
  const configurations = [];
  page.on('response', (r) => {
    if (r.url().startsWith(strict.webUrl)) responses.push(r);
    if (new URL(r.url()).pathname.startsWith('/client/')) configurations.push(r);
  });

  await page.goto(`${strict.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  const policy = responses[0].headers()['content-security-policy'];
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  // The client configuration is Auth0's script, from the provider's origin, which script-src
  // does not allow: the widget read it as data.
  assert.deepEqual(configurations.map((r) => r.url()), [`${strict.issuer}/client/latch-spa.js`]);
  assert.match(await configurations[0].text(), /^Auth0\.setClient\(\{/);
  assert.ok(!policy.split(';').find((d) => d.trim().startsWith('script-src')).includes('127.0.0.1'));
  // The theme colour goes in through CSSOM, which style-src allows.
  const primary = await page.evaluate(() => getComputedStyle(document.querySelector('.latch')).getPropertyValue('--latch-primary').trim());
  assert.equal(primary, '#0a7d3e');
  await collect();

  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: strict.issuer });
  const result = await waitForEvent(page, 'authenticated');
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  await collect();

  assert.deepEqual(violations, []);
  assert.deepEqual(pageErrors, []);
});

test('the CSP test can fail: an inline style is reported', async (t) => {
  const { context, page } = await openPage(browser);
  t.after(() => context.close());
  await page.goto(`${strict.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  const seen = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
    const style = document.createElement('style');
    style.textContent = '.latch { color: red }';
    document.head.append(style);
  }));
  assert.match(seen, /^style-src/);
});

/** axe-core's WCAG 2.x A/AA rules on the page; returns the violations, compactly. */
async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found;
}

for (const colorScheme of ['light', 'dark']) {
  test(`the modal has no axe violations in the ${colorScheme} scheme`, async (t) => {
    const { context, page, pageErrors } = await openPage(browser, { setup: { options: { container: null } } });
    t.after(() => context.close());
    await page.emulateMedia({ colorScheme });
    await page.goto(`${plain.webUrl}/e2e/app.html`);
    await waitForEvent(page, 'signin ready');
    assert.equal(await page.locator('.latch-overlay .latch[role="dialog"][aria-modal="true"]').count(), 1);
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.latch')).backgroundColor);
    assert.equal(bg, colorScheme === 'dark' ? 'rgb(22, 27, 34)' : 'rgb(255, 255, 255)');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(pageErrors, []);
  });
}

test('keyboard only: focus moves into the modal, stays there, and Escape gives it back', async (t) => {
  const { context, page, pageErrors } = await openPage(browser, { setup: { show: false, options: { container: null } } });
  t.after(() => context.close());
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch !== undefined);
  await page.focus('#attach-link');
  await page.evaluate(() => window.latch.show());
  await waitForEvent(page, 'signin ready');

  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return {
      inside: Boolean(a?.closest('.latch')),
      label: a?.getAttribute('data-connection') ?? a?.getAttribute('data-action') ?? (a?.id || a?.className),
    };
  });
  assert.equal((await focused()).inside, true, 'focus moved into the dialog');

  const controls = await page.$$eval('.latch button:not([disabled]), .latch input', (all) => all.map(
    (b) => b.getAttribute('data-connection') ?? b.getAttribute('data-action') ?? (b.id || b.className),
  ));
  assert.ok(controls.length >= 3, `close plus the connections: ${controls}`);
  // Tab walks every control in order and wraps from the last to the first.
  const walked = [];
  for (let i = 0; i < controls.length + 1; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused();
    assert.equal(now.inside, true, `Tab ${i + 1} left the dialog`);
    walked.push(now.label);
  }
  assert.deepEqual(walked, [...controls, controls[0]]);
  // Shift+Tab from the first wraps to the last.
  await page.keyboard.press('Shift+Tab');
  assert.deepEqual(await focused(), { inside: true, label: controls.at(-1) });

  // Every control has an accessible name.
  const unnamed = await page.$$eval('.latch button', (all) => all.filter(
    (b) => !(b.getAttribute('aria-label') || b.textContent.trim()),
  ).length);
  assert.equal(unnamed, 0);

  await page.keyboard.press('Escape');
  await waitForEvent(page, 'hide');
  assert.equal(await page.locator('.latch').count(), 0, 'the modal closed');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'attach-link', 'focus went back');
  assert.deepEqual(pageErrors, []);
});

/** The e2e app page on the plain server with `options`, buttons on screen. */
async function openApp(t, options = {}) {
  const opened = await openPage(browser, { setup: { options } });
  t.after(() => opened.context.close());
  const authorize = [];
  opened.page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === plain.issuer && url.pathname === '/authorize') authorize.push(url);
  });
  await opened.page.goto(`${plain.webUrl}/e2e/app.html`);
  await waitForEvent(opened.page, 'signin ready');
  return { ...opened, authorize };
}

test('home realm discovery: an email on a claimed domain goes to its connection, with login_hint', async (t) => {
  const { page, pageErrors, authorize } = await openApp(t);
  assert.equal(await page.locator('.latch form.latch-hrd input[type="email"]').count(), 1);
  assert.equal(await page.textContent('.latch .latch-hrd-label'), 'Email');

  // A domain nobody claims: said so, and the user stays to pick a button.
  await page.fill('.latch-hrd-email', 'bob@nowhere.test');
  await page.press('.latch-hrd-email', 'Enter');
  await page.waitForFunction(() => document.querySelector('.latch-hrd-message')?.textContent);
  assert.match(await page.textContent('.latch-hrd-message'), /No connection for this email domain/);
  await grace(page);
  assert.deepEqual(authorize, []);

  // example.org is an alias of local-oidc's example.com (tests/support/provider.mjs).
  await page.fill('.latch-hrd-email', 'Alice@Example.ORG');
  await page.click('.latch-hrd-submit', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: plain.issuer });
  const result = await waitForEvent(page, 'authenticated');
  assert.equal(authorize.length, 1);
  assert.equal(authorize[0].searchParams.get('connection'), 'local-oidc');
  assert.equal(authorize[0].searchParams.get('login_hint'), 'Alice@Example.ORG');
  assert.equal(result.connection, 'local-oidc');
  assert.deepEqual(pageErrors, []);
});

test('rememberLastLogin offers the last connection next time, keeping only its name', async (t) => {
  const { page, pageErrors } = await openApp(t);
  assert.equal(await page.locator('.latch .latch-last').count(), 0, 'nothing to remember yet');
  await page.click('.latch button.latch-connection[data-connection="partner-tenant"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: plain.issuer });
  const result = await waitForEvent(page, 'authenticated');

  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.equal(stored, JSON.stringify({ 'latch.last.latch-spa': 'partner-tenant' }));
  assert.equal(stored.includes(result.idToken), false);

  await page.reload();
  await waitForEvent(page, 'signin ready');
  const last = page.locator('.latch .latch-last-login button.latch-last');
  assert.equal(await last.getAttribute('data-connection'), 'partner-tenant');
  assert.equal(await last.textContent(), 'Last time you logged in with Partner tenant');
  assert.equal(await page.locator('.latch button.latch-connection[data-connection="partner-tenant"]').count(), 2,
    'the usual button stays too');
  assert.deepEqual(pageErrors, []);
});

test('rememberLastLogin: false shows nothing remembered', async (t) => {
  const { context, page } = await openPage(browser, { setup: { options: { rememberLastLogin: false } } });
  t.after(() => context.close());
  await context.addInitScript(() => localStorage.setItem('latch.last.latch-spa', 'partner-tenant'));
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  assert.equal(await page.locator('.latch .latch-last').count(), 0);
});

test('theme.authButtons names, colours and icons a connection; others get their initial', async (t) => {
  const { page, pageErrors } = await openApp(t, {
    theme: {
      labeledSubmitButton: false,
      authButtons: {
        'local-oidc': { displayName: 'Corporate SSO', primaryColor: '#aa0000', foregroundColor: '#112233', icon: '/screenshots/widget.png' },
      },
    },
  });
  const local = page.locator('.latch button.latch-connection[data-connection="local-oidc"]');
  assert.equal(await local.locator('.latch-label').textContent(), 'Continue with Corporate SSO');
  assert.equal(await local.locator('img.latch-icon').getAttribute('src'), '/screenshots/widget.png');
  assert.equal(await local.locator('img.latch-icon').getAttribute('alt'), '');
  assert.equal(await local.evaluate((b) => getComputedStyle(b).borderInlineStartColor), 'rgb(170, 0, 0)');
  assert.equal(await local.locator('.latch-label').evaluate((l) => getComputedStyle(l).color), 'rgb(17, 34, 51)');
  const partner = page.locator('.latch button.latch-connection[data-connection="partner-tenant"] .latch-icon');
  assert.deepEqual(await partner.evaluate((i) => [i.tagName, i.textContent, i.getAttribute('aria-hidden')]), ['SPAN', 'P', 'true']);
  // labeledSubmitButton: false puts an arrow on the email form's button, named for assistive tech.
  const submit = page.locator('.latch .latch-hrd-submit');
  assert.deepEqual([await submit.textContent(), await submit.getAttribute('aria-label')], ['→', 'Continue']);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(pageErrors, []);
});

test('states and options a Lock user expects: loading, logo, groups, redirecting, closable, unsubscribe', async (t) => {
  const { context, page, pageErrors } = await openPage(browser, {
    setup: {
      show: false,
      options: {
        container: null,
        closable: false,
        allowedConnections: ['local-oidc', 'no-such-connection', 'partner-tenant'],
        theme: { logo: '/screenshots/widget.png' },
        languageDictionary: { title: 'Welcome back' },
      },
    },
  });
  t.after(() => context.close());
  // A loading state while the client configuration is on its way (asked for as the widget is
  // made, as Lock does; held back a moment here).
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/client/latch-spa.js', async (route) => { await held; await route.continue(); });
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch !== undefined);
  // on() returns the function that unsubscribes.
  const calls = await page.evaluate(() => {
    window.showCalls = 0;
    const off = window.latch.on('show', () => { window.showCalls += 1; });
    window.offShow = off;
    return typeof off;
  });
  assert.equal(calls, 'function');
  await page.evaluate(() => window.latch.show());
  await page.waitForSelector('.latch .latch-status');
  assert.equal(await page.textContent('.latch .latch-status'), 'Loading…');
  assert.equal(await page.getAttribute('.latch .latch-body', 'aria-busy'), 'true');
  release();
  await waitForEvent(page, 'signin ready');
  await page.unrouteAll();
  assert.equal(await page.evaluate(() => window.showCalls), 1);

  assert.equal(await page.locator('.latch .latch-logo').getAttribute('src'), '/screenshots/widget.png');
  assert.equal(await page.locator('.latch .latch-logo').getAttribute('alt'), '');
  assert.equal(await page.textContent('.latch .latch-title'), 'Welcome back');
  // Grouped as Lock groups them, social first; allowedConnections filters (and orders within
  // a group, tested natively in src/core/connection.rs).
  assert.deepEqual(
    await page.$$eval('.latch .latch-group[data-kind]', (groups) => groups.map(
      (g) => [g.dataset.kind, g.getAttribute('aria-label'), [...g.querySelectorAll('button')].map((b) => b.dataset.connection)],
    )),
    [['social', 'Social', ['partner-tenant']], ['enterprise', 'Enterprise', ['local-oidc']]],
  );
  // closable: false: no close button, and Escape leaves the modal up.
  assert.equal(await page.locator('.latch .latch-close').count(), 0);
  await page.keyboard.press('Escape');
  await grace(page, 200);
  assert.equal(await page.locator('.latch').count(), 1);

  // hide() and show() again: the unsubscribed listener is not called.
  await page.evaluate(() => { window.offShow(); window.latch.hide(); window.latch.show(); });
  await page.waitForSelector('.latch button.latch-connection');
  assert.equal(await page.evaluate(() => window.showCalls), 1);

  // A click shows where the user is going while the page leaves: each status text is
  // reported to the test as it appears (the page itself is gone a moment later).
  const statuses = [];
  await page.exposeFunction('reportStatus', (text) => statuses.push(text));
  await page.evaluate(() => {
    new MutationObserver(() => {
      const status = document.querySelector('.latch .latch-status');
      if (status) window.reportStatus(status.textContent);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.click('.latch button.latch-connection[data-connection="partner-tenant"]', { noWaitAfter: true });
  await page.waitForURL((url) => url.href.startsWith(`${plain.issuer}/`));
  assert.equal(statuses[0], 'Redirecting to Partner tenant…');
  assert.deepEqual(pageErrors, []);
});

test('show({ allowedConnections }) narrows the buttons of that showing, in its order; a plain show() offers all again', async (t) => {
  const { context, page, pageErrors } = await openPage(browser, { setup: { show: false } });
  t.after(() => context.close());
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);
  const buttons = () => page.locator('.latch button.latch-connection').evaluateAll((els) => els.map((e) => e.dataset.connection));
  await page.evaluate(() => window.latch.show({ allowedConnections: ['partner-tenant', 'not-offered'] }));
  await waitForEvent(page, 'signin ready');
  assert.deepEqual(await buttons(), ['partner-tenant']);
  await page.evaluate(() => window.latch.hide());
  await page.waitForFunction(() => !document.querySelector('.latch'));
  const since = (await page.evaluate(() => window.latchEvents.length));
  await page.evaluate(() => window.latch.show());
  await waitForEvent(page, 'signin ready', { since });
  assert.deepEqual((await buttons()).sort(), ['local-oidc', 'partner-tenant']);
  // Of the wrong shape: said, and nothing shown.
  await page.evaluate(() => window.latch.hide());
  await page.evaluate(() => window.latch.show({ allowedConnections: 'local-oidc' }));
  const error = await waitForEvent(page, 'unrecoverable_error');
  assert.equal(error.error, 'invalid_option');
  assert.match(error.errorDescription, /allowedConnections/);
  assert.deepEqual(pageErrors, []);
});

test('show() options of Lock for one showing: auth.params, languageDictionary, flashMessage, initialScreen', async (t) => {
  const { context, page, pageErrors } = await openPage(browser, { setup: { show: false } });
  t.after(() => context.close());
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const authorize = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/authorize') authorize.push(new URL(r.url())); });
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);
  await page.evaluate(() => window.latch.show({
    auth: { params: { prompt: 'login', ui_locales: 'fr' } },
    languageDictionary: { title: 'Welcome <b>back</b>' },
    flashMessage: { type: 'error', text: 'Your session <i>ended</i>' },
    initialScreen: 'signUp',
  }));
  await waitForEvent(page, 'signin ready');
  // Texts, as text.
  assert.equal(await page.textContent('.latch-title'), 'Welcome <b>back</b>');
  const flash = page.locator('.latch-flash');
  assert.equal(await flash.textContent(), 'Your session <i>ended</i>');
  assert.equal(await flash.getAttribute('role'), 'alert');
  assert.equal(await flash.getAttribute('class'), 'latch-flash latch-flash-error');
  assert.equal(await page.locator('.latch-flash i').count(), 0);
  // The flash sits between the title and the buttons, inside the panel.
  const box = await page.evaluate(() => {
    const rect = (s) => document.querySelector(s).getBoundingClientRect();
    return { panel: rect('.latch'), flash: rect('.latch-flash'), title: rect('.latch-title'), body: rect('.latch-body') };
  });
  assert.ok(box.flash.top >= box.title.bottom && box.flash.bottom <= box.body.top, JSON.stringify(box));
  assert.ok(box.flash.left >= box.panel.left && box.flash.right <= box.panel.right, JSON.stringify(box));
  // The sign-up screen is the hosted page's: no warning, the logins of this showing ask for it.
  assert.ok(!warnings.some((w) => w.includes('initialScreen')), JSON.stringify(warnings));
  // A login from this showing carries its parameters over the widget's.
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await page.waitForSelector('input[name="login"]');
  assert.equal(authorize.length, 1);
  assert.equal(authorize[0].searchParams.get('prompt'), 'login');
  assert.equal(authorize[0].searchParams.get('ui_locales'), 'fr');
  assert.equal(authorize[0].searchParams.get('screen_hint'), 'signup');

  // The next showing is the widget's own again.
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);
  await page.evaluate(() => window.latch.show());
  await waitForEvent(page, 'signin ready');
  assert.notEqual(await page.textContent('.latch-title'), 'Welcome <b>back</b>');
  assert.equal(await page.locator('.latch-flash').count(), 0);
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await page.waitForSelector('input[name="login"]');
  assert.equal(authorize[1].searchParams.get('prompt'), null);
  assert.equal(authorize[1].searchParams.get('ui_locales'), null);
  assert.equal(authorize[1].searchParams.get('screen_hint'), null);

  // The widget's own parameters are refused per showing as they are at construction.
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);
  await page.evaluate(() => window.latch.show({ auth: { params: { nonce: 'mine' } } }));
  const refused = await waitForEvent(page, 'unrecoverable_error');
  assert.equal(refused.error, 'reserved_parameter', JSON.stringify(refused));
  assert.equal(await page.locator('.latch').count(), 0);
  const since = await page.evaluate(() => window.latchEvents.length);
  await page.evaluate(() => window.latch.show({ flashMessage: { type: 'warning', text: 'x' } }));
  const shape = await waitForEvent(page, 'unrecoverable_error', { since });
  assert.equal(shape.error, 'invalid_option');
  assert.match(shape.errorDescription, /flashMessage\.type/);
  assert.deepEqual(pageErrors, []);
});

test('the panel is never drawn unstyled: with latch.css slow to arrive, it waits for it', async (t) => {
  const { context, page, pageErrors } = await openPage(browser);
  t.after(() => context.close());
  await context.route('**/pkg/latch.css', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await page.goto(`${plain.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.latch')).backgroundColor);
  assert.equal(bg, 'rgb(255, 255, 255)');
  assert.deepEqual(pageErrors, []);
});
