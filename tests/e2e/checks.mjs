// What several end-to-end files check the same way, in every engine: the strict Content
// Security Policy the widget must work under, and the layout measure (nothing of the widget
// leaves its panel, the panel does not leave the viewport). Plain data and a function run in
// the page, so that playwright, puppeteer and WebDriver can all use them.

/** Strict: everything from the page's own origin, the provider only for fetch (discovery,
 *  token, JWKS), no inline script or style, wasm compiled but no eval, images (the brands'
 *  marks) only from the page's origin. */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self' http://127.0.0.1:*",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Run in the page: every element of the panel whose box leaves the panel's, and the panel's
 *  box if it leaves the viewport; described by tag and class. Half a pixel is allowed for
 *  rounding. */
export function outside() {
  const panel = document.querySelector('.latch');
  const box = panel.getBoundingClientRect();
  const viewport = document.documentElement.clientWidth;
  const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
  const out = [];
  if (box.left < -0.5 || box.right > viewport + 0.5) out.push(`the panel (${box.left}–${box.right} in 0–${viewport})`);
  for (const el of panel.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
      out.push(`${name(el)} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
    }
  }
  if (panel.scrollWidth > panel.clientWidth) out.push(`the panel scrolls sideways (${panel.scrollWidth} > ${panel.clientWidth})`);
  return out;
}
