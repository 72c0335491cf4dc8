import type { FastifyRequest } from 'fastify';

/** The bearer token of the Authorization header, or null (of a Fastify or a plain Node request). */
export function bearerToken(req: Pick<FastifyRequest, 'headers'>): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
