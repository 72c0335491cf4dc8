import type { FastifyRequest } from 'fastify';

/**
 * Fastify route config of routes only devices call (telemetry ingest). Their answers are JSON for
 * a drone, never rendered by a browser: the browser-only security headers (CSP, framing,
 * cross-origin policies) are left off them, as they always were when the ingest role runs apart
 * from the web role. They still carry `x-content-type-options: nosniff`.
 */
export const DEVICE_ROUTE_CONFIG = Object.freeze({ deviceRoute: true });

export function isDeviceRoute(req: FastifyRequest): boolean {
  return (req.routeOptions.config as { deviceRoute?: boolean } | undefined)?.deviceRoute === true;
}
