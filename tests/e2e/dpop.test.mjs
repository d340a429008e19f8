// DPoP (RFC 9449, issue 27) end to end: the widget with `auth.dpop` against oidc-provider's
// features.dPoP, without and with server nonces, and a resource API of its own
// (tests/support/resource-api.mjs) that verifies each proof and the token's binding to its
// key. Every test asserts what the provider and the API saw, not only what the page says.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { startResourceApi, accessTokenHash } from '../support/resource-api.mjs';
import { startServers } from '../support/servers.mjs';
import {
  fetchWithToken, foreignProof, keptThumbprint, logIn, proofThumbprint, readKept, watchProvider,
} from './dpop-support.mjs';
import {
  decodeJwt, grace, openPage, serversAndBrowser, waitForEvent,
} from './support.mjs';

// The local servers (oidc-provider with features.dPoP, no nonces) and one browser.
const env = serversAndBrowser('tests/e2e/dpop.test.mjs');
// The resource API of these servers, started by the first test that calls it (the root
// hooks do not wait for each other).
let api;
async function sharedApi() {
  api ??= await startResourceApi({ provider: env.servers.provider, origins: [env.servers.webUrl] });
  return api;
}
after(() => api?.close());

const DPOP = { auth: { dpop: true, useRefreshTokens: true } };

/** A page of its own with `options`, closed when the test ends. */
async function app(t, options = DPOP) {
  // The DPoP build (latch-login/dpop), with or without auth.dpop.
  const opened = await openPage(env.browser, { setup: { options, build: 'dpop' } });
  t.after(() => opened.context.close());
  return opened;
}

/** The checks every accepted token request's proof passes here: the key, htm, htu, no ath. */
async function assertTokenProof(entry, { jkt, issuer }) {
  assert.ok(entry.dpop, `a DPoP proof on the ${entry.params.grant_type} request`);
  const { header, payload } = decodeJwt(entry.dpop);
  assert.equal(header.typ, 'dpop+jwt');
  assert.equal(header.alg, 'ES256');
  assert.equal(header.jwk.d, undefined, 'no private member in the embedded key');
  assert.equal(await proofThumbprint(entry.dpop), jkt, 'signed by the key kept in IndexedDB');
  assert.equal(payload.htm, 'POST');
  assert.equal(payload.htu, `${issuer}/oauth/token`);
  assert.equal(payload.ath, undefined, 'no access token to bind at the token endpoint');
  assert.ok(Math.abs(Date.now() / 1000 - payload.iat) < 30);
  return payload;
}

test('code exchange and refresh bound to the key (no server nonces): dpop_jkt, a proof on each token request, DPoP tokens, and the API accepts the binding', async (t) => {
  const { page, pageErrors } = await app(t);
  const seen = watchProvider(t, env.servers.provider);
  const { issuer, webUrl } = env.servers;
  const login = await logIn(page, `${webUrl}/e2e/app.html`, issuer);
  const jkt = await keptThumbprint(page);
  await sharedApi();

  // The authorize request named the key: the code can only be exchanged with its proof.
  const [authorize] = seen.authorize();
  assert.equal(authorize.query.dpop_jkt, jkt);
  const [exchange] = seen.grants('authorization_code');
  assert.equal(exchange.status, 200);
  const exchangeProof = await assertTokenProof(exchange, { jkt, issuer });
  assert.equal(exchangeProof.nonce, undefined, 'this provider gives no nonces');
  assert.equal(exchange.body.token_type, 'DPoP');
  assert.equal(login.tokenType, 'DPoP');
  // The provider bound the access token to that key (its cnf.jkt).
  assert.equal((await env.servers.provider.AccessToken.find(login.accessToken)).jkt, jkt);

  // A refresh, with a proof of the same key, gives a DPoP token bound to it too.
  const renewed = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  assert.notEqual(renewed, login.accessToken);
  const [refresh] = seen.grants('refresh_token');
  assert.equal(refresh.status, 200);
  await assertTokenProof(refresh, { jkt, issuer });
  assert.equal(refresh.body.token_type, 'DPoP');
  assert.notEqual(refresh.dpop, exchange.dpop);
  assert.notEqual(decodeJwt(refresh.dpop).payload.jti, exchangeProof.jti);
  assert.equal((await env.servers.provider.AccessToken.find(renewed)).jkt, jkt);
  assert.equal((await page.evaluate(() => window.latch.getTokens())).tokenType, 'DPoP');

  // The app's own API call: `Authorization: DPoP` and a proof bound to the token by ath.
  const out = await fetchWithToken(page, `${api.url}/me?x=1`);
  assert.deepEqual(out, { status: 200, body: { sub: 'alice' } });
  const call = api.seen.at(-1);
  assert.equal(call.verdict, 'ok', call.reason);
  assert.equal(call.scheme, 'DPoP');
  assert.equal(call.authorization, `DPoP ${renewed}`);
  assert.equal(call.jkt, jkt);
  assert.equal(call.proof.payload.ath, accessTokenHash(renewed));
  assert.equal(call.proof.payload.htm, 'GET');
  assert.equal(call.proof.payload.htu, `${api.url}/me`, 'htu without the query (RFC 9449 §4.2)');
  // The input as a URL object and as a Request (with its body), as the types allow.
  const asUrl = await page.evaluate((to) => window.latch.fetchWithToken(new URL(to))
    .then((r) => r.json(), (error) => ({ error })), `${api.url}/me`);
  assert.deepEqual(asUrl, { sub: 'alice' });
  const asRequest = await page.evaluate((to) => window.latch.fetchWithToken(new Request(to, { method: 'POST', body: 'x' }))
    .then((r) => r.json(), (error) => ({ error })), `${api.url}/me`);
  assert.deepEqual(asRequest, { sub: 'alice', received: 'x' });
  assert.equal(api.seen.at(-1).proof.payload.htm, 'POST');
  assert.equal(seen.token().length, 2, 'no token request but the exchange and the refresh');
  assert.deepEqual(pageErrors, []);
});

