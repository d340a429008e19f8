// Shared helpers of the end-to-end tests: Chromium through playwright-core, the login at the
// local provider's development pages, and waiting for the widget's events.
//
// Every test page records the widget's events in `window.latchEvents` (an array of
// `{name, payload}`): www/index.html (the demo) and tests/e2e/pages/app.html.

import { createHash } from 'node:crypto';
import { createServer } from 'node:net';

import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

import { startServers } from '../support/servers.mjs';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The events after which a login is over, one way or the other. */
const TERMINAL_EVENTS = ['authenticated', 'authorization_error', 'unrecoverable_error'];

/** How long to wait for the widget by default (a whole login takes well under a second). */
export const EVENT_TIMEOUT = 15_000;

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Fail the whole test file loudly if it is still running after `ms`: a hung browser or server
 * must not hold the run forever. The timer does not keep the process alive on its own.
 */
export function safetyTimer(name, ms = 4 * 60_000) {
  setTimeout(() => {
    console.error(`\n*** ${name}: still running after ${ms / 1000}s, giving up (a browser or server hung) ***\n`);
    process.exit(1);
  }, ms).unref();
}

/**
 * A fresh browser context and page. `pageErrors` collects every uncaught exception and
 * unhandled rejection of the page (`pageerror`), so a test can assert there was none.
 * `setup`, when given, is stored in sessionStorage['latch-e2e'] before any page script runs
 * (for tests/e2e/pages/app.html), on every navigation, so it survives the provider round trip.
 * `contextOptions` are added to the browser context's (a proxy, for instance).
 */
export async function openPage(browser, { setup, contextOptions = {} } = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 720 }, ...contextOptions });
  // The provider's development pages @import Google Fonts: answer at once instead of
  // waiting for a network that is not there.
  await context.route(/^https?:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
  if (setup !== undefined) {
    await context.addInitScript((value) => {
      // The test page's frame only: a third-party iframe (the provider's, in checkSession)
      // may have no storage at all when third-party cookies are blocked.
      if (window === window.top) sessionStorage.setItem('latch-e2e', value);
    }, JSON.stringify(setup));
  }
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

/** The events recorded so far on the page (an empty array before the page script ran). */
export function latchEvents(page) {
  return page.evaluate(() => structuredClone(window.latchEvents ?? []));
}

/**
 * Wait for the event `name` in window.latchEvents (ignoring the first `since` entries) and
 * return its payload. Fails at once, with the events seen, if another login-ending event
 * arrives first, and on timeout.
 */
export async function waitForEvent(page, name, { since = 0, timeout = EVENT_TIMEOUT } = {}) {
  try {
    await page.waitForFunction(
      ({ wanted, skip, terminal }) => (window.latchEvents ?? [])
        .slice(skip)
        .some((e) => e.name === wanted || terminal.includes(e.name)),
      { wanted: name, skip: since, terminal: TERMINAL_EVENTS },
      { timeout, polling: 50 },
    );
  } catch (error) {
    const seen = await latchEvents(page).catch(() => 'unavailable');
    throw new Error(`no "${name}" event within ${timeout} ms at ${page.url()}; events: ${JSON.stringify(seen)}`, { cause: error });
  }
  const events = (await latchEvents(page)).slice(since);
  const found = events.find((e) => e.name === name || TERMINAL_EVENTS.includes(e.name));
  if (found.name !== name) {
    throw new Error(`expected a "${name}" event, got "${found.name}": ${JSON.stringify(found.payload)}`);
  }
  return found.payload;
}

/**
 * Wait until a login-ending event (`authenticated`, `authorization_error`,
 * `unrecoverable_error`) is recorded after the first `since` events; returns the first one
 * as `{name, payload}`. For tests where either outcome is possible and the test decides.
 */
export async function waitForOutcome(page, { since = 0, timeout = EVENT_TIMEOUT } = {}) {
  try {
    await page.waitForFunction(
      ({ skip, terminal }) => (window.latchEvents ?? []).slice(skip).some((e) => terminal.includes(e.name)),
      { skip: since, terminal: TERMINAL_EVENTS },
      { timeout, polling: 50 },
    );
  } catch (error) {
    const seen = await latchEvents(page).catch(() => 'unavailable');
    throw new Error(`no login-ending event within ${timeout} ms at ${page.url()}; events: ${JSON.stringify(seen)}`, { cause: error });
  }
  return (await latchEvents(page)).slice(since).find((e) => TERMINAL_EVENTS.includes(e.name));
}

/** The names of the recorded events, e.g. to assert one never happened. */
export async function eventNames(page) {
  return (await latchEvents(page)).map((e) => e.name);
}

/** Let the page run a little longer, e.g. to be sure an event does not follow another. */
export function grace(page, ms = 500) {
  return page.waitForTimeout(ms);
}

/**
 * Log in at the provider's development pages: the login form, then the consent page (skipped
 * by the provider when this context already granted it). Call it after the widget sent the
 * page to the provider; it returns once consent was submitted (or was not needed).
 */
export async function loginAtProvider(page, { issuer, user = 'alice', password = 'any password' }) {
  await page.waitForSelector('input[name="login"]', { timeout: EVENT_TIMEOUT });
  if (!page.url().startsWith(`${issuer}/`)) {
    throw new Error(`the login form is not the provider's: ${page.url()}`);
  }
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]', { noWaitAfter: true });

  const consent = 'input[name="prompt"][value="consent"]';
  const next = await Promise.race([
    page.waitForSelector(consent, { state: 'attached', timeout: EVENT_TIMEOUT }).then(() => 'consent'),
    page.waitForURL((url) => !url.href.startsWith(`${issuer}/`), { waitUntil: 'commit', timeout: EVENT_TIMEOUT })
      .then(() => 'back'),
  ]);
  if (next === 'consent') {
    await page.click('button[type="submit"]', { noWaitAfter: true });
  }
}

