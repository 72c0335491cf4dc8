import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { KUSTOMIZE_DIR, OVERLAYS, renderDir, type K8sObject, type KustomizeTool } from '../deploy/support/kustomize.js';
import { binariesOrSkip, builtBinaries, startControlPlane, type ControlPlane } from './support/control-plane.js';
import { discoverOverlays, key, owns, podsFromTemplates, subsetProblems } from './support/objects.js';

/**
 * `kubectl apply -k --server-side` of every overlay against a real kube-apiserver (etcd +
 * kube-apiserver from scripts/kube-test-cluster.sh; no controllers or nodes, so Deployments
 * create no pods). Each overlay lands in the namespace it declares, which the test first creates
 * with the `restricted` Pod Security labels at enforce, warn and audit (see docs/kubernetes-tests.md).
 * Then: every object accepted with no warning, every pod template admitted as a Pod, objects read
 * back as rendered, a second apply changes nothing, `kubectl delete -k` removes everything.
 * Negative controls show that the server refuses broken copies of an overlay.
 */

const bin = builtBinaries();
const suite = binariesOrSkip(bin) ? describe : describe.skip;

const OVERLAYS_DIR = join(KUSTOMIZE_DIR, 'overlays');
const DISCOVERED = discoverOverlays(OVERLAYS_DIR);
const TEST_MANAGER = 'dronetrack-cluster-test';
const PSS_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
};
const PROBES = { startupProbe: '/health/live', readinessProbe: '/health/ready', livenessProbe: '/health/live' };

let cp: ControlPlane;
let kubectlTool: KustomizeTool;

function render(dir: string): K8sObject[] {
  return renderDir(kubectlTool, dir);
}

/** The single namespace an overlay targets (its Namespace object and every namespaced object agree). */
function targetNamespace(objects: K8sObject[]): string {
  const names = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'Namespace') names.add(o.metadata.name);
    else if (o.metadata.namespace) names.add(o.metadata.namespace);
  }
  if (names.size !== 1) throw new Error(`expected one target namespace, found: ${[...names].join(', ') || 'none'}`);
  return [...names][0];
}

/** Creates (or labels) the namespace with restricted enforce/warn/audit, under the test's own field manager. */
function restrictedNamespace(name: string): void {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: PSS_LABELS } };
  cp.kubectlOk(['apply', '--server-side', `--field-manager=${TEST_MANAGER}`, '-f', '-'], JSON.stringify(ns));
}

interface ManagedFields {
  manager: string;
  operation: string;
  fieldsV1: unknown;
}
/** An object as the server returns it. */
type LiveObject = K8sObject & {
  metadata: K8sObject['metadata'] & { resourceVersion: string; deletionTimestamp?: string; managedFields?: ManagedFields[] };
};

/** The overlay's objects as the server has them (managedFields included). */
function liveObjects(dir: string, extra: string[] = []): LiveObject[] {
  const out = cp.kubectlOk(['get', '-k', dir, '-o', 'json', '--show-managed-fields', ...extra]).stdout.trim();
  if (!out) return [];
  const parsed = JSON.parse(out) as LiveObject; // a List, or the object itself when only one is found
  return parsed.kind === 'List' ? (parsed.items as LiveObject[]) : [parsed];
}

/** What a field manager set with server-side apply. */
function managedBy(o: LiveObject, manager: string): ManagedFields | undefined {
  return o.metadata.managedFields?.find((m) => m.manager === manager && m.operation === 'Apply');
}

function warningsOf(stderr: string): string {
  return stderr.trim();
}

/** A temp kustomization that takes a real overlay, moves it to its own namespace and breaks it. */
function brokenCopy(
  overlay: string,
  name: string,
  change: { resources?: K8sObject[]; patches?: object[] },
): { dir: string; namespace: string } {
  const dir = mkdtempSync(join(tmpdir(), `dt-broken-${name}-`));
  const namespace = `dt-broken-${name}`;
  const resources = [relative(dir, join(OVERLAYS_DIR, overlay))];
  if (change.resources?.length) {
    writeFileSync(join(dir, 'extra.yaml'), change.resources.map((r) => stringify(r)).join('---\n'));
    resources.push('extra.yaml');
  }
  const k = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace, resources, patches: change.patches ?? [] };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(k));
  return { dir, namespace };
}

