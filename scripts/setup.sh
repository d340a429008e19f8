#!/usr/bin/env bash
# Installs what building and testing latch-login need, skipping whatever is already there,
# so a second run takes a second.
#   bash scripts/setup.sh          everything: the build tools, Chromium, ChromeDriver and openssl
#   bash scripts/setup.sh --demo   only what the demo needs (no browser)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

with_browser=1
[ "${1:-}" = "--demo" ] && with_browser=0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# openssl makes the throwaway certificate of the https tenants in tests/e2e/domains.test.mjs.
# firefox-esr (driven by puppeteer-core) and webkit2gtk-driver (WebKitWebDriver and MiniBrowser,
# on an Xvfb display from xvfb-run) are the other two engines of tests/e2e/paths.*.test.mjs.
if [ "$with_browser" = 1 ] && ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && command -v openssl >/dev/null \
  && [ -x /usr/bin/firefox-esr ] && [ -x /usr/bin/WebKitWebDriver ] && command -v xvfb-run >/dev/null; }; then
  echo "setup: installing Chromium, ChromeDriver, Firefox ESR, WebKitGTK's WebDriver, Xvfb and openssl with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver firefox-esr webkit2gtk-driver xvfb openssl >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^${component}"; then
    rustup component add "$component"
  fi
done

# wasm-bindgen-cli must be exactly the wasm-bindgen version Cargo.lock pins.
pinned=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
installed=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" != "$pinned" ]; then
  echo "setup: installing wasm-bindgen-cli ${pinned} (takes a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$pinned"
fi

# geckodriver runs the wasm-bindgen tests in Firefox (tests/browser.rs, webdriver.json).
if [ "$with_browser" = 1 ] && ! command -v geckodriver >/dev/null; then
  echo "setup: installing geckodriver from crates.io (takes a few minutes, once)"
  cargo install geckodriver --locked
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi
