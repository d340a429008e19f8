// Servers of `npm run bench`, all on 127.0.0.1 with free ports, closed by `close()`:
//
//   web (webUrl):  /          -> bench/pages/callback.html (the registered redirect URI
//                                `${webUrl}/` of the test provider's clients)
//                  /bench/    -> bench/pages/
//                  /pkg/      -> pkg/ (latch-login as built)
//                  /peers/    -> the peers bundled by the bench (target/bench-peers/)
//   provider (issuer): the tests' oidc-provider (tests/support/provider.mjs), unchanged: it
//                  serves /client/{id}.js as Auth0 does (`Auth0.setClient({...});`), the one
//                  file auth0-lock (by a script tag) and latch-login (by fetch) both read.
//   provider (auth0Domain): a second instance of the same provider module and configuration,
//                  whose issuer ends in a slash (`http://127.0.0.1:PORT/`, as an Auth0
//                  tenant's `https://tenant.auth0.com/` does), for @auth0/auth0-spa-js only:
//                  it checks the ID token's `iss` against `https://{issuer}/` when given an
//                  `issuer`, or else against `{domain}/`, never against a plain-http issuer
//                  without the slash (src/utils.ts `getTokenIssuer`, src/jwt.ts).
//
// `tokenGrants()` lists the token requests both providers answered ({ issuer, grantType, ok,
// accessToken }), in order: row 6 checks with it what each timed call really asked and got.
//
// The tests' static server (tests/support/servers.mjs) mounts www/ and the e2e pages at fixed
// places; the bench needs its own pages at the redirect URI, so it has this small server and
// reuses the provider module as it is.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createProvider } from '../tests/support/provider.mjs';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const PEERS_DIR = join(ROOT, 'target', 'bench-peers');

const MOUNTS = [
  { prefix: '/pkg/', dir: join(ROOT, 'pkg') },
  { prefix: '/peers/', dir: PEERS_DIR },
  { prefix: '/bench/', dir: join(ROOT, 'bench', 'pages') },
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
};

/** The file below a mount for a request path, or null (unknown mount, `..`, NUL). */
function fileFor(pathname) {
  if (pathname === '/') return join(ROOT, 'bench', 'pages', 'callback.html');
  const mount = MOUNTS.find(({ prefix }) => pathname.startsWith(prefix));
  if (!mount) return null;
  let rest;
  try {
    rest = decodeURIComponent(pathname.slice(mount.prefix.length));
  } catch {
    return null;
  }
  if (rest.includes('\0') || rest.split(/[/\\]/).includes('..')) return null;
  const file = resolve(mount.dir, rest);
  return file.startsWith(mount.dir + sep) ? file : null;
}

async function serveStatic(req, res) {
  const pathname = (req.url ?? '/').replace(/[?#].*$/s, '');
  const file = req.method === 'GET' || req.method === 'HEAD' ? fileFor(pathname) : null;
  const info = file && (await stat(file).catch(() => null));
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('Not Found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Every page load of the bench is a fresh one: nothing comes from a cache.
    'Cache-Control': 'no-store',
    ...(file.endsWith('latch-sw.js') ? { 'Service-Worker-Allowed': '/' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

function listen(server) {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`));
  });
}


export async function startBenchServers() {
  const web = createServer((req, res) => {
    serveStatic(req, res).catch(() => res.destroy());
  });
  const op = createServer();
  const op2 = createServer();
  const grants = [];
  const count = (provider) => {
    provider.on('grant.success', (ctx) => grants.push({
      issuer: provider.issuer, grantType: ctx.oidc.params.grant_type, ok: true, accessToken: ctx.body?.access_token,
    }));
    provider.on('grant.error', (ctx) => grants.push({ issuer: provider.issuer, grantType: ctx.oidc?.params?.grant_type, ok: false }));
  };
  const close = () => Promise.all([web, op, op2].map((s) => new Promise((done) => {
    if (!s.listening) return done();
    s.close(() => done());
    s.closeAllConnections();
  })));
  try {
    const webUrl = await listen(web);
    const issuer = await listen(op);
    const { provider, handler } = createProvider({ issuer, webUrl });
    op.on('request', handler);
    count(provider);
    const auth0Domain = await listen(op2);
    const twin = createProvider({ issuer: `${auth0Domain}/`, webUrl });
    op2.on('request', twin.handler);
    count(twin.provider);
    return { webUrl, issuer, auth0Domain, tokenGrants: () => [...grants], close };
  } catch (error) {
    await close();
    throw error;
  }
}
