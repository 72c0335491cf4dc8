import { FieldChecker, modelClassFor, schemaProblems } from './support/k8s-schema.js';
import { findKustomize, kustomizeOrSkip, renderOverlay, type K8sObject } from './support/kustomize.js';
import {
  appWorkloadProblems,
  envNamesReadByProcess,
  imageProblems,
  parseQuantity,
  referenceProblems,
  restrictedProblems,
} from './support/rules.js';

/**
 * The checks used on the rendered overlays must catch what they claim to catch: each case
 * breaks one thing in an otherwise valid web Deployment (the production overlay's, rendered by
 * kubectl kustomize: the role file plus the shared pod spec of components/app-pod) and expects
 * the matching complaint.
 */

const tool = findKustomize();
const withManifests = kustomizeOrSkip(tool) ? describe : describe.skip;

let rendered: K8sObject[] | null = null;

/** The production web Deployment with its Service, ServiceAccount and ConfigMap (a fresh copy each time). */
function fixture(): K8sObject[] {
  rendered ??= renderOverlay(tool!, 'production');
  const keep = (o: K8sObject) =>
    (['Deployment', 'Service'].includes(o.kind) && o.metadata.name === 'dronetrack-web') ||
    o.kind === 'ServiceAccount' ||
    (o.kind === 'ConfigMap' && o.metadata.name.startsWith('dronetrack-config'));
  return structuredClone(rendered.filter(keep));
}

function check(mutate: (deployment: K8sObject, objects: K8sObject[]) => void): string {
  const objects = fixture();
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  mutate(deployment, objects);
  return appWorkloadProblems(deployment, objects).problems.join('\n');
}

const app = (d: K8sObject): Record<string, any> => d.spec.template.spec.containers[0];

withManifests('deployment rules catch mistakes', () => {
  it('accept the unmodified production web Deployment', () => {
    expect(check(() => undefined)).toBe('');
  });

  it.each<[string, (d: K8sObject, objects: K8sObject[]) => void, RegExp]>([
    ['ROLES missing', (d) => (app(d).env = app(d).env.filter((e: { name: string }) => e.name !== 'ROLES')), /ROLES must be set explicitly/],
    ['ROLES invalid', (d) => (app(d).env.find((e: { name: string }) => e.name === 'ROLES').value = 'web,api'), /is not a comma list/],
    [
      'ROLES not matching the component',
      (d) => (app(d).env.find((e: { name: string }) => e.name === 'ROLES').value = 'ingest'),
      /should be "ingest"/,
    ],
    ['readiness probe on the wrong path', (d) => (app(d).readinessProbe.httpGet.path = '/health/live'), /readinessProbe path/],
    ['liveness probe missing', (d) => delete app(d).livenessProbe, /livenessProbe must be an httpGet probe/],
    ['memory limit missing', (d) => delete app(d).resources.limits.memory, /limits.memory missing/],
    ['request above limit', (d) => (app(d).resources.requests.cpu = '2'), /requests.cpu > limits.cpu/],
    ['writable root filesystem', (d) => (app(d).securityContext.readOnlyRootFilesystem = false), /readOnlyRootFilesystem/],
    ['privilege escalation', (d) => delete app(d).securityContext.allowPrivilegeEscalation, /allowPrivilegeEscalation/],
    ['capabilities kept', (d) => delete app(d).securityContext.capabilities, /drop ALL|drop must be/],
    ['no pod-level seccomp', (d) => delete d.spec.template.spec.securityContext.seccompProfile, /pod securityContext.seccompProfile/],
    ['root user', (d) => (app(d).securityContext.runAsUser = 0), /runAsUser 0|numeric non-root/],
    ['named user', (d) => (app(d).securityContext.runAsUser = 'node'), /numeric non-root/],
    ['floating image tag', (d) => (app(d).image = 'registry.example/dronetrack:latest'), /floating tag "latest"/],
    ['untagged image', (d) => (app(d).image = 'registry.example/dronetrack'), /has no tag/],
    ['unresolved placeholder', (d) => (app(d).image = 'dronetrack:0.1.0'), /unresolved placeholder/],
    ['no preStop', (d) => delete app(d).lifecycle, /preStop hook/],
    [
      'grace period too short',
      (d) => (d.spec.template.spec.terminationGracePeriodSeconds = 30),
      /must exceed preStop 5 \+ SHUTDOWN_GRACE_SECONDS 25/,
    ],
    [
      'grace period shorter than a longer drain',
      (_d, o) => (o.find((x) => x.kind === 'ConfigMap')!.data.SHUTDOWN_GRACE_SECONDS = '60'),
      /SHUTDOWN_GRACE_SECONDS 60/,
    ],
    [
      'no /tmp volume',
      (d) => (app(d).volumeMounts = app(d).volumeMounts.filter((m: { mountPath: string }) => m.mountPath !== '/tmp')),
      /emptyDir at \/tmp/,
    ],
    [
      'secret as a literal',
      (d) => (app(d).env.find((e: { name: string }) => e.name === 'JWT_SECRET')!.valueFrom = undefined),
      /JWT_SECRET must come from a Secret/,
    ],
    [
      'secret from an unknown Secret',
      (d) => (app(d).env.find((e: { name: string }) => e.name === 'MONGO_URL').valueFrom.secretKeyRef.name = 'other'),
      /neither rendered nor/,
    ],
    ['ROLES in the ConfigMap', (_d, o) => (o.find((x) => x.kind === 'ConfigMap')!.data.ROLES = 'web'), /must not set ROLES/],
    [
      'config typo',
      (_d, o) => (o.find((x) => x.kind === 'ConfigMap')!.data.SHUTDOWN_GRACE_SECOND = '25'),
      /SHUTDOWN_GRACE_SECOND is not read by the process/,
    ],
    [
      'config rejected by the process',
      (_d, o) => (o.find((x) => x.kind === 'ConfigMap')!.data.OFFLINE_AFTER_SECONDS = 'soon'),
      /would refuse this configuration.*OFFLINE_AFTER_SECONDS/s,
    ],
    ['container port other than PORT', (d) => (app(d).ports[0].containerPort = 8080), /containerPort 8080 != PORT 3000/],
    ['different start command', (d) => (app(d).command = ['npm', 'start']), /expected \["node","dist\/src\/main.js"\]/],
    ['service account token mounted', (d) => delete d.spec.template.spec.automountServiceAccountToken, /automountServiceAccountToken/],
  ])('%s', (_name, mutate, expected) => {
    expect(check(mutate)).toMatch(expected);
  });

  it('the restricted Pod Security check flags host namespaces, hostPath volumes and host ports', () => {
    const d = fixture().find((o) => o.kind === 'Deployment')!;
    d.spec.template.spec.hostNetwork = true;
    d.spec.template.spec.volumes.push({ name: 'h', hostPath: { path: '/' } });
    app(d).ports[0].hostPort = 80;
    expect(restrictedProblems(d).join('\n')).toMatch(/hostNetwork[\s\S]*hostPath[\s\S]*hostPort/);
  });

  it('the reference check flags a Service that selects nothing and an Ingress to a missing Service', () => {
    const objects = fixture();
    objects.find((o) => o.kind === 'Service')!.spec.selector['app.kubernetes.io/component'] = 'nothing';
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x' },
      spec: {
        rules: [
          { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'missing', port: { name: 'http' } } } }] } },
        ],
      },
    });
    expect(referenceProblems(objects).join('\n')).toMatch(/selector matches no pod template[\s\S]*Service missing is not rendered/);
  });
});

