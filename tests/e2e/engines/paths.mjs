// The login paths, written once against the engines' interface (index.mjs) and run in each
// engine by tests/e2e/paths.{chromium,firefox,webkit}.test.mjs: buttons and a redirect login,
// the form_post front channel through the service worker, a popup login, checkSession,
// refresh tokens with two tabs (with and without Web Locks), logout, the strict-CSP page,
// axe-core, and the layout at 375 and 1280 px. The whole suite (tests/e2e/*.test.mjs) runs
// in Chromium; these are what must hold in every engine.
//
// Nothing here watches the network from the browser (classic WebDriver cannot): requests are
// counted where they arrive, at the provider.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { startServers } from '../../support/servers.mjs';
import { safetyTimer } from '../support.mjs';
import { ENGINES, poll } from './index.mjs';
import { STRICT_CSP as CSP, outside } from '../checks.mjs';

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const TERMINAL = ['authenticated', 'authorization_error', 'unrecoverable_error'];

/** Opens the e2e app page in a new tab of `session`, set up with `setup` (its
 *  sessionStorage['latch-e2e'], written on the app's origin first, as the page reads it). */
async function openApp(session, webUrl, setup = {}, { initScript } = {}) {
  const tab = await session.newTab();
  if (initScript) await tab.addInitScript(initScript);
  await tab.goto(`${webUrl}/demo-config.json`);
  await tab.evaluate((value) => sessionStorage.setItem('latch-e2e', value), JSON.stringify(setup));
  await tab.goto(`${webUrl}/e2e/app.html`);
  return tab;
}

/** The payload of the event `name` after the first `since`; fails on another ending first. */
async function waitForEvent(tab, name, { since = 0, timeout = 20_000 } = {}) {
  const found = await tab.waitFor(({ wanted, skip, terminal }) => (window.latchEvents ?? [])
    .slice(skip).find((e) => e.name === wanted || terminal.includes(e.name)) ?? null,
  { wanted: name, skip: since, terminal: TERMINAL }, { timeout }).catch(async (error) => {
    const seen = await tab.evaluate(() => window.latchEvents ?? null).catch(() => 'unavailable');
    throw new Error(`no "${name}" event within ${timeout} ms at ${await tab.url()}; events: ${JSON.stringify(seen)}`, { cause: error });
  });
  const event = await tab.evaluate(({ wanted, skip, terminal }) => window.latchEvents
    .slice(skip).find((e) => e.name === wanted || terminal.includes(e.name)), { wanted: name, skip: since, terminal: TERMINAL });
  assert.ok(found);
  assert.equal(event.name, name, JSON.stringify(event.payload));
  return event.payload;
}

/** Signs in at the provider's login form (and its consent page, when it shows one). */
async function loginAtProvider(tab, issuer) {
  await tab.waitFor(() => !!document.querySelector('input[name="login"]'));
  assert.equal(new URL(await tab.url()).origin, issuer, 'the login form is the provider\'s');
  await tab.fill('input[name="login"]', 'alice');
  await tab.fill('input[name="password"]', 'any password');
  await tab.click('button[type="submit"]');
  const next = await tab.waitFor((provider) => {
    if (document.querySelector('input[name="prompt"][value="consent"]')) return 'consent';
    return location.origin === provider ? null : 'back';
  }, issuer, { timeout: 20_000 });
  if (next === 'consent') await tab.click('button[type="submit"]');
}

const transactions = () => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'));

/** The refresh-token grants the provider of `servers` answers, counted as they arrive. */
function refreshGrants(servers) {
  const seen = [];
  const count = (ctx) => { if (ctx.oidc?.params?.grant_type === 'refresh_token') seen.push(ctx.oidc.params.refresh_token); };
  servers.provider.on('grant.success', count);
  servers.provider.on('grant.error', count);
  return seen;
}

/** Removes the Web Locks API, as in Safari before 15.4. */
function withoutWebLocks() {
  delete Navigator.prototype.locks;
  if (navigator.locks) Object.defineProperty(Navigator.prototype, 'locks', { value: undefined, configurable: true });
}

/**
 * Two tabs of one app, both signed in with refresh tokens whose access tokens are due,
 * renew at the same instant; what each got and the refresh grants the provider saw.
 */
