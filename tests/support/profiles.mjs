// Test profiles of the providers people run (issue 29): Microsoft Entra ID (one tenant, and
// `common`), Okta (the org authorization server and a custom one), Keycloak (a realm) and
// Google. Each is a real oidc-provider instance on 127.0.0.1, mounted where that provider
// puts its endpoints, with the discovery document it publishes (the members and values of its
// documentation, the URLs pointed at this server) and ID tokens shaped like its own. What
// each publishes, from their documentation:
//   Entra ID: learn.microsoft.com/entra/identity-platform/v2-protocols-oidc and id-token-claims-reference
//   Okta:     developer.okta.com/docs/reference/api/oidc (/.well-known/openid-configuration, ID token claims)
//   Keycloak: www.keycloak.org/securing-apps/oidc-layers (realms/{realm}/.well-known/openid-configuration)
//   Google:   accounts.google.com/.well-known/openid-configuration, developers.google.com/identity/openid-connect/openid-connect
//
// oidc-provider sets `amr`, `azp` and `at_hash` itself (amr from the login, azp only for
// several audiences, at_hash only beside an access token from the authorization endpoint), so
// those shapes are not reproduced here; core::claims's unit tests hold them instead.
//
//   const profiles = await startProfiles({ webUrl });
//   profiles.origin, profiles.connection('okta-org'), profiles.close()

import { createServer } from 'node:http';

import Provider from 'oidc-provider';

import { providerConfiguration } from './provider.mjs';

/** The Entra ID tenant the users below belong to, and another one. */
export const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const ALICE = {
  name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', email: 'alice@example.com',
};

/**
 * Each profile: where its provider is mounted (`mount`: the path its routes hang under),
 * its issuer's path, its routes, the discovery document's path and the published members
 * beside the endpoints, and the claims of its ID tokens and its userinfo answers.
 */
