import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isForbiddenAddress } from './ssrf-guard.js';

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface SendResult {
  statusCode: number | null;
  error: string | null;
}

/**
 * Resolves like dns.lookup but refuses forbidden addresses. Used as the socket's lookup, the
 * check applies to the address actually connected to, so DNS rebinding between the check and
 * the connection cannot slip through.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad || addresses.length === 0) {
      return callback(Object.assign(new Error(`${hostname} resolves to a forbidden address`), { code: 'EFORBIDDEN' }), '', 4);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/** One POST of a delivery; never throws. A 2xx within the timeout is success. */
export function sendWebhook(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<SendResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ statusCode: null, error: 'url is not valid' });
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isForbiddenAddressLiteral(host)) return resolve({ statusCode: null, error: 'url host is a forbidden address' });
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: allowPrivate ? undefined : guardedLookup,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ statusCode: res.statusCode ?? null, error: null }));
        res.on('error', () => resolve({ statusCode: res.statusCode ?? null, error: 'response was cut off' }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ statusCode: null, error: describe(err) }));
    req.end(body);
  });
}

function isForbiddenAddressLiteral(host: string): boolean {
  return /^[\d.]+$|:/.test(host) && isForbiddenAddress(host);
}

/** Short, receiver-facing reasons; no stacks. */
function describe(err: NodeJS.ErrnoException): string {
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  if (err.code === 'EFORBIDDEN') return 'url host resolves to a forbidden address';
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ENOTFOUND') return 'url host does not resolve';
  return err.code ? `connection failed (${err.code})` : 'connection failed';
}
