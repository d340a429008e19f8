// Sessions without leaving the page (issue 19). Lock's checkSession: is the user still
// signed in at the provider? A hidden iframe with prompt=none, answered by web message, and
// validated as any return is. Popup logins: the same answer, from a window of its own. Against the local oidc-provider, whose app and provider are
// on 127.0.0.1 (one site, so its session cookie reaches the iframe).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startHostileProvider } from '../support/hostile.mjs';
import { startServers } from '../support/servers.mjs';
import {
  eventNames, grace, latchEvents, loginAtProvider, openPage, serversAndBrowser, waitForEvent,
} from './support.mjs';

// The local servers and one browser, up before the first test and closed after the last.
const env = serversAndBrowser('tests/e2e/session.test.mjs');

/** Opens the test app at `url` and logs in with local-oidc; the `authenticated` payload. */
async function logIn(page, url = `${env.servers.webUrl}/e2e/app.html`, issuer = env.servers.issuer) {
  await page.goto(url);
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer });
  return waitForEvent(page, 'authenticated');
}

/** Waits until `ready()` holds (what a response listener records arrives a little after). */
async function until(ready, ms = 5_000) {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The refresh tokens `target` (a page, or a whole context) sends in refresh_token grants,
 *  in order, as they are sent. */
function refreshTokensSentBy(target) {
  const sent = [];
  target.on('request', (r) => {
    const body = new URLSearchParams(r.postData() ?? '');
    if (new URL(r.url()).pathname === '/oauth/token' && body.get('grant_type') === 'refresh_token') sent.push(body.get('refresh_token'));
  });
  return sent;
}

/** The refresh tokens the provider's token answers to `page` carry, in order (they arrive a
 *  little after the answer: wait with `until`). */
function refreshTokensIssuedTo(page) {
  const issued = [];
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname === '/oauth/token' && r.request().method() === 'POST') {
      const json = await r.json().catch(() => ({}));
      if (json.refresh_token) issued.push(json.refresh_token);
    }
  });
  return issued;
}

/** Servers of their own whose provider's access tokens live `ttl` seconds, and a page set up
 *  with `options`; both closed when the test ends. */
async function shortLivedApp(t, ttl, options) {
  const shortLived = await startServers({ accessTokenTtl: ttl });
  t.after(() => shortLived.close());
  const opened = await openPage(env.browser, { setup: { options } });
  t.after(() => opened.context.close());
  return { shortLived, ...opened };
}

/** What checkSession settled with, and what it left behind. */
async function checkSession(page, options) {
  await page.waitForFunction(() => window.latch);
  return page.evaluate(async (opts) => {
    const frames = () => document.querySelectorAll('iframe').length;
    const during = [];
    const watcher = new MutationObserver(() => during.push(frames()));
    watcher.observe(document.body, { childList: true, subtree: true });
    let outcome;
    try {
      outcome = { result: await window.latch.checkSession(opts) };
    } catch (error) {
      outcome = { error };
    }
    watcher.disconnect();
    const transactions = Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'));
    return { ...outcome, frames: frames(), sawFrame: during.some((n) => n > 0), transactions, url: location.href };
  }, options);
}

test('checkSession without a session at the provider: login_required, and nothing left behind', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  const url = page.url();
  const out = await checkSession(page, { connection: 'local-oidc' });
  assert.equal(out.error?.error, 'login_required', JSON.stringify(out));
  assert.deepEqual(warnings.filter((w) => w.includes('third-party')), [], 'not signed in: nothing suspicious');
  assert.ok(out.sawFrame, 'it asked through an iframe');
  assert.equal(out.frames, 0, 'the iframe is gone');
  assert.deepEqual(out.transactions, [], 'the attempt used up its transaction');
  assert.equal(out.url, url, 'the page never navigated');
  assert.deepEqual(pageErrors, []);
});

