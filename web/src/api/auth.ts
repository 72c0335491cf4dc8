import type { Me } from '../types';
import { request } from './client';

export interface LoginResult {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

export const authApi = {
  login: (email: string, password: string) =>
    request<LoginResult>('auth/login', { method: 'POST', body: { email, password }, auth: false }),
  me: () => request<Me>('me'),
};
