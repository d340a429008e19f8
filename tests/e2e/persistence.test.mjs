// A login that survives a reload without third-party cookies (issue 27):
// `auth: { dpop: true, persistRefreshToken: true }` keeps the DPoP-bound refresh token in
// IndexedDB beside the key, and a reload signs in again with one refresh request. The app is
// at localhost and the provider at 127.0.0.1, two sites: Chromium keeps the provider's session
// cookie from its iframe, so the iframe's checkSession cannot sign a reload in.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startResourceApi } from '../support/resource-api.mjs';
import { startServers } from '../support/servers.mjs';
import {
  fetchWithToken, keptThumbprint, logIn, readKept, until, watchProvider,
} from './dpop-support.mjs';
import {
  decodeJwt, eventNames, grace, loginAtProvider, openPage, serversAndBrowser, waitForEvent,
} from './support.mjs';

const env = serversAndBrowser('tests/e2e/persistence.test.mjs');

const PERSIST = { auth: { dpop: true, persistRefreshToken: true } };

/** The app at localhost: another site than the provider at 127.0.0.1. */
const crossSiteApp = () => `${env.servers.webUrl.replace('127.0.0.1', 'localhost')}/e2e/app.html`;

/** A context of its own with `options`, closed when the test ends; counts the iframes its
 *  pages attach. */
async function app(t, options) {
  // The DPoP build (latch-login/dpop).
  const opened = await openPage(env.browser, { setup: { options, build: 'dpop' } });
  t.after(() => opened.context.close());
  const frames = [];
  opened.page.on('frameattached', (frame) => frames.push(frame));
  return { ...opened, frames };
}

test('reload with third-party cookies blocked: signed in again with one refresh, no iframe, no authorize request; after logout() not, and the key is gone', async (t) => {
  const { page, pageErrors, frames } = await app(t, PERSIST);
  const url = crossSiteApp();
  const { issuer } = env.servers;
  const login = await logIn(page, url, issuer);
  const jkt = await keptThumbprint(page);
  const kept = await readKept(page, 'latch-spa#session');
  assert.ok(kept.present && kept.refreshToken, 'the login is kept beside the key');
  const api = await startResourceApi({ provider: env.servers.provider, origins: [new URL(url).origin] });
  t.after(() => api.close());

  const seen = watchProvider(t, env.servers.provider);
  const framesBefore = frames.length;
  await page.reload();
  const back = await waitForEvent(page, 'authenticated');
  assert.equal(back.tokenType, 'DPoP');
  assert.notEqual(back.accessToken, login.accessToken, 'a new access token');
  assert.equal(back.idToken, login.idToken, 'the same login');
  assert.deepEqual(back.profile, login.profile);
  assert.deepEqual(back.idTokenPayload, login.idTokenPayload);
  assert.equal(back.connection, 'local-oidc');
  assert.ok(back.expiresAt > Date.now());
  assert.deepEqual(await page.evaluate(() => window.latch.getUser()), login.profile);
  // What the provider saw of the reload: one refresh_token grant with a proof of the same key,
  // and no other request but documents (the panel reads discovery): no authorize request, no
  // code exchange, no userinfo.
  assert.deepEqual(seen.seen.filter((r) => r.method !== 'GET' || !r.path.startsWith('/.well-known/'))
    .map((r) => `${r.method} ${r.path} ${r.params.grant_type ?? ''}`.trim()), [
    'POST /oauth/token refresh_token',
  ]);
  const [refresh] = seen.grants('refresh_token');
  assert.equal(refresh.status, 200);
  assert.equal(refresh.params.refresh_token, kept.refreshToken, 'the refresh token kept in IndexedDB');
  assert.equal((await env.servers.provider.AccessToken.find(back.accessToken)).jkt, jkt);
  assert.equal(frames.length, framesBefore, 'no iframe');
  // The key survived the reload: the API accepts its proof for the new token.
  assert.deepEqual(await fetchWithToken(page, `${api.url}/me`), { status: 200, body: { sub: 'alice' } });
  assert.equal(api.seen.at(-1).jkt, jkt);

  // logout() deletes the key and the kept login before the page leaves.
  const leaving = page.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await page.evaluate((to) => { window.latch.logout({ returnTo: to }); }, url);
  await leaving;
  const count = seen.seen.length;
  await page.goto(url);
  await waitForEvent(page, 'signin ready');
  await grace(page, 1_000);
  assert.deepEqual((await eventNames(page)).filter((e) => e === 'authenticated'), []);
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(seen.seen.slice(count).filter((r) => r.path === '/oauth/token'), [], 'no refresh after the logout');
  for (const record of ['latch-spa', 'latch-spa#session']) {
    assert.equal((await readKept(page, record)).present, false, `${record} deleted`);
  }
  // The next login makes a key of its own (the provider still knows the user: the logout
  // was not confirmed there, so it answers at once).
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  const again = await waitForEvent(page, 'authenticated');
  const newJkt = await keptThumbprint(page);
  assert.notEqual(newJkt, jkt);
  assert.equal((await env.servers.provider.AccessToken.find(again.accessToken)).jkt, newJkt);
  assert.deepEqual(pageErrors, []);
});

