/** Start-up refusal: names the database file and what is wrong with it, so an operator can act. */
export class EmbeddedStoreOpenError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`embedded store ${path}: ${problem}`);
    this.name = 'EmbeddedStoreOpenError';
  }
}

/** Duck-typed, not `instanceof`: the native driver's errors may come from another realm (Jest VM contexts). */
export function isSqliteError(err: unknown): err is Error & { code: string } {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** What went wrong opening the store, in words an operator can act on. */
export function describeOpenFailure(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as { message: string }).message : String(err);
  switch (true) {
    case code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')):
      return `the file is not a valid dronetrack database or is damaged (${message}); restore it from a backup, or move it aside to start empty`;
    case code === 'SQLITE_CANTOPEN':
      return `cannot open the database file (${message}); check that DATA_DIR exists, is a directory, and is readable and writable by this user`;
    case code === 'SQLITE_READONLY' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY')):
      return `the database is read-only (${message}); DATA_DIR must be writable by this user`;
    case code === 'SQLITE_FULL':
      return 'the disk is full; free space in DATA_DIR and start again';
    case code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED':
      return 'the database is locked by another process; only one dronetrack process may use a DATA_DIR';
    case code === 'EACCES' || code === 'EPERM':
      return `permission denied (${message}); DATA_DIR must be readable and writable by this user`;
    case code === 'ENOTDIR' || code === 'EEXIST':
      return `the path is not a directory (${message})`;
    case code === 'ENOSPC':
      return 'the disk is full; free space in DATA_DIR and start again';
    case typeof code === 'string' && code.startsWith('SQLITE_IOERR'):
      return `disk I/O error (${message}); check the disk holding DATA_DIR`;
    default:
      return message;
  }
}