function jsonPatch(kind: string, name: string, ops: object[]): object {
  return { target: { kind, name }, patch: JSON.stringify(ops) };
}

suite('kubectl apply -k against a real kube-apiserver', () => {
  let namespacedTypes: string[];
  const tempDirs: string[] = [];

  beforeAll(() => {
    cp = startControlPlane();
    kubectlTool = { label: 'kubectl kustomize', argv: (dir) => [cp.kubectlPath, ['kustomize', dir]] };
    namespacedTypes = cp
      .kubectlOk(['api-resources', '--verbs=list,delete', '--namespaced', '-o', 'name'])
      .stdout.split('\n')
      .filter((t) => t && !/^events(\.|$)/.test(t));
  }, 240_000);

  afterAll(() => {
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    cp?.stop();
  }, 60_000);

  it('runs a server and kubectl of the same version', () => {
    const v = JSON.parse(cp.kubectlOk(['version', '-o', 'json']).stdout);
    expect(v.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.clientVersion.gitVersion).toBe(v.serverVersion.gitVersion);
  });

  it('discovers every overlay the deploy suites render', () => {
    expect(DISCOVERED).toEqual(expect.arrayContaining(OVERLAYS));
  });

  describe.each(DISCOVERED)('overlay %s', (overlay) => {
    const dir = join(OVERLAYS_DIR, overlay);
    let rendered: K8sObject[];
    let namespace: string;
    let versions: Map<string, string>;

    beforeAll(() => {
      rendered = render(dir);
      namespace = targetNamespace(rendered);
      restrictedNamespace(namespace);
    }, 60_000);

    it('is applied server-side: every object accepted, no warning (PodSecurity or other)', () => {
      const r = cp.kubectl(['apply', '-k', dir, '--server-side']);
      expect({ status: r.status, warnings: warningsOf(r.stderr) }).toEqual({ status: 0, warnings: '' });
      const applied = r.stdout.trim().split('\n');
      expect(applied).toHaveLength(rendered.length);
      for (const line of applied) expect(line).toMatch(/ serverside-applied$/);
    });

    it('declares restricted Pod Security on its own namespace (not only the test)', () => {
      const ns = JSON.parse(cp.kubectlOk(['get', 'namespace', namespace, '-o', 'json', '--show-managed-fields']).stdout);
      expect(ns.metadata.labels).toMatchObject(PSS_LABELS);
      const byOverlay = managedBy(ns, 'kubectl'); // kubectl apply --server-side's field manager
      for (const level of ['enforce', 'warn', 'audit']) {
        expect(owns(byOverlay?.fieldsV1, ['metadata', 'labels', `pod-security.kubernetes.io/${level}`])).toBe(true);
      }
    });

    it('has pod templates that the restricted namespace admits as Pods (enforce level, dry run)', () => {
      const pods = podsFromTemplates(rendered);
      expect(pods.length).toBeGreaterThan(0);
      const r = cp.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], pods.map((p) => JSON.stringify(p)).join('\n'));
      expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout.trim().split('\n')).toHaveLength(pods.length);
    });

    it('reads back as rendered', () => {
      const live = new Map(liveObjects(dir).map((o) => [key(o), o]));
      const problems: string[] = [];
      for (const want of rendered) {
        const got = live.get(key(want));
        if (!got) problems.push(`${key(want)}: not on the server`);
        else subsetProblems(want, got, key(want), problems);
      }
      expect(problems).toEqual([]);
    });

    it('stores each role, its probes and resources on the server', () => {
      const apps = liveObjects(dir).filter(
        (o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/name'] === 'dronetrack',
      );
      expect(apps.length).toBeGreaterThan(0);
      for (const d of apps) {
        const component = d.spec.template.metadata.labels['app.kubernetes.io/component'];
        const c = d.spec.template.spec.containers.find((x: { name: string }) => x.name === 'dronetrack');
        const roles = c.env.find((e: { name: string }) => e.name === 'ROLES')?.value;
        expect(`${d.metadata.name}: ROLES=${roles}`).toBe(
          `${d.metadata.name}: ROLES=${component === 'all-in-one' ? 'ingest,processor,web' : component}`,
        );
        for (const [probe, path] of Object.entries(PROBES)) {
          expect(`${d.metadata.name} ${probe} ${c[probe]?.httpGet?.path} ${c[probe]?.httpGet?.port}`).toBe(
            `${d.metadata.name} ${probe} ${path} http`,
          );
        }
        expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.resources.limits).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      }
    });

    it('points every HPA at a live Deployment whose replica count kubectl does not own', () => {
      const live = liveObjects(dir);
      const hpas = live.filter((o) => o.kind === 'HorizontalPodAutoscaler');
      const deployments = new Map(live.filter((o) => o.kind === 'Deployment').map((d) => [d.metadata.name, d]));
      for (const hpa of hpas) {
        const want = rendered.find((o) => key(o) === key(hpa))!;
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: want.spec.scaleTargetRef.name });
        expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([want.spec.minReplicas, want.spec.maxReplicas]);
        const target = deployments.get(hpa.spec.scaleTargetRef.name);
        expect(target).toBeDefined();
        const applied = managedBy(target!, 'kubectl');
        expect(applied).toBeDefined();
        expect(owns(applied!.fieldsV1, ['spec', 'replicas'])).toBe(false);
      }
    });

    it('changes nothing when applied a second time', () => {
      versions = new Map(liveObjects(dir).map((o) => [key(o), o.metadata.resourceVersion]));
      const r = cp.kubectl(['apply', '-k', dir, '--server-side']);
      expect({ status: r.status, warnings: warningsOf(r.stderr) }).toEqual({ status: 0, warnings: '' });
      const after = new Map(liveObjects(dir).map((o) => [key(o), o.metadata.resourceVersion]));
      expect(Object.fromEntries(after)).toEqual(Object.fromEntries(versions));
      expect(after.size).toBe(rendered.length);
    });

    it('is removed completely by kubectl delete -k', () => {
      // No namespace controller runs: the Namespace stays Terminating with its "kubernetes" finalizer.
      const r = cp.kubectl(['delete', '-k', dir, '--wait=false']);
      expect({ status: r.status, warnings: warningsOf(r.stderr) }).toEqual({ status: 0, warnings: '' });
      expect(r.stdout.trim().split('\n')).toHaveLength(rendered.length);

      const left = liveObjects(dir, ['--ignore-not-found']);
      expect(left.map((o) => `${key(o)} deleting=${!!o.metadata.deletionTimestamp}`)).toEqual([
        `Namespace.core/${namespace} deleting=true`,
      ]);
      const inside = cp.kubectlOk(['get', namespacedTypes.join(','), '-n', namespace, '-o', 'name', '--ignore-not-found']).stdout.trim();
      expect(inside).toBe('');

      // What the namespace controller would do last: drop the finalizer; then the namespace is gone.
      const ns = JSON.parse(cp.kubectlOk(['get', 'namespace', namespace, '-o', 'json']).stdout);
      ns.spec.finalizers = [];
      cp.kubectlOk(['replace', '--raw', `/api/v1/namespaces/${namespace}/finalize`, '-f', '-'], JSON.stringify(ns));
      expect(liveObjects(dir, ['--ignore-not-found'])).toEqual([]);
    });
  });

  describe('negative controls: broken copies of an overlay', () => {
    const setUp = (overlay: string, name: string, change: Parameters<typeof brokenCopy>[2]) => {
      const copy = brokenCopy(overlay, name, change);
      tempDirs.push(copy.dir);
      restrictedNamespace(copy.namespace);
      return copy;
    };
    const appPod = (name: string, securityContext: object): K8sObject => {
      const template = render(join(OVERLAYS_DIR, 'dev')).find((o) => o.kind === 'Deployment' && o.metadata.name === 'dronetrack')!.spec
        .template;
      const spec = structuredClone(template.spec);
      spec.securityContext = { ...spec.securityContext, ...securityContext };
      for (const c of spec.containers) c.securityContext = { ...c.securityContext, ...securityContext };
      return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: template.metadata.labels }, spec };
    };

    it('refuses a Pod running as root in the restricted namespace (and admits the same Pod as non-root)', () => {
      const { dir, namespace } = setUp('dev', 'root-pod', {
        resources: [appPod('as-root', { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0 }), appPod('as-app-user', {})],
      });
      const r = cp.kubectl(['apply', '-k', dir, '--server-side']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/pods "as-root" is forbidden: violates PodSecurity "restricted:latest": .*runAsNonRoot != true/);
      expect(r.stderr).toMatch(/runAsUser=0/);
      expect(cp.kubectl(['get', 'pod', 'as-root', '-n', namespace]).stderr).toMatch(/NotFound/);
      expect(cp.kubectlOk(['get', 'pod', 'as-app-user', '-n', namespace, '-o', 'name']).stdout.trim()).toBe('pod/as-app-user');
    });

    it('accepts a Deployment whose template runs as root, but with the PodSecurity warning the suite fails on', () => {
      const { dir } = setUp('production', 'root-template', {
        patches: [
          jsonPatch('Deployment', 'dronetrack-web', [
            { op: 'replace', path: '/spec/template/spec/securityContext/runAsNonRoot', value: false },
            { op: 'replace', path: '/spec/template/spec/securityContext/runAsUser', value: 0 },
            { op: 'replace', path: '/spec/template/spec/containers/0/securityContext/runAsNonRoot', value: false },
            { op: 'replace', path: '/spec/template/spec/containers/0/securityContext/runAsUser', value: 0 },
          ]),
        ],
      });
      const r = cp.kubectl(['apply', '-k', dir, '--server-side']);
      expect(r.status).toBe(0);
      expect(warningsOf(r.stderr)).toMatch(/Warning: would violate PodSecurity "restricted:latest": .*runAsUser=0/);
    });

    it('refuses an invalid field value: replicas "many" (client-side validation off: the server decides)', () => {
      const { dir, namespace } = setUp('production', 'replicas-many', {
        patches: [jsonPatch('Deployment', 'dronetrack-web', [{ op: 'add', path: '/spec/replicas', value: 'many' }])],
      });
      const r = cp.kubectl(['apply', '-k', dir, '--server-side', '--validate=false']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/dronetrack-web[\s\S]*\.spec\.replicas/);
      expect(cp.kubectl(['get', 'deployment', 'dronetrack-web', '-n', namespace]).stderr).toMatch(/NotFound/);
    });

    it('refuses an unknown enum value: imagePullPolicy "Sometimes"', () => {
      const { dir, namespace } = setUp('production', 'bad-enum', {
        patches: [
          jsonPatch('Deployment', 'dronetrack-web', [
            { op: 'replace', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'Sometimes' },
          ]),
        ],
      });
      const r = cp.kubectl(['apply', '-k', dir, '--server-side', '--validate=false']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/Deployment "dronetrack-web" is invalid: .*imagePullPolicy: Unsupported value: "Sometimes"/);
      expect(cp.kubectl(['get', 'deployment', 'dronetrack-web', '-n', namespace]).stderr).toMatch(/NotFound/);
    });

    it('refuses an unknown field: always with --server-side, with --validate=strict client-side', () => {
      const typo = [
        { op: 'add', path: '/spec/template/spec/containers/0/livenessProbes', value: { httpGet: { path: '/health/live', port: 'http' } } },
      ];
      const copy = setUp('production', 'unknown-field', { patches: [jsonPatch('Deployment', 'dronetrack-web', typo)] });
      const absent = () => expect(cp.kubectl(['get', 'deployment', 'dronetrack-web', '-n', copy.namespace]).stderr).toMatch(/NotFound/);

      // Server-side apply builds a typed patch from the schema: an unknown field is refused whatever --validate says.
      for (const validate of ['strict', 'false']) {
        const r = cp.kubectl(['apply', '-k', copy.dir, '--server-side', `--validate=${validate}`]);
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(
          /dronetrack-web.*\.spec\.template\.spec\.containers\[name="dronetrack"\]\.livenessProbes: field not declared in schema/,
        );
        absent();
      }
      // Client-side apply: refused with --validate=strict (kubectl's default) ...
      const strict = cp.kubectl(['apply', '-k', copy.dir, '--validate=strict']);
      expect(strict.status).not.toBe(0);
      expect(strict.stderr).toMatch(/strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.livenessProbes"/);
      absent();
      // ... and silently dropped without it: why the suite never turns validation off for the real overlays.
      cp.kubectlOk(['apply', '-k', copy.dir, '--validate=false']);
      const web = JSON.parse(cp.kubectlOk(['get', 'deployment', 'dronetrack-web', '-n', copy.namespace, '-o', 'json']).stdout);
      expect(web.spec.template.spec.containers[0].livenessProbe).toBeDefined();
      expect(web.spec.template.spec.containers[0]).not.toHaveProperty('livenessProbes');
    });
  });
});
