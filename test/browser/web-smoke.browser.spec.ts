/**
 * The web app's stubbed-API smoke test (web/e2e/smoke.mjs: sign-in, list, filters, detail,
 * admin flows, refusals in words, session expiry, viewer, world view, raster tiles) run as a
 * child process against web/dist, so it runs wherever the browser suites run. No backend.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CHROMIUM, chromiumAvailable, ensureWebBuilt, PROJECT_ROOT } from '../support/browser.js';

const run = chromiumAvailable() ? describe : describe.skip;

function runSmoke(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'web/e2e/smoke.mjs')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CHROMIUM },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

run('web app smoke test against a stubbed API (web/e2e/smoke.mjs)', () => {
  beforeAll(() => ensureWebBuilt(), 180_000);

  it('passes every check', async () => {
    const { code, output } = await runSmoke();
    const failed = output.split('\n').filter((l) => l.startsWith('FAIL'));
    expect({ code, failed, summary: /\d+ passed, \d+ failed/.exec(output)?.[0] ?? output.slice(-2000) }).toEqual({
      code: 0,
      failed: [],
      summary: expect.stringMatching(/^\d+ passed, 0 failed$/),
    });
  }, 240_000);
});
