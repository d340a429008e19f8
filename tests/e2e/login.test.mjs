// Real logins through the demo page (www/index.html) against the local oidc-provider:
// authorization code + PKCE, the broker connection, and the responses the widget must refuse.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ALICE_UPDATED_AT } from '../support/provider.mjs';
import { REPO_ROOT, startServers } from '../support/servers.mjs';
import {
  cancelAtProvider, decodeJwt, eventNames, grace, launchBrowser, loginAtProvider, openPage,
  recordLogin, s256, safetyTimer, transactionKeys, waitForEvent,
} from './support.mjs';

safetyTimer('tests/e2e/login.test.mjs');

const SCREENSHOT = join(REPO_ROOT, 'www', 'screenshots', 'widget.png');

let servers;
let browser;

before(async () => {
  [servers, browser] = await Promise.all([startServers(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await servers?.close();
});

/** A fresh context for one test, closed when the test ends. */
async function freshPage(t) {
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  return opened;
}

/** Open the demo and wait until the connection buttons are on screen. */
async function openDemo(page) {
  await page.goto(`${servers.webUrl}/`);
  await waitForEvent(page, 'signin ready');
}

function clickConnection(page, connection) {
  return page.click(`.latch button.latch-connection[data-connection="${connection}"]`, { noWaitAfter: true });
}

/** The address bar and sessionStorage carry nothing of the finished login. */
async function assertResponseCleanedUp(page) {
  const url = new URL(page.url());
  assert.equal(url.origin + url.pathname, `${servers.webUrl}/`);
  for (const param of ['code', 'state', 'iss', 'error', 'error_description']) {
    assert.equal(url.searchParams.has(param), false, `${param} left in ${url.href}`);
  }
  assert.equal(url.hash, '');
  assert.deepEqual(await transactionKeys(page), []);
}

test('authorization code + PKCE login with local-oidc through the demo page', async (t) => {
  const { page, pageErrors } = await freshPage(t);
  const { webUrl, issuer } = servers;
  const requests = recordLogin(page, { issuer, webUrl });

  await openDemo(page);
  // One button per connection of the client configuration, social (the broker) first.
  const buttons = page.locator('.latch button.latch-connection');
  assert.deepEqual(
    await buttons.evaluateAll((list) => list.map((b) => [b.dataset.connection, b.querySelector('.latch-label').textContent])),
    [
      ['partner-tenant', 'Continue with Partner tenant'],
      ['local-oidc', 'Continue with Local OpenID Provider'],
    ],
  );
  await mkdir(join(REPO_ROOT, 'www', 'screenshots'), { recursive: true });
  await page.locator('.latch').screenshot({ path: SCREENSHOT, animations: 'disabled' });

  await clickConnection(page, 'local-oidc');
  await loginAtProvider(page, { issuer, user: 'alice' });
  const result = await waitForEvent(page, 'authenticated');

  // The authorize request.
  assert.equal(requests.authorize.length, 1, 'one authorize request');
  const authorize = requests.authorize[0].searchParams;
  assert.equal(authorize.get('client_id'), 'latch-spa');
  assert.equal(authorize.get('response_type'), 'code');
  assert.equal(authorize.get('redirect_uri'), `${webUrl}/`);
  assert.equal(authorize.get('connection'), 'local-oidc');
  assert.equal(authorize.get('code_challenge_method'), 'S256');
  assert.match(authorize.get('state') ?? '', /^[A-Za-z0-9_-]{20,}$/);
  assert.match(authorize.get('nonce') ?? '', /^[A-Za-z0-9_-]{20,}$/);
  assert.notEqual(authorize.get('state'), authorize.get('nonce'));
  assert.ok((authorize.get('scope') ?? '').split(' ').includes('openid'));

  // The response came back with the authorize request's state and the issuer (RFC 9207).
  assert.equal(requests.callbacks.length, 1, 'one response navigation');
  const callback = new URL(requests.callbacks[0]).searchParams;
  assert.equal(callback.get('state'), authorize.get('state'));
  assert.equal(callback.get('iss'), issuer);

  // The token request: the code of the response and the verifier of the challenge (PKCE),
  // as a public client (no secret anywhere).
  assert.equal(requests.token.length, 1, 'one token request');
  const { body, headers } = requests.token[0];
  assert.equal(body.get('grant_type'), 'authorization_code');
  assert.equal(body.get('code'), callback.get('code'));
  assert.equal(body.get('redirect_uri'), `${webUrl}/`);
  assert.equal(body.get('client_id'), 'latch-spa');
  assert.equal(body.has('client_secret'), false, 'no client_secret in the token request');
  assert.equal(headers.authorization, undefined, 'no client authentication header');
  const verifier = body.get('code_verifier') ?? '';
  assert.match(verifier, /^[A-Za-z0-9._~-]{43,128}$/);
  assert.equal(authorize.get('code_challenge'), s256(verifier), 'code_challenge = BASE64URL(SHA-256(code_verifier))');

  // The tokens.
  const { parts, payload: claims } = decodeJwt(result.idToken);
  assert.equal(parts.length, 3);
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, 'latch-spa');
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.nonce, authorize.get('nonce'), 'the ID token carries the authorize nonce');
  assert.deepEqual(result.idTokenPayload, claims);
  assert.equal(typeof result.accessToken, 'string');
  assert.ok(result.accessToken.length > 0);
  assert.equal(result.tokenType, 'Bearer');
  assert.equal(typeof result.expiresIn, 'number');
  assert.ok(result.expiresIn > 0);
  // The same expiry, as getTokens() has it: milliseconds since the epoch.
  assert.ok(Math.abs(result.expiresAt - (Date.now() + result.expiresIn * 1000)) < 60_000, JSON.stringify(result.expiresAt));
  assert.equal(result.connection, 'local-oidc');

  // The normalized profile.
  const { profile } = result;
  assert.equal(profile.user_id, 'oidc|local-oidc|alice');
  assert.equal(profile.sub, 'alice');
  assert.equal(profile.name, 'Alice Liddell');
  assert.equal(profile.email, 'alice@example.com');
  assert.equal(profile.email_verified, true);
  assert.equal(profile.nickname, 'alice');
  assert.equal(profile.clientID, 'latch-spa');
  assert.equal(Date.parse(profile.updated_at), ALICE_UPDATED_AT * 1000);
  assert.deepEqual(profile.identities, [
    { user_id: 'local-oidc|alice', provider: 'oidc', connection: 'local-oidc', isSocial: false },
  ]);

  // The page after the login: the demo shows the user, the widget closed, nothing left over.
  assert.equal(await page.textContent('#who'), 'Signed in as Alice Liddell');
  assert.equal(await page.locator('.latch').count(), 0, 'the widget closes once signed in');
  await assertResponseCleanedUp(page);
  assert.deepEqual(pageErrors, []);
});

test('a tampered code_verifier ends in invalid_grant, never in authenticated', async (t) => {
  const { context, page, pageErrors } = await freshPage(t);
  const { webUrl, issuer } = servers;
  const requests = recordLogin(page, { issuer, webUrl });

  const tampered = [];
  await context.route(`${issuer}/oauth/token`, async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const body = new URLSearchParams(request.postData() ?? '');
    const original = body.get('code_verifier');
    // Well-formed (43 unreserved characters) but not the one of the challenge.
    const forged = randomBytes(32).toString('base64url');
    body.set('code_verifier', forged);
    tampered.push({ original, forged });
    return route.continue({ postData: body.toString() });
  });

  await openDemo(page);
  await clickConnection(page, 'local-oidc');
  await loginAtProvider(page, { issuer });
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'invalid_grant');
  assert.equal(typeof error.errorDescription, 'string');

  assert.equal(tampered.length, 1, 'the token request went through the tampering route');
  const [{ original, forged }] = tampered;
  assert.notEqual(forged, original);
  // The untampered verifier would have matched: only the tampering made the exchange fail.
  assert.equal(requests.authorize[0].searchParams.get('code_challenge'), s256(original));

  await grace(page);
  // The panel's stylesheet and the token request go out together on the return page, so
  // either event may come first (they were 1 ms apart here): the two, and nothing else.
  assert.deepEqual((await eventNames(page)).sort(), ['authorization_error', 'show']);
  assert.equal(await page.locator('.latch .latch-error').count(), 1, 'the widget shows the error');
  await assertResponseCleanedUp(page);
  assert.deepEqual(pageErrors, []);
});

