// The peers latch-login is measured against, each bundled and minified as a page would ship
// it (esbuild), and the size budget that follows from auth0-lock's bytes. Shared by
// `npm run bench` (bench/run.mjs) and the size test (tests/size.test.mjs), so both weigh the
// same bundle.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

export const PEERS = [
  { name: 'auth0-lock', entry: "export { default } from 'auth0-lock';", note: 'login widget' },
  { name: '@auth0/auth0-spa-js', entry: "export * from '@auth0/auth0-spa-js';", note: 'no UI' },
  { name: 'oidc-client-ts', entry: "export * from 'oidc-client-ts';", note: 'no UI' },
];

/** Issue 18: latch-login's download is at most this share of auth0-lock's, gzip -9. */
export const BUDGET_SHARE_OF_LOCK = 1 / 3;

/** Bytes raw and gzip -9. */
export function sizeOfBytes(data) {
  return { raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

export async function sizeOf(file) {
  return sizeOfBytes(await readFile(file));
}

/** The version of an installed package. */
export async function packageVersion(root, name) {
  return JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Bundles `peer` (one of PEERS) from `root`'s node_modules: to `outfile` when given, else
 *  into memory; returns its bytes. */
export async function bundlePeer(root, peer, outfile) {
  const result = await build({
    stdin: { contents: peer.entry, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    // auth0-js is `"type": "module"` with a UMD `main`: esbuild's require() heuristic would
    // pick that file and find no exports in it. Its ESM build (`module`) is the right one.
    mainFields: ['browser', 'module', 'main'],
    legalComments: 'none',
    logLevel: 'error',
    write: false,
    outfile: outfile ?? join(root, 'target', 'peer.js'),
  });
  const bytes = result.outputFiles[0].contents;
  if (outfile) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(outfile, bytes);
  }
  return bytes;
}
