// Where the classic script was loaded from, standing in for `import.meta.url` so the wasm,
// the stylesheet and the service worker are found next to it. `document.currentScript` is
// only set while a classic script first runs; as a module (or injected late) the script is
// found by its file name.
export const scriptUrl = (() => {
  const current = typeof document !== 'undefined' ? document.currentScript : null;
  if (current && current.src) return current.src;
  const byName = typeof document !== 'undefined'
    ? [...document.querySelectorAll('script[src]')].find((s) => /(^|\/)latch-login(-dpop)?(\.min)?\.js([?#]|$)/.test(s.src))
    : null;
  return byName ? byName.src : globalThis.location.href;
})();
