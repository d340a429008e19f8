// Answers by web message that must be refused (issue 19, "Hardening"). A popup login and
// checkSession take their answer from one message: of type `authorization_response`, sent
// from the provider's origin, by the popup's or the iframe's own window, for the state of the
// attempt, and only once. Here every other message is posted to the page, in the very shape
// oidc-provider 9 posts the genuine one (lib/response_modes/web_message.js:
// `{ type: 'authorization_response', response: { code, state, iss } }`, to the redirect
// URI's origin), and each must be ignored or refused: no token request with its code, no
// `authenticated` from it, no transaction left behind, no error in the page. Where a genuine
// answer follows, it is the one taken, so each refusal is the widget's doing and not a
// forgery that never arrived: the page records every message it receives, and the tests
// check the forged ones did arrive.
//
// (checkSession's iframe answered from the wrong origin or window is in session.test.mjs.)

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  eventNames, grace, loginAtProvider, openPage, serversAndBrowser, transactionKeys, waitForEvent,
} from './support.mjs';

// The local servers and one browser, up before the first test and closed after the last.
const env = serversAndBrowser('tests/e2e/messages.test.mjs');

const app = () => `${env.servers.webUrl}/e2e/app.html`;
/** An origin that is neither the app's nor the provider's (the web server, by another host name). */
const elsewhere = () => env.servers.webUrl.replace('127.0.0.1', 'localhost');

/** An answer shaped as oidc-provider's web_message page posts it. */
function answer(response) {
  return { type: 'authorization_response', response };
}

