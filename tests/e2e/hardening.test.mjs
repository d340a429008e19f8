// Hostile pages and hostile input around a login, with the hostile provider of
// tests/support/hostile.mjs: open redirects, transactions in sessionStorage (cleanup,
// expiry, a full or refused storage), two tabs logging in at once, and markup in every
// string the widget renders.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startHostileProvider } from '../support/hostile.mjs';
import { startServers } from '../support/servers.mjs';
import {
  decodeJwt, eventNames, grace, launchBrowser, openPage, safetyTimer, transactionKeys, waitForEvent,
  waitForOutcome,
} from './support.mjs';

safetyTimer('tests/e2e/hardening.test.mjs');

/** Markup that runs script if it is ever parsed as HTML; each records its `tag` in window.__xss. */
const markup = (tag) => `<img src=x onerror="(window.__xss ??= []).push('${tag}')">`
  + `<svg onload="(window.__xss ??= []).push('${tag}-svg')"></svg>`
  + `<script>(window.__xss ??= []).push('${tag}-script')</script><b>${tag}</b>`;

const XSS_CLIENT = 'xss-app';

let servers;
let hostile;
let browser;

before(async () => {
  [servers, hostile, browser] = await Promise.all([
    startServers(),
    startHostileProvider({
      clientConfigs: {
        [XSS_CLIENT]: {
          id: XSS_CLIENT,
          strategies: [{
            name: 'oidc',
            connections: [
              // The broker's scenario is the connection name: this one answers with an error.
              { name: 'authorize-error', display_name: markup('display-name') },
              { name: '"><img src=x onerror="(window.__xss ??= []).push(\'name\')">', display_name: 'Plain' },
            ],
          }],
        },
      },
    }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await Promise.all([servers?.close(), hostile?.close()]);
});

const APP = () => `${servers.webUrl}/e2e/app.html`;

function direct(scenario, { name = `direct-${scenario}`, clientId = 'latch-hostile', displayName } = {}) {
  return {
    name, display_name: displayName ?? name, issuer: hostile.issuerFor(scenario), client_id: clientId,
  };
}

/**
 * A fresh context and page on the test page, closed when the test ends. The page's
 * Date.now() runs sessionStorage['e2e-skew'] milliseconds ahead when that is set, as when
 * the user comes back much later. Requests to evil.example are recorded in `offsite`.
 */
async function openApp(t, setup) {
  const opened = await openPage(browser, { setup });
  t.after(() => opened.context.close());
  await opened.context.addInitScript(() => {
    const skew = Number(sessionStorage.getItem('e2e-skew') ?? 0);
    if (skew) {
      const realNow = Date.now;
      Date.now = () => realNow.call(Date) + skew;
    }
  });
  const offsite = [];
  await opened.context.route(/^https?:\/\/evil\.example\//, (route) => {
    offsite.push(route.request().url());
    return route.abort();
  });
  await opened.page.goto(APP());
  await waitForEvent(opened.page, 'signin ready');
  return { ...opened, offsite };
}

function click(page, connection) {
  return page.click(`.latch button.latch-connection[data-connection="${connection}"]`, { noWaitAfter: true });
}

// --- open redirects ------------------------------------------------------------------------

test('where the app goes after login comes from the stored transaction, not from parameters the provider adds', async (t) => {
  const { page, pageErrors, offsite } = await openApp(t, {
    domain: '', options: { connections: [direct('inject-params')] },
  });
  const appState = { returnTo: '/e2e/app.html#inbox' };
  await page.evaluate((state) => window.latch.login({ connection: 'direct-inject-params', appState: state }), appState);
  const outcome = await waitForOutcome(page);
  assert.equal(outcome.name, 'authenticated', JSON.stringify(outcome.payload));
  // The response carried returnTo, redirect_uri, appState and app_state of its own.
  assert.deepEqual(outcome.payload.appState, appState, 'appState is the one the app stored');
  const [token] = hostile.tokenRequests(hostile.issuerFor('inject-params'));
  assert.equal(token.get('redirect_uri'), APP(), 'the token request uses the stored redirect_uri');
  await grace(page);
  assert.deepEqual(offsite, [], 'nothing was loaded from the injected URLs');
  assert.equal(new URL(page.url()).origin, servers.webUrl);
  assert.equal(new URL(page.url()).pathname, '/e2e/app.html', 'the widget navigates nowhere after login');
  assert.deepEqual(pageErrors, []);
});

test('a crafted link with a forged response and a returnTo is refused and goes nowhere', async (t) => {
  const { page, pageErrors, offsite } = await openApp(t, {
    domain: '', options: { connections: [direct('ok')] },
  });
  const forged = new URL(APP());
  forged.search = new URLSearchParams({
    code: 'stolen-code',
    state: 'forged-state',
    iss: hostile.issuerFor('ok'),
    returnTo: 'https://evil.example/phish',
    redirect_uri: 'https://evil.example/cb',
  }).toString();
  await page.goto(forged.href);
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'state_mismatch');
  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false);
  assert.deepEqual(hostile.counts('ok').token, 0, 'the forged code was sent nowhere');
  assert.deepEqual(offsite, []);
  const url = new URL(page.url());
  assert.equal(`${url.origin}${url.pathname}`, APP());
  assert.equal(url.searchParams.has('code'), false, 'the forged response is gone from the address bar');
  assert.deepEqual(pageErrors, []);
});

