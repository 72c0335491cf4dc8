import { Fleet, formatProgress, ProgressMeter, type FleetDrone } from '../../tools/simulator/fleet.js';
import { retryAfterMs } from '../../tools/simulator/http.js';

/** A scripted stand-in for the ingest endpoint: records requests, answers from a per-key script. */
class FakeIngest {
  readonly requests: { key: string; body: any; at: number }[] = [];
  private readonly scripts = new Map<string, (() => Response | Error)[]>();

  /** The next answers for `key`, in order; afterwards 202s. */
  script(key: string, ...answers: (() => Response | Error)[]): void {
    this.scripts.set(key, answers);
  }

  readonly fetch = (async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    expect(String(url)).toBe('http://sim.test/api/v1/telemetry');
    const key = String((init!.headers as Record<string, string>).authorization).replace('Bearer ', '');
    const body = JSON.parse(String(init!.body));
    this.requests.push({ key, body, at: Date.now() });
    const next = this.scripts.get(key)?.shift();
    const answer = next?.();
    if (answer instanceof Error) throw answer;
    if (answer) return answer;
    const n = Array.isArray(body.points) ? body.points.length : 1;
    return json(202, { accepted: n, duplicates: 0, rejected: [] });
  }) as typeof fetch;

  pointsOf(key: string): any[] {
    return this.requests.filter((r) => r.key === key).flatMap((r) => (Array.isArray(r.body.points) ? r.body.points : [r.body]));
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function refused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
}

