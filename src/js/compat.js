// latch-login/compat.js, opt-in: the classic-script build with Auth0 Lock's global name as
// well, so a page that loaded Lock's CDN build switches by changing its script tag alone:
// `new Auth0Lock(clientId, domain, options)` then makes a latch-login widget. What of Lock's
// surface it has, and what it does not, is the README's migration table.
import { Latch } from './latch-login.mjs';

globalThis.Latch = Latch;
/** Lock's name: the same widget, told to follow Lock's own rules where they differ from
 *  latch-login's (which rules, the wasm decides: `responseType: 'code'` with a redirectUrl is
 *  the server's code, as in Lock). */
globalThis.Auth0Lock = class Auth0Lock extends Latch {
  constructor(clientId, domain, options) {
    super(clientId, domain, options, 'lock');
  }
};
