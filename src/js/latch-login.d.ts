// Types of latch-login's page-facing API (pkg/latch-login.mjs and, as `window.Latch`, the
// classic script pkg/latch-login.js). Option and event names follow Auth0 Lock's.

/** A direct OpenID Connect provider (no broker): `options.connections`. */
export interface DirectConnection {
  /** The connection's name: in `profile.user_id` as `oidc|{name}|{sub}`. */
  name: string;
  display_name?: string;
  /** The Issuer URL: a base URL or the full `/.well-known/openid-configuration` URL. */
  issuer?: string;
  discovery_url?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  end_session_endpoint?: string;
  client_id: string;
  /** `back_channel` (code + PKCE, the default) or `front_channel` (id_token by form_post). */
  type?: 'back_channel' | 'front_channel';
  /** Comma- or space-separated; `openid` is always sent. */
  scopes?: string;
  /** Email domains that route to this connection. */
  domain?: string;
  domain_aliases?: string[];
  /** The lowest latch-login version that may serve it (semver; `"0.4"` is 0.4.0). */
  min_widget_version?: string;
  /** Capabilities it needs (`pkce_s256`, `form_post`, ...); one this build lacks disables it. */
  requires?: string[];
  /** Refused: a client secret in a browser is public. */
  client_secret?: never;
}

export interface AuthOptions {
  /** Where the provider sends the user back (default: this page without query or fragment). */
  redirectUrl?: string;
  responseType?: 'code';
  /** Extra authorize parameters: scope, audience, prompt, login_hint, ui_locales, max_age, ... */
  params?: Record<string, string | number | boolean>;
  /** `false` to handle the return yourself with `resumeAuth()`. */
  autoParseHash?: boolean;
  /** Where the tokens are kept: `memory` (default) or `sessionStorage` (survive a reload). */
  tokenStorage?: 'memory' | 'sessionStorage';
  /** Where the form_post service worker is (default: `latch-sw.js` next to the script). */
  serviceWorkerUrl?: string;
}

export interface LatchOptions {
  /** Id of the element to render into; without it the widget is a modal. */
  container?: string;
  closable?: boolean;
  /** Connection names to offer, in this order. */
  allowedConnections?: string[];
  auth?: AuthOptions;
  /** Where `{configurationBaseUrl}/client/{clientId}.json` lives (default: the domain). */
  configurationBaseUrl?: string;
  theme?: {
    primaryColor?: string;
    logo?: string;
    /** `false`: an arrow instead of "Continue" on the email form's button. */
    labeledSubmitButton?: boolean;
    /** Per connection name: its button's text, colours and icon URL. */
    authButtons?: Record<string, { displayName?: string; primaryColor?: string; foregroundColor?: string; icon?: string }>;
  };
  /** Offer the connection of the last login first (default true); keeps only its name. */
  rememberLastLogin?: boolean;
  /** The widget's language: en (default, built in), es, fr, de, ja, ar (right to left). Every
   *  language but English is a small pack, `lang/{tag}.js`, loaded for the page that
   *  chooses it; should it fail to load, the widget shows English and says so in the console. */
  language?: 'en' | 'es' | 'fr' | 'de' | 'ja' | 'ar' | string;
  /** Where the language packs are (`{languageBaseUrl}/fr.js`), for apps that host them
   *  elsewhere; by default the `lang/` folder next to the widget's script. */
  languageBaseUrl?: string;
  languageDictionary?: Record<string, string>;
  /** Seconds of clock skew allowed on the ID token's `exp` and `iat` (default 60). */
  leeway?: number;
  connections?: DirectConnection[];
  /** `false` to leave out latch.css. */
  stylesheet?: boolean;
}

/** The normalized user profile (Auth0's shape). */
export interface Profile {
  /** `{strategy}|{connection}|{sub}` */
  user_id: string;
  sub: string;
  clientID: string;
  name?: string;
  nickname?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
  updated_at?: string;
  identities: Array<{ user_id: string; provider: string; connection: string; isSocial: boolean }>;
  [claim: string]: unknown;
}

export interface AuthResult {
  idToken: string;
  accessToken?: string;
  tokenType?: string;
  expiresIn?: number;
  scope?: string;
  /** The verified ID token's claims. */
  idTokenPayload: Record<string, unknown>;
  profile: Profile;
  appState?: unknown;
  connection: string;
}

/** `error` is a stable code: the provider's (`access_denied`, `invalid_grant`, ...) or the
 *  widget's check that failed (`state_mismatch`, `nonce_mismatch`, `invalid_signature`, ...). */
export interface LatchError {
  error: string;
  errorDescription: string;
}

export interface UnsupportedConnection {
  connection: string;
  strategy: string;
  required: string | null;
  actual: string;
  missing: string[];
  /** The short reason, as the disabled button shows it (in English). */
  reason: string;
}

/** What `Latch.supports` says of a connection: every member, whatever the verdict. */
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

export interface LatchEvents {
  show: undefined;
  hide: undefined;
  'signin ready': undefined;
  authenticated: AuthResult;
  authorization_error: LatchError;
  unrecoverable_error: LatchError;
  unsupported_connection: UnsupportedConnection;
}

export interface Tokens {
  idToken: string;
  accessToken?: string;
  tokenType?: string;
  scope?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Load the wasm from elsewhere than next to the script; call before the first `new Latch`. */
export function init(wasmUrl: string | URL | Response | WebAssembly.Module): Promise<void>;

export class Latch {
  constructor(clientId: string, domain: string, options?: LatchOptions);
  static readonly version: string;
  static init(wasmUrl: string | URL | Response | WebAssembly.Module): Promise<void>;
  /** A JWT's payload decoded for display. NOT VERIFIED. Null when it is not a JWT. */
  static decodeToken(token: string): Record<string, unknown> | null;
  /** The verdict this widget gives a connection (as the client configuration describes it). */
  static supports(connection: {
    name?: string;
    strategy: string;
    min_widget_version?: string;
    requires?: string[];
  }): Promise<Verdict>;
  show(): void;
  hide(): void;
  on<E extends keyof LatchEvents>(event: E, fn: (payload: LatchEvents[E]) => void): () => void;
  resumeAuth(params?: string): Promise<boolean>;
  getUser(): Profile | null;
  getTokens(): Tokens | null;
  authorizeUrl(options: { connection: string; appState?: unknown }): Promise<string>;
  login(options: { connection: string; appState?: unknown }): void;
  /** Makes `element` (or the element a selector finds) a login button; returns the undo. */
  attach(element: Element | string, options: { connection: string; appState?: unknown }): () => void;
  logout(options?: { returnTo?: string }): Promise<string>;
}

export default Latch;
