import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FleetDrone } from './fleet.js';

/**
 * Device-key files. Written by `--save-keys` and by the demo; read by `--keys`. Accepted shapes:
 * `{ "drones": [{ "id"?, "name"?, "deviceKey" }] }`, a bare array of such objects or of key
 * strings, or plain text with one key per line (`#` comments allowed).
 */
export interface KeysFile {
  version: 1;
  url?: string;
  tenantId?: string;
  drones: FleetDrone[];
}

export class KeysFileError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'KeysFileError';
  }
}

export function parseKeys(text: string, path = 'keys file'): FleetDrone[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new KeysFileError(path, 'is empty');
  let entries: unknown[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new KeysFileError(path, `is not valid JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { drones?: unknown }).drones;
    if (!Array.isArray(list)) throw new KeysFileError(path, 'must be a JSON array or an object with a "drones" array');
    entries = list;
  } else {
    entries = trimmed
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  }
  const drones = entries.map((e, i): FleetDrone => {
    if (typeof e === 'string' && e.trim()) return { name: `key-${String(i + 1).padStart(3, '0')}`, deviceKey: e.trim() };
    if (e && typeof e === 'object' && typeof (e as FleetDrone).deviceKey === 'string' && (e as FleetDrone).deviceKey) {
      const d = e as Partial<FleetDrone>;
      return {
        ...(typeof d.id === 'string' ? { id: d.id } : {}),
        name: typeof d.name === 'string' && d.name ? d.name : `key-${String(i + 1).padStart(3, '0')}`,
        deviceKey: d.deviceKey!,
      };
    }
    throw new KeysFileError(path, `entry ${i + 1} has no "deviceKey" string`);
  });
  if (drones.length === 0) throw new KeysFileError(path, 'holds no device keys');
  return drones;
}

export function readKeysFile(path: string): FleetDrone[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KeysFileError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseKeys(text, path);
}

/** Writes atomically (temp file + rename) and readable by the owner only: these are credentials. */
export function writeSecretJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function writeKeysFile(path: string, file: KeysFile): void {
  writeSecretJson(path, file);
}