test('without persistRefreshToken, the same reload is not signed in: the iframe\'s checkSession meets the blocked cookie', async (t) => {
  const { page, pageErrors, frames } = await app(t, { auth: { dpop: true, useRefreshTokens: true, sso: true } });
  const url = crossSiteApp();
  await logIn(page, url, env.servers.issuer);
  const seen = watchProvider(t, env.servers.provider);
  const refusals = [];
  const refused = (_ctx, error) => refusals.push(error.error);
  env.servers.provider.on('authorization.error', refused);
  t.after(() => env.servers.provider.off('authorization.error', refused));
  await page.reload();
  // The widget asks the provider (auth.sso) from its iframe, and the provider, without its
  // session cookie there, does not know the user: login_required.
  await until(() => refusals.length > 0);
  assert.deepEqual(refusals, ['login_required']);
  assert.equal(seen.authorize().length, 1);
  assert.equal(seen.authorize()[0].query.prompt, 'none');
  await grace(page, 1_000);
  assert.ok(frames.length > 0, 'it asked through an iframe');
  assert.deepEqual((await eventNames(page)).filter((e) => e === 'authenticated'), []);
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(seen.token(), [], 'no token request: nothing to refresh with');
  assert.equal((await readKept(page, 'latch-spa#session')).present, false, 'nothing kept without the option');
  assert.deepEqual(pageErrors, []);
});

test('two tabs with a persisted login renew in turn: each spends the refresh token the other rotated, never a spent one, and a reload still signs in', async (t) => {
  const { context, page: first, pageErrors } = await app(t, PERSIST);
  const url = crossSiteApp();
  await logIn(first, url, env.servers.issuer);
  const seen = watchProvider(t, env.servers.provider);
  // The second tab takes the kept login back (one refresh).
  const second = await context.newPage();
  const secondErrors = [];
  second.on('pageerror', (e) => secondErrors.push(e));
  await second.goto(url);
  await waitForEvent(second, 'authenticated');

  const chain = () => JSON.stringify(seen.grants('refresh_token')
    .map((r) => [r.params.refresh_token.slice(0, 8), r.status, (r.body?.refresh_token ?? r.body?.error)?.slice(0, 8)]));
  const fresh = (tab) => tab.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' })
    .then((token) => ({ token }), (error) => ({ error })));
  for (const tab of [first, second, first, second, first]) {
    const out = await fresh(tab);
    assert.ok(out.token, `${JSON.stringify(out)}; refreshes (spent, status, got): ${chain()}`);
    // Each tab hears the other's renewal: the record in IndexedDB must stay the newest.
    await grace(tab, 200);
  }
  // Both at once: one renews, the other takes its token.
  const both = await Promise.all([fresh(first), fresh(second)]);
  assert.ok(both.every((o) => o.token), JSON.stringify(both));
  // And a reload of each, in turn, with what IndexedDB holds now.
  for (const tab of [first, second]) {
    await tab.reload();
    await waitForEvent(tab, 'authenticated');
  }

  const refreshes = seen.grants('refresh_token');
  assert.deepEqual(refreshes.map((r) => r.status).filter((s) => s !== 200), [], JSON.stringify(refreshes.map((r) => r.body)));
  const sent = refreshes.map((r) => r.params.refresh_token);
  assert.equal(new Set(sent).size, sent.length, 'no refresh token was spent twice');
  // Each refresh spent the token the one before it was given (rotation, in turn).
  for (let i = 1; i < refreshes.length; i += 1) {
    assert.equal(sent[i], refreshes[i - 1].body.refresh_token, `refresh ${i} spent the token refresh ${i - 1} got`);
  }
  for (const tab of [first, second]) {
    assert.deepEqual((await eventNames(tab)).filter((e) => e === 'signed_out'), []);
  }
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(secondErrors, []);
});

