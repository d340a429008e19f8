// Bundles the two ways a page loads the widget from the ES modules scripts/build.sh left in
// pkg/ (the loader pkg/latch-login.mjs and wasm-bindgen's glue pkg/bindgen/latch_login.js):
//   - pkg/latch-login.mjs, the ES module: all of these in one minified file, so a page
//     waits for one script before the wasm starts loading, not two in a row;
//   - pkg/latch-login.js, the classic script that defines `window.Latch`, and pkg/compat.js,
//     the same defining Lock's `window.Auth0Lock` as well (opt-in);
// The modules it was made of are then removed: nothing loads them on their own. Last, the stylesheet,
// the workers, the language packs (JSON), the brands' marks (SVG, from simple-icons) and the
// table of where those lazy files are (pkg/latch-assets.mjs). esbuild's API (its binary needs
// no install script).
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, transform } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = join(root, 'pkg');
// `LATCH_FLAVOUR=dpop` (scripts/build.sh): the DPoP build's two entry files,
// latch-login-dpop.mjs and latch-login-dpop.js, beside the default build's; the files both
// builds share (the stylesheet, the workers, the language packs and marks, and their table)
// come with the default build.
const dpop = process.env.LATCH_FLAVOUR === 'dpop';
const entryName = dpop ? 'latch-login-dpop' : 'latch-login';

// The classic scripts find a lazy file next to themselves by its path alone: no table of URLs
// (that is for bundlers, which only see the ES module).
const besideScript = {
  name: 'latch-assets-beside-script',
  setup(build) {
    build.onResolve({ filter: /latch-assets\.mjs$/ }, (args) => ({ path: args.path, namespace: 'latch-assets' }));
    build.onLoad({ filter: /.*/, namespace: 'latch-assets' }, () => ({
      contents: 'export const locate = (path) => new URL(path, import.meta.url).href;',
      loader: 'js',
    }));
  },
};

// The `<latch-login>` element and the React binding (latch-login/element, latch-login/react):
// modules of their own that import the loader (`./latch-login.mjs`, the package's one copy of
// `Latch`; `react` is the app's), minified; an app that does not import them downloads none
// of their bytes. They use the default build.
for (const [source, output] of dpop ? [] : [['element.js', 'element.mjs'], ['react.js', 'react.mjs']]) {
  const { code } = await transform(await readFile(join(root, 'src', 'js', source), 'utf8'), {
    loader: 'js', format: 'esm', target: 'es2022', minify: true, legalComments: 'none',
  });
  await writeFile(join(pkg, output), code);
}
for (const name of dpop ? [] : ['element.d.ts', 'react.d.ts']) await copyFile(join(root, 'src', 'js', name), join(pkg, name));

const urlShim = join(pkg, 'script-url.mjs');
await copyFile(join(root, 'src', 'js', 'script-url.js'), urlShim);
try {
  // The classic script, the same with Lock's global name (opt-in: compat.js), and the same
  // with the `<latch-login>` element (opt-in: latch-element.js); the DPoP build's classic
  // script alone.
  const classic = dpop
    ? [['classic.js', `${entryName}.js`]]
    : [['classic.js', 'latch-login.js'], ['compat.js', 'compat.js'], ['element-classic.js', 'latch-element.js']];
  for (const [source, output] of classic) {
    const entry = join(pkg, `entry-${source.replace(/\.js$/, '')}.mjs`);
    await copyFile(join(root, 'src', 'js', source), entry);
    if (dpop) await writeFile(entry, (await readFile(entry, 'utf8')).replace('./latch-login.mjs', './latch-login-dpop.mjs'));
    try {
      await build({
        entryPoints: [entry],
        outfile: join(pkg, output),
        bundle: true,
        format: 'iife',
        target: 'es2022',
        minify: true,
        legalComments: 'none',
        inject: [urlShim],
        plugins: [besideScript],
        // The language packs and the other files are found next to the script's own URL.
        define: { 'import.meta.url': 'scriptUrl' },
        logLevel: 'warning',
      });
    } finally {
      await rm(entry);
    }
  }
} finally {
  await rm(urlShim);
}

