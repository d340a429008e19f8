// Preloaded (`node --import`) before server-side code that must not touch the browser: every
// browser global a DOM page has and Node has not becomes a getter that records who read it
// (the stack), and says so on stderr as one JSON line when the process ends. The getter
// answers undefined, as the name would be on a server.
const NAMES = [
  'window', 'document', 'self', 'location', 'navigator', 'history', 'screen', 'localStorage', 'sessionStorage',
  'indexedDB', 'customElements', 'HTMLElement', 'Element', 'Node', 'MutationObserver', 'matchMedia', 'requestAnimationFrame',
];
const reads = [];
for (const name of NAMES) {
  if (Object.hasOwn(globalThis, name)) continue;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      reads.push({ name, stack: new Error().stack.split('\n').slice(2).join('\n') });
      return undefined;
    },
  });
}
process.on('exit', () => process.stderr.write(`browser-globals:${JSON.stringify(reads)}\n`));