// --- transactions in sessionStorage ----------------------------------------------------------

test('a login that comes back after the transaction expired is refused and its transaction removed', async (t) => {
  const { page, pageErrors } = await openApp(t, { domain: '', options: { connections: [direct('ok')] } });
  const tokensBefore = hostile.counts('ok').token;
  const url = await page.evaluate(() => window.latch.authorizeUrl({ connection: 'direct-ok' }));
  assert.equal((await transactionKeys(page)).length, 1);
  // The user comes back eleven minutes later (the widget allows ten).
  await page.evaluate(() => sessionStorage.setItem('e2e-skew', String(11 * 60 * 1000)));
  await page.goto(url);
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'transaction_expired');
  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false);
  assert.equal(hostile.counts('ok').token, tokensBefore, 'an expired login never redeems its code');
  assert.deepEqual(await transactionKeys(page), []);
  assert.deepEqual(pageErrors, []);
});

test('abandoned transactions are swept once expired; live and used ones are handled apart', async (t) => {
  const { page, pageErrors } = await openApp(t, { domain: '', options: { connections: [direct('ok')] } });
  const authorize = () => page.evaluate(() => window.latch.authorizeUrl({ connection: 'direct-ok' }));
  // Two logins started and abandoned, and an entry that is not a transaction at all.
  await authorize();
  await authorize();
  await page.evaluate(() => sessionStorage.setItem('latch.tx.corrupt', '{not json'));
  const abandoned = await transactionKeys(page);
  assert.equal(abandoned.length, 3);

  // Eleven minutes later the page loads again: the widget sweeps what expired.
  await page.evaluate(() => sessionStorage.setItem('e2e-skew', String(11 * 60 * 1000)));
  await page.reload();
  await waitForEvent(page, 'signin ready');
  assert.deepEqual(await transactionKeys(page), [], 'expired and unreadable transactions are gone');

  // Back to the real clock: a login in flight is not swept by another load of the page...
  await page.evaluate(() => sessionStorage.removeItem('e2e-skew'));
  await page.reload();
  await waitForEvent(page, 'signin ready');
  const live = await authorize();
  const [liveKey] = await transactionKeys(page);
  await page.reload();
  await waitForEvent(page, 'signin ready');
  assert.deepEqual(await transactionKeys(page), [liveKey], 'a live transaction survives a reload');
  // ...and is removed once used.
  await page.goto(live);
  const outcome = await waitForOutcome(page);
  assert.equal(outcome.name, 'authenticated', JSON.stringify(outcome.payload));
  assert.deepEqual(await transactionKeys(page), []);
  assert.deepEqual(pageErrors, []);
});