async function twoTabsRenewing(engine, { initScript } = {}) {
  // Access tokens of 66 s with the default leeway of 60 s: 6 s after they were issued they
  // need renewing, and a renewed one is good for 6 s. Firefox runs a background tab's timers
  // at most once a second, so a tab may take a second or two to pick up the other's token:
  // with 2 s (as in session.test.mjs) it found that token due again and renewed too.
  const servers = await startServers({ accessTokenTtl: 66 });
  const session = await engine.newSession();
  try {
    const grants = refreshGrants(servers);
    const setup = { options: { auth: { useRefreshTokens: true, sso: true } } };
    const first = await openApp(session, servers.webUrl, setup, { initScript });
    await waitForEvent(first, 'signin ready');
    await first.click('.latch button.latch-connection[data-connection="local-oidc"]');
    await loginAtProvider(first, servers.issuer);
    await waitForEvent(first, 'authenticated');
    // The second tab signs in on load (auth.sso), with a refresh token of its own.
    const second = await openApp(session, servers.webUrl, setup, { initScript });
    await waitForEvent(second, 'authenticated');
    const tabs = [first, second];
    // The first tab came back from the provider: where the driver runs init scripts only
    // after goto() (WebKit), run it again before the renewals.
    if (initScript) for (const tab of tabs) await tab.evaluate(initScript);
    const dues = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.latch.getTokens().expiresAt - 60_000)));
    // Both start at one instant of the page clock, whatever the driver's round trips.
    const at = Math.max(...dues, Date.now() + 1_000) + 200;
    for (const tab of tabs) {
      await tab.evaluate((when) => {
        setTimeout(() => {
          window.latch.getTokenSilently().then((token) => { window.renewedTo = { token }; }, (error) => { window.renewedTo = { error }; });
        }, when - Date.now());
      }, at);
    }
    const got = [];
    for (const tab of tabs) got.push(await tab.waitFor(() => window.renewedTo ?? null, null, { timeout: 30_000 }));
    const locks = (await Promise.all(tabs.map((tab) => tab.evaluate(() => !!navigator.locks)))).every(Boolean);
    const errors = tabs.flatMap((tab) => tab.pageErrors);
    return { got, grants: [...grants], locks, errors };
  } finally {
    await session.close();
    await servers.close();
  }
}

