// Chromium through playwright-core: the engine of the whole suite, here behind the engines'
// interface (see index.mjs).

import { execFileSync } from 'node:child_process';

import { launchBrowser } from '../support.mjs';

function tab(page) {
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return {
    page,
    pageErrors,
    goto: (url) => page.goto(url),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg ?? null),
    async waitFor(fn, arg, { timeout = 15_000 } = {}) {
      const handle = await page.waitForFunction(fn, arg ?? null, { timeout, polling: 50 });
      return handle.jsonValue();
    },
    click: (selector) => page.click(selector, { noWaitAfter: true }),
    fill: (selector, text) => page.fill(selector, text),
    innerWidth: (width, height = 800) => page.setViewportSize({ width, height }),
    addInitScript: (fn, arg) => page.context().addInitScript(fn, arg ?? null),
    isClosed: async () => page.isClosed(),
    close: () => page.close(),
  };
}

export const chromium = {
  name: 'chromium',
  version: () => execFileSync('/usr/bin/chromium', ['--version']).toString().trim(),
  async launch() {
    const browser = await launchBrowser();
    return {
      async newSession({ width = 900, height = 720 } = {}) {
        const context = await browser.newContext({ viewport: { width, height } });
        await context.route(/^https?:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
        return {
          newTab: async () => tab(await context.newPage()),
          async waitForPopup(trigger) {
            const opened = context.waitForEvent('page');
            await trigger();
            return tab(await opened);
          },
          close: () => context.close(),
        };
      },
      close: () => browser.close(),
    };
  },
};
