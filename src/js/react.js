// latch-login/react (pkg/react.mjs): `<LatchProvider>`, `useLatch()` and
// `withAuthenticationRequired`, in the shape auth0-react's users know. Glue only: one `Latch`
// per provider, made when the provider first mounts (never on a server, never twice under
// StrictMode's double mount), its events folded into a small store that React reads with
// useSyncExternalStore. What a login, a renewal or a logout does is the wasm's. React is the
// app's own (a peer dependency); nothing here touches a browser global at import or while
// rendering, so a server can render the same tree (`isLoading` true there).
import {
  createContext, createElement, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore,
} from 'react';

import { Latch } from './latch-login.mjs';

const LOADING = Object.freeze({ isLoading: true, isAuthenticated: false, user: null, error: null });
const serverState = () => LOADING;

/** The state of one provider's widget, and the widget, made on first need. Its listeners stay
 *  with the widget (they only write this store), so StrictMode's unmount and mount again lose
 *  no event and make no second widget. */
function createStore(clientId, domain, options) {
  let latch = null;
  let state = LOADING;
  const listeners = new Set();
  const update = (change) => {
    const next = { ...state, ...change };
    next.isAuthenticated = next.user !== null;
    state = Object.freeze(next);
    for (const listener of listeners) listener();
  };
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    latch() {
      if (latch) return latch;
      latch = new Latch(clientId, domain, options);
      // hash_parsed ends the first look at the address bar (a login coming back, or none):
      // the user is then the one that login gave, else one restored from storage, or nobody.
      latch.on('hash_parsed', (result) => update({ isLoading: false, user: result?.profile ?? latch.getUser() }));
      latch.on('authenticated', ({ profile }) => update({ isLoading: false, user: profile, error: null }));
      latch.on('renewed', () => update({ user: latch.getUser() }));
      latch.on('signed_out', () => update({ user: null }));
      for (const name of ['authorization_error', 'unrecoverable_error']) {
        latch.on(name, (error) => update({ isLoading: false, error }));
      }
      return latch;
    },
  };
}

const LatchContext = createContext(null);

/**
 * Makes one widget for its children, with `new Latch(clientId, domain, options)`'s arguments.
 * They are read once, when the provider first mounts (as auth0-react's Auth0Provider does).
 */
export function LatchProvider({
  clientId, domain, options, children,
}) {
  const [store] = useState(() => createStore(clientId, domain, options));
  const state = useSyncExternalStore(store.subscribe, store.state, serverState);
  useEffect(() => {
    const latch = store.latch();
    // Unmounted: the widget's panel leaves with the app.
    return () => latch.hide();
  }, [store]);
  const value = useMemo(() => ({
    ...state,
    /** With a `connection`, straight to it (`popup: true` in a window of its own); without,
     *  the widget's panel, as a modal, to choose one. */
    login: (options) => (options?.connection ? store.latch().login(options) : Promise.resolve(store.latch().show(options))),
    logout: (options) => store.latch().logout(options),
    getTokenSilently: (options) => store.latch().getTokenSilently(options),
    checkSession: (options) => store.latch().checkSession(options),
  }), [state, store]);
  return createElement(LatchContext.Provider, { value }, children);
}

/** The provider's state and methods: `{ isLoading, isAuthenticated, user, error, login,
 *  logout, getTokenSilently, checkSession }`. */
export function useLatch() {
  const value = useContext(LatchContext);
  if (value === null) throw new Error('latch-login/react: useLatch() is called outside <LatchProvider>');
  return value;
}

/**
 * `Component` for signed-in users only: while nobody is signed in, `onRedirecting()` is shown
 * and the login starts (once: `loginOptions`, as `login(loginOptions)`).
 */
export function withAuthenticationRequired(Component, { onRedirecting = () => null, loginOptions } = {}) {
  function WithAuthenticationRequired(props) {
    const { isLoading, isAuthenticated, login } = useLatch();
    const started = useRef(false);
    useEffect(() => {
      if (isLoading || isAuthenticated || started.current) return;
      started.current = true;
      login(loginOptions);
    }, [isLoading, isAuthenticated, login]);
    return isAuthenticated ? createElement(Component, props) : onRedirecting();
  }
  WithAuthenticationRequired.displayName = `WithAuthenticationRequired(${Component.displayName ?? Component.name ?? 'Component'})`;
  return WithAuthenticationRequired;
}
