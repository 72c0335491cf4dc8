/** Helpers for comparing rendered manifests with what a real API server stored. */
import { readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { K8sObject } from '../../deploy/support/kustomize.js';

/** Every directory under kustomize/overlays with a kustomization.yaml (dev, production, regions/*, and any new one). */
export function discoverOverlays(overlaysDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (existsSync(join(dir, 'kustomization.yaml')) || existsSync(join(dir, 'kustomization.yml'))) {
      found.push(relative(overlaysDir, dir));
    }
    for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) walk(join(dir, d.name));
  };
  walk(overlaysDir);
  return found.sort();
}

/** kind.group/name: identifies an object within one namespace. */
export function key(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core';
  return `${o.kind}.${group}/${o.metadata.name}`;
}

/**
 * Every field of the rendered object must be on the server with the same value (the server may add
 * defaults and status). Catches fields the server dropped, renamed or normalised.
 */
export function subsetProblems(want: unknown, got: unknown, path: string, out: string[] = []): string[] {
  if (want === null || typeof want !== 'object') {
    if (want !== got) out.push(`${path}: rendered ${JSON.stringify(want)}, the server has ${JSON.stringify(got)}`);
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      out.push(`${path}: rendered ${want.length} items, the server has ${Array.isArray(got) ? got.length : JSON.stringify(got)}`);
    } else {
      want.forEach((w, i) => subsetProblems(w, got[i], `${path}[${i}]`, out));
    }
  } else if (got === null || typeof got !== 'object' || Array.isArray(got)) {
    out.push(`${path}: rendered an object, the server has ${JSON.stringify(got)}`);
  } else {
    for (const [k, v] of Object.entries(want)) subsetProblems(v, (got as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
  return out;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/** Each workload's pod template as a bare Pod (what its controller would create). */
export function podsFromTemplates(objects: K8sObject[]): K8sObject[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((o) => {
      const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
      const spec = structuredClone(template.spec);
      // A StatefulSet's controller adds a PVC volume per volumeClaimTemplate (claim <template>-<set>-<ordinal>).
      for (const vct of o.kind === 'StatefulSet' ? (o.spec.volumeClaimTemplates ?? []) : []) {
        const name = vct.metadata.name as string;
        spec.volumes = [...(spec.volumes ?? []), { name, persistentVolumeClaim: { claimName: `${name}-${o.metadata.name}-0` } }];
      }
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `template-of-${o.metadata.name}`, namespace: o.metadata.namespace, labels: template.metadata?.labels },
        spec,
      };
    });
}

/** Whether a manager's fieldsV1 set (managedFields) owns the given path, e.g. ['spec', 'replicas']. */
export function owns(fieldsV1: any, path: string[]): boolean {
  let node = fieldsV1;
  for (const p of path) {
    node = node?.[`f:${p}`];
    if (node === undefined) return false;
  }
  return true;
}
