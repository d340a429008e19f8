/** A direct OpenID Connect provider (no broker): `options.connections`. */
export interface DirectConnection {
  /** The connection's name: in `profile.user_id` as `oidc|{name}|{sub}`. */
  name: string;
  display_name?: string;
  /** `back_channel` (code + PKCE, the default) or `front_channel` (id_token by form_post). */
  type?: 'back_channel' | 'front_channel';
  /** The provider's `/.well-known/openid-configuration` URL, when it is not under `issuer`. */
  discovery_url?: string;
  /** The Issuer URL: a base URL or the full `/.well-known/openid-configuration` URL. */
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  end_session_endpoint?: string;
  /** With explicit endpoints: the userinfo endpoint, for `getUserInfo` and the profile. */
  userinfo_endpoint?: string;
  client_id: string;
  /** Comma- or space-separated; `openid` is always sent. `scope` is read the same. */
  scopes?: string;
  scope?: string;
  /** Refused: a client secret in a browser is public. */
  client_secret?: never;
  /** Email domains that route to this connection. */
  domain?: string;
  domain_aliases?: string[];
  /** The lowest latch-login version that may serve it (semver; `"0.4"` is 0.4.0). */
  min_widget_version?: string;
  /** Capabilities it needs (`pkce_s256`, `form_post`, ...); one this build lacks disables it. */
  requires?: string[];
  /** `true`: refuse a provider whose discovery does not list S256 in
   *  `code_challenge_methods_supported` (by default an absent member still gets PKCE S256). */
  require_pkce_metadata?: boolean;
  /** `false`: the profile is the ID token's claims alone. By default (`true`) the claims the
   *  scope asked for (`profile`, `email`) and the ID token lacks come from the userinfo
   *  endpoint, whose `sub` must be the ID token's (else `userinfo_subject_mismatch`). */
  profile_from_userinfo?: boolean;
}

export interface AuthOptions {
  /** Where the provider sends the user back (default: this page without query or fragment). */
  redirectUrl?: string;
  /** Where a provider without `web_message` sends the answer of `checkSession` and popup
   *  logins: a page of this origin, registered at the provider (default: `redirectUrl`). */
  silentRedirectUrl?: string;
  /** `code` (default): code + PKCE, exchanged by the widget (under `Auth0Lock`, with a
   *  `redirectUrl`, the app's server exchanges it, as in Lock). `token`, `id_token` and
   *  `token id_token` are carried out as code + PKCE too (RFC 9700), with Lock's authResult. */
  responseType?: 'code' | 'token' | 'id_token' | 'token id_token' | 'id_token token';
  /** `server`: the app's server exchanges the code (no PKCE, no exchange in the page,
   *  `params.state` sent as given); `page` (default for `new Latch`): the widget does. */
  codeExchange?: 'page' | 'server';
  /** Lock's `auth.audience`: sent as the `audience` parameter. */
  audience?: string;
  /** Lock's `auth.state`, as `params.state`: handed back as `authResult.state`. */
  state?: string;
  /** Extra authorize parameters: scope, audience, prompt, login_hint, ui_locales, max_age, ...
   *  `state` is the app's own, returned as `authResult.state`. */
  params?: Record<string, string | number | boolean>;
  /** `false` to handle the return yourself with `resumeAuth()`. */
  autoParseHash?: boolean;
  /** `false`: the widget's buttons log in in a popup window, as `login({ popup: true })`. */
  redirect?: boolean;
  /** `true`: on load, with no response to handle, `checkSession` runs by itself, and
   *  `authenticated` fires if the user is still signed in at the provider. */
  sso?: boolean;
  /** `true`: ask for a refresh token (`offline_access`), kept in the wasm's memory only, and
   *  renew the access token with it in `getTokenSilently()` (rotation; `invalid_grant` signs
   *  out). */
  useRefreshTokens?: boolean;
  /** `true`: DPoP (RFC 9449). Every login's tokens are bound to an ES256 key made with
   *  WebCrypto (its private half not extractable) and kept in IndexedDB: `dpop_jkt` on the
   *  authorize link, a proof on every token request, `token_type: DPoP` required, and
   *  `fetchWithToken()` sends `Authorization: DPoP` with a proof. The key is deleted on
   *  logout and `signed_out`. */
  dpop?: boolean;
  /** `true` (needs `dpop: true`; implies `useRefreshTokens`): the DPoP-bound refresh token is
   *  kept in IndexedDB beside the key, so that a reload signs in again with one refresh
   *  request (no iframe, no third-party cookie) and fires `authenticated`. */
  persistRefreshToken?: boolean;
  /** `true`: renew the access token by itself as it comes within `leeway` of expiry (by
   *  refresh token, else `checkSession`), firing `renewed`, or `renewal_error` on failure. */
  autoRenew?: boolean;
  /** Where the tokens are kept: `memory` (default) or `sessionStorage` (survive a reload). */
  tokenStorage?: 'memory' | 'sessionStorage';
  /** Where the form_post service worker is (default: `latch-sw.js` next to the script). */
  serviceWorkerUrl?: string;
  /** Every request's deadline in ms (default 10000 for documents and userinfo, 20000 for the
   *  token endpoint): one past it is aborted, and ends in a `timeout` error. */
  requestTimeout?: number;
}

