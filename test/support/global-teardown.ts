// @ts-ignore TS2835 (see global-setup.ts)
import type { RunningServer } from './services';

export default async function globalTeardown(): Promise<void> {
  const running = (globalThis as { __DT_SERVERS__?: RunningServer[] }).__DT_SERVERS__ ?? [];
  await Promise.all(running.map((s) => s.stop()));
}
