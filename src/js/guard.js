// A wasm that traps (a panic, or memory exhausted) leaves memory that can no longer be
// trusted: from then on every call throws STOPPED and none reaches it. The wrapper reports
// STOPPED as `unrecoverable_error`.

export const STOPPED = Object.freeze({
  error: 'internal_error',
  errorDescription: 'latch-login stopped after an internal error',
});

let stopped = false;

/** Runs `call` unless the wasm has trapped; a trap now stops it for good. */
export function guarded(call) {
  if (stopped) throw STOPPED;
  try {
    return call();
  } catch (thrown) {
    if (thrown instanceof WebAssembly.RuntimeError) {
      stopped = true;
      throw STOPPED;
    }
    throw thrown;
  }
}

/** `Class` (a wasm-bindgen class) with its construction and every member access guarded. */
export function guard(Class) {
  return class {
    constructor(...args) {
      const made = guarded(() => new Class(...args));
      return new Proxy(made, {
        get(target, name) {
          const value = guarded(() => Reflect.get(target, name, target));
          return typeof value === 'function' ? (...params) => guarded(() => value.apply(target, params)) : value;
        },
      });
    }
  };
}
