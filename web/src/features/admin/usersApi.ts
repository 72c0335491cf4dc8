import { request } from '../../api/client';
import type { User } from '../../types';

/** Tenant admin: the tenant's users. */
export const usersApi = {
  list: () => request<{ items: User[] }>('users'),
  add: (body: { email: string; password: string; role: string }) => request<User>('users', { method: 'POST', body }),
};
