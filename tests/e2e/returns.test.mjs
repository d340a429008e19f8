// Returns to the page that must not log anyone in (a tampered state, a transaction that
// expired while the user was away), and what the app keeps after a login: tokens in memory
// by default, in sessionStorage only when it opts in, and `Latch.decodeToken` for display.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  decodeJwt, eventNames, grace, loginAtProvider, openPage, serversAndBrowser, transactionKeys,
  waitForEvent,
} from './support.mjs';

const shared = serversAndBrowser('tests/e2e/returns.test.mjs');

const APP = () => `${shared.servers.webUrl}/e2e/app.html`;

/** The e2e app page (tests/e2e/pages/app.html) with `options`, buttons on screen. */
async function openApp(t, options = {}) {
  const opened = await openPage(shared.browser, { setup: { options } });
  t.after(() => opened.context.close());
  const tokenRequests = [];
  opened.page.on('request', (request) => {
    if (request.url() === `${shared.servers.issuer}/oauth/token` && request.method() === 'POST') {
      tokenRequests.push(request.url());
    }
  });
  await opened.page.goto(APP());
  await waitForEvent(opened.page, 'signin ready');
  return { ...opened, tokenRequests };
}

/**
 * Log in at the provider, but land on a page without the widget: the response URL the
 * provider sent comes back unused. (Playwright does not route the redirect that brings the
 * browser back, so the page's own script is swapped instead.)
 */
async function responseWithoutLanding(page) {
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await page.route(`${shared.servers.webUrl}/e2e/app.js`, (route) => route.fulfill({
    contentType: 'text/javascript',
    body: 'window.latchEvents = [];',
  }));
  await loginAtProvider(page, { issuer: shared.servers.issuer });
  await page.waitForURL((url) => url.href.startsWith(APP()) && url.searchParams.has('state'));
  await page.waitForLoadState('load');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  return new URL(page.url());
}

test('a tampered state ends in state_mismatch and the code is never exchanged', async (t) => {
  const { page, pageErrors, tokenRequests } = await openApp(t);
  const response = await responseWithoutLanding(page);
  assert.ok(response.searchParams.has('code'));
  const genuine = response.searchParams.get('state');

  // One character changed: an attacker's or a corrupted state never matches a transaction.
  const last = genuine.at(-1) === 'A' ? 'B' : 'A';
  response.searchParams.set('state', genuine.slice(0, -1) + last);
  await page.goto(response.href);
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'state_mismatch');

  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false);
  assert.deepEqual(tokenRequests, [], 'the code of a tampered response is never sent anywhere');
  assert.equal(new URL(page.url()).searchParams.has('code'), false, 'the response left the address bar');
  assert.deepEqual(pageErrors, []);
});

test('a transaction older than ten minutes ends in transaction_expired', async (t) => {
  const { page, pageErrors, tokenRequests } = await openApp(t);
  const response = await responseWithoutLanding(page);

  // The user comes back eleven minutes later: the page's clock says so from its first script.
  await page.clock.install({ time: Date.now() + 11 * 60 * 1000 });
  await page.goto(response.href);
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'transaction_expired');
  assert.match(error.errorDescription, /expired|too long|minutes/i);

  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false);
  assert.deepEqual(tokenRequests, [], 'an expired transaction never reaches the token endpoint');
  assert.deepEqual(await transactionKeys(page), [], 'the expired transaction is deleted');
  assert.deepEqual(pageErrors, []);
});

/** A whole login through the app page; returns the `authenticated` payload. */
async function logIn(page) {
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: shared.servers.issuer });
  return waitForEvent(page, 'authenticated');
}

