#!/usr/bin/env bash
# Builds the crate into pkg/: cargo (release, wasm32) -> wasm-bindgen (the web target: the
# class Latch and its glue) -> wasm-opt -Oz and the import and export names minified, the
# glue renamed to match, then the JS: the loader (src/js/latch-login.js, with the version
# from Cargo.toml) bundled with wasm-bindgen's glue as the ES module pkg/latch-login.mjs and
# the classic script pkg/latch-login.js, the types, and the minified stylesheet, worker and
# language packs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Panic locations name source files: with the machine's own paths remapped, the module is
# the same bytes in any checkout on any machine.
sysroot=$(rustc --print sysroot)
RUSTFLAGS="--remap-path-prefix=${sysroot}/lib/rustlib/src/rust=/rust --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=${PWD}=/latch" \
  cargo build --lib --release --target wasm32-unknown-unknown
rm -rf pkg
mkdir -p pkg/bindgen
wasm-bindgen --target web --out-dir pkg/bindgen --out-name latch_login \
  target/wasm32-unknown-unknown/release/latch_login.wasm
# wasm-opt -Oz, repeated while it still shrinks the module, assuming the low 1 KiB of memory
# unused; then the imports' and exports' names minified, and the glue renamed to match
# (scripts/wasm-opt.mjs says why each is safe, and checks it).
node scripts/wasm-opt.mjs
rm pkg/bindgen/latch_login_bg.wasm pkg/bindgen/latch_login_bg.wasm.d.ts
# The published types, from wasm-bindgen's declarations.
node scripts/types.mjs

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/__LATCH_VERSION__/${version}/" src/js/latch-login.js > pkg/latch-login.mjs
cp src/js/guard.js pkg/
node scripts/bundle.mjs
echo "built pkg/ (latch-login ${version}): $(wc -c < pkg/latch_login_bg.wasm) bytes of wasm"
