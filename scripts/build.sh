#!/usr/bin/env bash
# Builds the crate into pkg/, twice: the default build, and the DPoP build (`--features
# dpop`, pkg/latch-login-dpop.*). Each is cargo (release, wasm32) -> wasm-bindgen (the web
# target: the class Latch and its glue) -> wasm-opt -Oz and the import and export names
# minified, the glue renamed to match, then the JS: the loader (src/js/latch-login.js, with
# the version from Cargo.toml and the name of its wasm) bundled with wasm-bindgen's glue as an
# ES module (pkg/latch-login.mjs) and a classic script (pkg/latch-login.js), and the types;
# then, once, the minified stylesheet, worker and language packs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Panic locations name source files: with the machine's own paths remapped, the module is
# the same bytes in any checkout on any machine.
sysroot=$(rustc --print sysroot)
export RUSTFLAGS="--remap-path-prefix=${sysroot}/lib/rustlib/src/rust=/rust --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=${PWD}=/latch"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)

# One build of the crate into pkg/: its cargo features ($1), the name of its wasm ($2) and
# of its entry files ($3), and what its loader passes the wasm after `locate` ($4: the token
# worker's URL, in the DPoP build). wasm-opt -Oz, repeated while it still shrinks the module,
# assuming the low 1 KiB of memory unused; then the imports' and exports' names minified, and
# the glue renamed to match (scripts/wasm-opt.mjs says why each is safe, and checks it).
flavour() {
  cargo build --lib --release --target wasm32-unknown-unknown $1
  mkdir -p pkg/bindgen
  wasm-bindgen --target web --out-dir pkg/bindgen --out-name latch_login \
    target/wasm32-unknown-unknown/release/latch_login.wasm
  LATCH_WASM="pkg/$2" node scripts/wasm-opt.mjs
  rm pkg/bindgen/latch_login_bg.wasm pkg/bindgen/latch_login_bg.wasm.d.ts
  # The published types, from wasm-bindgen's declarations.
  LATCH_TYPES="pkg/$3.d.ts" node scripts/types.mjs
  sed -e "s/__LATCH_VERSION__/${version}/" -e "s/__LATCH_WASM__/$2/" -e "s|/\* __LATCH_TOKEN_WORKER__ \*/|$4|" \
    src/js/latch-login.js > "pkg/$3.mjs"
  cp src/js/guard.js pkg/
}

rm -rf pkg
# The DPoP build (`--features dpop`: DPoP, the login kept across reloads, the token worker,
# fetchWithToken), for `import 'latch-login/dpop'`: its module and its two entry files.
flavour "--features dpop" latch_login_dpop_bg.wasm latch-login-dpop \
  "new URL('./latch-token-worker.js?no-inline', import.meta.url).href,"
LATCH_FLAVOUR=dpop node scripts/bundle.mjs
# The default build, and the files both share.
flavour "" latch_login_bg.wasm latch-login ""
node scripts/bundle.mjs
echo "built pkg/ (latch-login ${version}): $(wc -c < pkg/latch_login_bg.wasm) bytes of wasm, $(wc -c < pkg/latch_login_dpop_bg.wasm) in the DPoP build"
