// The wasm-opt step of scripts/build.sh: pkg/bindgen/latch_login_bg.wasm (wasm-bindgen's
// output) -> pkg/latch_login_bg.wasm, and wasm-bindgen's glue pkg/bindgen/latch_login.js
// rewritten to match.
//   1. -Oz, repeated while it still shrinks the module (--converge), with
//      --low-memory-unused: binaryen may then fold `load(p + C)` into `load offset=C (p)`,
//      which differs only when p + C wraps past 4 GiB to an address below 1 KiB. No
//      pointer of ours comes near 4 GiB, and nothing of ours lives in the low 1 KiB: Rust
//      lays out wasm32 memory stack first, the 1 MiB stack from 1 MiB down to 0 and the data
//      and heap above it (rustc passes --stack-first to wasm-ld), so the low 1 KiB is the
//      far end of the stack, reached only by a stack 1,047,552 bytes deep. Checked below on
//      every build: the stack pointer starts at 1 MiB or more and no data segment below it.
//   2. --minify-imports-and-exports-and-modules: the module's imports and exports get
//      one- and two-letter names (the glue's `__wbg_appendChild_dbf7ad2f48413560` and
//      `latch_getTokenSilently`), and its import module one letter. wasm-opt prints the
//      mapping; the glue's import object and its `wasm.name` uses are renamed by it, and the
//      build fails on any name of the glue the mapping lacks, and on any import of the module
//      that the renamed glue does not provide.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const WASM_OPT = 'node_modules/binaryen/bin/wasm-opt';
const WASM_DIS = 'node_modules/binaryen/bin/wasm-dis';
const input = 'pkg/bindgen/latch_login_bg.wasm';
const optimized = 'pkg/bindgen/optimized.wasm';
// The DPoP build (scripts/build.sh) writes its module under its own name.
const output = process.env.LATCH_WASM ?? 'pkg/latch_login_bg.wasm';
const gluePath = 'pkg/bindgen/latch_login.js';

const fail = (message) => {
  throw new Error(`scripts/wasm-opt.mjs: ${message}`);
};
const run = (tool, args) => execFileSync(process.execPath, [tool, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

// 1. The layout that --low-memory-unused relies on (the names are still in wasm-bindgen's
// output: `$__stack_pointer`).
const LOW = 1024;
const text = run(WASM_DIS, [input]);
const stack = /\(global \$__stack_pointer \(mut i32\) \(i32\.const (\d+)\)\)/.exec(text);
if (!stack) fail(`${input} has no __stack_pointer global starting at a constant`);
const stackTop = Number(stack[1]);
const dataStarts = [...text.matchAll(/^ \(data \S+ \(i32\.const (\d+)\)/gm)].map((m) => Number(m[1]));
if (dataStarts.length === 0) fail(`${input}: no data segment found`);
if (stackTop < (1 << 20) || dataStarts.some((at) => at < stackTop)) {
  fail(`--low-memory-unused needs the stack first (Rust's layout): the stack starts at ${stackTop}, data at ${dataStarts.join(', ')}`);
}
if (Math.min(...dataStarts) < LOW) fail(`data below ${LOW}: --low-memory-unused would be unsafe`);

run(WASM_OPT, ['-Oz', '--converge', '--low-memory-unused', '--strip-debug', '--strip-producers', input, '-o', optimized]);

// 2. The names.
const map = JSON.parse(run(WASM_OPT, ['--minify-imports-and-exports-and-modules', '--strip-target-features', optimized, '-o', output]));
rmSync(optimized);
const importNames = new Map(map.imports.map(([, name, minified]) => [name, minified]));
const exportNames = new Map(map.exports.map(([name, minified]) => [name, minified]));
const originalModules = new Set(map.imports.map(([module]) => module));

const module = new WebAssembly.Module(readFileSync(output));
const imports = WebAssembly.Module.imports(module);
const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
const modules = new Set(imports.map((i) => i.module));
if (originalModules.size !== 1 || modules.size !== 1) {
  fail(`expected one import module, found ${[...originalModules]} -> ${[...modules]}`);
}
const [originalModule] = originalModules;
const [minifiedModule] = modules;

const property = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
let glue = readFileSync(gluePath, 'utf8');

// The import object: `const import0 = { __proto__: null, name: function(...) {...}, ... };`,
// then `return { __proto__: null, "./latch_login_bg.js": import0 };`.
const start = glue.indexOf('\n    const import0 = {\n');
const moduleKey = `\n        ${JSON.stringify(originalModule)}: import0,\n`;
const end = glue.indexOf(moduleKey, start);
if (start < 0 || end < 0 || glue.indexOf(moduleKey, end + 1) >= 0) {
  fail(`${gluePath}: the import object is not where wasm-bindgen 0.2.130 writes it`);
}
const provided = new Set();
const importObject = glue.slice(start, end).replace(/^( {8})([A-Za-z_$][\w$]*)(: function\b)/gm, (_, indent, name, rest) => {
  const minified = importNames.get(name);
  if (minified === undefined) fail(`the glue provides the import \`${name}\`, which the optimized module does not import`);
  provided.add(minified);
  return `${indent}${property(minified)}${rest}`;
});
glue = `${glue.slice(0, start)}${importObject}\n        ${JSON.stringify(minifiedModule)}: import0,\n${glue.slice(end + moduleKey.length)}`;
for (const i of imports) {
  if (i.kind !== 'function' || !provided.has(i.name)) fail(`the module imports ${i.kind} \`${i.name}\`, which the glue does not provide`);
}

// The exports, all used as `wasm.name`.
if (/\bwasm\s*\[/.test(glue)) fail(`${gluePath} reads an export as wasm[...]: only wasm.name is renamed`);
glue = glue.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (_, name) => {
  const minified = exportNames.get(name);
  if (minified === undefined || !exports.has(minified)) fail(`the glue uses the export \`${name}\`, which the mapping lacks`);
  return `wasm${/^[A-Za-z_$][\w$]*$/.test(minified) ? `.${minified}` : `[${JSON.stringify(minified)}]`}`;
});
writeFileSync(gluePath, glue);
console.log(`${output}: ${provided.size} imports and ${exports.size} exports renamed`);