test('checkSession after a login: the user, validated, without leaving the page; the callback form too', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser);
  t.after(() => context.close());
  const tokens = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/oauth/token' && r.method() === 'POST') tokens.push(new URLSearchParams(r.postData()));
  });
  await logIn(page);

  // A new page load: the widget knows nothing, the provider's session does.
  await page.evaluate(() => sessionStorage.setItem('latch-e2e', JSON.stringify({ show: false })));
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  const authorizeRequests = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/authorize') authorizeRequests.push(u);
  });
  const url = page.url();
  const out = await checkSession(page, {});
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  assert.equal(out.result.profile.user_id, 'oidc|local-oidc|alice');
  assert.equal(out.result.idTokenPayload.sub, 'alice');
  assert.equal(out.url, url);
  assert.equal(out.frames, 0);
  assert.deepEqual(out.transactions, []);
  // prompt=none, web_message, PKCE S256, the remembered connection; the code exchanged with
  // its verifier.
  const asked = authorizeRequests.at(-1).searchParams;
  assert.equal(asked.get('prompt'), 'none');
  assert.equal(asked.get('response_mode'), 'web_message');
  assert.equal(asked.get('code_challenge_method'), 'S256');
  assert.equal(asked.get('connection'), 'local-oidc');
  assert.ok(tokens.at(-1).get('code_verifier'));
  const events = await page.evaluate(() => window.latchEvents.map((e) => e.name));
  assert.ok(events.includes('authenticated'), events.join());
  assert.equal((await page.evaluate(() => window.latch.getUser()))?.user_id, 'oidc|local-oidc|alice');

  // Lock's callback form.
  const called = await page.evaluate(() => new Promise((resolve) => {
    window.latch.checkSession({}, (error, result) => resolve({ error, user: result?.profile.user_id }));
  }));
  assert.deepEqual(called, { error: null, user: 'oidc|local-oidc|alice' });
  assert.deepEqual(pageErrors, []);
});

test('checkSession that gets no answer in time: timeout, the iframe removed', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  // The provider is slow to answer the silent request.
  await context.route(`${env.servers.issuer}/authorize**`, async (route) => {
    await new Promise((r) => setTimeout(r, 1_500));
    await route.continue().catch(() => {});
  });
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  const out = await checkSession(page, { connection: 'local-oidc', timeout: 300 });
  assert.equal(out.error?.error, 'timeout', JSON.stringify(out));
  assert.equal(out.frames, 0);
  assert.deepEqual(out.transactions, []);
  assert.deepEqual(pageErrors, []);
});

test('checkSession options of the wrong shape: invalid_option naming the member', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  const out = await checkSession(page, { timeout: 'soon' });
  assert.equal(out.error?.error, 'invalid_option');
  assert.match(out.error.errorDescription, /timeout/);
  assert.deepEqual(pageErrors, []);
});

test('login and authorizeUrl options of the wrong shape: invalid_option naming the member, nothing opened or stored', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  const popups = [];
  context.on('page', (p) => popups.push(p));
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);
  const outcomes = await page.evaluate(async () => {
    const settle = (p) => p.then((value) => ({ value }), (error) => ({ error }));
    return {
      popup: await settle(window.latch.login({ connection: 'local-oidc', popup: 'yes' })),
      timeout: await settle(window.latch.login({ connection: 'local-oidc', popup: true, timeout: -1 })),
      connection: await settle(window.latch.authorizeUrl({ connection: 7 })),
      none: await settle(window.latch.authorizeUrl()),
      stored: Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.')),
    };
  });
  for (const [member, named] of [['popup', /popup/], ['timeout', /timeout/], ['connection', /connection/], ['none', /authorizeUrl options/]]) {
    assert.equal(outcomes[member].error?.error, 'invalid_option', `${member}: ${JSON.stringify(outcomes[member])}`);
    assert.match(outcomes[member].error.errorDescription, named);
  }
  assert.deepEqual(outcomes.stored, []);
  assert.deepEqual(popups, [], 'no popup was opened');
  assert.equal(page.url(), `${env.servers.webUrl}/e2e/app.html`);
  assert.deepEqual(pageErrors, []);
});

test('auth.redirect false: a widget button logs in in a popup, and the page never navigates', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options: { auth: { redirect: false } } } });
  t.after(() => context.close());
  const navigations = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');
  const popupOpened = context.waitForEvent('page');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]');
  const popup = await popupOpened;
  await loginAtProvider(popup, { issuer: env.servers.issuer });
  const result = await waitForEvent(page, 'authenticated');
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  await popup.waitForEvent('close', { timeout: 5_000 }).catch(() => {});
  assert.ok(popup.isClosed(), 'the widget closed its popup');
  assert.deepEqual(navigations, [`${env.servers.webUrl}/e2e/app.html`], 'the page itself never left');
  assert.equal(await page.locator('.latch').count(), 0, 'the widget closed, as after a redirect login');
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'))), []);
  assert.deepEqual(pageErrors, []);
});

