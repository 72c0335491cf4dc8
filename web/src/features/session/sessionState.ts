import { signal } from '@preact/signals';
import { authApi } from '../../api/auth';
import { SESSION_EXPIRED, setToken, setUnauthorizedHandler } from '../../api/client';
import { loadConfig } from '../../api/config';
import type { AppConfig, Me } from '../../types';
import { clearDialogs } from '../../ui/dialogs';
import { clearAlerts } from '../../ui/toasts';
import { clearSession, isExpired, loadSession, saveSession, tokenClaims, type Session } from './storage';

/** A signed-in user: what the application view is built from. */
export interface SignedIn {
  session: Session;
  config: AppConfig;
  /** Role and email from the token's claims, until GET /me answers. */
  fallbackMe: Partial<Me>;
}

/** null: the sign-in form is shown, with `loginMessage`. */
export const signedIn = signal<SignedIn | null>(null);
export const loginMessage = signal('');

const configPromise = loadConfig();
let expiryTimer: ReturnType<typeof setTimeout> | null = null;

function claimsOf(token: string): Partial<Me> {
  const c = tokenClaims(token) ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { email: str(c.email), role: str(c.role), tenantId: str(c.tenantId) };
}

function start(session: Session, config: AppConfig): void {
  setToken(session.token);
  setUnauthorizedHandler((msg) => logout(msg));
  if (session.expiresAt != null) {
    // setTimeout cannot wait longer than ~24.8 days
    const wait = Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1);
    expiryTimer = setTimeout(() => logout('Your session has expired. Please sign in again.'), Math.max(0, wait));
  }
  document.title = 'dronetrack';
  signedIn.value = { session, config, fallbackMe: claimsOf(session.token) };
}

/** POST /auth/login; keeps the token in localStorage. Throws ApiError (shown by the form). */
export async function signIn(email: string, password: string): Promise<void> {
  const r = await authApi.login(email, password);
  const session: Session = { token: r.accessToken, expiresAt: r.expiresIn > 0 ? Date.now() + r.expiresIn * 1000 : null };
  saveSession(session);
  start(session, await configPromise);
}

/** Back to the sign-in form (with a message for an expired session); forgets the token. */
export function logout(message = ''): void {
  if (expiryTimer) clearTimeout(expiryTimer);
  expiryTimer = null;
  clearSession();
  setToken(null);
  setUnauthorizedHandler(null);
  clearAlerts();
  clearDialogs();
  loginMessage.value = message;
  signedIn.value = null;
}

/** A stored, unexpired session signs in directly (after the app config is in). */
export async function boot(): Promise<void> {
  const session = loadSession();
  if (!session) return;
  if (isExpired(session)) {
    clearSession();
    loginMessage.value = SESSION_EXPIRED;
    return;
  }
  start(session, await configPromise);
}
