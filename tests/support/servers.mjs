// Local servers for the latch-login tests and demo: a static web server and
// an OpenID provider, both bound to 127.0.0.1.
//
//   const { webUrl, issuer, close } = await startServers();
//
// Static server (webUrl):
//   /            -> www/
//   /pkg/        -> pkg/
//   /e2e/        -> tests/e2e/pages/
//   /demo-config.json -> {"issuer": ..., "clientId": "latch-spa"}
// Provider (issuer): see tests/support/provider.mjs.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createProvider } from './provider.mjs';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** URL prefix -> directory, most specific first. */
const MOUNTS = [
  { prefix: '/pkg/', dir: join(REPO_ROOT, 'pkg') },
  { prefix: '/e2e/', dir: join(REPO_ROOT, 'tests', 'e2e', 'pages') },
  { prefix: '/', dir: join(REPO_ROOT, 'www') },
];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function contentType(file) {
  return CONTENT_TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
}

function listen(server, port) {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

function closeServer(server) {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    // Drop idle and in-flight keep-alive connections so close() completes.
    server.closeAllConnections();
  });
}

/** Map a request path to a file system path below a mount, or null. */
function resolvePath(pathname, mounts) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;

  // `/pkg` and `/e2e` (without the slash) name the mounted directories.
  const mount = mounts.find(({ prefix }) => decoded.startsWith(prefix) || decoded === prefix.slice(0, -1));
  const rest = decoded.slice(mount.prefix.length);
  if (rest.split('/').some((segment) => segment === '..')) return null;

  const file = resolve(mount.dir, `.${sep}${rest}`);
  if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return null;
  return file;
}

function createStaticHandler({
  headers: extraHeaders, demoConfig, mounts, routes = () => ({}),
}) {
  const send = (req, res, status, headers, body) => {
    res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, ...extraHeaders });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const sendText = (req, res, status, text) => send(req, res, status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  }, text);

  return async function staticHandler(req, res) {
    try {
      // Parse the request target by hand: `new URL()` would silently resolve
      // `..` segments and read `//host/...` as a different host.
      const target = req.url || '/';
      const queryStart = target.search(/[?#]/);
      const pathname = queryStart < 0 ? target : target.slice(0, queryStart);
      const search = queryStart < 0 ? '' : target.slice(queryStart).replace(/#.*$/, '');
      // A static site cannot read a POST: a form_post response that reaches this server was
      // not caught by the latch-login service worker, and the tests must see that fail.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        req.resume();
        res.setHeader('Allow', 'GET, HEAD');
        sendText(req, res, 405, 'Method Not Allowed (a static page cannot read a POST)\n');
        return;
      }

      const route = routes()[pathname];
      if (route) {
        const { type, body } = route();
        send(req, res, 200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) }, body);
        return;
      }
      if (pathname === '/demo-config.json') {
        const body = JSON.stringify(demoConfig());
        send(req, res, 200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
        }, body);
        return;
      }

      let file = pathname.startsWith('/') ? resolvePath(pathname, mounts) : null;
      if (file === null) {
        sendText(req, res, 403, 'Forbidden\n');
        return;
      }

      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        if (!pathname.endsWith('/')) {
          // Relative URLs in an index page need the trailing slash.
          const location = `/${pathname.replace(/^\/+/, '')}/${search}`;
          send(req, res, 301, { Location: location, 'Content-Length': 0 }, '');
          return;
        }
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        sendText(req, res, 404, 'Not Found\n');
        return;
      }

      const type = contentType(file);
      res.writeHead(200, {
        'Cache-Control': 'no-store',
        'Content-Type': type,
        'Content-Length': info.size,
        'X-Content-Type-Options': 'nosniff',
        // The form_post worker ships in /pkg/ but serves the redirect URL's folder.
        ...(file.endsWith('latch-sw.js') ? { 'Service-Worker-Allowed': '/' } : {}),
        ...extraHeaders,
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (error) {
      if (!res.headersSent) {
        sendText(req, res, 500, 'Internal Server Error\n');
      } else {
        res.destroy(error);
      }
    }
  };
}

/**
 * Start the static web server and the OpenID provider.
 *
 * @param {object} [options]
 * @param {number} [options.webPort=0] port of the static server (0: any free port)
 * @param {number} [options.opPort=0] port of the provider (0: any free port)
 * @param {Record<string, object|string|null>} [options.clientConfigs] add or
 *   override `/client/{id}.js` and `.json` entries: object -> either form, string -> raw body,
 *   null -> removed (404)
 * @param {Record<string, string>} [options.webHeaders] extra headers added to
 *   every static server response (e.g. Content-Security-Policy)
 * @param {{ prefix: string, dir: string }[]} [options.mounts] more folders to serve, e.g.
 *   `{ prefix: '/vite/', dir }` for a built example (its URL is a registered redirect URI)
 * @param {number} [options.accessTokenTtl=3600] seconds the provider's access tokens live
 * @param {{ enabled?: boolean, nonces?: boolean, requireNonce?: boolean, algs?: string[] }} [options.dpop]
 *   the provider's features.dPoP (tests/support/provider.mjs: dpopFeature)
 * @param {(at: { webUrl: string, issuer: string }) => { issuer?: string, clients?: object[],
 *   clientConfigs?: object, routes?: Record<string, () => { type: string, body: string }> }} [options.tenant]
 *   a tenant shaped as another broker serves it (tests/support/auth0-tenant.mjs): its issuer
 *   string, its clients and configurations, and files of the static server made from them
 * @returns {Promise<{ webUrl: string, issuer: string, provider: import('oidc-provider').default, close: () => Promise<void> }>}
 */
export async function startServers({
  webPort = 0, opPort = 0, clientConfigs = {}, webHeaders = {}, mounts = [], accessTokenTtl, tenant, dpop,
} = {}) {
  let issuer;
  let shaped = {};
  const webServer = createServer(createStaticHandler({
    headers: webHeaders,
    mounts: [...mounts, ...MOUNTS],
    demoConfig: () => ({ issuer, clientId: 'latch-spa' }),
    routes: () => shaped.routes ?? {},
  }));
  const opServer = createServer();
  const servers = [webServer, opServer];
  const close = async () => {
    await Promise.all(servers.map(closeServer));
  };

  try {
    const webUrl = await listen(webServer, webPort);
    // The issuer has to be known before the provider is built, so listen first
    // and attach the handler afterwards.
    issuer = await listen(opServer, opPort);
    shaped = tenant ? tenant({ webUrl, issuer }) : {};
    const { provider, handler } = createProvider({
      issuer: shaped.issuer ?? issuer,
      webUrl,
      clientConfigs: { ...shaped.clientConfigs, ...clientConfigs },
      accessTokenTtl,
      extraClients: shaped.clients,
      apis: shaped.apis,
      dpop,
    });
    opServer.on('request', handler);
    return {
      webUrl, issuer, provider, close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
