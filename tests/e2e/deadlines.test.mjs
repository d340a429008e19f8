// Every request has a deadline (issue 31). A provider whose token endpoint, discovery document
// or client configuration never answers: the request is aborted when `auth.requestTimeout`
// passes, and the flow that waited for it ends in `timeout` instead of waiting forever. A
// renewal tries once more first (as for a reset connection or a 5xx), the cross-tab renewal
// lock is let go, and nothing is forgotten. Playwright's routes hold the requests: a held
// request is one the provider never sees, as when the network drops it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startServers } from '../support/servers.mjs';
import {
  eventNames, latchEvents, loginAtProvider, openPage, serversAndBrowser, waitForEvent,
} from './support.mjs';

const env = serversAndBrowser('tests/e2e/deadlines.test.mjs');

/** Small, so the tests stay fast; the local provider answers in a few ms. */
const DEADLINE = 1_500;
/** The core's RETRY_DELAY_MS (src/core/request.rs). */
const RETRY_DELAY = 1_000;
/** How long a test waits for what old code never did. */
const PATIENCE = 12_000;

const app = () => `${env.servers.webUrl}/e2e/app.html`;
const tokenEndpoint = () => `${env.servers.issuer}/oauth/token`;

/** Whether `request` is a refresh_token grant. */
const isRefresh = (request) => request.method() === 'POST'
  && new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token';

/** Opens the app and logs in with local-oidc; the `authenticated` payload. */
async function logIn(page) {
  await page.goto(app());
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: env.servers.issuer });
  return waitForEvent(page, 'authenticated');
}

/** getTokenSilently({ cacheMode: 'off' }) on `page`: how it settled, and after how many ms;
 *  `{ hung: true }` if it had not within PATIENCE. */
function renew(page) {
  return page.evaluate(async (patience) => {
    const start = performance.now();
    const outcome = await Promise.race([
      window.latch.getTokenSilently({ cacheMode: 'off' }).then((token) => ({ token }), (error) => ({ error })),
      new Promise((resolve) => { setTimeout(() => resolve({ hung: true }), patience); }),
    ]);
    return { ...outcome, ms: performance.now() - start };
  }, PATIENCE);
}

/** The panel's error: its detail text, with a retry button and no spinner left. */
async function shownError(page) {
  const alert = page.locator('.latch .latch-error[role="alert"]');
  await alert.waitFor({ timeout: PATIENCE });
  assert.equal(await alert.locator('button.latch-retry').count(), 1);
  assert.equal(await page.locator('.latch [aria-busy="true"], .latch .latch-status').count(), 0, 'no spinner left');
  return alert.locator('.latch-error-detail').textContent();
}

