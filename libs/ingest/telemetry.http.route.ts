import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { InvalidInputError, UnauthenticatedError, type DeviceKeyOwner } from '../core/index.js';
import { DeviceKeyAuthenticator } from '../identity/index.js';
import {
  AllExceptionsFilter,
  APP_LOGGER,
  AppMetrics,
  BODY_LIMIT_BYTES,
  bearerToken,
  DEVICE_ROUTE_CONFIG,
  jsonShapeProblem,
  Readiness,
  type JsonLogger,
} from '../ops/index.js';
import { enforceRateLimit, RATE_LIMITER, type RateLimiter } from '../rate-limit/index.js';
import { installFastPath, isPlainJson, lengthWithin } from './fast-path.js';
import { IngestService, type IngestResult } from './ingest.service.js';
import { ingestResultSchema } from './telemetry.openapi.js';

export const TELEMETRY_PATH = '/api/v1/telemetry';

const DEVICE_ANSWER_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' };

/**
 * `POST /api/v1/telemetry` (API.md, Ingest): every drone's every point comes through here.
 *
 * Two ways in, one behaviour: device-key authentication, the device rate limit, IngestService,
 * a 202, and errors in the API's shape from the same mapping as every route (AllExceptionsFilter).
 * - The usual request (plain JSON with a Content-Length within the limit, not while draining) is
 *   answered on the HTTP server before Fastify: measured, Fastify's request, hook and reply
 *   machinery plus Nest's hooks cost about as much CPU as the rest of single-point ingest
 *   (docs/benchmarks.md). Its body checks are Fastify's own: the shape limits, then Fastify's
 *   JSON parser with prototype-poisoning checks.
 * - Anything else (chunked, other content types or charsets, empty or oversized bodies, a query
 *   string, shutdown) goes through the Fastify route below, where Fastify answers 413, 415 and the
 *   rest as for every route.
 */
@Injectable()
export class TelemetryHttpRoute implements OnModuleInit {
  private readonly errors: AllExceptionsFilter;
  private parseJson: ((text: string) => unknown) | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: DeviceKeyAuthenticator,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: IngestService,
    private readonly readiness: Readiness,
    private readonly metrics: AppMetrics,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
  ) {
    this.errors = new AllExceptionsFilter(logger);
  }

  /** Runs during app.init(), before Fastify is ready: routes may still be added. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: TELEMETRY_PATH,
      config: DEVICE_ROUTE_CONFIG,
      // A compiled serializer for the 202 body instead of JSON.stringify.
      schema: { response: { 202: ingestResultSchema } },
      handler: (req, reply) => this.post(req, reply),
    });
    const parse = fastify.getDefaultJsonParser('error', 'error');
    this.parseJson = (text) => {
      let parsed: { err: Error | null; body?: unknown } = { err: null };
      parse(undefined as never, text, (err, body) => (parsed = { err, body }));
      if (parsed.err) throw parsed.err;
      return parsed.body;
    };
    const installed = installFastPath(
      fastify.server,
      (req) => this.takes(req),
      (req, res) => this.answer(req, res),
    );
    if (!installed)
      this.logger.event('warn', 'telemetry fast path not installed: unexpected HTTP server listeners; Fastify serves ingest', {});
  }

  private async post(req: FastifyRequest, reply: FastifyReply): Promise<IngestResult> {
    const result = await this.receive(req, req.body);
    reply.code(202);
    return result;
  }

  private takes(req: IncomingMessage): boolean {
    return (
      req.method === 'POST' &&
      req.url === TELEMETRY_PATH &&
      !this.readiness.draining &&
      isPlainJson(req.headers['content-type']) &&
      lengthWithin(req.headers['content-length'], BODY_LIMIT_BYTES)
    );
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-body gets no answer; Node closes the socket.
    req.on('error', () => {});
    req.on('end', () => {
      const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      this.accept(req, text).then(
        (result) => this.send(req, res, 202, result, {}, started),
        (err: unknown) => {
          const { body, headers } = this.errors.toBody(err);
          this.send(req, res, body.statusCode, body, headers, started);
        },
      );
    });
  }

  private async accept(req: IncomingMessage, text: string): Promise<IngestResult> {
    const problem = jsonShapeProblem(text);
    if (problem) throw new InvalidInputError(problem);
    return this.receive(req, this.parseJson!(text));
  }

  /** What both ways in do with a parsed body: admit the drone, then ingest. */
  private async receive(req: Pick<FastifyRequest, 'headers'>, body: unknown): Promise<IngestResult> {
    return this.ingest.ingest(await this.device(req), body);
  }

  private send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string>,
    started: number,
  ): void {
    if (res.headersSent || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, { ...headers, ...DEVICE_ANSWER_HEADERS, 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
    const ms = performance.now() - started;
    this.metrics.observeHttp('POST', TELEMETRY_PATH, status, ms / 1000);
    if (this.config.logLevel === 'debug') this.logger.event('debug', 'request', { method: req.method, url: req.url, status, ms });
  }

  /** Admits a drone by its device key, then counts the request against that key's rate limit. */
  private async device(req: Pick<FastifyRequest, 'headers'>): Promise<DeviceKeyOwner> {
    const key = bearerToken(req);
    if (!key) throw new UnauthenticatedError('a device key is required: Authorization: Bearer <deviceKey>');
    const found = await this.authenticator.authenticate(key);
    if (!found) throw new UnauthenticatedError('the device key is unknown, rotated or revoked');
    const limit = this.config.rateLimits.device;
    if (limit.max > 0) await enforceRateLimit(this.limiter, `device:${found.digest}`, limit, 'device key');
    return found.owner;
  }
}
