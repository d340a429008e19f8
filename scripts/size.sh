#!/usr/bin/env bash
# The size report of issue 7: builds the wasm with its function names kept (in target/, never
# in pkg/) and prints twiggy's largest items, so a change that adds bytes shows where.
#   bash scripts/size.sh [N]     the N largest items (default 40)
#   bash scripts/size.sh --owners   every item added up by the module or crate it belongs to
#                                 (scripts/size-owners.mjs): the table in README, "Size"
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0

out=target/size
mkdir -p "$out"
cargo build --lib --release --target wasm32-unknown-unknown
# The same steps as scripts/build.sh, but --keep-debug and -g keep the names for twiggy.
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$out" --out-name latch_login \
  target/wasm32-unknown-unknown/release/latch_login.wasm
node node_modules/binaryen/bin/wasm-opt -Oz --converge --low-memory-unused -g \
  "$out/latch_login_bg.wasm" -o "$out/named.wasm"
if [ "${1:-}" = "--owners" ]; then
  twiggy top -n 1000000 --format csv "$out/named.wasm" | node scripts/size-owners.mjs
else
  twiggy top -n "${1:-40}" "$out/named.wasm"
fi