const PROFILES = {
  // Entra ID v2.0: PKCE member absent; the ID token has name and preferred_username but no
  // email (an optional claim), which userinfo gives; sub is pairwise, oid the user.
  'entra-tenant': {
    mount: `/entra/${TENANT}`,
    issuer: `/entra/${TENANT}/v2.0`,
    discovery: `/entra/${TENANT}/v2.0/.well-known/openid-configuration`,
    routes: {
      authorization: '/oauth2/v2.0/authorize',
      token: '/oauth2/v2.0/token',
      jwks: '/discovery/v2.0/keys',
      userinfo: '/oidc/userinfo',
      end_session: '/oauth2/v2.0/logout',
    },
    published: (origin) => ({
      issuer: `${origin}/entra/${TENANT}/v2.0`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      request_uri_parameter_supported: false,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name',
        'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid',
        'ver', 'at_hash', 'c_hash', 'email'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    }),
    idToken: (user) => ({
      ...(user.tid === undefined ? {} : { tid: user.tid }),
      ver: '2.0',
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      name: ALICE.name,
      preferred_username: 'alice@contoso.onmicrosoft.com',
    }),
    userinfo: () => ({
      name: ALICE.name, given_name: ALICE.given_name, family_name: ALICE.family_name, email: ALICE.email,
    }),
  },
  // Okta's org authorization server: issuer is the org's origin, endpoints under /oauth2/v1.
  'okta-org': {
    mount: '/okta',
    issuer: '/okta',
    discovery: '/okta/.well-known/openid-configuration',
    routes: {
      authorization: '/oauth2/v1/authorize',
      token: '/oauth2/v1/token',
      jwks: '/oauth2/v1/keys',
      userinfo: '/oauth2/v1/userinfo',
      end_session: '/oauth2/v1/logout',
    },
    published: (origin) => okta(`${origin}/okta`),
    idToken: () => ({
      ver: 1, amr: ['pwd'], idp: '00ok1u7AsAkrwdZL3z0g', name: ALICE.name,
      preferred_username: ALICE.email, email: ALICE.email,
    }),
    userinfo: () => ({ ...ALICE, preferred_username: ALICE.email, email_verified: true }),
  },
  // An Okta custom authorization server (`default`): issuer and endpoints under /oauth2/default.
  'okta-custom': {
    mount: '/okta/oauth2/default',
    issuer: '/okta/oauth2/default',
    discovery: '/okta/oauth2/default/.well-known/openid-configuration',
    routes: {
      authorization: '/v1/authorize',
      token: '/v1/token',
      jwks: '/v1/keys',
      userinfo: '/v1/userinfo',
      end_session: '/v1/logout',
    },
    published: (origin) => okta(`${origin}/okta/oauth2/default`),
    idToken: () => ({
      ver: 1, amr: ['pwd'], idp: '00ok1u7AsAkrwdZL3z0g', name: ALICE.name,
      preferred_username: ALICE.email, email: ALICE.email,
    }),
    userinfo: () => ({ ...ALICE, preferred_username: ALICE.email, email_verified: true }),
  },
  // Keycloak: a realm, endpoints under protocol/openid-connect; it says it sends `iss`.
  keycloak: {
    mount: '/keycloak/realms/latch',
    issuer: '/keycloak/realms/latch',
    discovery: '/keycloak/realms/latch/.well-known/openid-configuration',
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
      end_session: '/protocol/openid-connect/logout',
    },
    published: (origin) => ({
      issuer: `${origin}/keycloak/realms/latch`,
      grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials'],
      response_types_supported: ['code', 'none', 'id_token', 'token', 'id_token token', 'code id_token',
        'code token', 'code id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post', 'query.jwt', 'fragment.jwt', 'form_post.jwt', 'jwt'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['PS384', 'RS384', 'EdDSA', 'ES384', 'HS256', 'HS512', 'ES256', 'RS256',
        'HS384', 'ES512', 'PS256', 'PS512', 'RS512'],
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'client_secret_post',
        'tls_client_auth', 'client_secret_jwt'],
      code_challenge_methods_supported: ['plain', 'S256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'roles', 'web-origins', 'acr', 'address',
        'phone', 'microprofile-jwt', 'basic', 'organization'],
      claims_supported: ['aud', 'sub', 'iss', 'auth_time', 'name', 'given_name', 'family_name', 'preferred_username',
        'email', 'acr'],
      authorization_response_iss_parameter_supported: true,
      backchannel_logout_supported: true,
      frontchannel_logout_supported: true,
    }),
    idToken: () => ({
      typ: 'ID', sid: 'e2d0ad8c-5c5a-4c5f-9d2c-3f1e0a1d7c11', email_verified: true, name: ALICE.name,
      preferred_username: 'alice', given_name: ALICE.given_name, family_name: ALICE.family_name,
      email: ALICE.email,
    }),
    userinfo: () => ({ ...ALICE, preferred_username: 'alice', email_verified: true }),
  },
  // Google: PKCE with plain and S256, no offline_access among its scopes (it asks
  // access_type=offline instead), no end_session_endpoint; secrets at the token endpoint.
  google: {
    mount: '/google',
    issuer: '/google',
    discovery: '/google/.well-known/openid-configuration',
    routes: {
      authorization: '/o/oauth2/v2/auth',
      token: '/token',
      jwks: '/oauth2/v3/certs',
      userinfo: '/v1/userinfo',
    },
    published: (origin) => ({
      issuer: `${origin}/google`,
      device_authorization_endpoint: `${origin}/google/device/code`,
      revocation_endpoint: `${origin}/google/revoke`,
      response_types_supported: ['code', 'token', 'id_token', 'code token', 'code id_token', 'token id_token',
        'code token id_token', 'none'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name',
        'picture', 'sub'],
      code_challenge_methods_supported: ['plain', 'S256'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:jwt-bearer'],
    }),
    idToken: () => ({
      hd: 'example.com', email: ALICE.email, email_verified: true, name: ALICE.name,
      picture: 'https://lh3.googleusercontent.com/a/alice', given_name: ALICE.given_name,
      family_name: ALICE.family_name,
    }),
    userinfo: () => ({ ...ALICE, email_verified: true, hd: 'example.com' }),
  },
};

/** Okta's published members (org and custom servers publish the same list). */
function okta(issuer) {
  return {
    issuer,
    response_types_supported: ['code', 'id_token', 'code id_token', 'code token', 'id_token token',
      'code id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password',
      'urn:ietf:params:oauth:grant-type:device_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt',
      'private_key_jwt', 'none'],
    claims_supported: ['iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name',
      'nickname', 'preferred_username', 'given_name', 'family_name', 'email', 'email_verified', 'zoneinfo',
      'locale', 'address', 'phone_number', 'picture', 'updated_at'],
    code_challenge_methods_supported: ['S256'],
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256',
      'ES384', 'ES512'],
  };
}

/** The users at every profile: alice; for Entra ID, `mallory` whose tid is another tenant's
 *  and `ghost` who comes with no tid. */
function user(id) {
  if (id === 'mallory') return { tid: OTHER_TENANT };
  if (id === 'ghost') return { tid: undefined };
  return { tid: TENANT };
}