test('login({ popup: true }) resolves to the result; a popup the user closes is popup_closed', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);

  let popupOpened = context.waitForEvent('page');
  const closed = page.evaluate(() => window.latch.login({ connection: 'local-oidc', popup: true }).then(
    () => ({ resolved: true }),
    (error) => ({ error }),
  ));
  let popup = await popupOpened;
  await popup.waitForSelector('input[name="login"]');
  await popup.close();
  const out = await closed;
  assert.equal(out.error?.error, 'popup_closed', JSON.stringify(out));
  assert.equal((await page.evaluate(() => window.latchEvents.at(-1))).name, 'authorization_error');
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'))), []);

  popupOpened = context.waitForEvent('page');
  const done = page.evaluate(() => window.latch.login({ connection: 'local-oidc', popup: true, appState: { to: '/x' } }));
  popup = await popupOpened;
  await loginAtProvider(popup, { issuer: env.servers.issuer });
  const result = await done;
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  assert.deepEqual(result.appState, { to: '/x' });
  assert.deepEqual(pageErrors, []);
});

test('a popup the browser blocks: popup_blocked, before anything else happens', async (t) => {
  // The app runs in an iframe sandboxed without allow-popups: the browser refuses any
  // window it tries to open, as a popup blocker does.
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  const authorize = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/authorize') authorize.push(r.url()); });
  // A page of the app's own origin holds the sandboxed frame.
  await page.goto(`${env.servers.webUrl}/demo-config.json`);
  await page.setContent(`<iframe sandbox="allow-scripts allow-same-origin" src="${env.servers.webUrl}/e2e/app.html"></iframe>`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => window.latch);
  const out = await frame.evaluate(() => window.latch.login({ connection: 'local-oidc', popup: true, timeout: 3_000 }).then(
    () => ({ resolved: true }),
    (error) => ({ error }),
  ));
  assert.equal(out.error?.error, 'popup_blocked', JSON.stringify(out));
  assert.deepEqual(authorize, []);
  assert.deepEqual(await frame.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'))), []);
  assert.deepEqual(pageErrors, []);
});

test('tabs in step: a login in one tab is picked up by another without a prompt, a logout signs both out', async (t) => {
  const { context, page: first, pageErrors } = await openPage(env.browser);
  t.after(() => context.close());
  const second = await context.newPage();
  const secondErrors = [];
  second.on('pageerror', (e) => secondErrors.push(e));
  const secondNavigations = [];
  second.on('framenavigated', (f) => { if (f === second.mainFrame()) secondNavigations.push(f.url()); });
  await second.goto(`${env.servers.webUrl}/e2e/app.html`);
  await waitForEvent(second, 'signin ready');

  await first.goto(`${env.servers.webUrl}/e2e/app.html`);
  await waitForEvent(first, 'signin ready');
  await first.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(first, { issuer: env.servers.issuer });
  const own = await waitForEvent(first, 'authenticated');

  // The second tab hears of it and gets its own tokens silently: no prompt, no navigation.
  const picked = await waitForEvent(second, 'authenticated');
  assert.equal(picked.profile.user_id, 'oidc|local-oidc|alice');
  assert.notEqual(picked.idToken, own.idToken, 'its own tokens: none crossed between the tabs');
  assert.deepEqual(secondNavigations, [`${env.servers.webUrl}/e2e/app.html`]);

  // A logout in the first tab signs the second out too.
  const leaving = first.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await first.evaluate(() => { window.latch.logout({ returnTo: location.href }); });
  await leaving;
  await second.waitForFunction(() => window.latchEvents.some((e) => e.name === 'signed_out'), null, { timeout: 5_000 });
  assert.equal(await second.evaluate(() => window.latch.getUser()), null);
  assert.equal(await second.evaluate(() => window.latch.getTokens()), null);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(secondErrors, []);
});

test('logout with a returnTo it refuses changes nothing: the user stays signed in, here and in the other tabs', async (t) => {
  const { context, page: first, pageErrors } = await openPage(env.browser);
  t.after(() => context.close());
  const app = `${env.servers.webUrl}/e2e/app.html`;
  const second = await context.newPage();
  await second.goto(app);
  await waitForEvent(second, 'signin ready');
  const own = await logIn(first);
  // The second tab picks the login up (its own tokens), as in the test above.
  const picked = await waitForEvent(second, 'authenticated');
  const logouts = [];
  context.on('request', (r) => { if (new URL(r.url()).pathname === '/v2/logout') logouts.push(new URL(r.url())); });

  for (const returnTo of ['javascript:alert(1)', 'https://user:secret@app.example/', 'not a url']) {
    const out = await first.evaluate((to) => window.latch.logout({ returnTo: to }).then((url) => ({ url }), (error) => ({ error })), returnTo);
    assert.equal(out.error?.error, 'invalid_option', `${returnTo}: ${JSON.stringify(out)}`);
    assert.match(out.error.errorDescription, /returnTo/);
    // Still signed in: the same user and the same tokens.
    assert.equal((await first.evaluate(() => window.latch.getUser()))?.user_id, 'oidc|local-oidc|alice', returnTo);
    assert.equal((await first.evaluate(() => window.latch.getTokens()))?.idToken, own.idToken, returnTo);
  }
  await grace(second);
  assert.deepEqual((await eventNames(second)).filter((e) => e === 'signed_out'), [], 'no other tab was told of a logout');
  assert.equal((await second.evaluate(() => window.latch.getTokens()))?.idToken, picked.idToken);
  assert.deepEqual((await eventNames(first)).filter((e) => e === 'signed_out'), []);
  assert.deepEqual(logouts, [], 'the page was never sent to the provider');
  assert.equal(first.url(), app);

  // The logout the app then asks for properly still has the login to name.
  const leaving = first.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await first.evaluate(() => { window.latch.logout({ returnTo: location.href }); });
  const url = new URL((await leaving).url());
  assert.equal(url.searchParams.get('id_token_hint'), own.idToken);
  await second.waitForFunction(() => window.latchEvents.some((e) => e.name === 'signed_out'), null, { timeout: 5_000 });
  assert.deepEqual(pageErrors, []);
});

test('auth.sso: after a reload, and in a new tab, the user is signed in again with no visible redirect', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options: { auth: { sso: true } } } });
  t.after(() => context.close());
  await logIn(page);

  for (const tab of [page, await context.newPage()]) {
    const navigations = [];
    tab.on('framenavigated', (f) => { if (f === tab.mainFrame()) navigations.push(f.url()); });
    if (tab === page) await tab.reload();
    else await tab.goto(`${env.servers.webUrl}/e2e/app.html`);
    const again = await waitForEvent(tab, 'authenticated');
    assert.equal(again.profile.user_id, 'oidc|local-oidc|alice');
    assert.deepEqual(navigations, [`${env.servers.webUrl}/e2e/app.html`], 'the page went nowhere');
    assert.deepEqual(await tab.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'))), []);
  }
  assert.deepEqual(pageErrors, []);
});

