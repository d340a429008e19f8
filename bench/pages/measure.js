// Shared by the bench pages. `window.BENCH` ({ issuer, webUrl, ... }) is set by the bench
// (an init script) before any page script runs; results go to `window.benchMarks`, in
// milliseconds since the page's time origin (navigation start) unless named otherwise.
export const BENCH = window.BENCH ?? {};
export const marks = (window.benchMarks = {});

/** Records `marks.visible` in the first animation frame in which an element matching
 *  `selector` is laid out, visible and not transparent: "the buttons are on screen". */
export function watchVisible(selector) {
  const check = () => {
    const el = document.querySelector(selector);
    const box = el?.getBoundingClientRect();
    if (el && box.width > 0 && box.height > 0
      && el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
      marks.visible = performance.now();
      done('visible');
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Tells the bench that `marks[name]` is recorded. By a console message: the bench then
 *  never has to run script in the page while it is being measured (Playwright's
 *  `waitForFunction` would, on the page's main thread, in the middle of the timing). */
export function done(name) {
  console.debug(`bench:${name}`);
}

/** Records an error the page hit, so the bench stops with it instead of timing out. */
export function fail(error) {
  if (marks.error !== undefined) return;
  marks.error = String(error?.errorDescription ?? error?.message ?? JSON.stringify(error));
  done('error');
}
window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
