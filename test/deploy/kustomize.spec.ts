import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { FieldChecker, schemaProblems } from './support/k8s-schema.js';
import {
  COMPONENTS,
  COMPONENTS_DIR,
  filesUnder,
  findKustomize,
  KUSTOMIZE_DIR,
  kustomizeOrSkip,
  OVERLAYS,
  ref,
  REGIONS,
  renderDir,
  renderOverlay,
  REPO_ROOT,
  type K8sObject,
  type OverlayName,
} from './support/kustomize.js';
import {
  appDeployments,
  appWorkloadProblems,
  COMPONENT_LABEL,
  find,
  ingressRulesFor,
  podLabelsOf,
  parseQuantity,
  podSpecOf,
  referenceProblems,
  restrictedProblems,
  secretValue,
  SECRET_KEYS,
  SECRET_NAME,
  selectorMatches,
  workloads,
} from './support/rules.js';

/**
 * Renders every overlay with `kubectl kustomize` (or `kustomize build`) and holds the output to
 * the deployment rules: valid against the Kubernetes API schemas, restricted pod security,
 * dronetrack's process rules (roles, probes, resources, shutdown timing, secrets, config), and
 * each overlay's shape (dev: one all-roles process; production/regions: split roles with HPA,
 * PDB, NetworkPolicy and Ingress).
 */

const tool = findKustomize();
const suite = kustomizeOrSkip(tool) ? describe : describe.skip;

const ROLES = ['ingest', 'processor', 'web'] as const;
const SPLIT_OVERLAYS: OverlayName[] = OVERLAYS.filter((o) => o !== 'dev');
const NAMESPACE: Record<OverlayName, string> = {
  dev: 'dronetrack-dev',
  production: 'dronetrack',
  ...Object.fromEntries(REGIONS.map((r) => [`regions/${r}`, `dronetrack-${r}`])),
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'IngressClass']);

function problemsOf(list: string[]): string {
  return list.length === 0 ? '' : `\n  - ${list.join('\n  - ')}`;
}

function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

function readKustomization(dir: string): Record<string, any> {
  return parse(readFileSync(join(KUSTOMIZE_DIR, dir, 'kustomization.yaml'), 'utf8'));
}

/** Every file under kustomize/ (relative to it) with its text. */
const KUSTOMIZE_FILES = filesUnder(KUSTOMIZE_DIR).map((path) => ({ path, text: readFileSync(join(KUSTOMIZE_DIR, path), 'utf8') }));
const KUSTOMIZATIONS = KUSTOMIZE_FILES.filter((f) => /(^|\/)kustomization\.ya?ml$/.test(f.path));
const YAML_FILES = KUSTOMIZE_FILES.filter((f) => /\.ya?ml$/.test(f.path));

/** The role Deployments as written (each states only what differs), and the shared pod spec patch. */
const ROLE_FILES = ['split-roles/ingest.yaml', 'split-roles/processor.yaml', 'split-roles/web.yaml', 'all-in-one/all-in-one.yaml'];
const SHARED_POD_SPEC = 'app-pod/pod.yaml';

/**
 * Leaf paths of a manifest, list items named by their `name` (how a strategic-merge patch matches
 * containers, env, volumes...), e.g. spec.template.spec.containers[dronetrack].env[ROLES].value.
 */
function leafPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      const key = item && typeof item === 'object' && 'name' in item ? String((item as { name: unknown }).name) : String(i);
      return leafPaths(item, `${path}[${key}]`);
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, path ? `${path}.${k}` : k));
  }
  return [path];
}