const drones = (n: number): FleetDrone[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, name: `sim-${i}`, deviceKey: `key-${i}` }));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Fleet (HTTP behaviour against a scripted endpoint)', () => {
  it('sends single points with each drone’s own key, timestamps spaced by 1/rate', async () => {
    const ingest = new FakeIngest();
    const fleet = new Fleet({ url: 'http://sim.test/', drones: drones(3), rate: 20, seed: 1, fetch: ingest.fetch });
    fleet.start();
    await wait(600);
    await fleet.stop();
    for (const key of ['key-0', 'key-1', 'key-2']) {
      const reqs = ingest.requests.filter((r) => r.key === key);
      expect(reqs.length).toBeGreaterThanOrEqual(8);
      for (const r of reqs) expect(r.body.points).toBeUndefined();
      const ts = reqs.map((r) => Date.parse(r.body.timestamp));
      for (let i = 1; i < ts.length; i++) expect(ts[i] - ts[i - 1]).toBe(50);
    }
    const s = fleet.stats();
    expect(s).toMatchObject({ rejected: 0, errors: 0, rateLimited: 0, dropped: 0, queued: 0, failedDrones: 0 });
    expect(s.accepted).toBe(ingest.requests.length);
    expect(s.sent).toBe(s.sampled);
  });

  it('batches K points per request and flushes the remainder on stop', async () => {
    const ingest = new FakeIngest();
    const fleet = new Fleet({ url: 'http://sim.test', drones: drones(2), rate: 20, batch: 4, seed: 1, fetch: ingest.fetch });
    fleet.start();
    await wait(700);
    await fleet.stop();
    const sizes = ingest.requests.map((r) => r.body.points.length);
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    // Every request but each drone's last (the flush) carries exactly K points.
    for (const key of ['key-0', 'key-1']) {
      const mine = ingest.requests.filter((r) => r.key === key).map((r) => r.body.points.length);
      expect(mine.slice(0, -1).every((n) => n === 4)).toBe(true);
      expect(mine.at(-1)).toBeLessThanOrEqual(4);
    }
    const s = fleet.stats();
    expect(s.sent).toBe(s.sampled);
    expect(s.accepted).toBe(s.sampled);
    expect(s.requests).toBe(ingest.requests.length);
  });

  it('on 429 waits out Retry-After for that drone only, then resends the same point', async () => {
    const ingest = new FakeIngest();
    ingest.script('key-0', () => json(429, { statusCode: 429, error: 'Too Many Requests', message: 'slow down' }, { 'retry-after': '1' }));
    const fleet = new Fleet({ url: 'http://sim.test', drones: drones(2), rate: 10, seed: 1, fetch: ingest.fetch });
    fleet.start();
    await wait(1600);
    await fleet.stop();
    const mine = ingest.requests.filter((r) => r.key === 'key-0');
    expect(mine[1].body).toEqual(mine[0].body);
    expect(mine[1].at - mine[0].at).toBeGreaterThanOrEqual(950);
    // The other drone was not held back.
    const other = ingest.requests.filter((r) => r.key === 'key-1' && r.at < mine[1].at);
    expect(other.length).toBeGreaterThanOrEqual(7);
    // Nothing lost: the backlog went out after the wait.
    const s = fleet.stats();
    expect(s).toMatchObject({ rateLimited: 1, errors: 0, dropped: 0, failedDrones: 0 });
    expect(s.accepted).toBe(s.sampled);
  });

  it('retries connection errors and 5xx with backoff and loses nothing', async () => {
    const ingest = new FakeIngest();
    ingest.script('key-0', refused, refused, () => json(503, { statusCode: 503, error: 'Service Unavailable', message: 'draining' }));
    const logs: string[] = [];
    const fleet = new Fleet({
      url: 'http://sim.test',
      drones: drones(1),
      rate: 10,
      seed: 1,
      fetch: ingest.fetch,
      log: (_l, msg, f) => logs.push(`${msg} ${JSON.stringify(f)}`),
    });
    fleet.start();
    await wait(2500);
    await fleet.stop();
    const s = fleet.stats();
    expect(s.errors).toBe(3);
    expect(s).toMatchObject({ dropped: 0, rejected: 0, failedDrones: 0 });
    expect(s.accepted).toBe(s.sampled);
    expect(logs.join('\n')).toMatch(/ECONNREFUSED/);
    const ts = ingest.pointsOf('key-0').map((p) => p.timestamp);
    expect(new Set(ts).size).toBe(s.sampled); // each sample delivered (retries resend the same point)
  });

  it('a refused key stops that drone only; refreshKey can give it a new one', async () => {
    const ingest = new FakeIngest();
    const unauthorized = () => json(401, { statusCode: 401, error: 'Unauthorized', message: 'unknown device key' });
    ingest.script('key-0', unauthorized, unauthorized, unauthorized);
    ingest.script('key-1', unauthorized);
    const refreshKey = async (d: FleetDrone) => (d.name === 'sim-1' ? 'key-1-new' : null);
    const fleet = new Fleet({ url: 'http://sim.test', drones: drones(3), rate: 10, seed: 1, fetch: ingest.fetch, refreshKey });
    fleet.start();
    await wait(800);
    expect(fleet.running).toBe(true);
    await fleet.stop();
    const s = fleet.stats();
    expect(s.failedDrones).toBe(1);
    expect(ingest.requests.filter((r) => r.key === 'key-0')).toHaveLength(1);
    expect(ingest.requests.filter((r) => r.key === 'key-1-new').length).toBeGreaterThanOrEqual(5);
    expect(ingest.requests.filter((r) => r.key === 'key-2').length).toBeGreaterThanOrEqual(5);
  });

  it('counts points the API rejects and keeps flying', async () => {
    const ingest = new FakeIngest();
    ingest.script('key-0', () =>
      json(400, { statusCode: 400, error: 'Bad Request', message: ['speed must be a number between 0 and 200 (m/s)'] }),
    );
    const fleet = new Fleet({ url: 'http://sim.test', drones: drones(1), rate: 10, seed: 1, fetch: ingest.fetch });
    fleet.start();
    await wait(500);
    await fleet.stop();
    const s = fleet.stats();
    expect(s.rejected).toBe(1);
    expect(s.accepted).toBe(s.sampled - 1);
  });

  it('stop() gives up on an unreachable server after the flush window and counts the rest as dropped', async () => {
    const down = (async () => {
      throw refused();
    }) as unknown as typeof fetch;
    const fleet = new Fleet({ url: 'http://sim.test', drones: drones(2), rate: 10, seed: 1, fetch: down });
    fleet.start();
    await wait(400);
    const t = Date.now();
    await fleet.stop(300);
    expect(Date.now() - t).toBeLessThan(1500);
    const s = fleet.stats();
    expect(s.accepted).toBe(0);
    expect(s.dropped).toBe(s.sampled);
    expect(s.queued).toBe(0);
  });

  it('formats a progress line with every counter', () => {
    const fake = {
      stats: () => ({
        drones: 5,
        failedDrones: 0,
        sampled: 100,
        sent: 90,
        accepted: 88,
        duplicates: 2,
        rejected: 0,
        rateLimited: 3,
        errors: 1,
        requests: 90,
        dropped: 0,
        queued: 10,
      }),
    };
    const meter = new ProgressMeter(fake, 5, 0);
    const line = meter.line(1000);
    expect(line).toMatch(
      /drones 5\/5 \| sent 90 \| accepted 88 \| duplicates 2 \| rejected 0 \| 429s 3 \| errors 1 \| queued 10 \| rate 0\.0\/s \(target 25\.0\/s\)/,
    );
    expect(formatProgress({ ...fake.stats(), dropped: 4 }, 3, 12.5, 25)).toMatch(/dropped 4 \| rate 12\.5\/s/);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('100000')).toBe(300_000);
  });
});
