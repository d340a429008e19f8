// The engines the login paths run in, behind one small driver interface, so that one test
// body runs in each (tests/e2e/engines.test.mjs):
//   chromium  Debian's Chromium through playwright-core (as the rest of tests/e2e);
//   firefox   Debian's firefox-esr through puppeteer-core over WebDriver BiDi, from a fresh
//             profile with Total Cookie Protection (network.cookie.cookieBehavior 5) on;
//   webkit    Debian's WebKitGTK (its MiniBrowser under WebKitWebDriver) through
//             selenium-webdriver, on a private Xvfb display (xvfb-run).
//
// An engine: `{ name, version, newSession({ width, height }) , close() }`. A session is one
// fresh cookie jar and storage (a browser context; for WebKit, a WebDriver session of its
// own): `{ newTab(), waitForPopup(trigger), close() }`. A tab:
//   goto(url), url(), evaluate(fn, arg) (fn runs in the page, may be async; arg and the
//   result are JSON), waitFor(fn, arg, { timeout }) (until fn(arg) is truthy in the page, across
//   navigations), click(selector), fill(selector, text), innerWidth(width) (sets the viewport),
//   addInitScript(fn, arg), isClosed(), pageErrors (uncaught errors, where the driver reports
//   them), close().
// What a driver cannot do is said where it is done (see webkit.mjs's addInitScript).

import { chromium } from './chromium.mjs';
import { firefox } from './firefox.mjs';
import { webkit } from './webkit.mjs';

export const ENGINES = { chromium, firefox, webkit };

export { poll, callSource } from './util.mjs';
