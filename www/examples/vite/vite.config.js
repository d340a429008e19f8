// Nothing latch-specific: the package finds its .wasm, stylesheet, service worker, token
// worker and language packs (JSON) with `new URL(..., import.meta.url)`, which Vite turns into
// hashed assets by itself. `base` only lets the built site live in any folder.
export default { base: './' };
