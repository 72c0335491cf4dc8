import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, ROLE_NAMES, type AppConfig } from '../../../libs/config/app-config.js';
import { REPO_ROOT, ref, type K8sObject } from './kustomize.js';

/**
 * The rules every rendered overlay is held to. Each check returns a list of problems (empty:
 * fine) so that a failing test names every violation at once, and so that rules.spec.ts can
 * prove the checks catch what they claim to catch.
 */

export const APP_NAME_LABEL = 'app.kubernetes.io/name';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const APP_NAME = 'dronetrack';
export const SECRET_NAME = 'dronetrack-secrets';
export const SECRET_KEYS = ['REDIS_URL', 'MONGO_URL', 'JWT_SECRET', 'ADMIN_TOKEN'] as const;
/** The start command of the image (Dockerfile CMD) and of every app container. */
export const START_COMMAND = ['node', 'dist/src/main.js'];
/** Non-secret variables the manifests may set that the process does not read itself. */
export const EXTRA_ENV = new Set(['NODE_OPTIONS', 'NODE_ENV', 'TZ']);

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export type Containerish = Record<string, any>;
type PodSpec = Record<string, any>;

export function podSpecOf(o: K8sObject): PodSpec | null {
  if (o.kind === 'Pod') return o.spec ?? null;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec ?? null;
  if (WORKLOAD_KINDS.has(o.kind)) return o.spec?.template?.spec ?? null;
  return null;
}

export function podLabelsOf(o: K8sObject): Record<string, string> {
  if (o.kind === 'Pod') return o.metadata?.labels ?? {};
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return o.spec?.template?.metadata?.labels ?? {};
}

export function workloads(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
}

/** The dronetrack process itself (not Redis, not MongoDB). */
export function appDeployments(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === 'Deployment' && podLabelsOf(o)[APP_NAME_LABEL] === APP_NAME);
}

export function allContainers(spec: PodSpec): Containerish[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

// ---------------------------------------------------------------------------------------------
// Environment, as the kubelet would build it.

export type EnvValue = { kind: 'literal'; value: string } | { kind: 'secret'; secret: string; key: string; optional: boolean };

export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

/** The container's effective environment (envFrom first, then env, later entries win). */
export function effectiveEnv(container: Containerish, objects: K8sObject[], problems: string[] = []): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  for (const from of container.envFrom ?? []) {
    const prefix: string = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = find(objects, 'ConfigMap', from.configMapRef.name);
      if (!cm) {
        if (!from.configMapRef.optional) problems.push(`envFrom ConfigMap "${from.configMapRef.name}" is not in the rendered output`);
        continue;
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env.set(prefix + k, { kind: 'literal', value: String(v) });
    }
    if (from.secretRef) {
      const secret = find(objects, 'Secret', from.secretRef.name);
      const keys = secret ? Object.keys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) }) : [...SECRET_KEYS];
      for (const k of keys)
        env.set(prefix + k, { kind: 'secret', secret: from.secretRef.name, key: k, optional: !!from.secretRef.optional });
    }
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom?.secretKeyRef) {
      const r = e.valueFrom.secretKeyRef;
      env.set(e.name, { kind: 'secret', secret: r.name, key: r.key, optional: !!r.optional });
    } else if (e.valueFrom?.configMapKeyRef) {
      const r = e.valueFrom.configMapKeyRef;
      const v = find(objects, 'ConfigMap', r.name)?.data?.[r.key];
      if (v === undefined) problems.push(`env ${e.name}: ConfigMap key ${r.name}/${r.key} is not in the rendered output`);
      else env.set(e.name, { kind: 'literal', value: String(v) });
    } else if (e.valueFrom) {
      env.set(e.name, { kind: 'literal', value: '' }); // fieldRef/resourceFieldRef: runtime values
    } else {
      env.set(e.name, { kind: 'literal', value: e.value ?? '' });
    }
  }
  return env;
}

export function secretValue(objects: K8sObject[], name: string, key: string): string | undefined {
  const secret = find(objects, 'Secret', name);
  if (!secret) return undefined;
  if (secret.stringData?.[key] !== undefined) return String(secret.stringData[key]);
  if (secret.data?.[key] !== undefined) return Buffer.from(String(secret.data[key]), 'base64').toString('utf8');
  return undefined;
}

/** Stand-ins for an operator-provided Secret, shaped to pass the process's own validation. */
const EXTERNAL_SECRET_SAMPLE: Record<string, string> = {
  REDIS_URL: 'redis://redis.example.internal:6379',
  MONGO_URL: 'mongodb://mongo.example.internal:27017/dronetrack',
  JWT_SECRET: 'x'.repeat(48),
  ADMIN_TOKEN: 'y'.repeat(32),
};