function providerFor(name, profile, origin, webUrl) {
  // As the providers do: a refresh token only for offline_access (Core §11), oidc-provider's
  // default, in place of the local provider's refresh token for every code.
  const { issueRefreshToken: _everyCode, ...base } = providerConfiguration({ webUrl });
  const idTokenClaims = Object.keys({ ...profile.idToken(user('alice')), tid: 1 });
  const provider = new Provider(`${origin}${profile.issuer}`, {
    ...base,
    routes: profile.routes,
    cookies: {
      ...base.cookies,
      names: { session: `_session_${name}`, interaction: `_interaction_${name}`, resume: `_resume_${name}` },
    },
    claims: {
      openid: ['sub', ...idTokenClaims],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'nickname', 'picture'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        // The ID token's claims as the profile's provider shapes them; the userinfo answer
        // its own.
        async claims(use) {
          if (use === 'id_token') return { sub, ...profile.idToken(user(sub)) };
          return { sub, ...profile.userinfo(user(sub)) };
        },
      };
    },
  });
  return provider;
}

/** Changes the JSON object answered on `res` with `change`. */
function rewrite(res, change) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    const text = Buffer.isBuffer(chunk) || typeof chunk === 'string' ? chunk.toString() : '';
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* not JSON: left as it is */ }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      change(parsed);
      const body = JSON.stringify(parsed);
      res.setHeader('Content-Length', Buffer.byteLength(body));
      return end(body, ...rest);
    }
    return end(chunk, ...rest);
  };
}

/**
 * Start the profile server on 127.0.0.1.
 *
 * @param {{ webUrl: string }} options  the app's origin (its redirect URIs are registered)
 */
export async function startProfiles({ webUrl }) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const mounted = Object.entries(PROFILES).map(([name, profile]) => {
    const provider = providerFor(name, profile, origin, webUrl);
    return { name, profile, provider, handler: provider.callback() };
  });
  // Entra ID's `common` answers from the user's home tenant: the same provider, at /common.
  const entra = mounted.find((m) => m.name === 'entra-tenant');
  const discovery = (m) => {
    const { routes } = m.profile;
    const at = (route) => `${origin}${m.profile.mount}${route}`;
    return {
      authorization_endpoint: at(routes.authorization),
      token_endpoint: at(routes.token),
      jwks_uri: at(routes.jwks),
      userinfo_endpoint: at(routes.userinfo),
      ...(routes.end_session ? { end_session_endpoint: at(routes.end_session) } : {}),
      ...m.profile.published(origin),
    };
  };
  const documents = new Map(mounted.map((m) => [m.profile.discovery, discovery(m)]));
  documents.set('/entra/common/v2.0/.well-known/openid-configuration', {
    ...Object.fromEntries(Object.entries(discovery(entra)).map(([k, v]) => [k,
      typeof v === 'string' ? v.replace(`/entra/${TENANT}/`, '/entra/common/') : v])),
    issuer: `${origin}/entra/{tenantid}/v2.0`,
  });
  const mounts = [
    ...mounted.map((m) => ({ prefix: m.profile.mount, handler: m.handler })),
    { prefix: '/entra/common', handler: entra.handler },
  ].sort((a, b) => b.prefix.length - a.prefix.length);

  // Quirks a test may switch on: `omitScope`, a token response without `scope` (RFC 6749
  // §5.1 allows it; django-oidc-provider sends none); `userinfoSub`, a userinfo answer about
  // another subject than the ID token's.
  const quirks = { omitScope: false, userinfoSub: undefined };
  server.on('request', (req, res) => {
    const { pathname } = new URL(req.url, origin);
    const document = documents.get(pathname);
    if (document) {
      const body = JSON.stringify(document);
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-store',
      });
      res.end(body);
      return;
    }
    const mount = mounts.find((m) => pathname === m.prefix || pathname.startsWith(`${m.prefix}/`));
    if (!mount) {
      res.writeHead(404).end();
      return;
    }
    // oidc-provider reads its mount path from originalUrl less url (its own routes).
    req.originalUrl = req.url;
    req.url = req.url.slice(mount.prefix.length) || '/';
    if (quirks.omitScope && req.method === 'POST' && /\/token$/.test(pathname)) {
      rewrite(res, (answer) => { delete answer.scope; });
    }
    if (quirks.userinfoSub && /userinfo$/.test(pathname)) {
      rewrite(res, (answer) => { answer.sub = quirks.userinfoSub; });
    }
    mount.handler(req, res);
  });

  return {
    origin,
    quirks,
    /** The discovery URL of profile `name` (`entra-common` for Entra ID's common). */
    discoveryUrl(name) {
      if (name === 'entra-common') return `${origin}/entra/common/v2.0/.well-known/openid-configuration`;
      return `${origin}${PROFILES[name].discovery}`;
    },
    /** The issuer URL an app types for profile `name`. */
    issuerUrl(name) {
      if (name === 'entra-common') return `${origin}/entra/common/v2.0`;
      return `${origin}${PROFILES[name].issuer}`;
    },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
