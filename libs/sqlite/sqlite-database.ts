import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { UnavailableError } from '../core/index.js';
import { consoleStoreLogger, errorFields, type StoreLogger } from '../ops/index.js';
import { applyMigrations, type Migration } from './sqlite-migrations.js';
import { describeOpenFailure, EmbeddedStoreOpenError, isSqliteError } from './sqlite-errors.js';

const fdatasyncAsync = promisify(fdatasync);

/** The one database file of the embedded default, inside the store directory. */
export const EMBEDDED_DATABASE_FILE = 'dronetrack.db';

export interface SqliteDatabaseOptions {
  /** SQLite page cache per connection, in KiB: bounds memory whatever the size of the file. */
  cacheKiB?: number;
  /** Where failures while serving are logged; callers only see UnavailableError. */
  logger?: StoreLogger;
}

/**
 * The embedded default's SQLite database (better-sqlite3, one connection, WAL). Every embedded
 * adapter — store, and later flights, geofences, alerts, webhooks — keeps its tables here:
 * it calls `migrate(module, migrations)` once at open, then prepares statements on `connection`.
 *
 * Calls are synchronous, so a transaction (`transaction(fn)`) never interleaves with another
 * on the event loop. Commits do not fsync (`synchronous=NORMAL`): a process crash keeps them (the
 * OS has the WAL), and `syncToDisk()` is the barrier the queue waits for before it forgets a job,
 * so a power loss can only lose work the queue still holds and will replay.
 */
export class SqliteDatabase {
  private users = 0;
  private closed = false;
  private walFd: number | null = null;

  private constructor(
    readonly path: string,
    readonly connection: Database.Database,
    private readonly logger: StoreLogger,
  ) {}

  /** Opens (creating) `<dir>/dronetrack.db`; any problem stops start-up with the path and the cause. */
  static open(dir: string, options: SqliteDatabaseOptions = {}): SqliteDatabase {
    const path = join(dir, EMBEDDED_DATABASE_FILE);
    let connection: Database.Database | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      connection = new Database(path);
      connection.pragma('journal_mode = WAL');
      connection.pragma('synchronous = NORMAL');
      connection.pragma(`cache_size = -${options.cacheKiB ?? 16_384}`);
      // Memory-mapped pages would count towards RSS and grow with the file: read through the cache.
      connection.pragma('mmap_size = 0');
      connection.pragma('temp_store = FILE');
      connection.pragma('foreign_keys = ON');
      // Keep the WAL small after checkpoints instead of leaving it at its largest size.
      connection.pragma('journal_size_limit = 67108864');
      connection.pragma('wal_autocheckpoint = 4000');
      // Reads the header and the schema: a file that is not a database fails here. (A full
      // quick_check would read every page, so start-up time would grow with history; damage
      // deeper in the file surfaces as SQLITE_CORRUPT on the read that meets it: a logged 503.)
      applyMigrations(connection, 'core', []);
    } catch (err) {
      connection?.close();
      throw new EmbeddedStoreOpenError(path, describeOpenFailure(err));
    }
    return new SqliteDatabase(path, connection, options.logger ?? consoleStoreLogger);
  }

  /**
   * Brings `module`'s tables up to its newest migration, each migration in its own transaction.
   * Versions are per module, so modules add tables without coordinating numbers.
   */
  migrate(module: string, migrations: readonly Migration[]): void {
    this.check();
    try {
      applyMigrations(this.connection, module, migrations);
    } catch (err) {
      throw new EmbeddedStoreOpenError(this.path, `migrating ${module}: ${describeOpenFailure(err)}`);
    }
  }

  /** Runs `fn` in one transaction (rolled back if it throws); driver errors become UnavailableError. */
  transaction<T>(fn: () => T): T {
    this.check();
    return this.run(this.connection.transaction(fn));
  }

  /** Runs a read or single statement; driver errors become UnavailableError. */
  run<T>(fn: () => T): T {
    this.check();
    try {
      return fn();
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      this.logger.error(`store: SQLite call failed on ${this.path}`, errorFields(err));
      throw new SqliteUnavailableError(err);
    }
  }

  /**
   * Resolves once every committed transaction is on disk: fdatasync of the WAL, off the event loop.
   * (Checkpoints fsync what they copy, so committed pages are either in the synced WAL or the file.)
   */
  async syncToDisk(): Promise<void> {
    if (this.closed) return;
    try {
      this.walFd ??= openSync(`${this.path}-wal`, 'a');
      await fdatasyncAsync(this.walFd);
    } catch (err) {
      this.logger.error(`store: fsync of ${this.path}-wal failed`, errorFields(err));
      throw new UnavailableError();
    }
  }

  /** Each repository sharing the database retains it; the last `release` closes it. */
  retain(): this {
    this.users++;
    return this;
  }

  release(): void {
    if (this.closed || --this.users > 0) return;
    this.closed = true;
    if (this.walFd !== null) closeSync(this.walFd);
    try {
      this.connection.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* the next open recovers from the WAL */
    }
    this.connection.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private check(): void {
    if (this.closed) throw new UnavailableError();
  }
}

/** A SQLite failure while serving (disk full, I/O error, busy): the client sees a 503, the log the cause. */
export class SqliteUnavailableError extends UnavailableError {
  /** The driver's code (SQLITE_FULL, SQLITE_IOERR...), for logs and tests. */
  readonly sqliteCode: string;
  constructor(readonly cause: Error & { code: string }) {
    super();
    this.sqliteCode = cause.code;
  }
}