test('checkSession takes its answer only from its own iframe at the provider: forged messages are ignored', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  const tokenRequests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/oauth/token') tokenRequests.push(r.url()); });
  // A page of the provider's origin that is not the widget's iframe, and says it has the answer.
  await context.route(`${env.servers.issuer}/forged?*`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<script>
      const state = new URLSearchParams(location.search).get('state');
      parent.postMessage({ type: 'authorization_response', response: { code: 'forged', state } }, '*');
    </script>`,
  }));
  await page.goto(`${env.servers.webUrl}/e2e/app.html`);
  await page.waitForFunction(() => window.latch);
  const out = await page.evaluate(async (issuer) => {
    const pending = window.latch.checkSession({ connection: 'local-oidc' }).then((r) => ({ result: r }), (error) => ({ error }));
    // Once the attempt's transaction exists, forge its answer twice: from this page (another
    // origin) and from another window of the provider's origin.
    while (!Object.keys(sessionStorage).some((k) => k.startsWith('latch.tx.'))) await new Promise((r) => setTimeout(r, 5));
    const state = Object.keys(sessionStorage).find((k) => k.startsWith('latch.tx.')).slice('latch.tx.'.length);
    window.postMessage({ type: 'authorization_response', response: { code: 'forged', state } }, '*');
    const other = document.createElement('iframe');
    other.src = `${issuer}/forged?state=${encodeURIComponent(state)}`;
    document.body.append(other);
    return pending;
  }, env.servers.issuer);
  // The genuine answer (no session at the provider) is the one taken; no forged code was sent.
  assert.equal(out.error?.error, 'login_required', JSON.stringify(out));
  assert.deepEqual(tokenRequests, []);
  assert.deepEqual(pageErrors, []);
});

test('refresh tokens: getTokenSilently renews with no navigation, callers share one request, the token never reaches storage', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options: { auth: { useRefreshTokens: true } } } });
  t.after(() => context.close());
  const refreshes = refreshTokensSentBy(page);
  const issued = refreshTokensIssuedTo(page);
  const login = await logIn(page);
  const url = page.url();

  // Still good: from memory, no request.
  assert.equal(await page.evaluate(() => window.latch.getTokenSilently()), login.accessToken);
  assert.deepEqual(refreshes, []);
  // Renewed, by three callers at once: one refresh request, one new token for all.
  const renewed = await page.evaluate(() => Promise.all([1, 2, 3].map(() => window.latch.getTokenSilently({ cacheMode: 'off' }))));
  assert.equal(refreshes.length, 1);
  assert.equal(new Set(renewed).size, 1);
  assert.notEqual(renewed[0], login.accessToken);
  assert.equal((await page.evaluate(() => window.latch.getTokens())).accessToken, renewed[0]);
  // Rotation: the next renewal spends the new refresh token, not the first.
  await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  assert.equal(refreshes.length, 2);
  await until(() => issued.length === 3);
  assert.equal(refreshes[0], issued[0]);
  assert.equal(refreshes[1], issued[1]);
  assert.notEqual(refreshes[1], refreshes[0]);
  assert.equal(page.url(), url, 'no navigation');
  // Nothing of the refresh token in storage, or anywhere a page script could read it.
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  for (const token of issued) assert.ok(!stored.includes(token));
  assert.deepEqual(pageErrors, []);
});

test('refresh tokens: a rotated token used again revokes the grant, and the widget signs out', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options: { auth: { useRefreshTokens: true } } } });
  t.after(() => context.close());
  const issued = refreshTokensIssuedTo(page);
  await logIn(page);
  await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  await until(() => issued.length === 2);

  // Someone replays the first, already rotated, refresh token: the provider revokes the grant.
  const replay = await fetch(`${env.servers.issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: issued[0], client_id: 'latch-spa' }),
  });
  assert.equal(replay.status, 400);

  const out = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }).then((token) => ({ token }), (error) => ({ error })));
  assert.equal(out.error?.error, 'invalid_grant', JSON.stringify(out));
  await page.waitForFunction(() => window.latchEvents.some((e) => e.name === 'signed_out'));
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.equal(await page.evaluate(() => window.latch.getTokens()), null);
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.'))), []);
  assert.deepEqual(pageErrors, []);
});

