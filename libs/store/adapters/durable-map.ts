import { AppendLog } from '../../core/index.js';
import { LogWriter, openLog } from './embedded-log.js';
import { consoleStoreLogger, type StoreLogger } from './store-logger.js';

type Record_<T> = { p: T } | { d: string };

/**
 * A map of documents by id held in memory. With a path it is made durable by an fdatasync'ed
 * append-only log (each put or delete is one line, compacted at open), so the embedded
 * geofence, alert and webhook stores survive restarts; without one it is a plain in-memory map
 * (tests, development).
 */
export class DurableMap<T extends { id: string }> {
  private readonly docs = new Map<string, T>();
  private writer: LogWriter<Record_<T>> | null = null;

  static open<T extends { id: string }>(path: string | null, logger: StoreLogger = consoleStoreLogger): DurableMap<T> {
    const map = new DurableMap<T>();
    if (!path) return map;
    const { log, records, tornTail } = openLog<Record_<T>>(path);
    for (const r of records) {
      if ('p' in r) map.docs.set(r.p.id, r.p);
      else map.docs.delete(r.d);
    }
    map.writer = new LogWriter(log as AppendLog<Record_<T>>, logger, path);
    if (tornTail || records.length > 2 * map.docs.size + 1000) map.writer.rewrite([...map.docs.values()].map((p) => ({ p })));
    return map;
  }

  get size(): number {
    return this.docs.size;
  }

  get(id: string): T | undefined {
    this.writer?.check();
    return this.docs.get(id);
  }

  values(): IterableIterator<T> {
    this.writer?.check();
    return this.docs.values();
  }

  /** Applies in memory at once (so later reads see it), resolves once it is on disk. */
  async put(doc: T): Promise<void> {
    this.writer?.check();
    this.docs.set(doc.id, doc);
    await this.writer?.commit([{ p: doc }]);
  }

  async delete(id: string): Promise<boolean> {
    this.writer?.check();
    const had = this.docs.delete(id);
    if (had) await this.writer?.commit([{ d: id }]);
    return had;
  }

  close(): void {
    this.writer?.close();
  }
}
