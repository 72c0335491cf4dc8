/**
 * A small Dockerfile reader: enough of the Dockerfile grammar to check what the image
 * contains and runs without a Docker daemon (line continuations, comments, JSON and shell
 * forms, `FROM ... AS stage`, `COPY --from/--chown`, ENV/ARG key=value forms).
 */

export interface Instruction {
  line: number;
  keyword: string; // upper case
  flags: Record<string, string>;
  args: string; // rest of the line, flags removed
  json: string[] | null; // exec (JSON array) form, when used
}

export interface Stage {
  index: number;
  name: string | null;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  directives: Record<string, string>;
  stages: Stage[];
  lines: string[];
}

function parseJsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const directives: Record<string, string> = {};
  const stages: Stage[] = [];
  let inHeader = true;
  let buf = '';
  let startLine = 0;
  const flush = () => {
    const logical = buf.trim();
    buf = '';
    if (!logical) return;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(logical)!;
    const keyword = m[1].toUpperCase();
    let rest = m[2];
    const flags: Record<string, string> = {};
    for (;;) {
      const f = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest);
      if (!f) break;
      flags[f[1]] = f[2] ?? 'true';
      rest = rest.slice(f[0].length);
    }
    const ins: Instruction = { line: startLine, keyword, flags, args: rest.trim(), json: parseJsonArray(rest) };
    if (keyword === 'FROM') {
      const fm = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      stages.push({ index: stages.length, name: fm?.[2] ?? null, from: fm?.[1] ?? ins.args, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    } else if (keyword !== 'ARG') {
      throw new Error(`Dockerfile line ${startLine}: ${keyword} before the first FROM`);
    }
  };
  lines.forEach((raw, i) => {
    const directive = /^#\s*(\w+)\s*=\s*(.+?)\s*$/.exec(raw);
    if (inHeader && directive) {
      directives[directive[1].toLowerCase()] = directive[2];
      return;
    }
    if (/^\s*#/.test(raw)) {
      inHeader = false;
      return; // comments (also inside continuations) are dropped
    }
    if (raw.trim() === '' && buf === '') {
      inHeader = false;
      return;
    }
    inHeader = false;
    if (buf === '') startLine = i + 1;
    if (/\\\s*$/.test(raw)) {
      buf += raw.replace(/\\\s*$/, ' ');
    } else {
      buf += raw;
      flush();
    }
  });
  flush();
  return { directives, stages, lines };
}

/** `COPY a b c dest` / `COPY ["a", "b", "dest"]` -> sources and destination. */
export function copyParts(ins: Instruction): { sources: string[]; dest: string } {
  const parts = ins.json ?? ins.args.split(/\s+/).filter(Boolean);
  if (parts.length < 2) throw new Error(`Dockerfile line ${ins.line}: ${ins.keyword} needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1] };
}

/** KEY=VALUE pairs of ENV (also the legacy `ENV KEY VALUE`). Quotes are removed. */
export function envPairs(ins: Instruction): Record<string, string> {
  const out: Record<string, string> = {};
  const text = ins.args.trim();
  if (!/^[\w.-]+=/.test(text)) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(text);
    if (m) out[m[1]] = m[2];
    return out;
  }
  for (const m of text.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    out[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return out;
}

/** WORKDIR in force after the given stage's instructions (absolute, '/' by default). */
export function workdirOf(stage: Stage, uptoIndex = stage.instructions.length): string {
  let wd = '/';
  for (const ins of stage.instructions.slice(0, uptoIndex)) {
    if (ins.keyword !== 'WORKDIR') continue;
    const w = ins.args.trim();
    wd = w.startsWith('/') ? w : `${wd.replace(/\/$/, '')}/${w}`;
  }
  return wd;
}

export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return [...stage.instructions].reverse().find((i) => i.keyword === keyword);
}

/** Shell form is run by `/bin/sh -c`, like docker does. */
export function commandOf(ins: Instruction): string[] {
  return ins.json ?? ['/bin/sh', '-c', ins.args];
}

// ---------------------------------------------------------------------------------------------
// .dockerignore (Docker's rules: Go filepath.Match plus `**`, `!` exceptions, last match wins;
// a rule matches a path when it matches the path or one of its parent folders).

interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
  pattern: string;
}

function globToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = line.replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
    if (!line) continue;
    rules.push({ negate, regex: globToRegex(line), pattern: raw.trim() });
  }
  return rules;
}

/** Whether a context-relative path (e.g. "src/main.ts") is kept out of the build context. */
export function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return false;
  const segments = clean.split('/');
  const prefixes = segments.map((_, n) => segments.slice(0, n + 1).join('/'));
  let ignored = false;
  for (const r of rules) if (prefixes.some((p) => r.regex.test(p))) ignored = !r.negate;
  return ignored;
}
