// Nothing latch-specific: webpack 5 turns the package's `new URL('...', import.meta.url)`
// into assets (the .wasm, the stylesheet, the two workers and each language pack's JSON),
// by itself.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  context: here,
  entry: './main.js',
  output: { path: join(here, 'dist'), filename: 'main.js', clean: true },
};
