// The <latch-login> custom element (latch-login/element, pkg/element.mjs) on a plain HTML page
// (tests/e2e/pages/element.html) under the strict Content-Security-Policy: a whole login with
// the widget's events as CustomEvents on the element, a re-render on attribute changes, the
// element's removal from the document, axe-core in light and dark, and the classic script.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, startServers } from '../support/servers.mjs';
import {
  grace, launchBrowser, loginAtProvider, openPage, safetyTimer, waitForEvent,
} from './support.mjs';
import { STRICT_CSP as CSP, outside } from './checks.mjs';

safetyTimer('tests/e2e/element.test.mjs');

let servers;
let browser;

before(async () => {
  [servers, browser] = await Promise.all([
    startServers({
      webHeaders: { 'Content-Security-Policy': CSP },
      // axe-core as a file of the page's own origin: the strict CSP runs no inline script.
      mounts: [{ prefix: '/axe/', dir: join(REPO_ROOT, 'node_modules', 'axe-core') }],
    }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await servers?.close();
});

/** The element page in a fresh context, every CSP violation of the page recorded. */
async function openElementPage(t, options) {
  const opened = await openPage(browser, options);
  t.after(() => opened.context.close());
  await opened.context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await opened.page.goto(`${servers.webUrl}/e2e/element.html`);
  await waitForEvent(opened.page, 'signin ready');
  return opened;
}

const violations = (page) => page.evaluate(() => window.cspViolations);

test('a login through <latch-login>: the widget in its place, its events CustomEvents on the element, no CSP violation', async (t) => {
  const { page, pageErrors } = await openElementPage(t);
  const policy = await page.evaluate(() => fetch(location.href).then((r) => r.headers.get('content-security-policy')));
  assert.equal(policy, CSP);
  // The panel is inside the element, offering the connection its attribute names.
  assert.equal(await page.locator('latch-login#login .latch').count(), 1);
  assert.equal(await page.locator('.latch').count(), 1);
  assert.deepEqual(await page.locator('latch-login .latch button.latch-connection').evaluateAll((b) => b.map((e) => e.dataset.connection)), ['local-oidc']);
  assert.deepEqual(await violations(page), []);

  await page.click('latch-login .latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer });
  const result = await waitForEvent(page, 'authenticated');
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  const events = await page.evaluate(() => window.latchEvents);
  const authenticated = events.find((e) => e.name === 'authenticated');
  assert.equal(authenticated.custom, true, 'a CustomEvent');
  assert.equal(authenticated.target, 'login', 'dispatched on the element');
  assert.ok(events.every((e) => e.custom), JSON.stringify(events.map((e) => [e.name, e.custom])));
  // hash_parsed first with the same result, as with `latch.on`.
  const parsed = events.find((e) => e.name === 'hash_parsed');
  assert.equal(parsed.payload.idToken, result.idToken);
  // The element's widget is the page's for the rest of the API.
  assert.equal(await page.evaluate(() => document.getElementById('login').latch.getUser().user_id), 'oidc|local-oidc|alice');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(pageErrors, []);
});

test('an attribute change renders the widget again, once for the changes made together', async (t) => {
  const { page, pageErrors } = await openElementPage(t);
  assert.equal(await page.textContent('latch-login .latch-title'), 'Log in');
  const since = (await page.evaluate(() => window.latchEvents)).length;
  const first = await page.evaluate(() => {
    const element = document.getElementById('login');
    const before = element.latch;
    element.setAttribute('language', 'fr');
    element.setAttribute('theme-color', '#0a7d3e');
    element.setAttribute('connections', 'local-oidc');
    window.firstWidget = before;
    return before !== null;
  });
  assert.ok(first);
  await waitForEvent(page, 'signin ready', { since });
  await page.waitForFunction(() => document.querySelector('latch-login .latch-title')?.textContent === 'Se connecter');
  const now = await page.evaluate(() => ({
    panels: document.querySelectorAll('.latch').length,
    inside: document.querySelectorAll('latch-login .latch').length,
    primary: getComputedStyle(document.querySelector('.latch')).getPropertyValue('--latch-primary').trim(),
    replaced: document.getElementById('login').latch !== window.firstWidget,
  }));
  assert.deepEqual(now, { panels: 1, inside: 1, primary: '#0a7d3e', replaced: true });
  await grace(page);
  const shows = (await page.evaluate(() => window.latchEvents)).slice(since).filter((e) => e.name === 'show');
  assert.equal(shows.length, 1, 'three attributes set together make one widget');
  // redirect-url is the login's redirect_uri.
  const link = await page.evaluate(() => {
    const element = document.getElementById('login');
    element.setAttribute('redirect-url', `${location.origin}/e2e/element.html?from=attribute`);
    return new Promise((resolve) => {
      element.addEventListener('signin ready', () => resolve(element.latch.authorizeUrl({ connection: 'local-oidc' })), { once: true });
    });
  });
  assert.equal(new URL(link).searchParams.get('redirect_uri'), `${servers.webUrl}/e2e/element.html?from=attribute`);
  // `options` for what has no attribute: the flash message, and the app's own texts.
  const again = (await page.evaluate(() => window.latchEvents)).length;
  await page.evaluate(() => {
    document.getElementById('login').options = { flashMessage: { type: 'info', text: 'Welcome back' } };
  });
  await waitForEvent(page, 'signin ready', { since: again });
  assert.match(await page.textContent('latch-login .latch'), /Welcome back/);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(pageErrors, []);
});

/** The events the module declares (LatchEvents in pkg/latch-login.d.ts, which `cargo test`
 *  holds to the core's Event::ALL). */
function declaredEvents() {
  const types = readFileSync(join(REPO_ROOT, 'pkg', 'latch-login.d.ts'), 'utf8');
  const block = types.slice(types.indexOf('export interface LatchEvents {'));
  const body = block.slice(0, block.indexOf('\n}'));
  return [...body.matchAll(/^ {4}'?([a-z_ ]+?)'?\??:/gm)].map((m) => m[1]).sort();
}

test('the element passes on every event the module declares, each under its name', async (t) => {
  const { page, pageErrors } = await openElementPage(t);
  const declared = declaredEvents();
  assert.ok(declared.includes('authenticated') && declared.includes('signin ready'), declared.join());
  // The widget the element makes next (an attribute change renders it again): the names it
  // listens to, as the element subscribes them.
  const since = (await page.evaluate(() => window.latchEvents)).length;
  const subscribed = await page.evaluate(async () => {
    const { Latch } = await import('/pkg/latch-login.mjs');
    const on = Latch.prototype.on;
    const names = [];
    Latch.prototype.on = function record(name, listener) {
      names.push(name);
      return on.call(this, name, listener);
    };
    document.getElementById('login').setAttribute('language', 'en');
    await new Promise((resolve) => { setTimeout(resolve, 0); });
    Latch.prototype.on = on;
    return names.sort();
  });
  assert.deepEqual(subscribed, declared);
  await waitForEvent(page, 'signin ready', { since });
  assert.deepEqual(pageErrors, []);
});

test('removed from the document, the element takes its widget and listeners with it; put back, it renders again', async (t) => {
  const { page, pageErrors } = await openElementPage(t);
  const heard = await page.evaluate(async () => {
    const element = document.getElementById('login');
    const widget = element.latch;
    const recorded = window.latchEvents.length;
    window.removed = element;
    element.remove();
    // The old widget still speaks to whoever listens to it directly, and to nobody else.
    const direct = [];
    widget.on('show', () => direct.push('show'));
    widget.on('unrecoverable_error', (e) => direct.push(e.error));
    widget.show();
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    return {
      direct,
      panels: document.querySelectorAll('.latch').length,
      boxes: document.querySelectorAll('[id^="latch-login-"]').length,
      latch: element.latch,
      onElement: window.latchEvents.slice(recorded).map((e) => e.name),
    };
  });
  assert.ok(heard.direct.length > 0, 'the old widget did emit');
  assert.deepEqual(heard.onElement, [], 'none of it reached the removed element');
  assert.equal(heard.panels, 0);
  assert.equal(heard.boxes, 0);
  assert.equal(heard.latch, null);

  const since = (await page.evaluate(() => window.latchEvents)).length;
  await page.evaluate(() => document.querySelector('main').append(window.removed));
  await waitForEvent(page, 'signin ready', { since });
  assert.equal(await page.locator('latch-login#login .latch').count(), 1);
  assert.equal(await page.locator('.latch').count(), 1);
  assert.deepEqual(pageErrors, []);
});

test('a page without client-id hears the widget say so, as an unrecoverable_error CustomEvent', async (t) => {
  const { page, pageErrors } = await openElementPage(t);
  const error = await page.evaluate(() => new Promise((resolve) => {
    const element = document.createElement('latch-login');
    element.setAttribute('domain', 'op.example.com');
    element.addEventListener('unrecoverable_error', (event) => resolve({ custom: event instanceof CustomEvent, ...event.detail }));
    document.body.append(element);
  }));
  assert.equal(error.custom, true);
  assert.equal(error.error, 'invalid_option');
  assert.match(error.errorDescription, /clientId/);
  assert.deepEqual(pageErrors, []);
});

test('without inline, the element is a modal that show() opens and hide() closes', async (t) => {
  const { page, pageErrors } = await openElementPage(t);
  const since = (await page.evaluate(() => window.latchEvents)).length;
  await page.evaluate(() => {
    const element = document.createElement('latch-login');
    element.id = 'modal';
    element.setAttribute('client-id', document.getElementById('login').getAttribute('client-id'));
    element.setAttribute('domain', document.getElementById('login').getAttribute('domain'));
    element.addEventListener('show', () => window.latchEvents.push({ name: 'modal show', payload: null }));
    document.body.append(element);
  });
  await grace(page);
  assert.equal(await page.locator('.latch-overlay').count(), 0, 'nothing shown by itself');
  await page.evaluate(() => document.getElementById('modal').show());
  await page.waitForSelector('.latch-overlay .latch[role="dialog"]');
  assert.ok((await page.evaluate(() => window.latchEvents)).slice(since).some((e) => e.name === 'modal show'));
  await page.evaluate(() => document.getElementById('modal').hide());
  await page.waitForSelector('.latch-overlay', { state: 'detached' });
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(pageErrors, []);
});

for (const colorScheme of ['light', 'dark']) {
  test(`the element's widget has no axe violations in the ${colorScheme} scheme, and stays in its panel at 375 and 1280 px`, async (t) => {
    const { page, pageErrors } = await openElementPage(t);
    await page.emulateMedia({ colorScheme });
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('latch-login .latch')).backgroundColor);
    assert.equal(background, colorScheme === 'dark' ? 'rgb(22, 27, 34)' : 'rgb(255, 255, 255)');
    await page.addScriptTag({ url: '/axe/axe.min.js' });
    const found = await page.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      });
      return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    });
    assert.deepEqual(found, []);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      assert.deepEqual(await page.evaluate(outside), [], `${width} px`);
    }
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(pageErrors, []);
  });
}

test('the classic script latch-element.js defines the element and window.Latch without a module', async (t) => {
  const { context, page, pageErrors } = await openPage(browser);
  t.after(() => context.close());
  await page.goto(`${servers.webUrl}/demo.css`);
  const defined = await page.evaluate(() => new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/pkg/latch-element.js';
    script.onload = () => resolve({
      element: Object.getPrototypeOf(customElements.get('latch-login')) === HTMLElement,
      latch: typeof window.Latch,
      same: document.createElement('latch-login') instanceof customElements.get('latch-login'),
    });
    script.onerror = reject;
    document.head.append(script);
  }));
  assert.deepEqual(defined, { element: true, latch: 'function', same: true });
  assert.deepEqual(pageErrors, []);
});
