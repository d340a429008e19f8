#!/usr/bin/env bash
# Builds the crate into pkg/: cargo (release, wasm32) -> wasm-opt -Oz, then the JS: the ES
# module wrapper (with the version from Cargo.toml, the wasm's boundary src/js/wasm.js and
# host.js, and the DOM code of src/js/view.js) as pkg/latch-login.mjs,
# the classic-script bundle pkg/latch-login.js, the types, and the minified stylesheet and worker.
set -euo pipefail
cd "$(dirname "$0")/.."

# Panic locations name source files: with the machine's own paths remapped, the module is
# the same bytes in any checkout on any machine (and a little smaller).
sysroot=$(rustc --print sysroot)
RUSTFLAGS="--remap-path-prefix=${sysroot}/lib/rustlib/src/rust=/rust --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=${PWD}=/latch" \
  cargo build --lib --release --target wasm32-unknown-unknown
rm -rf pkg
mkdir -p pkg
# No bindings generator: the module's boundary is its own (src/browser/exports.rs, src/js/wasm.js).
# --converge repeats -Oz while it still shrinks the module (about 300 bytes gzip).
# --low-memory-unused: Rust never touches the first 1 KB of memory (its data starts at 1 MB),
# which lets wasm-opt fold constant offsets into loads and stores (~0.4 KB gzip).
node node_modules/binaryen/bin/wasm-opt -Oz --converge --low-memory-unused --strip-debug --strip-producers \
  target/wasm32-unknown-unknown/release/latch_login.wasm -o pkg/latch_login_bg.wasm
# The names between the wasm and src/js/wasm.js (`set_configuration`, `storageGet`, ...) become
# one or two letters; scripts/bundle.mjs renames them in wasm.js from the map wasm-opt prints.
# The target_features section goes last: wasm-opt reads the features from it, and no browser
# does.
node node_modules/binaryen/bin/wasm-opt --minify-imports-and-exports-and-modules --strip-target-features \
  pkg/latch_login_bg.wasm -o pkg/latch_login_bg.wasm > pkg/names.json

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/__LATCH_VERSION__/${version}/" src/js/latch-login.js > pkg/latch-login.mjs
cp src/js/view.js src/js/host.js src/js/wasm.js pkg/
node scripts/bundle.mjs
cp src/js/latch-login.d.ts pkg/latch-login.d.ts
echo "built pkg/ (latch-login ${version}): $(wc -c < pkg/latch_login_bg.wasm) bytes of wasm"