// `import.meta.url` stays as it is in the ES module: the wasm, the stylesheet and the workers
// are found next to it, and bundlers (Vite, webpack 5) see `new URL('...', import.meta.url)`
// and ship those files as assets.
const wrapper = join(pkg, `${entryName}.mjs`);
const { outputFiles } = await build({
  entryPoints: [wrapper],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  write: false,
  outfile: wrapper,
  // The table of lazy files stays a module of its own, imported when first needed.
  external: ['./latch-assets.mjs'],
  logLevel: 'warning',
});
await writeFile(wrapper, outputFiles[0].contents);
// wasm-bindgen's glue is inside both bundles now.
await rm(join(pkg, 'bindgen'), { recursive: true, force: true });
await rm(join(pkg, 'guard.js'), { force: true });
// The files both builds share are written with the default build.
if (dpop) process.exit(0);

// The stylesheet, the form_post worker and the token worker, minified as a CDN build would be
// (custom property names and selectors stay as they are: apps override them).
for (const [from, to, loader] of [
  [join(root, 'src', 'css', 'latch.css'), join(pkg, 'latch.css'), 'css'],
  [join(root, 'src', 'js', 'latch-sw.js'), join(pkg, 'latch-sw.js'), 'js'],
  [join(root, 'src', 'js', 'latch-token-worker.js'), join(pkg, 'latch-token-worker.js'), 'js'],
]) {
  const { code } = await transform(await readFile(from, 'utf8'), { loader, minify: true, legalComments: 'none' });
  await writeFile(to, code);
}

// The language packs (every language but English, which the wasm carries) as JSON, minified:
// the wasm fetches the one a page's `language` names, and no other, and reads it as data.
await mkdir(join(pkg, 'lang'));
for (const name of await readdir(join(root, 'src', 'lang'))) {
  const texts = JSON.parse(await readFile(join(root, 'src', 'lang', name), 'utf8'));
  await writeFile(join(pkg, 'lang', name), `${JSON.stringify(texts)}\n`);
}

// The brands' marks: the simple-icons (CC0) mark of each social strategy that
// src/core/strategy.rs gives one (its SOCIAL lines' last field), as `marks/{slug}.svg`, white (the
// panel shows it on the brand's colour) and without its <title> (the button names the brand).
const strategies = await readFile(join(root, 'src', 'core', 'strategy.rs'), 'utf8');
const socialTable = strategies.slice(strategies.indexOf('const SOCIAL: &str'), strategies.indexOf('";', strategies.indexOf('const SOCIAL: &str')));
const slugs = [...new Set(socialTable.split('\n').slice(1).map((line) => line.split('|')[3]).filter(Boolean))];
if (slugs.length === 0) throw new Error('no mark named in src/core/strategy.rs');
await mkdir(join(pkg, 'marks'));
const icons = join(root, 'node_modules', 'simple-icons', 'icons');
for (const slug of slugs) {
  const svg = (await readFile(join(icons, `${slug}.svg`), 'utf8'))
    .replace(/<title>.*?<\/title>/, '')
    .replace(' role="img"', '')
    .replace('<svg ', '<svg fill="#fff" ');
  await writeFile(join(pkg, 'marks', `${slug}.svg`), svg);
}

// Where each lazy file is: one `new URL('./path', import.meta.url)` per file, written out
// whole so that bundlers (Vite, webpack) ship each as an asset of its own; `?no-inline` keeps
// Vite from inlining these small files into the bundle, so a page downloads only its own.
const lazy = [];
for (const folder of ['lang', 'marks']) {
  for (const name of (await readdir(join(pkg, folder))).sort()) lazy.push(`${folder}/${name}`);
}
const table = lazy.map((path) => `  ${JSON.stringify(path)}: new URL(${JSON.stringify(`./${path}?no-inline`)}, import.meta.url).href,`);
const { code } = await transform(
  `const table = {\n${table.join('\n')}\n};\nexport const locate = (path) => table[path];\n`,
  { loader: 'js', format: 'esm', minify: true, legalComments: 'none' },
);
await writeFile(join(pkg, 'latch-assets.mjs'), code);
