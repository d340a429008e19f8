// Debian's firefox-esr through puppeteer-core over WebDriver BiDi (see index.mjs), from a
// fresh profile with Firefox's default Total Cookie Protection on: puppeteer's profile sets
// network.cookie.cookieBehavior to 0 (all cookies), so it is set back to 5 (partitioned).

import { execFileSync } from 'node:child_process';

import puppeteer from 'puppeteer-core';

import { callSource } from './util.mjs';

const FIREFOX = '/usr/bin/firefox-esr';

function tab(page) {
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return {
    page,
    pageErrors,
    goto: (url) => page.goto(url),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(callSource(fn, arg)),
    async waitFor(fn, arg, { timeout = 15_000 } = {}) {
      const handle = await page.waitForFunction(callSource(fn, arg), { timeout, polling: 50 });
      return handle.jsonValue();
    },
    click: (selector) => page.click(selector),
    async fill(selector, text) {
      await page.$eval(selector, (el) => { el.value = ''; });
      await page.type(selector, text);
    },
    innerWidth: (width, height = 800) => page.setViewport({ width, height }),
    addInitScript: (fn, arg) => page.evaluateOnNewDocument(callSource(fn, arg)),
    isClosed: async () => page.isClosed(),
    close: () => page.close(),
  };
}

export const firefox = {
  name: 'firefox',
  version: () => execFileSync(FIREFOX, ['--version']).toString().trim(),
  async launch() {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      protocol: 'webDriverBiDi',
      extraPrefsFirefox: { 'network.cookie.cookieBehavior': 5 },
    });
    return {
      browser,
      async newSession({ width = 900, height = 720 } = {}) {
        const context = await browser.createBrowserContext();
        const pages = [];
        return {
          async newTab() {
            const page = await context.newPage();
            await page.setViewport({ width, height });
            pages.push(page);
            return tab(page);
          },
          async waitForPopup(trigger) {
            const opener = pages.at(-1);
            const opened = new Promise((resolve) => { opener.once('popup', resolve); });
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