test('third-party cookies blocked (app at localhost, provider at 127.0.0.1): checkSession is login_required, refresh tokens still renew', async (t) => {
  // Chromium blocks third-party cookies here: the provider's session cookie, set when the
  // user logged in at the provider's own site, does not reach its iframe in the app's site.
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { options: { auth: { useRefreshTokens: true } } } });
  t.after(() => context.close());
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const app = `${env.servers.webUrl.replace('127.0.0.1', 'localhost')}/e2e/app.html`;
  const login = await logIn(page, app);

  const silent = await checkSession(page, { connection: 'local-oidc' });
  assert.equal(silent.error?.error, 'login_required', JSON.stringify(silent));
  // Detected: a signed-in tab told there is no session. The console says what to do.
  assert.ok(warnings.some((w) => w.includes('third-party cookies blocked') && w.includes('auth.useRefreshTokens')), JSON.stringify(warnings));
  // The documented fallback: the refresh token needs no cookie.
  const renewed = await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  assert.ok(renewed && renewed !== login.accessToken);
  assert.equal(page.url(), app);
  assert.deepEqual(pageErrors, []);
});

test('two tabs renewing at once (Web Locks): one refresh request, the same new token in both, no refresh token spent twice', async (t) => {
  // Access tokens of 62 s with the default leeway of 60 s: 2 s after they were issued they
  // need renewing.
  const { shortLived, context, page: first, pageErrors } = await shortLivedApp(t, 62, { auth: { useRefreshTokens: true, sso: true } });
  const refreshes = refreshTokensSentBy(context);
  const app = `${shortLived.webUrl}/e2e/app.html`;
  await logIn(first, app, shortLived.issuer);
  // The second tab signs in on load (auth.sso), with a refresh token of its own.
  const second = await context.newPage();
  const secondErrors = [];
  second.on('pageerror', (e) => secondErrors.push(e));
  await second.goto(app);
  await waitForEvent(second, 'authenticated');
  const due = async (tab) => {
    const { expiresAt } = await tab.evaluate(() => window.latch.getTokens());
    return expiresAt - 60_000;
  };
  const dueAt = Math.max(await due(first), await due(second));
  await new Promise((r) => { setTimeout(r, dueAt - Date.now() + 100); });

  const renew = (tab) => tab.evaluate(() => window.latch.getTokenSilently());
  const [a, b] = await Promise.all([renew(first), renew(second)]);
  assert.equal(refreshes.length, 1, 'one tab renewed, the other took its token');
  assert.equal(a, b);
  for (const tab of [first, second]) {
    assert.equal((await tab.evaluate(() => window.latch.getTokens())).accessToken, a);
    assert.equal(await tab.evaluate(() => window.latchEvents.filter((e) => e.name === 'renewed').length), 1);
  }
  // Each tab's own refresh token still works afterwards: none was spent twice or revoked.
  const fresh = (tab) => tab.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  const secondsOwn = await fresh(second);
  // The first tab takes that token too; a fresh one asked for afterwards is its own renewal.
  await first.waitForFunction((token) => window.latch.getTokens()?.accessToken === token, secondsOwn);
  await fresh(first);
  assert.equal(refreshes.length, 3);
  assert.equal(new Set(refreshes).size, 3, 'no refresh token was used twice');
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(secondErrors, []);
});

