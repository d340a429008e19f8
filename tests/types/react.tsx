// latch-login/react as a TypeScript app uses it (JSX, @types/react); the @ts-expect-error
// lines must stay errors.
import { StrictMode } from 'react';
import { LatchProvider, useLatch, withAuthenticationRequired } from 'latch-login/react';

function Profile({ greeting }: { greeting: string }) {
  const {
    isLoading, isAuthenticated, user, error, login, logout, getTokenSilently, checkSession,
  } = useLatch();
  if (isLoading) return <p>Loading</p>;
  if (error) return <p>{error.error}: {error.errorDescription}</p>;
  if (!isAuthenticated || !user) {
    return (
      <>
        <button type="button" onClick={() => login({ connection: 'acme', popup: true })}>Log in with Acme</button>
        <button type="button" onClick={() => login()}>Log in</button>
      </>
    );
  }
  const token: Promise<string> = getTokenSilently({ cacheMode: 'off' });
  checkSession({ timeout: 5000 }).then((result) => console.log(result.profile.sub));
  return (
    <button type="button" onClick={() => logout({ returnTo: 'https://app.example/' }).then((url: string) => url)}>
      {greeting} {user.name} {String(token)}
    </button>
  );
}

const Guarded = withAuthenticationRequired(Profile, { onRedirecting: () => <p>Redirecting</p>, loginOptions: { connection: 'acme' } });

export const app = (
  <StrictMode>
    <LatchProvider clientId="client" domain="tenant.example.com" options={{ auth: { audience: 'https://api.example' } }}>
      <Guarded greeting="Hello" />
    </LatchProvider>
  </StrictMode>
);

// @ts-expect-error the provider needs the client and the domain
export const missing = <LatchProvider clientId="client"><Guarded greeting="Hello" /></LatchProvider>;
// @ts-expect-error the guarded component keeps its own props
export const wrongProps = <Guarded greeting={3} />;
export function Misuse() {
  const { user, getTokenSilently } = useLatch();
  // @ts-expect-error the user may be null
  console.log(user.name);
  // @ts-expect-error cacheMode is 'on' or 'off'
  getTokenSilently({ cacheMode: 'cache-only' });
  return null;
}
