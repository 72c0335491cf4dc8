import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInputError } from '../core/index.js';

/** The largest request body (API.md: a 413 above 1 MiB). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Shape limits for JSON bodies, checked on the raw text before JSON.parse and any route, pipe or
 * class-transformer sees the value: class-transformer recurses (a deep body overflows the stack)
 * and de-duplicates keys quadratically (80,000 keys freeze the event loop for seconds).
 * The biggest legitimate body, a telemetry batch of 1,000 points of 12 fields, stays far inside.
 */
export const JSON_LIMITS = {
  /** Nesting of objects and arrays. */
  maxDepth: 16,
  /** Keys in one object. */
  maxKeysPerObject: 100,
  /** Values in the whole body (counted by separators). */
  maxNodes: 50_000,
} as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * Checks the raw JSON text in one linear pass, before JSON.parse: parsing an object of 80,000
 * keys alone costs V8 ~100 ms, and even enumerating its first keys means collecting them all.
 * Counts nesting, keys per object (a ':' outside strings) and values (',' and openings).
 * Returns the rule the body breaks, or null; malformed JSON is left to JSON.parse.
 */
export function jsonShapeProblem(text: string, limits = JSON_LIMITS): string | null {
  const keys: number[] = []; // per open container: keys so far (-1 for arrays)
  let values = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      keys.push(c === OPEN_OBJECT ? 0 : -1);
      if (keys.length > limits.maxDepth) return `request body is nested deeper than ${limits.maxDepth} levels`;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      keys.pop();
    } else if (c === COLON && keys.length > 0 && keys[keys.length - 1] >= 0) {
      if (++keys[keys.length - 1] > limits.maxKeysPerObject) {
        return `an object in the request body has more than ${limits.maxKeysPerObject} keys`;
      }
    } else if (c === COMMA) {
      if (++values > limits.maxNodes) return `request body has more than ${limits.maxNodes} values`;
    }
  }
  return null;
}

/**
 * The only body parser: application/json, shape-checked, then parsed by Fastify's own parser
 * (prototype-poisoning checks included). Every other content type is a 415,
 * which Fastify answers for a content type without parser.
 */
export function registerJsonOnlyBodyParser(instance: FastifyInstance): void {
  instance.removeAllContentTypeParsers();
  const parse = instance.getDefaultJsonParser('error', 'error');
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      const problem = jsonShapeProblem(body as string);
      if (problem) return done(new InvalidInputError(problem));
      parse(req, body as string, done);
    },
  );
}
