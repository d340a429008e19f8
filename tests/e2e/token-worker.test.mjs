// Issue 27, token requests off the main thread: the token requests of a login that holds a
// refresh token (the code exchange and every refresh) go out from the token worker,
// pkg/latch-token-worker.js, a dedicated Worker; a script that wrapped the page's fetch and
// XMLHttpRequest before the widget loaded sees none of them, nor any answer that carries a
// refresh token. Under the project's strict CSP the worker runs (`worker-src 'self'`); under
// one that forbids workers the login still works from the page, and the console says which
// directive would allow the worker. Against the local oidc-provider, whose client latch-spa
// issues refresh tokens. The token worker is the DPoP build's (pkg/latch-login-dpop.mjs); the
// last test shows the default build, which has none, sending them from the page.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServers } from '../support/servers.mjs';
import {
  launchBrowser, loginAtProvider, openPage, safetyTimer, waitForEvent,
} from './support.mjs';
import { STRICT_CSP } from './checks.mjs';

safetyTimer('tests/e2e/token-worker.test.mjs');

/** The strict CSP with workers forbidden. */
const NO_WORKERS_CSP = STRICT_CSP.replace("worker-src 'self'", "worker-src 'none'");

let plain;
let strict;
let noWorkers;
let browser;

before(async () => {
  [plain, strict, noWorkers, browser] = await Promise.all([
    startServers(),
    startServers({ webHeaders: { 'Content-Security-Policy': STRICT_CSP } }),
    startServers({ webHeaders: { 'Content-Security-Policy': NO_WORKERS_CSP } }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await Promise.all([plain, strict, noWorkers].map((servers) => servers?.close()));
});

/** Run in every document before its own scripts, as a hostile or careless script that loads
 *  first would: fetch and XMLHttpRequest wrapped, every request to a token endpoint and every
 *  answer that carries a refresh token recorded in `window.wrapperSaw`; and the page's CSP
 *  violations in `window.cspViolations`. */
function wrapTheNetwork() {
  const saw = { tokenRequests: [], refreshTokenAnswers: [] };
  window.wrapperSaw = saw;
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
  const isTokenEndpoint = (url) => new URL(url, location.href).pathname === '/oauth/token';
  const read = (url, text) => {
    if (typeof text === 'string' && text.includes('refresh_token')) saw.refreshTokenAnswers.push(url);
  };
  const realFetch = window.fetch;
  window.fetch = async function fetch(input, init) {
    const url = input instanceof Request ? input.url : String(input);
    if (isTokenEndpoint(url)) saw.tokenRequests.push(`fetch ${url}`);
    const response = await realFetch.call(this, input, init);
    if (!url.endsWith('.wasm')) response.clone().text().then((text) => read(url, text), () => {});
    return response;
  };
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function wrappedOpen(method, url, ...rest) {
    this.wrappedUrl = String(url);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function wrappedSend(body) {
    if (isTokenEndpoint(this.wrappedUrl)) saw.tokenRequests.push(`xhr ${this.wrappedUrl}`);
    this.addEventListener('load', () => read(this.wrappedUrl, this.responseText));
    return send.call(this, body);
  };
}

/**
 * On `servers`, with the network wrapped before the widget loads: a login with refresh tokens,
 * then two refreshes (`getTokenSilently({ cacheMode: 'off' })`). Returns what the wrapper saw,
 * the grants the provider got (from every request of the context, the worker's included),
 * the page's workers, console warnings and CSP violations.
 */
async function loginAndRefreshTwice(t, servers, build = 'dpop') {
  const { context, page, pageErrors } = await openPage(browser, {
    // The token worker is the DPoP build's (latch-login/dpop).
    setup: { build, options: { auth: { useRefreshTokens: true } } },
  });
  t.after(() => context.close());
  await context.addInitScript(wrapTheNetwork);
  const grants = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === servers.issuer && url.pathname === '/oauth/token' && request.method() === 'POST') {
      grants.push(new URLSearchParams(request.postData() ?? '').get('grant_type'));
    }
  });
  const warnings = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });

  await page.goto(`${servers.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer });
  const login = await waitForEvent(page, 'authenticated');
  const first = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  const second = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  // Three different access tokens: each refresh was answered and read.
  assert.equal(new Set([login.accessToken, first, second]).size, 3);
  return {
    page,
    pageErrors,
    grants,
    warnings,
    saw: await page.evaluate(() => window.wrapperSaw),
    violations: await page.evaluate(() => window.cspViolations),
    workers: page.workers().map((w) => new URL(w.url())),
  };
}

/** The worker's URL is pkg/latch-token-worker.js of the page's own origin. */
function isTokenWorker(url, servers) {
  return url.origin === servers.webUrl && url.pathname === '/pkg/latch-token-worker.js';
}

test('a page script that wraps fetch before the widget loads sees no token request, nor any refresh token', async (t) => {
  const seen = await loginAndRefreshTwice(t, plain);
  // The provider got the code exchange and both refreshes...
  assert.deepEqual(seen.grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  // ...and the page's wrapped fetch and XMLHttpRequest saw none of it...
  assert.deepEqual(seen.saw, { tokenRequests: [], refreshTokenAnswers: [] });
  // ...for it came from the token worker, a file of pkg/ (never a blob: URL).
  assert.ok(seen.workers.some((url) => isTokenWorker(url, plain)), `workers: ${seen.workers}`);
  assert.ok(seen.workers.every((url) => url.protocol === 'http:'), `workers: ${seen.workers}`);
  assert.deepEqual(seen.warnings.filter((w) => w.includes('token worker')), []);
  assert.deepEqual(seen.pageErrors, []);
});

test("under the strict CSP (worker-src 'self') the worker runs, with no violation", async (t) => {
  const seen = await loginAndRefreshTwice(t, strict);
  assert.deepEqual(seen.grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  assert.deepEqual(seen.saw, { tokenRequests: [], refreshTokenAnswers: [] });
  assert.ok(seen.workers.some((url) => isTokenWorker(url, strict)), `workers: ${seen.workers}`);
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.pageErrors, []);
});

test("a CSP that forbids workers (worker-src 'none'): the login works from the page, and the console names the directive", async (t) => {
  const seen = await loginAndRefreshTwice(t, noWorkers);
  // Chromium refuses the worker with an error event, after the code exchange was handed to
  // it: that request went from the page instead, once (a code is good for one exchange).
  assert.deepEqual(seen.grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  assert.deepEqual(seen.workers, []);
  assert.ok(seen.violations.some((v) => v.startsWith('worker-src')), `violations: ${seen.violations}`);
  // Said once, naming the file and the directive that would allow it.
  const said = seen.warnings.filter((w) => w.includes('token worker'));
  assert.equal(said.length, 1, said.join('\n'));
  assert.match(said[0], /latch-token-worker\.js/);
  assert.match(said[0], /worker-src 'self'/);
  // From the page, the wrapper sees them: what the worker is there to prevent.
  assert.equal(seen.saw.tokenRequests.length, 3, JSON.stringify(seen.saw));
  assert.deepEqual(seen.pageErrors, []);
});

test('the default build has no token worker: its token requests go from the page, as before issue 27', async (t) => {
  const seen = await loginAndRefreshTwice(t, plain, 'default');
  assert.deepEqual(seen.grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  assert.deepEqual(seen.workers, []);
  assert.equal(seen.saw.tokenRequests.length, 3, JSON.stringify(seen.saw));
  assert.deepEqual(seen.warnings.filter((w) => w.includes('token worker')), []);
  assert.deepEqual(seen.pageErrors, []);
});
