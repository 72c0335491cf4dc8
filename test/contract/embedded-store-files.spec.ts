import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, UnavailableError } from '../../libs/core/index.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../libs/store/adapters/index.js';
import { EmbeddedStoreOpenError } from '../../libs/sqlite/index.js';
import { droneOf, pointOf, stateOf, tenantOf, userOf } from './store.contract.js';

/** The files of the embedded store: old-format import, and refusals that name the path and the problem. */
const root = mkdtempSync(join(tmpdir(), 'dt-store-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const freshDir = () => mkdtempSync(join(root, 'data-'));
const lines = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const closeAll = async (s: EmbeddedStore) => {
  await s.identity.close();
  await s.telemetry.close();
};

describe('a DATA_DIR written by the previous embedded store (JSON logs)', () => {
  it('is imported on first start, then the logs are renamed aside', async () => {
    const dir = freshDir();
    const tenant = tenantOf('Legacy');
    const user = userOf(tenant.id, `Old.${newId()}@Example.com`);
    const kept = droneOf(tenant.id, { createdAt: 1 });
    const gone = droneOf(tenant.id, { createdAt: 2 });
    writeFileSync(
      join(dir, 'identity.log'),
      lines([
        { t: 'tenant', v: tenant },
        { t: 'user', v: user },
        { t: 'drone', v: kept, key: 'k1' },
        { t: 'drone', v: gone, key: 'k-gone' },
        { t: 'key', id: kept.id, key: 'k2' },
        { t: 'del', id: gone.id, at: 99 },
      ]),
    );
    const d = kept.id;
    const t = tenant.id;
    writeFileSync(
      join(dir, 'telemetry.log'),
      lines([
        { t: 'h', v: [pointOf(t, d, 1000), pointOf(t, d, 1001)] },
        { t: 's', v: [stateOf(t, d, 1001)] },
        { t: 'cut', ts: 1001 },
        { t: 'h', v: [pointOf(t, d, 2000), pointOf(t, d, 2001, { heading: 7 })] },
        { t: 's', v: [stateOf(t, d, 2001)] },
      ]),
    );
    // A crash mid-append left a torn last line: never acknowledged, so skipped.
    appendFileSync(join(dir, 'telemetry.log'), '{"t":"h","v":[{"tenantId":"');
    const imported: [string, number][] = [];

    let store = await openEmbeddedStore(dir, { onLegacyImport: (file, n) => imported.push([file, n]) });
    expect(imported).toEqual([
      [join(dir, 'identity.log'), 6],
      [join(dir, 'telemetry.log'), 5],
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('.log.imported-'))).toHaveLength(2);
    await closeAll(store);

    store = await openEmbeddedStore(dir, { onLegacyImport: () => imported.push(['again', 0]) });
    expect(imported).toHaveLength(2);
    expect(await store.identity.findTenant(t)).toEqual(tenant);
    expect(await store.identity.findUserByEmail(user.email.toLowerCase())).toEqual(user);
    expect(await store.identity.findDeviceKey('k2')).toEqual({ tenantId: t, droneId: d });
    expect(await store.identity.findDeviceKey('k1')).toBeNull();
    expect(await store.identity.findDeviceKey('k-gone')).toBeNull();
    expect(await store.identity.findDrone(t, gone.id, { includeDeleted: true })).toEqual({ ...gone, deletedAt: 99 });
    expect((await store.identity.listDrones(t, 10)).items).toEqual([kept]);
    const track = await store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 10_000, limit: 10 });
    expect(track).toStrictEqual([pointOf(t, d, 1001), pointOf(t, d, 2000), pointOf(t, d, 2001, { heading: 7 })]);
    expect((await store.telemetry.getStates(t, [d])).get(d)).toEqual(stateOf(t, d, 2001));
    await closeAll(store);
  });

  it('stops start-up on a damaged line before the end, naming the file, and leaves the log in place', async () => {
    const dir = freshDir();
    const log = join(dir, 'telemetry.log');
    writeFileSync(log, `${JSON.stringify({ t: 'cut', ts: 1 })}\n{"t":"h","v":[{"ten\n${JSON.stringify({ t: 'cut', ts: 2 })}\n`);
    const opened = openEmbeddedStore(dir);
    await expect(opened).rejects.toBeInstanceOf(EmbeddedStoreOpenError);
    await expect(opened).rejects.toThrow(`${log}: line 2 of the old log is damaged`);
    expect(existsSync(log)).toBe(true);
  });
});

describe('an unusable DATA_DIR', () => {
  it('refuses a damaged database file, naming it and saying what to do', async () => {
    const dir = freshDir();
    const file = join(dir, 'dronetrack.db');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const opened = openEmbeddedStore(dir);
    await expect(opened).rejects.toBeInstanceOf(EmbeddedStoreOpenError);
    await expect(opened).rejects.toThrow(`embedded store ${file}: the file is not a valid dronetrack database or is damaged`);
  });

  it('answers 503 on a read that meets damaged pages, and logs the file and the cause', async () => {
    const dir = freshDir();
    let store = await openEmbeddedStore(dir);
    const t = newId();
    const d = newId();
    await store.telemetry.insertHistory(Array.from({ length: 20_000 }, (_, i) => pointOf(t, d, 1000 + i)));
    await closeAll(store);
    const file = join(dir, 'dronetrack.db');
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 40, 0xff), 0, 4096 * 40, 4096 * 60); // pages 61..100: history leaves
    closeSync(fd);
    const logged: string[] = [];
    store = await openEmbeddedStore(dir, { logger: { error: (msg, fields) => logged.push(`${msg} ${JSON.stringify(fields)}`) } });
    const read = store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 1e9, limit: 100_000 });
    await expect(read).rejects.toBeInstanceOf(UnavailableError);
    await expect(read).rejects.toMatchObject({ code: 'unavailable', message: expect.not.stringContaining('SQLITE') });
    expect(logged.join('\n')).toContain(file);
    expect(logged.join('\n')).toMatch(/SQLITE_CORRUPT|malformed/);
    await closeAll(store);
  });

  it('refuses a DATA_DIR that is not a directory, naming the path', async () => {
    const parent = freshDir();
    const dir = join(parent, 'store');
    writeFileSync(dir, 'not a directory');
    await expect(openEmbeddedStore(dir)).rejects.toThrow(new RegExp(`embedded store ${dir}/dronetrack\\.db: .*not a directory`));
  });

  it('refuses a directory it cannot write, naming the path', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'dronetrack.db')); // a directory where the database file should be
    await expect(openEmbeddedStore(dir)).rejects.toThrow(
      new RegExp(`embedded store ${dir}/dronetrack\\.db: cannot open the database file`),
    );
  });
});
