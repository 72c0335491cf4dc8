import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { WORLD } from '../../libs/core/index.js';
import { SLOW_CLIENT_MS, StreamClient } from '../../libs/map-query/stream-client.js';

/** A response whose socket buffer is full until `drain()`. */
class FullSocketResponse extends EventEmitter {
  writes: string[] = [];
  full = true;
  destroyed = false;
  writableEnded = false;
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return !this.full;
  }
  end(chunk?: string): void {
    if (chunk) this.writes.push(chunk);
    this.writableEnded = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  drain(): void {
    this.full = false;
    this.emit('drain');
  }
}

describe('StreamClient backpressure', () => {
  afterEach(() => jest.useRealTimers());

  it('stops writing while the socket buffer is full and resumes after drain', () => {
    const res = new FullSocketResponse();
    const client = new StreamClient('t', 'u', 0, WORLD, res as unknown as ServerResponse);
    expect(client.write('a')).toBe(true);
    expect(client.write('b')).toBe(true); // skipped: still full
    expect(res.writes).toEqual(['a']);
    res.drain();
    expect(client.write('c')).toBe(true);
    expect(res.writes).toEqual(['a', 'c']);
  });

  it('drops a client that stays full for SLOW_CLIENT_MS', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const res = new FullSocketResponse();
    const client = new StreamClient('t', 'u', 0, WORLD, res as unknown as ServerResponse);
    client.write('a');
    jest.setSystemTime(1_000_000 + SLOW_CLIENT_MS + 1);
    expect(client.write('b')).toBe(false);
    expect(res.destroyed).toBe(true);
    expect(res.writes).toEqual(['a']);
  });

  it('ends the stream when the token expires', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const res = new FullSocketResponse();
    res.full = false;
    const client = new StreamClient('t', 'u', 0, WORLD, res as unknown as ServerResponse);
    client.endAt(1_000_000 + 3000);
    jest.advanceTimersByTime(2999);
    expect(res.writableEnded).toBe(false);
    jest.advanceTimersByTime(2);
    expect(res.writableEnded).toBe(true);
    expect(res.writes.at(-1)).toMatch(/closed token-expired/);
  });
});
