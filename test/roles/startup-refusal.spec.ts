import { ensureBuild, killAllProcesses, runToExit } from '../support/processes.js';

/**
 * The built process refuses a configuration it cannot run, before opening anything: split roles
 * without the servers they share state through, and malformed values. No Redis or MongoDB is
 * needed (the URLs given are never contacted). Every variable's own rule is covered in-process
 * by test/http/operations.http.spec.ts; here it is the real entry point and its exit code.
 */

const JWT_SECRET = 'roles-test-jwt-secret-0123456789-abcdef';

describe('the built process refuses to start', () => {
  const splitWithoutServers: [string, Record<string, string>, RegExp[]][] = [
    ['ROLES=ingest, no REDIS_URL/MONGO_URL', { ROLES: 'ingest', JWT_SECRET }, [/REDIS_URL/, /MONGO_URL/]],
    ['ROLES=processor, no REDIS_URL/MONGO_URL', { ROLES: 'processor', JWT_SECRET }, [/REDIS_URL/, /MONGO_URL/]],
    ['ROLES=web, no REDIS_URL/MONGO_URL', { ROLES: 'web', JWT_SECRET }, [/REDIS_URL/, /MONGO_URL/]],
    ['ROLES=ingest,web, no REDIS_URL/MONGO_URL', { ROLES: 'ingest,web', JWT_SECRET }, [/REDIS_URL/, /MONGO_URL/]],
    [
      'ROLES=web, servers but no JWT_SECRET',
      { ROLES: 'web', REDIS_URL: 'redis://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1/x' },
      [/JWT_SECRET must be set/],
    ],
  ];
  const badValues: [string, Record<string, string>, RegExp][] = [
    ['PORT=abc', { PORT: 'abc' }, /PORT must be a whole number from 0 to 65535 \(got "abc"\)/],
    [
      'REDIS_URL=http://x',
      { REDIS_URL: 'http://x', MONGO_URL: 'mongodb://127.0.0.1:1/x' },
      /REDIS_URL must be a URL starting with redis:\/\//,
    ],
  ];

  // All of them at once: each is a separate process that should exit by itself within seconds.
  type Run = Awaited<ReturnType<typeof runToExit>>;
  const runs = new Map<string, Promise<Run>>();
  const run = (name: string) => runs.get(name)!;
  beforeAll(() => {
    ensureBuild();
    for (const [name, env] of [...splitWithoutServers, ...badValues]) {
      const r = runToExit({ name, env: { ...env, DATA_DIR: '/nonexistent/never-used' } }, 30_000);
      r.catch(() => undefined);
      runs.set(name, r);
    }
  }, 15 * 60_000);
  afterAll(() => killAllProcesses());

  it.each(splitWithoutServers)('%s: exits non-zero at once, naming what is missing', async (name, _env, messages) => {
    const r = await run(name);
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    for (const m of messages) expect(r.stderr).toMatch(m);
    expect(r.stdout).not.toContain('listening');
    // It exits by itself (timedOut false above); how fast depends on the machine's load, so no
    // time is asserted (7 at once took 16 s on 2 busy cores).
  });

  it.each(badValues)('%s: exits non-zero, naming the variable', async (name, _env, message) => {
    const r = await run(name);
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
  });
});
