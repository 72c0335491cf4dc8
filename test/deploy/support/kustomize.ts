import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const KUSTOMIZE_DIR = join(REPO_ROOT, 'kustomize');
export const COMPONENTS_DIR = join(KUSTOMIZE_DIR, 'components');

/** Every component: each folder under kustomize/components. */
export const COMPONENTS: string[] = readdirSync(COMPONENTS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Every file under a folder, relative to it (sorted). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out.sort();
}

/** Regions: every folder under kustomize/overlays/regions (a new region is tested without edits here). */
export const REGIONS: string[] = readdirSync(join(KUSTOMIZE_DIR, 'overlays/regions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Every overlay that must render, relative to kustomize/overlays. */
export type OverlayName = string;
export const OVERLAYS: OverlayName[] = ['dev', 'production', ...REGIONS.map((r) => `regions/${r}`)];

export const requireTools = process.env.DRONETRACK_REQUIRE_SERVICES === '1';

/** A rendered Kubernetes object: loosely typed, the tests read it like `kubectl get -o yaml`. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

export interface KustomizeTool {
  label: string;
  argv: (dir: string) => [string, string[]];
}

function runs(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0;
}

/** `kubectl kustomize` (preferred, what the docs tell operators to use) or a standalone `kustomize build`. */
export function findKustomize(): KustomizeTool | null {
  if (runs('kubectl', ['version', '--client'])) {
    return { label: 'kubectl kustomize', argv: (dir) => ['kubectl', ['kustomize', dir]] };
  }
  if (runs('kustomize', ['version'])) {
    return { label: 'kustomize build', argv: (dir) => ['kustomize', ['build', dir]] };
  }
  return null;
}

/**
 * Announces a missing kustomize: fatal with DRONETRACK_REQUIRE_SERVICES=1, a loud warning otherwise.
 * Returns whether the suites can run.
 */
export function kustomizeOrSkip(tool: KustomizeTool | null): tool is KustomizeTool {
  if (tool) return true;
  const msg =
    '\n*** Neither kubectl nor kustomize is on PATH: the Kubernetes manifest suites are SKIPPED. ' +
    'Install kubectl (>= 1.27) or `go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0`, ' +
    'or set DRONETRACK_REQUIRE_SERVICES=1 to make this fatal. ***\n';
  if (requireTools) throw new Error(msg);
  console.warn(msg);
  return false;
}

export function renderDir(tool: KustomizeTool, dir: string): K8sObject[] {
  const [cmd, args] = tool.argv(dir);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${tool.label} ${dir} failed (exit ${r.status}):\n${r.stderr || r.error?.message}`);
  }
  return parseManifests(r.stdout, `${tool.label} ${dir}`);
}

export function renderOverlay(tool: KustomizeTool, overlay: OverlayName): K8sObject[] {
  return renderDir(tool, join(KUSTOMIZE_DIR, 'overlays', overlay));
}

export function parseManifests(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: YAML error: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: 0 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${source}: a document is not an object`);
    objects.push(value as K8sObject);
  }
  return objects;
}

export function ref(o: K8sObject): string {
  return `${o.kind}/${o.metadata?.name}`;
}
