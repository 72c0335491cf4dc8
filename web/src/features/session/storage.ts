/** Access token kept in localStorage so a session survives a reload. */
const KEY = 'dronetrack.session';

export interface Session {
  token: string;
  expiresAt: number | null; // epoch ms, from expiresIn at login
}

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s?.token === 'string' && s.token ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

export function isExpired(s: Session, now = Date.now()): boolean {
  return s.expiresAt != null && now >= s.expiresAt;
}

/** Claims of a JWT access token, if it is one (used only as a fallback when /me is unavailable). */
export function tokenClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}
