import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { AppConfig } from '../../libs/config/index.js';
import { isDeviceRoute } from '../../libs/ops/index.js';

/**
 * Security headers on every web-role response (helmet): nosniff, no framing, and a CSP
 * the web app runs under with no violation. MapLibre needs: its worker (a same-origin module
 * file, blob: for its fallback), images from data:/blob: (icons, decoded tiles), and fetch to
 * the tile host when MAP_TILE_URL is set. Swagger UI (/api/docs) needs inline styles.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const headers = securityHeaders(config);
  const deviceHeaders = { 'x-content-type-options': headers['x-content-type-options'] ?? 'nosniff' };
  app
    .getHttpAdapter()
    .getInstance()
    // Callback style: an async hook costs a promise per request on every route, ingest included.
    .addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      reply.headers(isDeviceRoute(req) ? deviceHeaders : headers);
      done();
    });
}

/**
 * Helmet's headers, computed once: they do not depend on the request, and building them per
 * request (the CSP string above all) was 5 % of the CPU of single-point ingest (profiled).
 */
export function securityHeaders(config: AppConfig): Record<string, string> {
  const tiles = tileOrigin(config.mapTileUrl);
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:', ...tiles],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...tiles],
        'worker-src': ["'self'", 'blob:'],
        'child-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
      },
    },
    // Plain-HTTP development and tests must keep working: no upgrade, HSTS only matters on TLS.
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  middleware({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

/** The tile server's origin, from a template such as https://tile.example.org/{z}/{x}/{y}.png. */
function tileOrigin(template: string | null): string[] {
  const match = template ? /^(https?:\/\/)([^/?#]+)/i.exec(template) : null;
  if (!match) return [];
  const [, scheme, host] = match;
  // A subdomain placeholder ({s}.tile.example.org) becomes a CSP wildcard (*.tile.example.org).
  return [scheme + (host.includes('{') ? host.replace(/^[^.]*\{[^}]*\}[^.]*/, '*') : host)];
}