withManifests('schema validation catches mistakes', () => {
  const checker = new FieldChecker([
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'v1', kind: 'Service' },
  ]);

  it('rejects unknown kinds and API versions', () => {
    expect(modelClassFor('example.com/v1', 'Widget')).toBeNull();
    expect(modelClassFor('apps/v1', 'Deploymentt')).toBeNull();
    expect(modelClassFor('apps/v9', 'Deployment')).toBeNull();
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      expect.stringMatching(/unknown apiVersion\/kind/),
    ]);
  });

  it('rejects wrong types and formats', () => {
    const d = fixture().find((o) => o.kind === 'Deployment')!;
    app(d).resources.limits.cpu = 'one';
    d.spec.template.spec.terminationGracePeriodSeconds = '45';
    expect(schemaProblems(d).join('\n')).toMatch(
      /limits\/cpu[\s\S]*terminationGracePeriodSeconds|terminationGracePeriodSeconds[\s\S]*limits\/cpu/,
    );
  });

  it('rejects unknown fields at any depth, and accepts maps and int-or-string values', () => {
    const objects = fixture();
    const d = objects.find((o) => o.kind === 'Deployment')!;
    expect(checker.unknownFields(d)).toEqual([]);
    app(d).readinesProbe = app(d).readinessProbe;
    d.spec.template.spec.securityContext.runAsNonroot = true;
    d.spec.template.metadata.labels['any-label'] = 'fine';
    app(d).volumeMounts[0].mountpath = '/tmp';
    expect(checker.unknownFields(d).sort()).toEqual([
      'Deployment/dronetrack-web.spec.template.spec.containers[0].readinesProbe: unknown field',
      'Deployment/dronetrack-web.spec.template.spec.containers[0].volumeMounts[0].mountpath: unknown field',
      'Deployment/dronetrack-web.spec.template.spec.securityContext.runAsNonroot: unknown field',
    ]);
    const svc = objects.find((o) => o.kind === 'Service')!;
    svc.spec.ports[0].targetPort = 3000;
    svc.spec.porst = [];
    expect(checker.unknownFields(svc)).toEqual(['Service/dronetrack-web.spec.porst: unknown field']);
  });
});

describe('helpers', () => {
  it('parse Kubernetes quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1')).toBe(1);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('lots')).toBeNull();
  });

  it('judge image references', () => {
    expect(imageProblems('ghcr.io/dronetrack/dronetrack:0.1.0')).toEqual([]);
    expect(imageProblems('localhost:5000/dronetrack')).toEqual([expect.stringMatching(/no tag/)]);
    expect(imageProblems(`redis@sha256:${'a'.repeat(64)}`)).toEqual([]);
  });

  it('know the variables the process reads', () => {
    const names = envNamesReadByProcess();
    for (const n of ['PORT', 'ROLES', 'REDIS_URL', 'MONGO_URL', 'SHUTDOWN_GRACE_SECONDS', 'RATE_LIMIT_DEVICE_MAX'])
      expect(names).toContain(n);
  });
});
