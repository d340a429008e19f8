// The widget against a hostile OpenID provider (tests/support/hostile.mjs): every way the
// provider misbehaves must end in `authorization_error` with the code that names it, shown
// in the widget, and never in `authenticated`. A well-behaved scenario of the same provider
// logs in, so each refusal is the widget's doing and not a broken test server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SCENARIOS, startHostileProvider } from '../support/hostile.mjs';
import { startServers } from '../support/servers.mjs';
import {
  decodeJwt, eventNames, grace, launchBrowser, openPage, safetyTimer, transactionKeys, waitForEvent,
  waitForOutcome,
} from './support.mjs';

// About 45 logins: on a loaded two-core machine this file takes two minutes or more.
safetyTimer('tests/e2e/hostile.test.mjs', 8 * 60_000);

const CLIENT_ID = 'latch-hostile';
/** The broker's client configuration: one connection per scenario the broker cases use. */
const BROKER_CLIENT = 'hostile-app';
const BROKER_SCENARIOS = ['ok', 'wrong-iss', 'iss-param-mismatch', 'authorize-error', 'no-sub'];

let servers;
let hostile;
let browser;

before(async () => {
  [servers, hostile, browser] = await Promise.all([
    startServers(),
    startHostileProvider({
      clientConfigs: {
        [BROKER_CLIENT]: {
          id: BROKER_CLIENT,
          strategies: [{
            name: 'oidc',
            connections: BROKER_SCENARIOS.map((name) => ({ name, display_name: SCENARIOS[name] })),
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

/** A direct connection to the issuer of `scenario`. */
function direct(scenario, channel) {
  return {
    name: `direct-${scenario}`,
    display_name: SCENARIOS[scenario],
    issuer: hostile.issuerFor(scenario),
    client_id: CLIENT_ID,
    type: channel === 'front' ? 'front_channel' : 'back_channel',
  };
}

/**
 * Open the test page in a fresh context (closed when the test ends) with the widget set up
 * for `route`: a direct connection of `channel` to the scenario's own issuer, or the
 * hostile broker with the scenario as connection. Clicks the connection and returns once the
 * login is over, one way or the other.
 */
async function login(t, scenario, { route = 'direct', channel = 'back', params } = {}) {
  const setup = route === 'broker'
    ? { clientId: BROKER_CLIENT, domain: hostile.origin, options: { auth: { params } } }
    : { domain: '', options: { connections: [direct(scenario, channel)], auth: { params } } };
  const opened = await openPage(browser, { setup });
  t.after(() => opened.context.close());
  const { page } = opened;
  const issuer = route === 'broker' ? hostile.origin : hostile.issuerFor(scenario);
  const navigations = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  await page.goto(`${servers.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  const before = hostile.counts(route === 'broker' ? '' : scenario);
  const connection = route === 'broker' ? scenario : `direct-${scenario}`;
  await page.click(`.latch button.latch-connection[data-connection="${connection}"]`, { noWaitAfter: true });
  const outcome = await waitForOutcome(page);
  await grace(page, 300);
  const after = hostile.counts(route === 'broker' ? '' : scenario);
  const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
  return { ...opened, outcome, issuer, requests: delta, navigations };
}

/** The login ended in `authorization_error` with `code`, shown, and nothing of it left. */
async function assertRefused(result, code) {
  const { page, pageErrors, outcome } = result;
  const events = await eventNames(page);
  assert.equal(outcome.name, 'authorization_error', `expected ${code}, got ${JSON.stringify(outcome)}`);
  assert.equal(outcome.payload.error, code, outcome.payload.errorDescription);
  assert.ok(outcome.payload.errorDescription.length > 0);
  assert.equal(events.includes('authenticated'), false, `events: ${events}`);
  assert.deepEqual(events.filter((e) => e === 'authorization_error'), ['authorization_error']);
  assert.ok(
    result.navigations.every((u) => u.startsWith(`${servers.webUrl}/`) || u.startsWith(`${hostile.origin}/`)),
    `the page went only to the app and the provider: ${result.navigations}`,
  );
  const shown = page.locator('.latch .latch-error[role="alert"] .latch-error-detail');
  assert.equal(await shown.textContent(), outcome.payload.errorDescription, 'the widget shows the error');
  // Back on the app's page, the response gone from the address bar.
  const url = new URL(page.url());
  assert.equal(`${url.origin}${url.pathname}`, `${servers.webUrl}/e2e/app.html`);
  for (const p of ['code', 'state', 'iss', 'error', 'error_description', 'id_token']) {
    assert.equal(url.searchParams.has(p), false, `${p} left in ${url.href}`);
  }
  assert.equal(url.hash, '');
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(pageErrors, [], 'no uncaught error in the page');
}

async function assertAuthenticated(result, { clientId = CLIENT_ID } = {}) {
  const { page, pageErrors, outcome, issuer } = result;
  assert.equal(outcome.name, 'authenticated', JSON.stringify(outcome));
  const { payload } = decodeJwt(outcome.payload.idToken);
  assert.equal(payload.iss, issuer);
  assert.equal(payload.aud, clientId);
  assert.equal(outcome.payload.profile.sub, 'mallory');
  assert.equal((await eventNames(page)).includes('authorization_error'), false);
  assert.deepEqual(await transactionKeys(page), []);
  assert.deepEqual(pageErrors, []);
  return outcome.payload;
}

/**
 * [scenario, expected code, how many token requests the widget may make]. Whatever is wrong
 * with the authorization response itself must stop the login before the code is redeemed:
 * a code that came back through a mix-up (RFC 9207) must never reach a token endpoint.
 */
const BACK_CHANNEL_CASES = [
  ['wrong-iss', 'issuer_mismatch', 1],
  ['wrong-aud', 'audience_mismatch', 1],
  ['multi-aud-no-azp', 'azp_mismatch', 1],
  ['expired', 'token_expired', 1],
  ['iat-future', 'iat_in_future', 1],
  ['no-sub', 'missing_sub', 1],
  ['wrong-nonce', 'nonce_mismatch', 1],
  ['alg-none', 'unsupported_algorithm', 1],
  ['hs256-public-key', 'unsupported_algorithm', 1],
  ['bad-signature', 'invalid_signature', 1],
  ['empty-signature', 'invalid_signature', 1],
  ['foreign-key', 'invalid_signature', 1],
  ['iss-param-mismatch', 'iss_mismatch', 0],
  ['iss-param-missing', 'iss_missing', 0],
  ['token-not-json', 'server_error', 1],
  ['oversized-code', 'malformed_response', 0],
  ['oversized-id-token', 'malformed_id_token', 1],
  ['non-utf8-code', 'malformed_response', 0],
  ['raw-non-utf8-code', 'malformed_response', 0],
  ['non-utf8-error-description', 'malformed_response', 0],
];

// Cases of one describe run a few at a time: each has its own context and its own issuer
// (so its own request counters), and most of a case is waiting on the browser.
const CONCURRENCY = 2;

describe('a direct back-channel connection (code + PKCE) to a hostile provider', { concurrency: CONCURRENCY }, () => {
  test('control: the well-behaved scenario logs in (RS256)', async (t) => {
    const result = await login(t, 'ok');
    await assertAuthenticated(result);
    assert.equal(result.requests.token, 1);
    assert.equal(result.requests.jwks, 1);
  });

  test('control: ES256 and PS256 ID tokens log in', async (t) => {
    for (const scenario of ['ok-es256', 'ok-ps256']) {
      await t.test(scenario, async (st) => assertAuthenticated(await login(st, scenario)));
    }
  });

  for (const [scenario, code, tokenRequests] of BACK_CHANNEL_CASES) {
    test(`${SCENARIOS[scenario]}: authorization_error ${code}, never authenticated`, async (t) => {
      const result = await login(t, scenario);
      await assertRefused(result, code);
      assert.equal(result.requests.token, tokenRequests, 'token requests');
      if (tokenRequests === 0) assert.equal(result.requests.jwks, 0, 'no keys fetched for a refused response');
      // Refused is used up: no transaction is left behind, even by a response the widget
      // could not read.
      assert.deepEqual(await transactionKeys(result.page), []);
    });
  }

  test('an unknown kid is looked up again exactly once, then refused with key_not_found', async (t) => {
    const result = await login(t, 'unknown-kid');
    await assertRefused(result, 'key_not_found');
    assert.equal(result.requests.jwks, 2, 'one fetch and one refetch, no more');
  });

  test('a key rotated since the JWKS was fetched: one refetch, then the login succeeds', async (t) => {
    const result = await login(t, 'rotate');
    const payload = await assertAuthenticated(result);
    assert.equal(result.requests.jwks, 2, 'the first JWKS lacked the kid, the refetch had it');
    assert.match(decodeJwt(payload.idToken).header.kid, /^rotated-/);
  });

  test('an authorize error keeps the provider\'s description as text', async (t) => {
    const description = 'Access denied: <b>policy</b> & "rules"';
    const result = await login(t, 'authorize-error', { params: { login_hint: description } });
    await assertRefused(result, 'access_denied');
    assert.equal(result.outcome.payload.errorDescription, description);
  });

  test('a token endpoint error keeps the provider\'s code and description', async (t) => {
    const description = 'The authorization code was already redeemed';
    const result = await login(t, 'token-error', { params: { login_hint: description } });
    await assertRefused(result, 'invalid_grant');
    assert.equal(result.outcome.payload.errorDescription, description);
  });
});

describe('a hostile discovery document', { concurrency: CONCURRENCY }, () => {
  for (const [scenario, code] of [
    ['discovery-wrong-issuer', 'discovery_issuer_mismatch'],
    ['discovery-insecure-endpoint', 'discovery_insecure_endpoint'],
    ['discovery-loopback-lookalike', 'discovery_insecure_endpoint'],
    ['discovery-userinfo-loopback', 'discovery_insecure_endpoint'],
  ]) {
    test(`${SCENARIOS[scenario]}: unrecoverable_error ${code} before the user leaves`, async (t) => {
      const result = await login(t, scenario);
      const { page, pageErrors, outcome } = result;
      assert.equal(outcome.name, 'unrecoverable_error', JSON.stringify(outcome));
      assert.equal(outcome.payload.error, code, outcome.payload.errorDescription);
      assert.equal(
        await page.locator('.latch .latch-error .latch-error-detail').textContent(),
        outcome.payload.errorDescription,
      );
      assert.equal(page.url(), `${servers.webUrl}/e2e/app.html`, 'the user was not sent anywhere');
      assert.equal(result.requests.authorize, 0);
      assert.deepEqual(await transactionKeys(page), [], 'no login was started');
      assert.equal((await eventNames(page)).includes('authenticated'), false);
      assert.deepEqual(pageErrors, []);
    });
  }
});

/** The same checks on an ID token that arrives by form_post through the service worker. */
const FRONT_CHANNEL_CASES = [
  ['wrong-iss', 'issuer_mismatch'],
  ['wrong-aud', 'audience_mismatch'],
  ['expired', 'token_expired'],
  ['wrong-nonce', 'nonce_mismatch'],
  ['alg-none', 'unsupported_algorithm'],
  ['hs256-public-key', 'unsupported_algorithm'],
  ['bad-signature', 'invalid_signature'],
  ['iss-param-mismatch', 'iss_mismatch'],
  ['oversized-id-token', 'malformed_id_token'],
];

describe('a direct front-channel connection (id_token by form_post) to a hostile provider', { concurrency: CONCURRENCY }, () => {
  test('control: the well-behaved scenario logs in', async (t) => {
    const result = await login(t, 'ok', { channel: 'front' });
    await assertAuthenticated(result);
    assert.equal(result.requests.token, 0, 'the front channel makes no token request');
  });

  for (const [scenario, code] of FRONT_CHANNEL_CASES) {
    test(`front channel, ${SCENARIOS[scenario]}: authorization_error ${code}`, async (t) => {
      const result = await login(t, scenario, { channel: 'front' });
      await assertRefused(result, code);
      assert.equal(result.requests.token, 0);
      assert.deepEqual(await transactionKeys(result.page), []);
    });
  }
});

const BROKER_CASES = [
  ['wrong-iss', 'issuer_mismatch', 1],
  ['no-sub', 'missing_sub', 1],
  ['iss-param-mismatch', 'iss_mismatch', 0],
  ['authorize-error', 'access_denied', 0],
];

// One at a time: the broker is a single issuer, and the cases compare its request counters.
describe('a hostile broker (`domain`), the scenario named by the connection', () => {
  test('control: the well-behaved connection logs in through the broker', async (t) => {
    const result = await login(t, 'ok', { route: 'broker' });
    const payload = await assertAuthenticated(result, { clientId: BROKER_CLIENT });
    assert.equal(payload.connection, 'ok');
  });

  for (const [scenario, code, tokenRequests] of BROKER_CASES) {
    test(`broker, ${SCENARIOS[scenario]}: authorization_error ${code}`, async (t) => {
      const result = await login(t, scenario, { route: 'broker' });
      await assertRefused(result, code);
      assert.equal(result.requests.token, tokenRequests);
      assert.deepEqual(await transactionKeys(result.page), []);
    });
  }
});
