import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { UserRole } from '../core/index.js';

/** The caller of a web-user endpoint, from a verified access token. */
export interface AuthUser {
  id: string;
  tenantId: string;
  role: UserRole;
  email: string;
  /** When the access token expires (epoch ms): open streams end then. */
  expiresAt: number;
  /** The user's token version the token was issued at (streams re-check it). */
  tokenVersion: number;
}

export type UserRequest = FastifyRequest & { user?: AuthUser };

export const REQUIRED_ROLE = 'dronetrack:requiredRole';
/** Restricts an endpoint to tenant admins. */
export const AdminOnly = () => SetMetadata(REQUIRED_ROLE, 'admin');

export const QUERY_TOKEN = 'dronetrack:queryToken';
/** Lets browsers' EventSource pass the token as ?access_token= (it cannot set headers). */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN, true);
