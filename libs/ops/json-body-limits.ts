import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './http-errors.js';

/**
 * Shape limits for JSON bodies, checked right after JSON.parse and before any route, pipe or
 * class-transformer sees the value: class-transformer recurses (a deep body overflows the stack)
 * and de-duplicates keys quadratically (80,000 keys freeze the event loop for seconds).
 * The biggest legitimate body, a telemetry batch of 1,000 points of 12 fields, stays far inside.
 */
export const JSON_LIMITS = {
  /** Nesting of objects and arrays. */
  maxDepth: 16,
  /** Keys in one object. */
  maxKeysPerObject: 100,
  /** Objects, arrays and values in the whole body. */
  maxNodes: 50_000,
} as const;

/** Walks the parsed body without recursion; returns the rule it breaks, or null. */
export function jsonShapeProblem(root: unknown, limits = JSON_LIMITS): string | null {
  const stack: [unknown, number][] = [[root, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) return `request body has more than ${limits.maxNodes} values`;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.maxDepth) return `request body is nested deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    let keys = 0;
    for (const key in value) {
      if (++keys > limits.maxKeysPerObject) return `an object in the request body has more than ${limits.maxKeysPerObject} keys`;
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}

/**
 * The only body parser: application/json, parsed by Fastify's own parser
 * (prototype-poisoning checks included), then shape-checked. Every other content type is a 415,
 * which Fastify answers for a content type without parser.
 */
export function registerJsonOnlyBodyParser(instance: FastifyInstance): void {
  instance.removeAllContentTypeParsers();
  const parse = instance.getDefaultJsonParser('error', 'error');
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      parse(req, body as string, (err: Error | null, parsed?: unknown) => {
        if (err) return done(err);
        const problem = jsonShapeProblem(parsed);
        if (problem) return done(new ApiError(400, problem));
        done(null, parsed);
      });
    },
  );
}