test('the auth0-oidc broker connection partner-tenant', async (t) => {
  const { page, pageErrors } = await freshPage(t);
  const { webUrl, issuer } = servers;
  const requests = recordLogin(page, { issuer, webUrl });

  await openDemo(page);
  await clickConnection(page, 'partner-tenant');
  await loginAtProvider(page, { issuer, user: 'alice' });
  const result = await waitForEvent(page, 'authenticated');

  assert.equal(requests.authorize.length, 1);
  assert.equal(requests.authorize[0].searchParams.get('connection'), 'partner-tenant');
  assert.equal(result.connection, 'partner-tenant');
  assert.equal(result.profile.user_id, 'auth0-oidc|partner-tenant|alice');
  assert.deepEqual(result.profile.identities, [
    { user_id: 'partner-tenant|alice', provider: 'auth0-oidc', connection: 'partner-tenant', isSocial: true },
  ]);
  assert.equal(result.profile.name, 'Alice Liddell');
  assert.equal(decodeJwt(result.idToken).payload.nonce, requests.authorize[0].searchParams.get('nonce'));
  await assertResponseCleanedUp(page);
  assert.deepEqual(pageErrors, []);
});

test('a replayed authorization response is refused with state_mismatch', async (t) => {
  const { page, pageErrors } = await freshPage(t);
  const { webUrl, issuer } = servers;
  const requests = recordLogin(page, { issuer, webUrl });

  await openDemo(page);
  await clickConnection(page, 'local-oidc');
  await loginAtProvider(page, { issuer });
  await waitForEvent(page, 'authenticated');
  assert.equal(requests.callbacks.length, 1);
  const [callbackUrl] = requests.callbacks;
  assert.ok(new URL(callbackUrl).searchParams.has('code'));
  assert.ok(new URL(callbackUrl).searchParams.has('state'));

  // The same response again, as a reload of a stale URL or a replay would bring it.
  await page.goto(callbackUrl);
  const error = await waitForEvent(page, 'authorization_error');
  assert.equal(error.error, 'state_mismatch');
  assert.ok(error.errorDescription.length > 0);

  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false, 'no authenticated after a replay');
  assert.equal(requests.token.length, 1, 'the replayed code was never sent to the token endpoint');
  await assertResponseCleanedUp(page);
  assert.deepEqual(pageErrors, []);
});

