import './styles.css';
import { api, ApiError, loadConfig, SESSION_EXPIRED, setToken, setUnauthorizedHandler } from './api/client';
import { App } from './app/app';
import { clearAlerts, h } from './ui/dom';
import { installPerf } from './perf';
import { clearSession, isExpired, loadSession, saveSession, tokenClaims, type Session } from './features/session/storage';
import type { AppConfig, Me } from './types/drone';

const root = document.getElementById('app')!;
let app: App | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | null = null;
const configPromise = loadConfig();

installPerf(() => app);

function loginErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401) return 'Wrong email or password.';
    if (e.status === 400) return `Check the form: ${e.message}`;
    return e.message;
  }
  return 'Cannot reach the server. Check the network connection and try again.';
}

function showLogin(message = ''): void {
  document.title = 'Sign in · dronetrack';
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'username', 'data-testid': 'login-email' });
  const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'current-password', 'data-testid': 'login-password' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'login-submit' }, 'Sign in');
  const error = h('p', { class: 'login-error', role: 'alert', 'data-testid': 'login-error' }, message);
  const form = h(
    'form',
    { class: 'login-card', 'data-testid': 'login-form', 'aria-label': 'Sign in' },
    h('h1', {}, h('b', {}, 'drone'), 'track'),
    h('p', { class: 'muted' }, 'Sign in to see your fleet live.'),
    h('label', { class: 'field' }, h('span', {}, 'Email'), email),
    h('label', { class: 'field' }, h('span', {}, 'Password'), password),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    error.textContent = '';
    try {
      const r = await api.login(email.value.trim(), password.value);
      const session: Session = { token: r.accessToken, expiresAt: r.expiresIn > 0 ? Date.now() + r.expiresIn * 1000 : null };
      saveSession(session);
      start(session, await configPromise);
    } catch (err) {
      error.textContent = loginErrorText(err);
      submit.disabled = false;
      submit.textContent = 'Sign in';
      password.select();
    }
  });
  root.replaceChildren(h('main', { class: 'login' }, form));
  email.focus();
}

function logout(message = ''): void {
  if (expiryTimer) clearTimeout(expiryTimer);
  expiryTimer = null;
  app?.destroy();
  app = null;
  clearSession();
  setToken(null);
  setUnauthorizedHandler(null);
  clearAlerts();
  showLogin(message);
}

function start(session: Session, config: AppConfig): void {
  setToken(session.token);
  setUnauthorizedHandler((msg) => logout(msg));
  if (session.expiresAt != null) {
    // setTimeout cannot wait longer than ~24.8 days
    const wait = Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1);
    expiryTimer = setTimeout(() => logout('Your session has expired. Please sign in again.'), Math.max(0, wait));
  }
  const c = tokenClaims(session.token) ?? {};
  const fallbackMe: Partial<Me> = {
    email: typeof c.email === 'string' ? c.email : undefined,
    role: typeof c.role === 'string' ? c.role : undefined,
    tenantId: typeof c.tenantId === 'string' ? c.tenantId : undefined,
  };
  document.title = 'dronetrack';
  app = new App({ root, config, token: session.token, fallbackMe, logout: () => logout() });
}

async function boot(): Promise<void> {
  const session = loadSession();
  if (!session) return showLogin();
  if (isExpired(session)) {
    clearSession();
    return showLogin(SESSION_EXPIRED);
  }
  start(session, await configPromise);
}

void boot();
