import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type Collection,
  type Db,
  type Document,
  type IndexDescription,
  type WriteError,
} from 'mongodb';
import { AppError, UnavailableError } from '../core/index.js';
import { consoleStoreLogger, errorFields, type StoreLogger } from '../ops/index.js';

export interface MongoStoreOptions {
  logger?: StoreLogger;
  /** How long an operation waits for a reachable server before failing (default 5 s). */
  serverSelectionTimeoutMS?: number;
}

export const DEFAULT_DATABASE = 'dronetrack';
const DUPLICATE_KEY = 11000;

/** The database named in the URL path, `dronetrack` when there is none. */
export function databaseNameFromUrl(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/.exec(url);
  const name = match ? decodeURIComponent(match[1]) : '';
  return name || DEFAULT_DATABASE;
}

/** A connected client with the URL's database and a shared `release` (closes the client once all users released it). */
export interface MongoHandle {
  db: Db;
  guard: MongoGuard;
  release(): Promise<void>;
}

export async function connectMongo(url: string, options: MongoStoreOptions = {}, users = 1): Promise<MongoHandle> {
  const guard = new MongoGuard(options.logger ?? consoleStoreLogger);
  const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000 });
  await guard.run('connect', () => client.connect());
  let open = users;
  const release = async () => {
    if (open <= 0) return;
    open -= 1;
    if (open === 0) await client.close();
  };
  return { db: client.db(databaseNameFromUrl(url)), guard, release };
}

/** Turns driver failures into UnavailableError: details go to the log, never to API users. */
export class MongoGuard {
  constructor(private readonly logger: StoreLogger) {}

  async run<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.log(op, err);
      throw new UnavailableError();
    }
  }

  log(op: string, err: unknown): void {
    this.logger.error(`store: mongo ${op} failed`, { op, ...errorFields(err) });
  }
}

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/** The write errors of a bulk error when every one is a duplicate key; null when any is something else. */
export function duplicateKeyErrors(err: unknown): WriteError[] | null {
  if (!(err instanceof MongoBulkWriteError) || err.result?.getWriteConcernError()) return null;
  const errors = ([] as WriteError[]).concat(err.writeErrors ?? []);
  return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY) ? errors : null;
}

/**
 * Creates indexes one command each: FerretDB 1.24 drops the connection when a multi-index
 * createIndexes names indexes that already exist (every restart), while single ones are no-ops.
 */
export async function ensureIndexes<T extends Document>(collection: Collection<T>, indexes: IndexDescription[]): Promise<void> {
  for (const index of indexes) await collection.createIndexes([index]);
}
