// Where the wasm's bytes are, by owner: reads twiggy's CSV of every item of the module that
// scripts/size.sh builds with names kept (`twiggy top -n 100000 --format csv`, on standard
// input) and adds the items up by the module or crate they belong to. Raw bytes; the name
// section, which the shipped module has not, is left out. Prints a Markdown table.
//   bash scripts/size.sh --owners
import { readFileSync } from 'node:fs';

/** The owner of an item, by the first rule its name matches. */
const RULES = [
  [/^"?data segment/, 'data: strings (error messages, English texts, the capability table) and constants'],
  [/serde_wasm_bindgen/, 'serde-wasm-bindgen'],
  [/^latch_new externref shim/, 'the constructor\'s export shim (the options reader and Settings::new, inlined there)'],
  [/^latch_\w+( externref shim| multivalue shim)*$/, 'the other exported methods\' shims'],
  [/externref shim|multivalue shim|^__wbg|^<?wasm_bindgen::|^"?(import|export)|^table|^elem|^type\[|^global/, 'wasm-bindgen: imports, glue and tables'],
  [/^js_sys::futures::future_to_promise|wasm_bindgen_futures/, 'async flows handed to the page as promises (future_to_promise), and their executor'],
  [/impl serde_core::de::Deserialize for latch_login::\w+::(\w+)/, (m) => `serde derive: the readers of ${m[1]}'s types`],
  [/impl serde_core::ser::Serialize for latch_login::\w+::(\w+)/, (m) => `serde derive: the writers of ${m[1]}'s types`],
  [/latch_login::browser::json::from_value/, 'browser::json::from_value, with each document type\'s derived reader inlined into it'],
  [/latch_login::browser::(\w+)/, (m) => `browser::${m[1]}`],
  [/latch_login::core::(\w+)/, (m) => `core::${m[1]}`],
  [/serde(_core)?::/, 'serde'],
  [/f64 as core|f32 as core|fmt::float|flt2dec|dragon|grisu|dec2flt|num::bignum|num::diy_float/, 'Rust core: float formatting (serde-wasm-bindgen\'s errors)'],
  [/(core|std)(\[\w+\])?::(fmt|panicking|panic)|<char>::escape|Formatter|Display|Debug|<u\d+>::_fmt/, 'Rust core: formatting and panics'],
  [/^<?(core|std)(\[\w+\])?::|<core::|<str>|<char>|<\[/, 'Rust core: str, slices, iterators'],
  [/alloc(\[\w+\])?::|<alloc::/, 'Rust alloc: String, Vec, BTreeMap'],
  [/talc/, 'talc (the allocator)'],
  [/gloo_net/, 'gloo-net'],
  [/js_sys/, 'js-sys'],
  [/web_sys/, 'web-sys'],
  [/sha2/, 'sha2'],
  [/base64/, 'base64'],
  [/semver/, 'semver'],
  [/percent_encoding/, 'percent-encoding'],
  [/futures_util|futures_core/, 'futures-util'],
];

function owner(name) {
  for (const [pattern, label] of RULES) {
    const m = name.match(pattern);
    if (m) return typeof label === 'function' ? label(m) : label;
  }
  return 'other (compiler intrinsics, std glue)';
}

/** One CSV line's first two fields: the name (quoted, with "" for ") and the size. */
function fields(line) {
  if (line.startsWith('"')) {
    let i = 1;
    let name = '';
    while (i < line.length) {
      if (line[i] === '"' && line[i + 1] === '"') { name += '"'; i += 2; continue; }
      if (line[i] === '"') break;
      name += line[i++];
    }
    return [name, Number(line.slice(i + 2).split(',')[0])];
  }
  const [name, size] = line.split(',');
  return [name, Number(size)];
}

const totals = new Map();
let all = 0;
for (const line of readFileSync(0, 'utf8').split('\n').slice(1)) {
  if (!line.trim()) continue;
  const [name, size] = fields(line);
  if (!Number.isFinite(size) || / names" subsection|names subsection/.test(name) || name.startsWith('Σ') || name.startsWith('...')) continue;
  const key = owner(name);
  totals.set(key, (totals.get(key) ?? 0) + size);
  all += size;
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
console.log('| owner | raw bytes | share |');
console.log('| --- | ---: | ---: |');
for (const [key, size] of rows) {
  console.log(`| ${key} | ${size.toLocaleString('en-US')} | ${(100 * size / all).toFixed(1)} % |`);
}
console.log(`| **the module, names left out** | **${all.toLocaleString('en-US')}** | 100 % |`);
