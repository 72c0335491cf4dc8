import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { AppendLog, UnavailableError } from '../../core/index.js';
import { errorFields, type StoreLogger } from './store-logger.js';

export interface OpenedLog<T> {
  log: AppendLog<T>;
  records: T[];
  /** The file ends mid-line (crash during a write). It must be rewritten before the next append, or the next record would be glued to the torn one and lost on replay. */
  tornTail: boolean;
}

export function openLog<T>(path: string): OpenedLog<T> {
  const tornTail = endsMidLine(path);
  const { log, records } = AppendLog.open<T>(path);
  return { log, records, tornTail };
}

function endsMidLine(path: string): boolean {
  if (!existsSync(path)) return false;
  const size = statSync(path).size;
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Commits records to the log and fails the store for good when the disk does: after a failed
 * fdatasync the file's content is unknown, so only a restart (replaying what is there) is safe.
 */
export class LogWriter<T> {
  private tail: Promise<void> = Promise.resolve();
  private failed = false;
  private closed = false;

  constructor(
    private readonly log: AppendLog<T>,
    private readonly logger: StoreLogger,
    private readonly name: string,
  ) {}

  /** Throws when the store can no longer serve. */
  check(): void {
    if (this.failed || this.closed) throw new UnavailableError();
  }

  /**
   * Resolves once `records` are on disk. With no records it still waits for the writes already
   * in flight: an answer like "already stored" may rest on them.
   */
  async commit(records: T[]): Promise<void> {
    if (records.length > 0) {
      this.tail = this.log.append(records).catch((err: unknown) => {
        if (!this.failed) this.logger.error(`store: ${this.name} log write failed; the store stops until restart`, errorFields(err));
        this.failed = true;
        throw new UnavailableError();
      });
    }
    await this.tail;
  }

  rewrite(records: T[]): void {
    this.log.rewrite(records);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.log.close();
  }
}
