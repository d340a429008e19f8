// What the engines' drivers share (see index.mjs).

/** Polls `check` (async, in node) until it gives something truthy; its value. */
export async function poll(check, { timeout = 15_000, every = 50, what = 'a condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error; // a page mid-navigation: try again
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => { setTimeout(r, every); });
  }
}

/** `fn` as the source of an expression the page evaluates with `arg`. */
export function callSource(fn, arg) {
  return `(${fn})(${JSON.stringify(arg ?? null)})`;
}