/** A page that posts `message` to its `parent` or `opener`, for `targetOrigin`, as the provider's does. */
function posterPage(message, target, targetOrigin) {
  const data = JSON.stringify({ message, targetOrigin }).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Web Message Response</title></head><body><script>
    (function () {
      var data = ${data};
      var to = ${target === 'opener' ? 'window.opener' : 'window.parent'};
      to.postMessage(data.message, data.targetOrigin);
      document.title = 'posted';
    })();
  </script></body></html>`;
}

/** The URL of a forging page at `origin` (see `forgeries`) posting `message` to its `target`. */
function forgeryUrl(origin, message, target) {
  const q = new URLSearchParams({ m: JSON.stringify(message), target, to: app() });
  return `${origin}/forged?${q}`;
}

/**
 * What the context did: every POST to the provider's token endpoint (its `code`), every
 * authorize request; forging pages at `/forged` on any origin; and, in each top-level page,
 * `window.seenMessages`, every message the page received with its origin and who sent it.
 */
async function watch(context) {
  const seen = { tokens: [], authorize: [] };
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== env.servers.issuer) return;
    if (url.pathname === '/oauth/token' && r.method() === 'POST') seen.tokens.push(new URLSearchParams(r.postData() ?? '').get('code'));
    if (url.pathname === '/authorize') seen.authorize.push(url.href);
  });
  await context.route((url) => url.pathname === '/forged', (route) => {
    const q = new URL(route.request().url()).searchParams;
    return route.fulfill({ contentType: 'text/html', body: posterPage(JSON.parse(q.get('m')), q.get('target'), q.get('to')) });
  });
  await context.addInitScript(() => {
    if (window !== window.top) return;
    window.seenMessages = [];
    window.addEventListener('message', (event) => {
      let from = 'another window';
      if (event.source === window) from = 'this page';
      else if ([...document.querySelectorAll('iframe')].some((f) => f.contentWindow === event.source)) from = 'an iframe';
      window.seenMessages.push({ origin: event.origin, from, data: event.data });
    });
  });
  return seen;
}

/** The authorization responses the page received so far, as `{ origin, from, response }`. */
function responsesSeen(page) {
  return page.evaluate(() => window.seenMessages
    .filter((m) => m.data?.type === 'authorization_response')
    .map((m) => ({ origin: m.origin, from: m.from, response: m.data.response })));
}

/** Waits until the page received `count` authorization responses carrying `code`. */
async function delivered(page, code, count) {
  try {
    await page.waitForFunction(
      ([c, n]) => window.seenMessages.filter((m) => m.data?.response?.code === c).length >= n,
      [code, count],
      { timeout: 10_000, polling: 50 },
    );
  } catch (error) {
    const seen = await page.evaluate(() => window.seenMessages).catch(() => 'unavailable');
    throw new Error(`${count} answers with code ${code} did not all arrive; the page received ${JSON.stringify(seen)}`, { cause: error });
  }
}

/** The state of the one login in flight, from its transaction. */
async function pendingState(page) {
  const keys = await transactionKeys(page);
  assert.equal(keys.length, 1, `one login in flight: ${keys}`);
  return keys[0].slice('latch.tx.'.length);
}

/** Starts a popup login in the page; its popup (on the provider's login form) and its outcome. */
async function startPopupLogin(context, page) {
  await page.goto(app());
  await page.waitForFunction(() => window.latch);
  const opened = context.waitForEvent('page');
  const outcome = page.evaluate(() => window.latch.login({ connection: 'local-oidc', popup: true, timeout: 30_000 })
    .then((result) => ({ result }), (error) => ({ error })));
  const popup = await opened;
  await popup.waitForSelector('input[name="login"]');
  return { popup, outcome };
}

/** Whether `promise` is still pending. */
async function pending(promise) {
  const marker = Symbol('pending');
  return (await Promise.race([promise, new Promise((r) => { setTimeout(r, 0, marker); })])) === marker;
}

/** What checkSession settled with, and what it left behind. */
function checkSession(page, options) {
  return page.evaluate(async (opts) => {
    let outcome;
    try {
      outcome = { result: await window.latch.checkSession(opts) };
    } catch (error) {
      outcome = { error };
    }
    const transactions = Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.'));
    return { ...outcome, frames: document.querySelectorAll('iframe').length, transactions };
  }, options);
}

/** After forged answers: nothing taken, the popup login still waiting for its own. */
async function assertNothingTaken(page, seen, outcome) {
  await grace(page, 500);
  assert.deepEqual(seen.tokens, [], 'no token request: no forged code was exchanged');
  assert.ok(await pending(outcome), `the login still waits for its answer: ${JSON.stringify(await Promise.race([outcome, null]))}`);
  assert.deepEqual(await eventNames(page), [], 'no authenticated, no authorization_error');
  assert.equal((await transactionKeys(page)).length, 1, 'the attempt is still live: no forgery used up its transaction');
}

/** The popup's own answer was the one taken. */
async function assertGenuineTaken(page, seen, outcome) {
  const out = await outcome;
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  assert.equal(out.result.profile.user_id, 'oidc|local-oidc|alice');
  const genuine = (await responsesSeen(page)).filter((m) => m.origin === env.servers.issuer && m.response.code !== 'forged');
  assert.equal(genuine.length, 1, JSON.stringify(genuine));
  assert.deepEqual(seen.tokens, [genuine[0].response.code], 'one token request, with the genuine code');
  assert.deepEqual(await eventNames(page), ['authenticated']);
  assert.deepEqual(await transactionKeys(page), []);
}

/** A popup login under way on a fresh page of the app (the popup at the provider's login
 *  form), with its token requests recorded in `seen`, and an answer forged for its state. */
async function popupLoginUnderWay(t) {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  const seen = await watch(context);
  const { popup, outcome } = await startPopupLogin(context, page);
  const state = await pendingState(page);
  const forged = answer({ code: 'forged', state, iss: env.servers.issuer });
  return { context, page, pageErrors, seen, popup, outcome, forged };
}

test('popup login: an answer from another origin is ignored, from this page, an iframe, or the popup itself gone elsewhere', async (t) => {
  const { page, pageErrors, seen, popup, outcome, forged } = await popupLoginUnderWay(t);

  // The app's own page (another origin than the provider's, and not the popup).
  await page.evaluate(([message, to]) => window.postMessage(message, to), [forged, app()]);
  // An iframe of a third origin.
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
  }, forgeryUrl(elsewhere(), forged, 'parent'));
  // The popup's own window, sent to a page of a third origin (by a page of its own, as a
  // redirect would: a navigation the browser makes itself would cut the popup from its
  // opener): the right window, the wrong origin.
  const authorizeUrl = seen.authorize.at(-1);
  const away = popup.waitForURL((url) => url.origin === elsewhere());
  await popup.evaluate((url) => { window.location.href = url; }, forgeryUrl(elsewhere(), forged, 'opener'));
  await away;
  await delivered(page, 'forged', 3);
  const forgeries = (await responsesSeen(page)).filter((m) => m.response.code === 'forged');
  assert.deepEqual(
    forgeries.map((m) => [m.origin, m.from]).sort(),
    [[env.servers.webUrl, 'this page'], [elsewhere(), 'an iframe'], [elsewhere(), 'another window']].sort(),
  );
  await assertNothingTaken(page, seen, outcome);

  // Back at the provider, the user logs in: that answer is taken.
  await popup.evaluate((url) => { window.location.href = url; }, authorizeUrl);
  await loginAtProvider(popup, { issuer: env.servers.issuer });
  await assertGenuineTaken(page, seen, outcome);
  assert.deepEqual(pageErrors, []);
});

test("popup login: an answer from the provider's origin but not from the popup is ignored", async (t) => {
  const { page, pageErrors, seen, popup, outcome, forged } = await popupLoginUnderWay(t);

  // A page of the provider's origin in an iframe of the app, and one in a window the app
  // opened (its opener is the app, as the popup's is), both posting the answer.
  const opened = await page.evaluate(([inFrame, inWindow]) => {
    const frame = document.createElement('iframe');
    frame.src = inFrame;
    document.body.append(frame);
    return window.open(inWindow, 'not-the-popup', 'popup,width=300,height=300') !== null;
  }, [forgeryUrl(env.servers.issuer, forged, 'parent'), forgeryUrl(env.servers.issuer, forged, 'opener')]);
  assert.ok(opened, 'the second window opened');
  await delivered(page, 'forged', 2);
  const forgeries = (await responsesSeen(page)).filter((m) => m.response.code === 'forged');
  assert.deepEqual(
    forgeries.map((m) => [m.origin, m.from]).sort(),
    [[env.servers.issuer, 'an iframe'], [env.servers.issuer, 'another window']].sort(),
  );
  await assertNothingTaken(page, seen, outcome);

  await loginAtProvider(popup, { issuer: env.servers.issuer });
  await assertGenuineTaken(page, seen, outcome);
  assert.deepEqual(pageErrors, []);
});

/**
 * Answers the authorize requests answered by web message (`prompt=none`: checkSession's
 * iframe, else a popup's window) with a page of the provider's origin, in the attempt's own
 * iframe or popup, that posts `message(asked)` to its parent or opener as the provider's does.
 */
async function answerAuthorizeWith(context, message) {
  await context.route((url) => url.origin === env.servers.issuer && url.pathname === '/authorize', (route) => {
    const asked = new URL(route.request().url()).searchParams;
    if (asked.get('response_mode') !== 'web_message') return route.continue();
    const target = asked.get('prompt') === 'none' ? 'parent' : 'opener';
    return route.fulfill({ contentType: 'text/html', body: posterPage(message(asked), target, asked.get('redirect_uri')) });
  });
}

/** A fresh page of the app whose provider answers every web_message request of its iframe
 *  or popup with `forge(asked)`; the page's token requests are recorded in `seen`. */
async function answeredBy(t, forge) {
  const { context, page, pageErrors } = await openPage(env.browser, { setup: { show: false } });
  t.after(() => context.close());
  const seen = await watch(context);
  await answerAuthorizeWith(context, forge);
  await page.goto(app());
  await page.waitForFunction(() => window.latch);
  return { context, page, pageErrors, seen };
}

test("checkSession answered by its own iframe, at the provider's origin, for another state: state_mismatch, nothing exchanged, nothing left", async (t) => {
  const forged = answer({ code: 'forged', state: 'not-the-state', iss: env.servers.issuer });
  const { context, page, pageErrors, seen } = await answeredBy(t, () => forged);

  const out = await checkSession(page, { connection: 'local-oidc', timeout: 5_000 });
  assert.deepEqual(await responsesSeen(page), [{ origin: env.servers.issuer, from: 'an iframe', response: forged.response }], 'the answer arrived');
  assert.deepEqual(seen.tokens, [], 'no token request');
  assert.equal(out.error?.error, 'state_mismatch', JSON.stringify(out));
  assert.equal(out.frames, 0, 'the iframe is gone');
  assert.deepEqual(await eventNames(page), []);
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(out.transactions, [], "the attempt's transaction is gone");
});

test("a popup login answered by its own popup, at the provider's origin, for another state: state_mismatch, nothing exchanged, nothing left", async (t) => {
  const forged = answer({ code: 'forged', state: 'not-the-state', iss: env.servers.issuer });
  const { context, page, pageErrors, seen } = await answeredBy(t, () => forged);

  const opened = context.waitForEvent('page');
  const out = await page.evaluate(() => window.latch.login({ connection: 'local-oidc', popup: true, timeout: 5_000 })
    .then((result) => ({ result }), (error) => ({ error })));
  const popup = await opened;
  assert.deepEqual(await responsesSeen(page), [{ origin: env.servers.issuer, from: 'another window', response: forged.response }], 'the answer arrived');
  assert.deepEqual(seen.tokens, [], 'no token request');
  assert.equal(out.error?.error, 'state_mismatch', JSON.stringify(out));
  assert.deepEqual(await eventNames(page), ['authorization_error']);
  assert.equal((await page.evaluate(() => window.latchEvents.at(-1).payload)).error, 'state_mismatch');
  if (!popup.isClosed()) await popup.waitForEvent('close', { timeout: 5_000 }).catch(() => {});
  assert.ok(popup.isClosed(), 'the popup is closed');
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(await transactionKeys(page), [], "the attempt's transaction is gone");
});

test("checkSession answered by its own iframe with the state of another login in flight: refused, that login's transaction untouched", async (t) => {
  // Another login of the page is in flight: an authorize link the app made (its transaction
  // is stored, its state known to whoever saw the link).
  let other;
  const { page, pageErrors, seen } = await answeredBy(t, () => answer({ code: 'forged', state: other, iss: env.servers.issuer }));
  other = new URL(await page.evaluate(() => window.latch.authorizeUrl({ connection: 'local-oidc' }))).searchParams.get('state');
  assert.deepEqual(await transactionKeys(page), [`latch.tx.${other}`]);

  const out = await checkSession(page, { connection: 'local-oidc', timeout: 5_000 });
  assert.deepEqual(
    await responsesSeen(page),
    [{ origin: env.servers.issuer, from: 'an iframe', response: { code: 'forged', state: other, iss: env.servers.issuer } }],
    'the answer arrived',
  );
  assert.deepEqual(seen.tokens, [], 'no token request: the forged code was not exchanged');
  assert.equal(out.error?.error, 'state_mismatch', JSON.stringify(out));
  assert.equal(out.frames, 0, 'the iframe is gone');
  assert.deepEqual(await eventNames(page), []);
  assert.equal(await page.evaluate(() => window.latch.getUser()), null);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(out.transactions, [`latch.tx.${other}`], "the attempt's transaction is gone, the other login's is still there");
});

test('a genuine silent answer replayed, through resumeAuth or into another checkSession: state_mismatch, its code never sent again', async (t) => {
  const { context, page, pageErrors } = await openPage(env.browser);
  t.after(() => context.close());
  const seen = await watch(context);
  await page.goto(app());
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: env.servers.issuer });
  await waitForEvent(page, 'authenticated');
  assert.equal(seen.tokens.length, 1);

  // A genuine checkSession; the page records the answer its iframe posted.
  const first = await checkSession(page, { connection: 'local-oidc' });
  assert.equal(first.error, undefined, JSON.stringify(first.error));
  assert.equal(first.result.profile.user_id, 'oidc|local-oidc|alice');
  const answers = await responsesSeen(page);
  assert.equal(answers.length, 1, JSON.stringify(answers));
  const [genuine] = answers;
  assert.equal(genuine.origin, env.servers.issuer);
  assert.equal(genuine.from, 'an iframe');
  assert.deepEqual(Object.keys(genuine.response).sort(), ['code', 'iss', 'state'], JSON.stringify(genuine.response));
  assert.deepEqual(seen.tokens, [seen.tokens[0], genuine.response.code], 'the genuine code was exchanged once');
  const authenticated = (await eventNames(page)).filter((e) => e === 'authenticated').length;
  assert.equal(authenticated, 2, 'the login and the checkSession');

  // Replayed through resumeAuth, as a response in the address bar's fragment.
  const resumed = await page.evaluate((params) => new Promise((resolve) => {
    window.latch.resumeAuth(params, (error, result) => resolve({ error, result }));
  }), `#${new URLSearchParams(genuine.response)}`);
  assert.equal(resumed.error?.error, 'state_mismatch', JSON.stringify(resumed));
  assert.equal(resumed.result ?? null, null);
  await grace(page, 300);
  assert.equal(seen.tokens.length, 2, `no token request for the replay: ${seen.tokens}`);
  let events = await eventNames(page);
  assert.equal(events.filter((e) => e === 'authenticated').length, authenticated, `no authenticated from a replay: ${events}`);
  assert.equal(events.at(-1), 'authorization_error');
  assert.deepEqual(await transactionKeys(page), []);

  // Replayed word for word by the next checkSession's own iframe, at the provider's origin.
  await answerAuthorizeWith(context, () => answer(genuine.response));
  const replayed = await checkSession(page, { connection: 'local-oidc', timeout: 5_000 });
  await delivered(page, genuine.response.code, 2);
  const again = (await responsesSeen(page)).at(-1);
  assert.deepEqual(again, { origin: env.servers.issuer, from: 'an iframe', response: genuine.response }, 'the replay arrived');
  assert.equal(seen.tokens.length, 2, `no token request for the replay: ${seen.tokens}`);
  assert.equal(replayed.error?.error, 'state_mismatch', JSON.stringify(replayed));
  assert.equal(replayed.frames, 0);
  events = await eventNames(page);
  assert.equal(events.filter((e) => e === 'authenticated').length, authenticated, `no authenticated from a replay: ${events}`);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(replayed.transactions, [], "the attempt's transaction is gone");
});