test('two widgets of one app asking for different audiences: neither takes the access token the other renewed', async (t) => {
  const { context, page: first, pageErrors } = await openPage(env.browser);
  t.after(() => context.close());
  const app = `${env.servers.webUrl}/e2e/app.html`;
  // One client id (so one channel between the tabs and one user), two APIs.
  const widgetFor = (page, audience, sso) => page.addInitScript((value) => {
    if (window === window.top) sessionStorage.setItem('latch-e2e', value);
  }, JSON.stringify({ options: { auth: { useRefreshTokens: true, sso, params: { audience } } } }));
  await widgetFor(first, 'https://api-a.example', false);
  const second = await context.newPage();
  const secondErrors = [];
  second.on('pageerror', (e) => secondErrors.push(e));
  await widgetFor(second, 'https://api-b.example', true);
  const refreshes = refreshTokensSentBy(context);
  const audiences = [];
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/authorize') audiences.push(url.searchParams.get('audience'));
  });

  const a = await logIn(first, app);
  // The second tab signs in on load (auth.sso), with tokens and a refresh token of its own.
  await second.goto(app);
  const b = await waitForEvent(second, 'authenticated');
  assert.deepEqual([...new Set(audiences)].sort(), ['https://api-a.example', 'https://api-b.example']);
  assert.notEqual(a.accessToken, b.accessToken);

  // The first renews and tells the app's tabs: the second keeps the token of its own API.
  const renewedA = await first.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  assert.notEqual(renewedA, a.accessToken);
  await grace(second);
  assert.equal((await second.evaluate(() => window.latch.getTokens())).accessToken, b.accessToken);
  assert.equal(await second.evaluate(() => window.latch.getTokenSilently()), b.accessToken);
  assert.deepEqual((await eventNames(second)).filter((e) => e === 'renewed'), []);

  // And the other way round: the second's renewal is its own request, and the first keeps its token.
  const renewedB = await second.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  assert.ok(renewedB !== renewedA && renewedB !== b.accessToken);
  await grace(first);
  assert.equal((await first.evaluate(() => window.latch.getTokens())).accessToken, renewedA);
  assert.equal((await eventNames(first)).filter((e) => e === 'renewed').length, 1, 'its own renewal only');
  assert.equal(refreshes.length, 2, 'each renewed for itself');
  assert.equal(new Set(refreshes).size, 2);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(secondErrors, []);
});

test('auth.autoRenew: the access token is renewed before it expires, with no navigation, and `renewed` says so', async (t) => {
  // Access tokens of 66 s and the default leeway of 60 s: due for renewal 6 s after login.
  const { shortLived, page, pageErrors } = await shortLivedApp(t, 66, { auth: { useRefreshTokens: true, autoRenew: true } });
  const refreshes = refreshTokensSentBy(page);
  const app = `${shortLived.webUrl}/e2e/app.html`;
  const login = await logIn(page, app, shortLived.issuer);
  assert.ok(login.expiresIn <= 66, JSON.stringify(login.expiresIn));
  assert.deepEqual(refreshes, [], 'nothing renewed at once');

  const since = (await latchEvents(page)).length;
  const renewed = await waitForEvent(page, 'renewed', { since, timeout: 12_000 });
  assert.equal(refreshes.length, 1);
  assert.notEqual(renewed.accessToken, login.accessToken);
  assert.ok(renewed.expiresAt > Date.now() + 60_000, 'good for the leeway again');
  assert.equal((await page.evaluate(() => window.latch.getTokens())).accessToken, renewed.accessToken);
  assert.equal(page.url(), app, 'no navigation');
  assert.deepEqual(pageErrors, []);
});

