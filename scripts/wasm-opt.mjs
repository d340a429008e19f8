// The wasm-opt step of scripts/build.sh: pkg/bindgen/latch_login_bg.wasm (wasm-bindgen's
// output) -> pkg/latch_login_bg.wasm.
//   1. -Oz, repeated while it still shrinks the module (--converge), with
//      --low-memory-unused: binaryen may then fold `load(p + C)` into `load offset=C (p)`,
//      which differs only when p + C wraps past 4 GiB to an address below 1 KiB. No
//      pointer of ours comes near 4 GiB, and nothing of ours lives in the low 1 KiB: Rust
//      lays out wasm32 memory stack first, the 1 MiB stack from 1 MiB down to 0 and the data
//      and heap above it (rustc passes --stack-first to wasm-ld), so the low 1 KiB is the
//      far end of the stack, reached only by a stack 1,047,552 bytes deep. Checked below on
//      every build: the stack pointer starts at 1 MiB or more and no data segment below it.
import { execFileSync } from 'node:child_process';

const WASM_OPT = 'node_modules/binaryen/bin/wasm-opt';
const WASM_DIS = 'node_modules/binaryen/bin/wasm-dis';
const input = 'pkg/bindgen/latch_login_bg.wasm';
const output = 'pkg/latch_login_bg.wasm';

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

run(WASM_OPT, ['-Oz', '--converge', '--low-memory-unused', '--strip-debug', '--strip-producers', input, '-o', output]);