/** Plain env object for loadConfig(): generated secrets are read, external ones replaced by samples. */
export function envForProcess(env: Map<string, EnvValue>, objects: K8sObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of env) {
    if (v.kind === 'literal') out[k] = v.value;
    else out[k] = secretValue(objects, v.secret, v.key) ?? EXTERNAL_SECRET_SAMPLE[v.key] ?? 'sample';
  }
  return out;
}

/**
 * Every variable name the process's configuration reads, parsed from the sources of libs/config
 * (app-config.ts, env-reader.ts...): the EnvReader calls (`read.int('PORT', ...)`;
 * `read.rateLimit('X', ...)` reads X_MAX and X_WINDOW_SECONDS) and direct reads of the env object
 * (`env.UV_THREADPOOL_SIZE`, `env['NAME']`).
 */
export function envNamesReadByProcess(): Set<string> {
  const dir = join(REPO_ROOT, 'libs/config');
  const src = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const names = new Set<string>();
  for (const m of src.matchAll(/read\.(\w+)\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g)) {
    if (m[1] === 'rateLimit') {
      names.add(`${m[2]}_MAX`);
      names.add(`${m[2]}_WINDOW_SECONDS`);
    } else {
      names.add(m[2]);
    }
  }
  for (const m of src.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g)) names.add(m[1] ?? m[2]);
  return names;
}

// ---------------------------------------------------------------------------------------------
// Quantities and commands.

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function parseQuantity(q: unknown): number | null {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return null;
  const m = /^([+-]?\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return null;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * SUFFIX[m[3] ?? ''];
}

/** Seconds a preStop hook holds the pod before SIGTERM, or null when it cannot be known offline. */
export function preStopSeconds(container: Containerish): number | null {
  const pre = container.lifecycle?.preStop;
  if (!pre) return null;
  if (pre.sleep && Number.isInteger(pre.sleep.seconds)) return pre.sleep.seconds;
  const cmd: string[] | undefined = pre.exec?.command;
  if (cmd && /^(\/usr)?\/bin\/sleep$|^sleep$/.test(cmd[0] ?? '') && cmd.length === 2 && /^\d+$/.test(cmd[1])) return Number(cmd[1]);
  return null;
}

/** The argv the container runs, given the image's ENTRYPOINT and CMD (Kubernetes semantics). */
export function containerArgv(container: Containerish, image: { entrypoint: string[]; cmd: string[] }): string[] {
  if (container.command) return [...container.command, ...(container.args ?? [])];
  return [...image.entrypoint, ...(container.args ?? image.cmd)];
}

export function imageProblems(image: unknown): string[] {
  if (typeof image !== 'string' || image === '') return ['no image'];
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return [];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return [`image "${image}" has no tag (pin it with kustomize images:)`];
  const tag = lastSegment.slice(colon + 1);
  if (tag === 'latest') return [`image "${image}" uses the floating tag "latest"`];
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) return [`image "${image}" has an invalid tag`];
  return [];
}

// ---------------------------------------------------------------------------------------------
// Pod Security Standard "restricted" (pod-security.kubernetes.io/enforce: restricted, latest).