/** Registers the login paths' tests for the engine `name` (a key of ENGINES). */
export function loginPaths(name) {
  const driver = ENGINES[name];
  safetyTimer(`the login paths in ${name}`, 10 * 60_000);
  const env = {};

  describe(`the login paths in ${name} (${driver.version()})`, () => {
    before(async () => {
      [env.servers, env.strict, env.engine] = await Promise.all([
        startServers(),
        startServers({ webHeaders: { 'Content-Security-Policy': CSP } }),
        driver.launch(),
      ]);
    });
    after(async () => {
      await env.engine?.close();
      await env.servers?.close();
      await env.strict?.close();
    });

    /** A fresh session (cookies and storage), closed when the test ends. */
    const fresh = async (t, size) => {
      // One at a time: WebKitWebDriver has one session at once.
      await env.last?.close().catch(() => {});
      const session = await env.engine.newSession(size);
      env.last = session;
      t.after(() => session.close().catch(() => {}));
      return session;
    };

    test('buttons: the widget\'s button logs in by redirect, and so does the app\'s own (data-latch-connection)', async (t) => {
      const { webUrl, issuer } = env.servers;
      for (const [setup, button] of [
        [{}, '.latch button.latch-connection[data-connection="local-oidc"]'],
        [{ show: false }, '#markup-button'],
      ]) {
        const tab = await openApp(await fresh(t), webUrl, setup);
        await tab.waitFor(() => !!window.latch);
        if (setup.show !== false) await waitForEvent(tab, 'signin ready');
        else await tab.evaluate(() => window.latch.constructor.init());
        await tab.click(button);
        await loginAtProvider(tab, issuer);
        const result = await waitForEvent(tab, 'authenticated');
        assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
        assert.equal(result.connection, 'local-oidc');
        assert.ok(result.accessToken && result.idToken);
        const url = new URL(await tab.url());
        assert.equal(url.pathname, '/e2e/app.html');
        assert.equal(url.search, '', 'the response is gone from the address bar');
        assert.deepEqual(await tab.evaluate(transactions), []);
        assert.deepEqual(tab.pageErrors, []);
      }
    });

    test('the front channel: an id_token by form_post, through the service worker', async (t) => {
      const { webUrl, issuer } = env.servers;
      const tab = await openApp(await fresh(t), webUrl, {
        domain: '',
        options: {
          connections: [{
            name: 'front-op', issuer, client_id: 'latch-front', type: 'front_channel', scopes: 'openid profile email',
          }],
        },
      });
      await waitForEvent(tab, 'signin ready');
      await tab.click('.latch button.latch-connection[data-connection="front-op"]');
      await loginAtProvider(tab, issuer);
      const result = await waitForEvent(tab, 'authenticated');
      assert.equal(result.profile.user_id, 'oidc|front-op|alice');
      assert.equal(result.accessToken, undefined);
      // The static server answers a POST with 405: this login came back through the worker.
      const url = new URL(await tab.url());
      assert.equal(url.pathname, '/e2e/app.html');
      assert.equal(url.hash, '');
      const workers = await tab.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((r) => r.active?.scriptURL));
      assert.deepEqual(workers, [`${webUrl}/pkg/latch-sw.js`]);
      assert.deepEqual(await tab.evaluate(transactions), []);
      assert.deepEqual(tab.pageErrors, []);
    });

    test('a popup login (auth.redirect false): the result in the page, the popup closed, the page never left', async (t) => {
      const { webUrl, issuer } = env.servers;
      const session = await fresh(t);
      const tab = await openApp(session, webUrl, { options: { auth: { redirect: false } } });
      await waitForEvent(tab, 'signin ready');
      await tab.evaluate(() => { window.stayed = true; });
      const popup = await session.waitForPopup(() => tab.click('.latch button.latch-connection[data-connection="local-oidc"]'));
      await loginAtProvider(popup, issuer);
      const result = await waitForEvent(tab, 'authenticated');
      assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
      // The widget closes its popup as it reads the answer.
      await poll(() => popup.isClosed(), { timeout: 5_000, what: 'the popup to close' });
      assert.equal(await tab.evaluate(() => window.stayed), true, 'the page never navigated');
      assert.deepEqual(await tab.evaluate(transactions), []);
      assert.deepEqual(tab.pageErrors, []);
    });

    test('checkSession: login_required before a login; the user again after a reload, and logout signs the other tab out', async (t) => {
      const { webUrl, issuer } = env.servers;
      const session = await fresh(t);
      const check = (tab) => tab.evaluate(() => window.latch.checkSession({ connection: 'local-oidc' })
        .then((result) => ({ user: result.profile.user_id }), (error) => ({ error: error.error })));
      const tab = await openApp(session, webUrl, {});
      await waitForEvent(tab, 'signin ready');
      assert.deepEqual(await check(tab), { error: 'login_required' });
      await tab.click('.latch button.latch-connection[data-connection="local-oidc"]');
      await loginAtProvider(tab, issuer);
      await waitForEvent(tab, 'authenticated');

      // A new page load knows nothing; the provider's session answers the hidden iframe.
      await tab.evaluate(() => sessionStorage.setItem('latch-e2e', JSON.stringify({ show: false })));
      await tab.goto(`${webUrl}/e2e/app.html`);
      await tab.waitFor(() => !!window.latch);
      assert.deepEqual(await check(tab), { user: 'oidc|local-oidc|alice' });
      assert.equal(await tab.evaluate(() => document.querySelectorAll('iframe').length), 0, 'the iframe is gone');

      // A second tab signed in by auth.sso; a logout in the first signs it out too.
      const other = await openApp(session, webUrl, { show: false, options: { auth: { sso: true } } });
      await waitForEvent(other, 'authenticated');
      await tab.evaluate(() => { window.latch.logout({ returnTo: `${location.origin}/e2e/app.html` }); });
      await other.waitFor(() => window.latchEvents.some((e) => e.name === 'signed_out'));
      assert.equal(await other.evaluate(() => window.latch.getTokens()), null);
      // The first tab went to the provider's end-session endpoint.
      await poll(async () => new URL(await tab.url()).origin === issuer, { what: 'the provider\'s logout' });
      assert.deepEqual([...tab.pageErrors, ...other.pageErrors], []);
    });

    test('refresh tokens: two tabs renewing at once make one refresh request and share its token', async () => {
      const { got, grants, locks, errors } = await twoTabsRenewing(env.engine);
      assert.ok(locks, 'this engine has Web Locks');
      assert.ok(got[0].token, JSON.stringify(got));
      assert.deepEqual(got[1], got[0], 'the same token in both');
      assert.equal(grants.length, 1, 'one tab renewed, the other took its token');
      assert.deepEqual(errors, []);
    });

    test('without Web Locks (Safari before 15.4): two tabs renewing at once still make one refresh request', async () => {
      const { got, grants, locks, errors } = await twoTabsRenewing(env.engine, { initScript: withoutWebLocks });
      assert.equal(locks, false, 'navigator.locks is gone');
      assert.ok(got[0].token, JSON.stringify(got));
      assert.deepEqual(got[1], got[0], 'the same token in both');
      assert.equal(grants.length, 1, 'one tab renewed, the other took its token');
      assert.deepEqual(errors, []);
    });

    test('a whole login under a strict Content-Security-Policy, without a violation', async (t) => {
      const { webUrl, issuer } = env.strict;
      const record = () => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      };
      const tab = await openApp(await fresh(t), webUrl, { options: { theme: { primaryColor: '#0a7d3e' } } }, { initScript: record });
      await waitForEvent(tab, 'signin ready');
      // Styled by latch.css and the theme through CSSOM, which style-src allows.
      assert.equal(await tab.evaluate(() => getComputedStyle(document.querySelector('.latch')).getPropertyValue('--latch-primary').trim()), '#0a7d3e');
      assert.deepEqual(await tab.evaluate(() => window.cspViolations), []);
      await tab.click('.latch button.latch-connection[data-connection="local-oidc"]');
      await loginAtProvider(tab, issuer);
      const result = await waitForEvent(tab, 'authenticated');
      assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
      // Back from the provider: a driver without init scripts on every navigation (WebKit's
      // classic WebDriver) records only what follows from here on.
      if (await tab.evaluate(() => window.cspViolations === undefined)) await tab.evaluate(record);
      assert.deepEqual(await tab.evaluate(() => window.cspViolations), []);
      // The check can fail: an inline style is reported.
      const seen = await tab.evaluate(() => new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
        const style = document.createElement('style');
        style.textContent = '.latch { color: red }';
        document.head.append(style);
      }));
      assert.match(seen, /^style-src/);
      assert.deepEqual(tab.pageErrors, []);
    });

    test('axe-core finds no violation in the modal', async (t) => {
      const tab = await openApp(await fresh(t), env.servers.webUrl, { options: { container: null } });
      await waitForEvent(tab, 'signin ready');
      await tab.evaluate((source) => { (0, eval)(source); }, AXE_SOURCE);
      const violations = await tab.evaluate(async () => {
        const result = await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        });
        return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
      });
      assert.deepEqual(violations, []);
      assert.deepEqual(tab.pageErrors, []);
    });

    for (const width of [375, 1280]) {
      test(`the layout at ${width} px: nothing leaves the panel, modal or inline`, async (t) => {
        for (const options of [{ container: null }, {}]) {
          const tab = await openApp(await fresh(t, { width, height: 800 }), env.servers.webUrl, {
            options: {
              ...options,
              theme: { authButtons: { 'local-oidc': { displayName: 'Corporate single sign-on for the whole international group of companies' } } },
            },
          });
          await waitForEvent(tab, 'signin ready');
          const narrowest = await tab.evaluate(() => innerWidth);
          if (narrowest > width) {
            // MiniBrowser's window (WebKitGTK) is never narrower than its toolbar.
            t.skip(`this engine's window is never narrower than ${narrowest} px`);
            return;
          }
          assert.equal(narrowest, width);
          assert.deepEqual(await tab.evaluate(outside), [], JSON.stringify(options));
          assert.deepEqual(tab.pageErrors, []);
        }
      });
    }
  });
}
