import type { Principal } from '@posestack/api-contracts';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { fetchPrincipal, signIn, signOut } from './auth-client';

type SessionState = { kind: 'checking' } | { kind: 'signed-out'; error?: string } | { kind: 'signed-in'; principal: Principal };

const browserFetch: typeof fetch = (...args) => window.fetch(...args);

/** Shows the sign-in form until the page server holds a session, then the app with who is signed in. */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'checking' });

  useEffect(() => {
    fetchPrincipal(browserFetch).then(
      (principal) => setState(principal ? { kind: 'signed-in', principal } : { kind: 'signed-out' }),
      (error: unknown) => setState({ kind: 'signed-out', error: error instanceof Error ? error.message : String(error) }),
    );
  }, []);

  if (state.kind === 'checking') return <p className="session-checking">Checking your sign-in…</p>;
  if (state.kind === 'signed-out') {
    return <LoginForm error={state.error} onSignedIn={(principal) => setState({ kind: 'signed-in', principal })} />;
  }
  return (
    <>
      <div className="session-bar" data-testid="session-bar">
        <span>
          Signed in as <strong>{state.principal.name}</strong> ({state.principal.role})
        </span>
        <button type="button" onClick={() => void signOut(browserFetch).then(() => setState({ kind: 'signed-out' }))}>
          Sign out
        </button>
      </div>
      {children}
    </>
  );
}

function LoginForm({ error, onSignedIn }: { error?: string; onSignedIn: (principal: Principal) => void }) {
  const [message, setMessage] = useState(error);
  const [isBusy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      onSignedIn(await signIn(browserFetch, { username: String(form.get('username')), password: String(form.get('password')) }));
    } catch (failure) {
      setMessage(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login panel">
      <h1>posestack</h1>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <label>
          User name
          <input name="username" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={isBusy}>
          Sign in
        </button>
        {message ? <p role="alert">{message}</p> : null}
      </form>
    </main>
  );
}
