// Direct OpenID Connect connections (options.connections, no broker) against the local
// oidc-provider: the back channel configured by nothing but its issuer base URL, and the
// front channel, whose form_post answer the service worker turns into a fragment.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServers } from '../support/servers.mjs';
import {
  decodeJwt, eventNames, grace, launchBrowser, loginAtProvider, openPage, s256, safetyTimer,
  transactionKeys, waitForEvent,
} from './support.mjs';

safetyTimer('tests/e2e/direct.test.mjs');

let servers;
let browser;

before(async () => {
  [servers, browser] = await Promise.all([startServers(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await servers?.close();
});

async function openApp(t, connection) {
  const opened = await openPage(browser, {
    setup: { domain: '', options: { connections: [connection] } },
  });
  t.after(() => opened.context.close());
  const seen = { authorize: [], token: [], serverPosts: [], config: [] };
  opened.page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === servers.issuer && url.pathname === '/authorize') seen.authorize.push(url);
    if (url.pathname === '/oauth/token' && request.method() === 'POST') {
      seen.token.push(new URLSearchParams(request.postData() ?? ''));
    }
    if (url.pathname.startsWith('/client/')) seen.config.push(url.href);
  });
  opened.page.on('response', (response) => {
    if (response.status() === 405) seen.serverPosts.push(response.url());
  });
  await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
  await waitForEvent(opened.page, 'signin ready');
  return { ...opened, seen };
}

test('a direct back-channel connection configured only by its issuer base URL logs in', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, {
    name: 'direct-op',
    display_name: 'Direct provider',
    issuer: servers.issuer,
    client_id: 'latch-spa',
    type: 'back_channel',
    scopes: 'profile,email', // comma-separated and without openid: the widget adds it
  });
  assert.deepEqual(seen.config, [], 'no broker, so no client configuration is fetched');
  assert.equal(
    await page.locator('.latch button.latch-connection[data-connection="direct-op"] .latch-label').textContent(),
    'Continue with Direct provider',
  );
  await page.click('.latch button.latch-connection[data-connection="direct-op"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer, user: 'alice' });
  const result = await waitForEvent(page, 'authenticated');

  assert.equal(seen.authorize.length, 1);
  const authorize = seen.authorize[0].searchParams;
  assert.equal(authorize.get('client_id'), 'latch-spa');
  assert.equal(authorize.get('response_type'), 'code');
  assert.equal(authorize.get('scope'), 'openid profile email');
  assert.equal(authorize.has('connection'), false, 'a direct provider gets no connection parameter');
  assert.equal(seen.token.length, 1);
  assert.equal(authorize.get('code_challenge'), s256(seen.token[0].get('code_verifier')));

  const { payload } = decodeJwt(result.idToken);
  assert.equal(payload.iss, servers.issuer);
  assert.equal(payload.nonce, authorize.get('nonce'));
  assert.equal(result.profile.user_id, 'oidc|direct-op|alice');
  assert.deepEqual(result.profile.identities, [
    { user_id: 'direct-op|alice', provider: 'oidc', connection: 'direct-op', isSocial: false },
  ]);
  assert.equal(result.profile.email, 'alice@example.com');
  assert.ok(result.accessToken);
  assert.deepEqual(await transactionKeys(page), []);
  assert.deepEqual(pageErrors, []);
});

test('a front-channel connection gets its id_token by form_post through the service worker', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, {
    name: 'front-op',
    issuer: `${servers.issuer}/.well-known/openid-configuration`, // the full discovery URL form
    client_id: 'latch-front',
    type: 'front_channel',
    scopes: 'openid profile email',
  });
  await page.click('.latch button.latch-connection[data-connection="front-op"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer, user: 'alice' });
  const result = await waitForEvent(page, 'authenticated');

  const authorize = seen.authorize[0].searchParams;
  assert.equal(authorize.get('response_type'), 'id_token');
  assert.equal(authorize.get('response_mode'), 'form_post');
  assert.equal(authorize.has('code_challenge'), false, 'no PKCE without a code');
  assert.deepEqual(seen.token, [], 'the front channel makes no token request');
  // The static server answers any POST with 405, so this login came back only because the
  // worker turned the provider's POST into a fragment.
  assert.deepEqual(seen.serverPosts, [], 'no POST reached the static server');

  const { payload } = decodeJwt(result.idToken);
  assert.equal(payload.aud, 'latch-front');
  assert.equal(payload.nonce, authorize.get('nonce'));
  assert.equal(result.accessToken, undefined);
  assert.equal(result.profile.user_id, 'oidc|front-op|alice');
  assert.equal(result.profile.name, 'Alice Liddell');
  // The worker's fragment is gone from the address bar, and the login from storage.
  const url = new URL(page.url());
  assert.equal(url.hash, '');
  assert.equal(url.pathname, '/e2e/app.html');
  assert.deepEqual(await transactionKeys(page), []);
  const workers = await page.evaluate(async () =>
    (await navigator.serviceWorker.getRegistrations()).map((r) => r.active?.scriptURL));
  assert.deepEqual(workers, [`${servers.webUrl}/pkg/latch-sw.js`]);
  assert.deepEqual(pageErrors, []);
});

test('a client_secret in a direct connection is refused before anything is fetched', async (t) => {
  const opened = await openPage(browser, {
    setup: {
      domain: '',
      options: {
        connections: [{ name: 'leaky', issuer: servers.issuer, client_id: 'latch-spa', client_secret: 'shh' }],
      },
    },
  });
  t.after(() => opened.context.close());
  const requests = [];
  opened.page.on('request', (r) => requests.push(r.url()));
  await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
  const error = await waitForEvent(opened.page, 'unrecoverable_error');
  assert.equal(error.error, 'client_secret_in_browser');
  assert.match(error.errorDescription, /secret/);
  await grace(opened.page);
  assert.deepEqual(await eventNames(opened.page), ['unrecoverable_error']);
  assert.equal(requests.some((u) => u.startsWith(servers.issuer)), false, 'nothing sent to the provider');
  assert.deepEqual(opened.pageErrors, []);
});
