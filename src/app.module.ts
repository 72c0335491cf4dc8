import { createSecretKey } from 'node:crypto';
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, hasRole, type AppConfig } from '../libs/config/index.js';
import { FlightsModule } from '../libs/flights/index.js';
import { AlertsModule } from '../libs/alerts/index.js';
import { GeofencesModule } from '../libs/geofences/index.js';
import { IdentityModule } from '../libs/identity/index.js';
import { WebhookDeliveryModule, WebhooksModule } from '../libs/webhooks/index.js';
import { AlertingWiringModule } from './alerting-wiring.module.js';
import { IngestModule } from '../libs/ingest/index.js';
import { MapQueryModule } from '../libs/map-query/index.js';
import { HealthHttpController } from '../libs/ops/index.js';
import { APP_LOGGER, type JsonLogger } from '../libs/ops/index.js';
import { AppMetrics } from '../libs/ops/index.js';
import { Readiness } from '../libs/ops/index.js';
import { ProcessingModule } from '../libs/processing/index.js';
import { ADAPTER_TOKENS, closeAdapters, readinessChecks, type Adapters } from './adapters/index.js';
import { WebAppModule } from './web-app/web-app.module.js';

const ADAPTERS = Symbol('Adapters');

/** Provides config, logging, metrics, readiness and the opened adapters to every module. */
@Global()
@Module({})
class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(ADAPTERS) private readonly adapters: Adapters) {}

  static forRoot(config: AppConfig, adapters: Adapters, logger: JsonLogger, metrics: AppMetrics): DynamicModule {
    if (adapters.queue) metrics.measureQueueDepth(() => adapters.queue!.depth());
    const readiness = new Readiness();
    for (const check of readinessChecks(adapters)) readiness.register(check);
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: APP_LOGGER, useValue: logger },
      { provide: AppMetrics, useValue: metrics },
      { provide: Readiness, useValue: readiness },
      { provide: ADAPTERS, useValue: adapters },
    ];
    for (const [key, token] of Object.entries(ADAPTER_TOKENS)) {
      const value = adapters[key as keyof Adapters];
      if (value) providers.push({ provide: token, useValue: value });
    }
    return {
      module: CoreModule,
      // A KeyObject made once: given a string, jsonwebtoken builds one on every verify (measured:
      // about half the CPU of an authenticated request).
      imports: [JwtModule.register({ global: true, secret: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer })],
      controllers: [HealthHttpController],
      providers,
      exports: providers.map((p) => (p as { provide: unknown }).provide as symbol),
    };
  }

  /** Runs after every module's beforeApplicationShutdown (processors have stopped consuming). */
  async onApplicationShutdown(): Promise<void> {
    await closeAdapters(this.adapters);
  }
}

/** The composition root: the modules of the selected roles, on the opened adapters. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, adapters: Adapters, logger: JsonLogger, metrics: AppMetrics): DynamicModule {
    const imports: DynamicModule['imports'] = [CoreModule.forRoot(config, adapters, logger, metrics)];
    if (hasRole(config, 'ingest')) imports.push(IngestModule);
    if (hasRole(config, 'processor') || hasRole(config, 'web')) imports.push(AlertingWiringModule);
    if (hasRole(config, 'processor')) imports.push(ProcessingModule, WebhookDeliveryModule);
    if (hasRole(config, 'web')) imports.push(IdentityModule, MapQueryModule, FlightsModule, WebAppModule);
    if (hasRole(config, 'web')) imports.push(GeofencesModule, AlertsModule, WebhooksModule);
    return { module: AppModule, imports };
  }
}
