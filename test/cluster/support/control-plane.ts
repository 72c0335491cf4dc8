/**
 * Drives scripts/kube-test-cluster.sh from the tests: a real etcd + kube-apiserver on free loopback
 * ports (no controllers, no nodes) and the kubectl built with them. The binaries are built once by
 * `scripts/kube-test-cluster.sh build` (or scripts/install-test-services.sh); the suites never build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../deploy/support/kustomize.js';
import { servicesRequired } from '../../support/services.js';

export const SCRIPT = join(REPO_ROOT, 'scripts', 'kube-test-cluster.sh');

export interface KubectlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface ControlPlane {
  kubeconfig: string;
  kubectlPath: string;
  server: string;
  dir: string;
  /** Runs the control plane's kubectl; never throws on a non-zero exit. */
  kubectl(args: string[], input?: string): KubectlResult;
  /** Runs kubectl and throws (with stderr) unless it exits 0. */
  kubectlOk(args: string[], input?: string): KubectlResult;
  stop(): void;
}

function script(args: string[], timeoutMs: number): KubectlResult {
  const r = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
}

/** The bin dir when etcd, kube-apiserver and kubectl are built for the pinned versions, else null. */
export function builtBinaries(): string | null {
  const r = script(['check'], 20_000);
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Announces missing binaries: fatal with DRONETRACK_REQUIRE_SERVICES=1, a loud warning otherwise. */
export function binariesOrSkip(bin: string | null): bin is string {
  if (bin) return true;
  const msg =
    '\n*** The Kubernetes test control plane (etcd, kube-apiserver, kubectl) is not built: the ' +
    '`kubectl apply -k` cluster suites are SKIPPED. Run `scripts/kube-test-cluster.sh build` ' +
    '(about 10 minutes cold), or set DRONETRACK_REQUIRE_SERVICES=1 to make this fatal. ***\n';
  if (servicesRequired) throw new Error(msg);
  console.warn(msg);
  return false;
}

export function startControlPlane(): ControlPlane {
  const dir = join(mkdtempSync(join(tmpdir(), 'dt-kube-')), 'cluster');
  // --owner-pid: the control plane stops by itself if this worker dies before afterAll.
  const r = script(['start', '--dir', dir, '--owner-pid', String(process.pid)], 180_000);
  if (r.status !== 0) {
    rmSync(join(dir, '..'), { recursive: true, force: true });
    throw new Error(`scripts/kube-test-cluster.sh start failed (exit ${r.status}):\n${r.stderr}`);
  }
  const vars = Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => /^([A-Z]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]]),
  );
  const env = { ...process.env, KUBECONFIG: vars.KUBECONFIG };
  const kubectl = (args: string[], input?: string): KubectlResult => {
    const k = spawnSync(vars.KUBECTL, args, { encoding: 'utf8', env, input, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { status: k.status, stdout: k.stdout ?? '', stderr: (k.stderr ?? '') + (k.error ? `\n${k.error.message}` : '') };
  };
  return {
    kubeconfig: vars.KUBECONFIG,
    kubectlPath: vars.KUBECTL,
    server: vars.SERVER,
    dir,
    kubectl,
    kubectlOk(args, input) {
      const k = kubectl(args, input);
      if (k.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${k.status}):\n${k.stderr}`);
      return k;
    },
    stop() {
      const s = script(['stop', '--dir', dir], 60_000);
      rmSync(join(dir, '..'), { recursive: true, force: true });
      if (s.status !== 0) throw new Error(`scripts/kube-test-cluster.sh stop failed:\n${s.stderr}`);
    },
  };
}
