#!/usr/bin/env bash
# Mutation testing of the protocol core's security checks (issue 30): cargo-mutants changes
# the code one small way at a time (`<` for `<=`, `||` for `&&`, a function that returns a
# constant) and runs the native tests against each change; a change that no test notices is
# a rule that nothing tests.
#   bash scripts/mutants.sh                 every security-critical file of src/core
#   bash scripts/mutants.sh jws id_token    only these (names of files in src/core)
#   MUTANTS_JOBS=2 bash scripts/mutants.sh  two builds at once (default 1: 2 cores here)
# Separate from `npm test`, as scripts/fuzz.sh is: it builds and tests the crate once per
# mutant, 13 to 17 minutes for all the files on 2 cores. .cargo/mutants.toml holds the test
# command, and excludes mutants that change nothing observable, each with its reason. The run
# is kept in target/mutants/mutants.out (the diff and the log of each mutant).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

version=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -qF "$version"; then
  echo "mutants: installing cargo-mutants $version (once)"
  # --locked builds with the versions cargo-mutants was released with; when one of those can
  # no longer be had, the newest compatible ones do.
  cargo install cargo-mutants --version "$version" --locked ||
    cargo install cargo-mutants --version "$version"
fi

files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  files=(claims id_token jws jwks callback web_url transaction discovery silent tabs session login request)
fi
args=()
for name in "${files[@]}"; do
  file="src/core/${name%.rs}.rs"
  [ -f "$file" ] || { echo "mutants: no $file" >&2; exit 2; }
  args+=(--file "$file")
done

# One run over all the files (a --file each): one copy of the tree and one baseline build
# instead of one per file, then one incremental build per mutant; the counts are per file.
out=target/mutants
mkdir -p "$out"
status=0
cargo mutants "${args[@]}" --jobs "${MUTANTS_JOBS:-1}" --gitignore=true --output "$out" \
  --no-shuffle || status=$?

# cargo-mutants' exit codes: 0 all caught, 2 some missed, 3 some timed out (a mutant that
# hangs the tests is caught by its timeout); anything else (the baseline failed, a bad
# argument) is no result.
case "$status" in
  0 | 2 | 3) ;;
  *) echo "mutants: cargo-mutants failed ($status); see $out/mutants.out/" >&2; exit "$status" ;;
esac
results="$out/mutants.out"
count() { # outcome, file: how many mutants of the file had that outcome
  if [ -f "$results/$1.txt" ]; then grep -c "^$2:" "$results/$1.txt" || true; else echo 0; fi
}
printf '%-24s %7s %7s %8s %9s\n' file caught missed timeout unviable
for name in "${files[@]}"; do
  file="src/core/${name%.rs}.rs"
  printf '%-24s %7s %7s %8s %9s\n' "$file" "$(count caught "$file")" "$(count missed "$file")" \
    "$(count timeout "$file")" "$(count unviable "$file")"
done
if [ -s "$results/missed.txt" ]; then
  echo "mutants: missed (each needs a test, or an exclusion with its reason):" >&2
  cat "$results/missed.txt" >&2
  exit 1
fi
echo "mutants: no missed mutant in ${files[*]}"
