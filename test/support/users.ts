import { Api, TENANT_PASSWORD, waitFor } from './test-app.js';

/** Adds a user through POST /users and logs them in. */
export async function addUser(api: Api, admin: string, role: 'admin' | 'viewer'): Promise<{ id: string; email: string; token: string }> {
  const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const created = await api.post('/api/v1/users', { email, password: TENANT_PASSWORD, role }, admin);
  if (created.status !== 201) throw new Error(`POST /users: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await api.post('/api/v1/auth/login', { email, password: TENANT_PASSWORD });
  return { id: created.body.id, email, token: login.body.accessToken };
}

/** Resolves with how long it took until GET /drones with `token` answered `status`. */
export async function refusedWithin(api: Api, token: string, status = 401, ms = 5000): Promise<number> {
  const started = Date.now();
  await waitFor(async () => (await api.get('/api/v1/drones', token)).status === status, ms, `the token to be answered ${status}`);
  return Date.now() - started;
}