test('a refresh token the provider refuses (the grant revoked): signed_out, and the key and the kept login deleted', async (t) => {
  const { page, pageErrors } = await app(t, PERSIST);
  const url = crossSiteApp();
  const login = await logIn(page, url, env.servers.issuer);
  assert.equal((await readKept(page, 'latch-spa#session')).present, true);
  // The provider ends the grant (an admin's revocation, or reuse detected elsewhere).
  const { grantId } = await env.servers.provider.AccessToken.find(login.accessToken);
  const grant = await env.servers.provider.Grant.find(grantId);
  await grant.destroy();
  for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode']) {
    await env.servers.provider[model].revokeByGrantId(grantId);
  }

  const seen = watchProvider(t, env.servers.provider);
  const out = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' })
    .then((token) => ({ token }), (error) => ({ error })));
  assert.equal(out.error?.error, 'invalid_grant', JSON.stringify(out));
  assert.deepEqual(seen.grants('refresh_token').map((r) => [r.status, r.body?.error]), [[400, 'invalid_grant']]);
  await page.waitForFunction(() => window.latchEvents.some((e) => e.name === 'signed_out'));
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  // Deleted as the widget signs out (it does not wait for IndexedDB to fire the event).
  for (const record of ['latch-spa', 'latch-spa#session']) {
    const end = Date.now() + 5_000;
    while ((await readKept(page, record)).present && Date.now() < end) await grace(page, 50);
    assert.equal((await readKept(page, record)).present, false, `${record} deleted`);
  }
  // A reload then finds nothing to take back.
  await page.reload();
  await waitForEvent(page, 'signin ready');
  await grace(page, 1_000);
  assert.deepEqual((await eventNames(page)).filter((e) => e === 'authenticated'), []);
  assert.deepEqual(pageErrors, []);
});

test('a reload right after a renewal takes back the rotated refresh token, not the spent one', async (t) => {
  const { page, pageErrors } = await app(t, PERSIST);
  const url = crossSiteApp();
  await logIn(page, url, env.servers.issuer);
  const seen = watchProvider(t, env.servers.provider);
  for (let round = 0; round < 3; round += 1) {
    // The app renews, and leaves at once (a navigation in the same task as the answer).
    const reloaded = page.waitForEvent('load');
    await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }).then(() => { location.reload(); }));
    await reloaded;
    await waitForEvent(page, 'authenticated');
  }
  const refreshes = seen.grants('refresh_token');
  assert.deepEqual(refreshes.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  const sent = refreshes.map((r) => r.params.refresh_token);
  for (let i = 1; i < refreshes.length; i += 1) {
    assert.equal(sent[i], refreshes[i - 1].body.refresh_token, `refresh ${i} spent the token refresh ${i - 1} got`);
  }
  assert.deepEqual(pageErrors, []);
});

test('a reload against a provider that requires DPoP nonces: the refresh is asked for one, then taken', async (t) => {
  const servers = await startServers({ dpop: { requireNonce: true } });
  t.after(() => servers.close());
  const { page, pageErrors, frames } = await app(t, PERSIST);
  const url = `${servers.webUrl.replace('127.0.0.1', 'localhost')}/e2e/app.html`;
  const login = await logIn(page, url, servers.issuer);
  const jkt = await keptThumbprint(page);
  const seen = watchProvider(t, servers.provider);
  const framesBefore = frames.length;
  // A new page knows no nonce: the first proof goes without one.
  await page.reload();
  const back = await waitForEvent(page, 'authenticated');
  assert.equal(back.idToken, login.idToken);
  const refreshes = seen.grants('refresh_token');
  assert.deepEqual(refreshes.map((r) => [r.status, r.body?.error ?? r.body?.token_type]), [[400, 'use_dpop_nonce'], [200, 'DPoP']]);
  assert.match(refreshes[0].exposed ?? '', /DPoP-Nonce/i);
  assert.equal(refreshes[1].params.refresh_token, refreshes[0].params.refresh_token, 'the same token, sent again');
  assert.equal(decodeJwt(refreshes[1].dpop).payload.nonce, refreshes[0].dpopNonce);
  assert.deepEqual(seen.authorize(), []);
  assert.equal(frames.length, framesBefore);
  assert.equal((await servers.provider.AccessToken.find(back.accessToken)).jkt, jkt);
  assert.deepEqual(pageErrors, []);
});