/** A connection's button: its text, colours and icon URL. */
export interface AuthButton {
  displayName?: string;
  primaryColor?: string;
  foregroundColor?: string;
  icon?: string;
}

export interface ThemeOptions {
  primaryColor?: string;
  logo?: string;
  /** `false`: an arrow instead of "Continue" on the email form's button. */
  labeledSubmitButton?: boolean;
  /** Per connection name. */
  authButtons?: Record<string, AuthButton>;
}

/** The widget's texts by key (`title`, `loginWithLabel`, ...), or a dictionary written for
 *  Lock, nested keys and all (`error: { login: { ... } }`). */
export interface LanguageDictionary {
  [key: string]: string | null | LanguageDictionary;
}

export interface LatchOptions {
  /** Id of the element to render into; without it the widget is a modal. */
  container?: string;
  /** Connection names to offer, in this order. */
  allowedConnections?: string[];
  auth?: AuthOptions;
  /** Where the client configuration is, `{clientBaseUrl}/client/{clientId}.js`, as in Lock:
   *  `clientBaseUrl`, else `configurationBaseUrl`, else `assetsUrl`, else the domain. */
  clientBaseUrl?: string;
  configurationBaseUrl?: string;
  assetsUrl?: string;
  /** `script` (default): `/client/{clientId}.js`, `Auth0.setClient({...});` as Auth0 serves
   *  it, read as data, never run. `json`: `/client/{clientId}.json`, for other brokers. */
  configurationFormat?: 'script' | 'json';
  theme?: ThemeOptions;
  /** Any text of the widget, by its key; null keeps the built-in text. A dictionary written
   *  for Lock works too: its nested keys are read, those that say what a text of the widget
   *  says set it, and the others are ignored with one console warning. */
  languageDictionary?: LanguageDictionary;
  /** The widget's language: en (default, built in) or any code auth0-lock 14 ships a
   *  dictionary for (pt-br, zh-tw, ...; ar, fa and he right to left). Every language but
   *  English is a small pack, `lang/{code}.json`, fetched for the page that chooses it and
   *  read as data; should it fail to load, the widget shows English and says so in the
   *  console. */
  language?: 'en' | 'af' | 'ar' | 'az' | 'bg' | 'ca' | 'cs' | 'da' | 'de' | 'el' | 'es' | 'et' | 'fa' | 'fi' | 'fr' | 'he' | 'hr' | 'hu' | 'id' | 'it' | 'ja' | 'ko' | 'lt' | 'lv' | 'ms' | 'nb' | 'nl' | 'nn' | 'no' | 'pl' | 'pt' | 'pt-br' | 'ro' | 'ru' | 'sk' | 'sl' | 'sr' | 'sv' | 'tr' | 'ua' | 'uk' | 'vi' | 'zh' | 'zh-tw' | (string & {});
  /** Where the language packs are (`{languageBaseUrl}/fr.json`, JSON), for apps that host
   *  them elsewhere; by default the `lang/` folder next to the widget's script. An https URL
   *  (plain http only on a loopback host), without credentials, query or fragment. */
  languageBaseUrl?: string;
  closable?: boolean;
  /** Offer the connection of the last login first (default true); keeps only its name. */
  rememberLastLogin?: boolean;
  /** Seconds of clock skew allowed on the ID token's `exp` and `iat` (default 60, at most 300, as Lock). */
  leeway?: number;
  /** `false` to leave out latch.css. */
  stylesheet?: boolean;
  connections?: DirectConnection[];
  /** Lock's `allowSignUp` (default true): the "Sign up" link of a database connection. */
  allowSignUp?: boolean;
  /** `signUp`: the database connection's logins open the hosted page's sign-up form. */
  initialScreen?: 'login' | 'signUp' | 'forgotPassword';
  /** Lock's `flashMessage`: a line on the login screen, unless `show()` gives its own. */
  flashMessage?: FlashMessage;
}

/** One identity of the profile. */
export interface Identity {
  user_id: string;
  provider: string;
  connection: string;
  isSocial: boolean;
}

/** The normalized user profile (Auth0's shape). */
export interface Profile {
  name: string;
  email?: string;
  email_verified?: boolean;
  nickname: string;
  picture?: string;
  clientID: string;
  updated_at?: string;
  /** `{strategy}|{connection}|{sub}` */
  user_id: string;
  sub: string;
  identities: Identity[];
}

