import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { Api, startTestApp, type TestApp } from '../support/test-app.js';

describe('operations endpoints', () => {
  let app: TestApp;
  let api: Api;
  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
  });
  afterAll(() => app.close());

  it('GET /health/live and /health/ready answer 200 with checks', async () => {
    expect((await api.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', ready: true, checks: { store: 'up', queue: 'up', cache: 'up', events: 'up' } });
  });

  it('GET /metrics is Prometheus text with the pipeline metrics', async () => {
    const res = await fetch(`${app.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    for (const name of [
      'dronetrack_ingest_points_total',
      'dronetrack_queue_depth',
      'dronetrack_processing_lag_seconds',
      'dronetrack_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('GET /api/docs-json is the OpenAPI document with every contract path', async () => {
    const res = await api.get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/tenants',
      '/api/v1/tenants/{tenantId}/users',
      '/api/v1/auth/login',
      '/api/v1/drones',
      '/api/v1/drones/{id}',
      '/api/v1/drones/{id}/keys',
      '/api/v1/drones/{id}/track',
      '/api/v1/map/drones',
      '/api/v1/map/stream',
      '/api/v1/telemetry',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect((await fetch(`${app.url}/api/docs`)).status).toBe(200);
  });

  it('GET / serves a page; unknown routes are a 404 in the error shape', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const missing = await api.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});

describe('configuration is validated at start-up', () => {
  const bad: [string, Record<string, string>, RegExp][] = [
    ['PORT', { PORT: 'eighty' }, /PORT must be a whole number/],
    ['ROLES', { ROLES: 'ingest,cook' }, /ROLES must be a comma list/],
    ['REDIS_URL', { REDIS_URL: 'http://x' }, /REDIS_URL must be a URL starting with redis:\/\//],
    ['MONGO_URL', { MONGO_URL: 'nope' }, /MONGO_URL must be a URL/],
    ['OFFLINE_AFTER_SECONDS', { OFFLINE_AFTER_SECONDS: '0' }, /OFFLINE_AFTER_SECONDS/],
    ['DEMO', { DEMO: 'maybe' }, /DEMO must be true or false/],
    ['ADMIN_TOKEN', { ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be at least 16/],
    ['split roles', { ROLES: 'ingest' }, /REDIS_URL and MONGO_URL must both be set/],
    [
      'TRUST_PROXY=true (anyone could pick their address)',
      { TRUST_PROXY: 'true' },
      /TRUST_PROXY must be false, a hop count, or a comma list .* not valid: true/,
    ],
    ['TRUST_PROXY with a bad CIDR', { TRUST_PROXY: '10.0.0.0/33,loopback' }, /not valid: 10\.0\.0\.0\/33/],
    ['TRUST_PROXY hops', { TRUST_PROXY: '99' }, /TRUST_PROXY as a hop count must be from 0 to 10/],
    ['STREAM_MAX_PER_USER', { STREAM_MAX_PER_USER: '0' }, /STREAM_MAX_PER_USER must be a whole number from 1/],
    ['REQUEST_TIMEOUT_SECONDS', { REQUEST_TIMEOUT_SECONDS: 'soon' }, /REQUEST_TIMEOUT_SECONDS must be a whole number/],
    ['PASSWORD_HASH_CONCURRENCY', { PASSWORD_HASH_CONCURRENCY: '0' }, /PASSWORD_HASH_CONCURRENCY must be a whole number from 1 to 2/],
    [
      'PASSWORD_HASH_CONCURRENCY above the thread pool',
      { PASSWORD_HASH_CONCURRENCY: '7', UV_THREADPOOL_SIZE: '8' },
      /PASSWORD_HASH_CONCURRENCY must be a whole number from 1 to 6/,
    ],
    ['MAP_TILE_URL', { MAP_TILE_URL: 'javascript:alert(1)' }, /MAP_TILE_URL must be an http\(s\) URL template/],
    ['REGION', { REGION: 'West Europe' }, /REGION must be a DNS label/],
  ];
  it.each(bad)('%s', (_n, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
  it('defaults run everything embedded and generate an ADMIN_TOKEN', () => {
    const c = loadConfig({});
    expect([...c.roles]).toEqual(['ingest', 'processor', 'web']);
    expect(c.port).toBe(3000);
    expect(c.redisUrl).toBeNull();
    expect(c.mongoUrl).toBeNull();
    expect(c.adminTokenGenerated).toBe(true);
    expect(c.adminToken.length).toBeGreaterThanOrEqual(32);
    expect(c.trustProxy).toBe(false);
    expect(c.streamMaxPerUser).toBe(10);
  });
  it('REGION labels every metric series', async () => {
    const { AppMetrics } = await import('../../libs/ops/index.js');
    const metrics = new AppMetrics(false, { region: loadConfig({ REGION: 'westeurope' }).region! });
    metrics.observeHttp('GET', '/x', 200, 0.001);
    metrics.observeHttp('GET', '/x', 200, 0.002);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/region="westeurope"/);
    expect(text).toMatch(/dronetrack_http_request_duration_seconds_count\{[^}]*route="\/x"[^}]*status="200"[^}]*\} 2/);
  });
  it.each([
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, 192.168.1.7,loopback,fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'loopback', 'fd00::/8']],
  ])('TRUST_PROXY=%s is read as %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });
});
