// A tenant shaped as Auth0 serves one, on the local oidc-provider (tests/e2e/lock-docs.test.mjs):
// an issuer with a trailing slash; `/client/{id}.js` listing the `auth0` database connection
// `Username-Password-Authentication` (sign-ups on), `google-oauth2` and an enterprise `oidc`
// connection that claims `corp.example`; `/v2/logout` and `/userinfo`; an API, whose access
// tokens the `audience` parameter asks for. Two applications, as
// Auth0's quickstarts have them: a single-page app (a public client: code + PKCE from the
// page) and a regular web app (a confidential client: its server exchanges the code with its
// secret, without PKCE). The pages under tests/e2e/pages/lock-docs/ are its allowed callback
// URLs, and `auth0-variables.js` next to them is the embedded-login sample's file of the
// same name, written for this tenant.
//
//   const servers = await startServers({ tenant: auth0Tenant });

import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';

export const SPA_CLIENT = 'lock-docs-spa';
export const WEB_CLIENT = 'lock-docs-web';
/** The regular web app's secret: only the test, as its server, holds it. */
export const WEB_SECRET = randomBytes(24).toString('base64url');
export const DATABASE = 'Username-Password-Authentication';
export const ENTERPRISE = 'corp-oidc';
export const ENTERPRISE_DOMAIN = 'corp.example';
/** An API of the tenant's, by its audience, with its scope: an access token asked for it (the
 *  `audience` parameter) is a JWT whose `aud` is it. */
export const API = 'https://api.example.com/';
/** Where the regular web app's server takes the code. */
export const SERVER_CALLBACK = '/callback';

const PAGES = new URL('../e2e/pages/lock-docs/', import.meta.url);

/** @param {{ webUrl: string, issuer: string }} at the servers' origins */
export function auth0Tenant({ webUrl, issuer }) {
  const pages = readdirSync(PAGES)
    .filter((file) => file.endsWith('.html'))
    .map((file) => `${webUrl}/e2e/lock-docs/${file}`);
  const strategies = [
    {
      name: 'auth0',
      connections: [{
        name: DATABASE, showSignup: true, showForgot: true, passwordPolicy: 'fair', requires_username: false,
      }],
    },
    { name: 'google-oauth2', connections: [{ name: 'google-oauth2', scope: ['email', 'profile'] }] },
    {
      name: 'oidc',
      connections: [{ name: ENTERPRISE, display_name: 'Corp SSO', domain: ENTERPRISE_DOMAIN, domain_aliases: [] }],
    },
  ];
  const configuration = (id) => ({
    id,
    tenant: 'lock-docs',
    subscription: 'free',
    authorize: `${issuer}/authorize`,
    callback: pages[0],
    hasAllowedOrigins: true,
    strategies,
  });
  const client = {
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  return {
    issuer: `${issuer}/`,
    clients: [
      {
        ...client,
        client_id: SPA_CLIENT,
        token_endpoint_auth_method: 'none',
        redirect_uris: pages,
        post_logout_redirect_uris: pages,
      },
      {
        ...client,
        client_id: WEB_CLIENT,
        client_secret: WEB_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [`${webUrl}${SERVER_CALLBACK}`],
        post_logout_redirect_uris: pages,
      },
    ],
    apis: { [API]: 'read:messages' },
    clientConfigs: { [SPA_CLIENT]: configuration(SPA_CLIENT), [WEB_CLIENT]: configuration(WEB_CLIENT) },
    routes: {
      '/e2e/lock-docs/auth0-variables.js': () => ({
        type: 'text/javascript; charset=utf-8',
        body: [
          `var AUTH0_CLIENT_ID = '${SPA_CLIENT}';`,
          `var AUTH0_WEB_CLIENT_ID = '${WEB_CLIENT}';`,
          // A bare domain means https to Lock; the local tenant is http on a loopback host.
          `var AUTH0_DOMAIN = '${issuer}';`,
          `var AUTH0_CALLBACK_URL = location.origin + location.pathname;`,
          `var AUTH0_SERVER_CALLBACK_URL = location.origin + '${SERVER_CALLBACK}';`,
          '',
        ].join('\n'),
      }),
    },
  };
}
