import './session.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { signIn } from './sessionState';

function loginErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401) return 'Wrong email or password.';
    if (e.status === 400) return `Check the form: ${e.message}`;
    return e.message;
  }
  return 'Cannot reach the server. Check the network connection and try again.';
}

/** The sign-in form; `message` says why it is shown again (an expired session). */
export function LoginForm({ message }: { message: string }) {
  const email = useRef<HTMLInputElement>(null);
  const password = useRef<HTMLInputElement>(null);
  const [error, setError] = useState(message);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Sign in · dronetrack';
    email.current?.focus();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signIn(email.current!.value.trim(), password.current!.value);
    } catch (err) {
      setError(loginErrorText(err));
      setBusy(false);
      password.current?.select();
    }
  };

  return (
    <main class="login">
      <form class="login-card" data-testid="login-form" aria-label="Sign in" onSubmit={submit}>
        <h1>
          <b>drone</b>track
        </h1>
        <p class="muted">Sign in to see your fleet live.</p>
        <label class="field">
          <span>Email</span>
          <input ref={email} type="email" name="email" required autocomplete="username" data-testid="login-email" />
        </label>
        <label class="field">
          <span>Password</span>
          <input ref={password} type="password" name="password" required autocomplete="current-password" data-testid="login-password" />
        </label>
        <p class="login-error" role="alert" data-testid="login-error">
          {error}
        </p>
        <button type="submit" class="btn btn-primary" data-testid="login-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