export interface AuthResult {
  idToken: string;
  accessToken?: string;
  tokenType?: string;
  expiresIn?: number;
  scope?: string;
  /** When the access token (else the ID token) expires, in milliseconds since the epoch, as
   *  `getTokens()` has it. */
  expiresAt: number;
  profile: Profile;
  connection: string;
  /** Lock's `state`: the app's `auth.params.state` when it gave one, else the login's own. */
  state: string;
  /** The verified ID token's claims. */
  idTokenPayload: Record<string, unknown>;
  /** What the app gave `login()` or `authorizeUrl()` as `appState`. */
  appState?: unknown;
}

/** `error` is a stable code: the provider's (`access_denied`, `invalid_grant`, ...) or the
 *  widget's check that failed (`state_mismatch`, `nonce_mismatch`, `invalid_signature`, ...). */
export interface LatchError {
  error: string;
  errorDescription: string;
}

/** What `Latch.supports` and the `unsupported_connection` event say of a connection: every
 *  member, whatever the verdict. */
export interface Verdict {
  supported: boolean;
  connection: string;
  strategy: string;
  /** The lowest widget version that could serve it, when one is known. */
  required: string | null;
  /** This widget's version. */
  actual: string;
  /** Capabilities this build lacks. */
  missing: string[];
  /** Why it cannot be served (in English); null when it can. */
  reason: string | null;
}

/** The payload of `unsupported_connection`. */
export type UnsupportedConnection = Verdict;

/** A connection as `Latch.supports` takes it, described as in the client configuration. */
export interface ConnectionDescription {
  name?: string;
  strategy?: string;
  min_widget_version?: string;
  requires?: string[];
}

/** What `getTokens()` returns while the login's tokens are good. */
export interface Tokens {
  idToken: string;
  accessToken?: string;
  tokenType?: string;
  scope?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface LatchEvents {
  show: undefined;
  hide: undefined;
  'signin ready': undefined;
  /** Never fired (no password screens): accepted for code written for Lock. */
  'forgot_password ready': undefined;
  /** A response in the address bar (or given to `resumeAuth`) was handled: the
   *  `authenticated` payload that follows, or null (none, or it failed). */
  hash_parsed: AuthResult | null;
  authenticated: AuthResult;
  authorization_error: LatchError;
  unrecoverable_error: LatchError;
  unsupported_connection: Verdict;
  /** Another tab of the app logged out: this one has forgotten its login too. */
  signed_out: undefined;
  /** The access token was renewed (`getTokenSilently`, `auth.autoRenew`, or another tab of
   *  the app renewing the same login): the tokens as `getTokens()` now has them. */
  renewed: Tokens;
  /** An `auth.autoRenew` renewal failed (after the one retry a network error, a `timeout` or
   *  a 5xx gets; the next is due at the next `getTokenSilently()`). */
  renewal_error: LatchError;
}

/** `login()`, `authorizeUrl()` and `attach()`: which connection, and the app's own state. */
export interface LoginOptions {
  connection: string;
  appState?: unknown;
  /** `login()` only: log in in a popup window; the page never navigates. */
  popup?: boolean;
  /** A popup login's time limit in milliseconds (default 60000). */
  timeout?: number;
}

/** Lock's `show(options)`: each applies to this showing only. */
export interface ShowOptions {
  /** The connections to offer this time, in this order (within those the widget offers). */
  allowedConnections?: string[];
  auth?: ShowAuthOptions;
  /** Texts of this showing, over the widget's own `languageDictionary`. */
  languageDictionary?: LanguageDictionary;
  /** `login`, the widget's one screen; `signUp` and `forgotPassword` (database connections,
   *  Auth0's own API) show it too, and say so in the console. */
  initialScreen?: 'login' | 'signUp' | 'forgotPassword';
  /** A line at the top of the panel (default type `info`). */
  flashMessage?: FlashMessage;
}

export interface ShowAuthOptions {
  /** Authorize parameters of the logins started from this showing, over `auth.params`. */
  params?: Record<string, string | number | boolean | null>;
}

export interface FlashMessage {
  type?: 'success' | 'error' | 'info';
  text: string;
}

export interface GetTokenSilentlyOptions {
  /** `off`: renew even if the access token in memory is still good (default `on`). */
  cacheMode?: 'on' | 'off';
}

export interface CheckSessionOptions {
  /** The connection to check (default: the last one logged in with, else the first). */
  connection?: string;
  /** Milliseconds before the attempt ends with a `timeout` error (default 10000). */
  timeout?: number;
}

export interface LogoutOptions {
  /** Where the provider sends the user afterwards (absolute http(s) URL). */
  returnTo?: string;
  /** Also log out of the identity provider behind a broker's connection (Auth0's
   *  `federated`); ignored for direct providers. */
  federated?: boolean;
}