test("with auth.tokenStorage 'sessionStorage' as well: after a reload the refresh token kept in IndexedDB still renews (no iframe)", async (t) => {
  const { page, pageErrors, frames } = await app(t, { auth: { ...PERSIST.auth, tokenStorage: 'sessionStorage' } });
  const url = crossSiteApp();
  const login = await logIn(page, url, env.servers.issuer);
  const seen = watchProvider(t, env.servers.provider);
  await page.reload();
  await waitForEvent(page, 'signin ready');
  // Signed in from sessionStorage, or taken back from IndexedDB: either way, signed in.
  await page.waitForFunction(() => window.latch.getUser() !== null);
  const framesBefore = frames.length;
  const out = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' })
    .then((token) => ({ token }), (error) => ({ error })));
  assert.ok(out.token && out.token !== login.accessToken, JSON.stringify(out));
  assert.deepEqual(seen.authorize(), [], 'no checkSession');
  assert.equal(frames.length, framesBefore, 'no iframe');
  assert.ok(seen.grants('refresh_token').every((r) => r.status === 200));
  assert.deepEqual(pageErrors, []);
});

test('a reload whose kept refresh token the provider refuses: signed_out, not signed in, and the key and the kept login deleted', async (t) => {
  const { page, pageErrors } = await app(t, PERSIST);
  const url = crossSiteApp();
  const login = await logIn(page, url, env.servers.issuer);
  const { grantId } = await env.servers.provider.AccessToken.find(login.accessToken);
  await (await env.servers.provider.Grant.find(grantId)).destroy();
  await env.servers.provider.RefreshToken.revokeByGrantId(grantId);
  const seen = watchProvider(t, env.servers.provider);
  await page.reload();
  await page.waitForFunction(() => window.latchEvents?.some((e) => e.name === 'signed_out'));
  assert.deepEqual(seen.grants('refresh_token').map((r) => [r.status, r.body?.error]), [[400, 'invalid_grant']]);
  await grace(page);
  assert.deepEqual((await eventNames(page)).filter((e) => e === 'authenticated'), []);
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  for (const record of ['latch-spa', 'latch-spa#session']) {
    const end = Date.now() + 5_000;
    while ((await readKept(page, record)).present && Date.now() < end) await grace(page, 50);
    assert.equal((await readKept(page, record)).present, false, `${record} deleted`);
  }
  assert.deepEqual(pageErrors, []);
});

test('a reload in the authenticated event of the login itself still finds the login kept', async (t) => {
  const { context, page, pageErrors } = await app(t, PERSIST);
  // The app leaves as soon as it hears of the login (once).
  await context.addInitScript(() => {
    if (window !== window.top) return;
    let latch;
    Object.defineProperty(window, 'latch', {
      configurable: true,
      get: () => latch,
      set: (value) => {
        latch = value;
        value.on('authenticated', () => {
          if (sessionStorage.getItem('left') === null) {
            sessionStorage.setItem('left', '1');
            location.reload();
          }
        });
      },
    });
  });
  const url = crossSiteApp();
  await page.goto(url);
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  const seen = watchProvider(t, env.servers.provider);
  await loginAtProvider(page, { issuer: env.servers.issuer });
  await page.waitForFunction(() => sessionStorage.getItem('left') === '1' && document.readyState === 'complete');
  const back = await waitForEvent(page, 'authenticated');
  assert.equal(back.tokenType, 'DPoP');
  assert.deepEqual(seen.grants('refresh_token').map((r) => r.status), [200]);
  assert.deepEqual(pageErrors, []);
});
