#!/usr/bin/env node
/**
 * `npm run simulate -- --url http://host:3000 --drones N --rate HZ [--batch K] [--duration S] …`
 * See `--help` and docs/simulator.md.
 */
import { runSimulator } from './cli.js';

const controller = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`simulate: ${signal} again; exiting without flushing\n`);
      process.exit(130);
    }
    process.stderr.write(`\nsimulate: ${signal}; stopping (sending what is queued, up to 5 s)…\n`);
    controller.abort();
  });
}

runSimulator(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
}).then(
  ({ code }) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`simulate: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