test('a full sessionStorage gives storage_unavailable before the user is sent away; with room the login works', async (t) => {
  const { page, pageErrors } = await openApp(t, { domain: '', options: { connections: [direct('ok')] } });
  const authorizeBefore = hostile.counts('ok').authorize;
  // Fill the origin's sessionStorage to its real quota, halving the chunk until not even
  // one more character fits.
  const filled = await page.evaluate(() => {
    let chunk = 'x'.repeat(1 << 20);
    let n = 0;
    while (chunk.length > 0) {
      try {
        sessionStorage.setItem(`fill-${n}`, chunk);
        n += 1;
      } catch {
        chunk = chunk.slice(0, chunk.length >> 1);
      }
    }
    let full = false;
    try {
      sessionStorage.setItem('probe', 'x');
      sessionStorage.removeItem('probe');
    } catch (error) {
      full = error.name === 'QuotaExceededError';
    }
    return { n, full };
  });
  assert.ok(filled.full, 'sessionStorage refuses even one more character');
  assert.ok(filled.n > 1);

  await click(page, 'direct-ok');
  const error = await waitForEvent(page, 'unrecoverable_error');
  assert.equal(error.error, 'storage_unavailable');
  assert.match(error.errorDescription, /sessionStorage/);
  await grace(page);
  assert.equal(new URL(page.url()).href, APP(), 'the user was not sent to the provider');
  assert.equal(hostile.counts('ok').authorize, authorizeBefore, 'no authorize request was made');
  assert.equal(
    await page.locator('.latch .latch-error .latch-error-detail').textContent(),
    error.errorDescription,
  );

  // With room again, the same widget logs in: the error lost nothing.
  await page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('fill-')) sessionStorage.removeItem(key);
  });
  const before = (await eventNames(page)).length;
  await page.click('.latch .latch-error button.latch-retry');
  await waitForEvent(page, 'signin ready', { since: before });
  await click(page, 'direct-ok');
  const outcome = await waitForOutcome(page);
  assert.equal(outcome.name, 'authenticated', JSON.stringify(outcome.payload));
  assert.deepEqual(pageErrors, []);
});

test('a sessionStorage the page may not use (private mode, blocked storage) gives storage_unavailable before leaving', async (t) => {
  const opened = await openPage(browser, { setup: { domain: '', options: { connections: [direct('ok')] } } });
  t.after(() => opened.context.close());
  // The test page reads its setup once; every later access throws, as browsers do when
  // storage is blocked for the site.
  await opened.context.addInitScript(() => {
    const real = window.sessionStorage;
    let reads = 0;
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get() {
        reads += 1;
        if (reads > 1) throw new DOMException('Access is denied for this document.', 'SecurityError');
        return real;
      },
    });
  });
  const { page, pageErrors } = opened;
  const authorizeBefore = hostile.counts('ok').authorize;
  await page.goto(APP());
  await waitForEvent(page, 'signin ready');
  await click(page, 'direct-ok');
  const error = await waitForEvent(page, 'unrecoverable_error');
  assert.equal(error.error, 'storage_unavailable');
  await grace(page);
  assert.equal(page.url(), APP(), 'the user was not sent to the provider');
  assert.equal(hostile.counts('ok').authorize, authorizeBefore);
  assert.deepEqual(pageErrors, []);
});

// --- two tabs --------------------------------------------------------------------------------

test('two tabs logging in at once with different connections both succeed', async (t) => {
  const connections = [
    direct('ok', { name: 'tab-a', clientId: 'client-a' }),
    direct('ok-es256', { name: 'tab-b', clientId: 'client-b' }),
  ];
  const { context, page: first, pageErrors } = await openApp(t, { domain: '', options: { connections } });
  const second = await context.newPage();
  const secondErrors = [];
  second.on('pageerror', (e) => secondErrors.push(e));
  await second.goto(APP());
  await waitForEvent(second, 'signin ready');

  // Neither authorize request is answered before both are in flight.
  const bothInFlight = hostile.holdAuthorizations(2);
  await Promise.all([click(first, 'tab-a'), click(second, 'tab-b')]);
  await Promise.race([
    bothInFlight,
    new Promise((_, reject) => { setTimeout(() => reject(new Error('the two logins were not in flight together')), 10_000).unref(); }),
  ]);
  const [a, b] = await Promise.all([waitForOutcome(first), waitForOutcome(second)]);
  assert.equal(a.name, 'authenticated', JSON.stringify(a.payload));
  assert.equal(b.name, 'authenticated', JSON.stringify(b.payload));
  assert.equal(a.payload.connection, 'tab-a');
  assert.equal(b.payload.connection, 'tab-b');
  const tokenA = decodeJwt(a.payload.idToken);
  const tokenB = decodeJwt(b.payload.idToken);
  assert.deepEqual([tokenA.payload.iss, tokenA.payload.aud, tokenA.header.alg], [hostile.issuerFor('ok'), 'client-a', 'RS256']);
  assert.deepEqual([tokenB.payload.iss, tokenB.payload.aud, tokenB.header.alg], [hostile.issuerFor('ok-es256'), 'client-b', 'ES256']);
  assert.deepEqual(await transactionKeys(first), []);
  assert.deepEqual(await transactionKeys(second), []);
  assert.deepEqual([...pageErrors, ...secondErrors], []);
});