/** Wait until the page is on the provider's login form, then press its cancel link. */
export async function cancelAtProvider(page, { issuer }) {
  await page.waitForSelector('input[name="login"]', { timeout: EVENT_TIMEOUT });
  if (!page.url().startsWith(`${issuer}/`)) {
    throw new Error(`the login form is not the provider's: ${page.url()}`);
  }
  await page.click('.login-help a[href$="/abort"]', { noWaitAfter: true });
}

/**
 * Record the requests of a login on `page`: the authorize request (the first hop to
 * `{issuer}/authorize`, not its `/authorize/{uid}` resumptions), the token requests (POST
 * `{issuer}/oauth/token`) and the navigations back to `webUrl` that carry a response.
 */
export function recordLogin(page, { issuer, webUrl }) {
  const record = { authorize: [], token: [], callbacks: [] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === issuer && url.pathname === '/authorize') {
      record.authorize.push(url);
    } else if (url.origin === issuer && url.pathname === '/oauth/token' && request.method() === 'POST') {
      record.token.push({
        body: new URLSearchParams(request.postData() ?? ''),
        headers: request.headers(),
      });
    } else if (url.origin === webUrl && request.isNavigationRequest()
      && (url.searchParams.has('code') || url.searchParams.has('error'))) {
      record.callbacks.push(url.href);
    }
  });
  return record;
}

/** BASE64URL(SHA-256(ASCII(verifier))): the S256 code challenge of RFC 7636 §4.2. */
export function s256(verifier) {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Decode the parts of a compact JWS (no verification: the widget did that). */
export function decodeJwt(token) {
  const parts = token.split('.');
  const json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { parts, header: json(parts[0]), payload: json(parts[1]) };
}

/** A TCP port on 127.0.0.1 that was free a moment ago and has nothing listening on it. */
export async function closedPort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The sessionStorage keys of the page's origin that hold a login transaction. */
export function transactionKeys(page) {
  return page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.')));
}

/**
 * The usual frame of a test file: a safety timer, the local servers (started with
 * `serverOptions`) and one browser, up before the first test and closed after the last.
 * Returns an object whose `servers` and `browser` are set once `before` has run.
 */
export function serversAndBrowser(name, serverOptions) {
  safetyTimer(name);
  const shared = { servers: undefined, browser: undefined };
  before(async () => {
    [shared.servers, shared.browser] = await Promise.all([startServers(serverOptions), launchBrowser()]);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.servers?.close();
  });
  return shared;
}
