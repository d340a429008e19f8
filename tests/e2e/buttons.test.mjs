// Custom login buttons: an element of the app's own markup with data-latch-connection, and
// any element handed to latch.attach(), each through a real login or authorize request.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  grace, loginAtProvider, openPage, serversAndBrowser, waitForEvent,
} from './support.mjs';

const shared = serversAndBrowser('tests/e2e/buttons.test.mjs');

/** The e2e app page without the widget shown: only the app's own buttons start a login. */
async function openApp(t) {
  const opened = await openPage(shared.browser, { setup: { show: false } });
  t.after(() => opened.context.close());
  const authorize = [];
  opened.page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === shared.servers.issuer && url.pathname === '/authorize') authorize.push(url);
  });
  await opened.page.goto(`${shared.servers.webUrl}/e2e/app.html`);
  await opened.page.waitForFunction(() => window.latch !== undefined);
  // Calls made before the wasm is ready are queued, and what a queued call throws is
  // reported as the page's uncaught error: these tests look at what attach() throws, so they
  // start once the wasm is there.
  await opened.page.evaluate(() => window.latch.constructor.init());
  return { ...opened, authorize };
}

test('a button with data-latch-connection logs in with no code of its own', async (t) => {
  const { page, pageErrors, authorize } = await openApp(t);
  assert.equal(await page.locator('.latch').count(), 0, 'no widget on screen');
  await page.click('#markup-button', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: shared.servers.issuer });
  const result = await waitForEvent(page, 'authenticated');
  assert.equal(authorize[0].searchParams.get('connection'), 'local-oidc');
  assert.equal(authorize[0].searchParams.get('code_challenge_method'), 'S256');
  assert.equal(result.connection, 'local-oidc');
  assert.deepEqual(pageErrors, []);
});

test('latch.attach makes any element a login button, and its return value undoes it', async (t) => {
  const { page, pageErrors, authorize } = await openApp(t);
  const before = page.url();

  // Attached, then detached: a click does nothing.
  await page.evaluate(() => window.latch.attach('#attach-link', { connection: 'partner-tenant' })());
  await page.click('#attach-link', { noWaitAfter: true });
  await grace(page);
  assert.deepEqual(authorize, [], 'a detached element starts no login');

  await page.evaluate(() => {
    window.latch.attach(document.querySelector('#attach-link'), { connection: 'partner-tenant' });
  });
  await page.click('#attach-link', { noWaitAfter: true });
  await page.waitForURL((url) => url.href.startsWith(`${shared.servers.issuer}/`));
  assert.equal(authorize.length, 1);
  assert.equal(authorize[0].searchParams.get('connection'), 'partner-tenant');
  assert.notEqual(page.url(), before);
  assert.deepEqual(pageErrors, []);
});

test('attach refuses what is not an element or has no connection', async (t) => {
  const { page } = await openApp(t);
  const errors = await page.evaluate(() => [
    () => window.latch.attach('#nothing-here', { connection: 'local-oidc' }),
    () => window.latch.attach(document.body, {}),
    () => window.latch.attach(42, { connection: 'local-oidc' }),
  ].map((call) => {
    try {
      call();
      return null;
    } catch (thrown) {
      return `${thrown.name}: ${thrown.message}`;
    }
  }));
  assert.equal(errors.length, 3);
  for (const error of errors) assert.match(error ?? 'no error', /^TypeError: latch-login: attach\(\) needs/);
});
