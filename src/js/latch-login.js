// latch-login's loader: the package's entry. The widget is the wasm's `Latch` class
// (src/browser/latch.rs, exported with wasm-bindgen); this file only keeps `new Latch(...)`
// usable at once: it loads the wasm in the background, tells it where its files are (the
// stylesheet, the form_post worker (and the DPoP build's token worker), the language packs
// and brands' marks: bundlers see the `new URL(..., import.meta.url)` here and in
// latch-assets.mjs and ship those files), and queues every call until the wasm is ready. It
// makes no decision of its own.
import initWasm, { Latch as WasmLatch, setAssets } from './bindgen/latch_login.js';
import { guard, guarded } from './guard.js';

/** The wasm's class, every call of it guarded: a wasm that trapped is never called again. */
const Core = guard(WasmLatch);

const VERSION = '__LATCH_VERSION__';

/** Where a lazy file next to this script is, by its path (`lang/pt-br.json`, a language pack
 *  the wasm reads as data; `marks/google.svg`, a brand's mark), as a promise; given the <img>
 *  that shows a mark, that URL becomes its `src`. Should the table not load, no URL (the
 *  widget then speaks English and says why; a button keeps its colour without the mark).
 *  The table of their URLs is a module of its own, latch-assets.mjs (scripts/bundle.mjs
 *  writes it from pkg/: each URL written out whole, so that bundlers ship each file as an
 *  asset of its own), imported only when a page first needs one of them: an English page
 *  without marks loads neither it nor them. Which files exist, and which a page needs, the
 *  wasm decides. */
const locate = (path, image) => import('./latch-assets.mjs').then((table) => {
  const url = table.locate(path);
  if (image && url) image.src = url;
  return url;
}, () => undefined);

let loading;
let loaded = false;

/** Fetches the wasm itself so that a failure names the URL and the status. */
async function instantiate(source) {
  if (source instanceof WebAssembly.Module || source instanceof Response || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    return initWasm({ module_or_path: source });
  }
  const response = await fetch(source);
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  return initWasm({ module_or_path: response });
}

function load(source = new URL('__LATCH_WASM__', import.meta.url)) {
  loading ??= instantiate(source).then(
    () => {
      setAssets(
        new URL('latch.css', import.meta.url).href,
        new URL('latch-sw.js', import.meta.url).href,
        locate,
        // The DPoP build's token worker (scripts/build.sh puts its URL here; `?no-inline`:
        // Vite would otherwise inline this small file as a data: URL, which no CSP of
        // `worker-src 'self'` allows). The default build has none.
        /* __LATCH_TOKEN_WORKER__ */
      );
      loaded = true;
    },
    (thrown) => {
      throw { error: 'wasm_unavailable', errorDescription: `the widget's wasm could not be loaded (${thrown?.message ?? thrown})` };
    },
  );
  return loading;
}

/**
 * Loads the widget's wasm from `source` (a URL, a Response or a WebAssembly.Module) instead
 * of `latch_login_bg.wasm` next to this script: for apps that host it elsewhere. Call it
 * before the first `new Latch(...)`; later calls return the load already under way.
 */
export function init(source) {
  return load(source).then(() => undefined);
}

/** The wasm's widget of each Latch, once made; until then the calls made on it, in order. */
const cores = new WeakMap();
const queues = new WeakMap();

/** What a call returns while the wasm loads, for the methods whose answer cannot wait: the
 *  unsubscribe and undo functions, and the signed-in user (nobody yet). */
const meanwhile = {
  on: (later) => () => later.then((off) => off()),
  attach: (later) => () => later.then((undo) => undo()),
  getUser: () => null,
  getTokens: () => null,
};

export class Latch {
  static version = VERSION;

  /** See `init` above; here for the classic-script build, which has no named exports. */
  static init(source) {
    return init(source);
  }

  /** The verdict this widget gives a connection described as in the client configuration
   *  (`{ name, strategy, min_widget_version, requires }`), for custom buttons. */
  static async supports(connection) {
    await load();
    return guarded(() => WasmLatch.supports(connection));
  }

  /** A JWT's payload decoded for display, NOT VERIFIED; null when it is not a JWT. Needs the
   *  wasm: after `await Latch.init()` or any event of a widget. */
  static decodeToken(token) {
    if (!loaded) throw new TypeError('latch-login: decodeToken() needs the wasm: await Latch.init() first');
    return guarded(() => WasmLatch.decodeToken(token));
  }

  /** `dialect`: `'lock'` from pkg/compat.js's `Auth0Lock`, where Lock's rules apply. */
  constructor(clientId, domain, options, dialect) {
    const queue = [];
    queues.set(this, queue);
    load().then(
      () => {
        const core = new Core(clientId, domain, options, dialect);
        cores.set(this, core);
        queues.delete(this);
        for (const call of queue) call(core);
      },
      (error) => {
        queues.delete(this);
        console.error(`latch-login: ${error.errorDescription}`);
        for (const call of queue) call(null, error);
      },
    );
  }
}

// Every method of the wasm's class, on this one: straight through once the wasm is ready,
// queued before. What a queued call throws is the page's uncaught error, as it would have
// been had the wasm been ready.
for (const name of Object.getOwnPropertyNames(WasmLatch.prototype)) {
  if (name === 'constructor' || name === 'free' || typeof WasmLatch.prototype[name] !== 'function') continue;
  Object.defineProperty(Latch.prototype, name, {
    configurable: true,
    writable: true,
    value(...args) {
      const core = cores.get(this);
      if (core) return core[name](...args);
      const queue = queues.get(this);
      const later = new Promise((resolve, reject) => {
        queue?.push((ready, error) => {
          if (!ready) {
            // The wasm could not be loaded: listeners of unrecoverable_error hear why.
            if (name === 'on' && args[0] === 'unrecoverable_error' && typeof args[1] === 'function') args[1](error);
            reject(error);
            return;
          }
          try {
            resolve(ready[name](...args));
          } catch (thrown) {
            reject(thrown);
          }
        });
      });
      if (Object.hasOwn(meanwhile, name)) {
        later.catch((thrown) => (thrown?.error === 'wasm_unavailable' ? undefined : reportError(thrown)));
        return meanwhile[name](later);
      }
      // A promise of what the call returns; nobody need wait for it (show(), login()).
      later.catch(() => {});
      return later;
    },
  });
}

export default Latch;
