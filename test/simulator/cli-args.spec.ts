import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runSimulator } from '../../tools/simulator/cli.js';
import { parseSimulatorArgs, UsageError } from '../../tools/simulator/cli-args.js';
import { parseKeys, readKeysFile, writeKeysFile } from '../../tools/simulator/keys-file.js';

/** A port nothing listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const parse = (args: string[], env: Record<string, string> = {}) => parseSimulatorArgs(args, env);

describe('simulator flags', () => {
  it('reads every flag', () => {
    const a = parse([
      '--url',
      'https://x.example/',
      '--drones',
      '7',
      '--rate',
      '2.5',
      '--batch',
      '10',
      '--duration',
      '30',
      '--admin-token',
      'tok',
      '--tenant',
      'T',
      '--seed',
      '42',
      '--save-keys',
      'k.json',
      '--name-prefix',
      'fleet',
    ]);
    expect(a).toMatchObject({
      help: false,
      url: 'https://x.example',
      drones: 7,
      rate: 2.5,
      batch: 10,
      duration: 30,
      adminToken: 'tok',
      tenant: 'T',
      seed: 42,
      seedGiven: true,
      saveKeys: 'k.json',
      namePrefix: 'fleet',
    });
  });

  it('has defaults and takes ADMIN_TOKEN from the environment', () => {
    const a = parse([], { ADMIN_TOKEN: 'from-env' });
    expect(a).toMatchObject({
      url: 'http://127.0.0.1:3000',
      drones: null,
      rate: 1,
      batch: 0,
      duration: null,
      adminToken: 'from-env',
      seedGiven: false,
    });
  });

  it('--help', () => {
    expect(parse(['--help'])).toEqual({ help: true });
    expect(parse(['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['--rate'], /--rate needs a value/],
    [['--admin-token', 't', '--rate', '0'], /--rate must be .* above 0/],
    [['--admin-token', 't', '--rate', 'fast'], /--rate must be a positive number/],
    [['--admin-token', 't', '--rate', '5000'], /at most 1000/],
    [['--admin-token', 't', '--drones', '0'], /--drones must be a whole number from 1/],
    [['--admin-token', 't', '--drones', '2.5'], /--drones must be a whole number/],
    [['--admin-token', 't', '--batch', '1001'], /--batch must be a whole number from 1 to 1000/],
    [['--admin-token', 't', '--duration', '0'], /--duration must be/],
    [['--admin-token', 't', '--url', 'ftp://x'], /--url must be an http/],
    [['--email', 'a@b.c'], /--email and --password go together/],
    [['--keys', 'k', '--admin-token', 't'], /cannot be combined/],
    [[], /say which drones to fly/],
    [['positional'], /unexpected argument/],
  ])('rejects %j', (args, message) => {
    expect(() => parse(args as string[])).toThrow(UsageError);
    expect(() => parse(args as string[])).toThrow(message as RegExp);
  });

  it('runSimulator prints usage for --help and exits 2 with a hint on a bad flag', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), env: {} };
    expect((await runSimulator(['--help'], io)).code).toBe(0);
    expect(out.join('')).toMatch(/Usage: npm run simulate/);
    expect((await runSimulator(['--rate', 'x', '--admin-token', 't'], io)).code).toBe(2);
    expect(err.join('')).toMatch(/simulate: --rate must be a positive number .*\nRun with --help/);
  });

  it('exits 1 with a clear message when the server cannot be reached', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (s: string) => err.push(s), env: {}, liveTimeoutMs: 1000 };
    const port = await freePort();
    const res = await runSimulator(['--url', `http://127.0.0.1:${port}`, '--admin-token', 't'], io);
    expect(res.code).toBe(1);
    expect(err.join('')).toMatch(/not answering \(ECONNREFUSED/);
  }, 20_000);
});

describe('keys files', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'dt-keys-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips what --save-keys writes, readable by the owner only', () => {
    const path = join(dir, 'fleet.json');
    writeKeysFile(path, { version: 1, url: 'http://x', drones: [{ id: 'a', name: 'sim-001', deviceKey: 'k1' }] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeysFile(path)).toEqual([{ id: 'a', name: 'sim-001', deviceKey: 'k1' }]);
    expect(JSON.parse(readFileSync(path, 'utf8')).url).toBe('http://x');
  });

  it('accepts arrays and one key per line', () => {
    expect(parseKeys('["k1","k2"]')).toEqual([
      { name: 'key-001', deviceKey: 'k1' },
      { name: 'key-002', deviceKey: 'k2' },
    ]);
    expect(parseKeys('# fleet\nk1\n\n k2 \n').map((d) => d.deviceKey)).toEqual(['k1', 'k2']);
    expect(parseKeys('[{"deviceKey":"k","name":"x"}]')).toEqual([{ name: 'x', deviceKey: 'k' }]);
  });

  it('names the problem in a bad file', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"drones": [{"name": "x"}]}');
    expect(() => readKeysFile(path)).toThrow(/bad\.json: entry 1 has no "deviceKey"/);
    expect(() => readKeysFile(join(dir, 'missing.json'))).toThrow(/cannot be read \(ENOENT\)/);
    expect(() => parseKeys('{nope')).toThrow(/not valid JSON/);
    expect(() => parseKeys('  ')).toThrow(/is empty/);
  });
});