suite(`Kubernetes manifests (${tool?.label})`, () => {
  const rendered = new Map<string, K8sObject[]>();
  let fields: FieldChecker;
  const out = (overlay: OverlayName): K8sObject[] => {
    const objects = rendered.get(overlay);
    if (!objects) throw new Error(`overlay ${overlay} did not render`);
    return objects;
  };

  beforeAll(() => {
    for (const overlay of OVERLAYS) rendered.set(overlay, renderOverlay(tool!, overlay));
    rendered.set('base', renderDir(tool!, join(KUSTOMIZE_DIR, 'base')));
    fields = new FieldChecker([...rendered.values()].flat());
  }, 120_000);

  it('renders the base on its own: what every variant shares (Namespace, ServiceAccount, ConfigMap), no role', () => {
    const base = rendered.get('base')!;
    expect(base.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Namespace', 'ServiceAccount']);
    expect(appDeployments(base)).toEqual([]);
    expect(problemsOf([...base.flatMap(schemaProblems), ...base.flatMap((o) => fields.unknownFields(o))])).toBe('');
  });

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    it('renders objects', () => {
      expect(out(overlay).length).toBeGreaterThan(5);
    });

    it('every object is a known Kubernetes kind, valid against its API schema, with no unknown field', () => {
      const objects = out(overlay);
      const problems = [
        ...objects.flatMap(schemaProblems),
        ...objects.flatMap((o) => fields.unknownFields(o)),
        ...objects.filter((o) => /alpha|beta/.test(o.apiVersion)).map((o) => `${ref(o)}: ${o.apiVersion} is not a GA API`),
      ];
      expect(problemsOf(problems)).toBe('');
    });

    it('cross-object references resolve (Services, Ingress, HPA, PDB, StatefulSets, images)', () => {
      expect(problemsOf(referenceProblems(out(overlay)))).toBe('');
    });

    it('lives in its own namespace, which enforces the restricted Pod Security Standard', () => {
      const objects = out(overlay);
      const ns = NAMESPACE[overlay];
      const problems = objects
        .filter((o) => !CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace !== ns)
        .map((o) => `${ref(o)} is in namespace ${o.metadata.namespace}, expected ${ns}`);
      expect(problemsOf(problems)).toBe('');
      const namespaces = ofKind(objects, 'Namespace');
      expect(namespaces.map((n) => n.metadata.name)).toEqual([ns]);
      expect(namespaces[0].metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    });

    it('every pod (app and datastores) passes the restricted Pod Security Standard', () => {
      expect(problemsOf(workloads(out(overlay)).flatMap(restrictedProblems))).toBe('');
    });

    it('every dronetrack workload follows the process rules (roles, probes, resources, security, shutdown, config)', () => {
      const objects = out(overlay);
      const apps = appDeployments(objects);
      expect(apps.length).toBeGreaterThan(0);
      expect(problemsOf(apps.flatMap((d) => appWorkloadProblems(d, objects).problems))).toBe('');
    });

    it('labels every app object with app.kubernetes.io/name and app.kubernetes.io/component', () => {
      const objects = out(overlay).filter((o) =>
        ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind),
      );
      const problems = objects
        .filter((o) => !o.metadata.labels?.['app.kubernetes.io/name'] || !o.metadata.labels?.[COMPONENT_LABEL])
        .map((o) => `${ref(o)}: missing name/component labels`);
      expect(problemsOf(problems)).toBe('');
    });

    it("labels every object as part of dronetrack, managed by kustomize, with the variant's instance name", () => {
      const objects = out(overlay);
      const instances = new Set(objects.map((o) => o.metadata.labels?.['app.kubernetes.io/instance']));
      expect([...instances]).toEqual([overlay === 'dev' ? 'dronetrack-dev' : 'dronetrack']);
      const problems = objects
        .filter(
          (o) =>
            o.metadata.labels?.['app.kubernetes.io/part-of'] !== 'dronetrack' ||
            o.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'kustomize',
        )
        .map((o) => `${ref(o)}: labels ${JSON.stringify(o.metadata.labels)}`);
      for (const w of workloads(objects)) {
        const labels = podLabelsOf(w);
        if (labels['app.kubernetes.io/part-of'] !== 'dronetrack' || !labels['app.kubernetes.io/instance'])
          problems.push(`${ref(w)}: pod labels ${JSON.stringify(labels)}`);
      }
      expect(problemsOf(problems)).toBe('');
    });

    it('commits no production secret: Secrets are generated only in dev, with obviously non-production values', () => {
      const secrets = ofKind(out(overlay), 'Secret');
      if (overlay !== 'dev') {
        expect(secrets.map(ref)).toEqual([]);
        return;
      }
      for (const s of secrets) {
        for (const key of Object.keys(s.data ?? {})) {
          const value = secretValue(out(overlay), s.metadata.name, key)!;
          if (key === 'JWT_SECRET' || key === 'ADMIN_TOKEN') expect(value).toMatch(/dev/i);
        }
      }
    });
  });

  describe('dev', () => {
    it('runs ONE all-roles Deployment "dronetrack" (ROLES=ingest,processor,web) and its Service', () => {
      const objects = out('dev');
      const apps = appDeployments(objects);
      expect(apps.map((d) => d.metadata.name)).toEqual(['dronetrack']);
      const { facts } = appWorkloadProblems(apps[0], objects);
      expect([...(facts?.roles ?? [])].sort()).toEqual([...ROLES]);
      expect(podLabelsOf(apps[0])[COMPONENT_LABEL]).toBe('all-in-one');
      const svc = find(objects, 'Service', 'dronetrack');
      expect(svc && selectorMatches(svc.spec.selector, podLabelsOf(apps[0]))).toBe(true);
      expect(ofKind(objects, 'Service').filter((s) => /^dronetrack-(ingest|processor|web)$/.test(s.metadata.name))).toEqual([]);
    });

    it('runs Redis (AOF, noeviction) and MongoDB 7 in-cluster as StatefulSets with persistent volumes', () => {
      const objects = out('dev');
      const redis = find(objects, 'StatefulSet', 'dronetrack-redis')!;
      const mongo = find(objects, 'StatefulSet', 'dronetrack-mongodb')!;
      expect(redis).toBeDefined();
      expect(mongo).toBeDefined();
      expect(redis.spec.template.spec.containers[0].image).toMatch(/^redis:7(\.|$)/);
      expect(mongo.spec.template.spec.containers[0].image).toMatch(/^mongo:7(\.|$)/);
      for (const sts of [redis, mongo]) {
        expect(sts.spec.volumeClaimTemplates?.length).toBeGreaterThan(0);
        const claim = sts.spec.volumeClaimTemplates[0].metadata.name;
        expect(sts.spec.template.spec.containers[0].volumeMounts.map((m: { name: string }) => m.name)).toContain(claim);
      }
    });

    it.each([
      ['dronetrack-redis', 'redis/redis.conf', ['redis-server', '{file}']],
      ['dronetrack-mongodb', 'mongodb/mongod.conf', ['mongod', '--config', '{file}']],
    ])('runs %s with config/%s, mounted read-only from its generated ConfigMap, byte for byte', (name, file, argv) => {
      const objects = out('dev');
      const sts = find(objects, 'StatefulSet', name)!;
      const spec = podSpecOf(sts)!;
      const c = spec.containers[0];
      const started: string[] = [...(c.command ?? []), ...(c.args ?? [])];
      const path = started[argv.indexOf('{file}')];
      expect(started).toEqual(argv.map((a) => (a === '{file}' ? path : a)));
      const base = path.slice(path.lastIndexOf('/') + 1);
      const dir = path.slice(0, path.lastIndexOf('/'));
      expect(base).toBe(file.slice(file.lastIndexOf('/') + 1));
      const mount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === dir);
      expect(mount?.readOnly).toBe(true);
      const volume = spec.volumes.find((v: { name: string }) => v.name === mount.name);
      const cm = find(objects, 'ConfigMap', volume?.configMap?.name);
      expect(cm?.metadata.name).toMatch(new RegExp(`^${name}-config-[a-z0-9]{10}$`)); // generated: a change rolls the pod
      expect(cm!.data[base]).toBe(readFileSync(join(REPO_ROOT, 'config', file), 'utf8'));
      expect(Object.keys(cm!.data)).toEqual([base]);
    });

    it('keeps Redis below its container memory limit with noeviction and AOF (config/redis/redis.conf)', () => {
      const objects = out('dev');
      const redis = find(objects, 'StatefulSet', 'dronetrack-redis')!;
      const conf = readFileSync(join(REPO_ROOT, 'config/redis/redis.conf'), 'utf8');
      const setting = (key: string) => new RegExp(`^${key}\\s+(\\S+)\\s*$`, 'm').exec(conf)?.[1];
      expect(setting('appendonly')).toBe('yes');
      expect(setting('maxmemory-policy')).toBe('noeviction');
      const [, n, unit] = /^(\d+)(mb|gb)$/.exec(setting('maxmemory') ?? '')!;
      const limit = parseQuantity(redis.spec.template.spec.containers[0].resources.limits.memory)!;
      expect(Number(n) * 2 ** (unit === 'gb' ? 30 : 20)).toBeLessThan(limit);
      // dir is the persistent volume.
      const data = redis.spec.template.spec.containers[0].volumeMounts.find(
        (m: { name: string }) => m.name === redis.spec.volumeClaimTemplates[0].metadata.name,
      );
      expect(setting('dir')).toBe(data.mountPath);
    });

    it("keeps MongoDB's data on its persistent volume and its cache below the container limit (config/mongodb/mongod.conf)", () => {
      const mongo = find(out('dev'), 'StatefulSet', 'dronetrack-mongodb')!;
      const conf = parse(readFileSync(join(REPO_ROOT, 'config/mongodb/mongod.conf'), 'utf8'));
      const c = mongo.spec.template.spec.containers[0];
      const data = c.volumeMounts.find((m: { name: string }) => m.name === mongo.spec.volumeClaimTemplates[0].metadata.name);
      expect(conf.storage.dbPath).toBe(data.mountPath);
      expect(conf.storage.wiredTiger.engineConfig.cacheSizeGB * 2 ** 30).toBeLessThan(parseQuantity(c.resources.limits.memory)! / 2);
    });

    it('points the all-roles process at the in-cluster Redis and MongoDB through the generated Secret', () => {
      const objects = out('dev');
      const app = appDeployments(objects)[0];
      const env = app.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
      const secretName = env.find((e) => e.name === 'REDIS_URL')?.valueFrom?.secretKeyRef?.name;
      expect(secretName).toMatch(new RegExp(`^${SECRET_NAME}-`));
      for (const key of SECRET_KEYS) expect(secretValue(objects, secretName!, key)).toBeTruthy();
      for (const [key, service] of [
        ['REDIS_URL', 'dronetrack-redis'],
        ['MONGO_URL', 'dronetrack-mongodb'],
      ] as const) {
        const url = new URL(secretValue(objects, secretName!, key)!);
        const svc = find(objects, 'Service', url.hostname);
        expect(svc?.metadata.name).toBe(service);
        expect(svc!.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(url.port));
      }
    });
  });

  describe.each(SPLIT_OVERLAYS)('split roles: %s', (overlay) => {
    it('runs one Deployment per role, each with ROLES equal to its component', () => {
      const objects = out(overlay);
      const apps = appDeployments(objects);
      expect(apps.map((d) => d.metadata.name).sort()).toEqual(ROLES.map((r) => `dronetrack-${r}`));
      for (const d of apps) {
        const { facts } = appWorkloadProblems(d, objects);
        expect(facts?.roles).toEqual([d.metadata.name.replace('dronetrack-', '')]);
      }
    });

    it('uses managed datastores: no in-cluster StatefulSet, URLs from the operator-provided Secret', () => {
      const objects = out(overlay);
      expect(ofKind(objects, 'StatefulSet').map(ref)).toEqual([]);
      for (const d of appDeployments(objects)) {
        const env = d.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
        for (const key of SECRET_KEYS)
          expect([key, env.find((e) => e.name === key)?.valueFrom?.secretKeyRef?.name]).toEqual([key, SECRET_NAME]);
      }
    });

    it('autoscales every role on CPU (autoscaling/v2) and leaves the replica count to the HPA', () => {
      const objects = out(overlay);
      for (const role of ROLES) {
        const hpas = ofKind(objects, 'HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.name === `dronetrack-${role}`);
        expect([role, hpas.length]).toEqual([role, 1]);
        const hpa = hpas[0];
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
        expect(hpa.spec.metrics).toEqual(
          expect.arrayContaining([expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) })]),
        );
        // Two pods at least, so that a PDB of maxUnavailable 1 never takes a role down.
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
        const deployment = find(objects, 'Deployment', `dronetrack-${role}`)!;
        expect([role, deployment.spec.replicas]).toEqual([role, undefined]);
      }
    });

    it('has a PodDisruptionBudget per role that lets nodes drain', () => {
      const objects = out(overlay);
      for (const role of ROLES) {
        const deployment = find(objects, 'Deployment', `dronetrack-${role}`)!;
        const pdbs = ofKind(objects, 'PodDisruptionBudget').filter((p) => selectorMatches(p.spec.selector, podLabelsOf(deployment)));
        expect([role, pdbs.length]).toEqual([role, 1]);
        expect(pdbs[0].apiVersion).toBe('policy/v1');
        // minAvailable equal to the replica count would block every drain.
        expect(pdbs[0].spec.maxUnavailable ?? 0).toBeGreaterThanOrEqual(1);
      }
    });

    it('network policies: default deny; ingest and web from the ingress controller only; processor from nowhere; datastores from app pods only', () => {
      const objects = out(overlay);
      const policies = ofKind(objects, 'NetworkPolicy');
      const defaultDeny = policies.filter(
        (p) =>
          Object.keys(p.spec.podSelector ?? {}).length === 0 && p.spec.policyTypes?.includes('Ingress') && !(p.spec.ingress?.length > 0),
      );
      expect(defaultDeny.length).toBe(1);
      for (const role of ROLES) {
        const labels = podLabelsOf(find(objects, 'Deployment', `dronetrack-${role}`)!);
        const rules = ingressRulesFor(objects, labels);
        expect([role, rules === null]).toEqual([role, false]);
        if (role === 'processor') {
          expect([role, rules]).toEqual([role, []]);
          continue;
        }
        expect(rules!.length).toBeGreaterThan(0);
        for (const rule of rules!) {
          // Traffic from the ingress controller's namespace, to the app port only.
          expect(rule.from?.length).toBeGreaterThan(0);
          for (const peer of rule.from) expect(Object.keys(peer)).toEqual(['namespaceSelector']);
          expect(rule.ports?.map((p: { port: string | number }) => p.port)).toEqual(['http']);
        }
      }
      const appPods = appDeployments(objects).map(podLabelsOf);
      for (const labels of [
        { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/component': 'queue', 'app.kubernetes.io/part-of': 'dronetrack' },
        { 'app.kubernetes.io/name': 'mongodb', 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/part-of': 'dronetrack' },
      ]) {
        const rules = ingressRulesFor(objects, labels);
        expect(rules?.length).toBeGreaterThan(0);
        for (const rule of rules!) {
          for (const peer of rule.from ?? [{}]) {
            expect(Object.keys(peer)).toEqual(['podSelector']);
            expect(appPods.every((pod) => selectorMatches(peer.podSelector, pod))).toBe(true);
            expect(selectorMatches(peer.podSelector, labels)).toBe(false);
          }
        }
      }
    });

    it('routes /api/v1/telemetry to ingest and everything else to web through one Ingress', () => {
      const objects = out(overlay);
      const ingresses = ofKind(objects, 'Ingress');
      expect(ingresses.length).toBe(1);
      const spec = ingresses[0].spec;
      expect(spec.rules.length).toBe(1);
      const host: string = spec.rules[0].host;
      expect(host).toMatch(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
      expect(spec.tls?.[0]?.hosts).toEqual([host]);
      const routes = spec.rules[0].http.paths.map((p: { path: string; pathType: string; backend: { service: { name: string } } }) => [
        p.path,
        p.pathType,
        p.backend.service.name,
      ]);
      expect(routes).toEqual([
        ['/api/v1/telemetry', 'Prefix', 'dronetrack-ingest'],
        ['/', 'Prefix', 'dronetrack-web'],
      ]);
    });
  });

  describe.each(REGIONS)('region %s', (region) => {
    const overlay: OverlayName = `regions/${region}`;

    it('sets REGION in the ConfigMap and the dronetrack.io/region label on every object and pod', () => {
      const objects = out(overlay);
      const configs = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.name.startsWith('dronetrack-config'));
      expect(configs.map((c) => c.data.REGION)).toEqual([region]);
      const unlabeled = objects.filter((o) => o.metadata.labels?.['dronetrack.io/region'] !== region).map(ref);
      expect(unlabeled).toEqual([]);
      for (const w of workloads(objects)) expect([ref(w), podLabelsOf(w)['dronetrack.io/region']]).toEqual([ref(w), region]);
      // The process reads its config from the same ConfigMap.
      for (const d of appDeployments(objects)) {
        const refs = (podSpecOf(d)!.containers[0].envFrom ?? []).map((e: { configMapRef?: { name: string } }) => e.configMapRef?.name);
        expect(refs).toContain(configs[0].metadata.name);
      }
    });

    it('has its own host and replica bounds, and no image tag of its own', () => {
      const objects = out(overlay);
      const kustomization = readKustomization(`overlays/${overlay}`);
      expect(kustomization.images).toBeUndefined();
      const host = (o: K8sObject[]) => ofKind(o, 'Ingress')[0].spec.rules[0].host as string;
      expect(host(objects)).toContain(region);
      const others = SPLIT_OVERLAYS.filter((o) => o !== overlay).map((o) => host(out(o)));
      expect(others).not.toContain(host(objects));
      // Replica bounds are the region's own decision: it patches every HPA explicitly.
      const patched = (kustomization.patches ?? [])
        .filter((p: { target?: { kind?: string } }) => p.target?.kind === 'HorizontalPodAutoscaler')
        .map((p: { target: { name: string } }) => p.target.name)
        .sort();
      expect(patched).toEqual(ROLES.map((r) => `dronetrack-${r}`));
    });
  });

  it('every app container runs the one pinned image in every overlay', () => {
    const pin = (readKustomization('components/app-pod').images as { name: string; newName: string; newTag: string }[])[0];
    for (const overlay of OVERLAYS) {
      for (const d of appDeployments(out(overlay))) {
        expect([overlay, ref(d), podSpecOf(d)!.containers[0].image]).toEqual([overlay, ref(d), `${pin.newName}:${pin.newTag}`]);
      }
    }
  });

  it('every app container runs the same start command in every overlay', () => {
    const commands = new Set(
      OVERLAYS.flatMap((o) =>
        appDeployments(out(o)).map((d) =>
          JSON.stringify([...(podSpecOf(d)!.containers[0].command ?? []), ...(podSpecOf(d)!.containers[0].args ?? [])]),
        ),
      ),
    );
    expect([...commands]).toEqual([JSON.stringify(['node', 'dist/src/main.js'])]);
  });
});

