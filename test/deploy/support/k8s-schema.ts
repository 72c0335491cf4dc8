import * as models from 'kubernetes-models';
import ts from 'typescript';
import { join } from 'node:path';
import { REPO_ROOT, type K8sObject } from './kustomize.js';

/**
 * Offline validation against the Kubernetes API schemas shipped by `kubernetes-models`:
 *  1. the model class for the object's apiVersion/kind must exist (an unknown or removed
 *     kind/version is a failure, like the API server would reject it);
 *  2. `.validate()` checks types, formats, enums and required fields (JSON schema);
 *  3. because those schemas allow unknown properties, `unknownFields()` walks the object
 *     along the package's TypeScript declarations and reports every field the API does not
 *     know (a typo such as `readinesProbe` would otherwise be dropped silently, like
 *     `kubectl apply --validate=strict` would catch with a cluster).
 */

interface ModelClass {
  new (data: unknown): { validate(): void };
  apiVersion: string;
  kind: string;
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** "networking.k8s.io" -> "networkingK8sIo", as kubernetes-models names its group namespaces. */
function groupKey(group: string): string {
  return group.replace(/[.-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function modelClassFor(apiVersion: string, kind: string): ModelClass | null {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return null;
  const { group, version } = groupVersion(apiVersion);
  const lib = models as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const groupNs = group === '' ? { [version]: lib[version] as unknown as Record<string, unknown> } : lib[groupKey(group)];
  const versionNs = groupNs?.[version] as Record<string, unknown> | undefined;
  const cls = versionNs?.[kind] as ModelClass | undefined;
  if (typeof cls !== 'function' || cls.apiVersion !== apiVersion || cls.kind !== kind) return null;
  return cls;
}

/** Problems of one object against the API schema (empty when valid). */
export function schemaProblems(o: K8sObject): string[] {
  const name = `${o?.kind}/${o?.metadata?.name}`;
  const cls = modelClassFor(o?.apiVersion, o?.kind);
  if (!cls) return [`${name}: unknown apiVersion/kind ${o?.apiVersion} ${o?.kind} (not in the Kubernetes API schemas)`];
  try {
    new cls(o).validate();
  } catch (e) {
    return [`${name}: ${(e as Error).message}`];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Unknown-field detection through the TypeScript declarations of kubernetes-models.

const VIRTUAL = join(REPO_ROOT, '__dronetrack_k8s_types__.ts');

function modulePath(apiVersion: string, kind: string): string {
  const { group, version } = groupVersion(apiVersion);
  return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

export class FieldChecker {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  /** Builds one TypeScript program that knows the declaration of every given apiVersion/kind. */
  constructor(kinds: Iterable<{ apiVersion: string; kind: string }>) {
    const unique = new Map<string, { apiVersion: string; kind: string }>();
    for (const k of kinds) if (modelClassFor(k.apiVersion, k.kind)) unique.set(`${k.apiVersion} ${k.kind}`, k);
    const entries = [...unique.values()];
    const source = entries
      .map((k, i) => `import type { I${k.kind} as T${i} } from '${modulePath(k.apiVersion, k.kind)}';\nexport declare const v${i}: T${i};`)
      .join('\n');
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      lib: ['lib.es2022.d.ts'],
    };
    const host = ts.createCompilerHost(options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (file, lang, ...rest) =>
      file === VIRTUAL ? ts.createSourceFile(file, source, lang, true) : getSourceFile(file, lang, ...rest);
    host.fileExists = (file) => file === VIRTUAL || fileExists(file);
    host.readFile = (file) => (file === VIRTUAL ? source : readFile(file));
    const program = ts.createProgram([VIRTUAL], options, host);
    this.checker = program.getTypeChecker();
    const sf = program.getSourceFile(VIRTUAL);
    if (!sf) throw new Error('FieldChecker: virtual source missing');
    const unresolved = ts.getPreEmitDiagnostics(program, sf).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    if (unresolved.length > 0) throw new Error(`FieldChecker: cannot load type declarations:\n${unresolved.join('\n')}`);
    let i = 0;
    for (const stmt of sf.statements) {
      if (!ts.isVariableStatement(stmt)) continue;
      const decl = stmt.declarationList.declarations[0];
      const k = entries[i++];
      this.types.set(`${k.apiVersion} ${k.kind}`, this.checker.getTypeAtLocation(decl.name));
    }
  }

  /** Paths of fields that the object's API type does not define. */
  unknownFields(o: K8sObject): string[] {
    const type = this.types.get(`${o.apiVersion} ${o.kind}`);
    if (!type) return [`${o.kind}/${o.metadata?.name}: no type declaration for ${o.apiVersion} ${o.kind}`];
    const problems: string[] = [];
    this.walk(o, type, `${o.kind}/${o.metadata?.name}`, problems);
    return problems;
  }

  private walk(value: unknown, declared: ts.Type, path: string, problems: string[]): void {
    if (value === null || typeof value !== 'object') return;
    const type = this.checker.getNonNullableType(declared);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    const members = type.isUnion() ? type.types : [type];
    const objects = members.filter((t) => t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection));
    if (objects.length === 0) return; // a scalar is declared: the JSON schema reports the type error
    if (Array.isArray(value)) {
      const arr = objects.find((t) => this.checker.isArrayType(t));
      if (!arr) return;
      const element = this.checker.getTypeArguments(arr as ts.TypeReference)[0];
      value.forEach((v, i) => this.walk(v, element, `${path}[${i}]`, problems));
      return;
    }
    const target = objects.find((t) => !this.checker.isArrayType(t));
    if (!target) return;
    const index = this.checker.getIndexTypeOfType(target, ts.IndexKind.String);
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const prop = this.checker.getPropertyOfType(target, key);
      if (prop) this.walk(child, this.checker.getTypeOfSymbol(prop), `${path}.${key}`, problems);
      else if (index) this.walk(child, index, `${path}.${key}`, problems);
      else problems.push(`${path}.${key}: unknown field`);
    }
  }
}
