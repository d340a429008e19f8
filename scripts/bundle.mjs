// Bundles the classic-script build pkg/latch-login.js from the ES modules already in pkg/
// (the wrapper pkg/latch-login.mjs and the wasm-bindgen glue pkg/latch_login.js), then
// minifies those two modules in place: pages that load them straight from pkg/ get the
// same bytes a bundler would make. esbuild's API (its binary needs no install script).
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, transform } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = join(root, 'pkg');
const entry = join(pkg, 'classic-entry.mjs');
const urlShim = join(pkg, 'script-url.mjs');

await copyFile(join(root, 'src', 'js', 'classic.js'), entry);
await copyFile(join(root, 'src', 'js', 'script-url.js'), urlShim);
try {
  await build({
    entryPoints: [entry],
    outfile: join(pkg, 'latch-login.js'),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    inject: [urlShim],
    define: { 'import.meta.url': 'scriptUrl' },
    logLevel: 'warning',
  });
} finally {
  await rm(entry);
  await rm(urlShim);
}

for (const module of ['latch-login.mjs', 'latch_login.js']) {
  const file = join(pkg, module);
  const { code } = await transform(await readFile(file, 'utf8'), {
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  });
  await writeFile(file, code);
}
