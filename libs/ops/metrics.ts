import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics; one registry per app instance (tests start several). */
export class AppMetrics {
  readonly registry = new Registry();

  readonly ingestPoints = new Counter({
    name: 'dronetrack_ingest_points_total',
    help: 'Telemetry points by outcome at ingest (accepted, duplicate, rejected)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private queueDepthSource: (() => Promise<number>) | null = null;
  readonly queueDepth = new Gauge({
    name: 'dronetrack_queue_depth',
    help: 'Telemetry jobs waiting or running in the queue',
    registers: [this.registry],
    collect: async () => {
      if (this.queueDepthSource) this.queueDepth.set(await this.queueDepthSource().catch(() => -1));
    },
  });
  readonly processedPoints = new Counter({
    name: 'dronetrack_processed_points_total',
    help: 'Points processed, by whether they were new or already stored',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly processingLag = new Histogram({
    name: 'dronetrack_processing_lag_seconds',
    help: 'Time from ingest acceptance to the point being stored and cached (oldest point of each job)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly jobFailures = new Counter({
    name: 'dronetrack_processing_failures_total',
    help: 'Processing jobs that failed and will be retried',
    registers: [this.registry],
  });
  readonly sseClients = new Gauge({
    name: 'dronetrack_sse_clients',
    help: 'Open map stream connections',
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'dronetrack_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly httpSeries = new Map<string, { observe(seconds: number): void }>();

  /**
   * One request into `httpDuration`. The labelled series is looked up once per (method, route,
   * status) and kept: prom-client hashes the label object on every `observe` otherwise (~1 % of
   * single-point ingest's CPU). Routes are the router's patterns, so the keys are few.
   */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.httpSeries.get(key);
    if (series === undefined) {
      series = this.httpDuration.labels(method, route, String(status));
      this.httpSeries.set(key, series);
    }
    series.observe(seconds);
  }

  /** Queue depth is read from the queue when scraped, not tracked on the hot path. */
  measureQueueDepth(source: () => Promise<number>): void {
    this.queueDepthSource = source;
  }

  /** `labels`: added to every series (the deployment's region). */
  constructor(defaultMetrics = true, labels: Record<string, string> = {}) {
    this.registry.setDefaultLabels(labels);
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'dronetrack_' });
  }
}