const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export function restrictedProblems(o: K8sObject): string[] {
  const spec = podSpecOf(o);
  if (!spec) return [];
  const p: string[] = [];
  const name = ref(o);
  const podSc = spec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[f] === true) p.push(`${name}: ${f} is not allowed`);
  }
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUME_TYPES.has(type)) p.push(`${name}: volume ${v.name} of type ${type} is not allowed`);
  }
  if (podSc.runAsUser === 0) p.push(`${name}: pod runAsUser 0`);
  for (const c of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    const where = `${name} container ${c.name}`;
    if (sc.privileged === true) p.push(`${where}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) p.push(`${where}: allowPrivilegeEscalation must be false`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) p.push(`${where}: capabilities must drop ALL`);
    const add: string[] = sc.capabilities?.add ?? [];
    if (add.some((cap) => cap !== 'NET_BIND_SERVICE')) p.push(`${where}: capabilities.add beyond NET_BIND_SERVICE`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) p.push(`${where}: runAsNonRoot must be true (container or pod)`);
    if (sc.runAsUser === 0) p.push(`${where}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') p.push(`${where}: seccompProfile must be RuntimeDefault or Localhost`);
    if (sc.procMount && sc.procMount !== 'Default') p.push(`${where}: procMount`);
    for (const port of c.ports ?? []) if (port.hostPort) p.push(`${where}: hostPort ${port.hostPort}`);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// The dronetrack process' own rules.

export interface AppContainerFacts {
  roles: string[];
  config: AppConfig | null;
  preStop: number | null;
  argv: string[] | null;
}

export function parseRoles(value: string): string[] | null {
  const roles = value.split(',').map((r) => r.trim());
  if (roles.length === 0 || roles.some((r) => !(ROLE_NAMES as readonly string[]).includes(r))) return null;
  if (new Set(roles).size !== roles.length) return null;
  return roles;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Rules for one dronetrack Deployment: roles, probes, resources, security, shutdown timing,
 * secrets and configuration (validated by the process's own loadConfig()).
 */
export function appWorkloadProblems(o: K8sObject, objects: K8sObject[]): { problems: string[]; facts: AppContainerFacts | null } {
  const p: string[] = [];
  const name = ref(o);
  const spec = podSpecOf(o);
  if (!spec) return { problems: [`${name}: no pod template`], facts: null };
  const containers: Containerish[] = spec.containers ?? [];
  const app = containers.find((c) => c.name === APP_NAME) ?? containers[0];
  if (!app) return { problems: [`${name}: no container`], facts: null };
  const where = `${name} container ${app.name}`;

  // Roles: explicit, valid, consistent with the component label.
  const roleEnv = (app.env ?? []).find((e: Containerish) => e.name === 'ROLES');
  let roles: string[] = [];
  if (!roleEnv || roleEnv.valueFrom || typeof roleEnv.value !== 'string') {
    p.push(`${where}: ROLES must be set explicitly in env (a literal value)`);
  } else {
    const parsed = parseRoles(roleEnv.value);
    if (!parsed) p.push(`${where}: ROLES="${roleEnv.value}" is not a comma list of ${ROLE_NAMES.join(', ')}`);
    else roles = parsed;
  }
  const component = podLabelsOf(o)[COMPONENT_LABEL];
  const expectedComponent = roles.length === ROLE_NAMES.length ? 'all-in-one' : roles.length === 1 ? roles[0] : roles.join('-');
  if (roles.length > 0 && component !== expectedComponent) {
    p.push(`${name}: pod label ${COMPONENT_LABEL}="${component}" should be "${expectedComponent}" for ROLES=${roles.join(',')}`);
  }
  for (const label of [APP_NAME_LABEL, COMPONENT_LABEL]) {
    if (!o.metadata?.labels?.[label]) p.push(`${name}: metadata label ${label} missing`);
    if (!o.spec?.selector?.matchLabels?.[label]) p.push(`${name}: selector label ${label} missing`);
  }

  // Environment and configuration.
  const envProblems: string[] = [];
  const env = effectiveEnv(app, objects, envProblems);
  p.push(...envProblems.map((e) => `${where}: ${e}`));
  for (const key of SECRET_KEYS) {
    const v = env.get(key);
    if (!v) p.push(`${where}: ${key} is not set (from Secret ${SECRET_NAME})`);
    else if (v.kind !== 'secret') p.push(`${where}: ${key} must come from a Secret, not a literal`);
    else if (v.optional) p.push(`${where}: ${key} must not be optional`);
    else if (v.key !== key) p.push(`${where}: ${key} reads Secret key ${v.key}`);
    else if (!find(objects, 'Secret', v.secret) && v.secret !== SECRET_NAME) {
      p.push(`${where}: ${key} reads Secret "${v.secret}", which is neither rendered nor the operator-provided "${SECRET_NAME}"`);
    }
  }
  const known = envNamesReadByProcess();
  for (const [k, v] of env) {
    if (v.kind === 'literal' && !known.has(k) && !EXTRA_ENV.has(k)) p.push(`${where}: env ${k} is not read by the process (typo?)`);
  }
  for (const cm of objects.filter(
    (x) => x.kind === 'ConfigMap' && (app.envFrom ?? []).some((f: Containerish) => f.configMapRef?.name === x.metadata.name),
  )) {
    if ('ROLES' in (cm.data ?? {})) p.push(`${ref(cm)}: must not set ROLES (each container sets its own)`);
  }
  let config: AppConfig | null = null;
  try {
    config = loadConfig(envForProcess(env, objects));
  } catch (e) {
    p.push(`${where}: the process would refuse this configuration: ${(e as Error).message}`);
  }

  // Command.
  if (!Array.isArray(app.command)) p.push(`${where}: command must be set explicitly (${JSON.stringify(START_COMMAND)})`);
  const argv = Array.isArray(app.command) ? [...app.command, ...(app.args ?? [])] : null;
  if (argv && JSON.stringify(argv) !== JSON.stringify(START_COMMAND))
    p.push(`${where}: runs ${JSON.stringify(argv)}, expected ${JSON.stringify(START_COMMAND)}`);

  // Image.
  p.push(...imageProblems(app.image).map((e) => `${where}: ${e}`));
  if (typeof app.image === 'string' && /^dronetrack(:|$)/.test(app.image))
    p.push(`${where}: image "${app.image}" is the unresolved placeholder`);

  // Port and probes.
  const httpPort = (app.ports ?? []).find((x: Containerish) => x.name === 'http');
  if (!httpPort) p.push(`${where}: needs a container port named http`);
  else if (config && httpPort.containerPort !== config.port)
    p.push(`${where}: containerPort ${httpPort.containerPort} != PORT ${config.port}`);
  const probe = (kind: 'readinessProbe' | 'livenessProbe', path: string) => {
    const pr = app[kind];
    if (!pr?.httpGet) return p.push(`${where}: ${kind} must be an httpGet probe on ${path}`);
    if (pr.httpGet.path !== path) p.push(`${where}: ${kind} path is ${pr.httpGet.path}, expected ${path}`);
    const port = pr.httpGet.port;
    const ok = typeof port === 'string' ? (app.ports ?? []).some((x: Containerish) => x.name === port) : port === config?.port;
    if (!ok) p.push(`${where}: ${kind} port ${port} is not the process's port`);
  };
  probe('readinessProbe', '/health/ready');
  probe('livenessProbe', '/health/live');
  if (app.startupProbe?.httpGet && app.startupProbe.httpGet.path !== '/health/live') p.push(`${where}: startupProbe must use /health/live`);

  // Resources.
  for (const r of ['cpu', 'memory']) {
    const req = parseQuantity(app.resources?.requests?.[r]);
    const lim = parseQuantity(app.resources?.limits?.[r]);
    if (req === null || req <= 0) p.push(`${where}: resources.requests.${r} missing`);
    if (lim === null || lim <= 0) p.push(`${where}: resources.limits.${r} missing`);
    if (req !== null && lim !== null && req > lim) p.push(`${where}: requests.${r} > limits.${r}`);
  }

  // Security: the restricted profile plus the project's stricter rules, at pod and container level.
  p.push(...restrictedProblems(o));
  const podSc = spec.securityContext ?? {};
  const sc = app.securityContext ?? {};
  if (podSc.runAsNonRoot !== true) p.push(`${name}: pod securityContext.runAsNonRoot must be true`);
  if (podSc.seccompProfile?.type !== 'RuntimeDefault') p.push(`${name}: pod securityContext.seccompProfile must be RuntimeDefault`);
  if (sc.seccompProfile?.type !== 'RuntimeDefault') p.push(`${where}: securityContext.seccompProfile must be RuntimeDefault`);
  if (sc.runAsNonRoot !== true) p.push(`${where}: securityContext.runAsNonRoot must be true`);
  for (const [label, v] of [
    ['runAsUser', sc.runAsUser ?? podSc.runAsUser],
    ['runAsGroup', sc.runAsGroup ?? podSc.runAsGroup],
  ] as const) {
    if (!isInt(v) || v <= 0) p.push(`${where}: ${label} must be a numeric non-root id`);
  }
  if (sc.readOnlyRootFilesystem !== true) p.push(`${where}: readOnlyRootFilesystem must be true`);
  if (sc.allowPrivilegeEscalation !== false) p.push(`${where}: allowPrivilegeEscalation must be false`);
  if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]') p.push(`${where}: capabilities.drop must be ["ALL"]`);

  // Writable paths: /tmp always, DATA_DIR when set, both from emptyDir (or a PVC).
  const mountFor = (path: string) => {
    const m = (app.volumeMounts ?? []).find((x: Containerish) => x.mountPath === path && !x.readOnly);
    const v = m && (spec.volumes ?? []).find((x: Containerish) => x.name === m.name);
    return v && (v.emptyDir || v.persistentVolumeClaim || v.ephemeral) ? v : null;
  };
  if (!mountFor('/tmp')?.emptyDir) p.push(`${where}: needs a writable emptyDir at /tmp`);
  const dataDir = env.get('DATA_DIR');
  if (dataDir?.kind === 'literal' && !mountFor(dataDir.value)) p.push(`${where}: DATA_DIR ${dataDir.value} is not a writable volume mount`);

  // Service account: no API token.
  if (spec.automountServiceAccountToken !== false) p.push(`${name}: automountServiceAccountToken must be false`);
  const sa = find(objects, 'ServiceAccount', spec.serviceAccountName ?? 'default');
  if (!sa) p.push(`${name}: ServiceAccount ${spec.serviceAccountName ?? 'default'} is not rendered`);
  else if (sa.automountServiceAccountToken !== false) p.push(`${ref(sa)}: automountServiceAccountToken must be false`);

  // Graceful shutdown: preStop, then SIGTERM and SHUTDOWN_GRACE_SECONDS, all inside the grace period.
  const preStop = preStopSeconds(app);
  if (preStop === null) p.push(`${where}: needs a preStop hook of known length (exec sleep N or sleep action)`);
  const grace = spec.terminationGracePeriodSeconds ?? 30;
  const shutdown = config?.shutdownGraceSeconds ?? 25;
  if (preStop !== null && !(grace > preStop + shutdown)) {
    p.push(`${name}: terminationGracePeriodSeconds ${grace} must exceed preStop ${preStop} + SHUTDOWN_GRACE_SECONDS ${shutdown}`);
  }

  return { problems: p, facts: { roles, config, preStop, argv } };
}

// ---------------------------------------------------------------------------------------------
// Cross-object references.

export function selectorMatches(selector: Containerish | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels: Record<string, string> = selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

export function referenceProblems(objects: K8sObject[]): string[] {
  const p: string[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (seen.has(key)) p.push(`duplicate object ${key}`);
    seen.add(key);
  }
  const pods = workloads(objects);
  for (const w of pods) {
    if (w.spec?.selector && !selectorMatches(w.spec.selector, podLabelsOf(w)))
      p.push(`${ref(w)}: selector does not match its own pod template`);
    for (const c of allContainers(podSpecOf(w) ?? {})) p.push(...imageProblems(c.image).map((e) => `${ref(w)} container ${c.name}: ${e}`));
  }
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const targets = pods.filter((w) => selectorMatches(svc.spec?.selector, podLabelsOf(w)));
    if (targets.length === 0) p.push(`${ref(svc)}: selector matches no pod template`);
    for (const port of svc.spec?.ports ?? []) {
      if (typeof port.targetPort !== 'string') continue;
      for (const w of targets) {
        const named = allContainers(podSpecOf(w) ?? {}).some((c) => (c.ports ?? []).some((x: Containerish) => x.name === port.targetPort));
        if (!named) p.push(`${ref(svc)}: targetPort ${port.targetPort} is not a port of ${ref(w)}`);
      }
    }
  }
  for (const ing of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of ing.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const s = path.backend?.service;
        const svc = s && find(objects, 'Service', s.name);
        if (!svc) p.push(`${ref(ing)}: backend Service ${s?.name} is not rendered`);
        else if (!(svc.spec?.ports ?? []).some((x: Containerish) => (s.port?.name ? x.name === s.port.name : x.port === s.port?.number))) {
          p.push(`${ref(ing)}: Service ${s.name} has no port ${s.port?.name ?? s.port?.number}`);
        }
      }
    }
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const t = hpa.spec?.scaleTargetRef;
    if (!find(objects, t?.kind, t?.name)) p.push(`${ref(hpa)}: scale target ${t?.kind}/${t?.name} is not rendered`);
    if (!(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas))
      p.push(`${ref(hpa)}: needs 1 <= minReplicas <= maxReplicas`);
  }
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const n = pods.filter((w) => selectorMatches(pdb.spec?.selector, podLabelsOf(w))).length;
    if (n !== 1) p.push(`${ref(pdb)}: selector matches ${n} workloads, expected exactly 1`);
  }
  for (const sts of objects.filter((o) => o.kind === 'StatefulSet')) {
    const svc = find(objects, 'Service', sts.spec?.serviceName);
    if (!svc) p.push(`${ref(sts)}: serviceName ${sts.spec?.serviceName} is not rendered`);
    else if (svc.spec?.clusterIP !== 'None') p.push(`${ref(sts)}: governing Service ${svc.metadata.name} must be headless`);
  }
  return p;
}

/** Which pods may receive traffic, given the rendered NetworkPolicies (null: no policy selects them). */
export function ingressRulesFor(objects: K8sObject[], podLabels: Record<string, string>): Containerish[] | null {
  const policies = objects.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      (o.spec?.policyTypes ?? ['Ingress']).includes('Ingress') &&
      selectorMatches(o.spec?.podSelector ?? {}, podLabels),
  );
  if (policies.length === 0) return null;
  return policies.flatMap((pol) => pol.spec?.ingress ?? []);
}
