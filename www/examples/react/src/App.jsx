// A React app on latch-login/react, as one written for auth0-react would be: the provider at
// the top, the hook where the user is needed, a guard on the page only users may see. The
// server renders the same App (dist-server/, react-dom/server).
import { useState } from 'react';
import { LatchProvider, useLatch, withAuthenticationRequired } from 'latch-login/react';

function Home() {
  const {
    isLoading, isAuthenticated, user, error, login, logout, getTokenSilently,
  } = useLatch();
  const [token, setToken] = useState(null);
  if (isLoading) return <p id="status">Loading…</p>;
  if (!isAuthenticated) {
    return (
      <>
        {error && <p id="error" role="alert">{error.error}</p>}
        <button type="button" id="login" onClick={() => login({ connection: 'local-oidc' })}>Log in</button>
      </>
    );
  }
  return (
    <>
      <p id="who">Signed in as {user.name} ({user.user_id})</p>
      <button
        type="button"
        id="token"
        onClick={() => getTokenSilently({ cacheMode: 'off' }).then((t) => setToken(t), (e) => setToken(`error: ${e.error}`))}
      >
        Get an access token
      </button>
      {token && <p id="token-result" data-length={token.length}>{token.startsWith('error') ? token : 'Got an access token'}</p>}
      <button type="button" id="logout" onClick={() => logout({ returnTo: window.location.href })}>Log out</button>
    </>
  );
}

/** Only for signed-in users: anyone else is sent to log in with local-oidc. */
const Secret = withAuthenticationRequired(
  () => <p id="secret">Only signed-in users see this</p>,
  { onRedirecting: () => <p id="redirecting">Sending you to log in…</p>, loginOptions: { connection: 'local-oidc' } },
);

export default function App({ clientId, domain, page }) {
  return (
    <LatchProvider clientId={clientId} domain={domain}>
      <main>
        <h1>latch-login in a React app</h1>
        {page === 'secret' ? <Secret /> : <Home />}
      </main>
    </LatchProvider>
  );
}