test('with server nonces (requireNonce at the provider, and the API asking for its own): each is asked once, then used', async (t) => {
  const servers = await startServers({ dpop: { requireNonce: true } });
  t.after(() => servers.close());
  const nonceApi = await startResourceApi({ provider: servers.provider, origins: [servers.webUrl], nonce: true });
  t.after(() => nonceApi.close());
  const { page, pageErrors } = await app(t);
  const seen = watchProvider(t, servers.provider);
  const login = await logIn(page, `${servers.webUrl}/e2e/app.html`, servers.issuer);
  const jkt = await keptThumbprint(page);
  assert.equal(seen.authorize()[0].query.dpop_jkt, jkt);

  // The exchange: refused once with use_dpop_nonce and a nonce the page can read (CORS), then
  // sent again with it.
  const [asked, exchanged] = seen.grants('authorization_code');
  assert.equal(asked.status, 400);
  assert.equal(asked.body.error, 'use_dpop_nonce');
  assert.ok(asked.dpopNonce);
  assert.match(asked.exposed ?? '', /DPoP-Nonce/i, 'the provider exposes DPoP-Nonce to the page');
  assert.equal(decodeJwt(asked.dpop).payload.nonce, undefined);
  assert.equal(exchanged.status, 200);
  const payload = await assertTokenProof(exchanged, { jkt, issuer: servers.issuer });
  assert.equal(payload.nonce, asked.dpopNonce, 'the nonce the provider gave');
  assert.equal(login.tokenType, 'DPoP');
  assert.equal((await servers.provider.AccessToken.find(login.accessToken)).jkt, jkt);

  // The refresh goes with the last nonce heard and is taken (a stale one would be asked again,
  // once): every proof the provider accepted carried a nonce.
  const renewed = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  const refreshes = seen.grants('refresh_token');
  assert.equal(refreshes.at(-1).status, 200);
  assert.ok(refreshes.length <= 2, JSON.stringify(refreshes.map((r) => r.status)));
  for (const accepted of seen.token().filter((r) => r.status === 200)) {
    assert.ok((await assertTokenProof(accepted, { jkt, issuer: servers.issuer })).nonce, 'an accepted proof carries a nonce');
  }
  assert.equal((await servers.provider.AccessToken.find(renewed)).jkt, jkt);

  // The API asks for its own nonce (401, WWW-Authenticate: DPoP error="use_dpop_nonce"); the
  // widget sends the request once more with it.
  const out = await fetchWithToken(page, `${nonceApi.url}/me`);
  assert.deepEqual(out, { status: 200, body: { sub: 'alice' } });
  assert.deepEqual(nonceApi.seen.map((s) => s.verdict), ['use_dpop_nonce', 'ok']);
  const [first, second] = nonceApi.seen;
  assert.equal(first.proof.payload.nonce, undefined);
  assert.ok(second.proof.payload.nonce);
  assert.notEqual(second.proof.payload.jti, first.proof.payload.jti);
  // The next call goes with the nonce at once.
  assert.equal((await fetchWithToken(page, `${nonceApi.url}/me`)).status, 200);
  assert.deepEqual(nonceApi.seen.map((s) => s.verdict), ['use_dpop_nonce', 'ok', 'ok']);
  // A POST with a body, whose nonce went stale: sent again whole, with a proof for POST.
  const stale = await startResourceApi({ provider: servers.provider, origins: [servers.webUrl], nonce: true });
  t.after(() => stale.close());
  const posted = await fetchWithToken(page, `${stale.url}/me`, { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
  assert.deepEqual(posted, { status: 200, body: { sub: 'alice', received: '{"a":1}' } });
  assert.deepEqual(stale.seen.map((s) => [s.verdict, s.proof.payload.htm]), [['use_dpop_nonce', 'POST'], ['ok', 'POST']]);

  // The provider's userinfo endpoint (Lock's getUserInfo) asks for its nonce as well.
  const before = seen.seen.length;
  const claims = await page.evaluate((token) => window.latch.getUserInfo(token), renewed);
  assert.equal(claims.sub, 'alice');
  const userinfo = seen.seen.slice(before).filter((r) => r.path === '/userinfo');
  assert.ok(userinfo.length >= 1 && userinfo.length <= 2, JSON.stringify(userinfo.map((r) => r.status)));
  assert.equal(userinfo.at(-1).status, 200);
  for (const request of userinfo) {
    assert.ok(request.dpop, 'a proof on every userinfo request');
    assert.equal(await proofThumbprint(request.dpop), jkt);
    assert.equal(decodeJwt(request.dpop).payload.ath, accessTokenHash(renewed));
  }
  assert.ok(decodeJwt(userinfo.at(-1).dpop).payload.nonce);
  assert.deepEqual(pageErrors, []);
});

test('a stolen access token is refused by the API: without a proof, as Bearer, with another key\'s proof, with a replayed proof', async (t) => {
  const { page, pageErrors } = await app(t);
  const { issuer, webUrl } = env.servers;
  await logIn(page, `${webUrl}/e2e/app.html`, issuer);
  const url = `${(await sharedApi()).url}/me`;
  // A genuine call first: its proof is the one replayed below.
  assert.equal((await fetchWithToken(page, url)).status, 200);
  const genuine = api.seen.at(-1);
  assert.equal(genuine.verdict, 'ok');
  const token = genuine.authorization.slice('DPoP '.length);
  const jkt = await keptThumbprint(page);

  const call = async (headers) => {
    const response = await fetch(url, { headers });
    return { status: response.status, challenge: response.headers.get('www-authenticate'), entry: api.seen.at(-1) };
  };
  const noProof = await call({ Authorization: `DPoP ${token}` });
  assert.equal(noProof.status, 401);
  assert.match(noProof.challenge, /^DPoP error="invalid_dpop_proof"/);

  const bearer = await call({ Authorization: `Bearer ${token}` });
  assert.equal(bearer.status, 401);
  assert.match(bearer.entry.reason, /not a DPoP access token/);

  // A well-made proof of another key (node's): everything holds but the binding.
  const foreign = await foreignProof({ method: 'GET', url, accessToken: token });
  assert.notEqual(foreign.thumbprint, jkt);
  const other = await call({ Authorization: `DPoP ${token}`, DPoP: foreign.proof });
  assert.equal(other.status, 401);
  assert.equal(other.entry.verdict, 'invalid_token');
  assert.equal(other.entry.reason, `the token is bound to ${jkt}, the proof's key is ${foreign.thumbprint}`);

  // The page's own proof, sent again: its jti was seen.
  const replay = await call({ Authorization: genuine.authorization, DPoP: genuine.proof.raw });
  assert.equal(replay.status, 401);
  assert.equal(replay.entry.reason, 'replayed jti');

  // The provider itself refuses the other key too (its userinfo endpoint).
  const userinfo = await fetch(`${issuer}/userinfo`, {
    headers: { Authorization: `DPoP ${token}`, DPoP: (await foreignProof({ method: 'GET', url: `${issuer}/userinfo`, accessToken: token })).proof },
  });
  assert.equal(userinfo.status, 401);
  // And the page still works: nothing of this reached it.
  assert.equal((await fetchWithToken(page, url)).status, 200);
  assert.deepEqual(pageErrors, []);
});

for (const [name, dpop] of [
  ['lists no dpop_signing_alg_values_supported', { enabled: false }],
  ['lists Ed25519 only', { algs: ['Ed25519'] }],
]) {
  test(`a provider whose discovery ${name}: the DPoP login is refused (invalid_dpop) before the page leaves`, async (t) => {
    const servers = await startServers({ dpop });
    t.after(() => servers.close());
    const discovery = await (await fetch(`${servers.issuer}/.well-known/openid-configuration`)).json();
    assert.ok(!discovery.dpop_signing_alg_values_supported?.includes('ES256'));
    const seen = watchProvider(t, servers.provider);
    const { page, pageErrors } = await app(t);
    const url = `${servers.webUrl}/e2e/app.html`;
    await page.goto(url);
    await waitForEvent(page, 'signin ready');
    await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
    const error = await waitForEvent(page, 'unrecoverable_error');
    assert.equal(error.error, 'invalid_dpop', JSON.stringify(error));
    assert.match(error.errorDescription, /ES256/);
    await grace(page);
    assert.equal(page.url(), url, 'the page never left');
    assert.deepEqual(seen.authorize(), [], 'the provider saw no authorize request');
    assert.deepEqual(pageErrors, []);
  });
}

test('the key\'s private half cannot be read: IndexedDB holds a CryptoKey that WebCrypto refuses to export', async (t) => {
  const { page, pageErrors } = await app(t);
  const { issuer, webUrl } = env.servers;
  const login = await logIn(page, `${webUrl}/e2e/app.html`, issuer);
  const kept = await readKept(page, 'latch-spa');
  assert.deepEqual(kept.members, ['privateKey', 'publicKey'], 'the key pair as CryptoKeys, no bytes beside them');
  assert.deepEqual(kept.privateKey, {
    type: 'private', extractable: false, usages: ['sign'], algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
  });
  assert.deepEqual(kept.exports, { jwk: 'InvalidAccessError', pkcs8: 'InvalidAccessError' });
  // The public half is exported as it should be: the same key the provider bound the token to.
  assert.equal(kept.publicJwk.d, undefined);
  assert.equal((await env.servers.provider.AccessToken.find(login.accessToken)).jkt, await keptThumbprint(page));
  assert.deepEqual(pageErrors, []);
});

test('checkSession with auth.dpop: its authorize request names the key and its code exchange carries a proof', async (t) => {
  const { page, pageErrors } = await app(t);
  const { issuer, webUrl } = env.servers;
  await logIn(page, `${webUrl}/e2e/app.html`, issuer);
  const jkt = await keptThumbprint(page);
  const seen = watchProvider(t, env.servers.provider);
  const result = await page.evaluate(() => window.latch.checkSession({}));
  assert.equal(result.tokenType, 'DPoP');
  const [silent] = seen.authorize();
  assert.equal(silent.query.prompt, 'none');
  assert.equal(silent.query.dpop_jkt, jkt);
  const [exchange] = seen.grants('authorization_code');
  assert.equal(exchange.status, 200);
  await assertTokenProof(exchange, { jkt, issuer });
  assert.equal(exchange.body.token_type, 'DPoP');
  assert.equal((await env.servers.provider.AccessToken.find(result.accessToken)).jkt, jkt);
  assert.deepEqual(pageErrors, []);
});

test('fetchWithToken without DPoP: Authorization Bearer and no proof (which this DPoP-only API refuses)', async (t) => {
  const { page, pageErrors } = await app(t, { auth: { useRefreshTokens: true } });
  const { issuer, webUrl } = env.servers;
  // Not signed in yet: getTokenSilently's refusal, and nothing sent.
  await page.goto(`${webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  const calls = (await sharedApi()).seen.length;
  const early = await fetchWithToken(page, `${api.url}/me`);
  assert.equal(early.error?.error, 'login_required', JSON.stringify(early));
  assert.equal(api.seen.length, calls, 'nothing reached the API');
  const login = await logIn(page, `${webUrl}/e2e/app.html`, issuer);
  assert.equal(login.tokenType, 'Bearer');
  const out = await fetchWithToken(page, `${(await sharedApi()).url}/me`);
  assert.equal(out.status, 401);
  const call = api.seen.at(-1);
  assert.equal(call.authorization, `Bearer ${login.accessToken}`);
  assert.equal(call.proof, null);
  assert.equal((await readKept(page, 'latch-spa')).present, false, 'no key made without DPoP');
  // An input fetch() would refuse is refused the same way, as a typed error.
  const bad = await fetchWithToken(page, 'http://[bad');
  assert.equal(bad.error?.error, 'invalid_option', JSON.stringify(bad));
  assert.match(bad.error.errorDescription, /fetchWithToken/);
  assert.deepEqual(pageErrors, []);
});
