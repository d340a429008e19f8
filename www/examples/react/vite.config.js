// React's JSX through @vitejs/plugin-react; nothing latch-specific (the package's wasm,
// stylesheet, worker and language packs are assets Vite finds by itself). `base` only lets the
// built site live in any folder.
import react from '@vitejs/plugin-react';

export default { base: './', plugins: [react()] };
