// Debian's WebKitGTK through selenium-webdriver (see index.mjs): WebKitWebDriver, run on a
// private Xvfb display by xvfb-run, starts a fresh MiniBrowser for each WebDriver session.
// Classic WebDriver acts on one window at a time, so every call of a tab goes through one
// queue that switches to the tab's window first.

import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';

import { Builder, By } from 'selenium-webdriver';

import { callSource, poll } from './util.mjs';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The WebKitGTK version, as the library's package names it (MiniBrowser has no --version). */
function version() {
  const out = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0']).toString();
  return `WebKitGTK ${out.split('-')[0]}`;
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function freePort() {
  const { closedPort } = await import('../support.mjs');
  return closedPort();
}

/** One WebDriver session: a MiniBrowser of its own, so a fresh cookie jar and storage. */
async function session(serverUrl, { width, height }) {
  const driver = await new Builder()
    .usingServer(serverUrl)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    })
    .build();
  await driver.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
  let queue = Promise.resolve();
  let current = await driver.getWindowHandle();
  let firstFree = true;
  /** Runs `work` with the window `handle` current, after every call queued before it. */
  const on = (handle, work) => {
    const run = queue.then(async () => {
      if (current !== handle) {
        await driver.switchTo().window(handle);
        current = handle;
      }
      return work();
    });
    queue = run.catch(() => {});
    return run;
  };
  const fit = async (handle, w, h) => on(handle, async () => {
    // The window's outer size is what WebDriver sets: grow it by what the frame takes.
    await driver.manage().window().setRect({ width: w, height: h });
    const inner = await driver.executeScript('return [innerWidth, innerHeight]');
    await driver.manage().window().setRect({ width: 2 * w - inner[0], height: 2 * h - inner[1] });
  });

  const tab = (handle) => {
    const initScripts = [];
    const evaluate = (fn, arg) => on(handle, async () => {
      const out = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => ${callSource(fn, arg)}).then(
          (value) => done({ value: value === undefined ? null : value }),
          (error) => done({ error: String((error && error.message) || error) }));`);
      if (out?.error !== undefined) throw new Error(`in the page: ${out.error}`);
      return out?.value;
    });
    return {
      driver,
      // WebDriver classic reports no uncaught errors of the page.
      pageErrors: [],
      async goto(url) {
        await on(handle, () => driver.get(url));
        await poll(() => evaluate((to) => location.href === to && document.readyState !== 'loading', url), { what: url });
        // No hook runs a script before the page's own in classic WebDriver: the init
        // scripts run as soon as the page has loaded instead.
        for (const [fn, arg] of initScripts) await evaluate(fn, arg);
      },
      url: () => on(handle, () => driver.getCurrentUrl()),
      evaluate,
      waitFor: (fn, arg, { timeout = 15_000 } = {}) => poll(() => evaluate(fn, arg), { timeout, what: String(fn) }),
      click: (selector) => on(handle, async () => (await driver.findElement(By.css(selector))).click()),
      fill: (selector, text) => on(handle, async () => {
        const field = await driver.findElement(By.css(selector));
        await field.clear();
        await field.sendKeys(text);
      }),
      innerWidth: (w, h = 800) => fit(handle, w, h),
      async addInitScript(fn, arg) { initScripts.push([fn, arg]); },
      isClosed: async () => !(await on(handle, () => driver.getAllWindowHandles()).catch(() => [])).includes(handle),
      close: () => on(handle, () => driver.close()),
    };
  };

  return {
    async newTab() {
      if (firstFree) {
        firstFree = false;
        await fit(current, width, height);
        return tab(current);
      }
      const handle = await on(current, async () => {
        await driver.switchTo().newWindow('tab');
        return driver.getWindowHandle();
      });
      current = handle;
      return tab(handle);
    },
    async waitForPopup(trigger) {
      const before = await driver.getAllWindowHandles();
      await trigger();
      const handle = await poll(async () => (await driver.getAllWindowHandles()).find((h) => !before.includes(h)), { what: 'a popup' });
      return tab(handle);
    },
    close: () => driver.quit().catch(() => {}),
  };
}

export const webkit = {
  name: 'webkit',
  version,
  async launch() {
    const port = await freePort();
    // Its own process group, ended whole by close(): xvfb-run, Xvfb and WebKitWebDriver.
    const server = spawn('xvfb-run', ['-a', '-s', '-screen 0 1600x1200x24', 'WebKitWebDriver', `--port=${port}`], {
      detached: true,
      stdio: 'ignore',
    });
    const ended = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
    process.once('exit', ended);
    await poll(() => portOpen(port), { timeout: 20_000, what: 'WebKitWebDriver' });
    const serverUrl = `http://127.0.0.1:${port}`;
    return {
      newSession: (size = {}) => session(serverUrl, { width: 900, height: 720, ...size }),
      async close() {
        ended();
        process.removeListener('exit', ended);
      },
    };
  },
};
