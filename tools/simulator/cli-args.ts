import { parseArgs } from 'node:util';
import { describeError } from './http.js';

export const USAGE = `Usage: npm run simulate -- [options]

Flies a simulated drone fleet over Berlin through a dronetrack deployment's real ingest API,
each drone with its own device key.

Where:
  --url URL              the deployment (default http://127.0.0.1:3000)

Which drones (one of):
  --admin-token T        operator token (or env ADMIN_TOKEN): creates a tenant and an admin
                         user (printed), then registers the drones
  --email E --password P log in as an existing tenant admin and register the drones there
                         (with an operator token too: tenant and user are created if the login fails)
  --keys FILE            fly existing drones: a keys file from --save-keys / the demo, a JSON
                         array, or one device key per line

Fleet:
  --drones N             number of drones (default 10; with --keys: every key in the file)
  --rate HZ              samples per second per drone (default 1; decimals allowed, max 1000)
  --batch K              buffer K samples per drone and send them as one { points } request
                         (1..1000; default: one point per request)
  --duration SECONDS     stop after this long (default: until Ctrl-C / SIGTERM)
  --seed S               whole number; the same seed flies the same missions (default: random)
  --tenant NAME          name of the tenant created with --admin-token (default "Simulator <time>")
  --name-prefix P        drone names P-001, P-002, … (default "sim")
  --save-keys FILE       write the registered drones' device keys here (mode 0600) for --keys

  -h, --help             this text

Progress (points sent, accepted, duplicates, rejected, 429s, errors, effective rate) is printed
on stderr every second. Ctrl-C stops cleanly after flushing what is queued.

Examples:
  npm run simulate -- --url http://127.0.0.1:3000 --admin-token "$ADMIN_TOKEN" --drones 50 --rate 1
  npm run simulate -- --url https://track.example.com --email ops@example.com --password '…' \\
      --drones 200 --rate 5 --batch 10 --duration 600 --save-keys fleet.json
  npm run simulate -- --url https://track.example.com --keys fleet.json --rate 2
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface SimulatorArgs {
  url: string;
  /** null: all keys of --keys, or 10. */
  drones: number | null;
  rate: number;
  /** 0: single points. */
  batch: number;
  /** Seconds; null: until stopped. */
  duration: number | null;
  adminToken: string | null;
  email: string | null;
  password: string | null;
  tenant: string | null;
  seed: number;
  seedGiven: boolean;
  keys: string | null;
  saveKeys: string | null;
  namePrefix: string;
}

export type ParsedArgs = { help: true } | ({ help: false } & SimulatorArgs);

const OPTIONS = {
  url: { type: 'string' },
  drones: { type: 'string' },
  rate: { type: 'string' },
  batch: { type: 'string' },
  duration: { type: 'string' },
  'admin-token': { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  tenant: { type: 'string' },
  seed: { type: 'string' },
  keys: { type: 'string' },
  'save-keys': { type: 'string' },
  'name-prefix': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses and validates the simulator's flags; throws UsageError with a message naming the flag. */
export function parseSimulatorArgs(argv: string[], env: Record<string, string | undefined> = {}): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(cleanParseError(err));
  }
  if (values.help) return { help: true };
  const str = (name: keyof typeof OPTIONS): string | null => {
    const v = values[name];
    if (v === undefined) return null;
    if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} needs a value`);
    return v.trim();
  };

  const url = str('url') ?? 'http://127.0.0.1:3000';
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(`--url must be an http:// or https:// URL (got "${url}")`);
  }

  const drones = intFlag('drones', str('drones'), 1, 100_000);
  const rate = numberFlag('rate', str('rate'), 1);
  if (!(rate > 0 && rate <= 1000))
    throw new UsageError(`--rate must be a number of samples per second above 0 and at most 1000 (got ${rate})`);
  const batch = intFlag('batch', str('batch'), 1, 1000) ?? 0;
  const durationRaw = str('duration');
  const duration = durationRaw === null ? null : numberFlag('duration', durationRaw, 0);
  if (duration !== null && !(duration > 0)) throw new UsageError(`--duration must be a number of seconds above 0 (got ${durationRaw})`);
  const seedRaw = str('seed');
  const seed = intFlag('seed', seedRaw, 0, 4294967295) ?? Math.floor(Math.random() * 1_000_000);

  const keys = str('keys');
  const email = str('email');
  const password = typeof values.password === 'string' && values.password !== '' ? values.password : null;
  const adminTokenFlag = str('admin-token');
  const adminToken = adminTokenFlag ?? (env.ADMIN_TOKEN?.trim() || null);
  if ((email === null) !== (password === null)) throw new UsageError('--email and --password go together');
  if (keys !== null && (email !== null || adminTokenFlag !== null)) {
    throw new UsageError('--keys flies existing drones; it cannot be combined with --email/--password or --admin-token');
  }
  if (keys === null && email === null && adminToken === null) {
    throw new UsageError('say which drones to fly: --admin-token T (or env ADMIN_TOKEN), --email E --password P, or --keys FILE');
  }
  const namePrefix = str('name-prefix') ?? 'sim';
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(namePrefix)) throw new UsageError('--name-prefix must be 1 to 80 letters, digits, _ . or -');
  const tenant = str('tenant');
  if (tenant !== null && tenant.length > 100) throw new UsageError('--tenant must be at most 100 characters');

  return {
    help: false,
    url: url.replace(/\/+$/, ''),
    drones,
    rate,
    batch,
    duration,
    adminToken: keys === null ? adminToken : null,
    email,
    password,
    tenant,
    seed,
    seedGiven: seedRaw !== null,
    keys,
    saveKeys: str('save-keys'),
    namePrefix,
  };
}

function intFlag(name: string, raw: string | null, min: number, max: number): number | null {
  if (raw === null) return null;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function numberFlag(name: string, raw: string | null, fallback: number): number {
  if (raw === null) return fallback;
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(raw)) throw new UsageError(`--${name} must be a positive number (got "${raw}")`);
  return Number(raw);
}

function cleanParseError(err: unknown): string {
  const message = describeError(err);
  // Node's messages mention "args" and "strict:false" — rephrase the common ones for a CLI user.
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing)
    return `${missing[1]
      .split(',')
      .pop()!
      .trim()
      .replace(/ <value>$/, '')} needs a value`;
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value (to pass one that starts with a dash, write ${ambiguous[1]}=VALUE)`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument "${positional[1]}" (options start with --)`;
  return message;
}