// --- nothing rendered is parsed as HTML ----------------------------------------------------

test('display names, dictionary strings and provider error descriptions are rendered as text', async (t) => {
  const dictionary = Object.fromEntries(
    ['title', 'loadingLabel', 'redirectingLabel', 'signingInLabel', 'errorTitle', 'retryLabel', 'closeLabel',
      'socialGroupLabel', 'enterpriseGroupLabel'].map((key) => [key, markup(key)]),
  );
  dictionary.loginWithLabel = `${markup('loginWithLabel')} %s`;
  const description = markup('error-description');
  const opened = await openPage(browser, {
    setup: {
      clientId: XSS_CLIENT,
      domain: hostile.origin,
      options: {
        languageDictionary: dictionary,
        connections: [direct('ok', { name: 'direct-xss', displayName: markup('direct-display-name') })],
        auth: { params: { login_hint: description } },
      },
    },
  });
  t.after(() => opened.context.close());
  const { context, page, pageErrors } = opened;
  // Record every element ever added inside the widget, including the passing states
  // (loading, redirecting, signing in) that a final look at the DOM would miss.
  await context.addInitScript(() => {
    window.__added = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const node of r.addedNodes) {
          if (node.nodeType !== 1) continue;
          for (const el of [node, ...node.querySelectorAll('*')]) {
            if (el.closest('.latch')) window.__added.push(el.tagName);
          }
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(APP());
  await waitForEvent(page, 'signin ready');

  const texts = await page.locator('.latch button.latch-connection').evaluateAll(
    (buttons) => buttons.map((b) => [b.dataset.connection, b.querySelector('.latch-label').textContent]),
  );
  const label = (name) => `${markup('loginWithLabel')} ${name}`;
  assert.deepEqual(texts.sort(), [
    ['"><img src=x onerror="(window.__xss ??= []).push(\'name\')">', label('Plain')],
    ['authorize-error', label(markup('display-name'))],
    ['direct-xss', label(markup('direct-display-name'))],
  ].sort());
  assert.equal(await page.locator('.latch .latch-title').textContent(), markup('title'));

  // The broker answers with an error whose description is markup (sent as login_hint).
  await click(page, 'authorize-error');
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'access_denied');
  assert.equal(error.errorDescription, description);
  await grace(page);
  const alert = page.locator('.latch .latch-error[role="alert"]');
  assert.equal(await alert.locator('.latch-error-title').textContent(), markup('errorTitle'));
  assert.equal(await alert.locator('.latch-error-detail').textContent(), description);
  assert.equal(await alert.locator('button.latch-retry').textContent(), markup('retryLabel'));

  // The widget's own elements (icons, labels and the email form included); nothing else.
  const allowed = new Set(['SECTION', 'HEADER', 'H2', 'DIV', 'P', 'BUTTON', 'SPAN', 'FORM', 'LABEL', 'INPUT']);
  const added = await page.evaluate(() => window.__added);
  assert.ok(added.includes('P') && added.includes('BUTTON'), 'the observer saw the widget render');
  assert.deepEqual(added.filter((tag) => !allowed.has(tag)), [], 'no element came from a string');
  assert.equal(await page.locator('.latch img, .latch script, .latch svg, .latch b').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');
  assert.deepEqual(pageErrors, []);
});