describe('kustomize/ layout (as written)', () => {
  it('pins the image tag in exactly one place', () => {
    const pins = KUSTOMIZATIONS.flatMap((f) =>
      ((parse(f.text)?.images ?? []) as { name: string; newName?: string; newTag?: string; digest?: string }[])
        .filter((i) => i.newTag !== undefined || i.digest !== undefined)
        .map((i) => ({ ...i, path: f.path })),
    );
    expect(pins.map((p) => `${p.path}: ${p.name}`)).toEqual(['components/app-pod/kustomization.yaml: dronetrack']);
    const { newName, newTag } = pins[0];
    expect(newName && newTag).toBeTruthy();
    // The tag's text appears nowhere else under kustomize/ (no second pin, no stale copy in a comment or README).
    const mentions = KUSTOMIZE_FILES.flatMap((f) => f.text.split('\n').map((line, i) => ({ at: `${f.path}:${i + 1}`, line }))).filter((l) =>
      l.line.includes(newTag!),
    );
    expect(mentions.map((m) => m.at)).toEqual([expect.stringMatching(/^components\/app-pod\/kustomization\.yaml:/)]);
    // Manifests name the image only by its placeholder.
    const literal = YAML_FILES.filter((f) =>
      new RegExp(`image:\\s*["']?${newName!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`).test(f.text),
    ).map((f) => f.path);
    expect(literal).toEqual([]);
  });

  it('composes variants from components: no $patch: delete, no renamed objects', () => {
    const deletes = YAML_FILES.filter((f) => /\$patch:\s*delete/.test(f.text)).map((f) => f.path);
    expect(deletes).toEqual([]);
    const renames = KUSTOMIZATIONS.filter((f) => /path:\s*\/metadata\/name\b/.test(f.text)).map((f) => f.path);
    expect(renames).toEqual([]);
    // dev and production start from the same base and differ only in the components they list.
    for (const variant of ['dev', 'production']) {
      const k = readKustomization(`overlays/${variant}`);
      expect([variant, k.resources]).toEqual([variant, ['../../base']]);
      expect(k.components?.length).toBeGreaterThan(0);
    }
    expect(readKustomization('overlays/dev').components).toContain('../../components/all-in-one');
    expect(readKustomization('overlays/production').components).toContain('../../components/split-roles');
  });

  it('states the shared pod spec once: a role Deployment carries only what differs, and the shared spec never overrides it', () => {
    const allowed = [
      /^(apiVersion|kind|metadata\.name|metadata\.labels\..+|spec\.replicas|spec\.selector\.matchLabels\..+|spec\.template\.metadata\.labels\..+)$/,
      /^spec\.template\.spec\.containers\[dronetrack\]\.(name|env\[ROLES\]\.(name|value)|resources\..+)$/,
    ];
    const shared = parseAllDocuments(readFileSync(join(COMPONENTS_DIR, SHARED_POD_SPEC), 'utf8'))[0].toJS() as K8sObject;
    const sharedPaths = new Set(leafPaths(shared));
    for (const file of ROLE_FILES) {
      const deployments = parseAllDocuments(readFileSync(join(COMPONENTS_DIR, file), 'utf8'))
        .map((d) => d.toJS() as K8sObject)
        .filter((o) => o.kind === 'Deployment');
      expect([file, deployments.length]).toEqual([file, 1]);
      const paths = leafPaths(deployments[0]);
      expect([file, paths.filter((p) => !allowed.some((re) => re.test(p)))]).toEqual([file, []]);
      expect(paths).toContain('spec.template.spec.containers[dronetrack].env[ROLES].value');
      // A field set in both would silently take the shared value (the patch wins): only the keys that pair
      // them up may repeat (and metadata.name, a placeholder in the patch: its target selects by label).
      const overlap = paths.filter(
        (p) => sharedPaths.has(p) && !['apiVersion', 'kind', 'metadata.name', 'spec.template.spec.containers[dronetrack].name'].includes(p),
      );
      expect([file, overlap]).toEqual([file, []]);
    }
    // What the shared spec covers: everything the process rules need, except ROLES and resources.
    for (const p of [
      'spec.template.spec.securityContext.runAsNonRoot',
      'spec.template.spec.containers[dronetrack].readinessProbe.httpGet.path',
      'spec.template.spec.containers[dronetrack].command[0]',
    ]) {
      expect(sharedPaths).toContain(p);
    }
    // It reaches every dronetrack Deployment through a label selector, not a list of names.
    const appPod = readKustomization('components/app-pod');
    expect(appPod.patches).toEqual([
      expect.objectContaining({
        path: 'pod.yaml',
        target: expect.objectContaining({ kind: 'Deployment', labelSelector: 'app.kubernetes.io/name=dronetrack' }),
      }),
    ]);
    for (const role of ['split-roles', 'all-in-one'])
      expect([role, readKustomization(`components/${role}`).components]).toEqual([role, ['../app-pod']]);
  });

  it('documents the layout: kustomize/README.md, a README.md per component, and every component is used', () => {
    const readme = KUSTOMIZE_FILES.find((f) => f.path === 'README.md');
    expect(readme?.text).toMatch(/kubectl apply -k/);
    const used = new Set(
      KUSTOMIZATIONS.flatMap((f) => ((parse(f.text)?.components ?? []) as string[]).map((c) => c.replace(/^(\.\.\/)+(components\/)?/, ''))),
    );
    for (const component of COMPONENTS) {
      const own = KUSTOMIZE_FILES.find((f) => f.path === `components/${component}/README.md`);
      expect([component, (own?.text.length ?? 0) > 200]).toEqual([component, true]);
      expect([component, readme!.text.includes(`${component}/`)]).toEqual([component, true]);
      expect([component, used.has(component)]).toEqual([component, true]);
      expect([component, readKustomization(`components/${component}`).kind]).toEqual([component, 'Component']);
    }
  });
});
