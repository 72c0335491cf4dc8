/**
 * A throw-away PostgreSQL cluster for FerretDB's postgresql handler: initdb into a temp dir,
 * pg_ctl start on a free loopback port, pg_ctl stop and delete at teardown.
 *
 * initdb and postgres refuse to run as root, and CI runs as root: then every PostgreSQL command
 * runs as the `postgres` user (`runuser -u postgres`, the Debian package creates that user) and
 * the temp dir is handed to it. As any other user they run directly. fsync=off: the cluster
 * lives for one test run and durability of the host's page cache is all the tests need.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  /** postgres://… URL of the `postgres` database, superuser `postgres`, no password (trust on loopback). */
  url: string;
  stop(): void;
  /** The same as stop() as a shell command, for a watchdog that outlives this process. */
  shutdownScript: string;
}

/** PG_BIN, else the newest /usr/lib/postgresql/<major>/bin (Debian's layout), else null. */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  const dir = majors.map((m) => join(root, m, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  return dir ?? null;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** argv that runs `bin` as the postgres user when we are root. */
function pgCommand(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function run(bin: string, args: string[], what: string): void {
  const [cmd, argv] = pgCommand(bin, args);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: tmpdir() });
  if (r.status !== 0) {
    throw new Error(
      `PostgreSQL: ${what} failed (${r.error?.message ?? `exit ${r.status}`}): ${cmd} ${argv.join(' ')}\n${r.stdout}${r.stderr}`,
    );
  }
}

/** Only the process that created a cluster stops it; a hook makes sure it does even without teardown. */
const open = new Set<PostgresCluster>();
process.once('exit', () => open.forEach((c) => c.stop()));

export function startPostgres(binDir: string, port: number): PostgresCluster {
  const dir = mkdtempSync(join(tmpdir(), 'dt-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres'], { encoding: 'utf8' }).trim()));
    chownSync(dir, uid, gid);
  }
  const [stopCmd, stopArgs] = pgCommand(join(binDir, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
  const cluster: PostgresCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    shutdownScript: `cd / && ${[stopCmd, ...stopArgs].map((a) => `'${a}'`).join(' ')} >/dev/null 2>&1; rm -rf '${dir}'`,
    stop: () => {
      if (!open.delete(cluster)) return;
      // immediate: nothing to keep, and a fast stop keeps teardown short.
      spawnSync(stopCmd, stopArgs, { stdio: 'ignore', cwd: tmpdir() });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    run(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], 'initdb');
    open.add(cluster);
    // The socket goes into our temp dir: /var/run/postgresql may not exist or belong to a system cluster.
    const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    run(join(binDir, 'pg_ctl'), ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', opts], 'pg_ctl start');
  } catch (e) {
    const log = join(dir, 'postgres.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    open.add(cluster);
    cluster.stop();
    throw tail ? new Error(`${(e as Error).message}\npostgres.log:\n${tail}`) : e;
  }
  return cluster;
}
