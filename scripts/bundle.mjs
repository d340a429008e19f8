// Bundles the two ways a page loads the widget from the ES modules scripts/build.sh left in
// pkg/ (the wrapper pkg/latch-login.mjs, its DOM code pkg/view.js, and the wasm's boundary
// pkg/wasm.js with its host functions pkg/host.js):
//   - pkg/latch-login.mjs, the ES module: all of these in one minified file, so a page
//     waits for one script before the wasm starts loading, not two in a row;
//   - pkg/latch-login.js, the classic script that defines `window.Latch`.
// The modules it was made of are then removed: nothing loads them on their own. Last, the stylesheet,
// the worker and the language packs. esbuild's API (its binary needs no install script).
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, transform } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = join(root, 'pkg');

/**
 * Gives wasm.js the short names wasm-opt gave the module's imports and exports
 * (`--minify-imports-and-exports-and-modules`; its map is pkg/names.json). wasm.js names the
 * imports as keys of its `imports` object, one per line under the module's name, and the
 * exports as `wasm.name`. Every import and export must be found, or the build stops: a name
 * left behind would fail only when a page loads the wasm. (`__data_end` and `__heap_base`,
 * which rustc exports, are not used.)
 */
async function renameGlue() {
  const mapFile = join(pkg, 'names.json');
  const map = JSON.parse(await readFile(mapFile, 'utf8'));
  const glueFile = join(pkg, 'wasm.js');
  const glue = await readFile(glueFile, 'utf8');
  const start = glue.indexOf('const imports = {');
  const end = glue.indexOf('\n};\n', start);
  if (start < 0 || end < 0) throw new Error('scripts/bundle.mjs: the imports object of wasm.js not found');
  let imports = glue.slice(start, end);
  const rename = (text, pattern, to, what) => {
    const renamed = text.replace(pattern, to);
    if (renamed === text) throw new Error(`scripts/bundle.mjs: ${what} not found in wasm.js`);
    return renamed;
  };
  const modules = new Set();
  for (const [module, name, short] of map.imports) {
    modules.add(module);
    imports = rename(imports, new RegExp(`^(\\s+)${name}:`, 'm'), `$1${short}:`, `import ${name}`);
  }
  if (modules.size !== 1) throw new Error(`scripts/bundle.mjs: expected one import module, got ${[...modules]}`);
  // wasm-opt names the single module `a`.
  imports = rename(imports, new RegExp(`^(\\s+)${[...modules][0]}:`, 'm'), '$1a:', 'the import module');
  let renamed = glue.slice(0, start) + imports + glue.slice(end);
  for (const [name, short] of map.exports) {
    if (name === '__data_end' || name === '__heap_base') continue;
    renamed = rename(renamed, new RegExp(`\\bwasm\\.${name}\\b`, 'g'), `wasm.${short}`, `export ${name}`);
  }
  await writeFile(glueFile, renamed);
  await rm(mapFile);
}

await renameGlue();
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
    // The language packs stay files of their own, imported when a page asks for one (a
    // classic script's import() resolves against the script's own URL).
    external: ['./lang/*'],
    define: { 'import.meta.url': 'scriptUrl' },
    logLevel: 'warning',
  });
} finally {
  await rm(entry);
  await rm(urlShim);
}

// `import.meta.url` stays as it is in the ES module: the wasm, the stylesheet and the worker
// are found next to it, and bundlers (Vite, webpack 5) see `new URL('...', import.meta.url)`
// and ship those files as assets.
const wrapper = join(pkg, 'latch-login.mjs');
const { outputFiles } = await build({
  entryPoints: [wrapper],
  bundle: true,
  external: ['./lang/*'],
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  write: false,
  outfile: wrapper,
  logLevel: 'warning',
});
await writeFile(wrapper, outputFiles[0].contents);
for (const glue of ['wasm.js', 'host.js', 'view.js']) {
  await rm(join(pkg, glue), { force: true });
}

// The stylesheet and the form_post worker, minified as a CDN build would be (custom property
// names and selectors stay as they are: apps override them).
for (const [from, to, loader] of [
  [join(root, 'src', 'css', 'latch.css'), join(pkg, 'latch.css'), 'css'],
  [join(root, 'src', 'js', 'latch-sw.js'), join(pkg, 'latch-sw.js'), 'js'],
]) {
  const { code } = await transform(await readFile(from, 'utf8'), { loader, minify: true, legalComments: 'none' });
  await writeFile(to, code);
}

// The language packs (every language but English, which the wasm carries) as modules of one
// default export: the wrapper imports the one a page's `language` names, and no other.
await mkdir(join(pkg, 'lang'));
for (const name of await readdir(join(root, 'src', 'lang'))) {
  const texts = JSON.parse(await readFile(join(root, 'src', 'lang', name), 'utf8'));
  await writeFile(join(pkg, 'lang', name.replace(/\.json$/, '.js')), `export default ${JSON.stringify(texts)};\n`);
}
