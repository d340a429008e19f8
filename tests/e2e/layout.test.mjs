// Nothing of the widget may leave its panel, and the panel may not leave the viewport: the
// modal and the inline widget, in the light and dark schemes and in Arabic (right to left),
// at phone (320, 375), tablet (768) and desktop (1280) widths. Each element's box is
// measured in the page, with the connection buttons and the email form on screen.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mkdirSync } from 'node:fs';

import { auth0Tenant } from '../support/auth0-tenant.mjs';
import { serversAndBrowser, waitForEvent } from './support.mjs';
import { outside } from './checks.mjs';

const shared = serversAndBrowser('tests/e2e/layout.test.mjs');
/** Lock's screens on a tenant shaped as Auth0's: the database connection's email form and
 *  Sign up link, Google's mark, an enterprise button, a flash message, the refusal panel. */
const tenant = serversAndBrowser('tests/e2e/layout.test.mjs (Auth0 tenant)', { tenant: auth0Tenant });
const SHOTS = '/tmp/latch-layout-shots';

const WIDTHS = [320, 375, 768, 1280];
const PLACES = [
  { name: 'modal', options: { container: null } },
  { name: 'inline', options: {} },
];
const LOOKS = [
  { name: 'light', colorScheme: 'light', options: {} },
  { name: 'dark', colorScheme: 'dark', options: {} },
  { name: 'Arabic', colorScheme: 'light', options: { language: 'ar' } },
];
/** A long name, to see the buttons wrap rather than overflow. */
const LONG_NAME = 'Corporate single sign-on for the whole international group of companies';

for (const place of PLACES) {
  for (const look of LOOKS) {
    test(`the ${place.name} widget stays inside its panel and the viewport, ${look.name}, at ${WIDTHS.join(', ')} px`, async (t) => {
      for (const width of WIDTHS) {
        const context = await shared.browser.newContext({ viewport: { width, height: 800 } });
        t.after(() => context.close());
        await context.route(/^https?:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
        const options = {
          ...place.options,
          ...look.options,
          theme: { authButtons: { 'local-oidc': { displayName: LONG_NAME } } },
        };
        await context.addInitScript((value) => sessionStorage.setItem('latch-e2e', value), JSON.stringify({ options }));
        const page = await context.newPage();
        const pageErrors = [];
        page.on('pageerror', (e) => pageErrors.push(e));
        await page.emulateMedia({ colorScheme: look.colorScheme });
        await page.goto(`${shared.servers.webUrl}/e2e/app.html`);
        await waitForEvent(page, 'signin ready');
        assert.equal(await page.locator('.latch form.latch-hrd').count(), 1, 'the email form is on screen');
        assert.deepEqual(await page.evaluate(outside), [], `${place.name}, ${look.name}, ${width} px`);
        assert.deepEqual(pageErrors, []);
        await context.close();
      }
    });
  }
}

const FLASH = 'The email or password you entered is not right for this account: try again, or use another way to log in.';
const LOCK_SCREENS = [
  {
    name: "the database connection's email form, the Sign up link, Google's mark and a flash message",
    page: 'readme.html',
    show: (text) => window.lock.show({ flashMessage: { type: 'error', text } }),
    expect: ['.latch input.latch-hrd-email', '.latch img', '.latch .latch-flash'],
  },
  {
    name: 'the panel of a widget refused for a bad option',
    page: 'unrecoverable.html',
    show: () => {},
    expect: [],
  },
];

for (const screen of LOCK_SCREENS) {
  for (const colorScheme of ['light', 'dark']) {
    test(`a Lock page on an Auth0 tenant: ${screen.name} stay inside the panel, ${colorScheme}, at 375 and 1280 px`, async (t) => {
      mkdirSync(SHOTS, { recursive: true });
      for (const width of [375, 1280]) {
        const context = await tenant.browser.newContext({ viewport: { width, height: 800 } });
        t.after(() => context.close());
        const page = await context.newPage();
        const pageErrors = [];
        page.on('pageerror', (e) => pageErrors.push(e));
        await page.emulateMedia({ colorScheme });
        await page.goto(`${tenant.servers.webUrl}/e2e/lock-docs/${screen.page}`);
        await page.evaluate(screen.show, FLASH);
        await page.waitForSelector('.latch', { state: 'visible' });
        for (const selector of screen.expect) await page.waitForSelector(selector, { state: 'visible' });
        // Marks are images: measured once they have loaded (or failed).
        await page.waitForFunction(() => [...document.querySelectorAll('.latch img')].every((i) => i.complete));
        await page.screenshot({ path: `${SHOTS}/${screen.page.replace('.html', '')}-${colorScheme}-${width}.png`, fullPage: true });
        assert.deepEqual(await page.evaluate(outside), [], `${screen.name}, ${colorScheme}, ${width} px`);
        assert.deepEqual(pageErrors, []);
        await context.close();
      }
    });
  }
}
