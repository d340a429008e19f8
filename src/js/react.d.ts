// Types of latch-login/react (pkg/react.mjs).
import type { ComponentType, ReactElement, ReactNode } from 'react';
import type {
  AuthResult, CheckSessionOptions, GetTokenSilentlyOptions, LatchError, LatchOptions, LoginOptions, LogoutOptions, Profile, ShowOptions,
} from './latch-login.js';

export interface LatchProviderProps {
  clientId: string;
  domain: string;
  /** `new Latch`'s options; read once, when the provider first mounts. */
  options?: LatchOptions;
  children?: ReactNode;
}

/** What `useLatch()` returns. */
export interface LatchState {
  /** True until the widget has looked at the address bar for a login coming back (and on a
   *  server). */
  isLoading: boolean;
  isAuthenticated: boolean;
  user: Profile | null;
  /** The last `authorization_error` or `unrecoverable_error`; a login clears it. */
  error: LatchError | null;
  /** With a `connection`, `latch.login(options)`; without, the widget's panel as a modal
   *  (`latch.show(options)`), resolving at once. */
  login(options?: LoginOptions | ShowOptions): Promise<AuthResult | undefined>;
  logout(options?: LogoutOptions): Promise<string>;
  getTokenSilently(options?: GetTokenSilentlyOptions): Promise<string>;
  checkSession(options?: CheckSessionOptions): Promise<AuthResult>;
}

export declare function LatchProvider(props: LatchProviderProps): ReactElement;
export declare function useLatch(): LatchState;

export interface WithAuthenticationRequiredOptions {
  /** Shown while nobody is signed in (default: nothing). */
  onRedirecting?: () => ReactNode;
  /** What the guard's `login()` is given. */
  loginOptions?: LoginOptions | ShowOptions;
}

export declare function withAuthenticationRequired<P extends object>(
  Component: ComponentType<P>,
  options?: WithAuthenticationRequiredOptions,
): ComponentType<P>;
