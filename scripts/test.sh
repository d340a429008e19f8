#!/usr/bin/env bash
# Every test latch-login has, in the order that fails fastest: `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "== format and lints (native and wasm32; the default build and the DPoP build, --features dpop)"
cargo fmt --check
for features in "" "--features dpop"; do
  cargo clippy --all-targets $features -- -D warnings
  # The module as shipped, and the browser tests, which build that same crate.
  cargo clippy --target wasm32-unknown-unknown --all-targets $features -- -D warnings
done

echo "== the protocol core stays free of browser bindings"
if grep -rnE '\b(web_sys|js_sys|wasm_bindgen|gloo_net|serde_wasm_bindgen)\b' src/core; then
  echo "src/core must not use browser bindings: move that code to src/browser" >&2
  exit 1
fi

echo "== native tests (protocol core; the default build, then the DPoP build's rules)"
cargo test
cargo test --features dpop --lib

echo "== the loader's guard: a wasm that traps is never called again (node)"
node --test tests/trap.test.mjs

echo "== build pkg/"
bash scripts/build.sh

echo "== size of what a page downloads (gzip -9; bash scripts/size.sh names the largest parts)"
node --test tests/size.test.mjs

echo "== the form_post worker claims exactly the bodies the widget reads as a response (node, tests/cases)"
node --test tests/service-worker.test.mjs

echo "== the README's migration table names tests that exist (node)"
node --test tests/readme.test.mjs

echo "== the published types (tsc on tests/types: typed use compiles, misuse does not)"
node node_modules/typescript/bin/tsc -p tests/types/tsconfig.json

# The DPoP build's crate: every browser test of the default build, and its key's.
echo "== browser tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --features dpop --test browser

echo "== browser tests (wasm-bindgen-test in headless Firefox ESR, through geckodriver)"
GECKODRIVER="$(command -v geckodriver)" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --features dpop --test browser

echo "== end-to-end tests (the whole suite in Chromium; the login paths, paths.*.test.mjs, in Firefox ESR and WebKitGTK too)"
node --test --test-concurrency=1 tests/e2e/
