import 'reflect-metadata';
import { InvalidInputError } from '../libs/core/index.js';
import { Logger, ValidationPipe, type ArgumentMetadata, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type AppConfig } from '../libs/config/index.js';
import { telemetryPathItem } from '../libs/ingest/index.js';
import { AllExceptionsFilter } from '../libs/ops/index.js';
import { errorBody } from '../libs/ops/index.js';
import { JsonLogger } from '../libs/ops/index.js';
import { AppMetrics } from '../libs/ops/index.js';
import { Readiness } from '../libs/ops/index.js';
import { openAdapters } from './adapters/index.js';
import { AppModule } from './app.module.js';
import { webDistDir } from './web-app/web-app-files.js';
import { registerSecurityHeaders } from './web-app/security-headers.js';
import { httpServerOptions } from './http-server-options.js';
import { registerJsonOnlyBodyParser } from '../libs/ops/index.js';
import { redactUrl } from '../libs/ops/index.js';
import { shedLoginsWhenBusy } from '../libs/identity/index.js';

export { BODY_LIMIT_BYTES } from './http-server-options.js';

export interface AppHandle {
  app: NestFastifyApplication;
  config: AppConfig;
  logger: JsonLogger;
  /** Graceful stop: readiness off, close streams, finish HTTP requests, finish jobs, close connections. */
  shutdown(): Promise<void>;
}

/** Builds the application for the configured roles; does not listen. */
export async function createApp(config: AppConfig, logger = new JsonLogger(config.logLevel)): Promise<AppHandle> {
  // Adapters log through Nest's Logger while they open, before the app exists: JSON from the start.
  Logger.overrideLogger(logger);
  const metrics = new AppMetrics(true, config.region ? { region: config.region } : {});
  const adapters = await openAdapters(config, logger);
  const fastify = new FastifyAdapter(httpServerOptions(config));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, adapters, logger, metrics), fastify, {
    logger,
    abortOnError: false,
    // Nest's defaults would add a form (urlencoded) parser; ours parses JSON only, with shape limits.
    bodyParser: false,
  });
  registerJsonOnlyBodyParser(app.getHttpAdapter().getInstance());
  // Also sees Fastify's parsing and limit errors: Nest routes them through the global filters.
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.useGlobalPipes(
    new StrictValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) =>
        new InvalidInputError(errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` }))),
    }),
  );
  registerHttpHooks(app, metrics, config, logger);
  if (hasRole(config, 'web')) {
    shedLoginsWhenBusy(app);
    await registerSecurityHeaders(app, config);
    await registerWebAssets(app);
    // The API docs are a web route (docs/deployment.md): ingest and processor serve only their own.
    setUpOpenApi(app);
  }
  await app.init();

  let stopping: Promise<void> | null = null;
  const shutdown = () =>
    (stopping ??= (async () => {
      app.get(Readiness).startDraining();
      await app.close();
    })());
  return { app, config, logger, shutdown };
}

function registerHttpHooks(app: NestFastifyApplication, metrics: AppMetrics, config: AppConfig, logger: JsonLogger): void {
  const instance = app.getHttpAdapter().getInstance();
  // Looked up once: app.get() searches the module graph (measured ~1 % of single-point ingest).
  const readiness = app.get(Readiness);
  // While draining, API requests go elsewhere: readiness is already failing.
  // Callback-style hooks: an async hook costs a promise and a microtask per request, on every route.
  instance.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (readiness.draining && req.url.startsWith('/api/')) {
      // Answered here: Fastify's callback hooks end the request when the hook sends and skips done().
      void reply.status(503).header('Retry-After', '5').send(errorBody(503, 'this instance is shutting down; retry'));
      return;
    }
    done();
  });
  instance.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (config.logLevel === 'debug') {
      // Stream URLs carry ?access_token=: never into the logs.
      logger.event('debug', 'request', { method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: reply.elapsedTime });
    }
    done();
  });
}

async function registerWebAssets(app: NestFastifyApplication): Promise<void> {
  const dir = webDistDir();
  if (!dir) return;
  // Assets only; `/` itself is the WebAppHttpController (index.html) so API routes stay Nest's.
  await app.register(fastifyStatic as never, { root: dir, prefix: '/', index: false, wildcard: false, maxAge: '1h' });
}

function setUpOpenApi(app: INestApplication): void {
  const doc = new DocumentBuilder()
    .setTitle('dronetrack API')
    .setDescription('Drone telemetry ingest, tenant identity and map queries. Contract: shared/API.md.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, 'adminToken')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /api/v1/auth/login' }, 'accessToken')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'device key from POST /api/v1/drones' }, 'deviceKey')
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  // The web role documents the whole API, including the ingest endpoint another role serves.
  document.paths['/api/v1/telemetry'] ??= telemetryPathItem as never;
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** class-validator on DTO bodies, but a body that is not a JSON object (array, string, none) is refused first. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (metadata.type === 'body' && isDto && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new InvalidInputError('request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}