test('a hung refresh: getTokenSilently rejects with timeout after one retry, the session stays, and the other tab then renews', async (t) => {
  const options = { auth: { useRefreshTokens: true, sso: true, requestTimeout: DEADLINE } };
  const { context, page: first, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  const login = await logIn(first);
  // The second tab signs in on load (auth.sso), with a refresh token of its own.
  const second = await context.newPage();
  await second.goto(app());
  await waitForEvent(second, 'authenticated');

  // The first tab's refresh requests never get an answer.
  const held = [];
  await first.route(tokenEndpoint(), (route) => {
    if (!isRefresh(route.request())) return route.continue();
    held.push(route);
    return undefined;
  });
  const secondsRefreshes = [];
  second.on('request', (r) => { if (r.url() === tokenEndpoint() && isRefresh(r)) secondsRefreshes.push(r); });

  const firstRenewal = renew(first);
  // The second tab asks while the first holds the cross-tab renewal lock: it waits its turn.
  await first.waitForTimeout(300);
  const secondRenewal = renew(second);
  const [a, b] = await Promise.all([firstRenewal, secondRenewal]);

  assert.equal(a.error?.error, 'timeout', JSON.stringify(a));
  assert.ok(a.error.errorDescription.includes(`token endpoint ${tokenEndpoint()}`), a.error.errorDescription);
  assert.ok(a.error.errorDescription.includes(`${DEADLINE} ms`), a.error.errorDescription);
  assert.equal(held.length, 2, 'one retry, no more');
  const bound = 2 * DEADLINE + RETRY_DELAY;
  assert.ok(a.ms >= bound - 100 && a.ms < bound + 2_000, `rejected after ${a.ms} ms`);
  // The lock was let go: the second tab renewed, after the first gave up.
  assert.ok(typeof b.token === 'string' && b.token !== login.accessToken, JSON.stringify(b));
  assert.equal(secondsRefreshes.length, 1);
  // Nothing forgotten: a timeout is no refusal. The first tab is still signed in, and takes
  // the token the second renewed.
  assert.ok(!(await eventNames(first)).includes('signed_out'));
  assert.notEqual(await first.evaluate(() => window.latch.getUser()), null);
  await first.waitForFunction((token) => window.latch.getTokens()?.accessToken === token, b.token);
  assert.deepEqual(pageErrors, []);
});

test('auth.autoRenew with a hung refresh: renewal_error with timeout, and the login stays', async (t) => {
  // Access tokens of 62 s with the default leeway of 60 s: due for renewal at once, which
  // auth.autoRenew puts off to 5 s after the login.
  const shortLived = await startServers({ accessTokenTtl: 62 });
  t.after(() => shortLived.close());
  const options = { auth: { useRefreshTokens: true, autoRenew: true, requestTimeout: DEADLINE } };
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  const held = [];
  await page.route(`${shortLived.issuer}/oauth/token`, (route) => {
    if (!isRefresh(route.request())) return route.continue();
    held.push(route);
    return undefined;
  });
  await page.goto(`${shortLived.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: shortLived.issuer });
  await waitForEvent(page, 'authenticated');
  const since = (await latchEvents(page)).length;

  const failed = await waitForEvent(page, 'renewal_error', { since, timeout: 5_000 + 2 * DEADLINE + RETRY_DELAY + PATIENCE });
  assert.equal(failed.error, 'timeout', JSON.stringify(failed));
  assert.ok(failed.errorDescription.includes(`token endpoint ${shortLived.issuer}/oauth/token`), failed.errorDescription);
  assert.equal(held.length, 2, 'one retry, no more');
  assert.ok(!(await eventNames(page)).includes('signed_out'));
  assert.notEqual(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(pageErrors, []);
});

test('a token endpoint that resets the connection or answers 5xx: one retry, which may succeed; a second 5xx is server_error, the session kept', async (t) => {
  const options = { auth: { useRefreshTokens: true, requestTimeout: DEADLINE } };
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  await logIn(page);
  // What the token endpoint does with each refresh request, in turn; `continue` once the
  // list is spent.
  const plan = [];
  const seen = [];
  await page.route(tokenEndpoint(), (route) => {
    if (!isRefresh(route.request())) return route.continue();
    const step = plan.shift() ?? 'continue';
    seen.push(step);
    if (step === 'reset') return route.abort('connectionreset');
    if (step === 'continue') return route.continue();
    return route.fulfill({ status: step, contentType: 'text/html', body: '<h1>Bad gateway</h1>' });
  });

  for (const first of [503, 'reset', 500]) {
    plan.push(first);
    seen.length = 0;
    const renewed = await renew(page);
    assert.equal(typeof renewed.token, 'string', `${first}: ${JSON.stringify(renewed)}`);
    assert.deepEqual(seen, [first, 'continue']);
  }

  plan.push(502, 503);
  seen.length = 0;
  const failed = await renew(page);
  assert.equal(failed.error?.error, 'temporarily_unavailable', JSON.stringify(failed));
  assert.equal(failed.error.errorDescription, 'HTTP status 503');
  assert.deepEqual(seen, [502, 503], 'one retry, no more');
  plan.push(500, 500);
  const again = await renew(page);
  assert.equal(again.error?.error, 'server_error', JSON.stringify(again));
  assert.equal(again.error.errorDescription, 'HTTP status 500');
  assert.ok(!(await eventNames(page)).includes('signed_out'));
  assert.notEqual(await page.evaluate(() => window.latch.getUser()), null);
  // The provider back: the same login renews.
  assert.equal(typeof (await renew(page)).token, 'string');
  assert.deepEqual(pageErrors, []);
});

test('a hung code exchange ends the login with timeout (authorization_error), and the next login works', async (t) => {
  const options = { auth: { requestTimeout: DEADLINE } };
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  const held = [];
  await context.route(tokenEndpoint(), (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    held.push(route);
    return undefined;
  });
  await page.goto(app());
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: env.servers.issuer });
  const error = await waitForEvent(page, 'authorization_error', { timeout: PATIENCE });
  assert.equal(error.error, 'timeout');
  assert.ok(error.errorDescription.includes(`token endpoint ${tokenEndpoint()}`), error.errorDescription);
  assert.equal(held.length, 1, 'a code is never sent twice');
  assert.equal(await shownError(page), error.errorDescription);
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);

  // The provider answers again: the next login works (the user is still signed in there,
  // so it comes straight back).
  await context.unroute(tokenEndpoint());
  await page.click('.latch .latch-error button.latch-retry');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  // The page left and came back: its events start again.
  await page.waitForURL((url) => url.search.includes('code='), { waitUntil: 'commit' });
  const login = await waitForEvent(page, 'authenticated');
  assert.equal(login.connection, 'local-oidc');
  assert.equal(await page.evaluate(() => window.latch.getUser()?.sub), 'alice');
  assert.deepEqual(pageErrors, []);
});

test('a hung client configuration: unrecoverable_error timeout shown in the panel, not a spinner forever', async (t) => {
  const options = { auth: { requestTimeout: DEADLINE } };
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  const configuration = `${env.servers.issuer}/client/latch-spa.js`;
  await context.route(configuration, () => undefined);
  await page.goto(app());
  const error = await waitForEvent(page, 'unrecoverable_error', { timeout: PATIENCE });
  assert.equal(error.error, 'timeout');
  assert.equal(error.errorDescription, `the document ${configuration} did not answer within ${DEADLINE} ms`);
  assert.equal(await shownError(page), error.errorDescription);
  assert.deepEqual(pageErrors, []);
});

test('a hung discovery document: the login ends in unrecoverable_error timeout, shown in the panel, not a spinner forever', async (t) => {
  const options = { auth: { requestTimeout: DEADLINE } };
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  const discovery = `${env.servers.issuer}/.well-known/openid-configuration`;
  await context.route(discovery, () => undefined);
  await page.goto(app());
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  const ended = await waitForEvent(page, 'unrecoverable_error', { timeout: PATIENCE });
  assert.equal(ended.error, 'timeout', JSON.stringify(ended));
  assert.equal(ended.errorDescription, `the document ${discovery} did not answer within ${DEADLINE} ms`);
  assert.equal(await shownError(page), ended.errorDescription);
  assert.equal(page.url(), app(), 'the page never left');
  assert.deepEqual(pageErrors, []);
});

test('a hung userinfo endpoint: getUserInfo rejects with timeout within the deadline', async (t) => {
  const options = { auth: { requestTimeout: DEADLINE } };
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options } });
  t.after(() => context.close());
  const login = await logIn(page);
  const userinfo = `${env.servers.issuer}/userinfo`;
  const held = [];
  await context.route(userinfo, (route) => { held.push(route); });
  const out = await page.evaluate(async ({ token, patience }) => {
    const start = performance.now();
    const outcome = await Promise.race([
      window.latch.getUserInfo(token).then((profile) => ({ profile }), (error) => ({ error })),
      new Promise((resolve) => { setTimeout(() => resolve({ hung: true }), patience); }),
    ]);
    return { ...outcome, ms: performance.now() - start };
  }, { token: login.accessToken, patience: PATIENCE });
  assert.equal(out.error?.error, 'timeout', JSON.stringify(out));
  assert.equal(out.error.errorDescription, `the userinfo endpoint ${userinfo} did not answer within ${DEADLINE} ms`);
  assert.ok(out.ms >= DEADLINE - 100 && out.ms < DEADLINE + 2_000, `rejected after ${out.ms} ms`);
  assert.equal(held.length, 1);
  assert.notEqual(await page.evaluate(() => window.latch.getUser()), null, 'the login stays');
  assert.deepEqual(pageErrors, []);
});
