import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only JSON-lines file with group commit: records appended in the same tick are
 * written and fdatasync'ed together, and `append` resolves only once they are on disk.
 * The embedded queue and store build their durability on it.
 */
export class AppendLog<T> {
  private fd: number;
  private pending: { line: string; done: (err?: Error) => void }[] = [];
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
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Appends without waiting for the disk (for records whose loss only causes a retry). */
  appendLazy(records: T[]): void {
    if (records.length === 0) return;
    writeSync(this.fd, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  /** Atomically replaces the whole log with `records` (compaction). */
  rewrite(records: T[]): void {
    this.flush();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    const chunk = 5000;
    for (let i = 0; i < records.length; i += chunk) {
      writeSync(fd, records.slice(i, i + chunk).map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
    fdatasyncSync(fd);
    closeSync(fd);
    closeSync(this.fd);
    renameSync(tmp, this.path);
    this.fd = openSync(this.path, 'a');
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      writeSync(this.fd, batch.map((p) => p.line).join(''));
      fdatasyncSync(this.fd);
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.done(err as Error);
    }
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
