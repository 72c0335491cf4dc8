/** GET /me: the signed-in user. */
export interface Me {
  id: string;
  email: string;
  role: 'admin' | 'viewer' | string;
  tenantId: string;
  tenantName?: string;
}

export interface User {
  id: string;
  email: string;
  role: string;
  tenantId: string;
}