/** Go to the provider from the demo and press the login page's cancel link. */
async function cancelLogin(page) {
  await openDemo(page);
  await clickConnection(page, 'local-oidc');
  await cancelAtProvider(page, { issuer: servers.issuer });
  return waitForEvent(page, 'authorization_error');
}

test('cancelling at the provider ends in access_denied', async (t) => {
  const { page, pageErrors } = await freshPage(t);
  const requests = recordLogin(page, servers);

  const error = await cancelLogin(page);
  assert.equal(error.error, 'access_denied');
  assert.equal(typeof error.errorDescription, 'string');
  assert.ok(error.errorDescription.length > 0);

  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false);
  assert.equal(requests.token.length, 0, 'no token request without a code');
  // The demo page reports the failure from the event.
  assert.equal(await page.textContent('#problem'), `Login failed (access_denied): ${error.errorDescription}`);
  await assertResponseCleanedUp(page);
  assert.deepEqual(pageErrors, []);
});

test('the widget shows the access_denied error (not a fresh set of buttons)', async (t) => {
  const { page, pageErrors } = await freshPage(t);

  const error = await cancelLogin(page);
  await grace(page);
  const panel = page.locator('.latch');
  assert.equal(await panel.count(), 1, 'the widget is on the page');
  const shown = await panel.evaluate((el) => el.querySelector('.latch-body')?.textContent ?? '');
  const events = await eventNames(page);
  assert.equal(
    await panel.locator('.latch-error[role="alert"]').count(),
    1,
    `the widget should show the error; it shows ${JSON.stringify(shown)} after the events ${JSON.stringify(events)}`,
  );
  assert.equal(await panel.locator('.latch-error .latch-error-detail').textContent(), error.errorDescription);
  assert.equal(await panel.locator('.latch-error button.latch-retry').count(), 1);
  assert.deepEqual(pageErrors, []);
});
