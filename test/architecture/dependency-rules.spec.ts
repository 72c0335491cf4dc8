import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

/** Runs the project's dependency rules over a small fixture tree; returns the rule names that fired. */
function violations(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'depcruise-'));
  try {
    cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(DEPCRUISE, ['libs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const report = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string } }[] } };
    return [...new Set(report.summary.violations.map((v) => v.rule.name))].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MODULE_A = {
  'libs/a/index.ts': "export * from './a.port.js';\n",
  'libs/a/a.port.ts': 'export interface APort { run(): void }\n',
  'libs/a/adapters/memory.a.ts': "import type { APort } from '../index.js';\nexport class MemoryA implements APort { run(): void {} }\n",
};
const ROOT_FILES = {
  'src/main.ts': "import './adapters/index.js';\nimport { b } from '../libs/b/index.js';\nexport const m = b;\n",
  'src/adapters/index.ts': "import { MemoryA } from '../../libs/a/adapters/memory.a.js';\nexport const a = new MemoryA();\n",
};

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('accepts modules that use each other through their index, adapters chosen by src/adapters', () => {
    const b = { 'libs/b/index.ts': "import type { APort } from '../a/index.js';\nexport const b: APort | null = null;\n" };
    expect(violations({ ...MODULE_A, ...b, ...ROOT_FILES })).toEqual([]);
  }, 60_000);

  it.each([
    ['only-through-module-index', "import { aService } from '../a/a.service.js';\nexport const b = aService;\n"],
    ['adapters-only-from-composition-root', "import { MemoryA } from '../a/adapters/memory.a.js';\nexport const b = new MemoryA();\n"],
    ['libs-not-to-src', "import { a } from '../../src/adapters/index.js';\nexport const b = a;\n"],
  ])(
    'fires %s on a forbidden import',
    (rule, text) => {
      const internal = { 'libs/a/a.service.ts': 'export const aService = 1;\n' };
      expect(violations({ ...MODULE_A, ...internal, 'libs/b/index.ts': text, ...ROOT_FILES })).toContain(rule);
    },
    60_000,
  );

  it('fires no-circular and no-orphans', () => {
    const cycle = {
      'libs/b/index.ts': "export * from './x.js';\n",
      'libs/b/x.ts': "import { y } from './y.js';\nexport const x = y;\n",
      'libs/b/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
      'libs/b/unused.ts': 'export const unused = 1;\n',
    };
    expect(violations({ ...MODULE_A, ...cycle, ...ROOT_FILES })).toEqual(expect.arrayContaining(['no-circular', 'no-orphans']));
  }, 60_000);
});