test('auth.autoRenew: a renewal that fails fires renewal_error; a revoked grant signs out', async (t) => {
  const { shortLived, page, pageErrors } = await shortLivedApp(t, 66, { auth: { useRefreshTokens: true, autoRenew: true } });
  const issued = refreshTokensIssuedTo(page);
  await logIn(page, `${shortLived.webUrl}/e2e/app.html`, shortLived.issuer);
  await until(() => issued.length === 1);
  // The grant is revoked behind the widget's back (the token used elsewhere: reuse detection).
  const spend = (token) => fetch(`${shortLived.issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'latch-spa' }),
  });
  assert.equal((await spend(issued[0])).status, 200);
  assert.equal((await spend(issued[0])).status, 400, 'reuse revokes the grant');

  const since = (await latchEvents(page)).length;
  const failed = await waitForEvent(page, 'renewal_error', { since, timeout: 12_000 });
  assert.equal(failed.error, 'invalid_grant', JSON.stringify(failed));
  await page.waitForFunction(() => window.latchEvents.some((e) => e.name === 'signed_out'));
  assert.equal(await page.evaluate(() => window.latch.getTokens()), null);
  assert.deepEqual(pageErrors, []);
});

describe('a provider without web_message: the answer comes to the silent-callback page, read by the waiting window', () => {
  let hostile;
  before(async () => { hostile = await startHostileProvider(); });
  after(() => hostile?.close());

  /** The page with one direct connection to the hostile provider's well-behaved issuer
   *  (its discovery lists query, fragment and form_post, not web_message). */
  async function openWith(t, auth = {}) {
    const connection = { name: 'plain-oidc', issuer: hostile.issuerFor('ok'), client_id: 'latch-plain', type: 'back_channel' };
    const opened = await openPage(env.browser, { setup: { show: false, domain: '', options: { connections: [connection], auth } } });
    t.after(() => opened.context.close());
    const record = { authorize: [], token: [] };
    opened.context.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('/authorize')) record.authorize.push(url);
      if (url.pathname.endsWith('/oauth/token') && r.method() === 'POST') record.token.push(new URLSearchParams(r.postData() ?? ''));
    });
    await opened.page.goto(`${env.servers.webUrl}/e2e/app.html`);
    await opened.page.waitForFunction(() => window.latch);
    return { ...opened, record };
  }

  for (const [label, auth, page] of [
    ['a blank page of its own (auth.silentRedirectUrl)', () => ({ silentRedirectUrl: `${env.servers.webUrl}/e2e/silent.html` }), () => `${env.servers.webUrl}/e2e/silent.html`],
    ['the app page itself, whose own widget leaves the answer alone', () => ({}), () => `${env.servers.webUrl}/e2e/app.html`],
  ]) {
    test(`checkSession through ${label}`, async (t) => {
      const { page: app, pageErrors, record } = await openWith(t, auth());
      const out = await checkSession(app, { connection: 'plain-oidc' });
      assert.equal(out.result?.profile?.sub, 'mallory', JSON.stringify(out));
      assert.equal(record.authorize.length, 1);
      const asked = record.authorize[0].searchParams;
      assert.equal(asked.get('prompt'), 'none');
      assert.equal(asked.get('response_mode'), null, 'no web_message: the code flow\'s own query');
      assert.equal(asked.get('redirect_uri'), page());
      // The code was exchanged once, by the waiting page, with the same redirect_uri.
      assert.equal(record.token.length, 1);
      assert.equal(record.token[0].get('redirect_uri'), page());
      assert.equal(out.frames, 0, 'the iframe is gone');
      assert.ok(out.sawFrame);
      assert.deepEqual(out.transactions, []);
      assert.equal(out.url, `${env.servers.webUrl}/e2e/app.html`);
      assert.deepEqual(pageErrors, []);
    });
  }

  test('a popup login through the silent-callback page: the result, the popup closed, the page never left', async (t) => {
    const { context, page: app, pageErrors, record } = await openWith(t, { silentRedirectUrl: `${env.servers.webUrl}/e2e/silent.html` });
    const navigations = [];
    app.on('framenavigated', (f) => { if (f === app.mainFrame()) navigations.push(f.url()); });
    const popupOpened = context.waitForEvent('page');
    const result = app.evaluate(() => window.latch.login({ connection: 'plain-oidc', popup: true }));
    const popup = await popupOpened;
    const payload = await result;
    assert.equal(payload.profile.sub, 'mallory');
    await popup.waitForEvent('close', { timeout: 5_000 }).catch(() => {});
    assert.ok(popup.isClosed(), 'the widget closed its popup');
    assert.equal(record.token.length, 1);
    assert.equal(record.authorize[0].searchParams.get('response_mode'), null);
    assert.deepEqual(navigations, []);
    assert.deepEqual(await transactionKeysOf(app), []);
    assert.deepEqual(pageErrors, []);
  });

  test('a widget on the silent-callback page leaves an answer meant for the window that embeds it, and takes its own', async (t) => {
    const { context, page: app, pageErrors, record } = await openWith(t);
    // Counts the BroadcastChannels each page opens (the widget's tabs channel among them).
    await context.addInitScript(() => {
      const Native = window.BroadcastChannel;
      window.channelsOpened = 0;
      window.BroadcastChannel = class extends Native {
        constructor(name) { super(name); window.channelsOpened += 1; }
      };
    });
    // Two logins in flight, as their transactions are stored: one whose answer the waiting
    // window reads (delivery opener, as checkSession and popups store it), one of the page's.
    const [forOpener, forPage] = await app.evaluate(async () => {
      const states = [];
      for (const delivery of ['opener', 'page']) {
        const url = new URL(await window.latch.authorizeUrl({ connection: 'plain-oidc' }));
        const state = url.searchParams.get('state');
        const key = `latch.tx.${state}`;
        sessionStorage.setItem(key, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)), delivery }));
        states.push(state);
      }
      return states;
    });
    // The page loaded in a same-origin iframe with each answer, as the provider would send it.
    const load = (state) => app.evaluate(async ({ s, iss }) => {
      const frame = document.createElement('iframe');
      frame.src = `/e2e/app.html?code=the-code-${s}&state=${s}&iss=${encodeURIComponent(iss)}`;
      document.body.append(frame);
      await new Promise((r) => { frame.onload = r; });
      const w = frame.contentWindow;
      while (!w.latch) await new Promise((r) => setTimeout(r, 10));
      // Long enough for its widget to take a response, as it does on any page.
      await new Promise((r) => setTimeout(r, 1500));
      const out = {
        address: w.location.search,
        events: w.latchEvents.map((e) => e.name),
        stored: sessionStorage.getItem(`latch.tx.${s}`) !== null,
        channels: w.channelsOpened,
      };
      frame.remove();
      return out;
    }, { s: state, iss: hostile.issuerFor('ok') });
    const left = await load(forOpener);
    assert.equal(left.address, `?code=the-code-${forOpener}&state=${forOpener}&iss=${encodeURIComponent(hostile.issuerFor('ok'))}`, 'the answer stays in its address');
    assert.ok(left.stored, 'its transaction untouched');
    assert.equal(left.channels, 0, 'a passer-by: it does not join the app\'s tabs');
    assert.deepEqual(left.events.filter((e) => e !== 'show' && e !== 'signin ready'), []);
    assert.deepEqual(record.token, []);
    // The control: the page's own login is taken there as on any page.
    const taken = await load(forPage);
    assert.equal(taken.address, '', 'taken from the address bar');
    assert.ok(!taken.stored, 'its transaction used up');
    assert.equal(taken.channels, 1, 'an ordinary page of the app joins its tabs');
    assert.equal(record.token.length, 1);
    assert.equal(record.token[0].get('code'), `the-code-${forPage}`);
    assert.deepEqual(pageErrors, []);
  });

  test('auth.silentRedirectUrl of another origin is refused as invalid_option', async (t) => {
    const { page: app } = await openWith(t, { silentRedirectUrl: 'https://elsewhere.example/silent.html' });
    const error = await waitForEvent(app, 'unrecoverable_error');
    assert.equal(error.error, 'invalid_option');
    assert.match(error.errorDescription, /auth\.silentRedirectUrl/);
  });
});

function transactionKeysOf(page) {
  return page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.')));
}