test('tokens stay in memory by default: nothing of them in storage, gone after a reload', async (t) => {
  const { page, pageErrors } = await openApp(t);
  const result = await logIn(page);

  const kept = await page.evaluate(() => ({ user: window.latch.getUser(), tokens: window.latch.getTokens() }));
  assert.equal(kept.user.user_id, result.profile.user_id);
  assert.equal(kept.tokens.idToken, result.idToken);
  assert.equal(kept.tokens.accessToken, result.accessToken);
  assert.ok(kept.tokens.expiresAt > Date.now());

  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  assert.equal(stored.includes(result.idToken), false, 'the ID token is in no storage');
  assert.equal(stored.includes(result.accessToken), false, 'the access token is in no storage');

  await page.reload();
  await waitForEvent(page, 'signin ready');
  assert.deepEqual(await page.evaluate(() => [window.latch.getUser(), window.latch.getTokens()]), [null, null]);
  assert.deepEqual(pageErrors, []);
});

test("auth.tokenStorage 'sessionStorage' keeps the login across a reload of the tab while the tokens are good", async (t) => {
  const { page, pageErrors } = await openApp(t, { auth: { tokenStorage: 'sessionStorage' } });
  const result = await logIn(page);

  await page.reload();
  await waitForEvent(page, 'signin ready');
  const kept = await page.evaluate(() => ({ user: window.latch.getUser(), tokens: window.latch.getTokens() }));
  assert.equal(kept.user.user_id, result.profile.user_id);
  assert.equal(kept.user.name, result.profile.name);
  assert.equal(kept.tokens.idToken, result.idToken);
  assert.equal(kept.tokens.accessToken, result.accessToken);

  // Expired tokens are not handed out: the same tab an hour and more later.
  const expiresAt = kept.tokens.expiresAt;
  await page.clock.install({ time: expiresAt + 1000 });
  await page.reload();
  await waitForEvent(page, 'signin ready');
  assert.deepEqual(await page.evaluate(() => [window.latch.getUser(), window.latch.getTokens()]), [null, null]);
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage).some((k) => k.startsWith('latch.session.'))), false);
  assert.deepEqual(pageErrors, []);
});

test("after a reload with auth.tokenStorage 'sessionStorage', logout() still sends the ID token as id_token_hint", async (t) => {
  const { page, pageErrors } = await openApp(t, { auth: { tokenStorage: 'sessionStorage' } });
  const result = await logIn(page);

  await page.reload();
  await waitForEvent(page, 'signin ready');
  // The login restored from sessionStorage is the whole login: the one logout() ends.
  const leaving = page.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await page.evaluate((to) => { window.latch.logout({ returnTo: to }); }, APP());
  const url = new URL((await leaving).url());
  assert.equal(url.searchParams.get('id_token_hint'), result.idToken);
  assert.equal(url.searchParams.get('client_id'), 'latch-spa');
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), APP());
  assert.deepEqual(pageErrors, []);
});

test('a bad auth.tokenStorage is an invalid_option, not a guess', async (t) => {
  const opened = await openPage(shared.browser, { setup: { options: { auth: { tokenStorage: 'localStorage' } } } });
  t.after(() => opened.context.close());
  await opened.page.goto(APP());
  const error = await waitForEvent(opened.page, 'unrecoverable_error');
  assert.equal(error.error, 'invalid_option');
  assert.match(error.errorDescription, /auth\.tokenStorage/);
  assert.deepEqual(opened.pageErrors, []);
});

test('Latch.decodeToken shows what a JWT carries and returns null for anything else', async (t) => {
  const { page, pageErrors } = await openApp(t);
  const result = await logIn(page);
  const decoded = await page.evaluate((token) => {
    const Latch = window.latch.constructor;
    return {
      idToken: Latch.decodeToken(token),
      opaque: Latch.decodeToken('Zm9vYmFy'),
      twoParts: Latch.decodeToken('e30.e30'),
      notJson: Latch.decodeToken('bm90.anNvbg.sig'),
      notBase64: Latch.decodeToken('e30.<script>.sig'),
      notString: Latch.decodeToken(42),
    };
  }, result.idToken);
  assert.deepEqual(decoded.idToken, decodeJwt(result.idToken).payload);
  assert.equal(decoded.idToken.sub, 'alice');
  for (const key of ['opaque', 'twoParts', 'notJson', 'notBase64', 'notString']) {
    assert.equal(decoded[key], null, key);
  }
  assert.deepEqual(pageErrors, []);
});
