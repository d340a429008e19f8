#!/usr/bin/env bash
# Fuzzes every parser that reads the network or the address bar, natively, for a bounded
# time each (cargo-fuzz + libFuzzer on the stable toolchain):
#   bash scripts/fuzz.sh            every target for 60 s
#   bash scripts/fuzz.sh 300 jwks   one target for 300 s
# A crash input is copied to fuzz/regressions/{target}/, where tests/fuzz_regressions.rs
# (part of `cargo test`) replays it from then on; the script then fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

seconds="${1:-60}"
shift || true
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (once)"
  cargo install cargo-fuzz
fi
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(ls fuzz/fuzz_targets | sed 's/\.rs$//')
fi

# libFuzzer's instrumentation flags are nightly-only; RUSTC_BOOTSTRAP lets the stable
# compiler accept them. No sanitizer: the core is safe Rust, so a panic (overflow checks
# are on) is what there is to find.
export RUSTC_BOOTSTRAP=1
failed=()
for target in "${targets[@]}"; do
  echo "fuzz: ${target} for ${seconds}s"
  mkdir -p "fuzz/corpus/${target}"
  seeds=()
  [ -d "fuzz/seeds/${target}" ] && seeds=("fuzz/seeds/${target}")
  if ! cargo fuzz run "$target" --sanitizer none "fuzz/corpus/${target}" "${seeds[@]}" -- \
      -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 2>&1 | tail -n 25; then
    failed+=("$target")
  fi
  if compgen -G "fuzz/artifacts/${target}/crash-*" >/dev/null; then
    mkdir -p "fuzz/regressions/${target}"
    cp fuzz/artifacts/"${target}"/crash-* "fuzz/regressions/${target}/"
    failed+=("$target")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}; inputs kept in fuzz/regressions/" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash"
