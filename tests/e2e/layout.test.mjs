// Nothing of the widget may leave its panel, and the panel may not leave the viewport: the
// modal and the inline widget, in the light and dark schemes and in Arabic (right to left),
// at phone (320, 375), tablet (768) and desktop (1280) widths. Each element's box is
// measured in the page, with the connection buttons and the email form on screen.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { serversAndBrowser, waitForEvent } from './support.mjs';

const shared = serversAndBrowser('tests/e2e/layout.test.mjs');

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

/** Every element of the panel whose box leaves the panel's, and the panel's box if it leaves
 *  the viewport; described by tag and class. Half a pixel is allowed for rounding. */
function outside() {
  const panel = document.querySelector('.latch');
  const box = panel.getBoundingClientRect();
  const viewport = document.documentElement.clientWidth;
  const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
  const out = [];
  if (box.left < -0.5 || box.right > viewport + 0.5) out.push(`the panel (${box.left}–${box.right} in 0–${viewport})`);
  for (const el of panel.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
      out.push(`${name(el)} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
    }
  }
  if (panel.scrollWidth > panel.clientWidth) out.push(`the panel scrolls sideways (${panel.scrollWidth} > ${panel.clientWidth})`);
  return out;
}

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
