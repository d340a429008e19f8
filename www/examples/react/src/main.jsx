// The browser's entry: the provider and client of the demo (an app writes its own), and the
// App under StrictMode, whose double mount must not make a second widget or login.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import App from './App.jsx';

const { issuer, clientId } = await (await fetch('/demo-config.json')).json();
const page = new URLSearchParams(location.search).get('page') ?? 'home';

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App clientId={clientId} domain={issuer} page={page} />
  </StrictMode>,
);
