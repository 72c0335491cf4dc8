import { brotliCompressSync } from 'node:zlib';
import { brotliDecompressInto } from '../../libs/store/adapters/brotli-into.js';
import { SlabPool } from '../../libs/store/adapters/slab-pool.js';
import { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';
import { jsonPiecesBody, withPointsJson } from '../../libs/ops/json-pieces.js';

describe('brotliDecompressInto (track reads decompress into reused memory)', () => {
  const text = Buffer.from(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ timestamp: i, lat: 52 + i / 1e5, lon: 13 }))));
  const compressed = brotliCompressSync(text);

  it('writes the result into the given buffer and returns the view that holds it', () => {
    const slab = Buffer.alloc(text.length + 100);
    const out = slab.subarray(10, 10 + text.length + 1);
    const result = brotliDecompressInto(compressed, out);
    expect(result).not.toBeNull();
    expect(result!.equals(text)).toBe(true);
    expect(result!.buffer).toBe(slab.buffer);
    expect(result!.byteOffset).toBe(slab.byteOffset + 10);
  });

  it('gives up (null) rather than return memory it does not own when the buffer is too small', () => {
    expect(brotliDecompressInto(compressed, Buffer.alloc(text.length))).toBeNull();
    expect(brotliDecompressInto(compressed, Buffer.alloc(100))).toBeNull();
  });

  it('reports corrupt input as an error, like brotliDecompressSync', () => {
    expect(() => brotliDecompressInto(Buffer.from('not brotli at all'), Buffer.alloc(1000))).toThrow();
  });
});

describe('SlabPool', () => {
  it('lends disjoint memory to reads in flight and takes it back on release', () => {
    const pool = new SlabPool(100, 2);
    const a = pool.lease();
    const b = pool.lease();
    const a1 = a.alloc(60)!;
    const b1 = b.alloc(60)!;
    expect(a1.buffer).not.toBe(b1.buffer);
    // Both slabs are lent: a read that needs more allocates by itself.
    expect(a.alloc(60)).toBeNull();
    expect(pool.lease().alloc(1)).toBeNull();
    a.release();
    a.release(); // idempotent: the slab is given back once
    const c = pool.lease();
    expect(c.alloc(100)!.buffer).toBe(a1.buffer);
    expect(pool.lease().alloc(1)).toBeNull();
    expect(a.alloc(1)).toBeNull(); // a released lease lends nothing more
  });

  it('fills a slab before taking another, and never lends more than a slab at once', () => {
    const pool = new SlabPool(100, 4);
    const lease = pool.lease();
    const x = lease.alloc(40)!;
    const y = lease.alloc(40)!;
    expect(y.buffer).toBe(x.buffer);
    expect(y.byteOffset).toBe(x.byteOffset + 40);
    expect(lease.alloc(40)!.buffer).not.toBe(x.buffer);
    expect(lease.alloc(101)).toBeNull();
  });
});

describe('jsonPiecesBody', () => {
  it('gives lent memory back only when the response closes, not when its stream has been read', async () => {
    const raw = new EventEmitter();
    let released = 0;
    const release = () => void released++;
    const body = withPointsJson({ droneId: 'd1' }, { pieces: [Buffer.from('[1,'), Buffer.from('2]')], release });
    const file = jsonPiecesBody(body, { raw } as unknown as FastifyReply);
    expect(file.options.length).toBe(Buffer.byteLength('{"droneId":"d1","points":[1,2]}'));
    const chunks: Buffer[] = [];
    for await (const chunk of file.getStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('{"droneId":"d1","points":[1,2]}');
    expect(released).toBe(0);
    raw.emit('close');
    expect(released).toBe(1);
  });

  it('gives the memory back at once when the client left while the track was read', () => {
    const raw = Object.assign(new EventEmitter(), { destroyed: true });
    let released = 0;
    jsonPiecesBody({ pieces: [Buffer.from('[]')], release: () => void released++ }, { raw } as unknown as FastifyReply);
    expect(released).toBe(1);
  });
});
