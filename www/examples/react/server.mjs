// The server's side of the example: the same App rendered to HTML with react-dom/server (what
// a server-rendered page sends before the browser takes over), from the SSR build in
// dist-server/. Prints the HTML of the page named by the first argument (home or secret).
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

import App from './dist-server/App.js';

const page = process.argv[2] ?? 'home';
console.log(renderToString(createElement(App, { clientId: 'latch-spa', domain: 'https://op.example', page })));
