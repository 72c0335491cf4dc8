import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import {
  commandOf,
  copyParts,
  envPairs,
  isIgnored,
  lastOf,
  parseDockerfile,
  parseDockerignore,
  workdirOf,
  type Dockerfile,
  type Stage,
} from './support/dockerfile.js';
import {
  filesUnder,
  findKustomize,
  KUSTOMIZE_DIR,
  OVERLAYS,
  parseManifests,
  renderOverlay,
  REPO_ROOT,
  type K8sObject,
} from './support/kustomize.js';
import { appDeployments, containerArgv, imageProblems, podSpecOf, START_COMMAND } from './support/rules.js';

/**
 * The image, checked without a Docker daemon: after the project's own build, every path the
 * Dockerfile copies exists (and is not kept out by .dockerignore), the web app is built once, the
 * runtime stage takes only dist/src, dist/libs, dist/tools and web/dist (and everything the compiled
 * server imports is among them or a production dependency), it runs as a numeric non-root user with
 * NODE_ENV=production, and its start command is the one every rendered Kubernetes manifest runs.
 */

const dockerfile: Dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const ignoreRules = parseDockerignore(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
const finalStage: Stage = dockerfile.stages[dockerfile.stages.length - 1];
const WEB_DIST = 'web/dist';
/** What the runtime stage copies from the build: the compiled server, libraries and tools (demo, simulator models), and the web app. */
const RUNTIME_DIRS = ['dist/src', 'dist/libs', 'dist/tools', WEB_DIST];

/** Module specifiers of the static and dynamic imports (and requires) of compiled ES module code. */
function importsOf(js: string): string[] {
  return [
    ...js.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...js.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...js.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...js.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
}

function run(cmd: string, args: string[]): void {
  console.log(`dockerfile.spec: running ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

function frontEndExists(): boolean {
  return [
    'web/index.html',
    'web/vite.config.ts',
    'web/vite.config.js',
    'web/vite.config.mjs',
    'vite.config.ts',
    'vite.config.js',
    'vite.config.mjs',
  ].some((p) => existsSync(join(REPO_ROOT, p)));
}

function stageByName(name: string): Stage | undefined {
  return dockerfile.stages.find((s) => s.name === name) ?? dockerfile.stages[Number(name)];
}

/**
 * The app manifests to compare with: rendered overlays when kustomize is there, else the shared pod
 * spec every dronetrack Deployment gets (kustomize/components/app-pod/pod.yaml) as written.
 */
function appDeploymentsToCompare(): { source: string; deployments: K8sObject[] } {
  const tool = findKustomize();
  if (tool) return { source: tool.label, deployments: OVERLAYS.flatMap((o) => appDeployments(renderOverlay(tool, o))) };
  console.warn('dockerfile.spec: no kubectl/kustomize, comparing with kustomize/components/app-pod/pod.yaml as written');
  const file = join(KUSTOMIZE_DIR, 'components/app-pod/pod.yaml');
  return { source: 'kustomize/components/app-pod', deployments: parseManifests(readFileSync(file, 'utf8'), file) };
}

describe('Dockerfile', () => {
  beforeAll(() => {
    // The same steps as the build stage, when their output is not there yet.
    if (!existsSync(join(REPO_ROOT, 'dist/src/main.js'))) run('npm', ['run', 'build']);
    if (frontEndExists() && !existsSync(join(REPO_ROOT, WEB_DIST, 'index.html'))) {
      const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts ?? {};
      if (scripts['build:web']) run('npm', ['run', 'build:web']);
      else if (existsSync(join(REPO_ROOT, 'web/vite.config.ts'))) run('npx', ['vite', 'build', '--config', 'web/vite.config.ts']);
    }
  }, 20 * 60_000);

  it('is a plain multi-stage Dockerfile (no BuildKit-only syntax)', () => {
    expect(dockerfile.directives.syntax).toBeUndefined();
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const buildKitOnly = dockerfile.stages
      .flatMap((s) => s.instructions)
      .filter(
        (i) =>
          i.flags.mount ||
          i.flags.link ||
          i.flags.parents ||
          i.flags.exclude ||
          i.flags.chmod ||
          i.flags.network ||
          i.flags.security ||
          /<<-?\s*["']?\w+/.test(i.args),
      )
      .map((i) => `line ${i.line}: ${i.keyword} ${i.args}`);
    expect(buildKitOnly).toEqual([]);
  });

  it('pins every base image by tag, and runs on a Node.js that satisfies package.json engines', () => {
    for (const s of dockerfile.stages) {
      if (stageByName(s.from) && s.from !== s.name) continue; // FROM another stage
      expect([s.from, imageProblems(s.from)]).toEqual([s.from, []]);
    }
    const engines: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node;
    const minMajor = Number(/(\d+)/.exec(engines)![1]);
    const m = /^node:(\d+)/.exec(finalStage.from);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(minMajor);
  });

  it('builds with npm ci + npm run build, and ships production-only node_modules (npm ci --omit=dev)', () => {
    const runs = (s: Stage) =>
      s.instructions
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join('\n');
    const build = dockerfile.stages.find((s) => /\bnpm ci\b(?![^\n]*--omit=dev)/.test(runs(s)) && /\bnpm run build\b/.test(runs(s)));
    expect(build?.name).toBeTruthy();
    const deps = dockerfile.stages.find((s) => /\bnpm ci\b[^\n&|;]*--omit=dev/.test(runs(s)));
    expect(deps?.name).toBeTruthy();
    const copies = finalStage.instructions.filter((i) => i.keyword === 'COPY');
    const nodeModules = copies.find((c) => copyParts(c).sources.some((s) => posix.basename(s) === 'node_modules'));
    expect(nodeModules?.flags.from).toBe(deps!.name);
    expect(copies.some((c) => c.flags.from === build!.name)).toBe(true);
    expect(runs(finalStage)).not.toMatch(/\bnpm (ci|install|i)\b/);
    // The web app is built in the build stage too (vite), and copied into the runtime stage.
    expect(copies.some((c) => c.flags.from === build!.name && copyParts(c).sources.includes(`${workdirOf(build!)}/${WEB_DIST}`))).toBe(
      true,
    );
  });

  it('builds the web app exactly once (`npm run build` already runs build:web)', () => {
    const scripts: Record<string, string> = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts ?? {};
    const buildsWeb = (script: string) => /\bbuild:web\b|\bvite build\b/.test(script);
    const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;
    const runs = dockerfile.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args)).join('\n');
    const viaBuild = count(runs, /\bnpm run build(?![\w:-])/g) * (buildsWeb(scripts.build ?? '') ? 1 : 0);
    const direct = count(runs, /\bnpm run build:web\b/g) + count(runs, /\bvite build\b/g);
    // Web builds per image build: through `npm run build` (when its script runs build:web) plus any direct build:web / vite build.
    expect({ viaBuild, direct, total: viaBuild + direct }).toEqual({ viaBuild, direct, total: 1 });
  });

  it(`runtime stage takes from the build only what \`node dist/src/main.js\` loads: ${RUNTIME_DIRS.join(', ')}`, () => {
    const build = dockerfile.stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args)))!;
    const wd = workdirOf(build).replace(/\/$/, '');
    const fromBuild = finalStage.instructions
      .filter((i) => i.keyword === 'COPY' && i.flags.from === build.name)
      .flatMap((i) => copyParts(i).sources.map((src) => src.slice(wd.length + 1)))
      .sort();
    expect(fromBuild).toEqual(RUNTIME_DIRS.slice().sort());
  });

  it('everything the compiled server imports is in the image: relative imports stay in the copied dist folders, packages are production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const deps = new Set(Object.keys(pkg.dependencies ?? {}));
    const shipped = RUNTIME_DIRS.filter((d) => d.startsWith('dist/'));
    const problems: string[] = [];
    let files = 0;
    let reachesEntry = false;
    for (const dir of shipped) {
      for (const rel of filesUnder(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.js'))) {
        files++;
        const file = posix.join(dir, rel);
        if (file === START_COMMAND[1]) reachesEntry = true;
        for (const spec of importsOf(readFileSync(join(REPO_ROOT, file), 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = posix.normalize(posix.join(posix.dirname(file), spec));
            if (!shipped.some((d) => target === d || target.startsWith(`${d}/`)))
              problems.push(`${file} imports ${spec} (${target}), which is not in the image`);
          } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
            if (!deps.has(name))
              problems.push(`${file} imports ${spec}, which is not in package.json "dependencies" (the image installs --omit=dev)`);
          }
        }
      }
    }
    expect(files).toBeGreaterThan(10);
    expect(reachesEntry).toBe(true);
    expect(problems).toEqual([]);
  });

  it('copies only paths that exist after the build and that .dockerignore lets into the context', () => {
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const stage of dockerfile.stages) {
      stage.instructions.forEach((ins) => {
        if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return;
        const { sources } = copyParts(ins);
        if (ins.keyword === 'ADD') problems.push(`line ${ins.line}: use COPY, not ADD`);
        for (const src of sources) {
          if (!ins.flags.from) {
            const rel = posix.normalize(src).replace(/^\/+/, '');
            if (/[*?[]/.test(rel)) problems.push(`line ${ins.line}: avoid globs (${src}) so the check can see what is copied`);
            else if (!existsSync(join(REPO_ROOT, rel))) problems.push(`line ${ins.line}: context path ${src} does not exist`);
            else if (isIgnored(ignoreRules, rel)) problems.push(`line ${ins.line}: ${src} is excluded by .dockerignore`);
            continue;
          }
          const from = stageByName(ins.flags.from);
          if (!from) {
            problems.push(`line ${ins.line}: --from=${ins.flags.from} is not a stage of this Dockerfile`);
            continue;
          }
          // Inside a stage, its WORKDIR holds the build context: map the path back to the checkout.
          const wd = workdirOf(from);
          if (!src.startsWith(`${wd.replace(/\/$/, '')}/`)) {
            problems.push(`line ${ins.line}: ${src} is outside stage ${ins.flags.from}'s WORKDIR ${wd}`);
            continue;
          }
          const rel = src.slice(wd.replace(/\/$/, '').length + 1);
          if (existsSync(join(REPO_ROOT, rel))) continue;
          const createdByStage = from.instructions.some(
            (i) =>
              i.keyword === 'RUN' && new RegExp(`mkdir -p[^&|;]*\\s${rel.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(\\s|$)`).test(i.args),
          );
          if (rel === WEB_DIST && createdByStage && !frontEndExists()) {
            warnings.push(`${rel}: there is no web front end yet; the image ships an empty ${rel}`);
          } else if (rel === WEB_DIST && frontEndExists()) {
            problems.push(
              `${rel}: the web front end exists but "npm run build" / "npm run build:web" did not produce ${rel}; update the Dockerfile's web build and COPY`,
            );
          } else {
            problems.push(
              `line ${ins.line}: ${src} from stage ${ins.flags.from} is not produced by the build (${rel} missing after npm run build)`,
            );
          }
        }
      });
    }
    for (const w of warnings) console.warn(`dockerfile.spec: ${w}`);
    expect(problems).toEqual([]);
  });

  it('keeps the build context small: .dockerignore excludes dependencies, outputs, VCS and test artifacts, but not build inputs', () => {
    for (const path of [
      'node_modules',
      'libs/x/node_modules',
      'dist',
      'dist-bench',
      'web/dist',
      '.git',
      'coverage',
      'artifacts',
      'data',
      'test',
      '.env',
      'npm-debug.log',
    ]) {
      expect([path, isIgnored(ignoreRules, path)]).toEqual([path, true]);
    }
    const tsBuild = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const inputs = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'nest-cli.json',
      'src/main.ts',
      ...tsBuild.include.map((p) => p.replace(/\/\*.*$/, '')),
    ];
    if (existsSync(join(REPO_ROOT, 'web'))) inputs.push('web');
    for (const path of inputs) expect([path, isIgnored(ignoreRules, path)]).toEqual([path, false]);
  });

  it('runtime stage: numeric non-root USER, NODE_ENV=production, EXPOSE 3000, writable /data for that user', () => {
    const user = lastOf(finalStage, 'USER')?.args ?? '';
    const m = /^(\d+)(?::(\d+))?$/.exec(user);
    expect([user, m !== null]).toEqual([user, true]);
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![2] ?? m![1])).toBeGreaterThan(0);
    const env = Object.assign({}, ...finalStage.instructions.filter((i) => i.keyword === 'ENV').map(envPairs)) as Record<string, string>;
    expect(env.NODE_ENV).toBe('production');
    expect(lastOf(finalStage, 'EXPOSE')?.args.split(/\s+/)).toEqual([env.PORT ?? '3000']);
    const dataDir = env.DATA_DIR;
    expect(dataDir).toBeTruthy();
    const runs = finalStage.instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(runs).toContain(`chown ${m![1]}:${m![2] ?? m![1]} ${dataDir}`);
  });

  it('runtime stage contains the entry file and package.json (the build is ESM: "type": "module")', () => {
    const wd = workdirOf(finalStage);
    const copiedTo = finalStage.instructions
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => {
        const { sources, dest } = copyParts(i);
        const target = posix.resolve(wd, dest);
        return sources.map((s) =>
          dest.endsWith('/') && sources.length >= 1 && !dest.endsWith(`${posix.basename(s)}/`)
            ? posix.join(target, posix.basename(s))
            : target,
        );
      });
    const entry = posix.resolve(wd, START_COMMAND[1]);
    expect(copiedTo.some((t) => entry === t || entry.startsWith(`${t}/`))).toBe(true);
    expect(copiedTo).toContain(posix.resolve(wd, 'package.json'));
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).type).toBe('module');
    expect(existsSync(join(REPO_ROOT, START_COMMAND[1]))).toBe(true);
  });

  it('starts with the same command as every rendered Kubernetes manifest, and runs as the same user', () => {
    const entrypoint = lastOf(finalStage, 'ENTRYPOINT');
    // Stated in the runtime stage, so nothing is inherited from the base image's entrypoint script.
    expect(entrypoint).toBeDefined();
    const cmd = lastOf(finalStage, 'CMD');
    const image = { entrypoint: commandOf(entrypoint!), cmd: cmd ? commandOf(cmd) : [] };
    expect(cmd?.json).not.toBeNull(); // exec form: node is PID 1 and gets SIGTERM
    expect([...image.entrypoint, ...image.cmd]).toEqual(START_COMMAND);

    const { source, deployments } = appDeploymentsToCompare();
    expect(deployments.length).toBeGreaterThan(0);
    const [uid, gid] = (lastOf(finalStage, 'USER')!.args + ':').split(':');
    for (const d of deployments) {
      const spec = podSpecOf(d)!;
      const c = spec.containers[0];
      expect([source, d.metadata.name, containerArgv(c, image)]).toEqual([source, d.metadata.name, [...image.entrypoint, ...image.cmd]]);
      expect([d.metadata.name, c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser]).toEqual([d.metadata.name, Number(uid)]);
      expect([d.metadata.name, c.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup]).toEqual([
        d.metadata.name,
        Number(gid || uid),
      ]);
    }
  });
});
