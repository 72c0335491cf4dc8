import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../libs/config/index.js';

/**
 * Security headers on every web-role response (@fastify/helmet): nosniff, no framing, and a CSP
 * the web app runs under with no violation. MapLibre needs: its worker (a same-origin module
 * file, blob: for its fallback), images from data:/blob: (icons, decoded tiles), and fetch to
 * the tile host when MAP_TILE_URL is set. Swagger UI (/api/docs) needs inline styles.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const tiles = tileOrigin(config.mapTileUrl);
  await app.register(fastifyHelmet as never, {
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
}

/** The tile server's origin, from a template such as https://tile.example.org/{z}/{x}/{y}.png. */
function tileOrigin(template: string | null): string[] {
  const match = template ? /^(https?:\/\/)([^/?#]+)/i.exec(template) : null;
  if (!match) return [];
  const [, scheme, host] = match;
  // A subdomain placeholder ({s}.tile.example.org) becomes a CSP wildcard (*.tile.example.org).
  return [scheme + (host.includes('{') ? host.replace(/^[^.]*\{[^}]*\}[^.]*/, '*') : host)];
}
