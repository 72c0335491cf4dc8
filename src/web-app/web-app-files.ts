import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built web app lives: `web/dist` at the project root (dist/src/web-app → ../../..). */
export function webDistDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../web/dist'), resolve(here, '../../web/dist'), resolve(process.cwd(), 'web/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}
