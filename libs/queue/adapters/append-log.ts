import { closeSync, existsSync, fdatasync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const writeAsync = promisify(write) as unknown as (fd: number, data: Buffer) => Promise<{ bytesWritten: number }>;
const fdatasyncAsync = promisify(fdatasync);

interface Pending {
  line: string;
  done: (err?: Error) => void;
}

/**
 * An append-only JSON-lines file with group commit: records appended while a write is in flight
 * go out together in the next write + fdatasync, and `append` resolves only once they are on disk.
 * Disk I/O runs off the event loop (libuv thread pool), so a slow fsync never stalls requests.
 * The embedded queue builds its durability on it.
 *
 * Callers apply a record's effect in memory before appending it, so a `rewrite` snapshot taken
 * at any moment already contains every record still pending or in flight.
 */
export class AppendLog<T> {
  private fd: number;
  private pending: Pending[] = [];
  private inflight: Promise<void> | null = null;
  private flushScheduled = false;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens (creating) the log and returns it with every intact record already in it. */
  static open<T>(path: string): { log: AppendLog<T>; records: T[] } {
    mkdirSync(dirname(path), { recursive: true });
    let records: T[] = [];
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      records = parseLines<T>(text);
      // Cut a torn last line (crash mid-write) so the next append starts on a line of its own.
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    }
    return { log: new AppendLog<T>(path, openSync(path, 'a')), records };
  }

  append(records: T[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const line = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    return new Promise((resolve, reject) => {
      this.pending.push({ line, done: (err) => (err ? reject(err) : resolve()) });
      this.scheduleFlush();
    });
  }

  /** Appends without waiting for the disk (for records whose loss only causes a retry). */
  appendLazy(records: T[]): void {
    if (records.length === 0) return;
    writeSync(this.fd, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  /**
   * Atomically replaces the whole log with `records` (compaction). Pending and in-flight appends
   * are covered by the snapshot, so they resolve once it is on disk.
   */
  rewrite(records: T[]): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    const chunk = 5000;
    for (let i = 0; i < records.length; i += chunk) {
      writeSync(fd, records.slice(i, i + chunk).map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    this.retireFd(openSync(this.path, 'a'));
    const covered = this.pending;
    this.pending = [];
    for (const p of covered) p.done();
  }

  /**
   * Empties the log without a sync: only for when nothing in it is needed any more (every record
   * is acknowledged and nothing is pending). If a crash undoes it, the old records replay harmlessly.
   */
  truncate(): boolean {
    if (this.pending.length > 0 || this.inflight) return false;
    ftruncateSync(this.fd, 0);
    return true;
  }

  /** Writes what is pending synchronously and closes the file. */
  close(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      if (batch.length > 0) {
        writeSync(this.fd, batch.map((p) => p.line).join(''));
        fdatasyncSync(this.fd);
      }
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.done(err as Error);
    }
    this.retireFd(-1);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inflight) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inflight || this.pending.length === 0 || this.fd < 0) return;
    const batch = this.pending;
    this.pending = [];
    const fd = this.fd;
    this.inflight = (async () => {
      try {
        await writeAll(fd, batch.map((p) => p.line).join(''));
        await fdatasyncAsync(fd);
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.done(err as Error);
      }
    })().finally(() => {
      this.inflight = null;
      if (this.pending.length > 0) this.flush();
    });
  }

  /** Switches to a new descriptor; the old one closes once the write in flight on it is done. */
  private retireFd(next: number): void {
    const old = this.fd;
    this.fd = next;
    if (old < 0) return;
    if (this.inflight) void this.inflight.finally(() => closeSync(old));
    else closeSync(old);
  }
}

async function writeAll(fd: number, data: string): Promise<void> {
  let buf = Buffer.from(data);
  while (buf.length > 0) {
    const { bytesWritten } = await writeAsync(fd, buf);
    buf = buf.subarray(bytesWritten);
  }
}

/** Parses JSON lines; a torn last line (crash mid-write) is dropped, as it was never acknowledged. */
function parseLines<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      /* torn write: never acknowledged */
    }
  }
  return out;
}
