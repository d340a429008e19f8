#!/usr/bin/env bash
# Builds the crate into pkg/: cargo (release, wasm32) -> wasm-bindgen -> wasm-opt -Oz, then
# the JS: the ES module wrapper (with the version from Cargo.toml, wasm-bindgen's glue,
# host.js's WebCrypto check and the DOM code of src/js/view.js) as pkg/latch-login.mjs, the
# classic-script bundle pkg/latch-login.js, the types, and the minified stylesheet and worker.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Panic locations name source files: with the machine's own paths remapped, the module is
# the same bytes in any checkout on any machine (and a little smaller).
sysroot=$(rustc --print sysroot)
RUSTFLAGS="--remap-path-prefix=${sysroot}/lib/rustlib/src/rust=/rust --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=${PWD}=/latch" \
  cargo build --lib --release --target wasm32-unknown-unknown
rm -rf pkg
mkdir -p pkg/bindgen
# wasm-bindgen: the class LatchCore, the function supports, and their glue (the web target,
# an ES module that scripts/bundle.mjs bundles with the wrapper).
wasm-bindgen --target web --no-typescript --out-dir pkg/bindgen --out-name latch_login \
  target/wasm32-unknown-unknown/release/latch_login.wasm
# --converge repeats -Oz while it still shrinks the module.
node node_modules/binaryen/bin/wasm-opt -Oz --converge --strip-debug --strip-producers \
  pkg/bindgen/latch_login_bg.wasm -o pkg/latch_login_bg.wasm
rm pkg/bindgen/latch_login_bg.wasm

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/__LATCH_VERSION__/${version}/" src/js/latch-login.js > pkg/latch-login.mjs
cp src/js/view.js src/js/host.js src/js/guard.js pkg/
node scripts/bundle.mjs
cp src/js/latch-login.d.ts pkg/latch-login.d.ts
echo "built pkg/ (latch-login ${version}): $(wc -c < pkg/latch_login_bg.wasm) bytes of wasm"
